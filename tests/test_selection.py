"""A run with other parameters cuts every section to its selection (incident.publish.selection).

The tables here are written by hand for these tests; each expected row set is worked out from
the rule in the module docstring, not from the code.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident.publish import selection

D1, D2 = date(2030, 3, 11), date(2030, 3, 12)


class _Desc:
    """The few descriptor attributes the selection reads."""

    timezone = "Europe/Berlin"
    context_ids = frozenset({"general"})
    article_platforms = ("a", "b")
    days = [D1, D2]

    def platform_name(self, p: str) -> str:
        return {"a": "Alpha", "b": "Beta", "c": "Gamma"}.get(p, p)


DESC = _Desc()


def _tables() -> dict[str, pd.DataFrame]:
    claims = pd.DataFrame(
        {
            "claim_id": ["k1", "k2", "k3", "k4", "k5", "k6", "k7"],
            "source_id": ["s1", "s2", "s2", "s3", "s4", "s4", "s5"],
            "platform": ["a", "b; a", "general", "b", "a", "", "c"],
            # k5: a on the second day (23:30 UTC on the 11th is 00:30 on the 12th in Berlin); k3: undated
            "start": pd.to_datetime(
                ["2030-03-11T07:00Z", "2030-03-11T08:00Z", None, "2030-03-11T09:00Z", "2030-03-11T23:30Z", None, None],
                utc=True,
            ),
            "refers_to_day": ["", "", "", "", "", "2030-03-12", ""],
        }
    )
    seq = pd.DataFrame({"episode_id": ["E1", "E2", "E3"], "platform": ["a", "a", "b"], "day": [D1, D2, D1]})
    sources = pd.DataFrame({"source_id": ["s1", "s2", "s3", "s4", "s5"], "outlet": list("VWXYZ")})
    copies = pd.DataFrame({"claim_ids": ["k1; k4", "k4", ""]})
    return {"claims_resolved": claims, "sequence": seq, "sources": sources, "copies": copies}


def test_the_whole_publication_is_not_cut():
    tables = _tables()
    whole = selection.make(DESC, platforms=["b", "a"], days=[D2, D1])
    assert whole.whole
    assert selection.restrict(tables, whole, DESC) is tables
    assert selection.describe(whole, DESC) == ""


def test_one_platform_on_one_day_keeps_exactly_the_hand_worked_rows():
    chosen = selection.make(DESC, platforms=["a"], days=[D1])
    assert not chosen.whole
    out = selection.restrict(_tables(), chosen, DESC)
    # k1 a/D1; k2 names a; k3 context, undated; k4 only b; k5 a but local day D2; k6 no platform, D2; k7 c
    assert list(out["claims_resolved"]["claim_id"]) == ["k1", "k2", "k3"]
    assert list(out["sequence"]["episode_id"]) == ["E1"]
    assert list(out["sources"]["source_id"]) == ["s1", "s2"]  # the sources of kept claims only
    assert list(out["copies"]["claim_ids"]) == ["k1; k4"]  # a pair is kept when one of its claims is


def test_the_page_says_which_selection_it_shows():
    text = selection.describe(selection.make(DESC, platforms=["a", "c"], days=[D2]), DESC)
    assert "Alpha und Gamma" in text and "Dienstag, 12. März 2030" in text
    assert "Auswahl" in text
    every_day = selection.describe(selection.make(DESC, platforms=["c"], days=[D1, D2]), DESC)
    assert "alle Tage" in every_day


def test_downloads_are_cut_like_the_tables():
    chosen = selection.make(DESC, platforms=["a"], days=[D1])
    kept = selection.restrict(_tables(), chosen, DESC)
    csv = "episode_id,platform,day\nE1,a,2030-03-11\nE2,a,2030-03-12\nE3,b,2030-03-11\n"
    assert selection.restrict_download("sequence.csv", csv, selection=chosen, incident=DESC, kept=kept) == (
        "episode_id,platform,day\nE1,a,2030-03-11\n"
    )
    dw = 'Bezeichnung,Plattform,Tag\n"Alpha, Mo. 11.3.",Alpha,Mo. 11.3.\n"Alpha, Di. 12.3.",Alpha,Di. 12.3.\nB,Beta,2030-03-11\n'
    cut = selection.restrict_download("datawrapper_conflicts.csv", dw, selection=chosen, incident=DESC, kept=kept)
    assert cut.splitlines()[1:] == ['"Alpha, Mo. 11.3.",Alpha,Mo. 11.3.']
    events = [
        {"group": "Alpha", "start_date": {"year": "2030", "month": "3", "day": "11"}},
        {"group": "Alpha", "start_date": {"year": "2030", "month": "3", "day": "12"}},
        {"group": "Beta", "start_date": {"year": "2030", "month": "3", "day": "11"}},
    ]
    doc = json.loads(
        selection.restrict_download(
            "timeline.json", json.dumps({"events": events}), selection=chosen, incident=DESC, kept=kept
        )
    )
    assert doc["events"] == events[:1]
    whole = selection.make(DESC, platforms=["a", "b"], days=[D1, D2])
    assert selection.restrict_download("sequence.csv", csv, selection=whole, incident=DESC, kept=kept) == csv


@given(
    platforms=st.lists(st.sampled_from(["a", "b", "c", "general"]), min_size=0, max_size=3, unique=True),
    chosen=st.sets(st.sampled_from(["a", "b", "c"]), min_size=1),
    day=st.sampled_from([None, D1, D2]),
    days=st.sets(st.sampled_from([D1, D2]), min_size=1),
)
def test_the_row_rule_against_its_plain_statement(platforms, chosen, day, days):
    sel = selection.Selection(platforms=tuple(sorted(chosen)), days=tuple(sorted(days)), whole=False)
    kept = selection.keeps_row(platform="; ".join(platforms), day=day, selection=sel, context_ids={"general"})
    about_selected = any(p in chosen for p in platforms)
    about_nothing = all(p == "general" for p in platforms)  # also true for no platform at all
    assert kept == ((about_selected or about_nothing) and (day is None or day in days))


@pytest.mark.parametrize("name", ["sequence", "claims_resolved"])
def test_restrict_keeps_the_columns_of_an_emptied_table(name):
    chosen = selection.make(DESC, platforms=["c"], days=[D2])
    out = selection.restrict(_tables(), chosen, DESC)
    assert list(out[name].columns) == list(_tables()[name].columns)
    assert out["sequence"].empty
