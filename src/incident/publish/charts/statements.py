"""The statements chart (3-aussagen): what operators and authorities said against what was reported.

One panel per platform (its name above it), two labelled rows in each: „Aussagen“ (of operators and
authorities) and „Störungsmeldungen“ (users, reporters, crowd counters). The time axis is one tick per day, labelled with the date
(never a weekday alone: a window longer than a week would fold), and titled as what it shows: days.
Each stance has its own colour from Okabe-Ito, no two greens: a statement that the platform runs is
bluish green, a report of disruption vermilion, an admission blue, „nothing known“ reddish purple.
"""

from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd

from incident.publish.charts.house import (
    DAY_FORMAT,
    OKABE_ITO,
    check,
    empty_input,
    evidence_tooltips,
    finish_facet,
    left_header,
    nothing_to_draw,
)

#: The two rows of a panel, top to bottom, as the reader sees them.
KINDS: dict[str, str] = {
    "Betreiber oder Behörde": "Aussagen",
    "Meldung": "Störungsmeldungen",
}
#: Colour of each stance (the rest, should a new one appear, grey): one green only.
STANCE_COLOURS: dict[str, str] = {
    "sagt, es laufe stabil": OKABE_ITO[2],  # bluish green
    "räumt Probleme ein": OKABE_ITO[0],  # blue
    "keine Probleme bekannt": OKABE_ITO[3],  # reddish purple
    "Störung gemeldet": OKABE_ITO[5],  # vermilion
}
#: Pixels kept right of the panels for the row labels (the longer one, 10 px, with padding).
LABEL_ROOM = 110
#: At most this many day labels on the axis (fits 360 px); a longer window labels every n-th day.
MAX_DAY_LABELS = 6


def day_title(x_title: str) -> str:
    """``'Uhrzeit (MEZ, UTC+1)'`` → ``'Tag (MEZ, UTC+1)'``: the axis shows days, the zone stays named."""
    zone = re.search(r"\(([^()]*)\)", x_title)
    return f"Tag ({zone.group(1)})" if zone else "Tag"


def statements_chart(data: pd.DataFrame, *, headline: str, description: str, x_title: str) -> alt.FacetChart:
    """What operators and authorities said against what users and reporters reported, over the days.

    Every statement and report is drawn over the whole span its phrase names (a phrase
    that names only a day covers that day), never at an invented moment.

    Args:
        data: One row per claim (:func:`incident.publish.exhibits.statements_data`): ``platform``,
            ``start``, ``end`` (wall clock), ``kind``, ``stance``, ``span`` and :data:`EVIDENCE`.
        headline: The finding.
        description: Alt text.
        x_title: Axis title naming the time zone; the chart titles its axis by the days it shows.

    Returns:
        A chart faceted by platform (sized to the column by the site, ``usermeta.fit``).
    """
    columns = ("platform", "start", "end", "kind", "stance", "span")
    if empty_input(data, columns):  # a selection without a statement or report
        return nothing_to_draw(
            "Für diese Auswahl gibt es keine Aussagen.", kind="statements", headline=headline, description=description
        )
    frame = check(data, columns, "statements_chart")
    platforms = list(dict.fromkeys(frame["platform"]))
    frame["row"] = frame["kind"].map(KINDS).fillna(frame["kind"])
    stances = sorted(frame["stance"].unique(), key=lambda s: (s not in STANCE_COLOURS, str.casefold(s)))
    first = pd.Timestamp(min(frame["start"])).normalize()
    last = max(pd.Timestamp(max(frame["end"])).ceil("D"), first + pd.Timedelta(days=1))
    n_days = max(1, (last - first).days)
    every = max(1, math.ceil(n_days / MAX_DAY_LABELS))
    ticks = [(first + pd.Timedelta(days=k)).strftime("%Y-%m-%dT%H:%M:%S") for k in range(0, n_days + 1, every)]
    scale = alt.Scale(domain=[first.strftime("%Y-%m-%dT%H:%M:%S"), last.strftime("%Y-%m-%dT%H:%M:%S")])
    x = alt.X(
        "start:T",
        title=day_title(x_title),
        scale=scale,
        axis=alt.Axis(values=ticks, format=DAY_FORMAT, labelFlush=True, labelOverlap=True, grid=True),
    )
    colour = alt.Color(
        "stance:N",
        title=None,
        sort=stances,
        scale=alt.Scale(domain=stances, range=[STANCE_COLOURS.get(s, "#777777") for s in stances]),
        legend=alt.Legend(orient="bottom", direction="vertical", columns=1, labelLimit=300, symbolType="square"),
    )
    base = alt.Chart().encode(
        x=x,
        y=alt.Y(
            "row:N",
            title=None,
            sort=list(KINDS.values()),
            scale=alt.Scale(domain=list(KINDS.values()), paddingInner=0.3),
            axis=alt.Axis(
                orient="right", labelLimit=0, labelFontSize=10, labelColor="#555555", ticks=False, domain=False
            ),
        ),
        color=colour,
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("kind:N", title="Wer"),
            alt.Tooltip("stance:N", title="Aussage"),
            alt.Tooltip("span:N", title="Zeitangabe"),
            *evidence_tooltips(),
        ],
    )
    # Layer 1: spans (a phrase that names a part of the day or the whole day), solid, no blending.
    spans = (
        base.transform_filter("datum.end > datum.start")
        .mark_bar(height=8, stroke="#ffffff", strokeWidth=0.5)
        .encode(x2="end:T")
    )
    # Layer 2: exact moments.
    points = base.transform_filter("datum.end <= datum.start").mark_point(filled=True, size=50, shape="diamond")
    layered = alt.layer(spans, points, data=frame).properties(width=640 - 24 - LABEL_ROOM, height={"step": 14})
    chart = layered.facet(
        row=alt.Row(
            "platform:N",
            sort=platforms,
            title=None,
            header=left_header(size=11, padding=2, limit=alt.ExprRef("child_width"), bold=True),
        ),
        spacing=8,
    )
    # the row labels sit right of the panels: the site keeps room for them
    return finish_facet(
        chart, kind="statements", headline=headline, description=description, data=data, reserve=LABEL_ROOM
    )
