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

from incident import atomic
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
#: Two-line axis label for axes spanning several days.
DAY_TIME_LABEL = f"[timeFormat(datum.value, '{TIME_FORMAT}'), timeFormat(datum.value, '{DAY_FORMAT}')]"

#: Width of the static SVG fallback (the live chart fills its container).
SVG_WIDTH = 640
#: Soft line length of the source line, in characters (fits 360 px at 11 px).
SOURCE_LINE_WIDTH = 52

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
    """Outlet name without its parenthetical detail (``'WAZ (Funke app copy)'`` → ``'WAZ'``)."""
    return re.sub(r"\s*\([^)]*\)", "", outlet).strip() or outlet.strip()


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


def _finish(
    chart: alt.TopLevelMixin, *, headline: str, description: str, data: pd.DataFrame, height: int
) -> alt.TopLevelMixin:
    """Apply the house frame: container width, height, source line, description, theme."""
    return chart.properties(
        width="container",
        height=height,
        title=_source_title(data),
        description=description,
        usermeta={"headline": headline, "description": description, "source_line": source_line(data)},
    ).configure(**house_config())


# ---------------------------------------------------------------------------- charts


def _hour_axis(title: str, lo: float, hi: float) -> alt.X:
    return alt.X(
        "start:Q", title=title, scale=alt.Scale(domain=[lo, hi], nice=False, zero=False),
        axis=alt.Axis(values=list(range(int(math.ceil(lo)), int(hi) + 1, 2)), labelExpr="datum.value + ' Uhr'",
                      labelFlush=True),
    )


def sequence_chart(data: pd.DataFrame, *, headline: str, description: str, day_hours: tuple[float, float],
                   x_title: str) -> alt.LayerChart:
    """The Ablauf: per platform and day what the sources allow about onset and recovery.

    Layers: ``sicher`` (solid bar: after the latest onset and before the earliest recovery,
    the platform was disrupted by every bound), ``beginn`` and ``ende`` (faded bars over the
    interval in which the onset or the recovery lies), open edges fading out and labelled
    „unbekannt“. Nothing is drawn more precisely than the sources' phrases allow.

    Args:
        data: One row per drawn part (:func:`incident.publish.exhibits.sequence_data`):
            ``row`` (platform and day, two lines), ``part`` (sicher/beginn/ende), ``start``,
            ``end`` (hours after the day's midnight), ``label``, ``open`` and :data:`EVIDENCE`.
        headline: The finding (from the incident descriptor).
        description: Alt text.
        day_hours: ``(first, last)`` hour of the axis (the descriptor's day hours).
        x_title: Axis title naming the time zone, e.g. "Uhrzeit (MEZ, UTC+1)".

    Returns:
        Layered chart.
    """
    frame = _check(data, ("row", "part", "start", "end", "label", "open"), "sequence_chart")
    frame["open"] = frame["open"].astype(str).str.lower().isin(["true", "1"])
    frame["text"] = [("unbekannt" if o else "") for o in frame["open"]]
    rows = list(dict.fromkeys(frame["row"]))
    lo, hi = day_hours
    # bounds beyond the axis (a recovery "by the end of the day") are drawn to its edge; the label keeps the text
    for col in ("start", "end"):
        frame[col] = pd.to_numeric(frame[col], errors="raise").clip(lo, hi)
    x = _hour_axis(x_title, lo, hi)
    y = alt.Y("row:N", title=None, sort=rows,
              axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=140, labelPadding=6))
    tooltips = [alt.Tooltip("platform:N", title="Plattform"), alt.Tooltip("day:N", title="Tag"),
                alt.Tooltip("label:N", title="Angabe"), *_evidence_tooltips()]
    base = alt.Chart(frame).encode(y=y, tooltip=tooltips)
    colour = OKABE_ITO[0]
    fade_in = alt.Gradient(gradient="linear", x1=0, x2=1, y1=0, y2=0,
                           stops=[alt.GradientStop(color="#ffffff", offset=0), alt.GradientStop(color=colour, offset=1)])
    fade_out = alt.Gradient(gradient="linear", x1=0, x2=1, y1=0, y2=0,
                            stops=[alt.GradientStop(color=colour, offset=0), alt.GradientStop(color="#ffffff", offset=1)])
    # Layer 1: the interval in which the onset or the recovery lies (uncertain edge).
    edges = (base.transform_filter("!datum.open && datum.part != 'sicher'")
             .mark_bar(opacity=0.35, color=colour, height={"band": 0.55})
             .encode(x=x, x2="end:Q"))
    # Layer 2: an onset no source bounds from below fades in from the left.
    open_onset = (base.transform_filter("datum.open && datum.part == 'beginn'")
                  .mark_bar(opacity=0.5, color=fade_in, height={"band": 0.55})
                  .encode(x=x, x2="end:Q"))
    # Layer 3: a recovery no source bounds from above fades out to the right.
    open_recovery = (base.transform_filter("datum.open && datum.part == 'ende'")
                     .mark_bar(opacity=0.5, color=fade_out, height={"band": 0.55})
                     .encode(x=x, x2="end:Q"))
    # Layer 4: certainly disrupted, by every bound.
    certain = (base.transform_filter("datum.part == 'sicher'")
               .mark_bar(color=colour, height={"band": 0.55})
               .encode(x=x, x2="end:Q"))
    # Layer 5: an edge the sources fix to one moment is a tick, not an invisible bar.
    exact = (base.transform_filter("!datum.open && datum.part != 'sicher' && datum.end - datum.start < 0.05")
             .mark_tick(color=colour, thickness=3, size=22)
             .encode(x=x))
    # Layer 6: "unbekannt" written at an open end, inside the plot.
    unknown_onset = (base.transform_filter("datum.open && datum.part == 'beginn'")
                     .mark_text(align="left", dx=3, fontSize=10, color="#333333")
                     .encode(x=x, text="text:N"))
    unknown_recovery = (base.transform_filter("datum.open && datum.part == 'ende'")
                        .mark_text(align="right", dx=-3, fontSize=10, color="#333333")
                        .encode(x=alt.X("end:Q", scale=alt.Scale(domain=[lo, hi], nice=False, zero=False)),
                                text="text:N"))
    chart = alt.layer(edges, open_onset, open_recovery, certain, exact, unknown_onset, unknown_recovery)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(120, 46 * len(rows)))


