"""The result of a parse: :class:`TimeSpan`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimeSpan:
    """The interval a phrase names.

    Attributes:
        text: The phrase as given (for :func:`~incident.timeexpr.parse_parts`: ``"<day_text> | <time_text>"``).
        start: Earliest instant, timezone-aware Europe/Berlin; ``None`` when unresolved.
        end: Latest instant (inclusive for points, the boundary for spans: a day ends at
            the next 00:00); ``None`` when unresolved.
        kind: One of :data:`~incident.timeexpr.KINDS`; ``None`` when unresolved.
        reason: Why the phrase was not resolved; ``None`` when it was.
        note: What was ignored or assumed on the way (e.g. a duration complement), or ``None``.
    """

    text: str
    start: datetime | None
    end: datetime | None
    kind: str | None
    reason: str | None = None
    note: str | None = None

    @property
    def resolved(self) -> bool:
        """True when the phrase named a point or span in time."""
        return self.start is not None

    def to_dict(self) -> dict:
        """Return a JSON-ready dict; times as ISO 8601 strings with offset, or ``None``."""
        return {
            "text": self.text,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "kind": self.kind,
            "reason": self.reason,
            "note": self.note,
        }


def unresolved(text: str, reason: str, note: str | None = None) -> TimeSpan:
    """A span that names no time, with the reason."""
    return TimeSpan(text=text, start=None, end=None, kind=None, reason=reason, note=note)
