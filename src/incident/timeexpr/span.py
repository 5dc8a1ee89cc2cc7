"""The result of a parse: :class:`TimeSpan`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: The note of a claim placed at day level because its time phrase could not be read.
DAY_LEVEL_NOTE = "placed at day level"
#: The note of a day phrase that is a sentence, of which only the date was read.
SENTENCE_NOTE = "only the date in it is read"


@dataclass(frozen=True)
class TimeSpan:
    """The interval a phrase names.

    Attributes:
        text: The phrase as given (for :func:`~incident.timeexpr.parse_parts`: ``"<day_text> | <time_text>"``).
        start: Earliest instant, timezone-aware in the zone read in (Europe/Berlin unless the caller
            names another); ``None`` when unresolved.
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

    @property
    def degraded(self) -> bool:
        """True when only the day was read: a time phrase that could not be read (day level), or a sentence
        of which only the date was read."""
        return self.note is not None and (DAY_LEVEL_NOTE in self.note or SENTENCE_NOTE in self.note)

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
