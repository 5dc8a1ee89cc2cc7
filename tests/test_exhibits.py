"""incident.publish.exhibits and incident.publish.facts on the real processed tables (built into a temporary tree)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from incident import config, process
from incident.publish import charts, exhibits, facts, provenance

REAL = config.paths()


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    p = config.paths(REAL.incident, home=tmp_path_factory.mktemp("exhibits"))
    shutil.copytree(REAL.raw, p.raw)
    process.run(p, n_boot=20)
    return exhibits.read_processed(p)


def _claims(tables):
    return set(tables["claims_resolved"]["claim_id"])


def _assert_evidence(frame: pd.DataFrame, tables) -> None:
    """Every row carries claim ids that exist, and an outlet for the source line."""
    known = _claims(tables)
    for column in charts.EVIDENCE:
        assert column in frame.columns
    assert "_ids" not in frame.columns
    for ids, outlets in zip(frame["claim_ids"], frame["sources"]):
        parsed = provenance.split_ids(ids)
        assert parsed and set(parsed) <= known
        assert outlets


def test_time_columns_are_read_as_berlin_times(tables):
    assert str(tables["claims_resolved"]["start"].dt.tz) == "Europe/Berlin"
    assert str(tables["sequence"]["onset"].dt.tz) == "Europe/Berlin"


def test_sequence_data_keeps_only_the_requested_platforms(tables):
    data = exhibits.sequence_data(tables, platforms=("iserv-video",))
    assert set(data["platform"]) == {charts.platform_label("iserv-video")}
    assert {"kern", "konflikt"} <= set(data["part"])  # the Monday fix conflict is marked on IServ-Video
    kern = data[data["part"] == "kern"]
    assert (kern["start"] < kern["end"]).all()  # wall-clock ISO strings compare in time order
    assert kern["start"].str.fullmatch(r"2021-01-1\dT\d\d:\d\d:00").all()
    _assert_evidence(data, tables)


def test_coverage_counts_independent_groups_not_copies(tables):
    data = exhibits.coverage_data(tables, platforms=("iserv-video",))
    claims = tables["claims_resolved"].set_index("claim_id")
    for row in data.itertuples():
        groups = claims.loc[provenance.split_ids(row.claim_ids), "account_group"].nunique()
        assert row.n_sources == groups >= 1
    assert data["half_day"].str.endswith(("T00:00:00", "T12:00:00")).all()
    _assert_evidence(data, tables)


def test_coverage_respects_the_date_range(tables):
    monday = exhibits.coverage_data(tables, platforms=("iserv-video",), week=("2021-01-11", "2021-01-12"))
    assert set(monday["half_day"]) <= {"2021-01-11T00:00:00", "2021-01-11T12:00:00"}
    assert len(monday) >= 1


def test_statements_data_separates_official_statements_from_reports(tables):
    data = exhibits.statements_data(tables)
    assert {"Betreiber-Aussage", "Meldung"} == set(data["kind"])
    said = data[data["kind"] == "Betreiber-Aussage"]
    assert set(said["stance"]) <= set(exhibits.STATEMENT_DE.values())
    assert (data.loc[data["kind"] == "Meldung", "stance"] == "Störung gemeldet").all()
    # Eledia's "stable" statement on Logineo NRW LMS is among the official statements
    assert ((said["platform"] == charts.platform_label("logineo-lms")) & (said["stance"] == "„läuft stabil“")).any()
    _assert_evidence(data, tables)


def test_figures_data_shows_both_sides_of_the_iserv_school_count(tables):
    data = exhibits.figures_data(tables, labels=facts.ARTICLE_QUANTITIES)
    schools = data[data["quantity"] == facts.ARTICLE_QUANTITIES["iserv_schools"]]
    assert {4100.0, 4500.0} <= set(schools["value"])
    _assert_evidence(data, tables)


def test_changepoint_data_layers_and_window(tables):
    data = exhibits.changepoint_data(tables, platforms=("iserv-video",), span=("2021-01-11T05:00", "2021-01-12T20:00"))
    assert {"anteil", "regime", "bruch"} <= set(data["layer"])
    share = data[data["layer"] == "anteil"]
    assert share["value"].between(0, 1).all()
    assert (share["time"] >= "2021-01-11T05:00:00").all() and (share["time"] <= "2021-01-12T20:00:00").all()
    _assert_evidence(data, tables)


def test_implied_rate_is_a_range():
    assert exhibits.implied_rate(100_000) == (10_000.0, 100_000.0)
    assert exhibits.implied_rate(100, seconds=(2.0, 4.0)) == (25.0, 50.0)
    with pytest.raises(ValueError):
        exhibits.implied_rate(1, seconds=(0.0, 1.0))


def test_fact_box_traces_every_fact_and_finds_the_named_figures(tables):
    box = facts.fact_box(tables)
    provenance.check(box, {}, tables["sources"], tables["claims_resolved"])  # raises on any untraced fact
    assert box["fact_id"].is_unique
    requests = box[box["fact_id"].str.contains("iserv_video_requests_0800")]
    assert requests["value"].tolist() == ["100000"] and "100.000" in requests["value_text"].iloc[0]
    reports = box[box["fact_id"].str.contains("netzwelt_iserv_reports_tue")]
    assert set(reports["value"]) == {"4000", "5000"} and (reports["note"] != "").all()
    conflicts = box[box["label"].str.contains("widersprechen")]
    assert any("gegen 14 Uhr" in v for v in conflicts["value_text"])


def test_fact_box_cites_only_windows_with_enough_sources(tables):
    strict = facts.fact_box(tables, min_sources=1000)
    assert not strict["fact_id"].str.contains(r"-W\d+-").any()
    loose = facts.fact_box(tables, min_sources=1)
    assert loose["fact_id"].str.contains(r"-W\d+-beginn").any()


def test_save_fact_box_is_byte_identical(tables, tmp_path):
    p = config.paths("fixture", home=tmp_path)
    box = facts.fact_box(tables)
    first = facts.save_fact_box(box, p).read_bytes()
    assert facts.save_fact_box(box, p).read_bytes() == first
    assert first.startswith(b"fact_id,label,value_text,value,claim_ids,note\n")
