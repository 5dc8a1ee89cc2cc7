"""German sentences for bounds and disputes, used alike by the fact box, exports and pages.

A bound is written as precisely as its sources and no more, in dpa style (:func:`incident.german.clock`):
"8 Uhr" only when the earliest and latest moment coincide, "zwischen 7.30 und 8.30 Uhr" for an
interval, "spätestens 10 Uhr" when only the latest moment is bounded, and "unbekannt" when no
source bounds the edge. A bound that only says "on that day" is written as the day, and a
side that is only the edge of a part of the day ("am Morgen" = 6–10 Uhr; the sequence's
``coarse`` column) is written with the source's phrase, never as a clock time.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from babel.dates import format_date

from incident import german

UNKNOWN = "unbekannt"


def _is_midnight(t: pd.Timestamp, tz: str) -> bool:
    t = t.tz_convert(tz)
    return t.hour == 0 and t.minute == 0


def bounds_text(
    earliest,
    latest,
    *,
    tz: str,
    day: str | None = None,
    coarse: tuple[str, ...] = (),
    words: tuple[str, str] = ("", ""),
) -> str:
    """German text of an edge's bounds.

    Args:
        earliest: Earliest moment (tz-aware) or NaT/None when unbounded.
        latest: Latest moment or NaT/None.
        tz: The incident's time zone.
        day: The episode's local day (ISO); a bound at its midnight says only "that day".
        coarse: The sides (``"earliest"``, ``"latest"``) set only by a part of the day: written with
            the source's words (``words``), never as a clock time.
        words: The German phrases that set the earliest and the latest side (``' | '``-joined).

    Returns:
        E.g. ``'8 Uhr'``, ``'zwischen 7.30 und 8.30 Uhr'``, ``'spätestens 10 Uhr'``,
        ``'frühestens 13 Uhr'``, ``'spätestens „am Montagmorgen“'``, ``'im Laufe des Tages'``,
        ``'unbekannt'``.
    """
    lo = None if earliest is None or pd.isna(earliest) else pd.Timestamp(earliest)
    hi = None if latest is None or pd.isna(latest) else pd.Timestamp(latest)
    # a day's own boundaries bound nothing within the day
    if lo is not None and _is_midnight(lo, tz) and (day is None or lo.tz_convert(tz).date().isoformat() == day):
        lo = None
    day_end = (
        hi is not None
        and _is_midnight(hi, tz)
        and (day is None or (hi.tz_convert(tz) - pd.Timedelta(days=1)).date().isoformat() == day)
    )
    if day_end:
        hi = None
    # a bound on another day says that day first: the source's part-of-day words belong to their own day
    if day is not None and any(t is not None and t.tz_convert(tz).date().isoformat() != day for t in (lo, hi)):
        return _across_days(lo, hi, tz=tz)
    lo_words = quoted(words[0]) if lo is not None and "earliest" in coarse else ""
    hi_words = quoted(words[1]) if hi is not None and "latest" in coarse else ""
    if lo_words or hi_words:  # a part of the day, in the source's words
        if lo_words == hi_words:  # one phrase sets both sides ("seit dem Morgen"): the phrase says it
            return lo_words
        lo_text = lo_words or (german.clock(lo, tz) if lo is not None else "")
        hi_text = hi_words or (german.clock(hi, tz) if hi is not None else "")
        parts = ([f"frühestens {lo_text}"] if lo_text else []) + ([f"spätestens {hi_text}"] if hi_text else [])
        return ", ".join(parts)
    if lo is None and hi is None:
        return "im Laufe des Tages" if day_end else UNKNOWN
    if lo is not None and hi is not None:
        if abs((hi - lo).total_seconds()) < 60:
            return german.clock(lo, tz)
        return f"zwischen {german.clock(lo, tz).removesuffix(' Uhr')} und {german.clock(hi, tz)}"
    if hi is not None:
        return f"spätestens {german.clock(hi, tz)}"
    return f"frühestens {german.clock(lo, tz)}" + (", spätestens am Ende des Tages" if day_end else "")


def _across_days(lo: pd.Timestamp | None, hi: pd.Timestamp | None, *, tz: str) -> str:
    """Bounds of which one lies on another day than the episode's: every side names its day.

    A bound at a midnight says only a day: an earliest moment at the start of a day is "nicht vor"
    that day, a latest moment at the end of a day is "spätestens am" that day; never "0 Uhr".
    """
    one_day = pd.Timedelta(days=1)

    def side(t: pd.Timestamp, *, upper: bool) -> tuple[str, object]:
        local = t.tz_convert(tz)
        if _is_midnight(t, tz):
            d = (local - one_day).date() if upper else local.date()
            return f"am {german.day_text(d)}", d
        return f"{german.day_text(local.date())}, {german.clock(t, tz)}", None

    lo_text, lo_day = side(lo, upper=False) if lo is not None else ("", None)
    hi_text, hi_day = side(hi, upper=True) if hi is not None else ("", None)
    if lo_day is not None and lo_day == hi_day:
        return lo_text  # the whole of one day: "am Mittwoch, 23. September"
    if lo is not None and hi is not None:
        if abs((hi - lo).total_seconds()) < 60:
            return lo_text
        lo_date, hi_date = lo.tz_convert(tz).date(), (hi.tz_convert(tz) - pd.Timedelta(seconds=1)).date()
        if lo_date == hi_date:  # one day: named once ("am Donnerstag, 17. September, spätestens 10 Uhr")
            if lo_day is not None:
                return f"am {german.day_text(lo_date)}, spätestens {german.clock(hi, tz)}"
            if hi_day is not None:
                return f"am {german.day_text(lo_date)}, frühestens {german.clock(lo, tz)}"
            return f"am {german.day_text(lo_date)} zwischen {german.clock(lo, tz).removesuffix(' Uhr')} und {german.clock(hi, tz)}"
        return f"frühestens {lo_text}, spätestens {hi_text}"
    if hi is not None:
        return f"spätestens {hi_text}"
    return f"nicht vor {lo_text.removeprefix('am ')}" if lo_day is not None else f"frühestens {lo_text}"


def quoted(phrases: str) -> str:
    """``'am Mittag | erst gegen 14 Uhr'`` → ``'„am Mittag“, „erst gegen 14 Uhr“'``."""
    parts = [p.strip() for p in str(phrases).replace("|", ";").split(";") if p.strip()]
    return ", ".join(f"„{p}“" for p in dict.fromkeys(parts))


def coarse_sides(cell: object, edge: str) -> tuple[str, ...]:
    """``'onset_latest; recovery_latest'``, ``'onset'`` → ``('latest',)``."""
    parts = [p.strip() for p in _text(cell).split(";")]
    return tuple(p.split("_", 1)[1] for p in parts if p.startswith(edge + "_"))


def row_bounds_text(row, edge: str, *, tz: str, day: str | None = None) -> str:
    """:func:`bounds_text` of one edge of a sequence row (a namedtuple or a Series)."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    return bounds_text(
        get(f"{edge}_earliest"),
        get(f"{edge}_latest"),
        tz=tz,
        day=day,
        coarse=coarse_sides(get("coarse", ""), edge),
        words=(_text(get(f"{edge}_earliest_words", "")), _text(get(f"{edge}_latest_words", ""))),
    )


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --------------------------------------------------------------------------- episodes over several days


