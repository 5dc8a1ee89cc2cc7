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
        value: The offending value as read (truncated for display).
        reason: What is wrong, in plain words.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        value = "" if self.value is None else f" (value {self.value[:80]!r})"
        return f"{where}: {self.reason}{value}"


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
