"""incident.publish.exhibits (chart inputs) and the fact box on the fixture incident's processed tables."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.sitekit import incident_tables

from incident.ids import split_ids
from incident.publish import charts, exhibits, facts, provenance


@pytest.fixture(scope="module")
def fixture():
    return incident_tables("fixture-2021")


def _assert_evidence(frame: pd.DataFrame, tables) -> None:
    """Every row carries claim ids that exist, and outlets (short names) for the source line."""
    known = set(tables["claims_resolved"]["claim_id"])
    for column in charts.EVIDENCE:
        assert column in frame.columns
    assert "_ids" not in frame.columns
    for ids, outlets in zip(frame["claim_ids"], frame["sources"]):
        parsed = split_ids(ids)
        assert parsed and set(parsed) <= known
        assert outlets and "(" not in outlets  # the data desk's notes stay out of the chart


def test_sequence_data_gives_bounds_in_hours_and_labels(fixture):
    desc, tables = fixture
    data = exhibits.sequence_data(tables, incident=desc)
    monday = data[(data["platform"] == "IServ-Video") & (data["date"] == "2021-01-11")].set_index("part")
    assert monday.loc["beginn", ["start", "end"]].tolist() == [7.75, 8.25]
    assert monday.loc["beginn", ["cap_start", "cap_end"]].tolist() == [True, True]  # hard stops at both bounds
    assert monday.loc["sicher", ["start", "end"]].tolist() == [8.25, 11.5]
    assert monday.loc["ende", ["start", "end"]].tolist() == [11.5, 14.5]
    assert monday.loc["text_beginn", "text"] == "Beginn 7.45–8.15 Uhr"
    assert monday.loc["text_ende", "label"] == "Ende: zwischen 11.30 und 14.30 Uhr (umstritten)"
    assert monday.loc["text_ende", "text"] == "Ende 11.30–14.30 Uhr, umstritten"
    assert (monday["state"] == "Ausfall").all() and (monday["day"] == "Montag, 11. Januar 2021").all()
    moodle = data[data["platform"] == "Moodle des KRZN"].set_index("part")
    # an onset bounded from above only: its stop at 10:00 and „unbekannt“ before it, no invented start
    assert moodle.loc["beginn", ["start", "end", "unknown"]].tolist() == [10.0, 10.0, "before"]
    assert bool(moodle.loc["text_beginn", "open"]) and moodle.loc["text_beginn", "text"] == (
        "Beginn unbekannt, spätestens 10 Uhr"
    )
    padlet = data[data["platform"] == "Padlet"]
    assert set(padlet["part"]) == {"text_beginn", "text_ende"}  # no bound at all: nothing drawn, both in words
    assert set(padlet["text"]) == {"Beginn unbekannt", "Ende unbekannt"}
    _assert_evidence(data, tables)


def test_sequence_data_keeps_only_the_requested_platforms_and_days(fixture):
    desc, tables = fixture
    data = exhibits.sequence_data(tables, incident=desc, platforms=("moodle-krzn",))
    assert set(data["platform"]) == {"Moodle des KRZN"}
    tuesday = exhibits.sequence_data(tables, incident=desc, days=("2021-01-12",))
    assert set(tuesday["date"]) == {"2021-01-12"}


def test_attribution_names_who_gives_the_phrase(fixture):
    desc, tables = fixture
    data = exhibits.sequence_data(tables, incident=desc)
    said = data.loc[data["part"].str.startswith("text_") & data["said"].ne(""), "said"]
    assert len(said) and all(": „" in s for s in said)


def test_edge_text():
    assert exhibits.edge_text("Beginn", "8:00 Uhr", open_=False, disputed=False) == "Beginn um 8:00 Uhr"
    assert exhibits.edge_text("Ende", "spätestens 14:00 Uhr", open_=True, disputed=True) == (
        "Ende unbekannt, spätestens 14:00 Uhr, umstritten"
    )
    assert exhibits.edge_text("Ende", "unbekannt", open_=True, disputed=False) == "Ende unbekannt"
    # the end of the day bounds the edge: "unbekannt" beside it would contradict it
    assert exhibits.edge_text("Ende", "im Laufe des Tages", open_=True, disputed=False) == "Ende im Laufe des Tages"
    assert (
        exhibits.edge_text("", "zwischen 7:30 und 8:30 Uhr", open_=False, disputed=False, short=True) == "7:30–8:30 Uhr"
    )
    assert exhibits.edge_text("", "spätestens 8:00 Uhr", open_=True, disputed=False, short=True) == "unbekannt"


def test_quantity_data_gives_the_span_in_words_never_a_moment(fixture):
    desc, tables = fixture
    data = exhibits.quantity_data(tables, incident=desc, quantities=["conferences_pre0800", "requests_0800", "schools"])
    by = data.set_index("value_text")
    assert by.loc["2.500 Konferenzen", "time"] == "Mo. 11.1., zwischen 6 und 8 Uhr"
    assert by.loc["100.000 Anfragen", "time"] == "Mo. 11.1., 8 Uhr"
    assert by.loc["rund 4100 Schulen", "time"] == ""  # no time named, none invented
    assert not data["time"].str.contains("0:00 Uhr").any()
    assert by.loc["2.500 Konferenzen", "unit"] == "Konferenzen"
    _assert_evidence(data, tables)


def test_statements_data_separates_official_statements_from_reports(fixture):
    desc, tables = fixture
    data = exhibits.statements_data(tables, incident=desc)
    assert {"Betreiber oder Behörde", "Meldung"} == set(data["kind"])
    said = data[data["kind"] == "Betreiber oder Behörde"]
    # the desk's words for what was said, never in quotation marks as if they were the speaker's
    assert set(said["stance"]) == {"sagt, es laufe stabil", "räumt Probleme ein", "keine Probleme bekannt"}
    assert (data.loc[data["kind"] == "Meldung", "stance"] == "Störung gemeldet").all()
    # spans reaching beyond the window are drawn to its edge
    assert (data["end"] <= "2021-01-13T00:00:00").all() and (data["start"] >= "2021-01-11T00:00:00").all()
    _assert_evidence(data, tables)


def test_figures_data_shows_both_sides_as_factors(fixture):
    desc, tables = fixture
    data = exhibits.figures_data(tables, incident=desc)
    assert data["quantity"].tolist() == ["Schulen, die IServ nutzen (Firmenangabe)"] * 2
    assert data["value"].tolist() == [4100.0, 4500.0] and data["factor"].tolist() == [1.0, round(4500 / 4100, 4)]
    _assert_evidence(data, tables)


def test_coverage_counts_independent_groups(fixture):
    desc, tables = fixture
    data = exhibits.coverage_data(tables, incident=desc)
    claims = tables["claims_resolved"].set_index("claim_id")
    for row in data.itertuples():
        assert row.n_sources == claims.loc[split_ids(row.claim_ids), "account_group"].nunique() >= 1
    assert set(data["half_day"]) <= set(exhibits.half_days(desc))
    _assert_evidence(data, tables)


def test_descriptions_are_german(fixture):
    desc, tables = fixture
    assert exhibits.describe_sequence(exhibits.sequence_data(tables, incident=desc)).startswith(
        "Zeitleiste mit vier Zeilen (Plattform und Tag) an zwei Tagen"
    )
    assert "Rasterdiagramm" in exhibits.describe_coverage(exhibits.coverage_data(tables, incident=desc))
    assert "4100" in exhibits.describe_quantities(exhibits.quantity_data(tables, incident=desc, quantities=["schools"]))


def test_implied_rate_is_a_range():
    assert exhibits.implied_rate(100_000) == (10_000.0, 100_000.0)
    assert exhibits.implied_rate(100, seconds=(2.0, 4.0)) == (25.0, 50.0)
    with pytest.raises(ValueError):
        exhibits.implied_rate(1, seconds=(0.0, 1.0))


def test_fact_box_traces_every_fact(fixture):
    desc, tables = fixture
    box = facts.fact_box(tables, incident=desc)
    assert list(box.columns) == list(provenance.FACT_COLUMNS)
    provenance.check(box, {}, tables["sources"], tables["claims_resolved"])  # raises on any untraced fact
    assert box["fact_id"].is_unique
    schools = box[box["fact_id"].str.contains("schools")]
    assert schools["value"].tolist() == [4100, 4500] and (schools["note"] != "").all()
    assert schools["value_text"].str.startswith(("4100 ", "4500 ")).all()  # the German wording beside it
    times = box[box["kind"] == "zeit"]
    assert "zwischen 11.30 und 14.30 Uhr" in times["value_text"].tolist()
    assert not times["value_text"].str.contains("unbekannt").any()  # an unbounded edge is not a fact