def local_day(t, tz: str, *, end: bool = False) -> date | None:
    """The local day of a bound; an ``end`` bound at midnight belongs to the day before (it ends it)."""
    if t is None or pd.isna(t):
        return None
    t = pd.Timestamp(t).tz_convert(tz)
    if end and t.hour == 0 and t.minute == 0 and t.second == 0:
        t = t - pd.Timedelta(days=1)
    return t.date()


def recovery_days(w, tz: str, day: str) -> tuple[date, date | None] | None:
    """(first, last) local day of an episode's recovery bounds when they lie after its onset day, else None;
    ``last`` is None when no source bounds the recovery from above."""
    lo = local_day(getattr(w, "recovery_earliest", None), tz)
    hi = local_day(getattr(w, "recovery_latest", None), tz, end=True)
    known = [d for d in (lo, hi) if d is not None]
    onset_day = date.fromisoformat(day)
    if not known or max(known) <= onset_day:
        return None
    return (lo or onset_day, hi) if hi is not None else (lo, None)  # (lo, None): no source says until when


def date_words(d: date, *, year: bool = False) -> str:
    """``'21. Januar'`` (``'21. Januar 2021'`` with the year)."""
    return format_date(d, "d. MMMM y" if year else "d. MMMM", locale=german.LOCALE)


def days_text(first: date, last: date) -> str:
    """A run of days in words: ``'vom 19. bis 21. Januar'``, ``'vom 28. Januar bis 2. Februar'``,
    ``'vom 28. Dezember 2020 bis 3. Januar 2021'``; one day: ``'am 21. Januar'``."""
    if first == last:
        return f"am {date_words(first)}"
    if first.year != last.year:
        return f"vom {date_words(first, year=True)} bis {date_words(last, year=True)}"
    if first.month != last.month:
        return f"vom {date_words(first)} bis {date_words(last)}"
    return f"vom {first.day}. bis {date_words(last)}"


def multi_day_recovery(w, tz: str, first: date, last: date) -> str:
    """The recovery of an episode that ended on a later day, with its day(s) named."""
    if first == last:
        return row_bounds_text(w, "recovery", tz=tz, day=first.isoformat())
    parts = []  # (last None: the latest end is "unbekannt", only the earliest is written)
    lo, hi = getattr(w, "recovery_earliest", None), getattr(w, "recovery_latest", None)
    if lo is not None and not pd.isna(lo):
        t = pd.Timestamp(lo).tz_convert(tz)
        at_midnight = t.hour == 0 and t.minute == 0
        parts.append(f"frühestens am {date_words(first)}" if at_midnight else f"frühestens {german.moment(t, tz)}")
    if hi is not None and not pd.isna(hi):
        t = pd.Timestamp(hi).tz_convert(tz)
        at_midnight = t.hour == 0 and t.minute == 0
        parts.append(f"spätestens am {date_words(last)}" if at_midnight else f"spätestens {german.moment(t, tz)}")
    return ", ".join(parts) or UNKNOWN
