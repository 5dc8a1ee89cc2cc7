"""The published charts: one function per chart, one house theme, deterministic exhibits.

Every chart function takes one tidy :class:`pandas.DataFrame` (columns documented in
its docstring and in ``docs/charts.md``) and returns an Altair chart built from named,
commented layers. Every input frame carries the evidence columns :data:`EVIDENCE`
(``claim_ids``, ``sources``, ``phrase``, ``quote``), which feed the tooltips, the
source line under the chart and the provenance gate (:mod:`incident.publish.provenance`).

Time convention: every time column holds the **incident's wall-clock time as an ISO
string without offset** (``2030-03-11T08:00:00``), produced by :func:`wall_clock` after an
explicit conversion to the incident's zone; the Ablauf uses hours after the day's midnight.
Vega parses such strings as local time and formats them in local time, so the wall clock
shown is the incident's in every viewer's time zone; the axis title names the zone and its
offset (from the descriptor). The locale (``de-DE``) only changes formatting; it never
converts time zones. Headlines (the finding) and descriptions (alt text) are passed in;
no chart writes its own.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from incident import atomic, german
from incident.errors import ChartError

#: Evidence columns every chart input carries (tooltips, source line, provenance).
EVIDENCE: tuple[str, ...] = ("claim_ids", "sources", "phrase", "quote")

#: Okabe-Ito palette (colour-blind safe), black moved to the end.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Vega-Lite version the specs, the SVG fallbacks and the site's JS bundle agree on.
VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])

#: de-DE number and time format locales (d3 definitions shipped with vl-convert).
FORMAT_LOCALE: dict[str, Any] = vlc.get_format_locale("de-DE")
TIME_FORMAT_LOCALE: dict[str, Any] = vlc.get_time_format_locale("de-DE")

#: Format strings of the house style (d3-format / d3-time-format, rendered with de-DE).
NUMBER_FORMAT = ",d"  # 2.500
SHARE_FORMAT = ".0%"  # 40 %
TIME_FORMAT = "%H:%M Uhr"  # 14:00 Uhr
DAY_FORMAT = "%a %-d.%-m."  # Mo 11.1.
DATETIME_FORMAT = "%a %-d.%-m., %H:%M Uhr"  # Mo 11.1., 14:00 Uhr
#: Axis label for axes spanning several days: the day alone at midnight, else time and day on two lines.
DAY_TIME_LABEL = (
    f"hours(datum.value) == 0 && minutes(datum.value) == 0 ? timeFormat(datum.value, '{DAY_FORMAT}') : "
    f"[timeFormat(datum.value, '{TIME_FORMAT}'), timeFormat(datum.value, '{DAY_FORMAT}')]"
)

#: Width of the static SVG fallback (the live chart fills its container).
SVG_WIDTH = 640
#: Soft line length of the source line, in characters (fits 360 px at 11 px).
SOURCE_LINE_WIDTH = 46
#: Soft line length of a facet panel's heading, in characters (fits 360 px at 11 px).
HEADER_WRAP = 44
#: Pixels a faceted chart keeps free beside its panels (padding and a margin); see :func:`fit_width`.
FACET_RESERVE = 24
#: Narrowest panel a faceted chart is given.
MIN_PANEL_WIDTH = 160
#: The value scale of the figures panels runs to this multiple of the largest figure (room for its label).
VALUE_ROOM = 1.45

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


def house_config() -> dict[str, Any]:
    """Return the house theme as a Vega-Lite ``config`` object.

    Returns:
        Config with the de-DE locale, the Okabe-Ito palette, the system font stack and
        axis/legend defaults that stay readable from 360 px width.
    """
    return {
        "locale": {"number": FORMAT_LOCALE, "time": TIME_FORMAT_LOCALE},
        "font": FONT,
        "background": "#ffffff",
        "range": {"category": list(OKABE_ITO)},
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "labelColor": "#333333",
            "titleColor": "#333333",
            "gridColor": "#e6e6e6",
            "domainColor": "#888888",
            "tickColor": "#888888",
            "labelOverlap": True,
        },
        "legend": {
            "orient": "bottom",
            "direction": "horizontal",
            "labelFontSize": 11,
            "titleFontSize": 11,
            "titleFontWeight": "normal",
            "columns": 2,
            "labelLimit": 160,
        },
        "title": {
            "fontSize": 11,
            "fontWeight": "normal",
            "color": "#555555",
            "anchor": "start",
            "orient": "bottom",
            "offset": 12,
        },
        "text": {"fontSize": 11},
    }


def _theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(config=house_config())  # type: ignore[typeddict-item]


alt.theme.register("incident", enable=False)(_theme)

#: The registered Vega-Lite mimetype of notebook chart outputs (JupyterLab and the site read it).
VEGALITE_MIME = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"


def _mimetype_renderer(spec: dict, **metadata: Any) -> dict[str, Any]:
    """Altair's "mimetype" renderer under the registered mimetype.

    Altair 6.3's own renderer names the output ``application/vnd.vegalite.v6.json`` (a dot,
    not ``+json``), which nbformat refuses for a dict: every notebook cell that shows a chart
    then fails. Registered under the same name, so ``alt.renderers.enable("mimetype")``
    (:func:`incident.notebook.session`) gets this one once charts are imported.
    """
    headline = spec.get("usermeta", {}).get("headline", "") if isinstance(spec.get("usermeta"), dict) else ""
    return {VEGALITE_MIME: spec, "text/plain": f"<Grafik: {headline}>" if headline else "<Grafik>"}


alt.renderers.register("mimetype", _mimetype_renderer)


# --------------------------------------------------------------------------- helpers


def wall_clock(value: Any, tz: str) -> str:
    """Return a time as a wall-clock ISO string without offset in zone ``tz``.

    Args:
        value: A timestamp or ISO string; naive values are taken as wall-clock time in
            ``tz``, aware values are converted to ``tz``.
        tz: The incident's time zone.

    Returns:
        ``'YYYY-MM-DDTHH:MM:SS'``, or ``''`` for a missing value.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return ""
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz).tz_localize(None)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


