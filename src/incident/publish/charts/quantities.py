"""The figures chart (2-zahlen): the figures the sources report, on one shared logarithmic axis.

Figures of different quantities (2.500 conferences, 25.000 participants, 100.000 requests) are not
one length each: every figure is a dot on one axis that runs in powers of ten, labelled as such
(„logarithmische Skala: jeder Teilstrich das Zehnfache“), with its value written beside it in de-DE
and who gives it under it. An operator's own figure is a hollow diamond and says „(Betreiber)“.
A bar would claim a length from zero, which a log axis does not have: so dots, not bars.
"""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd

from incident import german
from incident.publish.charts.house import (
    OKABE_ITO,
    check,
    empty_input,
    evidence_tooltips,
    finish_facet,
    nothing_to_draw,
)
from incident.publish.charts.panels import HEADER_WRAP, panel_rows, wrap_lines

#: Title of the shared axis: says that it is logarithmic, in words (two lines: fits 360 px).
LOG_TITLE = ["logarithmische Skala:", "jeder Teilstrich das Zehnfache des vorigen"]
#: The narrowest panel the site gives a chart (a value label goes left of its dot past this share of it).
RIGHT_SHARE = 0.62


def log_domain(values: pd.Series) -> tuple[float, float]:
    """Powers of ten around every figure (a figure of exactly 10^k gets room on both sides)."""
    lo = 10 ** math.floor(math.log10(float(values.min())))
    hi = 10 ** (math.floor(math.log10(float(values.max()))) + 1)
    return float(lo), float(hi)


def quantities_chart(data: pd.DataFrame, *, headline: str, description: str) -> alt.FacetChart:
    """Figures the sources report, one small panel per quantity on one shared log axis.

    Each panel names the quantity and its unit above it; each figure is a dot with its
    value in de-DE written beside it and who gives it under it („laut Sprecher … (Betreiber)“).
    The site sizes the panels to the column (``usermeta.fit``).

    Args:
        data: One row per figure (:func:`incident.publish.exhibits.quantity_data`): ``quantity``
            (German short label), ``unit`` (German), ``value`` (> 0), ``value_text`` (verbatim),
            ``time`` (German day or bounds), ``said`` (who gives it), ``operator`` (an operator's own
            figure) and :data:`EVIDENCE`.
        headline: The finding (from the descriptor).
        description: Alt text.

    Returns:
        A chart faceted by quantity with one shared x axis.
    """
    columns = ("quantity", "unit", "value", "value_text", "time", "said", "operator")
    if empty_input(data, columns):  # a selection of platforms without a figure
        return nothing_to_draw(
            "Für diese Auswahl nennen die Quellen keine Zahlen.",
            kind="quantities",
            headline=headline,
            description=description,
        )
    frame = check(data, columns, "quantities_chart")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    if (frame["value"] <= 0).any():
        from incident.errors import ChartError

        raise ChartError("quantities_chart: a figure on a logarithmic axis must be positive")
    frame["operator"] = frame["operator"].astype(str).str.lower().isin(["true", "1"])
    frame["panel"] = [
        wrap_lines(f"{q} ({u})" if u else q, HEADER_WRAP) for q, u in zip(frame["quantity"], frame["unit"])
    ]
    frame["shown"] = [german.number(v) for v in frame["value"]]
    frame["slot"] = frame.groupby("panel").cumcount().astype(str)
    lo, hi = log_domain(frame["value"])
    share = [(math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) for v in frame["value"]]
    frame["side"] = ["left" if s > RIGHT_SHARE else "right" for s in share]
    frame["marker"] = ["Betreiber" if o else "Quelle" for o in frame["operator"]]
    order = list(dict.fromkeys(frame["panel"]))
    # two lines per figure: the dot with its value, and under it who gives it
    frame = pd.concat([frame.assign(line="zahl"), frame.assign(line="laut")], ignore_index=True)
    ticks = [10**k for k in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    scale = alt.Scale(type="log", domain=[lo, hi], nice=False)
    # the ticks written as the text writes numbers ("1000", "10 000", "1 Million"), not d3's "10.000"
    label = " : ".join(f"datum.value == {v} ? {json.dumps(german.number(v))}" for v in ticks)
    axis = alt.Axis(
        values=ticks,
        format=",d",
        labelExpr=f"{label} : datum.label",
        title=LOG_TITLE,
        titleAnchor="start",
        titleAlign="left",
        labelFlush=True,
        grid=True,
        tickCount=len(ticks),
    )
    x = alt.X("value:Q", scale=scale, axis=axis)
    base = alt.Chart().encode(
        y=alt.Y("slot:N", axis=None, title=None),
        yOffset=alt.YOffset("line:N", sort=["zahl", "laut"], scale=alt.Scale(domain=["zahl", "laut"])),
        tooltip=[
            alt.Tooltip("quantity:N", title="Größe"),
            alt.Tooltip("shown:N", title="Zahl"),
            alt.Tooltip("value_text:N", title="Im Wortlaut"),
            alt.Tooltip("said:N", title="Wer"),
            alt.Tooltip("time:N", title="Zeit"),
            *evidence_tooltips(),
        ],
    )
    figure = base.transform_filter("datum.line == 'zahl'")
    said_lane = base.transform_filter("datum.line == 'laut'")
    # Layer 1: one dot per figure; an operator's own figure a hollow diamond.
    dots = figure.mark_point(size=70, strokeWidth=2, color=OKABE_ITO[5]).encode(
        x=x,
        shape=alt.Shape(
            "marker:N",
            scale=alt.Scale(domain=["Quelle", "Betreiber"], range=["circle", "diamond"]),
            legend=None,
        ),
        fill=alt.condition("datum.operator", alt.value("#ffffff"), alt.value(OKABE_ITO[5])),
    )
    # Layers 2-3: the figure in de-DE beside its dot (left of it near the axis end).
    value_style = {"baseline": "middle", "color": "#1a1a1a", "fontSize": 11, "fontWeight": "bold"}
    values = [
        figure.transform_filter("datum.side == 'right'")
        .mark_text(align="left", dx=8, **value_style)
        .encode(x=x, text="shown:N"),
        figure.transform_filter("datum.side == 'left'")
        .mark_text(align="right", dx=-8, **value_style)
        .encode(x=x, text="shown:N"),
    ]
    # Layer 4: who gives it, under the dot line from the axis start (shortened to the panel if need be).
    outlets = said_lane.mark_text(
        align="left", baseline="middle", color="#555555", fontSize=10, limit=alt.ExprRef("child_width")
    ).encode(x=alt.value(0), text="said:N")
    layered = alt.layer(dots, *values, outlets, data=frame).properties(width=640 - 24, height={"step": 15})
    chart = layered.facet(row=panel_rows(order), spacing=10).resolve_scale(y="independent")
    return finish_facet(chart, kind="quantities", headline=headline, description=description, data=data)
