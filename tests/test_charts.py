"""Every chart builds from the fixture incident with the house conventions, and exhibits are deterministic."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
from fixtures.sitekit import build_chart, chart_frame
from nbformat.v4 import new_output

from incident.errors import ChartError
from incident.publish import charts

KINDS = list(charts.CHARTS)


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


def test_every_chart_kind_has_a_fixture():
    assert KINDS == ["sequence", "quantities", "statements", "figures", "coverage"]


@pytest.mark.parametrize("kind", KINDS)
def test_chart_compiles_and_draws_in_vega(kind):
    """The real renderer, not Altair reading its own output back: vl-convert compiles the spec to
    Vega and draws marks for the data."""
    import vl_convert as vlc

    chart, frame = build_chart(kind)
    assert isinstance(chart, (alt.Chart, alt.LayerChart, alt.FacetChart))
    spec = chart.to_dict()
    vega = vlc.vegalite_to_vega(spec, vl_version=charts.VL_VERSION)
    assert vega["marks"], kind
    svg = charts.render_svg(spec)
    drawn = len(re.findall(r"<(path|rect|line|text)\b", svg))
    assert drawn >= len(frame), (kind, drawn, len(frame))


@pytest.mark.parametrize("kind", KINDS)
def test_chart_house_conventions(kind):
    chart, frame = build_chart(kind)
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    # de-DE locale in the spec itself: "2.500" and German day names.
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortDays"][1] == "Mo"
    assert spec["config"]["range"]["category"][:3] == ["#0072B2", "#E69F00", "#009E73"]
    # fills its column: container width, or (facets) a width the site sets from the container
    meta = spec["usermeta"]
    assert meta["chart"] == kind and meta["headline"] and meta["description"] == spec["description"]
    if kind in ("quantities", "figures"):
        assert meta["fit"] == {"path": ["spec", "width"], "reserve": charts.FACET_RESERVE}
        assert "width" not in spec
    else:
        assert spec["width"] == "container"
    assert len(spec["description"]) > 40
    title = spec["title"]
    assert title["orient"] == "bottom"
    line = " ".join(title["text"])
    assert line.startswith("Quellen: ")
    assert all(len(part) <= charts.SOURCE_LINE_WIDTH for part in title["text"])  # wrapped to fit 360 px
    outlets = {o.strip() for cell in frame["sources"] for o in cell.split(";") if o.strip()}
    for outlet in outlets:
        assert outlet in line
    # Tooltips carry source, original phrase and quote.
    assert {"sources", "phrase", "quote"} <= _tooltip_fields(spec)
    # German labels: no English axis titles slipped in; no UTC scale.
    for bad in ('"title": "time"', '"title": "value"', '"title": "platform"', '"title": "start"', "utc"):
        assert bad not in text


def test_sequence_draws_onset_and_recovery_in_separate_lanes():
    chart, frame = build_chart("sequence")
    spec = chart.to_dict()
    lanes = [n["encoding"]["yOffset"] for n in spec["layer"] if "yOffset" in n.get("encoding", {})]
    assert lanes and all(lane["field"] == "lane" for lane in lanes)
    assert lanes[0]["scale"]["domain"] == ["kopf", "beginn", "sicher", "ende"]
    values = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
    parts = {(v["part"], v["lane"]) for v in values}
    assert {("beginn", "beginn"), ("ende", "ende"), ("sicher", "sicher"), ("kopf", "kopf")} <= parts
    # every row has a heading with platform, day and state; open edges are labelled „unbekannt“
    heads = {v["text"] for v in values if v["part"] == "kopf"}
    assert "IServ-Video, Mo. 11.1.: Ausfall" in heads and "IServ-Video, Di. 12.1.: Störung" in heads
    assert any(v["open"] and "unbekannt" in v["text"] for v in values if v["part"] in ("beginn", "ende"))
    assert set(frame.loc[frame["open"].astype(bool), "short"]) == {"unbekannt"}
    # fading gradients for open edges, and the last-resort label at the faded end
    text = json.dumps(spec, ensure_ascii=False)
    assert '"gradient": "linear"' in text and "'unbekannt'" in text
    # the label of the disputed recovery keeps the dispute
    ende = frame[(frame["part"] == "ende") & (frame["day"] == "Mo. 11.1.") & (frame["platform"] == "IServ-Video")]
    assert ende["text"].tolist() == ["Ende 11:30–14:30 Uhr, umstritten"]


def test_sequence_renders_german_hours_and_labels():
    chart, _ = build_chart("sequence")
    svg = charts.render_svg(chart.to_dict())
    assert "8 Uhr" in svg and "18 Uhr" in svg
    assert "Beginn 7:45–8:15 Uhr" in svg and "unbekannt" in svg
    assert "Uhrzeit (MEZ, UTC+1)" in svg


def test_number_format_renders_german():
    chart, _ = build_chart("quantities")
    svg = charts.render_svg(chart.to_dict())
    assert "100.000" in svg and "2.500" in svg and "laut WAZ" in svg
    assert "100,000" not in svg


def test_time_axis_renders_german_days():
    chart, _ = build_chart("statements")
    svg = charts.render_svg(chart.to_dict())
    assert "Mo 11.1." in svg or "Di 12.1." in svg


def test_fit_width_sizes_facets_and_containers():
    facet = build_chart("quantities")[0].to_dict()
    assert charts.fit_width(facet, 360)["spec"]["width"] == 360 - charts.FACET_RESERVE
    assert charts.fit_width(facet, 100)["spec"]["width"] == charts.MIN_PANEL_WIDTH
    layered = build_chart("coverage")[0].to_dict()
    assert charts.fit_width(layered, 500)["width"] == 500
    assert layered["width"] == "container"  # the original is not changed


def test_chart_docstrings_have_args_and_returns():
    for function in charts.CHARTS.values():
        lines = [line for line in (function.__doc__ or "").splitlines() if line.strip()]
        assert len(lines) >= 3, function.__name__
        assert "Args:" in function.__doc__ and "Returns:" in function.__doc__


def test_mimetype_renderer_gives_a_valid_notebook_output():
    chart, _ = build_chart("coverage")
    alt.renderers.enable("mimetype")
    bundle = chart._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert set(data) == {"application/vnd.vegalite.v6+json", "text/plain"}
    new_output("display_data", data=data)  # nbformat refuses application/vnd.vegalite.v6.json (altair 6.3)


def test_save_exhibit_is_deterministic(tmp_path):
    for kind in KINDS:
        chart, frame = build_chart(kind)
        a = charts.save_exhibit(chart, frame, kind, folder=tmp_path / "a")
        chart2, frame2 = build_chart(kind)
        b = charts.save_exhibit(chart2, frame2, kind, folder=tmp_path / "b")
        again = charts.save_exhibit(chart, frame, kind, folder=tmp_path / "a")
        for part in ("spec", "csv", "svg"):
            assert a[part].read_bytes() == b[part].read_bytes() == again[part].read_bytes(), (kind, part)
        spec = json.loads(a["spec"].read_text(encoding="utf-8"))
        assert spec["usermeta"]["exhibit"] == kind
        assert list(spec) == sorted(spec)
        assert a["svg"].read_text(encoding="utf-8").startswith("<svg")
        assert len(pd.read_csv(a["csv"], dtype=str, keep_default_na=False)) == len(frame)


def test_missing_column_is_named():
    frame = chart_frame("sequence").drop(columns=["quote"])
    with pytest.raises(ChartError, match="quote"):
        build_chart("sequence", frame=frame)


def test_empty_input_fails():
    frame = chart_frame("coverage").iloc[0:0]
    with pytest.raises(ChartError, match="no rows"):
        charts.coverage_chart(frame, headline="h", description="d", half_days=["Mo. vorm."])


def test_source_line_sorted_and_unique():
    frame = pd.DataFrame({"sources": ["WDR; WAZ", "WAZ", "dpa"]})
    assert charts.source_line(frame) == "Quellen: dpa, WAZ, WDR"
    with pytest.raises(ChartError):
        charts.source_line(pd.DataFrame({"sources": ["", None]}))


def test_source_line_names_short_outlets_and_counts_the_rest():
    many = [f"Blatt {i:02d} (Lokalausgabe)" for i in range(12)]
    frame = pd.DataFrame({"sources": ["WAZ (Funke app copy); WAZ", "WAZ", *many]})
    line = charts.source_line(frame, max_outlets=3)
    assert line.startswith("Quellen: ") and line.count("WAZ") == 1 and "(Funke" not in line
    assert line.endswith("und 10 weitere (alle in den Daten zur Grafik)")


def test_short_outlet_drops_the_data_desks_notes():
    assert charts.short_outlet("WAZ (Funke app/webview copy of the same article)") == "WAZ"
    assert charts.short_outlet("Dülmener Zeitung (dzonline.de), dpa/lnw copy") == "Dülmener Zeitung"
    assert charts.short_outlet("Rheinische Post – Wesel/Dinslaken edition (via PressReader)") == "Rheinische Post"
    assert charts.short_outlet("NRZ text on ikz-online.de (Funke), Moers") == "NRZ"
    assert charts.short_outlet("B.Z. (Berlin)") == "B.Z." and charts.short_outlet("heise online") == "heise online"


def test_wall_clock_converts_to_the_zone():
    assert charts.wall_clock("2021-01-11T07:00:00Z", "Europe/Berlin") == "2021-01-11T08:00:00"
    assert (
        charts.wall_clock(pd.Timestamp("2020-09-10 11:00", tz="Europe/Berlin"), "Europe/Berlin")
        == "2020-09-10T11:00:00"
    )
    assert charts.wall_clock("2021-01-11T08:00", "Europe/Berlin") == "2021-01-11T08:00:00"
    assert charts.wall_clock(None, "Europe/Berlin") == "" and charts.wall_clock(float("nan"), "Europe/Berlin") == ""


def test_bad_exhibit_name(tmp_path):
    chart, frame = build_chart("coverage")
    with pytest.raises(ChartError):
        charts.save_exhibit(chart, frame, "../x", folder=tmp_path)


def test_figures_reject_non_positive():
    frame = chart_frame("figures")
    frame.loc[frame.index[0], "value"] = 0
    with pytest.raises(ChartError, match="positive"):
        build_chart("figures", frame=frame)
