"""German figure texts, read strictly: which numbers does ``"rund 4.500 Schulen"`` state?

``counts.csv`` keeps every figure twice: the normalised ``value`` and the verbatim German
``value_text``. The loader checks that the value is one of the numbers the text states
(:func:`figure_agrees`). Reading German figures:

- digits with German grouping: ``100.000``, ``250 000``, ``2.317.892``; decimal comma ``2,5``;
- scale words after a number: ``2,5 Millionen``, ``2,3 Mio.``, ``3 Mrd.``, ``4 Tsd.``,
  ``zwei Dutzend``; in a range the scale of the second number applies to the first
  (``1,5 bis 1,7 Millionen`` states 1,500,000 and 1,700,000, never 1.5);
- number words, compounds included: ``sechs``, ``zwölf``, ``einundzwanzig``,
  ``zweihundertfünfzig``, ``dreitausend``; halves: ``anderthalb`` (1.5), ``zweieinhalb``
  (2.5), ``eine halbe Million``, ``dreieinhalb Tausend``; multipliers: ``verdoppelt`` (2),
  ``verdreifacht`` (3), ``verzehnfacht``, ``siebenfach``; the article ``ein``/``eine``
  counts as 1 only before a scale word (``eine Million``) or ``halbe``;
- fractions: ``Hälfte``, ``ein Drittel``, ``drei Viertel``, ``jede fünfte`` — a fraction
  agrees with the value itself or with the value as a percentage (``jede fünfte`` = 20 %);
- percentages are plain numbers (``50 Prozent`` states 50).

Ambiguous texts are not guessed (:func:`figure_problems`): a point followed by other than
three digits (``2.5 Mio.`` — the point is the German thousands separator, so this is
neither 2.5 nor 2,500 with certainty) and more than one comma in a number (``1,500,000``,
English grouping) are reported and yield no number. Clock times (``8.30 Uhr``) and dates
(``11.01.``) are not figures and are skipped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

#: Scale words after a number (lowercase, without a trailing point).
SCALES = {
    "mio": 1e6,
    "million": 1e6,
    "millionen": 1e6,
    "mrd": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "tsd": 1e3,
    "tausend": 1e3,
    "hundert": 100.0,
    "dutzend": 12.0,
}
_UNITS = {
    "ein": 1,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "dreissig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
#: Words that multiply ("verdoppelt" = factor 2).
MULTIPLIERS = {
    "doppelt": 2,
    "doppelte": 2,
    "doppelten": 2,
    "verdoppelt": 2,
    "verdoppelte": 2,
    "verdoppelten": 2,
    "verdreifacht": 3,
    "vervierfacht": 4,
    "verfünffacht": 5,
    "versechsfacht": 6,
    "versiebenfacht": 7,
    "verachtfacht": 8,
    "verneunfacht": 9,
    "verzehnfacht": 10,
    "verhundertfacht": 100,
    "vertausendfacht": 1000,
}
#: Articles: 1 only before a scale word or "halbe".
ARTICLES = {"ein", "eine", "einer", "einem", "einen", "eines"}
_HALF = {"halb", "halbe", "halber", "halben", "halbes"}
_ORDINALS = {
    "zweite": 2,
    "dritte": 3,
    "vierte": 4,
    "fünfte": 5,
    "sechste": 6,
    "siebte": 7,
    "siebente": 7,
    "achte": 8,
    "neunte": 9,
    "zehnte": 10,
    "zwanzigste": 20,
    "hundertste": 100,
    "tausendste": 1000,
}
_FRACTION_NOUNS = {"hälfte": 2, "drittel": 3, "viertel": 4, "fünftel": 5, "zehntel": 10}

# Digits: German grouping (point, narrow/no-break space, space) or plain; decimal comma; optional scale.
_SCALE_RE = r"(Mio|Millionen|Million|Mrd|Milliarden|Milliarde|Tsd|Tausend|Hundert|Dutzend)\b\.?"
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+|\d+)(?:,(\d+))?(?![\w]|[.,]\d)(?:\s*" + _SCALE_RE + ")?",
    re.IGNORECASE,
)
# Ambiguous digit groups: a point not followed by exactly three digits, or several commas.
_AMBIGUOUS = re.compile(
    r"(?<![\w.,])\d+(?:\.\d+)*\.(?:\d{1,2}|\d{4,})(?![\d])(?!\s*Uhr)(?!\.)|(?<![\w.,])\d+(?:,\d+){2,}(?![\d])",
    re.IGNORECASE,
)
_CLOCK_OR_DATE = re.compile(r"\b\d{1,2}[.:]\d{2}\s*Uhr\b|\b\d{1,2}\.\d{1,2}\.(?:\d{2,4})?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_RANGE_GAP = re.compile(r"\s*(?:bis(?:\s+zu)?|und|oder|-|–|—|/)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One number stated in a figure text.

    Attributes:
        value: The number (scale applied).
        start: Offset of its first character in the text.
        end: Offset after its last character (scale word included).
        fraction: Whether it is a fraction word (``Hälfte``); agrees with ``value`` × 100 too.
        scale: The scale word's factor when one applied (``Millionen`` → 1e6), else None.
    """

    value: float
    start: int
    end: int
    fraction: bool = False
    scale: float | None = None

    @property
    def scaled(self) -> bool:
        """Whether a scale word applied."""
        return self.scale is not None