#: Outlets named in a source line; the rest are counted ("und 12 weitere"), all are in the exhibit's CSV.
MAX_OUTLETS_SHOWN = 8


def short_outlet(outlet: str) -> str:
    """The outlet's name as a reader knows it, without the detail the data desk noted after it.

    Cut at the first parenthesis, comma or dash and before a note such as "text on …":
    ``'WAZ (Funke app copy)'`` → ``'WAZ'``, ``'Dülmener Zeitung (dzonline.de), dpa/lnw copy'``
    → ``'Dülmener Zeitung'``, ``'Rheinische Post – Wesel edition'`` → ``'Rheinische Post'``.
    """
    text = str(outlet).strip()
    short = re.split(r"\s*\(|,\s|\s[–—-]\s|\s+text on\s", text, maxsplit=1)[0].strip()
    return short or text


def source_line(data: pd.DataFrame, *, max_outlets: int = MAX_OUTLETS_SHOWN) -> str:
    """Return the source line ``'Quellen: A, B, C'`` from the outlets in ``data['sources']``.

    Outlets are named by their short name, each once; when there are more than
    ``max_outlets``, the most often cited are named and the rest counted, since the
    full list ships in the exhibit's CSV.

    Args:
        data: Chart input with a ``sources`` column (outlet names, ``'; '``-separated).
        max_outlets: How many outlets to name at most.

    Returns:
        The source line; named outlets sorted case-insensitively.
    """
    counts: dict[str, int] = {}
    for cell in data["sources"].fillna("").astype(str):
        for part in {short_outlet(x) for x in cell.split(";") if x.strip()}:
            counts[part] = counts.get(part, 0) + 1
    if not counts:
        raise ChartError("chart data names no source outlet; a chart needs a source line")
    shown = sorted(counts, key=lambda o: (-counts[o], o.casefold(), o))[:max_outlets]
    line = "Quellen: " + ", ".join(sorted(shown, key=lambda o: (o.casefold(), o)))
    if len(counts) > len(shown):
        line += f" und {len(counts) - len(shown)} weitere (alle in den Daten zur Grafik)"
    return line


def _source_title(data: pd.DataFrame) -> alt.TitleParams:
    lines = textwrap.wrap(source_line(data), width=SOURCE_LINE_WIDTH, break_long_words=False)
    return alt.TitleParams(text=lines, orient="bottom", anchor="start")


def _check(data: pd.DataFrame, columns: tuple[str, ...], chart: str) -> pd.DataFrame:
    missing = [c for c in (*columns, *EVIDENCE) if c not in data.columns]
    if missing:
        raise ChartError(f"{chart}: input lacks column(s) {', '.join(missing)}")
    if data.empty:
        raise ChartError(f"{chart}: input has no rows")
    # Only the columns the chart draws travel into the spec (keeps pages light).
    frame = data.loc[:, [*dict.fromkeys((*columns, *EVIDENCE))]].copy()
    for column in EVIDENCE:
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def _evidence_tooltips() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("sources:N", title="Quelle"),
        alt.Tooltip("phrase:N", title="Zeitangabe im Original"),
        alt.Tooltip("quote:N", title="Zitat"),
    ]


