"""The published charts: one function per chart, one house theme, deterministic exhibits.

Every chart function takes one tidy :class:`pandas.DataFrame` (columns documented in
its docstring and in ``docs/charts.md``) and returns an Altair chart built from named,
commented layers. Every input frame carries the evidence columns :data:`EVIDENCE`
(``claim_ids``, ``sources``, ``phrase``, ``quote``), which feed the tooltips, the
source line under the chart and the provenance gate (:mod:`incident.publish.provenance`).

Time convention: every time column holds the **Europe/Berlin wall-clock time as an
ISO string without offset** (``2021-01-11T08:00:00``), produced by
:func:`wall_clock` after an explicit conversion to Europe/Berlin. Vega parses such
strings as local time and formats them in local time, so the wall clock shown is the
Berlin one in every viewer's time zone (the week of 11 January 2021 has no
daylight-saving switch in any zone that matters). The locale (``de-DE``) only changes
formatting; it never converts time zones.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from incident.config import TIMEZONE, Paths
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

#: Display names of the platform ids of the vocabulary (unknown ids are shown as given).
PLATFORM_LABELS: dict[str, str] = {
    "iserv": "IServ",
    "iserv-login": "IServ (Anmeldung)",
    "iserv-video": "IServ-Video",
    "iserv-schoolserver": "IServ-Schulserver",
    "moodle": "Moodle",
    "moodle-krzn": "KRZN Moodle",
    "moodle-bw": "Moodle BW",
    "moodle-hessen": "Moodle Hessen",
    "moodle-koeln": "Moodle Köln",
    "moodle-duelmen": "Moodle Dülmen",
    "krzn-services": "KRZN-Dienste",
    "logineo": "Logineo NRW",
    "logineo-lms": "Logineo NRW LMS",
    "logineo-messenger": "Logineo NRW Messenger",
    "padlet": "Padlet",
    "mebis": "mebis",
    "hpi-schulcloud": "HPI Schul-Cloud",
    "hpi-schulcloud-th": "Thüringer Schulcloud",
    "schulportal-hessen": "Schulportal Hessen",
    "teams": "Microsoft Teams",
    "itslearning": "itslearning",
    "lernstatt-paderborn": "Lernstatt Paderborn",
    "sdui": "Sdui",
    "schulmanager": "Schulmanager",
    "schoolfox": "SchoolFox",
    "nextcloud": "Nextcloud",
}

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


def platform_label(platform: str) -> str:
    """Return the display name of a platform id (``'iserv'`` → ``'IServ'``).

    Args:
        platform: Platform id, or several ids separated by ``'; '``.

    Returns:
        The display name(s), joined by ``' / '``.
    """
    parts = [p.strip() for p in str(platform).split(";") if p.strip()]
    return " / ".join(PLATFORM_LABELS.get(p, p) for p in parts)


def wall_clock(value: Any) -> str:
    """Return a time as a Europe/Berlin wall-clock ISO string without offset.

    Args:
        value: A timestamp or ISO string; naive values are taken as Europe/Berlin
            wall-clock time, aware values are converted to Europe/Berlin.

    Returns:
        ``'YYYY-MM-DDTHH:MM:SS'``, or ``''`` for a missing value.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return ""
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
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


def _join(values: list[str]) -> str:
    values = [v for v in values if v]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " und " + values[-1]


def _de_number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


# ---------------------------------------------------------------------------- charts


