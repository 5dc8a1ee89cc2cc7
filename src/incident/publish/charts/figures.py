"""The disputed figures chart (4-widersprueche): one quantity, several figures, as multiples of the smallest."""

from __future__ import annotations

import altair as alt
import pandas as pd

from incident import german
from incident.errors import ChartError
from incident.publish.charts.house import (
    FACET_RESERVE,
    HEADER_WRAP,
    OKABE_ITO,
    SVG_WIDTH,
    check,
    empty_input,
    evidence_tooltips,
    finish_facet,
    nothing_to_draw,
)
from incident.publish.charts.panels import panel_rows, wrap_lines


def figures_chart(data: pd.DataFrame, *, headline: str, description: str) -> alt.FacetChart | alt.Chart:
    """One quantity, several figures: each figure as a multiple of the smallest for its quantity.

    One panel per quantity (its German label above it), one shared axis with one unit (the
    factor), whatever each quantity counts; a grey rule spans the smallest to the largest
    figure. The site sizes the panels to the column (``usermeta.fit``).

    Args:
        data: One row per figure (:func:`incident.publish.exhibits.figures_data`): ``quantity``
            (German label), ``value``, ``factor`` (≥ 1), ``value_text``, ``unit``, ``counted``
            and :data:`EVIDENCE`.
        headline: The finding.
        description: Alt text.

    Returns:
        A chart faceted by quantity; with no rows, a chart that says so in words (the description).
    """
    columns = ("quantity", "value", "factor", "value_text", "unit", "counted")
    if empty_input(data, columns):
        # no quantity with figures that exclude each other: the exhibit says so instead of drawing nothing
        return nothing_to_draw(
            "Keine Zahlen, die sich ausschließen.", kind="figures", headline=headline, description=description
        )
    frame = check(data, columns, "figures_chart")
    frame["factor"] = pd.to_numeric(frame["factor"], errors="raise")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    if (frame["value"] <= 0).any() or (frame["factor"] < 1).any():
        raise ChartError("figures_chart: every figure must be positive and every factor at least 1")
    frame["panel"] = [wrap_lines(q, HEADER_WRAP) for q in frame["quantity"]]
    frame["shown"] = [f"{german.number(v)} {u}".strip() for v, u in zip(frame["value"], frame["unit"])]
    order = list(dict.fromkeys(frame["panel"]))
    top = float(frame["factor"].max())
    scale = alt.Scale(domain=[1, max(1.1, round(top * 1.05, 2))], nice=False, zero=False)
    x_title = "Vielfaches der kleinsten genannten Zahl"
    axis = alt.Axis(format=".2~f", tickCount=4, labelFlush=True, title=x_title)
    # Layer 1: the spread from the smallest to the largest figure of a quantity.
    spread = (
        alt.Chart(frame)
        .mark_rule(color="#999999", strokeWidth=3)
        .encode(x=alt.X("min(factor):Q", scale=scale, axis=axis), x2="max(factor):Q")
    )
    # Layer 2: one point per figure.
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=80, opacity=0.9, color=OKABE_ITO[5])
        .encode(
            x=alt.X("factor:Q", scale=scale, axis=axis),
            tooltip=[
                alt.Tooltip("quantity:N", title="Größe"),
                alt.Tooltip("shown:N", title="Zahl"),
                alt.Tooltip("value_text:N", title="Im Wortlaut"),
                *evidence_tooltips(),
            ],
        )
    )
    layered = alt.layer(spread, points).properties(width=SVG_WIDTH - FACET_RESERVE, height=18)
    chart = layered.facet(row=panel_rows(order), spacing=8)
    return finish_facet(chart, kind="figures", headline=headline, description=description, data=data)