def _below_hundred(word: str, *, head: bool = False) -> int | None:
    # "ein" is a number only inside a compound, before "hundert"/"tausend" ("einhunderteintausend").
    if word in _UNITS and (word != "ein" or head):
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    for tens, n in _TENS.items():
        if word.endswith("und" + tens):
            unit = word[: -len("und" + tens)]
            if unit in _UNITS:
                return _UNITS[unit] + n
    return None


def _below_thousand(word: str, *, head: bool = False) -> int | None:
    if not word:
        return None
    if "hundert" in word:
        first, _, tail = word.partition("hundert")
        mult = 1 if first in ("", "ein") else _UNITS.get(first)
        if mult is None:
            return None
        rest = 0 if tail == "" else _below_hundred(tail.removeprefix("und"), head=head)
        return None if rest is None else mult * 100 + rest
    return _below_hundred(word, head=head)


def numeral(word: str) -> float | None:
    """Value of one German number word (compounds, halves, multipliers), or None.

    Example:
        >>> numeral("zweihundertfünfzigtausend"), numeral("zweieinhalb"), numeral("verdreifacht")
        (250000.0, 2.5, 3.0)
    """
    w = unicodedata.normalize("NFC", word).casefold()
    if w in MULTIPLIERS:
        return float(MULTIPLIERS[w])
    if w in ("anderthalb", "eineinhalb"):
        return 1.5
    for suffix in ("fache", "fachen", "facher", "faches", "fach"):
        if w.endswith(suffix) and len(w) > len(suffix):
            base = numeral(w[: -len(suffix)])
            return base
    if w.endswith("einhalb") and len(w) > len("einhalb"):
        base = numeral(w[: -len("einhalb")])
        return None if base is None else base + 0.5
    if w == "tausend":
        return 1000.0
    if w == "hundert":
        return 100.0
    if "tausend" in w:
        head, _, tail = w.partition("tausend")
        mult = 1 if head in ("", "ein") else _below_thousand(head, head=True)
        rest = 0 if tail == "" else _below_thousand(tail.removeprefix("und"))
        if mult is None or rest is None:
            return None
        return float(mult * 1000 + rest)
    n = _below_thousand(w)
    return None if n is None else float(n)


def _scale_after(text: str, pos: int) -> tuple[float, int] | None:
    m = re.compile(r"\s*" + _SCALE_RE, re.IGNORECASE).match(text, pos)
    if not m:
        return None
    return SCALES[m.group(1).lower()], m.end()


def _word_figures(text: str, taken: list[tuple[int, int]]) -> list[Figure]:
    out: list[Figure] = []
    words = list(_WORD.finditer(text))
    skip_until = -1
    for k, m in enumerate(words):
        if m.start() < skip_until or any(a <= m.start() < b for a, b in taken):
            continue
        w = m.group().casefold()
        nxt = words[k + 1].group().casefold() if k + 1 < len(words) else ""
        # "jede fünfte (Schule)", "jeder zehnte"
        if w in ("jede", "jeder", "jedes", "jeden") and nxt in _ORDINALS:
            out.append(Figure(1 / _ORDINALS[nxt], m.start(), words[k + 1].end(), fraction=True))
            skip_until = words[k + 1].end()
            continue
        if w in _FRACTION_NOUNS:
            out.append(Figure(1 / _FRACTION_NOUNS[w], m.start(), m.end(), fraction=True))
            continue
        if w in ARTICLES or w in _HALF:
            start, value, end = m.start(), (0.5 if w in _HALF else 1.0), m.end()
            if w in ARTICLES and nxt in _HALF:  # "eine halbe Million", "eine halbe Stunde"
                value, end = 0.5, words[k + 1].end()
            elif w in ARTICLES and nxt in _FRACTION_NOUNS:  # "ein Drittel"
                continue
            scale = _scale_after(text, end)
            if scale:
                out.append(Figure(value * scale[0], start, scale[1], scale=scale[0]))
                skip_until = scale[1]
            elif value == 0.5:
                out.append(Figure(0.5, start, end))
                skip_until = end
            continue
        value = numeral(w)
        if value is None:
            continue
        if nxt in _FRACTION_NOUNS:  # "zwei Drittel", "drei Viertel"
            out.append(Figure(value / _FRACTION_NOUNS[nxt], m.start(), words[k + 1].end(), fraction=True))
            skip_until = words[k + 1].end()
            continue
        scale = _scale_after(text, m.end())
        if scale and w not in MULTIPLIERS:
            out.append(Figure(value * scale[0], m.start(), scale[1], scale=scale[0]))
            skip_until = scale[1]
        else:
            out.append(Figure(value, m.start(), m.end()))
    return out


