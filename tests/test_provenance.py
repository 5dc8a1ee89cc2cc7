"""The provenance gate fails on every published number or time without a resolvable claim."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.sitekit import chart_frame, incident_tables

from incident.errors import ProvenanceError
from incident.publish import facts, provenance
from incident.publish.charts import CHARTS


@pytest.fixture()
def tables():
    desc, tabs = incident_tables("fixture-2021")
    box = facts.fact_box(tabs, incident=desc)
    as_text = lambda f: f.astype(str).replace({"nan": "", "NaT": "", "<NA>": ""})  # noqa: E731 - as the site reads CSVs
    return {
        "facts": as_text(box),
        "charts": {name: as_text(chart_frame(name)) for name in CHARTS},
        "sources": as_text(tabs["sources"]),
        "claims": as_text(tabs["claims_resolved"]),
    }


def _check(tables):
    provenance.check(tables["facts"], tables["charts"], tables["sources"], tables["claims"])


def test_fact_columns_are_the_fact_box_columns():
    assert (
        provenance.FACT_COLUMNS
        == facts.FACT_COLUMNS
        == ("fact_id", "kind", "label", "value_text", "value", "phrases", "claim_ids", "note")
    )


def test_fixture_passes(tables):
    _check(tables)


def test_missing_claim_id_in_fact_fails(tables):
    tables["facts"].loc[1, "claim_ids"] = ""
    fid = tables["facts"].loc[1, "fact_id"]
    with pytest.raises(ProvenanceError, match=rf"facts, row 1 \({fid}\): no claim_ids"):
        _check(tables)


def test_dangling_claim_id_fails(tables):
    tables["facts"].loc[0, "claim_ids"] = "fx-waz#3; fx-nirgends#9"
    with pytest.raises(ProvenanceError, match="fx-nirgends#9"):
        _check(tables)


def test_every_violation_is_listed(tables):
    tables["facts"].loc[0, "claim_ids"] = "fx-nirgends#1"
    tables["charts"]["quantities"].loc[1, "claim_ids"] = ""
    tables["charts"]["coverage"].loc[0, "claim_ids"] = "fx-waz#1; fx-weg#2"
    found = provenance.violations(tables["facts"], tables["charts"], tables["sources"], tables["claims"])
    assert [(v.table, v.row) for v in found] == [("facts", 0), ("chart coverage", 0), ("chart quantities", 1)]
    with pytest.raises(ProvenanceError, match="3 published value"):
        _check(tables)


def test_source_without_safe_url_or_date_fails(tables):
    sources = tables["sources"]
    sources.loc[sources["source_id"] == "fx-rp", "url"] = "javascript:alert(1)"
    sources.loc[sources["source_id"] == "fx-waz", "url"] = "https://www.waz.de@evil.example/x"
    sources.loc[sources["source_id"] == "fx-wdr", "published"] = ""
    found = provenance.violations(tables["facts"], tables["charts"], sources, tables["claims"])
    reasons = " ".join(v.reason for v in found)
    assert "'fx-rp' has no safe http(s) URL (scheme javascript: is not http or https)" in reasons
    assert "'fx-waz' has no safe http(s) URL (user info before the host" in reasons
    assert "'fx-wdr' has no publication date" in reasons


def test_claim_with_unknown_source_fails(tables):
    claims = tables["claims"]
    claims.loc[claims["claim_id"] == "fx-waz#3", "source_id"] = "fx-gibtsnicht"
    with pytest.raises(ProvenanceError, match="unknown source 'fx-gibtsnicht'"):
        _check(tables)


def test_rows_without_numbers_or_times_are_exempt():
    frame = pd.DataFrame({"platform": ["IServ"], "label": ["Text"], "claim_ids": [""], "sources": ["WAZ"]})
    sources = pd.DataFrame({"source_id": ["s"], "url": ["https://example.org"], "published": ["2021"]})
    claims = pd.DataFrame({"claim_id": ["s#1"], "source_id": ["s"]})
    box = pd.DataFrame(columns=list(provenance.FACT_COLUMNS))
    provenance.check(box, {"x": frame}, sources, claims)
    frame["start"] = ["2021-01-11T08:00:00"]
    with pytest.raises(ProvenanceError, match="chart x, row 0"):
        provenance.check(box, {"x": frame}, sources, claims)


def test_missing_columns_are_reported(tables):
    with pytest.raises(ProvenanceError, match="claims table lacks column"):
        provenance.check(tables["facts"], {}, tables["sources"], tables["claims"].drop(columns=["source_id"]))
    with pytest.raises(ProvenanceError, match="facts table lacks column"):
        provenance.check(tables["facts"].drop(columns=["phrases"]), {}, tables["sources"], tables["claims"])


def test_split_ids():
    assert provenance.split_ids("a#1; b#2;") == ["a#1", "b#2"]
    assert provenance.split_ids(float("nan")) == [] and provenance.split_ids(None) == []
