"""The coverage chart (5-abdeckung): independent sources per platform and half-day."""

from __future__ import annotations

import altair as alt
import pandas as pd

from incident.publish.charts.house import NUMBER_FORMAT, check, evidence_tooltips, finish

#: Half-days above which the axis names each day once (a window longer than a week).
LONG_WINDOW_HALF_DAYS = 14


def coverage_chart(data: pd.DataFrame, *, headline: str, description: str, half_days: list[str]) -> alt.LayerChart:
    """How well is each half-day covered: independent sources per platform and half-day.

    Args:
        data: One row per platform and half-day with ≥ 1 source
            (:func:`incident.publish.exhibits.coverage_data`): ``platform``, ``half_day``,
            ``n_sources`` and :data:`EVIDENCE`.
        headline: The finding.
        description: Alt text.
        half_days: Every half-day label of the window, in order (the x axis).

    Returns:
        Layered chart.
    """
    frame = check(data, ("platform", "half_day", "n_sources"), "coverage_chart")
    frame["n_sources"] = pd.to_numeric(frame["n_sources"], errors="raise").astype(int)
    platforms = list(dict.fromkeys(frame["platform"]))
    axis = alt.Axis(labelAngle=-90, labelFontSize=10, labelOverlap=False, labelPadding=4)
    if len(half_days) > LONG_WINDOW_HALF_DAYS:
        # a window longer than a week: one label per day (at its morning column), so the dated labels
        # do not overlap at 360 px; the tooltip still names each half-day
        axis = alt.Axis(
            labelAngle=-90,
            labelFontSize=10,
            labelOverlap=False,
            labelPadding=4,
            labelExpr="indexof(datum.label, ' vorm.') >= 0 ? replace(datum.label, ' vorm.', '') : ''",
        )
    base = alt.Chart(frame).encode(
        x=alt.X(
            "half_day:O",
            title=None,
            sort=half_days,
            scale=alt.Scale(domain=half_days),
            axis=axis,
        ),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=110)),
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("half_day:N", title="Halbtag"),
            alt.Tooltip("n_sources:Q", title="Unabhängige Quellen", format=NUMBER_FORMAT),
            *evidence_tooltips(),
        ],
    )
    # Layer 1: the cell, darker for more independent sources.
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(
            "n_sources:Q",
            title="Unabhängige Quellen",
            scale=alt.Scale(scheme="blues", domainMin=0),
            legend=alt.Legend(
                format=NUMBER_FORMAT,
                tickCount=3,
                gradientLength=120,
                orient="bottom",
                direction="horizontal",
                titleOrient="top",
            ),
        )
    )
    # Layer 2: the number of sources in the cell.
    dark = float(frame["n_sources"].max()) * 0.45
    numbers = base.mark_text(fontSize=10).encode(
        text=alt.Text("n_sources:Q", format=NUMBER_FORMAT),
        color=alt.condition(alt.datum.n_sources >= dark, alt.value("#ffffff"), alt.value("#000000")),
    )
    chart = alt.layer(cells, numbers)
    return finish(
        chart,
        kind="coverage",
        headline=headline,
        description=description,
        data=data,
        height=max(140, 30 * len(platforms)),
    )
