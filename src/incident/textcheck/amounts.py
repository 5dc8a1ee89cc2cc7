"""Figures stated in a sentence: value (through :func:`incident.evidence.figures.figures`), qualifier, unit.

Day and time phrases are blanked out first, so "um 8 Uhr" or "am 10. September" are never
read as figures. A figure counts only with a unit noun right after it (up to two words in
between: "2.500 laufende Videokonferenzen"), which :data:`~incident.textcheck.lexicon.UNITS`
maps to the evidence's ``unit`` codes. The qualifier is read from the words just before the
number ("rund", "mehr als", "bis zu"): ``approx``, ``more``, ``less`` or None (plain). The article
counts 1 before a unit of time ("eine Stunde"); hours are also compared as minutes.

:func:`agrees` decides whether a stated figure is borne out by a source's figure, both with
their qualifiers; :func:`finer` whether the text is more precise than the source.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from incident.evidence.figures import figures
from incident.textcheck.lexicon import (
    APPROX_TOLERANCE,
    ARTICLE_ONE,
    CONVERSIONS,
    EXACT_TOLERANCE,
    QUALIFIERS,
    UNITS,
)

_WORD = re.compile(r"[\wÄÖÜäöüß%-]+")
#: How many words between a number and its unit noun.
UNIT_LOOKAHEAD = 3
#: Characters before a number searched for its qualifier.
QUALIFIER_LOOKBACK = 24


@dataclass(frozen=True)
class Amount:
    """A figure of a sentence: the number, its qualifier, the unit fragments and the words as written.

    ``converted`` holds the same figure in other units (``("minutes", 30.0)`` for half an hour).
    """

    value: float
    qualifier: str | None
    units: tuple[str, ...]
    text: str
    converted: tuple[tuple[str, float], ...] = ()


def qualifier(before: str) -> str | None:
    """The qualifier that ends ``before`` (the text just before a number), or None."""
    tail = before[-QUALIFIER_LOOKBACK:]
    for pattern, kind in QUALIFIERS:
        if pattern.search(tail):
            return kind
    return None


def units_after(text: str) -> tuple[tuple[str, ...], int]:
    """Unit fragments of the first unit noun within :data:`UNIT_LOOKAHEAD` words, and where it ends."""
    for i, m in enumerate(_WORD.finditer(text)):
        if i >= UNIT_LOOKAHEAD:
            break
        for pattern, units in UNITS:
            if pattern.search(m.group(0)):
                return units, m.end()
    return (), 0


def amounts(text: str, blank: list[tuple[int, int]]) -> list[Amount]:
    """Every figure with a unit noun in ``text``; the spans in ``blank`` (day and time phrases) are skipped."""
    masked = list(text)
    for s, e in blank:
        masked[s:e] = " " * (e - s)
    masked_text = "".join(masked)
    out = []
    found = [(f.value, f.start, f.end) for f in figures(masked_text) if not f.fraction]
    taken = [(s, e) for _, s, e in found]
    for m in ARTICLE_ONE.finditer(masked_text):
        if not any(s <= m.start() < e for s, e in taken):
            found.append((1.0, m.start(), m.end() - 1))
    for value, start, end in sorted(found, key=lambda x: x[1]):
        units, after = units_after(masked_text[end:])
        if not units:
            continue
        said = " ".join(text[start : end + after].split())
        converted = tuple((CONVERSIONS[u][0], value * CONVERSIONS[u][1]) for u in units if u in CONVERSIONS)
        out.append(Amount(value, qualifier(masked_text[:start]), units, said, converted))
    return out


def agrees(value: float, qual: str | None, source: float, source_qual: str | None) -> bool:
    """Whether a stated figure (``value``, ``qual``) is borne out by a source's (``source``, ``source_qual``).

    Plain figures agree within :data:`~incident.textcheck.lexicon.EXACT_TOLERANCE` (rounding),
    approximate ones (on either side) within :data:`~incident.textcheck.lexicon.APPROX_TOLERANCE`;
    "mehr als X" agrees with any source figure of at least X (and "über X" in the source with
    "mehr als" up to X), "bis zu X" with any of at most X.
    """
    if not (math.isfinite(value) and math.isfinite(source)) or source == 0:
        return value == source
    tol = APPROX_TOLERANCE if "approx" in (qual, source_qual) else EXACT_TOLERANCE
    close = abs(value - source) <= tol * abs(source)
    if qual == "more":
        return source >= value * (1 - EXACT_TOLERANCE) or (source_qual == "more" and close)
    if qual == "less":
        return source <= value * (1 + EXACT_TOLERANCE) or (source_qual == "less" and close)
    if source_qual == "more" and qual is None:
        return value >= source * (1 - EXACT_TOLERANCE) and close_enough_above(value, source)
    if source_qual == "less" and qual is None:
        return value <= source * (1 + EXACT_TOLERANCE) and close_enough_above(source, value)
    return close


def close_enough_above(high: float, low: float) -> bool:
    """ "über 4.500" bears out a plain figure only up to the approximate tolerance above it."""
    return high <= low * (1 + APPROX_TOLERANCE)


def significant(value: float) -> int:
    """Significant digits of a figure (4.500 → 2, 4.513 → 4)."""
    digits = f"{abs(value):.6g}".replace(".", "").lstrip("0").rstrip("0")
    return max(len(digits), 1)


def finer(value: float, qual: str | None, source: float, source_qual: str | None) -> bool:
    """Whether a plain stated figure is more precise than a hedged source figure ("4.513" for "rund 4.500")."""
    return qual is None and source_qual is not None and significant(value) > significant(source)
