"""Expression + reference -> span: calendar days, time of day, relations.

All arithmetic is on the wall clock of the reference's zone (Berlin unless the caller names
another); :func:`wall` attaches the zone at the end, so spans on DST days carry the right offsets.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from incident.timeexpr import conventions as cv
from incident.timeexpr.atoms import (
    ABSOLUTE_DAYS,
    AnchorDayRef,
    Apposition,
    ClockAtom,
    DateRef,
    DayOfMonthRef,
    DayRangeMark,
    DayRef,
    MonthRef,
    PartAtom,
    RelativeDay,
    TimeAnchorAtom,
    WeekdayRef,
    WeekPartRef,
    WeekRef,
    YearRef,
)
from incident.timeexpr.expression import Expr, Unresolvable
from incident.timeexpr.reference import Reference

ONE_DAY = timedelta(days=1)
Resolved = tuple[datetime, datetime, str, list[str]]


def wall(d: date, minutes: int = 0, *, zone: ZoneInfo) -> datetime:
    """Wall-clock time in ``zone``: midnight of ``d`` plus ``minutes`` (may pass midnight)."""
    naive = datetime.combine(d, time(0)) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=zone)


def need_day(ref: Reference, what: str) -> date:
    """The reference day, or :class:`Unresolvable` when the reference is coarser than a day."""
    if ref.day is None:
        raise Unresolvable(
            f"{what} needs the reference day, but the reference is only known to the {ref.precision}", "reference"
        )
    return ref.day


# --------------------------------------------------------------------------- days
def latest_weekday(on_or_before: date, wd: int) -> date:
    """The latest day with weekday ``wd`` on or before ``on_or_before``."""
    return on_or_before - timedelta(days=(on_or_before.weekday() - wd) % cv.DAYS_PER_WEEK)


def nearest_year(ref: Reference, month: int, day: int = 1) -> int:
    """Year of the occurrence of (month, day) nearest to the reference (ties to the past)."""
    if ref.precision == "year":
        return ref.year
    anchor = ref.day if ref.day is not None else date(ref.year, ref.month, 15)
    best = None
    for y in range(anchor.year - cv.NEAREST_YEAR_SEARCH, anchor.year + cv.NEAREST_YEAR_SEARCH + 1):
        dd = min(day, calendar.monthrange(y, month)[1])
        dist = (date(y, month, dd) - anchor).days
        key = (abs(dist), dist > 0)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1]


def nearest_day_of_month(d0: date, day: int) -> date:
    """The day numbered ``day`` in the month of ``d0``, the month before or the month after that lies
    nearest to ``d0`` (ties to the past); months without that day are skipped."""
    best = None
    for shift in (-1, 0, 1):
        y, m = divmod(d0.year * 12 + d0.month - 1 + shift, 12)
        if day <= calendar.monthrange(y, m + 1)[1]:
            cand = date(y, m + 1, day)
            key = (abs((cand - d0).days), cand > d0)
            if best is None or key < best[0]:
                best = (key, cand)
    if best is None:  # pragma: no cover - day 31 exists in one of any three consecutive months
        raise Unresolvable(f"no month near {d0.isoformat()} has a day {day}", "unknown")
    return best[1]


def _monday(d: date, week_shift: int = 0) -> date:
    return d - timedelta(days=d.weekday()) + timedelta(days=cv.DAYS_PER_WEEK * week_shift)


def day_span(item: DayRef, ref: Reference) -> tuple[date, date]:
    """One day reference -> [first day, last day] (inclusive)."""
    match item:
        case WeekdayRef(weekday=wd, shift=shift):
            d0 = need_day(ref, "a weekday")
            if shift is None:
                d = latest_weekday(d0, wd)
            elif shift == "past":  # "am vergangenen Montag": strictly before the reference day
                d = latest_weekday(d0 - ONE_DAY, wd)
            elif shift == "next":  # "am kommenden Montag": strictly after the reference day
                d = d0 + timedelta(days=(wd - d0.weekday()) % cv.DAYS_PER_WEEK or cv.DAYS_PER_WEEK)
            else:
                d = _monday(d0, shift) + timedelta(days=wd)
            return d, d
        case RelativeDay(offset=offset):
            d = need_day(ref, "a relative day (heute, gestern, morgen)") + timedelta(days=offset)
            return d, d
        case DateRef(day=d, month=mo, year=y):
            if y is None:
                y = nearest_year(ref, mo, d)
            if not cv.valid_day(d, mo, y):
                raise Unresolvable(f"{d}.{mo}.{y} is not a date", "unknown")
            return date(y, mo, d), date(y, mo, d)
        case DayOfMonthRef(day=dm):
            d = nearest_day_of_month(need_day(ref, "a day without a month"), dm)
            return d, d
        case MonthRef(month=mo, year=y, qualifier=qual):
            if y is None:
                y = nearest_year(ref, mo)
            last = calendar.monthrange(y, mo)[1]
            lo, hi = cv.MONTH_THIRDS[qual] if qual is not None else (1, None)
            return date(y, mo, lo), date(y, mo, last if hi is None else hi)
        case YearRef(year=y):
            return date(y, 1, 1), date(y, 12, 31)
        case WeekRef(shift=shift):
            monday = _monday(need_day(ref, "a week"), shift)
            return monday, monday + timedelta(days=cv.DAYS_PER_WEEK - 1)
        case WeekPartRef(qualifier=qual, shift=shift):
            return _week_part(need_day(ref, "a part of the week"), qual, shift)
        case AnchorDayRef(day=d):
            return d, d
    raise Unresolvable(f"unsupported day item {item!r}", "unknown")  # pragma: no cover


def _week_part(d0: date, qual: str, shift: int | None) -> tuple[date, date]:
    """ "Anfang der Woche" (Monday–Tuesday) or "Wochenende" (the latest that has begun, or of a shifted week)."""
    if qual == "wochenende" and shift is None:
        sat = latest_weekday(d0, cv.SATURDAY)
        return sat, sat + ONE_DAY
    monday = _monday(d0, shift or 0)
    if qual == "wochenende":
        return monday + timedelta(days=cv.SATURDAY), monday + timedelta(days=cv.SATURDAY + 1)
    return monday, monday + timedelta(days=cv.WEEK_START_DAYS - 1)


def days(ex: Expr, ref: Reference) -> tuple[date, date]:
    """The day part of an expression: (first, last), inclusive."""
    if ex.days_ago is not None:
        d = need_day(ref, "'vor N Tagen'") - timedelta(days=ex.days_ago)
        return d, d
    if ex.since_days is not None:
        d = need_day(ref, "'seit N Tagen'")
        window = cv.SINCE_N_DAYS_WINDOW - 1
        return d - timedelta(days=ex.since_days), d - timedelta(days=max(ex.since_days - window, 0))
    if not ex.days:
        d = need_day(ref, "a phrase without a day")
        return d, d
    if DayRangeMark() in ex.days:
        return _day_range(ex.days, ref)
    groups: list[list[DayRef]] = [[]]
    for x in ex.days:
        if isinstance(x, Apposition):
            groups.append([])
        else:
            groups[-1].append(x)
    groups = _fix_weekdays_by_date(groups, ref)
    spans = [_run(g, ref) for g in groups]
    lo, hi = spans[0]
    for olo, ohi in spans[1:]:  # apposition: "am Montag (11. Januar)" must agree
        if (olo, ohi) != (lo, hi):
            if olo <= lo and hi <= ohi:
                continue
            if lo <= olo and ohi <= hi:
                lo, hi = olo, ohi
                continue
            raise Unresolvable(f"day words disagree ({lo.isoformat()} vs {olo.isoformat()})", "conflict")
    return lo, hi


def _is_plain_weekday(g: list[DayRef]) -> bool:
    return len(g) == 1 and isinstance(g[0], WeekdayRef) and g[0].shift is None


def _day_range(items: list, ref: Reference) -> tuple[date, date]:
    """ "von Montag bis Mittwoch": a bare weekday at the end is the next such day after the start."""
    items = [x for x in items if not isinstance(x, (DayRangeMark, Apposition))]
    if len(items) != 2:
        raise Unresolvable("'von … bis' with more than two days", "multiple")
    a0, _ = day_span(items[0], ref)
    end = items[1]
    if isinstance(end, WeekdayRef) and end.shift is None:
        b1 = a0 + timedelta(days=(end.weekday - a0.weekday()) % cv.DAYS_PER_WEEK)
    else:
        _, b1 = day_span(end, ref)
    if b1 < a0:
        raise Unresolvable("range ends before it starts", "conflict")
    return a0, b1


def _fix_weekdays_by_date(groups: list[list[DayRef]], ref: Reference) -> list[list[DayRef]]:
    """ "am Montag des Schulstarts, 11. Januar 2021": an absolute day fixes the day; a weekday must agree."""
    absolute = [g[0] for g in groups if len(g) == 1 and isinstance(g[0], ABSOLUTE_DAYS)]
    if not absolute or len(groups) == 1:
        return groups
    lo, hi = day_span(absolute[0], ref)
    for g in groups:
        if _is_plain_weekday(g) and not (lo == hi and lo.weekday() == g[0].weekday):
            raise Unresolvable(f"weekday and date disagree ({lo.isoformat()} is not that weekday)", "conflict")
    return [g for g in groups if not _is_plain_weekday(g)]


def _run(g: list[DayRef], ref: Reference) -> tuple[date, date]:
    """Days joined by "und": each next weekday follows the previous day; the run must be consecutive."""
    lo, hi = day_span(g[0], ref)
    for x in g[1:]:
        if isinstance(x, WeekdayRef) and x.shift is None:
            nlo = nhi = hi + timedelta(days=(x.weekday - hi.weekday()) % cv.DAYS_PER_WEEK or cv.DAYS_PER_WEEK)
        else:
            nlo, nhi = day_span(x, ref)
        if nlo != hi + ONE_DAY:
            raise Unresolvable("days listed with 'und' are not consecutive; split the phrase", "multiple")
        hi = nhi
    return lo, hi


# --------------------------------------------------------------------------- time of day
def _part(ex: Expr) -> tuple[str, int, int] | None:
    """The part of the day named (one part; its early or late half): (name, start, end) in minutes."""
    if len(ex.parts) > 1:
        names = {p.name for p in ex.parts}
        halves = {p.half for p in ex.parts} - {None}
        if len(names) > 1 or len(halves) > 1:
            raise Unresolvable("names two different parts of the day", "multiple")
        ex.parts = [PartAtom(ex.parts[0].name, halves.pop() if halves else None)]
    if not ex.parts:
        return None
    name, half = ex.parts[0].name, ex.parts[0].half
    s, e = cv.PARTS_OF_DAY[name]
    mid = (s + e) // 2
    if half == cv.HALF_EARLY:
        e = mid
    elif half == cv.HALF_LATE:
        s = mid
    return name, s, e


def _clock_minutes(h: int, m: int, part: tuple[str, int, int] | None) -> int:
    """Minutes of a clock time, read within the part of the day ("abends um 8" = 20:00, "nachts um 2")."""
    v = h * cv.MINUTES_PER_HOUR + m
    if (
        part is not None
        and h < cv.PM_SHIFT_BELOW_HOUR
        and part[0] in cv.PM_PARTS
        and part[1] <= v + cv.PM_SHIFT <= part[2]
    ):
        v += cv.PM_SHIFT
    if part is not None and part[0] == cv.NIGHT_PART and v < cv.PM_SHIFT:
        v += cv.DAY_MINUTES  # "nachts um 2 Uhr" is 02:00 of the next morning
    return v


def time_of_day(ex: Expr) -> tuple[str, int, int] | None:
    """(kind, start, end) in minutes of the day, kind "exact", "range", "anchor", "part_of_day" or "day"."""
    part = _part(ex)
    if len(ex.clocks) > 1:
        raise Unresolvable("names more than one clock time", "multiple")
    if ex.clocks:
        c = ex.clocks[0]
        if isinstance(c, TimeAnchorAtom):
            if part is not None and not (part[1] <= c.start and c.end <= part[2]):
                raise Unresolvable(f"time anchor {c.name!r} outside the named part of the day", "conflict")
            return "anchor", c.start, c.end
        pts = [(c.hour, c.minute)] if isinstance(c, ClockAtom) else [c.start, c.end]
        mins = [_clock_minutes(h, m, part) for h, m in pts]
        if part is not None and not all(part[1] <= v <= part[2] for v in mins):
            raise Unresolvable("clock time outside the named part of the day", "conflict")
        if len(mins) == 1:
            return "exact", mins[0], mins[0]
        if mins[1] < mins[0]:
            raise Unresolvable("clock range ends before it starts", "conflict")
        return "range", mins[0], mins[1]
    if part is not None:
        return "part_of_day", part[1], part[2]
    if ex.wholeday:
        return "day", 0, cv.DAY_MINUTES
    return None


# --------------------------------------------------------------------------- the span
def resolve(ex: Expr, ref: Reference) -> Resolved:
    """The span of an expression read against a reference: (start, end, kind, notes)."""
    notes = list(ex.notes)
    if ex.now or ex.bisher:
        return _resolve_now(ex, ref, notes)
    lo, hi = days(ex, ref)
    tod = time_of_day(ex)
    rels = ex.relations
    rel = rels[0] if rels else None
    if ex.since_days is not None:
        return wall(lo, zone=ref.zone), wall(hi + ONE_DAY, zone=ref.zone), "since", notes
    if tod is None:
        return _resolve_days(ex, lo, hi, rel, notes, ref.zone)
    if lo != hi:
        raise Unresolvable("a time of day on several days (a habit, not a time)", "multiple")
    day = lo
    if not ex.has_day and ex.parts and ex.parts[0].name == cv.NIGHT_PART:
        ex.nightto = True  # a bare "in der Nacht" is the night that ends on the reference day
    if ex.nightto:
        if not ex.parts or ex.parts[0].name != cv.NIGHT_PART:
            raise Unresolvable("'zu' after a part of day other than Nacht", "unknown")
        day = day - ONE_DAY
    if ex.clock_on_day and not ex.nightto and tod[1] >= cv.DAY_MINUTES:
        tod = (tod[0], tod[1] - cv.DAY_MINUTES, tod[2] - cv.DAY_MINUTES)
        notes.append("clock after midnight read on the day named")
    if tod[0] == "anchor":
        return _resolve_anchor_time(day, tod[1], tod[2], rel, notes, ref.zone)
    return _resolve_time(day, tod, ex.approx, rel, notes, ref.zone)


def _resolve_now(ex: Expr, ref: Reference, notes: list[str]) -> Resolved:
    """ "inzwischen" = the reference moment; "bisher" = [start of the reference day, moment]."""
    if ex.parts or ex.clocks:
        raise Unresolvable("'inzwischen'/'bisher' together with another time", "multiple")
    d = need_day(ref, "'inzwischen'/'bisher'")
    if ex.days:
        lo, hi = days(ex, ref)
        if not (lo == hi == d):
            raise Unresolvable("'inzwischen'/'bisher' with a day other than the reference day", "conflict")
    start_of_day = wall(d, zone=ref.zone)
    if ref.moment is not None:
        if ex.bisher:
            return start_of_day, ref.moment, "before", notes
        return ref.moment, ref.moment, "exact", notes
    notes.append("reference known to the day only; span runs to the end of that day")
    return start_of_day, wall(d + ONE_DAY, zone=ref.zone), ("before" if ex.bisher else "day"), notes


def _resolve_days(ex: Expr, lo: date, hi: date, rel: str | None, notes: list[str], zone: ZoneInfo) -> Resolved:
    """Whole days: a day, or a range of days; "seit"/"bis" keep the span, "vor"/"nach" a day are vague."""
    start, end = wall(lo, zone=zone), wall(hi + ONE_DAY, zone=zone)
    kind = "day" if lo == hi else "range"
    if ex.nightto:
        raise Unresolvable("'Nacht zu' without a night", "unknown")
    if rel in ("since", "until"):
        return start, end, rel, notes
    if rel in ("before", "after", "shortly_before", "shortly_after"):
        raise Unresolvable("'vor'/'nach' a whole day or period: no start or end of the span is given", "vague")
    return start, end, kind, notes


def _resolve_time(
    day: date, tod: tuple[str, int, int], approx: bool, rel: str | None, notes: list[str], zone: ZoneInfo
) -> Resolved:
    """A time of day on one day, with approximation and relation."""
    tkind, s, e = tod
    if tkind == "exact" and approx:
        delta = cv.APPROX_FULL_HOUR_MINUTES if s % cv.MINUTES_PER_HOUR == 0 else cv.APPROX_OTHER_MINUTES
        s, e, tkind = s - delta, e + delta, "approx"
    if rel in ("shortly_before", "shortly_after") and tkind == "day":
        raise Unresolvable(f"'kurz {'vor' if rel == 'shortly_before' else 'nach'}' a whole day is vague", "vague")
    if rel == "shortly_before":
        s, e, tkind = s - cv.SHORTLY_MINUTES, s, "approx"
    elif rel == "shortly_after":
        s, e, tkind = e, e + cv.SHORTLY_MINUTES, "approx"
    start, end = wall(day, s, zone=zone), wall(day, e, zone=zone)
    if rel in ("since", "until"):
        return start, end, rel, notes
    if rel == "before":  # from the start of the day X falls on
        return wall(start.date(), zone=zone), start, "before", notes
    if rel == "after":  # to the end of the day X falls on
        return end, wall(end.date() + ONE_DAY, zone=zone), "after", notes
    return start, end, tkind, notes


def _resolve_anchor_time(day: date, s: int, e: int, rel: str | None, notes: list[str], zone: ZoneInfo) -> Resolved:
    """A caller's time anchor [s, e] (its exact moment unknown within it): kind approx.

    "vor X" = [start of day, e] and "nach X" = [s, end of day] (X may be as late as e / as early as s);
    "kurz vor X" = [s − 15 min, e], "kurz nach X" = [s, e + 15 min]; "seit"/"bis" keep [s, e].
    """
    if rel == "shortly_before":
        s -= cv.SHORTLY_MINUTES
    elif rel == "shortly_after":
        e += cv.SHORTLY_MINUTES
    start, end = wall(day, s, zone=zone), wall(day, e, zone=zone)
    if rel in ("since", "until"):
        return start, end, rel, notes
    if rel == "before":
        return wall(day, zone=zone), end, "before", notes
    if rel == "after":
        return start, wall(day + ONE_DAY, zone=zone), "after", notes
    return start, end, "approx", notes