def sequence_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Der Ablauf: Wann welche Plattform ausfiel.

    One row per platform: solid bars are the reconstructed outage windows, lighter bars
    the uncertain edges (onset and recovery intervals), diamonds mark conflicting claims.

    Args:
        data: One row per drawn element with columns ``platform`` (display name),
            ``part`` (``'kern'`` window, ``'unsicher'`` uncertain edge, ``'konflikt'``
            conflict marker), ``start``, ``end`` (wall-clock; ``end`` empty for
            conflicts), ``label`` (German description), ``n_sources`` and
            :data:`EVIDENCE`.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("platform", "part", "start", "end", "label", "n_sources"), "sequence_chart")
    platforms = sorted(frame["platform"].unique(), key=str.casefold)
    base = alt.Chart(frame).encode(
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=110)),
        color=alt.Color("platform:N", legend=None, sort=platforms),
    )
    time_x = alt.X(
        "start:T",
        title="Zeit (Europe/Berlin)",
        axis=alt.Axis(labelExpr=DAY_TIME_LABEL, tickCount=6),
    )
    tooltips = [
        alt.Tooltip("platform:N", title="Plattform"),
        alt.Tooltip("label:N", title="Abschnitt"),
        alt.Tooltip("start:T", title="Von", format=DATETIME_FORMAT),
        alt.Tooltip("end:T", title="Bis", format=DATETIME_FORMAT),
        alt.Tooltip("n_sources:Q", title="Unabhängige Quellen", format=NUMBER_FORMAT),
        *_evidence_tooltips(),
    ]
    # Layer 1: uncertain edges of a window - the interval in which onset or recovery lies.
    uncertain = (
        base.transform_filter(alt.datum.part == "unsicher")
        .mark_bar(opacity=0.35, height={"band": 0.6})
        .encode(x=time_x, x2="end:T", tooltip=tooltips)
    )
    # Layer 2: the reconstructed window in which the platform was disrupted.
    window = (
        base.transform_filter(alt.datum.part == "kern")
        .mark_bar(height={"band": 0.6})
        .encode(x=time_x, x2="end:T", tooltip=tooltips)
    )
    # Layer 3: conflict markers - sources disagree about a time here.
    conflicts = (
        base.transform_filter(alt.datum.part == "konflikt")
        .mark_point(shape="diamond", size=120, filled=True, strokeWidth=1.5, stroke="#ffffff", opacity=1)
        .encode(x=time_x, color=alt.value("#000000"), tooltip=tooltips)
    )
    n_conf = int((frame["part"] == "konflikt").sum())
    headline = "Der Ablauf: Wann welche Plattform ausfiel"
    description = (
        f"Balkendiagramm mit einer Zeile je Plattform ({_join(platforms)}). "
        "Dunkle Balken zeigen die rekonstruierten Störungszeiten, helle Balkenenden den "
        f"Bereich, in dem Beginn oder Ende unsicher sind; {n_conf} Rauten markieren "
        "Zeitpunkte, zu denen sich Quellen widersprechen."
    )
    chart = alt.layer(uncertain, window, conflicts)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(140, 48 * len(platforms)))


