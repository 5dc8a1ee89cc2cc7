"""The publication time a phrase is read against: :class:`Reference` and :func:`parse_reference`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from incident.config import TIMEZONE
from incident.errors import TimeExpressionError

#: Europe/Berlin (``config.TIMEZONE``), the zone a phrase is read in when the caller names none.
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
        moment: Aware datetime in ``zone`` at minute precision, else ``None``.
        zone: The zone the phrase is read in (the incident's; every start and end is in it).
    """

    precision: str
    year: int
    month: int | None = None
    day: date | None = None
    moment: datetime | None = None
    zone: ZoneInfo = BERLIN


def as_zone(zone: str | ZoneInfo | None) -> ZoneInfo:
    """The zone named by an IANA name or a ``ZoneInfo``; ``None`` is :data:`BERLIN` (``config.TIMEZONE``).

    Raises:
        TimeExpressionError: For a name that is no IANA zone.
    """
    if zone is None:
        return BERLIN
    if isinstance(zone, ZoneInfo):
        return zone
    if not isinstance(zone, str):
        raise TimeExpressionError(f"zone must be an IANA name or a ZoneInfo, not {type(zone).__name__}")
    try:
        return ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        raise TimeExpressionError(f"zone {zone!r} is not an IANA time zone") from None


def parse_reference(reference: datetime | date | str | Reference, zone: str | ZoneInfo | None = None) -> Reference:
    """Read a reference time.

    Args:
        reference: Timezone-aware datetime, a date, an ISO 8601 string ("2030", "2030-03",
            "2030-03-11", "2030-03-11T13:08+01:00") or a :class:`Reference`.
        zone: The zone to read the phrase in (IANA name or ``ZoneInfo``); ``None``: Europe/Berlin, or the
            zone of a given :class:`Reference`.

    Returns:
        The :class:`Reference`, converted to ``zone``.

    Raises:
        TimeExpressionError: For a naive datetime, a clock time without offset, an unreadable value,
            an unknown zone, or a :class:`Reference` in another zone than ``zone``.
    """
    if isinstance(reference, Reference):
        if zone is not None and as_zone(zone) != reference.zone:
            raise TimeExpressionError(f"reference is read in {reference.zone.key}, not in {as_zone(zone).key}")
        return reference
    tz = as_zone(zone)
    if isinstance(reference, datetime):
        if reference.tzinfo is None or reference.utcoffset() is None:
            raise TimeExpressionError(f"reference {reference.isoformat()} is naive; give a timezone-aware datetime")
        m = reference.astimezone(tz)
        return Reference("minute", m.year, m.month, m.date(), m, tz)
    if isinstance(reference, date):
        return Reference("day", reference.year, reference.month, reference, None, tz)
    if not isinstance(reference, str):
        raise TimeExpressionError(f"reference must be a datetime, date or ISO string, not {type(reference).__name__}")
    s = reference.strip()
    try:
        if _YEAR.fullmatch(s):
            return Reference("year", int(s), zone=tz)
        if _MONTH.fullmatch(s):
            y, mo = int(s[:4]), int(s[5:])
            date(y, mo, 1)
            return Reference("month", y, mo, zone=tz)
        if _DAY.fullmatch(s):
            return parse_reference(date.fromisoformat(s), tz)
        dt = datetime.fromisoformat(s)  # Python >= 3.11 reads a trailing "Z"
    except ValueError as exc:
        raise TimeExpressionError(f"reference {reference!r} is not ISO 8601: {exc}") from None
    return parse_reference(dt, tz)
