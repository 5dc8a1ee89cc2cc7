"""German formatting of times, dates, numbers and lists, in one place (babel, locale de_DE).

Every text a reader sees goes through these functions, so a time reads the same in the
fact box, the exports and the pages. The style is the news agencies' (dpa, see "Schreibweise"
in docs/charts.md): full hours "8 Uhr", minutes "13.30 Uhr", "Montag, 11. Januar" in running
text and "Mo. 11.1." in tables, four-digit numbers without a separator ("2500"), longer ones
grouped by a narrow no-break space ("25 000"), millions in words ("2,5 Millionen"), and counts
up to twelve in words ("zwei Quellen"). Times are converted to the incident's zone explicitly;
a naive time is refused rather than guessed.
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
    """``'8 Uhr'``, ``'8.05 Uhr'``: the wall-clock time in ``tz`` (dpa style: a full hour without minutes,
    minutes after a full stop)."""
    t = _aware(ts, tz)
    return f"{t.hour} Uhr" if t.minute == 0 else f"{t.hour}.{t.minute:02d} Uhr"


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


def day_text(ts: datetime | pd.Timestamp | date | str, tz: str | None = None) -> str:
    """``'Montag, 11. Januar'``: a day in running text (the year is the incident's and said once)."""
    if isinstance(ts, date) and not isinstance(ts, datetime):
        return format_datetime(datetime(ts.year, ts.month, ts.day), "EEEE, d. MMMM", locale=LOCALE)
    if isinstance(ts, str) and len(ts) == 10:
        return day_text(pd.Timestamp(ts).date())
    t = _aware(ts, tz or "UTC")
    return format_datetime(t.to_pydatetime(), "EEEE, d. MMMM", tzinfo=t.tzinfo, locale=LOCALE)


def weekday(d: date | datetime | pd.Timestamp) -> str:
    """``'Montag'``."""
    d = pd.Timestamp(d)
    return format_datetime(datetime(d.year, d.month, d.day), "EEEE", locale=LOCALE)


def moment(ts: datetime | pd.Timestamp | str, tz: str) -> str:
    """``'Mo. 11.1., 8.05 Uhr'``: day and wall-clock time in ``tz``."""
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


#: Groups the digits of numbers of five digits or more ("25 000"): a narrow no-break space, as Duden and
#: dpa group them (never a full stop, which a reader abroad takes for a decimal point).
GROUP = "\u202f"


def number(value: float | int, *, decimals: int | None = None) -> str:
    """A number in newspaper style: ``2500 → '2500'``, ``25000 → '25 000'``, ``2.5 → '2,5'``,
    ``2_500_000 → '2,5 Millionen'``; never scientific notation.

    Four-digit numbers stay ungrouped, longer ones are grouped by :data:`GROUP`; a whole number of
    millions (or billions) with at most two decimals of it is written in words, as exact as the
    digits ("2,35 Millionen"), never rounded: a figure that would lose a digit keeps its digits.

    Args:
        value: The number.
        decimals: Fixed number of decimals; default as many as the value has (up to 3).

    Raises:
        ValueError: For NaN or infinity (a published number is always finite).
    """
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {value!r}")
    if decimals is None and x.is_integer():
        for size, word in ((10**9, "Milliarde"), (10**6, "Million")):
            if abs(x) >= size and (x * 100 / size).is_integer():
                scaled = x / size
                shown = format_decimal(scaled, format="0.##", locale=LOCALE)
                return f"{shown} {word if scaled == 1 else word + ('n' if word.endswith('e') else 'en')}"
    if decimals is not None:
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    elif x.is_integer():
        fmt = "#,##0"
    else:
        fmt = "#,##0.###"
    text = format_decimal(x, format=fmt, locale=LOCALE)
    whole, _, rest = text.partition(",")
    digits = whole.lstrip("-").replace(".", "")
    grouped = digits if len(digits) <= 4 else whole.lstrip("-").replace(".", GROUP)
    return ("-" if whole.startswith("-") else "") + grouped + ("," + rest if rest else "")


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


def flat_parentheses(text: str) -> str:
    """Parentheses inside parentheses as brackets (Duden): ``'(Frankfurt (Oder), Cottbus)'`` →
    ``'(Frankfurt [Oder], Cottbus)'``. Markup tags and German quotations („…“) are left as they are."""
    out, depth, quote, tag = [], 0, 0, False
    for ch in text:
        if tag:
            tag = ch != ">"
        elif ch == "<":
            tag = True
        elif ch == "„":
            quote += 1
        elif ch == "“" and quote:
            quote -= 1
        elif not quote and ch == "(":
            depth += 1
            if depth > 1:
                ch = "["
        elif not quote and ch == ")" and depth:
            if depth > 1:
                ch = "]"
            depth -= 1
        out.append(ch)
    return "".join(out)