def surge_chart(data: pd.DataFrame) -> alt.LayerChart:
    """8 Uhr am Montag: Der Ansturm gegen die Last davor.

    Bars compare the load before 8:00 (conferences, participants) with the surge at
    8:00 (requests within seconds); each bar is labelled with the German figure.

    Args:
        data: One row per figure with columns ``measure`` (German label incl. unit),
            ``phase`` (``'vor 8 Uhr'`` / ``'um 8 Uhr'``), ``value`` (number),
            ``value_text`` (verbatim German figure), ``unit``, ``time`` (wall-clock of
            the figure, may be empty) and :data:`EVIDENCE`.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("measure", "phase", "value", "value_text", "unit", "time"), "surge_chart")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    order = frame.sort_values(["phase", "value"], ascending=[False, True])["measure"].tolist()
    phases = sorted(frame["phase"].unique(), key=lambda p: (not p.startswith("vor"), p))
    base = alt.Chart(frame).encode(
        y=alt.Y("measure:N", title=None, sort=order, axis=alt.Axis(labelLimit=130)),
        x=alt.X("value:Q", title="Anzahl", axis=alt.Axis(format=NUMBER_FORMAT, tickCount=3, labelFlush=True)),
        tooltip=[
            alt.Tooltip("measure:N", title="Größe"),
            alt.Tooltip("phase:N", title="Zeitraum"),
            alt.Tooltip("value:Q", title="Wert", format=NUMBER_FORMAT),
            alt.Tooltip("value_text:N", title="Angabe im Original"),
            alt.Tooltip("time:T", title="Zeit", format=DATETIME_FORMAT),
            *_evidence_tooltips(),
        ],
    )
    # Layer 1: one bar per reported figure, coloured by before / at 8:00.
    bars = base.mark_bar(height={"band": 0.6}).encode(
        color=alt.Color("phase:N", title="Zeitraum", sort=phases, scale=alt.Scale(range=[OKABE_ITO[4], OKABE_ITO[5]]))
    )
    # Layer 2: the figure in de-DE format, right of short bars ...
    half = float(frame["value"].max()) / 2
    outside = (
        base.transform_filter(alt.datum.value < half)
        .mark_text(align="left", dx=4, color="#1a1a1a", fontWeight="bold")
        .encode(text=alt.Text("value:Q", format=NUMBER_FORMAT))
    )
    # Layer 3: ... and inside the end of long bars, so no label leaves the chart at 360 px.
    inside = (
        base.transform_filter(alt.datum.value >= half)
        .mark_text(align="right", dx=-4, color="#ffffff", fontWeight="bold")
        .encode(text=alt.Text("value:Q", format=NUMBER_FORMAT))
    )
    biggest = frame.loc[frame["value"].idxmax()]
    headline = "8 Uhr am Montag: Der Ansturm gegen die Last davor"
    description = (
        f"Balkendiagramm mit {len(frame)} Zahlen. Vor 8 Uhr: "
        + _join([f"{_de_number(v)} {m}" for m, v, p in zip(frame["measure"], frame["value"], frame["phase"]) if p.startswith("vor")])
        + f". Größter Wert: {_de_number(biggest['value'])} ({biggest['measure']}, {biggest['phase']}). "
        "Die Einheiten unterscheiden sich; die Balken vergleichen Größenordnungen."
    )
    chart = alt.layer(bars, outside, inside)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(120, 40 * len(frame)))


def statements_chart(data: pd.DataFrame) -> alt.LayerChart:
    """„Stabil“ gegen Störungsmeldungen: Was Betreiber sagten und was Nutzer meldeten.

    Per platform and time, triangles mark operators' statements (coloured by what they
    said), circles mark reports of problems by users and reporters.

    Args:
        data: One row per claim with columns ``platform`` (display name), ``time``
            (wall-clock), ``kind`` (``'Betreiber-Aussage'`` / ``'Meldung'``), ``stance``
            (German: ``'stabil'``, ``'Probleme'``, …) and :data:`EVIDENCE`.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("platform", "time", "kind", "stance"), "statements_chart")
    platforms = sorted(frame["platform"].unique(), key=str.casefold)
    stances = sorted(frame["stance"].unique(), key=str.casefold)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "time:T", title="Zeit (Europe/Berlin)", scale=alt.Scale(padding=14),
            axis=alt.Axis(labelExpr=DAY_TIME_LABEL, tickCount=6),
        ),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=110)),
        yOffset=alt.YOffset("kind:N", sort=["Betreiber-Aussage", "Meldung"]),
        color=alt.Color("stance:N", title="Aussage", sort=stances),
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("kind:N", title="Art"),
            alt.Tooltip("stance:N", title="Aussage"),
            alt.Tooltip("time:T", title="Zeit", format=DATETIME_FORMAT),
            *_evidence_tooltips(),
        ],
    )
    # Layer 1: operators' statements as triangles.
    said = base.transform_filter(alt.datum.kind == "Betreiber-Aussage").mark_point(
        shape="triangle-up", size=120, filled=True, opacity=0.9
    )
    # Layer 2: reports of problems as open circles.
    reported = base.transform_filter(alt.datum.kind != "Betreiber-Aussage").mark_point(
        shape="circle", size=90, filled=False, strokeWidth=2
    )
    n_said = int((frame["kind"] == "Betreiber-Aussage").sum())
    headline = "„Stabil“ gegen Störungsmeldungen"
    description = (
        f"Punktdiagramm über die Zeit für {_join(platforms)}: {n_said} Aussagen von Betreibern "
        f"(Dreiecke) und {len(frame) - n_said} Meldungen über Probleme (Kreise), "
        "gefärbt nach dem Inhalt der Aussage."
    )
    chart = alt.layer(said, reported)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(150, 60 * len(platforms)))