def quantities_chart(data: pd.DataFrame, *, headline: str, description: str) -> alt.FacetChart:
    """Figures the sources report, one small panel per quantity so that every axis has one unit.

    Args:
        data: One row per figure (:func:`incident.publish.exhibits.quantity_data`): ``quantity``
            (German short label), ``unit`` (German), ``value``, ``value_text`` (verbatim),
            ``time`` and :data:`EVIDENCE`.
        headline: The finding (from the descriptor).
        description: Alt text.

    Returns:
        A chart faceted by quantity, each with its own x axis.
    """
    frame = _check(data, ("quantity", "unit", "value", "value_text", "time"), "quantities_chart")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    frame["panel"] = frame["quantity"] + " (" + frame["unit"] + ")"
    order = list(dict.fromkeys(frame["panel"]))
    base = alt.Chart(frame).encode(
        x=alt.X("value:Q", title=None, axis=alt.Axis(format=NUMBER_FORMAT, tickCount=3, labelFlush=True),
                scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("quantity:N", title="Größe"), alt.Tooltip("value:Q", title="Wert", format=NUMBER_FORMAT),
                 alt.Tooltip("value_text:N", title="Angabe im Original"), alt.Tooltip("time:N", title="Zeit"),
                 *_evidence_tooltips()],
    )
    # Layer 1: one bar per reported figure.
    bars = base.mark_bar(color=OKABE_ITO[5], height=18)
    # Layer 2: the figure in de-DE format, inside the bar's end.
    values = base.mark_text(align="right", dx=-4, color="#ffffff", fontWeight="bold").encode(
        text=alt.Text("value:Q", format=NUMBER_FORMAT))
    layered = alt.layer(bars, values).properties(width=SVG_WIDTH - 80, height=28)
    chart = layered.facet(
        row=alt.Row("panel:N", sort=order, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontSize=12, labelLimit=SVG_WIDTH - 40)),
        spacing=14,
    ).resolve_scale(x="independent")
    return chart.properties(
        title=_source_title(frame), description=description,
        usermeta={"headline": headline, "description": description, "source_line": source_line(frame)},
    ).configure(**house_config())


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
    frame = _check(data, ("platform", "start", "end", "kind", "stance", "span"), "statements_chart")
    platforms = list(dict.fromkeys(frame["platform"]))
    stances = sorted(frame["stance"].unique(), key=str.casefold)
    base = alt.Chart(frame).encode(
        x=alt.X("start:T", title=x_title, axis=alt.Axis(labelExpr=DAY_TIME_LABEL, tickCount=5, labelFlush=True)),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=120)),
        yOffset=alt.YOffset("kind:N", sort=["Betreiber oder Behörde", "Meldung"]),
        color=alt.Color("stance:N", title=None, sort=stances,
                        legend=alt.Legend(orient="bottom", direction="vertical", columns=1, labelLimit=260)),
        tooltip=[alt.Tooltip("platform:N", title="Plattform"), alt.Tooltip("kind:N", title="Wer"),
                 alt.Tooltip("stance:N", title="Aussage"), alt.Tooltip("span:N", title="Zeitangabe"),
                 *_evidence_tooltips()],
    )
    # Layer 1: spans (a phrase that names a part of the day or the whole day).
    spans = base.transform_filter("datum.end > datum.start").mark_bar(opacity=0.55, height=6).encode(x2="end:T")
    # Layer 2: exact moments.
    points = base.transform_filter("datum.end <= datum.start").mark_point(filled=True, size=60, shape="diamond")
    chart = alt.layer(spans, points)
    return _finish(chart, headline=headline, description=description, data=frame,
                   height=max(140, 54 * len(platforms)))


