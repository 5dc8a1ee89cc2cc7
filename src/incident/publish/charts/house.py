"""The house frame every chart shares: theme, palette, locale, formats, source line, width fitting."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

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
#: The mimetypes a notebook's chart output may carry (this Altair's, and the one before).
VEGA_MIMES: tuple[str, ...] = ("application/vnd.vegalite.v6+json", "application/vnd.vegalite.v5+json")


def _mimetype_renderer(spec: dict, **metadata: Any) -> dict[str, Any]:
    """Altair's "mimetype" renderer under the registered mimetype.

    Altair 6.3's own renderer names the output ``application/vnd.vegalite.v6.json`` (a dot,
    not ``+json``), which nbformat refuses for a dict: every notebook cell that shows a chart
    then fails. Registered under the same name, so ``alt.renderers.enable("mimetype")``
    (:func:`incident.notebook.session`) gets this one once charts are imported.
    """
    return {VEGALITE_MIME: spec, "text/plain": plain_text(spec)}


def plain_text(spec: dict) -> str:
    """A chart output's plain-text form: ``<Grafik: headline>`` (the headline from ``usermeta``)."""
    headline = spec.get("usermeta", {}).get("headline", "") if isinstance(spec.get("usermeta"), dict) else ""
    return f"<Grafik: {headline}>" if headline else "<Grafik>"


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


def empty_input(data: pd.DataFrame, columns: tuple[str, ...]) -> bool:
    """A well-formed input without rows (a selection with nothing to draw): said, not an error."""
    return data.empty and all(c in data.columns for c in (*columns, *EVIDENCE))


def check(data: pd.DataFrame, columns: tuple[str, ...], chart: str) -> pd.DataFrame:
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


def evidence_tooltips() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("sources:N", title="Quelle"),
        alt.Tooltip("phrase:N", title="Zeitangabe im Original"),
        alt.Tooltip("quote:N", title="Zitat"),
    ]


def _meta(kind: str, *, headline: str, description: str, data: pd.DataFrame, **extra: Any) -> dict[str, Any]:
    return {"chart": kind, "headline": headline, "description": description, "source_line": source_line(data), **extra}


def finish(
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


def finish_facet(
    chart: alt.TopLevelMixin,
    *,
    kind: str,
    headline: str,
    description: str,
    data: pd.DataFrame,
    extra: dict[str, Any] | None = None,
    reserve: int = 0,
) -> alt.TopLevelMixin:
    """The house frame of a faceted chart: Vega-Lite cannot size facets to a container, so
    ``usermeta.fit`` tells the site to set the panels' width from the container before embedding.
    ``extra`` goes into ``usermeta`` as well (the Ablauf's narrow timeline); ``reserve`` keeps more pixels
    free beside the panels (labels right of them)."""
    return chart.properties(
        title=_source_title(data),
        description=description,
        usermeta=_meta(
            kind,
            headline=headline,
            description=description,
            data=data,
            fit={"path": ["spec", "width"], "reserve": FACET_RESERVE + reserve},
            **(extra or {}),
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


def nothing_to_draw(words: str, *, kind: str, headline: str, description: str) -> alt.Chart:
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


def left_header(*, size: int, padding: int, limit, bold: bool = False, expr: str | None = None) -> alt.Header:
    """A facet row's label left above its panel (the Ablauf's days, the statements' platforms, the figures)."""
    extra = {"labelFontWeight": "bold"} if bold else {}
    if expr is not None:
        extra["labelExpr"] = expr
    return alt.Header(
        labelAngle=0,
        labelAlign="left",
        labelAnchor="start",
        labelOrient="top",
        labelFontSize=size,
        labelPadding=padding,
        labelLimit=limit,
        **extra,
    )