def figures_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Eine Größe, mehrere Zahlen: Wo Quellen sich widersprechen.

    For each quantity a grey line spans the lowest to the highest reported figure; a
    point per source shows its figure (logarithmic axis, as figures differ by orders of
    magnitude).

    Args:
        data: One row per reported figure with columns ``quantity`` (German label),
            ``value`` (number > 0), ``value_text`` (verbatim), ``unit``, ``counted``
            (what was counted) and :data:`EVIDENCE` (``sources`` = the outlet giving it).

    Returns:
        Layered chart.
    """
    frame = _check(data, ("quantity", "value", "value_text", "unit", "counted"), "figures_chart")
    frame["value"] = pd.to_numeric(frame["value"], errors="raise")
    if (frame["value"] <= 0).any():
        raise ChartError("figures_chart: values must be positive (logarithmic axis)")
    quantities = sorted(frame["quantity"].unique(), key=str.casefold)
    y = alt.Y("quantity:N", title=None, sort=quantities, axis=alt.Axis(labelLimit=150))
    x_title = "Genannte Zahl (logarithmisch)"
    x = alt.X(
        "value:Q", title=x_title, scale=alt.Scale(type="log"),
        axis=alt.Axis(format=NUMBER_FORMAT, tickCount=4),
    )
    # Layer 1: the spread between the smallest and the largest figure per quantity.
    spread = (
        alt.Chart(frame)
        .mark_rule(color="#999999", strokeWidth=3)
        .encode(y=y, x=alt.X("min(value):Q", scale=alt.Scale(type="log"), title=x_title), x2="max(value):Q")
    )
    # Layer 2: one point per source's figure.
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90, opacity=0.9, color=OKABE_ITO[5])
        .encode(
            y=y,
            x=x,
            tooltip=[
                alt.Tooltip("quantity:N", title="Größe"),
                alt.Tooltip("value:Q", title="Zahl", format=NUMBER_FORMAT),
                alt.Tooltip("value_text:N", title="Angabe im Original"),
                alt.Tooltip("counted:N", title="Gezählt wurde"),
                *_evidence_tooltips(),
            ],
        )
    )
    spans = frame.groupby("quantity")["value"].agg(["min", "max"])
    widest = (spans["max"] / spans["min"]).idxmax()
    headline = "Eine Größe, mehrere Zahlen"
    description = (
        f"Punktdiagramm mit {len(quantities)} Größen und {len(frame)} genannten Zahlen. "
        f"Am weitesten auseinander liegen die Angaben zu „{widest}“: "
        f"{_de_number(spans.loc[widest, 'min'])} bis {_de_number(spans.loc[widest, 'max'])}."
    )
    chart = alt.layer(spread, points)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(120, 50 * len(quantities)))


#: Half-days of the school week 11-15 January 2021 (start of each, wall-clock).
HALF_DAYS: tuple[str, ...] = tuple(
    f"2021-01-{day:02d}T{hour:02d}:00:00" for day in range(11, 16) for hour in (0, 12)
)


def coverage_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Wie gut belegt? Unabhängige Quellen je Halbtag.

    A grid of platforms × half-days (Monday 11 to Friday 15 January 2021); the colour
    and the number give how many independent sources describe that half-day, blank
    cells have none.

    Args:
        data: One row per platform and half-day with at least one source; columns
            ``platform`` (display name), ``half_day`` (wall-clock start, 00:00 or 12:00),
            ``n_sources`` (independent sources, ≥ 1) and :data:`EVIDENCE`.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("platform", "half_day", "n_sources"), "coverage_chart")
    frame["n_sources"] = pd.to_numeric(frame["n_sources"], errors="raise").astype(int)
    frame["half_day_label"] = [
        f"{['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][pd.Timestamp(h).day_of_week]} "
        f"{'vorm.' if pd.Timestamp(h).hour < 12 else 'nachm.'}"
        for h in frame["half_day"]
    ]
    platforms = sorted(frame["platform"].unique(), key=str.casefold)
    labels = [
        f"{['Mo', 'Di', 'Mi', 'Do', 'Fr'][i // 2]} {'vorm.' if i % 2 == 0 else 'nachm.'}" for i in range(len(HALF_DAYS))
    ]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "half_day_label:O", title="Halbtag (11.–15. Januar 2021)", sort=labels, scale=alt.Scale(domain=labels),
            axis=alt.Axis(labelAngle=-90, labelFontSize=10, labelOverlap=False),
        ),
        y=alt.Y("platform:N", title=None, sort=platforms, axis=alt.Axis(labelLimit=110)),
        tooltip=[
            alt.Tooltip("platform:N", title="Plattform"),
            alt.Tooltip("half_day:T", title="Halbtag ab", format=DATETIME_FORMAT),
            alt.Tooltip("n_sources:Q", title="Unabhängige Quellen", format=NUMBER_FORMAT),
            *_evidence_tooltips(),
        ],
    )
    # Layer 1: the cell, darker for more independent sources.
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color("n_sources:Q", title="Unabhängige Quellen", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(format=NUMBER_FORMAT, tickCount=3, gradientLength=120)),
    )
    # Layer 2: the number of sources, written into the cell.
    numbers = base.mark_text(fontSize=11).encode(
        text=alt.Text("n_sources:Q", format=NUMBER_FORMAT),
        color=alt.condition(alt.datum.n_sources >= 3, alt.value("#ffffff"), alt.value("#000000")),
    )
    best = frame.loc[frame["n_sources"].idxmax()]
    headline = "Wie gut belegt? Unabhängige Quellen je Halbtag"
    description = (
        f"Rasterdiagramm: {len(platforms)} Plattformen mal 10 Halbtage von Montag, 11., bis Freitag, "
        f"15. Januar 2021. {len(frame)} Felder sind durch mindestens eine Quelle belegt; die meisten "
        f"unabhängigen Quellen ({int(best['n_sources'])}) gibt es für {best['platform']} am "
        f"{best['half_day_label']}."
    )
    chart = alt.layer(cells, numbers)
    return _finish(chart, headline=headline, description=description, data=frame, height=max(140, 44 * len(platforms)))


def changepoint_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Phasen der Störung: Wo sich der Zustand änderte.

    The share of independent accounts reporting a disruption (step line) with the
    regimes found by change-point detection (dashed levels) and each breakpoint's 90 %
    bootstrap interval (shaded band, rule at the estimate).

    Args:
        data: Long table with columns ``platform`` (display name), ``layer``
            (``'anteil'``: share at ``time``; ``'regime'``: mean share from ``start`` to
            ``end``; ``'bruch'``: breakpoint at ``time`` with interval ``start``–``end``),
            ``time``, ``start``, ``end`` (wall-clock, empty where unused), ``value``
            (share 0–1; empty for breakpoints) and :data:`EVIDENCE`. Shares are drawn
            at :data:`SHARE_STEP` resolution (:func:`thin_steps`); the exhibit's CSV
            keeps the full input.

    Returns:
        Layered chart.
    """
    frame = _check(data, ("platform", "layer", "time", "start", "end", "value"), "changepoint_chart")
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="raise")
    frame = thin_steps(frame)
    platforms = sorted(frame["platform"].unique(), key=str.casefold)
    color = alt.Color(
        "platform:N", title="Plattform", sort=platforms,
        legend=alt.Legend(symbolType="stroke", symbolOpacity=1, symbolStrokeWidth=3),
    )
    time_axis = alt.Axis(labelExpr=DAY_TIME_LABEL, tickCount=6)
    share_y = alt.Y("value:Q", title="Anteil „gestört“", scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format=SHARE_FORMAT, tickCount=5))
    evidence = _evidence_tooltips()
    # Layer 1: 90 % bootstrap interval of every breakpoint.
    band = (
        alt.Chart(frame).transform_filter(alt.datum.layer == "bruch")
        .mark_rect(opacity=0.18)
        .encode(
            x=alt.X("start:T", title="Zeit (Europe/Berlin)", axis=time_axis), x2="end:T", color=color,
            tooltip=[alt.Tooltip("platform:N", title="Plattform"),
                     alt.Tooltip("time:T", title="Bruchstelle", format=DATETIME_FORMAT),
                     alt.Tooltip("start:T", title="90-%-Intervall von", format=DATETIME_FORMAT),
                     alt.Tooltip("end:T", title="90-%-Intervall bis", format=DATETIME_FORMAT), *evidence],
        )
    )
    # Layer 2: the estimated breakpoint.
    rule = (
        alt.Chart(frame).transform_filter(alt.datum.layer == "bruch")
        .mark_rule(strokeWidth=1.5)
        .encode(x=alt.X("time:T", title="Zeit (Europe/Berlin)", axis=time_axis), color=color)
    )
    # Layer 3: the share of accounts reporting a disruption, as a step line.
    share = (
        alt.Chart(frame).transform_filter(alt.datum.layer == "anteil")
        .mark_line(interpolate="step-after", strokeWidth=2)
        .encode(
            x=alt.X("time:T", title="Zeit (Europe/Berlin)", axis=time_axis), y=share_y, color=color,
            tooltip=[alt.Tooltip("platform:N", title="Plattform"),
                     alt.Tooltip("time:T", title="Zeit", format=DATETIME_FORMAT),
                     alt.Tooltip("value:Q", title="Anteil gestört", format=SHARE_FORMAT), *evidence],
        )
    )
    # Layer 4: the mean level of each regime between breakpoints.
    regime = (
        alt.Chart(frame).transform_filter(alt.datum.layer == "regime")
        .mark_rule(strokeDash=[6, 3], strokeWidth=2, opacity=0.8)
        .encode(
            x=alt.X("start:T", title="Zeit (Europe/Berlin)", axis=time_axis), x2="end:T", y=share_y, color=color,
            tooltip=[alt.Tooltip("platform:N", title="Plattform"),
                     alt.Tooltip("start:T", title="Phase von", format=DATETIME_FORMAT),
                     alt.Tooltip("end:T", title="Phase bis", format=DATETIME_FORMAT),
                     alt.Tooltip("value:Q", title="Mittlerer Anteil", format=SHARE_FORMAT), *evidence],
        )
    )
    n_breaks = int((frame["layer"] == "bruch").sum())
    headline = "Phasen der Störung: Wo sich der Zustand änderte"
    description = (
        f"Liniendiagramm des Anteils unabhängiger Berichte, die eine Störung melden, für {_join(platforms)}. "
        f"Gestrichelte Linien zeigen die Phasen; {n_breaks} Bruchstellen sind mit ihrem "
        "90-%-Bootstrap-Intervall als Band markiert."
    )
    chart = alt.layer(band, rule, share, regime)
    return _finish(chart, headline=headline, description=description, data=frame, height=260)


