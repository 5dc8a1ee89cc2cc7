"""The provenance gate fails on every published number or time without a resolvable claim."""

from __future__ import annotations

import pandas as pd
import pytest

from fixtures.sitekit import INCIDENT_TREE, chart_frame
from incident.publish import provenance
from incident.publish.charts import CHARTS
from incident.errors import ProvenanceError

PROCESSED = INCIDENT_TREE / "data" / "processed" / "fixture-2021"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / name, dtype=str, keep_default_na=False)


@pytest.fixture()
def tables():
    return {
        "facts": _read("facts.csv"),
        "charts": {name: chart_frame(name) for name in CHARTS},
        "sources": _read("sources.csv"),
        "claims": _read("claims_resolved.csv"),
    }


def _check(tables):
    provenance.check(tables["facts"], tables["charts"], tables["sources"], tables["claims"])


def test_fixture_passes(tables):
    _check(tables)


def test_missing_claim_id_in_fact_fails(tables):
    tables["facts"].loc[1, "claim_ids"] = ""
    with pytest.raises(ProvenanceError, match=r"facts, row 1 \(f02\): no claim_ids"):
        _check(tables)


def test_dangling_claim_id_fails(tables):
    tables["facts"].loc[0, "claim_ids"] = "fx-betreiber#3; fx-nirgends#9"
    with pytest.raises(ProvenanceError, match="fx-nirgends#9"):
        _check(tables)


def test_every_violation_is_listed(tables):
    tables["facts"].loc[0, "claim_ids"] = "fx-nirgends#1"
    tables["charts"]["surge"].loc[2, "claim_ids"] = ""
    tables["charts"]["coverage"].loc[0, "claim_ids"] = "fx-waz#1; fx-weg#2"
    found = provenance.violations(tables["facts"], tables["charts"], tables["sources"], tables["claims"])
    assert [(v.table, v.row) for v in found] == [("facts", 0), ("chart coverage", 0), ("chart surge", 2)]
    with pytest.raises(ProvenanceError, match="3 published value"):
        _check(tables)


def test_source_without_url_or_date_fails(tables):
    sources = tables["sources"]
    sources.loc[sources["source_id"] == "fx-rp", "url"] = "javascript:alert(1)"
    sources.loc[sources["source_id"] == "fx-spiegel", "published"] = ""
    found = provenance.violations(tables["facts"], tables["charts"], sources, tables["claims"])
    reasons = " ".join(v.reason for v in found)
    assert "'fx-rp' has no http(s) URL" in reasons
    assert "'fx-spiegel' has no publication date" in reasons


def test_claim_with_unknown_source_fails(tables):
    claims = tables["claims"]
    claims.loc[claims["claim_id"] == "fx-wdr#5", "source_id"] = "fx-gibtsnicht"
    with pytest.raises(ProvenanceError, match="unknown source 'fx-gibtsnicht'"):
        _check(tables)


def test_rows_without_numbers_or_times_are_exempt():
    frame = pd.DataFrame({"platform": ["IServ"], "label": ["Text"], "claim_ids": [""], "sources": ["WAZ"]})
    sources = pd.DataFrame({"source_id": ["s"], "url": ["https://example.org"], "published": ["2021"]})
    claims = pd.DataFrame({"claim_id": ["s#1"], "source_id": ["s"]})
    facts = pd.DataFrame(columns=list(provenance.FACT_COLUMNS))
    provenance.check(facts, {"x": frame}, sources, claims)
    frame["start"] = ["2021-01-11T08:00:00"]
    with pytest.raises(ProvenanceError, match="chart x, row 0"):
        provenance.check(facts, {"x": frame}, sources, claims)


def test_missing_columns_are_reported(tables):
    with pytest.raises(ProvenanceError, match="claims table lacks column"):
        provenance.check(tables["facts"], {}, tables["sources"], tables["claims"].drop(columns=["source_id"]))


def test_split_ids():
    assert provenance.split_ids("a#1; b#2;") == ["a#1", "b#2"]
    assert provenance.split_ids(float("nan")) == [] and provenance.split_ids(None) == []
