"""The two entry points: :func:`parse` (one phrase) and :func:`parse_parts` (a claim's day + time phrase)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from incident.errors import TimeExpressionError
from incident.timeexpr.anchors import Anchors
from incident.timeexpr.expression import Expr, Unresolvable, merge
from incident.timeexpr.grammar import analyse, date_in_sentence, split_times
from incident.timeexpr.reference import Reference, parse_reference
from incident.timeexpr.resolve import ONE_DAY, Resolved, days, resolve, wall
from incident.timeexpr.span import DAY_LEVEL_NOTE, TimeSpan, unresolved

ReferenceLike = datetime | date | str | Reference
ZoneLike = str | ZoneInfo | None


def _check_anchors(anchors: Anchors | None) -> None:
    if anchors is not None and not isinstance(anchors, Anchors):
        raise TimeExpressionError(f"anchors must be an Anchors object or None, not {type(anchors).__name__}")


def parse(text: str, reference: ReferenceLike, *, anchors: Anchors | None = None, zone: ZoneLike = None) -> TimeSpan:
    """Turn one German time phrase into a :class:`TimeSpan`.

    Args:
        text: The phrase, verbatim ("gegen 14 Uhr", "am Montagmorgen"). Phrases longer than
            :data:`~incident.timeexpr.MAX_CHARS` characters are reported as unresolvable without scanning.
            The text is NFC-normalised and invisible format characters count as spaces (``text`` of the
            result is the phrase as given).
        reference: Publication time of the source: timezone-aware datetime, a date, or an
            ISO 8601 string of year, month, day or minute precision (see ``docs/timeexpr.md``).
        anchors: Calendar anchors of the phrase's source ("zum Schulstart"), from the caller; ``None``
            (the default) resolves no anchor phrase.
        zone: The zone the phrase is read in (the incident descriptor's ``timezone``); ``None``:
            Europe/Berlin (``config.TIMEZONE``).

    Returns:
        The span in ``zone``; ``start``/``end``/``kind`` are ``None`` and ``reason``
        says why when the phrase names no point or span in time.

    Raises:
        TimeExpressionError: If ``reference`` is naive or unreadable, ``text`` is not a str,
            ``anchors`` is not an :class:`~incident.timeexpr.anchors.Anchors`, or ``zone`` is unknown.
    """
    if not isinstance(text, str):
        raise TimeExpressionError(f"text must be a str, not {type(text).__name__}")
    _check_anchors(anchors)
    ref = parse_reference(reference, zone)
    try:
        start, end, kind, notes = _resolve_text(text, ref, anchors)
    except Unresolvable as f:
        return unresolved(text, f.reason)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)


def _resolve_text(text: str, ref: Reference, anchors: Anchors | None, day: Expr | None = None) -> Resolved:
    """One phrase (applied on the day of ``day``, a day phrase, when given), two times in it included."""
    parts = split_times(text)
    if parts is None:
        ex = analyse(text, anchors)
        return resolve(ex if day is None else _merged(day, ex, ref), ref)
    readings: list[tuple[str, Resolved]] = []
    ignored: list[str] = []
    for part in parts:
        try:
            ex = analyse(part, anchors)
        except Unresolvable as f:
            if f.category == "no_time":
                ignored.append(part)
                continue
            raise Unresolvable(f"part {part!r} of two times: {f.reason}", f.category) from None
        readings.append((part, resolve(ex if day is None else _merged(day, ex, ref), ref)))
    if not readings:
        raise Unresolvable("names a duration, frequency or narrative order in every part, not a time", "no_time")
    notes = [n for _, r in readings for n in r[3]]
    if ignored:
        notes.append("part(s) " + ", ".join(repr(x) for x in ignored) + " name no time; ignored")
    if len(readings) == 1:
        start, end, kind, _ = readings[0][1]
        return start, end, kind, notes
    start = min(r[0] for _, r in readings)
    end = max(r[1] for _, r in readings)
    shown = "; ".join(f"{part!r} = {r[0].isoformat()}..{r[1].isoformat()}" for part, r in readings)
    notes.append(f"two times in one phrase, read as the span covering both: {shown}")
    return start, end, "range", notes


def _merged(day: Expr, tim: Expr, ref: Reference) -> Expr:
    """The time phrase on the day phrase's day; both naming a day, they must agree."""
    if tim.days and day.days and not (tim.now or day.now or tim.bisher or day.bisher):
        tlo, thi = days(tim, ref)
        dlo, dhi = days(day, ref)
        if not (dlo <= tlo and thi <= dhi):
            raise Unresolvable(
                f"day phrase ({dlo.isoformat()}) and time phrase ({tlo.isoformat()}) name different days", "conflict"
            )
    return merge(day, tim)


def parse_parts(
    day_text: str | None,
    time_text: str | None,
    reference: ReferenceLike,
    *,
    anchors: Anchors | None = None,
    zone: ZoneLike = None,
) -> TimeSpan:
    """Combine a day phrase and a time phrase of one claim ("am Montag" + "gegen 14 Uhr").

    The time phrase is applied on the day the day phrase names. If both name a day they
    must agree (the time phrase's day must lie inside the day phrase's span). The time
    phrase's time of day and relation win over those of the day phrase ("am Montagmorgen"
    + "am Mittag" = Monday 11:30–13:30). If the time phrase names no time at all (a
    duration or frequency: "eine Stunde lang", "zeitweise") the day phrase's span is
    returned with a note; if it cannot be read for another reason, the whole day(s) the
    day phrase names (a day-level report, never a dropped day). A day phrase that is a
    sentence gives the one date written in it. Either phrase may be empty or ``None``.

    Args:
        day_text: Verbatim day phrase, or ``None``/"".
        time_text: Verbatim time phrase, or ``None``/"".
        reference: Publication time, as for :func:`parse`.
        anchors: Calendar anchors, as for :func:`parse` (used for both phrases).
        zone: The zone, as for :func:`parse`.

    Returns:
        The combined :class:`TimeSpan`; ``text`` is ``"<day_text> | <time_text>"`` when
        both are given, else the one given.

    Raises:
        TimeExpressionError: As for :func:`parse`.
    """
    day_text = (day_text or "").strip() if isinstance(day_text, str) or day_text is None else day_text
    time_text = (time_text or "").strip() if isinstance(time_text, str) or time_text is None else time_text
    if not isinstance(day_text, str) or not isinstance(time_text, str):
        raise TimeExpressionError("day_text and time_text must be str or None")
    _check_anchors(anchors)
    ref = parse_reference(reference, zone)
    if not day_text and not time_text:
        return unresolved("", "no day or time phrase given")
    if not day_text:
        return parse(time_text, ref, anchors=anchors)
    text = f"{day_text} | {time_text}" if time_text else day_text
    dex = _analysed(day_text, anchors)
    if isinstance(dex, Unresolvable) and dex.category == "unknown":
        found = date_in_sentence(day_text)
        if found is not None:
            dex = found
    if not time_text:
        if isinstance(dex, Unresolvable):
            return parse(day_text, ref, anchors=anchors)
        try:
            start, end, kind, notes = (
                resolve(dex, ref) if split_times(day_text) is None else _resolve_text(day_text, ref, anchors)
            )
        except Unresolvable as f:
            return unresolved(text, f.reason)
        return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)
    try:
        return _combine(text, dex, time_text, ref, anchors)
    except Unresolvable as f:
        return unresolved(text, f.reason)


