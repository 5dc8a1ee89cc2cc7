"""Read an incident's raw tables into typed pandas frames, validating everything first.

The raw tables are described by the project's own Table Schemas (field names, types,
required fields, enums, patterns, ``minimum``, unique and primary keys, foreign keys), which
every incident's Frictionless ``datapackage.json`` must repeat; Frictionless validates the
tables with the project's schemas, whatever a contributed descriptor says
(:mod:`incident.evidence.schema`). Before that,
:mod:`incident.evidence.read` turns bytes into rows — encoding, byte order mark, NUL
bytes, delimiter, quoting, header, unreadable files — and normalises text to NFC. After
it, :mod:`incident.evidence.checks` checks what a schema cannot say: claim ids unique
across the three claim tables and prefixed by their source, the URL rule
(:mod:`incident.urls`), publication times that parse at the stated precision, figures that
agree with their German figure text (:mod:`incident.evidence.figures`), mojibake and
invisible characters, the incident's vocabulary, claim ids named in notes, one quantity
under two keys, and undeclared copies between sources.

Every problem of a run is collected (file, row, column, value, reason) and raised
together as :class:`incident.errors.ValidationError`; the loader never writes anything,
so callers write only after :func:`load_incident` returned. A file that cannot be read
(missing, permissions, a folder in its place, I/O error) is a named problem, never a
traceback.

Example:
    >>> from incident import config
    >>> from incident.evidence import load
    >>> ev = load.load_incident(config.paths())          # doctest: +SKIP
    >>> ev.sources.shape                                  # doctest: +SKIP
    (100, 17)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from incident.config import Paths
from incident.config import paths as make_paths
from incident.errors import Problem, ValidationError
from incident.evidence import checks
from incident.evidence import schema as package_schema
from incident.evidence.checks import CLAIM_TABLES, MAX_QUOTE_WORDS, TABLES  # noqa: F401 - public names
from incident.evidence.checks import parse_published as _parse_published
from incident.evidence.figures import figure_agrees, german_numbers
from incident.evidence.read import MAX_BYTES, io_reason, read_json, read_table  # noqa: F401

__all__ = ["Evidence", "load_incident", "german_numbers", "figure_agrees", "TABLES", "CLAIM_TABLES"]


@dataclass
class Evidence:
    """The validated raw tables of one incident.

    Attributes:
        incident: Incident id.
        sources: One row per source, shape (n_sources, n_columns); adds ``published_at``
            (tz-aware in the incident's zone; day precision at 12:00 local, month/year precision NaT)
            and ``published_start``/``published_end`` (the span the publication date allows).
        timeline: Events and causes, one row per claim.
        counts: Reported figures; ``value`` is float64 (NaN where a capacity claim gives no figure).
        statements: Who said what.
        raw_rows: Data rows read per table (for row accounting).
    """

    incident: str
    sources: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    statements: pd.DataFrame
    raw_rows: dict[str, int] = field(default_factory=dict)

    def claims(self) -> pd.DataFrame:
        """All claims of the three claim tables stacked, with a ``table`` column.

        Returns:
            Frame of shape (n_claims, union of columns), sorted by ``claim_id``.
        """
        parts = [getattr(self, t).assign(table=t) for t in CLAIM_TABLES]
        return pd.concat(parts, ignore_index=True, sort=False).sort_values("claim_id", ignore_index=True)


# --------------------------------------------------------------------------- typed frames


def _frame(rows: list[dict[str, str]], schema: dict) -> pd.DataFrame:
    cols = [f["name"] for f in schema["fields"]]
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    df = df.where(df.map(lambda v: isinstance(v, str) and v.strip() != ""), None)
    for f in schema["fields"]:
        if f.get("type") in ("number", "integer"):
            df[f["name"]] = pd.to_numeric(df[f["name"]], errors="raise").astype("float64")
    return df


def _descriptor_of_incident(p: Paths, problems: list[Problem]):
    from incident.evidence.descriptor import FILE, load_descriptor

    try:
        return load_descriptor(p)
    except ValidationError as exc:
        problems.extend(exc.problems)
    except OSError as exc:
        problems.append(Problem(FILE, None, None, None, io_reason(exc)))
    return None


def validate_tables(p: Paths, incident=None, problems: list[Problem] | None = None):
    """Read and check every raw table; return ``(resources, tables, problems)`` without raising.

    Args:
        p: The incident's paths.
        incident: Its descriptor (for the vocabulary check), or None to skip that check.
        problems: A list to append to (default: a new one).
    """
    problems = [] if problems is None else problems
    desc = read_json(p.datapackage, "datapackage.json", problems)
    # the project's own schemas, whatever the descriptor says (its departures are problems)
    resources = package_schema.check_descriptor(desc, TABLES, problems)
    tables = {}
    for t in TABLES:
        fields = [f["name"] for f in resources[t]["schema"]["fields"]]
        tables[t] = read_table(p.raw / f"{t}.csv", t, fields, problems)
    package_schema.validate(resources, tables, problems)
    for t in TABLES:
        if tables[t] is not None:
            checks.check_cells(tables[t], resources[t]["schema"], problems)
    if tables["sources"] is not None:
        checks.check_sources(tables["sources"], problems)
    checks.check_claims(tables, problems)
    if incident is not None:
        checks.check_vocabulary(tables, incident, problems)
    checks.check_note_references(tables, problems)
    checks.check_quantities(tables["counts"], problems)
    checks.check_copies(tables, problems)
    return resources, tables, problems


_FILE_ORDER = {name: i for i, name in enumerate(["incident.yaml", "datapackage.json", *(f"{t}.csv" for t in TABLES)])}


def _unique(problems: list[Problem]) -> list[Problem]:
    """Drop repeated problems; order by file (descriptors, then tables in load order) and row."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda x: (_FILE_ORDER.get(x.file, len(_FILE_ORDER)), -1 if x.row is None else x.row))


def load_incident(paths: Paths | None = None, *, incident=None) -> Evidence:
    """Load and validate every raw table of an incident.

    Args:
        paths: The incident's paths (default: :func:`incident.config.paths`).
        incident: The incident descriptor, if already loaded (default: read ``incident.yaml``).

    Returns:
        The typed tables as :class:`Evidence`.

    Raises:
        ValidationError: Listing every problem found (file, row, column, value, reason).
    """
    p = paths or make_paths()
    problems: list[Problem] = []
    if incident is None:
        incident = _descriptor_of_incident(p, problems)
    resources, tables, problems = validate_tables(p, incident, problems)
    if problems:
        raise ValidationError(_unique(problems))

    frames = {t: _frame(tables[t].rows, resources[t]["schema"]) for t in TABLES}
    src = frames["sources"]
    spans = [
        _parse_published(a, b, incident.timezone)[:3] for a, b in zip(src["published"], src["published_precision"])
    ]
    src["published_at"] = pd.to_datetime([s[0] for s in spans], utc=True).tz_convert(incident.timezone)
    src["published_start"] = pd.to_datetime([s[1] for s in spans], utc=True).tz_convert(incident.timezone)
    src["published_end"] = pd.to_datetime([s[2] for s in spans], utc=True).tz_convert(incident.timezone)
    return Evidence(
        incident=p.incident,
        raw_rows={t: len(tables[t].rows) for t in TABLES},
        **{t: frames[t].sort_values(frames[t].columns[0], ignore_index=True) for t in TABLES},
    )
