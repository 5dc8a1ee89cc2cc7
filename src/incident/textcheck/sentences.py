"""A German draft (Markdown or plain text) split into sentences, each with the line it starts on.

Markdown is read block by block: a blank line, a heading (``#``), a list item (``-``, ``*``,
``1.``) or a quote (``>``) starts a new block, so a heading never runs into the next sentence.
Inside a block, markup is removed without moving any character's line (links keep their text,
``**``/``_`` emphasis and inline code marks become spaces) and the block is split into
sentences by SoMaJo (Proisl & Uhrig 2016), a rule-based German tokenizer and sentence splitter
that knows abbreviations ("z. B.", "Jan."), ordinals ("11. Januar") and clock times ("8.30 Uhr");
it needs no model and no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

#: A line that starts a new block: heading, list item, block quote, table row or fence.
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>|\||```)")
#: Markup stripped from a line, replaced by spaces of the same length (offsets stay put).
_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}|[-*+]|\d{1,3}[.)]|>+)\s|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the draft.

    Attributes:
        line: 1-based line of the draft on which the sentence starts.
        text: The sentence without Markdown markup, whitespace collapsed.
    """

    line: int
    text: str


@cache
def _splitter():
    from somajo import SoMaJo

    return SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)


def _clean(line: str) -> str:
    line = _LINK.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), line)
    return _MARKUP.sub(lambda m: " " * len(m.group(0)), line)


def _blocks(text: str) -> list[tuple[int, str]]:
    """``(first line number, block text)`` per Markdown block; lines are joined with newlines."""
    blocks: list[tuple[int, list[str]]] = []
    fenced = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.lstrip().startswith("```"):
            fenced = not fenced
            blocks.append((number, []))
            continue
        if fenced:
            continue
        if not raw.strip():
            blocks.append((number, []))
            continue
        starts = _BLOCK_START.match(raw) is not None
        if starts or not blocks or not blocks[-1][1]:
            blocks.append((number, [_clean(raw)]))
        else:
            blocks[-1][1].append(_clean(raw))
    return [(n, "\n".join(lines)) for n, lines in blocks if lines and "".join(lines).strip()]


def split(text: str) -> list[Sentence]:
    """Every sentence of a draft, in order, with the line it starts on."""
    out = []
    for first, block in _blocks(text):
        for tokens in _splitter().tokenize_text([block]):
            start = tokens[0].character_offset[0]
            end = tokens[-1].character_offset[1]
            sentence = " ".join(block[start:end].split())
            if sentence:
                out.append(Sentence(first + block.count("\n", 0, start), sentence))
    return out
