"""The published charts: one module per chart, one house theme, deterministic exhibits.

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

Modules: :mod:`.house` (theme, palette, helpers), one module per chart (:mod:`.sequence`,
:mod:`.quantities`, :mod:`.statements`, :mod:`.figures`, :mod:`.coverage`), :mod:`.exhibit`
(saving a chart with its data and SVG fallback).
"""

from __future__ import annotations

from typing import Any

from incident.publish.charts.coverage import coverage_chart
from incident.publish.charts.exhibit import chart_key, chart_outputs, render_svg, save_exhibit, spec_json
from incident.publish.charts.figures import figures_chart
from incident.publish.charts.house import (
    DAY_FORMAT,
    EVIDENCE,
    FACET_RESERVE,
    FORMAT_LOCALE,
    MIN_PANEL_WIDTH,
    NUMBER_FORMAT,
    OKABE_ITO,
    SOURCE_LINE_WIDTH,
    SVG_WIDTH,
    TIME_FORMAT_LOCALE,
    VEGA_MIMES,
    VEGALITE_MIME,
    VL_VERSION,
    _mimetype_renderer,
    fit_width,
    house_config,
    short_outlet,
    source_line,
    wall_clock,
)
from incident.publish.charts.quantities import quantities_chart
from incident.publish.charts.sequence import sequence_chart
from incident.publish.charts.statements import statements_chart

#: Exhibit kind → chart function.
CHARTS: dict[str, Any] = {
    "sequence": sequence_chart,
    "quantities": quantities_chart,
    "statements": statements_chart,
    "figures": figures_chart,
    "coverage": coverage_chart,
}

__all__ = [
    "CHARTS",
    "DAY_FORMAT",
    "EVIDENCE",
    "FACET_RESERVE",
    "FORMAT_LOCALE",
    "MIN_PANEL_WIDTH",
    "NUMBER_FORMAT",
    "OKABE_ITO",
    "SOURCE_LINE_WIDTH",
    "SVG_WIDTH",
    "TIME_FORMAT_LOCALE",
    "VEGA_MIMES",
    "VEGALITE_MIME",
    "VL_VERSION",
    "_mimetype_renderer",
    "coverage_chart",
    "figures_chart",
    "fit_width",
    "house_config",
    "quantities_chart",
    "chart_key",
    "chart_outputs",
    "render_svg",
    "save_exhibit",
    "sequence_chart",
    "short_outlet",
    "source_line",
    "spec_json",
    "statements_chart",
    "wall_clock",
]
