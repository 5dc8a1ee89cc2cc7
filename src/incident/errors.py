"""Named exceptions of the package, in one module (as ruptures keeps its own)."""

from __future__ import annotations

import re
from dataclasses import dataclass


class IncidentError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input table.

    Attributes:
        file: File name, relative to the incident's raw folder.
        row: 1-based data row (the header is row 0); ``None`` for whole-file problems.
        column: Column name, or ``None``.
        value: The offending value as read (kept whole here; capped when shown).
        reason: What is wrong, in plain words (capped when shown).

    ``str(problem)`` is one line of at most about :data:`MAX_LINE` characters whatever the
    input: the value is shown as a ``repr`` (so invisible and control characters are
    visible as escapes) cut to :data:`MAX_VALUE` characters, the reason to :data:`MAX_REASON`,
    file and column to :data:`MAX_NAME`; line breaks in the reason are shown as spaces.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = _cap(str(self.file), MAX_NAME)
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {_cap(str(self.column), MAX_NAME)!r}"
        value = "" if self.value is None else f" (value {_cap(str(self.value), MAX_VALUE)!r})"
        reason = _cap(" ".join(str(self.reason).split()), MAX_REASON)
        german = german_reason(str(self.reason))
        if german:  # German for the editor beside the English for the developer
            reason = f"{_cap(german, MAX_REASON)} / {reason}"
        return f"{where}: {reason}{value}"

    @property
    def german(self) -> str:
        """The problem in German: ``'counts.csv, Zeile 3, Spalte 'value': …'`` (English where no translation is known)."""
        where = _cap(str(self.file), MAX_NAME)
        if self.row is not None:
            where += f", Zeile {self.row}"
        if self.column:
            where += f", Spalte {_cap(str(self.column), MAX_NAME)!r}"
        value = "" if self.value is None else f" (Wert {_cap(str(self.value), MAX_VALUE)!r})"
        text = german_reason(str(self.reason)) or " ".join(str(self.reason).split())
        return f"{where}: {_cap(text, MAX_REASON)}{value}"


#: English reason (regular expression, matched at the start) → German; groups are carried over.
GERMAN_REASONS: tuple[tuple[str, str], ...] = (
    (r"file is missing", "Datei fehlt"),
    (r"is a folder, not a file", "ist ein Ordner, keine Datei"),
    (r"cannot be read: permission denied", "kann nicht gelesen werden: keine Berechtigung"),
    (r"cannot be read", "kann nicht gelesen werden"),
    (r"file larger than (\d+) bytes; refused", r"Datei größer als \1 Bytes; abgelehnt"),
    (r"file is empty \(no header row\)", "Datei ist leer (keine Kopfzeile)"),
    (r"file contains NUL bytes", "Datei enthält NUL-Bytes; keine Texttabelle"),
    (r"not a well-formed CSV file", "keine gültige CSV-Datei"),
    (r"duplicate column name", "Spaltenname doppelt"),
    (r"column missing from header", "Spalte fehlt in der Kopfzeile"),
    (r"column not in datapackage.json schema", "Spalte steht nicht im Schema von datapackage.json"),
    (r"not valid UTF-8 at byte (\d+)", r"kein gültiges UTF-8 bei Byte \1"),
    (r"not valid JSON", "kein gültiges JSON"),
    (r"broken encoding", "Zeichen falsch kodiert (etwa „Ã¼“ statt „ü“)"),
    (r"required value is empty", "Pflichtfeld ist leer"),
    (r"leading or trailing white space", "Leerzeichen am Anfang oder Ende"),
    (r"a source cannot be reviewed against itself", "eine Quelle kann nicht gegen sich selbst geprüft sein"),
    (r"unknown source[ _]id", "unbekannte Quellen-Kennung (nicht in sources.csv)"),
    (r"unknown (\S+) \(not in (\S+)\)", r"unbekannte Kennung \1 (nicht in \2)"),
    (r"claim id must be", "Kennung der Angabe muss '<source_id>#<n>' ihrer eigenen Quelle sein"),
    (r"duplicate claim id", "Kennung der Angabe doppelt"),
    (r"duplicate id", "Kennung doppelt"),
    (r"duplicate primary key", "Schlüssel doppelt"),
    (r"duplicate value of a unique field", "Wert doppelt, muss eindeutig sein"),
    (r"a value needs its verbatim German figure text", "eine Zahl braucht ihren deutschen Wortlaut (value_text)"),
    (r"disagrees with its figure text", "passt nicht zum Wortlaut der Zahl (value_text)"),
    (r"the note names claim", "die Notiz nennt eine Angabe, die es nicht gibt"),
    (r"decimal comma or thousands separator", "Dezimalkomma oder Tausenderpunkt; Zahlen mit Dezimalpunkt schreiben"),
    (r"not a finite number", "keine endliche Zahl"),
    (r"not a plain", "keine einfache Zahl (Ziffern, „-“, Dezimalpunkt)"),
    (r"not a valid date", "kein gültiges Datum"),
    (r"not a valid", "kein gültiger Wert dieses Typs"),
    (r"not one of (.*)", r"nicht einer der erlaubten Werte \1"),
    (r"does not match pattern", "passt nicht zum vorgeschriebenen Muster"),
    (r"longer than (\d+) characters", r"länger als \1 Zeichen"),
    (r"shorter than (\d+) characters", r"kürzer als \1 Zeichen"),
    (r"above the declared maximum (.*)", r"über dem Höchstwert \1"),
    (r"below the declared minimum (.*)", r"unter dem Mindestwert \1"),
    (
        r"platform id not in incident.yaml",
        "Plattform-Kennung steht nicht in incident.yaml (platforms oder context_ids)",
    ),
    (r"platform id listed twice", "Plattform-Kennung doppelt"),
    (r"listed both as platform and as context id", "zugleich als Plattform und als context_id genannt"),
    (r"not a platform of this descriptor", "keine Plattform dieses Vorfalls"),
    (r"not a quantity of this descriptor", "keine Größe dieses Vorfalls"),
    (r"quantity key listed twice", "Größe doppelt"),
    (r"last_day is before first_day", "last_day liegt vor first_day"),
    (r"end must be after start", "das Ende muss nach dem Beginn liegen"),
    (r"no visible text", "kein sichtbarer Text"),
    (r"invisible or control character", "unsichtbares oder Steuerzeichen"),
    (r"refused \(it hides or reorders text\)", "abgelehnt (verbirgt oder vertauscht Text); entfernen"),
    (r"unknown precision", "unbekannte Genauigkeit"),
    (r"not a regular expression", "kein gültiger regulärer Ausdruck"),
    (r"not a mapping of keys to values", "keine Zuordnung von Schlüsseln zu Werten"),
    (r"must equal the folder name", "muss dem Ordnernamen entsprechen"),
    (r"not a valid data package|not a data package", "kein gültiges Datenpaket (datapackage.json)"),
    (r"violates a constraint", "verletzt eine Bedingung"),
)
_GERMAN = tuple((re.compile(p), t) for p, t in GERMAN_REASONS)