def figures_chart(data: pd.DataFrame, *, headline: str, description: str) -> alt.LayerChart:
    """One quantity, several figures: each figure as a multiple of the smallest for its quantity.

    One axis, one unit (the factor), whatever each quantity counts.

    Args:
        data: One row per figure (:func:`incident.publish.exhibits.figures_data`): ``quantity``
            (German label), ``value``, ``factor`` (≥ 1), ``value_text``, ``unit``, ``counted``
            and :data:`EVIDENCE`.
        headline: The finding.
        description: Alt text.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("quantity", "value", "factor", "value_text", "unit", "counted"), "figures_chart")
    frame["factor"] = pd.to_numeric(frame["factor"], errors="raise")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    quantities = list(dict.fromkeys(frame["quantity"]))
    y = alt.Y("quantity:N", title=None, sort=quantities, axis=alt.Axis(labelLimit=150, labelExpr=(
        "length(datum.label) > 38 ? substring(datum.label, 0, 37) + '…' : datum.label")))
    x_title = "Vielfaches der kleinsten genannten Zahl"
    scale = alt.Scale(zero=False, nice=True, domainMin=1)
    x = alt.X("factor:Q", title=x_title, scale=scale, axis=alt.Axis(format=".2~f", tickCount=4))
    # Layer 1: the spread from the smallest to the largest figure of a quantity.
    spread = alt.Chart(frame).mark_rule(color="#999999", strokeWidth=3).encode(
        y=y, x=alt.X("min(factor):Q", title=x_title, scale=scale), x2="max(factor):Q")
    # Layer 2: one point per figure.
    points = alt.Chart(frame).mark_point(filled=True, size=90, opacity=0.9, color=OKABE_ITO[5]).encode(
        y=y, x=x, tooltip=[alt.Tooltip("quantity:N", title="Größe"),
                           alt.Tooltip("value:Q", title="Zahl", format=NUMBER_FORMAT),
                           alt.Tooltip("value_text:N", title="Angabe im Original"),
                           alt.Tooltip("counted:N", title="Gezählt wurde"), *_evidence_tooltips()])
    chart = alt.layer(spread, points)
    return _finish(chart, headline=headline, description=description, data=frame,
                   height=max(120, 44 * len(quantities)))


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
        x=alt.X("half_day:O", title=None, sort=half_days, scale=alt.Scale(domain=half_days),
                axis=alt.Axis(labelAngle=-90, labelFontSize=10, labelOverlap=False)),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=120)),
        tooltip=[alt.Tooltip("platform:N", title="Plattform"), alt.Tooltip("half_day:N", title="Halbtag"),
                 alt.Tooltip("n_sources:Q", title="Unabhängige Quellen", format=NUMBER_FORMAT),
                 *_evidence_tooltips()],
    )
    # Layer 1: the cell, darker for more independent sources.
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color("n_sources:Q", title="Unabhängige Quellen", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(format=NUMBER_FORMAT, tickCount=3, gradientLength=120)))
    # Layer 2: the number of sources in the cell.
    numbers = base.mark_text(fontSize=11).encode(
        text=alt.Text("n_sources:Q", format=NUMBER_FORMAT),
        color=alt.condition(alt.datum.n_sources >= 3, alt.value("#ffffff"), alt.value("#000000")))
    chart = alt.layer(cells, numbers)
    return _finish(chart, headline=headline, description=description, data=frame,
                   height=max(140, 40 * len(platforms)))


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
        spec: Vega-Lite spec (``width: 'container'`` is replaced by ``width``).
        width: Pixel width of the fallback.

    Returns:
        SVG text.
    """
    fixed = dict(spec)
    if fixed.get("width") == "container":
        fixed["width"] = width
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
