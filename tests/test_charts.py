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
    if kind in ("quantities", "figures", "sequence", "statements"):
        assert meta["fit"]["path"] == ["spec", "width"] and meta["fit"]["reserve"] >= charts.FACET_RESERVE
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


def _values(spec) -> list[dict]:
    return spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]


def test_sequence_draws_known_span_solid_and_edges_as_whiskers_with_stops():
    chart, frame = build_chart("sequence")
    spec = chart.to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert '"gradient"' not in text  # no fades anywhere
    marks = [layer["mark"] for layer in spec["spec"]["layer"]]
    kinds = [m["type"] if isinstance(m, dict) else m for m in marks]
    assert kinds[:4] == ["bar", "rule", "tick", "tick"]  # known span, whisker, the two stops
    values = _values(spec)
    lanes = {v["lane"] for v in values}
    assert lanes == set(charts.sequence.LANES)
    heads = {v["words"] for v in values if v["lane"] == "kopf"}
    assert "IServ-Video: Ausfall" in heads and "IServ-Video: Störung" in heads
    # the days are panels headed by their date; no row is labelled by a weekday alone
    assert spec["facet"]["row"]["field"] == "day"
    assert set(frame["day"]) == {"Montag, 11. Januar 2021", "Dienstag, 12. Januar 2021"}
    # the disputed recovery keeps the dispute in its label; a label says who gives the phrase
    ende = frame[
        (frame["part"] == "text_ende") & (frame["date"] == "2021-01-11") & (frame["platform"] == "IServ-Video")
    ]
    assert ende["text"].tolist() == ["Ende 11.30–14.30 Uhr, umstritten"]
    assert all(frame.loc[frame["part"].str.startswith("text_") & frame["text"].str.contains("„"), "said"] != "")


def test_sequence_renders_german_hours_labels_and_unknown():
    chart, _ = build_chart("sequence")
    svg = charts.render_svg(chart.to_dict())
    assert "8 Uhr" in svg and "18 Uhr" in svg
    assert "Beginn 7.45–8.15 Uhr" in svg and "unbekannt" in svg
    assert "Uhrzeit (MEZ, UTC+1)" in svg and "Montag, 11. Januar 2021" in svg


def _episode(**bounds) -> pd.DataFrame:
    """A one-row ``sequence`` table with the given bounds (the rest empty)."""
    row = {c: "" for c in ("onset_phrases", "recovery_phrases", "disputed", "coarse", "pattern", "conflict_ids")}
    row.update(
        episode_id="E1", platform="iserv-video", day=pd.Timestamp("2021-01-11").date(), episode=1, state="outage",
        onset_claim_ids="", recovery_claim_ids="", claim_ids="", statement_claim_ids="",
    )  # fmt: skip
    for key in ("onset_earliest", "onset_latest", "recovery_earliest", "recovery_latest"):
        row[key] = pd.Timestamp(bounds[key], tz="Europe/Berlin") if bounds.get(key) else pd.NaT
    for key in ("onset_earliest_words", "onset_latest_words", "recovery_earliest_words", "recovery_latest_words"):
        row[key] = ""
    return pd.DataFrame([row])


def _generated_sequence(**bounds):
    """The fixture incident's tables with its sequence replaced by one GENERATED episode (not evidence)."""
    from fixtures.sitekit import incident_tables

    from incident.publish import exhibits

    desc, tables = incident_tables("fixture-2021")
    ids = list(tables["claims_resolved"]["claim_id"][:2])
    seq = _episode(**bounds)
    seq["onset_claim_ids"], seq["recovery_claim_ids"], seq["claim_ids"] = ids[0], ids[1], "; ".join(ids)
    tables["sequence"] = seq
    return desc, exhibits.sequence_data(tables, incident=desc)


def test_sequence_draws_a_multi_day_episode_across_days_generated_frame():
    """GENERATED episode (made up for the test, no source): onset Monday 20-21 Uhr, recovery Wednesday 9-10 Uhr."""
    desc, frame = _generated_sequence(
        onset_earliest="2021-01-11 20:00", onset_latest="2021-01-11 21:00",
        recovery_earliest="2021-01-13 09:00", recovery_latest="2021-01-13 10:00",
    )  # fmt: skip
    drawn = frame[frame["part"].isin(["sicher", "beginn", "ende"])]
    by_day = {d: sorted(zip(g["part"], g["start"], g["end"])) for d, g in drawn.groupby("date")}
    assert by_day == {
        "2021-01-11": [("beginn", 20.0, 21.0), ("sicher", 21.0, 24.0)],
        "2021-01-12": [("sicher", 0.0, 24.0)],
        "2021-01-13": [("ende", 9.0, 10.0), ("sicher", 0.0, 9.0)],
    }
    texts = frame[frame["part"].str.startswith("text_")]
    assert {"seit Mo. 11.1.", "weiter am Di. 12.1.", "weiter am Mi. 13.1."} <= set(texts["text"])
    assert texts.loc[texts["date"] == "2021-01-13", "text"].str.startswith("Ende 9–10 Uhr").any()
    chart = charts.sequence_chart(frame, headline="h", description="d" * 50, day_hours=(6, 18), x_title="Uhrzeit")
    spec = chart.to_dict()
    axis_values = spec["spec"]["layer"][0]["encoding"]["x"]["axis"]["values"]
    assert axis_values[0] == 0 and axis_values[-1] == 24  # night included: nothing clipped
    svg = charts.render_svg(spec)
    assert "Mittwoch, 13. Januar 2021" in svg and "weiter am Di. 12.1." in svg


