"""The two entry points: :func:`parse` (one phrase) and :func:`parse_parts` (a claim's day + time phrase)."""

from __future__ import annotations

from datetime import date, datetime

from incident.errors import TimeExpressionError
from incident.timeexpr.anchors import Anchors
from incident.timeexpr.expression import Expr, Unresolvable, merge
from incident.timeexpr.grammar import analyse
from incident.timeexpr.reference import Reference, parse_reference
from incident.timeexpr.resolve import days, resolve
from incident.timeexpr.span import TimeSpan, unresolved

ReferenceLike = datetime | date | str | Reference


def _check_anchors(anchors: Anchors | None) -> None:
    if anchors is not None and not isinstance(anchors, Anchors):
        raise TimeExpressionError(f"anchors must be an Anchors object or None, not {type(anchors).__name__}")


def parse(text: str, reference: ReferenceLike, *, anchors: Anchors | None = None) -> TimeSpan:
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

    Returns:
        The span in Europe/Berlin; ``start``/``end``/``kind`` are ``None`` and ``reason``
        says why when the phrase names no point or span in time.

    Raises:
        TimeExpressionError: If ``reference`` is naive or unreadable, ``text`` is not a str, or
            ``anchors`` is not an :class:`~incident.timeexpr.anchors.Anchors`.
    """
    if not isinstance(text, str):
        raise TimeExpressionError(f"text must be a str, not {type(text).__name__}")
    _check_anchors(anchors)
    ref = parse_reference(reference)
    try:
        start, end, kind, notes = resolve(analyse(text, anchors), ref)
    except Unresolvable as f:
        return unresolved(text, f.reason)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)


def parse_parts(
    day_text: str | None, time_text: str | None, reference: ReferenceLike, *, anchors: Anchors | None = None
) -> TimeSpan:
    """Combine a day phrase and a time phrase of one claim ("am Montag" + "gegen 14 Uhr").

    The time phrase is applied on the day the day phrase names. If both name a day they
    must agree (the time phrase's day must lie inside the day phrase's span). The time
    phrase's time of day and relation win over those of the day phrase ("am Montagmorgen"
    + "am Mittag" = Monday 11:30–13:30). If the time phrase names no time at all (a
    duration or frequency: "eine Stunde lang", "zeitweise") the day phrase's span is
    returned with a note. Either phrase may be empty or ``None``.

    Args:
        day_text: Verbatim day phrase, or ``None``/"".
        time_text: Verbatim time phrase, or ``None``/"".
        reference: Publication time, as for :func:`parse`.
        anchors: Calendar anchors, as for :func:`parse` (used for both phrases).

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
    ref = parse_reference(reference)
    if not day_text and not time_text:
        return unresolved("", "no day or time phrase given")
    if not day_text:
        return parse(time_text, ref, anchors=anchors)
    if not time_text:
        return parse(day_text, ref, anchors=anchors)
    text = f"{day_text} | {time_text}"
    try:
        return _combine(text, _analysed(day_text, anchors), _analysed(time_text, anchors), ref)
    except Unresolvable as f:
        return unresolved(text, f.reason)


def _analysed(text: str, anchors: Anchors | None) -> Expr | Unresolvable:
    try:
        return analyse(text, anchors)
    except Unresolvable as f:
        return f


def _combine(text: str, dex: Expr | Unresolvable, tex: Expr | Unresolvable, ref: Reference) -> TimeSpan:
    """The two analysed phrases of a claim into one span (or the reason why not)."""
    if isinstance(tex, Unresolvable):
        if isinstance(dex, Expr) and tex.category == "no_time":
            start, end, kind, notes = resolve(dex, ref)
            notes.append(f"time phrase names no time ({tex.reason}); span from the day phrase")
            return TimeSpan(text, start, end, kind, None, "; ".join(notes))
        return unresolved(text, f"time phrase: {tex.reason}")
    if isinstance(dex, Unresolvable):
        if tex.days and not (tex.now or tex.bisher):
            start, end, kind, notes = resolve(tex, ref)
            notes.append(f"day phrase not used ({dex.reason}); day from the time phrase")
            return TimeSpan(text, start, end, kind, None, "; ".join(notes))
        return unresolved(text, f"day phrase: {dex.reason}")
    if tex.days and dex.days and not (tex.now or dex.now or tex.bisher or dex.bisher):
        tlo, thi = days(tex, ref)
        dlo, dhi = days(dex, ref)
        if not (dlo <= tlo and thi <= dhi):
            return unresolved(
                text, f"day phrase ({dlo.isoformat()}) and time phrase ({tlo.isoformat()}) name different days"
            )
    start, end, kind, notes = resolve(merge(dex, tex), ref)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)
