"""The Ablauf (1-ablauf): per platform and day what the sources allow about onset and recovery.

Drawn for readers without a legend: one panel per day (its date as heading), the article's
platforms first. Per row (platform and day) a heading, one line of marks and under it each edge's
label in words with who says it:

- the known span (after the latest onset, before the earliest recovery) is a solid bar;
- an uncertain edge is a whisker with hard stops at both bounds (onset orange, recovery green);
- an edge bounded on one side only has its stop there and the word „unbekannt“ on the open side;
- a bound at 21:00 widens the axis: the descriptor's day hours are the preferred view, never a clip;
- an episode over several days is split at midnight, its rows say where it comes from and goes on.

Below 600 px the site draws the same data as a vertical timeline (``usermeta.timeline``, built here
from the chart's own rows; see ``static/site.js``), so no bound is lost to a squeezed axis.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from incident.publish.charts.house import (
    OKABE_ITO,
    check,
    empty_input,
    evidence_tooltips,
    finish_facet,
    left_header,
    nothing_to_draw,
)

#: Lanes of one Ablauf row, top to bottom: heading, marks, onset label (bounds, who), recovery label.
LANES: tuple[str, ...] = ("kopf", "balken", "beginn1", "beginn2", "ende1", "ende2")
#: Height of one lane in pixels.
LANE_PX = 13
#: Colours: the known span (Okabe-Ito blue), the onset whisker (orange), the recovery whisker (bluish green).
CERTAIN_COLOUR, ONSET_COLOUR, RECOVERY_COLOUR = OKABE_ITO[0], "#D08C00", OKABE_ITO[2]
#: Average width of a 10 px character of the system font stack (on the wide side: DejaVu Sans).
CHAR_PX = 6.2
#: The narrowest plot the wide chart is drawn at (the site switches to the timeline below 600 px):
#: a label is anchored where it fits at this width, so it fits at every wider one.
MIN_PLOT_PX = 540
#: The word an open edge is written with.
UNKNOWN_WORD = "unbekannt"
#: Container width below which the site shows the vertical timeline (``usermeta.timeline.below``).
TIMELINE_BELOW_PX = 600


def axis_hours(frame: pd.DataFrame, day_hours: tuple[float, float]) -> tuple[float, float]:
    """The axis range: the descriptor's day hours widened to whole hours until every drawn bound lies on it."""
    lo, hi = day_hours
    drawn = frame[frame["part"].isin(["sicher", "beginn", "ende"])]
    values = pd.to_numeric(pd.concat([drawn["start"], drawn["end"]]), errors="coerce").dropna()
    if len(values):
        lo = min(lo, math.floor(float(values.min())))
        hi = max(hi, math.ceil(float(values.max())))
    return float(lo), float(hi)


#: Pixels the word „unbekannt“ (10 px, italic) needs beside its stop, at :data:`MIN_PLOT_PX`.
UNKNOWN_PX = 62


def _room_for_unknown(frame: pd.DataFrame, *, lo: float, hi: float) -> pd.Series:
    """The ``unknown`` column, blanked where the word would run into another mark of its row or off the
    axis (the edge's label under the row says „unbekannt“ in any case)."""
    need = UNKNOWN_PX / MIN_PLOT_PX * (hi - lo)
    drawn = frame[frame["part"].isin(["sicher", "beginn", "ende"])]
    out = frame["unknown"].copy()
    for i, r in drawn[drawn["unknown"].isin(["before", "after"])].iterrows():
        others = drawn[(drawn["row"] == r["row"]) & (drawn.index != i)]
        if r["unknown"] == "before":
            left = [float(e) for e in others["end"] if float(e) <= float(r["start"])]
            room = float(r["start"]) - max([lo, *left])
        else:
            right = [float(s) for s in others["start"] if float(s) >= float(r["end"])]
            room = min([hi, *right]) - float(r["end"])
        if room < need:
            out.at[i] = ""
    return out


def _anchor(start: Any, end: Any, text: str, *, lo: float, hi: float, part: str) -> tuple[str, float]:
    """Where a label goes: after its edge's start (``left``), before its end (``right``), or from the axis
    start (``left`` at ``lo``), the first that fits at :data:`MIN_PLOT_PX`."""
    need = len(text) * CHAR_PX
    px = lambda h: (h - lo) / (hi - lo) * MIN_PLOT_PX  # noqa: E731
    if start is None or pd.isna(start):
        # nothing drawn: the onset's words at the axis start, the recovery's at its end
        return ("left", lo) if part.endswith("beginn") or need > MIN_PLOT_PX else ("right", hi)
    start, end = float(start), float(end)
    if px(start) + need <= MIN_PLOT_PX:
        return "left", start
    if px(end) - need >= 0:
        return "right", end
    return "left", lo