def figures(text: str) -> list[Figure]:
    """Every number a German figure text states, in order of appearance (see the module doc)."""
    text = unicodedata.normalize("NFC", text)
    masked = _CLOCK_OR_DATE.sub(lambda m: " " * len(m.group()), text)
    masked = _AMBIGUOUS.sub(lambda m: " " * len(m.group()), masked)
    found: list[Figure] = []
    for m in _DIGITS.finditer(masked):
        whole = re.sub(r"[.\u202f\u00a0 ]", "", m.group(1))
        number = float(whole + ("." + m.group(2) if m.group(2) else ""))
        scale = SCALES[m.group(3).lower()] if m.group(3) else None
        found.append(Figure(number * (scale or 1), m.start(), m.end(), scale=scale))
    found += _word_figures(masked, [(f.start, f.end) for f in found])
    found.sort(key=lambda f: f.start)
    # A range shares its scale: "1,5 bis 1,7 Millionen", "zwei bis drei Millionen".
    for i in range(len(found) - 1, 0, -1):
        a, b = found[i - 1], found[i]
        if b.scaled and not a.scaled and not a.fraction and _RANGE_GAP.fullmatch(masked, a.end, b.start):
            found[i - 1] = Figure(a.value * b.scale, a.start, a.end, scale=b.scale)
    return found


def german_numbers(text: str) -> list[float]:
    """Every number a German figure text states, in order.

    Args:
        text: Verbatim figure text, e.g. ``"rund 4000 Fehlermeldungen"``.

    Returns:
        The numbers found (possibly empty); ambiguous digit groups yield none
        (see :func:`figure_problems`).

    Example:
        >>> german_numbers("2,5 Millionen Teilnehmer")
        [2500000.0]
        >>> german_numbers("über 4.500 Schulen")
        [4500.0]
        >>> german_numbers("zweieinhalb Millionen")
        [2500000.0]
        >>> german_numbers("1,5 bis 1,7 Millionen")
        [1500000.0, 1700000.0]
    """
    return [f.value for f in figures(text)]


def figure_problems(text: str) -> list[str]:
    """Why a figure text cannot be read with certainty (empty when it can).

    Example:
        >>> figure_problems("2.5 Mio. Nutzer")
        ["'2.5' is ambiguous: in German the point groups thousands (2.500) and the comma is the decimal mark (2,5)"]
    """
    text = unicodedata.normalize("NFC", text)
    masked = _CLOCK_OR_DATE.sub(lambda m: " " * len(m.group()), text)
    out = []
    for m in _AMBIGUOUS.finditer(masked):
        token = m.group()
        if "," in token:
            out.append(
                f"{token!r} is ambiguous: several commas in one number (English grouping?); "
                "German figures group thousands with a point and use the comma as decimal mark"
            )
        else:
            out.append(
                f"{token!r} is ambiguous: in German the point groups thousands (2.500) and the comma "
                "is the decimal mark (2,5)"
            )
    return out


def figure_agrees(value: float, text: str) -> bool | None:
    """Whether ``value`` is one of the numbers ``text`` states.

    A fraction word agrees with the fraction or with it as a percentage, rounded to a
    whole percent (``jede fünfte`` agrees with 0.2 and with 20).

    Args:
        value: Normalised value.
        text: Verbatim German figure text.

    Returns:
        True or False, or None when the text states no number to compare with.
    """
    found = figures(text)
    if not found:
        return None
    if not math.isfinite(value):
        return False
    for f in found:
        if math.isclose(value, f.value, rel_tol=1e-12, abs_tol=1e-9):
            return True
        if f.fraction and abs(value - f.value * 100) <= 0.5:
            return True
    return False
