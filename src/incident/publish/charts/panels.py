"""Pieces the faceted charts share: panel headings and the outlet line under a figure."""

from __future__ import annotations

import textwrap

import altair as alt

from incident import german
from incident.publish.charts.house import HEADER_WRAP, left_header

__all__ = ["HEADER_WRAP", "panel_rows", "said", "wrap_lines"]


def wrap_lines(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


#: Outlets named under a figure; the rest are counted (all are in the tooltip and the exhibit's CSV).
OUTLETS_PER_FIGURE = 2
#: Characters the outlet line under a figure may take (fits a 360 px screen at 10 px).
SAID_WIDTH = 50


def said(sources: str, *, width: int = SAID_WIDTH) -> str:
    """``'laut WAZ, WDR und 3 weiteren Quellen'`` from an evidence ``sources`` cell: as many
    outlets as fit in ``width`` characters (at most :data:`OUTLETS_PER_FIGURE`), the rest counted."""
    names = [s.strip() for s in str(sources).split(";") if s.strip()]
    if not names:
        return ""
    best = ""
    for k in range(1, min(OUTLETS_PER_FIGURE, len(names)) + 1):
        shown, rest = names[:k], len(names) - k
        if not rest:
            text = "laut " + german.join(shown)
        else:
            more = "einer weiteren Quelle" if rest == 1 else f"{german.number(rest)} weiteren Quellen"
            text = "laut " + ", ".join(shown) + f" und {more}"
        if not best or len(text) <= width:
            best = text
    return best


def panel_rows(order: list[str]) -> alt.Row:
    """One small panel per value of ``panel``, its (possibly two-line) label left above it."""
    return alt.Row(
        "panel:N",
        sort=order,
        title=None,
        header=left_header(size=11, padding=2, limit=0, expr="split(datum.value, '\\n')"),
    )