def _meta(kind: str, *, headline: str, description: str, data: pd.DataFrame, **extra: Any) -> dict[str, Any]:
    return {"chart": kind, "headline": headline, "description": description, "source_line": source_line(data), **extra}


def _finish(
    chart: alt.TopLevelMixin, *, kind: str, headline: str, description: str, data: pd.DataFrame, height: int
) -> alt.TopLevelMixin:
    """Apply the house frame: container width, height, source line, description, theme."""
    return chart.properties(
        width="container",
        height=height,
        title=_source_title(data),
        description=description,
        usermeta=_meta(kind, headline=headline, description=description, data=data),
    ).configure(**house_config())


def _finish_facet(
    chart: alt.TopLevelMixin, *, kind: str, headline: str, description: str, data: pd.DataFrame
) -> alt.TopLevelMixin:
    """The house frame of a faceted chart: Vega-Lite cannot size facets to a container, so
    ``usermeta.fit`` tells the site to set the panels' width from the container before embedding."""
    return chart.properties(
        title=_source_title(data),
        description=description,
        usermeta=_meta(
            kind,
            headline=headline,
            description=description,
            data=data,
            fit={"path": ["spec", "width"], "reserve": FACET_RESERVE},
        ),
    ).configure(**house_config())


def fit_width(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """A copy of ``spec`` sized for a container ``width`` pixels wide.

    ``width: "container"`` becomes ``width``; a faceted spec (``usermeta.fit``) gets its
    panels' width set to ``width`` minus the reserve. The site's script does the same in the
    browser (:file:`static/site.js`).
    """
    fixed = json.loads(json.dumps(spec))
    if fixed.get("width") == "container":
        fixed["width"] = width
    fit = fixed.get("usermeta", {}).get("fit")
    if fit:
        node = fixed
        for key in fit["path"][:-1]:
            node = node[key]
        node[fit["path"][-1]] = max(MIN_PANEL_WIDTH, width - int(fit["reserve"]))
    return fixed


# ---------------------------------------------------------------------------- charts

#: Lanes of one Ablauf row, top to bottom: heading, onset interval, certainly disrupted, recovery interval.
LANES: tuple[str, ...] = ("kopf", "beginn", "sicher", "ende")
#: Colours of the Ablauf: certainly disrupted (Okabe-Ito blue), onset and recovery intervals (light tints of
#: Okabe-Ito orange and bluish green, so a label written across them stays readable).
CERTAIN_COLOUR, ONSET_COLOUR, RECOVERY_COLOUR = OKABE_ITO[0], "#F2C14E", "#5CC2A2"
#: Legend text of the Ablauf's three bars.
SEQUENCE_LEGEND: dict[str, str] = {
    "sicher": "nach allen Angaben gestört",
    "beginn": "Beginn liegt in dieser Spanne",
    "ende": "Ende liegt in dieser Spanne",
}
#: Height of one lane of an Ablauf row, and of the bars in it, in pixels.
LANE_PX, BAR_PX = 14, 9
#: Average width of a 10 px character of the system font stack (an estimate on the wide side: DejaVu Sans):
#: an edge label is only drawn where this many pixels per character are free.
CHAR_PX = 6.3
#: The same for an 11 px bold character (row headings of the Ablauf).
HEAD_CHAR_PX = 7.2
#: The word an open edge is labelled with.
UNKNOWN_WORD = "unbekannt"


def _transparent(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0)"


def _fade(colour: str, *, inwards: bool) -> alt.Gradient:
    """A horizontal gradient from transparent to ``colour`` (``inwards``) or from ``colour`` to transparent."""
    stops = [alt.GradientStop(color=_transparent(colour), offset=0), alt.GradientStop(color=colour, offset=1)]
    if not inwards:
        stops = [alt.GradientStop(color=colour, offset=0), alt.GradientStop(color=_transparent(colour), offset=1)]
    return alt.Gradient(gradient="linear", x1=0, x2=1, y1=0, y2=0, stops=stops)


def _hour_axis(title: str, lo: float, hi: float, *, orient: str = "top") -> alt.Axis:
    step = 2 if hi - lo > 8 else 1
    first = int(math.ceil(lo))
    first += (first % step) if step == 2 else 0
    return alt.Axis(
        values=list(range(first, int(hi) + 1, step)),
        labelExpr="datum.value + ' Uhr'",
        labelFlush=True,
        orient=orient,
        title=title,
        grid=True,
        domain=False,
        ticks=False,
        labelPadding=4,
    )


def _nothing_to_draw(words: str, *, kind: str, headline: str, description: str) -> alt.Chart:
    """An exhibit with nothing to draw says so in one short line (it fits at 360 px); its headline and
    description travel in usermeta like every chart's, and its source line says there is no source."""
    return (
        alt.Chart(pd.DataFrame({"text": [words]}))
        .mark_text(fontSize=13, align="left", baseline="top")
        .encode(text="text:N", x=alt.value(0), y=alt.value(4))
        .properties(
            width="container",
            height=24,
            usermeta={
                "chart": kind,
                "headline": headline,
                "description": description,
                "source_line": "Quellen: keine für diese Auswahl",
            },
        )
    )


def sequence_chart(
    data: pd.DataFrame, *, headline: str, description: str, day_hours: tuple[float, float], x_title: str
) -> alt.LayerChart | alt.Chart:
    """The Ablauf: per platform and day what the sources allow about onset and recovery.

    Every row (platform and day) has its heading and three thin lanes, so the two uncertain
    edges never overlap however wide they are: on top the interval in which the onset lies
    (orange), in the middle the span in which the platform was disrupted by every bound
    (blue: after the latest onset and before the earliest recovery), below the interval in
    which the recovery lies (green). An edge no source bounds fades out towards the axis end
    and its label says „unbekannt“. Each edge is labelled with its bounds in words beside its
    band where the width allows (the full label, else the short one; an open edge without
    room for either still says „unbekannt“ at its faded end); an edge the sources fix to one
    moment is a tick. Nothing is drawn more precisely than the sources' phrases allow.

    Args:
        data: One row per drawn part (:func:`incident.publish.exhibits.sequence_data`):
            ``row`` (platform and day), ``platform``, ``day``, ``state``, ``part``
            (sicher/beginn/ende), ``start``, ``end`` (hours after the day's midnight),
            ``label``, ``text`` (the edge's label as drawn), ``short`` (its short form, drawn
            where the full one does not fit), ``open`` and :data:`EVIDENCE`.
        headline: The finding (from the incident descriptor).
        description: Alt text.
        day_hours: ``(first, last)`` hour of the axis (the descriptor's day hours).
        x_title: Axis title naming the time zone, e.g. "Uhrzeit (MEZ, UTC+1)".

    Returns:
        Layered chart.
    """
    columns = ("row", "platform", "day", "state", "part", "start", "end", "label", "text", "short", "open")
    if data.empty and all(c in data.columns for c in (*columns, *EVIDENCE)):
        # a selection of days or platforms without an episode: said, not an error
        return _nothing_to_draw(
            "Für diese Auswahl belegen die Quellen keine Störung.",
            kind="sequence",
            headline=headline,
            description=description,
        )
    frame = _check(data, columns, "sequence_chart")
    frame["open"] = frame["open"].astype(str).str.lower().isin(["true", "1"])
    lo, hi = day_hours
    # bounds beyond the axis (a recovery "by the end of the day") are drawn to its edge; the label keeps the text
    for col in ("start", "end"):
        frame[col] = pd.to_numeric(frame[col], errors="raise").clip(lo, hi)
    frame["lane"] = frame["part"]
    frame["legend"] = frame["part"].map(SEQUENCE_LEGEND)
    # the side with more room is tried first for the label; the browser decides what fits
    frame["right_first"] = (hi - frame["end"]) >= (frame["start"] - lo)
    rows = list(dict.fromkeys(frame["row"]))
    heads = frame.drop_duplicates("row").copy()
    heads["lane"], heads["part"], heads["start"], heads["end"] = "kopf", "kopf", lo, lo
    heads["text"] = [
        f"{p}, {d}: {s}" if s else f"{p}, {d}" for p, d, s in zip(heads["platform"], heads["day"], heads["state"])
    ]
    heads["short"] = [f"{p}, {d}" for p, d in zip(heads["platform"], heads["day"])]
    frame = pd.concat([frame, heads], ignore_index=True)

    scale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    x = alt.X("start:Q", scale=scale, axis=_hour_axis(x_title, lo, hi))
    y = alt.Y("row:N", sort=rows, axis=None, scale=alt.Scale(paddingInner=0.12, paddingOuter=0.04))
    lane = alt.YOffset("lane:N", sort=list(LANES), scale=alt.Scale(domain=list(LANES), paddingInner=0))
    tooltips = [
        alt.Tooltip("platform:N", title="Plattform"),
        alt.Tooltip("day:N", title="Tag"),
        alt.Tooltip("label:N", title="Angabe"),
        *_evidence_tooltips(),
    ]
    base = alt.Chart(frame).encode(y=y, yOffset=lane)
    bars = base.encode(x=x, x2="end:Q", tooltip=tooltips)
    colour = alt.Color(
        "legend:N",
        title=None,
        scale=alt.Scale(
            domain=[SEQUENCE_LEGEND[p] for p in ("sicher", "beginn", "ende")],
            range=[CERTAIN_COLOUR, ONSET_COLOUR, RECOVERY_COLOUR],
        ),
        legend=alt.Legend(orient="top", direction="vertical", columns=1, symbolType="square", labelLimit=300, offset=6),
    )
    closed = "!datum.open && datum.part != 'kopf' && (datum.part == 'sicher' || datum.end - datum.start >= 0.05)"
    # Layer 1: the spans (certainly disrupted, onset interval, recovery interval), each in its own lane.
    spans = bars.transform_filter(closed).mark_bar(height=BAR_PX).encode(color=colour)
    # Layer 2: an onset no source bounds from below fades in from the axis start.
    open_onset = bars.transform_filter("datum.open && datum.part == 'beginn'").mark_bar(
        height=BAR_PX, color=_fade(ONSET_COLOUR, inwards=True)
    )
    # Layer 3: a recovery no source bounds from above fades out to the axis end.
    open_recovery = bars.transform_filter("datum.open && datum.part == 'ende'").mark_bar(
        height=BAR_PX, color=_fade(RECOVERY_COLOUR, inwards=False)
    )
    # Layer 4: an edge the sources fix to one moment is a tick, not an invisible bar.
    exact = (
        base.transform_filter(
            "!datum.open && datum.part != 'kopf' && datum.part != 'sicher' && datum.end - datum.start < 0.05"
        )
        .mark_tick(thickness=3, size=LANE_PX - 2)
        .encode(x=x, color=colour, tooltip=tooltips)
    )
    # Layer 5: the row's heading (platform, day, state) on its own line.
    # (shorter forms where the width is short: without the state, then the platform alone)
    bold = f"* {HEAD_CHAR_PX}"
    head_text = (
        f"length(datum.text) {bold} <= width ? datum.text : length(datum.short) {bold} <= width ? "
        "datum.short : datum.platform"
    )
    heading = (
        base.transform_filter("datum.part == 'kopf'")
        .mark_text(
            align="left",
            baseline="middle",
            fontSize=11,
            fontWeight="bold",
            color="#1a1a1a",
            limit=alt.ExprRef("width"),
            text=alt.ExprRef(head_text),
        )
        .encode(x=alt.X("start:Q", scale=scale, axis=_hour_axis(None, lo, hi, orient="bottom")))
    )
    # Layers 6-9: each edge's bounds in words beside its band: the full label where it fits (the side with
    # more room first), else the short one; an open edge that has room for neither says „unbekannt“ at its
    # faded end. A label that is not chosen is drawn empty, so it takes no room.
    room = {"right": "(width - scale('x', datum.end) - 6)", "left": "(scale('x', datum.start) - 6)"}

    def fits(field: str, side: str) -> str:
        return f"({room[side]} >= length(datum.{field}) * {CHAR_PX})"

    order = [("text", "pref"), ("text", "other"), ("short", "pref"), ("short", "other")]

    def side_of(which: str, right_first: bool) -> str:
        return ("right" if right_first else "left") if which == "pref" else ("left" if right_first else "right")

    def chosen(k: int) -> str:
        """Whether candidate ``k`` of :data:`order` is the first that fits, for either preferred side."""
        terms = []
        for right_first in (True, False):
            field, which = order[k]
            mine = fits(field, side_of(which, right_first))
            earlier = [fits(f, side_of(w, right_first)) for f, w in order[:k]]
            cond = " && ".join([f"{'' if right_first else '!'}datum.right_first", mine, *[f"!{e}" for e in earlier]])
            terms.append(f"({cond})")
        return " || ".join(terms)

    any_fits = " || ".join(f"({chosen(k)})" for k in range(len(order)))
    edge = base.transform_filter("(datum.part == 'beginn' || datum.part == 'ende') && datum.text != ''")
    text_style = {"baseline": "middle", "fontSize": 10, "color": "#1a1a1a"}
    labels = []
    for side, align, dx, field in (("right", "left", 4, "end"), ("left", "right", -4, "start")):
        # one layer per side: its text is whichever candidate was chosen for this side
        picks = [
            f"({chosen(k)}) && {'' if side == 'right' else '!'}datum.right_first == {str(w == 'pref').lower()}"
            for k, (f, w) in enumerate(order)
        ]
        expr = "".join(f"({p}) ? datum.{order[k][0]} : " for k, p in enumerate(picks)) + "''"
        labels.append(
            edge.mark_text(
                align=align, dx=dx, limit=alt.ExprRef(f"max(1, {room[side]})"), text=alt.ExprRef(expr), **text_style
            ).encode(x=alt.X(f"{field}:Q", scale=scale, axis=None), tooltip=tooltips)
        )
    # the last resort of an open edge: „unbekannt“ at its faded end
    for part, field, align, dx in (("beginn", "start", "left", 2), ("ende", "end", "right", -2)):
        labels.append(
            edge.transform_filter(f"datum.open && datum.part == '{part}'")
            .mark_text(
                align=align,
                dx=dx,
                limit=alt.ExprRef("width"),
                text=alt.ExprRef(f"({any_fits}) ? '' : '{UNKNOWN_WORD}'"),
                **text_style,
            )
            .encode(x=alt.X(f"{field}:Q", scale=scale, axis=None), tooltip=tooltips)
        )
    chart = alt.layer(spans, open_onset, open_recovery, exact, heading, *labels)
    return _finish(
        chart,
        kind="sequence",
        headline=headline,
        description=description,
        data=data,
        height=len(rows) * (len(LANES) * LANE_PX + 4),
    )


def _wrap_lines(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


#: Outlets named under a figure; the rest are counted (all are in the tooltip and the exhibit's CSV).
OUTLETS_PER_FIGURE = 2
#: Characters the outlet line under a figure may take (fits a 360 px screen at 10 px).
SAID_WIDTH = 50


def _said(sources: str, *, width: int = SAID_WIDTH) -> str:
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


def _panel_rows(order: list[str]) -> alt.Row:
    """One small panel per value of ``panel``, its (possibly two-line) label left above it."""
    return alt.Row(
        "panel:N",
        sort=order,
        title=None,
        header=alt.Header(
            labelAngle=0,
            labelAlign="left",
            labelAnchor="start",
            labelOrient="top",
            labelFontSize=11,
            labelLimit=0,
            labelPadding=2,
            labelExpr="split(datum.value, '\\n')",
        ),
    )


def quantities_chart(data: pd.DataFrame, *, headline: str, description: str) -> alt.FacetChart:
    """Figures the sources report, one small panel per quantity so that every panel has one unit.

    Each panel names the quantity and its unit above its bars; each figure is a bar with
    its value in de-DE written after it and the outlets that report it under it, so no
    axis is needed (the values are exact as reported). The site sizes the panels to the column (``usermeta.fit``).

    Args:
        data: One row per figure (:func:`incident.publish.exhibits.quantity_data`): ``quantity``
            (German short label), ``unit`` (German), ``value``, ``value_text`` (verbatim),
            ``time`` (German day or bounds) and :data:`EVIDENCE`.
        headline: The finding (from the descriptor).
        description: Alt text.

    Returns:
        A chart faceted by quantity.
    """
    columns = ("quantity", "unit", "value", "value_text", "time")
    if data.empty and all(c in data.columns for c in (*columns, *EVIDENCE)):
        # a selection of platforms without a figure: said, not an error
        return _nothing_to_draw(
            "Für diese Auswahl nennen die Quellen keine Zahlen.",
            kind="quantities",
            headline=headline,
            description=description,
        )
    frame = _check(data, columns, "quantities_chart")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    frame["panel"] = [
        _wrap_lines(f"{q} ({u})" if u else q, HEADER_WRAP) for q, u in zip(frame["quantity"], frame["unit"])
    ]
    frame["shown"] = [german.number(v) for v in frame["value"]]
    frame["said"] = [_said(s) for s in frame["sources"]]
    frame["slot"] = frame.groupby("panel").cumcount().astype(str)
    order = list(dict.fromkeys(frame["panel"]))
    # room after the longest bar for its value: the scale runs to VALUE_ROOM times the largest figure
    frame["room"] = frame.groupby("panel")["value"].transform("max") * VALUE_ROOM
    # two lines per figure: the bar with its value, and under it who reports it
    frame = pd.concat([frame.assign(line="zahl"), frame.assign(line="laut")], ignore_index=True)
    base = alt.Chart(frame).encode(
        y=alt.Y("slot:N", axis=None, title=None),
        yOffset=alt.YOffset("line:N", sort=["zahl", "laut"], scale=alt.Scale(domain=["zahl", "laut"])),
        tooltip=[
            alt.Tooltip("quantity:N", title="Größe"),
            alt.Tooltip("shown:N", title="Zahl"),
            alt.Tooltip("value_text:N", title="Im Wortlaut"),
            alt.Tooltip("time:N", title="Zeit"),
            *_evidence_tooltips(),
        ],
    )
    x = alt.X("value:Q", title=None, axis=None, scale=alt.Scale(zero=True, nice=False))
    figure, said = base.transform_filter("datum.line == 'zahl'"), base.transform_filter("datum.line == 'laut'")
    # Layer 1: one bar per reported figure.
    bars = figure.mark_bar(color=OKABE_ITO[5], height=12).encode(x=x)
    # Layer 2: the figure in de-DE after its bar.
    values = figure.mark_text(
        align="left", dx=4, baseline="middle", color="#1a1a1a", fontSize=11, fontWeight="bold"
    ).encode(x=x, text="shown:N")
    # Layer 3: who reports it, under the bar (shortened to the panel's width if need be).
    outlets = said.mark_text(
        align="left", baseline="middle", color="#555555", fontSize=10, limit=alt.ExprRef("child_width")
    ).encode(x=alt.X("zero:Q", title=None, axis=None), text="said:N")
    # Layer 4: an invisible point that keeps room for the value after the longest bar.
    room = figure.mark_point(opacity=0, size=1).encode(x=alt.X("room:Q", title=None, axis=None))
    layered = (
        alt.layer(bars, values, outlets, room)
        .transform_calculate(zero="0")
        .properties(width=SVG_WIDTH - FACET_RESERVE, height={"step": 15})
    )
    chart = layered.facet(row=_panel_rows(order), spacing=10).resolve_scale(x="independent", y="independent")
    return _finish_facet(chart, kind="quantities", headline=headline, description=description, data=data)


def statements_chart(data: pd.DataFrame, *, headline: str, description: str, x_title: str) -> alt.LayerChart:
    """What operators and authorities said against what users and reporters reported, over time.

    Every statement and report is drawn over the whole span its phrase names (a phrase
    that names only a day covers that day), never at an invented moment.

    Args:
        data: One row per claim (:func:`incident.publish.exhibits.statements_data`): ``platform``,
            ``start``, ``end`` (wall clock), ``kind``, ``stance``, ``span`` and :data:`EVIDENCE`.
        headline: The finding.
        description: Alt text.
        x_title: Axis title naming the time zone.

    Returns:
        Layered chart.
    """
    columns = ("platform", "start", "end", "kind", "stance", "span")
    if data.empty and all(c in data.columns for c in (*columns, *EVIDENCE)):
        # a selection without a statement or report: said, not an error
        return _nothing_to_draw(
            "Für diese Auswahl gibt es keine Aussagen.", kind="statements", headline=headline, description=description
        )
    frame = _check(data, columns, "statements_chart")
    platforms = list(dict.fromkeys(frame["platform"]))
    stances = sorted(frame["stance"].unique(), key=str.casefold)
    frame["row"] = frame["platform"]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "start:T",
            title=x_title,
            axis=alt.Axis(labelExpr=DAY_TIME_LABEL, tickCount=4, labelFlush=True, labelOverlap=True, labelBound=True),
        ),
        y=alt.Y(
            "row:N",
            title=None,
            sort=platforms,
            axis=alt.Axis(labelLimit=110, labelPadding=4),
            scale=alt.Scale(paddingInner=0.2),
        ),
        yOffset=alt.YOffset("kind:N", sort=["Betreiber oder Behörde", "Meldung"]),
        color=alt.Color(
            "stance:N",
            title=None,
            sort=stances,
            legend=alt.Legend(orient="bottom", direction="vertical", columns=1, labelLimit=300),
        ),
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("kind:N", title="Wer"),
            alt.Tooltip("stance:N", title="Aussage"),
            alt.Tooltip("span:N", title="Zeitangabe"),
            *_evidence_tooltips(),
        ],
    )
    # Layer 1: spans (a phrase that names a part of the day or the whole day).
    spans = base.transform_filter("datum.end > datum.start").mark_bar(opacity=0.6, height=6).encode(x2="end:T")
    # Layer 2: exact moments.
    points = base.transform_filter("datum.end <= datum.start").mark_point(filled=True, size=50, shape="diamond")
    chart = alt.layer(spans, points)
    return _finish(
        chart,
        kind="statements",
        headline=headline,
        description=description,
        data=data,
        height=max(140, 44 * len(platforms)),
    )


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
    if data.empty and all(c in data.columns for c in (*columns, *EVIDENCE)):
        # no quantity with figures that exclude each other: the exhibit says so instead of drawing nothing
        return _nothing_to_draw(
            "Keine Zahlen, die sich ausschließen.", kind="figures", headline=headline, description=description
        )
    frame = _check(data, columns, "figures_chart")
    frame["factor"] = pd.to_numeric(frame["factor"], errors="raise")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    if (frame["value"] <= 0).any() or (frame["factor"] < 1).any():
        raise ChartError("figures_chart: every figure must be positive and every factor at least 1")
    frame["panel"] = [_wrap_lines(q, HEADER_WRAP) for q in frame["quantity"]]
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
                *_evidence_tooltips(),
            ],
        )
    )
    layered = alt.layer(spread, points).properties(width=SVG_WIDTH - FACET_RESERVE, height=18)
    chart = layered.facet(row=_panel_rows(order), spacing=8)
    return _finish_facet(chart, kind="figures", headline=headline, description=description, data=data)


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
    frame = _check(data, ("platform", "half_day", "n_sources"), "coverage_chart")
    frame["n_sources"] = pd.to_numeric(frame["n_sources"], errors="raise").astype(int)
    platforms = list(dict.fromkeys(frame["platform"]))
    base = alt.Chart(frame).encode(
        x=alt.X(
            "half_day:O",
            title=None,
            sort=half_days,
            scale=alt.Scale(domain=half_days),
            axis=alt.Axis(labelAngle=-90, labelFontSize=10, labelOverlap=False, labelPadding=4),
        ),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=110)),
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("half_day:N", title="Halbtag"),
            alt.Tooltip("n_sources:Q", title="Unabhängige Quellen", format=NUMBER_FORMAT),
            *_evidence_tooltips(),
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
    return _finish(
        chart,
        kind="coverage",
        headline=headline,
        description=description,
        data=data,
        height=max(140, 30 * len(platforms)),
    )