def german_reason(reason: str) -> str:
    """The German wording of an English problem reason, ``''`` when none is known."""
    text = " ".join(reason.split())
    for pattern, template in _GERMAN:
        m = pattern.match(text)
        if m:
            return m.expand(template)
    return ""


#: Longest value shown in a problem line (characters, before ``repr`` escaping).
MAX_VALUE = 80
#: Longest reason shown in a problem line.
MAX_REASON = 400
#: Longest file or column name shown in a problem line.
MAX_NAME = 80
#: Upper bound of one problem line (escaping can at most quadruple the value; German and English reason).
MAX_LINE = 3 * MAX_NAME + 2 * MAX_REASON + 4 * MAX_VALUE + 60


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more characters]"


#: Problems listed in a ValidationError message (all are kept in ``.problems``).
MAX_SHOWN = 200


class ValidationError(IncidentError):
    """The raw tables of an incident failed validation; nothing was written.

    Attributes:
        problems: Every problem found in the run, not just the first.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = self.problems[:MAX_SHOWN]
        lines = "\n".join(f"  - {p}" for p in shown)
        if len(self.problems) > MAX_SHOWN:  # keep the message readable; .problems holds them all
            lines += f"\n  … und {len(self.problems) - MAX_SHOWN} weitere / and more"
        super().__init__(f"{len(self.problems)} Problem(e) in den Rohdaten / problem(s) in the raw tables:\n{lines}")


class TimeExpressionError(IncidentError):
    """A time phrase could not be parsed because the call itself was wrong (e.g. a naive reference)."""


class ReconstructionError(IncidentError):
    """The reconstruction could not run on the given tables."""


class ProvenanceError(IncidentError):
    """A published number or time has no claim id that resolves to a dated source with a URL."""


class NotebookError(IncidentError):
    """A notebook failed during a report run.

    Attributes:
        notebook: Path of the notebook that failed.
        cell: 1-based index of the failing code cell, when known.
    """

    def __init__(self, notebook: str, cell: int | None, detail: str):
        self.notebook = notebook
        self.cell = cell
        where = f"{notebook}, cell {cell}" if cell is not None else notebook
        super().__init__(f"notebook failed: {where}: {detail}")


class ChartError(IncidentError):
    """A chart could not be built from its input (missing columns, no rows, bad values)."""


class OutputError(IncidentError):
    """An output file or folder could not be written (permissions, disk full); names the path."""


class ParameterError(IncidentError):
    """A notebook or command parameter has an invalid value; names the parameter."""


class SiteError(IncidentError):
    """The static site could not be built; the previous site was left untouched."""


class TextCheckError(IncidentError):
    """A draft could not be checked: unreadable or empty text, or no processed evidence (German message)."""
