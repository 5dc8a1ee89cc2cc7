"""The publication time a phrase is read against: :class:`Reference` and :func:`parse_reference`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from incident.config import TIMEZONE
from incident.errors import TimeExpressionError

#: Europe/Berlin, the zone of every start and end.
BERLIN = ZoneInfo(TIMEZONE)

_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Reference:
    """The publication time a phrase is read against.

    Attributes:
        precision: ``"minute"``, ``"day"``, ``"month"`` or ``"year"``.
        year: Calendar year.
        month: Month 1–12, ``None`` at year precision.
        day: Calendar date, ``None`` at month or year precision.
        moment: Aware Europe/Berlin datetime at minute precision, else ``None``.
    """

    precision: str
    year: int
    month: int | None = None
    day: date | None = None
    moment: datetime | None = None


def parse_reference(reference: datetime | date | str | Reference) -> Reference:
    """Read a reference time.

    Args:
        reference: Timezone-aware datetime, a date, an ISO 8601 string ("2030", "2030-03",
            "2030-03-11", "2030-03-11T13:08+01:00") or a :class:`Reference`.

    Returns:
        The :class:`Reference`, converted to Europe/Berlin.

    Raises:
        TimeExpressionError: For a naive datetime, a clock time without offset, or an
            unreadable value.
    """
    if isinstance(reference, Reference):
        return reference
    if isinstance(reference, datetime):
        if reference.tzinfo is None or reference.utcoffset() is None:
            raise TimeExpressionError(f"reference {reference.isoformat()} is naive; give a timezone-aware datetime")
        m = reference.astimezone(BERLIN)
        return Reference("minute", m.year, m.month, m.date(), m)
    if isinstance(reference, date):
        return Reference("day", reference.year, reference.month, reference, None)
    if not isinstance(reference, str):
        raise TimeExpressionError(f"reference must be a datetime, date or ISO string, not {type(reference).__name__}")
    s = reference.strip()
    try:
        if _YEAR.fullmatch(s):
            return Reference("year", int(s))
        if _MONTH.fullmatch(s):
            y, mo = int(s[:4]), int(s[5:])
            date(y, mo, 1)
            return Reference("month", y, mo)
        if _DAY.fullmatch(s):
            return parse_reference(date.fromisoformat(s))
        dt = datetime.fromisoformat(s)  # Python >= 3.11 reads a trailing "Z"
    except ValueError as exc:
        raise TimeExpressionError(f"reference {reference!r} is not ISO 8601: {exc}") from None
    return parse_reference(dt)