#: Exhibit kind → chart function.
CHARTS: dict[str, Any] = {
    "sequence": sequence_chart,
    "quantities": quantities_chart,
    "statements": statements_chart,
    "figures": figures_chart,
    "coverage": coverage_chart,
}


# -------------------------------------------------------------------------- exhibits


def spec_json(spec: dict[str, Any]) -> str:
    """Serialise a spec deterministically (sorted keys, two-space indent, final newline)."""
    return json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def render_svg(spec: dict[str, Any], *, width: int = SVG_WIDTH) -> str:
    """Render the static SVG fallback of a spec offline with the de-DE locale.

    Args:
        spec: Vega-Lite spec, sized for ``width`` by :func:`fit_width`.
        width: Pixel width of the fallback.

    Returns:
        SVG text.
    """
    fixed = fit_width(spec, width)
    svg = vlc.vegalite_to_svg(fixed, vl_version=VL_VERSION, format_locale="de-DE", time_format_locale="de-DE")
    return _stable_ids(svg)


def _stable_ids(svg: str) -> str:
    """Renumber the SVG's element ids in order of appearance.

    Vega numbers gradients and clip paths with a counter that lives as long as the
    renderer process, so the same chart gets ``gradient_0`` or ``gradient_3`` depending
    on what was rendered before; renumbering makes the file depend on the chart only.
    """
    ids = list(dict.fromkeys(re.findall(r'\sid="([^"]+)"', svg)))
    mapping = {old: f"x{index}-{re.sub(r'[^a-z]+', '', old.lower())[:12]}" for index, old in enumerate(ids)}
    if not mapping:
        return svg
    pattern = re.compile(r'(\sid="|url\(#|href="#)(' + "|".join(re.escape(i) for i in ids) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


def save_exhibit(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, *, folder: Path) -> dict[str, Path]:
    """Write a chart's spec, data and SVG fallback to ``paths.exhibits``.

    Writes ``<name>.vl.json`` (sorted keys), ``<name>.csv`` (the chart's input, LF
    line ends) and ``<name>.svg`` (rendered offline). The output is byte-identical
    across runs: no timestamps, no random ids.

    Args:
        chart: The chart returned by a chart function.
        data: The frame the chart was built from.
        name: Exhibit name (``[a-z0-9-]+``).
        folder: Where the exhibit goes (``paths.exhibits`` for a ``make report`` run; a
            scratch folder for an editor's run, see :mod:`incident.notebook`).

    Returns:
        The written files by kind (``'spec'``, ``'csv'``, ``'svg'``).
    """
    if not name or not all(c.isascii() and (c.isalnum() or c == "-") for c in name) or name != name.lower():
        raise ChartError(f"exhibit name {name!r} must be lowercase ASCII letters, digits and '-'")
    spec = chart.to_dict()
    spec.setdefault("usermeta", {})["exhibit"] = name
    folder = Path(folder)
    files = {"spec": folder / f"{name}.vl.json", "csv": folder / f"{name}.csv", "svg": folder / f"{name}.svg"}
    atomic.write_text(files["csv"], data.to_csv(index=False, lineterminator="\n"))
    atomic.write_text(files["svg"], render_svg(spec))
    atomic.write_text(files["spec"], spec_json(spec))  # last: the site looks for specs
    return files
