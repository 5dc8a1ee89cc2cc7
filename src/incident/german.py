"""German formatting of times, dates, numbers and lists, in one place (babel, locale de_DE).

Every text a reader sees goes through these functions, so a time reads the same in the
fact box, the exports and the pages ("Mo. 11.1., 8:00 Uhr"), and numbers follow de-DE
("2.500", "2,5 Millionen"). Times are converted to the incident's zone explicitly; a naive
time is refused rather than guessed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd
from babel.dates import format_datetime, get_timezone_name
from babel.numbers import format_decimal

#: Locale of every formatted text.
LOCALE = "de_DE"


def _aware(ts: datetime | pd.Timestamp | str, tz: str) -> pd.Timestamp:
    t = pd.Timestamp(ts)
    if t.tzinfo is None:
        raise ValueError(f"time {t.isoformat()} has no offset; give a timezone-aware time")
    return t.tz_convert(tz)


def clock(ts: datetime | pd.Timestamp | str, tz: str) -> str:
    """``'8:05 Uhr'``: the wall-clock time in ``tz``."""
    t = _aware(ts, tz)
    return f"{t.hour}:{t.minute:02d} Uhr"


def day_short(ts: datetime | pd.Timestamp | date | str, tz: str | None = None) -> str:
    """``'Mo. 11.1.'``: weekday and day of a date (a time is converted to ``tz`` first)."""
    if isinstance(ts, date) and not isinstance(ts, datetime):
        return format_datetime(datetime(ts.year, ts.month, ts.day), "EEEEEE d.M.", locale=LOCALE)
    t = _aware(ts, tz or "UTC")
    return format_datetime(t.to_pydatetime(), "EEEEEE d.M.", tzinfo=t.tzinfo, locale=LOCALE)


def day_long(ts: datetime | pd.Timestamp | date | str, tz: str | None = None) -> str:
    """``'Montag, 11. Januar 2021'``."""
    if isinstance(ts, date) and not isinstance(ts, datetime):
        return format_datetime(datetime(ts.year, ts.month, ts.day), "EEEE, d. MMMM y", locale=LOCALE)
    t = _aware(ts, tz or "UTC")
    return format_datetime(t.to_pydatetime(), "EEEE, d. MMMM y", tzinfo=t.tzinfo, locale=LOCALE)


def weekday(d: date | datetime | pd.Timestamp) -> str:
    """``'Montag'``."""
    d = pd.Timestamp(d)
    return format_datetime(datetime(d.year, d.month, d.day), "EEEE", locale=LOCALE)


def moment(ts: datetime | pd.Timestamp | str, tz: str) -> str:
    """``'Mo. 11.1., 8:05 Uhr'``: day and wall-clock time in ``tz``."""
    return f"{day_short(ts, tz)}, {clock(ts, tz)}"


def zone_label(at: datetime | pd.Timestamp | str, tz: str) -> str:
    """``'MEZ, UTC+1'`` or ``'MESZ, UTC+2'``: the zone's German short name and offset at ``at``."""
    t = _aware(at, tz)
    offset = t.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0.0
    sign = "+" if hours >= 0 else "−"
    amount = f"{abs(hours):g}".replace(".", ",")
    name = get_timezone_name(t.to_pydatetime(), width="short", locale=LOCALE)
    return f"{name}, UTC{sign}{amount}"


def number(value: float | int, *, decimals: int | None = None) -> str:
    """A number in de-DE: ``2500 → '2.500'``, ``2.5 → '2,5'``, never scientific notation.

    Args:
        value: The number.
        decimals: Fixed number of decimals; default as many as the value has (up to 3).

    Raises:
        ValueError: For NaN or infinity (a published number is always finite).
    """
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {value!r}")
    if decimals is not None:
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(x, format=fmt, locale=LOCALE)
    if x.is_integer():
        return format_decimal(int(x), format="#,##0", locale=LOCALE)
    return format_decimal(x, format="#,##0.###", locale=LOCALE)


def join(items: Iterable[str], *, last: str = "und") -> str:
    """``['A', 'B', 'C'] → 'A, B und C'`` (empty items dropped)."""
    values = [str(v) for v in items if v]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {last} " + values[-1]


def count(n: int, singular: str, plural: str) -> str:
    """``count(1, 'Quelle', 'Quellen') → '1 Quelle'``; numbers in de-DE."""
    return f"{number(n)} {singular if n == 1 else plural}"


#: Numbers up to twelve in running text are written as words (dpa style); the feminine "eine" fits
#: the nouns the pages count (Quelle, Störung, Angabe, Größe).
_WORDS = ("null", "eine", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf")


def count_words(n: int, singular: str, plural: str) -> str:
    """``count_words(1, 'Quelle', 'Quellen') → 'eine Quelle'``, ``(13, …) → '13 Quellen'``: up to twelve in words."""
    word = _WORDS[n] if 0 <= n < len(_WORDS) else number(n)
    return f"{word} {singular if n == 1 else plural}"
