"""The descriptor's zone reaches the parser: a GENERATED incident read on New York's clock.

``incident.generate.write_incident(zone="America/New_York")`` writes the generated summer
incident (Wednesday 19 June 2030; labelled generated, example.org URLs) with New York's local
publication times (UTC−4 in June). Every phrase must be read on that wall clock, and what is
published must show New York's local times. The expected times are worked out by hand from
docs/timeexpr.md ("gegen halb zehn" = 09:30 ± 15 min = 09:15–09:45, "kurz nach 11 Uhr" = 11:00–11:15).
"""

from __future__ import annotations

import pandas as pd
import pytest

from incident import config, generate
from incident.evidence.descriptor import load_descriptor
from incident.evidence.load import load_incident
from incident.reconstruct import reconstruct
from incident.timeexpr import parse_parts

NY = "America/New_York"


@pytest.fixture(scope="module")
def new_york(tmp_path_factory):
    home = tmp_path_factory.mktemp("zone")
    generate.write_incident(
        home, schema_from=config.paths("schulstart-2021").raw, incident_id=generate.NEW_YORK_ID, zone=NY
    )
    p = config.paths(generate.NEW_YORK_ID, home=home)
    desc = load_descriptor(p)
    return p, desc, reconstruct(load_incident(p, incident=desc), incident=desc)


def test_the_generated_incident_is_labelled_and_in_new_york(new_york):
    p, desc, _ = new_york
    assert "GENERATED" in (p.raw / "incident.yaml").read_text(encoding="utf-8")
    assert desc.timezone == NY
    sources = pd.read_csv(p.raw / "sources.csv", dtype=str)
    assert (sources["verification_note"] == "generated").all()
    assert "2030-06-19T10:05-04:00" in set(sources["published"])


def test_phrases_are_read_on_the_incident_clock(new_york):
    _, _, r = new_york
    c = r.claims.set_index("claim_id")
    halb_zehn = c.loc["gen-q01-sommer#1"]  # "am Mittwoch" + "gegen halb zehn"
    assert halb_zehn["start"] == pd.Timestamp("2030-06-19 09:15", tz=NY)
    assert halb_zehn["end"] == pd.Timestamp("2030-06-19 09:45", tz=NY)
    assert halb_zehn["start"].utcoffset() == pd.Timedelta(hours=-4)
    kurz_nach = c.loc["gen-q02-sommer#1"]  # "am Mittwoch" + "kurz nach 11 Uhr"
    assert (kurz_nach["start"], kurz_nach["end"]) == (
        pd.Timestamp("2030-06-19 11:00", tz=NY),
        pd.Timestamp("2030-06-19 11:15", tz=NY),
    )
    # the same phrases read on Berlin's clock would be six hours earlier in absolute time
    berlin = parse_parts("am Mittwoch", "gegen halb zehn", "2030-06-19T10:05-04:00")
    assert pd.Timestamp(berlin.start) - halb_zehn["start"] == pd.Timedelta(hours=-6)


def test_the_ablauf_and_the_fact_box_show_local_times(new_york):
    _, desc, r = new_york
    from incident.publish.facts import fact_box

    lern = r.sequence[r.sequence["platform"] == "lernwolke"].iloc[0]
    assert str(lern["day"]) == "2030-06-19"
    assert lern["onset_earliest"] == pd.Timestamp("2030-06-19 09:15", tz=NY)
    tables = {"claims_resolved": r.claims, "sequence": r.sequence, "conflicts": r.conflicts, "sources": r.sources}
    box = fact_box(tables, incident=desc).set_index("label")
    onset = box.loc["Lernwolke am Mittwoch, 19. Juni: Beginn der Störung", "value_text"]
    assert onset == "zwischen 9.15 und 9.45 Uhr"
    assert desc.zone_label(desc.window[0]) != "MESZ, UTC+2"
    assert "UTC-4" in desc.zone_label(desc.window[0]).replace("−", "-")


def test_a_zone_that_does_not_exist_is_refused():
    from incident.errors import TimeExpressionError

    with pytest.raises(TimeExpressionError):
        parse_parts("am Mittwoch", "gegen 9 Uhr", "2030-06-19", zone="Mars/Olympus")