def _label_rows(frame: pd.DataFrame, *, lo: float, hi: float) -> pd.DataFrame:
    """Two text lines per edge label (bounds, who says it), each anchored where it fits."""
    out = []
    for r in frame[frame["part"].str.startswith("text_")].to_dict("records"):
        edge = r["part"].removeprefix("text_")
        width_of = max(len(str(r["text"])), len(str(r["said"])))
        align, at = _anchor(r["start"], r["end"], "x" * width_of, lo=lo, hi=hi, part=r["part"])
        for line, words in (("1", r["text"]), ("2", r["said"])):
            if words:
                out.append({**r, "lane": f"{edge}{line}", "words": words, "align": align, "at": at, "line": line})
    return pd.DataFrame(out)


def timeline(frame: pd.DataFrame, *, lo: float, hi: float) -> dict[str, Any]:
    """The vertical timeline the site draws below :data:`TIMELINE_BELOW_PX` (same rows, same words).

    Returns:
        ``{"below": px, "lo": h, "hi": h, "days": [{"day": …, "rows": [{"platform", "state", "marks":
        [{"part", "from", "to", "cap_start", "cap_end", "unknown"}] (per cent of the axis), "lines":
        [{"text", "said"}]}]}]}``.
    """
    pct = lambda h: round((float(h) - lo) / (hi - lo) * 100, 2)  # noqa: E731
    days: list[dict[str, Any]] = []
    for (date, day), rows in frame.groupby(["date", "day"], sort=True):
        entries = []
        for _row, parts in rows.groupby("row", sort=False):
            marks = [
                {
                    "part": p["part"],
                    "from": pct(p["start"]),
                    "to": pct(p["end"]),
                    "cap_start": bool(p["cap_start"]),
                    "cap_end": bool(p["cap_end"]),
                    "unknown": p["unknown"],
                }
                for p in parts.to_dict("records")
                if p["part"] in ("sicher", "beginn", "ende")
            ]
            lines = [
                {"text": p["text"], "said": p["said"]}
                for p in parts.to_dict("records")
                if p["part"].startswith("text_")
            ]
            first = parts.iloc[0]
            entries.append({"platform": first["platform"], "state": first["state"], "marks": marks, "lines": lines})
        days.append({"date": date, "day": day, "rows": entries})
    return {"below": TIMELINE_BELOW_PX, "lo": lo, "hi": hi, "days": days}


