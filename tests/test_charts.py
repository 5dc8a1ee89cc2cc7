"""Every chart builds from fixture data with the house conventions, and exhibits are deterministic."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from fixtures.sitekit import build_chart, chart_frame
from incident.publish import charts
from incident.config import paths
from incident.errors import ChartError

NAMES = list(charts.CHARTS)
NUMBER_FORMATS = {
    "sequence": ",d", "surge": ",d", "statements": None, "figures": ",d", "coverage": ",d", "changepoints": ".0%",
}


def _walk(node):
    """Yield every dict inside a spec."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _tooltip_fields(spec) -> set[str]:
    fields = set()
    for node in _walk(spec):
        tooltip = node.get("encoding", {}).get("tooltip") if isinstance(node.get("encoding"), dict) else None
        for item in tooltip or []:
            fields.add(item["field"])
    return fields


@pytest.mark.parametrize("name", NAMES)
def test_chart_round_trips(name):
    chart, _ = build_chart(name)
    spec = chart.to_dict()
    again = type(chart).from_dict(spec)
    assert again.to_dict() == spec
    assert isinstance(chart, (alt.Chart, alt.LayerChart))


@pytest.mark.parametrize("name", NAMES)
def test_chart_house_conventions(name):
    chart, frame = build_chart(name)
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    # de-DE locale in the spec itself: "2.500" and German day names.
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortDays"][1] == "Mo"
    if name != "figures":  # every chart with a time axis or tooltip: "14:00 Uhr"
        assert charts.DATETIME_FORMAT in text
    if NUMBER_FORMATS[name]:  # "2.500" / "40 %"
        assert f'"format": "{NUMBER_FORMATS[name]}"' in text
    # Okabe-Ito palette, container width, description, source line under the chart.
    assert spec["config"]["range"]["category"][:3] == ["#0072B2", "#E69F00", "#009E73"]
    assert spec["width"] == "container"
    assert len(spec["description"]) > 40
    title = spec["title"]
    assert title["orient"] == "bottom"
    line = " ".join(title["text"])
    assert line.startswith("Quellen: ")
    outlets = {o.strip() for cell in frame["sources"] for o in cell.split(";") if o.strip()}
    for outlet in outlets:
        assert outlet in line
    # Tooltips carry source, original phrase and quote.
    assert {"sources", "phrase", "quote"} <= _tooltip_fields(spec)
    assert spec["usermeta"]["headline"]
    # German labels: no English axis titles slipped in.
    for bad in ('"title": "time"', '"title": "value"', '"title": "platform"'):
        assert bad not in text


def test_time_formats_are_german():
    spec = build_chart("sequence")[0].to_dict()
    text = json.dumps(spec)
    assert charts.DATETIME_FORMAT in text and "%H:%M Uhr" in text
    assert "utc" not in text.lower()  # wall-clock strings, formatted in local time


def test_number_format_renders_german(tmp_path):
    chart, frame = build_chart("surge")
    svg = charts.render_svg(chart.to_dict())
    assert "100.000" in svg and "2.500" in svg
    assert "100,000" not in svg


def test_time_axis_renders_uhr(tmp_path):
    chart, _ = build_chart("changepoints")
    svg = charts.render_svg(chart.to_dict())
    assert "12:00 Uhr" in svg
    assert "Mo 11.1." in svg


def test_chart_docstrings_have_headline_and_description():
    for function in charts.CHARTS.values():
        lines = [line for line in (function.__doc__ or "").splitlines() if line.strip()]
        assert len(lines) >= 3, function.__name__
        assert "Args:" in function.__doc__ and "Returns:" in function.__doc__


def test_save_exhibit_is_deterministic(tmp_path):
    first = paths(incident="fx", home=tmp_path / "a")
    second = paths(incident="fx", home=tmp_path / "b")
    for name in NAMES:
        chart, frame = build_chart(name)
        a = charts.save_exhibit(chart, frame, name, first)
        chart2, frame2 = build_chart(name)
        b = charts.save_exhibit(chart2, frame2, name, second)
        again = charts.save_exhibit(chart, frame, name, first)
        for kind in ("spec", "csv", "svg"):
            assert a[kind].read_bytes() == b[kind].read_bytes() == again[kind].read_bytes(), (name, kind)
        spec = json.loads(a["spec"].read_text(encoding="utf-8"))
        assert spec["usermeta"]["exhibit"] == name
        assert list(spec) == sorted(spec)
        assert pd.read_csv(a["csv"], dtype=str, keep_default_na=False).equals(frame)
        assert a["svg"].read_text(encoding="utf-8").startswith("<svg")


def test_missing_column_is_named():
    frame = chart_frame("sequence").drop(columns=["quote"])
    with pytest.raises(ChartError, match="quote"):
        charts.sequence_chart(frame)


def test_empty_input_fails():
    frame = chart_frame("coverage").iloc[0:0]
    with pytest.raises(ChartError, match="no rows"):
        charts.coverage_chart(frame)


def test_source_line_sorted_and_unique():
    frame = pd.DataFrame({"sources": ["WDR; WAZ", "WAZ", "dpa"]})
    assert charts.source_line(frame) == "Quellen: dpa, WAZ, WDR"
    with pytest.raises(ChartError):
        charts.source_line(pd.DataFrame({"sources": ["", None]}))


def test_source_line_names_short_outlets_and_counts_the_rest():
    many = [f"Blatt {i:02d} (Lokalausgabe)" for i in range(12)]
    frame = pd.DataFrame({"sources": ["WAZ (Funke app copy); WAZ", "WAZ", *many]})
    line = charts.source_line(frame, max_outlets=3)
    # WAZ is cited most and named once, without its parenthetical detail
    assert line.startswith("Quellen: ") and line.count("WAZ") == 1 and "(Funke" not in line
    assert line.endswith("und 10 weitere (alle in den Daten zur Grafik)")


def test_wall_clock_converts_to_berlin():
    assert charts.wall_clock("2021-01-11T07:00:00Z") == "2021-01-11T08:00:00"
    assert charts.wall_clock(pd.Timestamp("2021-01-11 08:00", tz="Europe/Berlin")) == "2021-01-11T08:00:00"
    assert charts.wall_clock("2021-01-11T08:00") == "2021-01-11T08:00:00"
    assert charts.wall_clock(None) == "" and charts.wall_clock(float("nan")) == ""


def test_bad_exhibit_name(tmp_path):
    chart, frame = build_chart("surge")
    with pytest.raises(ChartError):
        charts.save_exhibit(chart, frame, "../x", paths(incident="fx", home=tmp_path))


def test_figures_reject_non_positive():
    frame = chart_frame("figures")
    frame.loc[0, "value"] = "0"
    with pytest.raises(ChartError, match="positive"):
        charts.figures_chart(frame)