def test_sequence_axis_widens_to_an_evening_bound_generated_frame():
    """GENERATED episode: a recovery at 21:00 lies on the axis and is labelled (day hours 6-18 stay preferred)."""
    _, frame = _generated_sequence(onset_latest="2021-01-11 10:00", recovery_earliest="2021-01-11 20:00",
                                   recovery_latest="2021-01-11 21:00")  # fmt: skip
    chart = charts.sequence_chart(frame, headline="h", description="d" * 50, day_hours=(6, 18), x_title="Uhrzeit")
    spec = chart.to_dict()
    scale = spec["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert scale == [6.0, 21.0]
    svg = charts.render_svg(spec)
    assert "Ende 20–21 Uhr" in svg and "20 Uhr" in svg
    timeline = spec["usermeta"]["timeline"]
    assert timeline["lo"] == 6.0 and timeline["hi"] == 21.0
    assert any(line["text"] == "Ende 20–21 Uhr" for line in timeline["days"][0]["rows"][0]["lines"])


def test_sequence_timeline_keeps_every_label_of_the_wide_chart():
    chart, frame = build_chart("sequence")
    timeline = chart.to_dict()["usermeta"]["timeline"]
    narrow = {(line["text"], line["said"]) for d in timeline["days"] for r in d["rows"] for line in r["lines"]}
    wide = set(
        zip(
            frame.loc[frame["part"].str.startswith("text_"), "text"],
            frame.loc[frame["part"].str.startswith("text_"), "said"],
        )
    )
    assert wide == narrow and wide


def test_number_format_renders_german():
    chart, _ = build_chart("quantities")
    svg = charts.render_svg(chart.to_dict())
    assert "100\u202f000" in svg and "2500" in svg and "laut WAZ" in svg
    assert "100,000" not in svg


def test_quantities_share_one_log_axis_so_figures_differ_in_position():
    chart, frame = build_chart("quantities")
    spec = chart.to_dict()
    assert spec["resolve"]["scale"].get("x", "shared") == "shared"
    x = spec["spec"]["layer"][0]["encoding"]["x"]
    assert x["scale"]["type"] == "log" and "logarithmische Skala:" in x["axis"]["title"]
    svg = charts.render_svg(spec)

    def x_of(label: str) -> float:
        found = re.search(r'translate\(([0-9.]+),[0-9.]+\)"[^>]*>' + re.escape(label) + "<", svg)
        assert found, label
        return float(found.group(1))

    # 2.500 and 100.000 (a factor 40) sit log10(40) ≈ 1.6 decades apart, not at one bar length
    small, large = x_of("2500"), x_of("100\u202f000")
    assert large - small > 100

    # the axis writes its ticks as the text writes numbers: "1000", "10 000", never d3's "10.000"
    ticks = re.findall(r"role-axis-label.*?</g>", svg, flags=re.S)
    labels = re.findall(r">([^<>]+)</text>", "".join(ticks))
    assert "1000" in labels and "10\u202f000" in labels, labels
    assert not [x for x in labels if re.fullmatch(r"\d{1,3}(\.\d{3})+", x)], labels


def test_statements_axis_shows_days_rows_are_labelled_and_one_green():
    chart, frame = build_chart("statements")
    spec = chart.to_dict()
    svg = charts.render_svg(spec)
    assert "Tag (MEZ, UTC+1)" in svg and "Uhrzeit" not in svg
    assert "Aussagen" in svg and "Störungsmeldungen" in svg
    colours = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["range"]
    greens = [c for c in colours if c.upper() in ("#009E73", "#5CC2A2", "#56B4E9")]
    assert len(greens) <= 1 and len(set(colours)) == len(colours)


def test_coverage_labels_half_days_with_their_date():
    from incident.publish import exhibits

    stamp = pd.Timestamp("2021-01-18 00:00", tz="Europe/Berlin")
    assert exhibits.half_day_label(stamp, "Europe/Berlin") == "Mo. 18.1. vorm."
    assert exhibits.half_day_label(stamp - pd.Timedelta(days=7), "Europe/Berlin") != "Mo. 18.1. vorm."


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


def test_coverage_over_two_weeks_names_each_day_once_generated_frame():
    """Generated: 14 days = 28 half-days. At 360 px dated half-day labels overlap, so a long window's axis
    names each day once (at its morning column); a short window keeps every half-day label."""
    days = pd.date_range("2030-03-04", periods=14, freq="D")
    half_days = [f"{d.strftime('%d.%m.')} {h}" for d in days for h in ("vorm.", "nachm.")]
    frame = chart_frame("coverage").iloc[:1].copy()
    frame["half_day"] = half_days[0]
    chart = charts.coverage_chart(frame, headline="h", description="d", half_days=half_days)
    svg = charts.render_svg(chart.to_dict())
    shown = [h for h in half_days if f">{h}<" in svg]
    assert shown == []  # no half-day label as such
    assert all(f">{h.removesuffix(' vorm.')}<" in svg for h in half_days if h.endswith("vorm."))
    short = charts.coverage_chart(frame, headline="h", description="d", half_days=half_days[:4])
    assert all(f">{h}<" in charts.render_svg(short.to_dict()) for h in half_days[:4])
