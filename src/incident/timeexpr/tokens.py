"""Text to tokens: Unicode normalisation, weekday abbreviations, one regex without nested quantifiers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from incident.timeexpr.lexicon import WEEKDAY_ABBREVIATIONS

#: Invisible characters read as spaces: zero-width space/non-joiner/joiner (U+200B–U+200D), word joiner
#: (U+2060), byte-order mark (U+FEFF), bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
INVISIBLE = "".join(map(chr, [*range(0x200B, 0x200E), 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_TO_SPACE = str.maketrans(dict.fromkeys(INVISIBLE, " "))

#: A numeric date as people type it: "15.1.2021", "15. 1.2021", "15. 1. 2021", "15.1." (a space after either dot;
#: digits right after the date are not part of it: "15. 1.000" is no date).
_TOKEN = re.compile(
    r"(?P<date>[0-9]{1,2}\. ?[0-9]{1,2}\.(?:(?: ?[0-9]{4}|[0-9]{2})(?![0-9]))?(?![0-9]))"
    r"|(?P<hm>[0-9]{1,2}[:.][0-9]{2})"
    r"|(?P<ord>[0-9]{1,2}\.)"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<ellipsis>\.\.\.|…)"
)
_WEEKDAY_ABBR = re.compile(r"\b(" + "|".join(WEEKDAY_ABBREVIATIONS) + r")\.")


@dataclass(frozen=True)
class Tok:
    """One token: ``kind`` is date, hm, ord, num, word or ellipsis; ``low`` is the lower-cased text."""

    kind: str
    text: str
    low: str


def normalise(text: str) -> str:
    """NFC-normalise and turn invisible format characters (:data:`INVISIBLE`) into spaces."""
    return unicodedata.normalize("NFC", text).translate(_TO_SPACE)


def tokenize(text: str) -> list[Tok]:
    """Tokens of a (normalised) phrase; punctuation and symbols are dropped."""
    text = _WEEKDAY_ABBR.sub(lambda m: WEEKDAY_ABBREVIATIONS[m.group(1)], text)  # "Do., 09.00"
    return [
        Tok(
            m.lastgroup or "other",
            m.group(),
            m.group().lower().replace(" ", "") if m.lastgroup == "date" else m.group().lower(),
        )
        for m in _TOKEN.finditer(text)
    ]


def word_key(words: str) -> tuple[str, ...]:
    """The lower-case word tokens of a caller's word ("Homeschooling-Tag" -> ("homeschooling", "tag"))."""
    return tuple(t.low for t in tokenize(normalise(words)))
