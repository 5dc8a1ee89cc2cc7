"""Named exceptions of the package, in one module (as ruptures keeps its own)."""

from __future__ import annotations

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
        return f"{where}: {reason}{value}"


#: Longest value shown in a problem line (characters, before ``repr`` escaping).
MAX_VALUE = 80
#: Longest reason shown in a problem line.
MAX_REASON = 400
#: Longest file or column name shown in a problem line.
MAX_NAME = 80
#: Upper bound of one problem line (escaping can at most quadruple the value).
MAX_LINE = 3 * MAX_NAME + MAX_REASON + 4 * MAX_VALUE + 60


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
            lines += f"\n  … and {len(self.problems) - MAX_SHOWN} more"
        super().__init__(f"{len(self.problems)} problem(s) in the raw tables:\n{lines}")


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