#: Resolution of the drawn share of disrupted accounts (5 percentage points).
SHARE_STEP = 0.05


def thin_steps(frame: pd.DataFrame, *, step: float = SHARE_STEP) -> pd.DataFrame:
    """Merge consecutive ``'anteil'`` rows whose share rounds to the same level.

    The 5-minute disruption grid gives ~1,000 rows a week per chart; drawn as a step
    line at ``step`` resolution only the changes matter. Each kept row is the first of
    its run (its evidence columns belong to that time); the last row of every platform
    is kept so the line reaches the end. Other layers pass unchanged.

    Args:
        frame: :func:`changepoint_chart` input (``value`` numeric).
        step: Share resolution.

    Returns:
        The thinned frame (row order kept).
    """
    share = frame["layer"] == "anteil"
    if not share.any():
        return frame
    part = frame[share].copy()
    level = (part["value"] / step).round() * step
    group = part["platform"]
    first = level.ne(level.groupby(group).shift())
    last = ~group.duplicated(keep="last")
    part["value"] = level.round(4)
    keep = part[first | last]
    return pd.concat([keep, frame[~share]]).sort_index(kind="stable").reset_index(drop=True)


#: Exhibit name → chart function, in the order of the article.
CHARTS: dict[str, Any] = {
    "sequence": sequence_chart,
    "surge": surge_chart,
    "statements": statements_chart,
    "figures": figures_chart,
    "coverage": coverage_chart,
    "changepoints": changepoint_chart,
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


def save_exhibit(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, paths: Paths) -> dict[str, Path]:
    """Write a chart's spec, data and SVG fallback to ``paths.exhibits``.

    Writes ``<name>.vl.json`` (sorted keys), ``<name>.csv`` (the chart's input, LF
    line ends) and ``<name>.svg`` (rendered offline). The output is byte-identical
    across runs: no timestamps, no random ids.

    Args:
        chart: The chart returned by a chart function.
        data: The frame the chart was built from.
        name: Exhibit name (``[a-z0-9-]+``).
        paths: The incident's paths.

    Returns:
        The written files by kind (``'spec'``, ``'csv'``, ``'svg'``).
    """
    if not name or not all(c.isascii() and (c.isalnum() or c == "-") for c in name) or name != name.lower():
        raise ChartError(f"exhibit name {name!r} must be lowercase ASCII letters, digits and '-'")
    spec = chart.to_dict()
    spec.setdefault("usermeta", {})["exhibit"] = name
    folder = paths.exhibits
    folder.mkdir(parents=True, exist_ok=True)
    files = {"spec": folder / f"{name}.vl.json", "csv": folder / f"{name}.csv", "svg": folder / f"{name}.svg"}
    files["spec"].write_text(spec_json(spec), encoding="utf-8")
    files["csv"].write_text(data.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    files["svg"].write_text(render_svg(spec), encoding="utf-8")
    return files