def _analysed(text: str, anchors: Anchors | None) -> Expr | Unresolvable:
    try:
        return analyse(text, anchors)
    except Unresolvable as f:
        return f


def _combine(text: str, dex: Expr | Unresolvable, time_text: str, ref: Reference, anchors: Anchors | None) -> TimeSpan:
    """The day phrase (analysed) and the time phrase of a claim into one span (or the reason why not)."""
    if isinstance(dex, Unresolvable):
        try:
            tex = analyse(time_text, anchors) if split_times(time_text) is None else None
        except Unresolvable:
            tex = None
        if tex is not None and tex.days and not (tex.now or tex.bisher):
            start, end, kind, notes = resolve(tex, ref)
            notes.append(f"day phrase not used ({dex.reason}); day from the time phrase")
            return TimeSpan(text, start, end, kind, None, "; ".join(notes))
        return unresolved(text, f"day phrase: {dex.reason}")
    try:
        start, end, kind, notes = _resolve_text(time_text, ref, anchors, day=dex)
    except Unresolvable as f:
        if f.category == "conflict" and "name different days" in f.reason:
            return unresolved(text, f.reason)
        if f.category == "no_time":  # a duration or frequency: the day phrase's own span
            start, end, kind, notes = resolve(dex, ref)
            notes.append(f"time phrase names no time ({f.reason}); span from the day phrase")
            return TimeSpan(text, start, end, kind, None, "; ".join(notes))
        return _day_level(text, dex, ref, f)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)


def _day_level(text: str, dex: Expr, ref: Reference, why: Unresolvable) -> TimeSpan:
    """Degrade, never drop: the whole day(s) the day phrase names, when the time phrase cannot be read."""
    try:
        lo, hi = days(dex, ref)
    except Unresolvable:
        return unresolved(text, why.reason)
    note = f"time phrase not read ({why.reason}); {DAY_LEVEL_NOTE}"
    kind = "day" if lo == hi else "range"
    return TimeSpan(
        text, wall(lo, zone=ref.zone), wall(hi + ONE_DAY, zone=ref.zone), kind, None, "; ".join([*dex.notes, note])
    )