def sequence_chart(
    data: pd.DataFrame, *, headline: str, description: str, day_hours: tuple[float, float], x_title: str
) -> alt.FacetChart | alt.Chart:
    """The Ablauf: per platform and day the known span, the uncertain edges and who says what.

    Args:
        data: One row per drawn part (:func:`incident.publish.exhibits.sequence_data`): ``row``
            (platform and day), ``date`` (ISO), ``day`` (German, the panel heading), ``platform``,
            ``state``, ``part`` (``sicher``/``beginn``/``ende`` drawn; ``text_beginn``/``text_ende``
            labels), ``start``, ``end`` (hours after the row's midnight), ``cap_start``, ``cap_end``,
            ``unknown`` (``before``/``after``/empty), ``text``, ``said``, ``label``, ``open`` and
            :data:`EVIDENCE`.
        headline: The finding (from the incident descriptor).
        description: Alt text.
        day_hours: ``(first, last)`` hour of the preferred view (the descriptor's day hours); widened to
            every drawn bound.
        x_title: Axis title naming the time zone, e.g. "Uhrzeit (MEZ, UTC+1)".

    Returns:
        A chart faceted by day; ``usermeta.timeline`` carries the narrow form.
    """
    columns = (
        "row", "date", "day", "platform", "state", "part", "start", "end",
        "cap_start", "cap_end", "unknown", "text", "said", "label", "open",
    )  # fmt: skip
    if empty_input(data, columns):
        # a selection of days or platforms without an episode: said, not an error
        return nothing_to_draw(
            "Für diese Auswahl belegen die Quellen keine Störung.",
            kind="sequence",
            headline=headline,
            description=description,
        )
    frame = check(data, columns, "sequence_chart")
    for col in ("start", "end"):
        frame[col] = pd.to_numeric(frame[col], errors="raise")
    for col in ("cap_start", "cap_end", "open"):
        frame[col] = frame[col].astype(str).str.lower().isin(["true", "1"])
    for col in ("text", "said", "unknown", "state"):
        frame[col] = frame[col].fillna("").astype(str)
    lo, hi = axis_hours(frame, day_hours)
    frame["unknown"] = _room_for_unknown(frame, lo=lo, hi=hi)
    heads = frame.drop_duplicates("row").assign(
        lane="kopf", words=lambda f: [f"{p}: {s}" if s else p for p, s in zip(f["platform"], f["state"])]
    )
    heads = heads.assign(part="kopf", align="left", at=lo, line="0", unknown="", cap_start=False, cap_end=False)
    marks = frame[frame["part"].isin(["sicher", "beginn", "ende"])].assign(lane="balken", words="", line="")
    marks = marks.assign(align="", at=marks["start"])
    texts = _label_rows(frame, lo=lo, hi=hi)
    rows = pd.concat([marks, heads, texts], ignore_index=True)
    order = list(dict.fromkeys(frame["row"]))
    rows["slot"] = rows["row"].map({r: i for i, r in enumerate(order)})

    scale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    step = 2 if hi - lo > 8 else 1
    first = int(math.ceil(lo))
    first += first % step if step == 2 else 0
    axis = alt.Axis(
        values=list(range(first, int(hi) + 1, step)),
        labelExpr="datum.value % 24 + ' Uhr'",
        labelFlush=True,
        orient="top",
        title=x_title,
        grid=True,
        domain=False,
        ticks=False,
        labelPadding=2,
    )
    x = alt.X("start:Q", scale=scale, axis=axis)
    y = alt.Y("row:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0.15, paddingOuter=0.05))
    lane = alt.YOffset("lane:N", scale=alt.Scale(domain=list(LANES), paddingInner=0))
    tooltips = [
        alt.Tooltip("platform:N", title="Plattform"),
        alt.Tooltip("day:N", title="Tag"),
        alt.Tooltip("label:N", title="Angabe"),
        *evidence_tooltips(),
    ]
    base = alt.Chart().encode(y=y, yOffset=lane)
    drawn = base.encode(x=x, tooltip=tooltips)
    edge_colour = alt.condition("datum.part == 'beginn'", alt.value(ONSET_COLOUR), alt.value(RECOVERY_COLOUR))
    # Layer 1: the known span, solid.
    known = drawn.transform_filter("datum.part == 'sicher'").mark_bar(height=9, color=CERTAIN_COLOUR).encode(x2="end:Q")
    # Layer 2: an uncertain edge's range, a whisker between its bounds.
    whisker = (
        drawn.transform_filter("(datum.part == 'beginn' || datum.part == 'ende') && datum.end > datum.start")
        .mark_rule(strokeWidth=2)
        .encode(x2="end:Q", color=edge_colour)
    )
    # Layers 3-4: the hard stops at the bounds (a stop where a piece of a multi-day edge meets midnight is left out).
    stops = []
    for field, flag in (("start", "cap_start"), ("end", "cap_end")):
        stops.append(
            base.transform_filter(f"(datum.part == 'beginn' || datum.part == 'ende') && datum.{flag}")
            .mark_tick(thickness=2, size=LANE_PX - 1)
            .encode(x=alt.X(f"{field}:Q", scale=scale, axis=axis), color=edge_colour, tooltip=tooltips)
        )
    # Layer 5: „unbekannt“ on the open side of an edge bounded on one side only.
    unknown_style = {"baseline": "middle", "fontSize": 10, "fontStyle": "italic", "color": "#333333"}
    open_words = [
        base.transform_filter("datum.unknown == 'before'")
        .mark_text(align="right", dx=-5, text=UNKNOWN_WORD, **unknown_style)
        .encode(x=alt.X("start:Q", scale=scale, axis=axis), tooltip=tooltips),
        base.transform_filter("datum.unknown == 'after'")
        .mark_text(align="left", dx=5, text=UNKNOWN_WORD, **unknown_style)
        .encode(x=alt.X("end:Q", scale=scale, axis=axis), tooltip=tooltips),
    ]
    # Layer 6: the row's heading (platform and state).
    heading = (
        base.transform_filter("datum.lane == 'kopf'")
        .mark_text(
            align="left",
            baseline="middle",
            fontSize=11,
            fontWeight="bold",
            color="#1a1a1a",
            limit=alt.ExprRef("child_width"),
        )
        .encode(x=alt.X("at:Q", scale=scale, axis=axis), text="words:N")
    )
    # Layers 7-8: each edge's label, its bounds in words (first line) and who says what (second line).
    label_colour = alt.condition("datum.line == '2'", alt.value("#555555"), alt.value("#1a1a1a"))
    edge_labels = [
        base.transform_filter(f"datum.line != '' && datum.line != '0' && datum.align == '{side}'")
        .mark_text(align=side, baseline="middle", fontSize=10, limit=alt.ExprRef("child_width"))
        .encode(x=alt.X("at:Q", scale=scale, axis=axis), text="words:N", color=label_colour, tooltip=tooltips)
        for side in ("left", "right")
    ]
    layered = alt.layer(known, whisker, *stops, *open_words, heading, *edge_labels, data=rows).properties(
        width=640 - 24, height={"step": LANE_PX}
    )
    days = list(dict.fromkeys(frame.sort_values("date")["day"]))
    chart = (
        layered.facet(
            row=alt.Row(
                "day:N",
                sort=days,
                title=None,
                header=left_header(size=13, padding=6, limit=0, bold=True),
            ),
            spacing=16,
        )
        .resolve_scale(y="independent")
        .resolve_axis(x="independent")
    )
    return finish_facet(
        chart,
        kind="sequence",
        headline=headline,
        description=description,
        data=data,
        extra={"timeline": timeline(frame, lo=lo, hi=hi)},
    )
