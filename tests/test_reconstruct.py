"""Reconstruction: resolution, syndication, witnesses, consensus, conflicts, misdating, episodes.

Small evidence sets are built here with spans given directly (a dict resolver), so the
rules are tested independently of the phrase parser; the last tests run the real raw
tables through the real parser and check that the documented conflicts are *found*.
"""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from incident import config, reconstruct as rc
from incident.config import TIMEZONE

MON = pd.Timestamp("2021-01-11", tz=TIMEZONE)


def at(h, m=0, day=0):
    return MON + pd.Timedelta(days=day, hours=h, minutes=m)


#: phrase → (start, end, kind), Monday unless stated
SPANS = {
    ("am Montag", "am Mittag"): (at(11, 30), at(13, 30), "part_of_day"),
    ("am Montag", "gegen 14 Uhr"): (at(13, 30), at(14, 30), "approx"),
    ("am Montag", "ab 8 Uhr"): (at(8), at(8), "since"),
    ("am Montag", "am frühen Morgen"): (at(6), at(8), "part_of_day"),
    ("am Montag", "am Vormittag"): (at(8), at(12), "part_of_day"),
    ("am Montag", "um 12 Uhr"): (at(12), at(12), "exact"),
    ("am Montag", ""): (at(0), at(0, day=1), "day"),
    ("am Dienstag", ""): (at(0, day=1), at(0, day=2), "day"),
    ("am Freitag", "gegen 14 Uhr"): (at(13, 30, day=4), at(14, 30, day=4), "approx"),
}


def resolver(day_text, time_text, reference):
    key = (day_text or "", time_text or "")
    if key == ("am Montag", "") and str(reference).startswith("2020-12"):
        return SimpleNamespace(start=pd.Timestamp("2020-12-14", tz=TIMEZONE), end=pd.Timestamp("2020-12-15", tz=TIMEZONE),
                               kind="day", reason=None)
    if key not in SPANS:
        return SimpleNamespace(start=None, end=None, kind=None, reason="not in the test table")
    s, e, k = SPANS[key]
    return SimpleNamespace(start=s, end=e, kind=k, reason=None)


def source(sid, *, published="2021-01-11", group=None, kind="news", precision="day"):
    if precision == "day":
        p0 = pd.Timestamp(published, tz=TIMEZONE)
        at_, p1 = p0 + pd.Timedelta(hours=12), p0 + pd.Timedelta(days=1)
    else:
        p0 = pd.Timestamp(published + "-01", tz=TIMEZONE)
        at_, p1 = pd.NaT, p0 + pd.DateOffset(months=1)
    return {"source_id": sid, "outlet": sid, "url": f"https://example.org/{sid}", "headline": sid, "published": published,
            "published_precision": precision, "published_basis": "test", "kind": kind, "syndication_group": group or sid,
            "verified": "yes", "published_at": at_, "published_start": p0, "published_end": p1}


def claim(cid, *, platform="iserv-video", event="outage", stance="disrupted", day="am Montag", time="", cause=None,
          speaker=None, quote=None, operator="IServ GmbH", dossier_day=None):
    return {"claim_id": cid, "source_id": cid.split("#")[0], "platform": platform, "operator": operator, "what": "test",
            "day_text": day or None, "time_text": time or None, "speaker": speaker, "quote": quote, "kind": "event",
            "event": event, "stance": stance, "cause": cause, "dossier_day": dossier_day}


def evidence(sources, timeline=(), counts=(), statements=()):
    cols_c = ["claim_id", "source_id", "platform", "operator", "what", "day_text", "time_text", "speaker", "quote",
              "dossier_day", "kind", "value", "value_text", "unit", "quantity"]
    cols_s = ["claim_id", "source_id", "platform", "operator", "what", "day_text", "time_text", "speaker", "quote",
              "dossier_day", "kind", "role", "organisation", "stance"]
    return SimpleNamespace(
        sources=pd.DataFrame(list(sources)), timeline=pd.DataFrame(list(timeline)),
        counts=pd.DataFrame(list(counts), columns=cols_c), statements=pd.DataFrame(list(statements), columns=cols_s))


def count(cid, value, *, platform="iserv", unit="schools", day=None, time=None):
    return {"claim_id": cid, "source_id": cid.split("#")[0], "platform": platform, "operator": "IServ GmbH", "what": "n",
            "day_text": day, "time_text": time, "speaker": None, "quote": None, "dossier_day": None, "kind": "count",
            "value": value, "value_text": f"rund {value:g}", "unit": unit, "quantity": None}


# --------------------------------------------------------------------------- resolution and accounting


def test_every_claim_resolved_or_listed_with_reason():
    ev = evidence([source("a")], [claim("a#1", time="am Mittag"), claim("a#2", day="", time=""),
                                  claim("a#3", day="am Sonntag nach Ostern")])
    r = rc.reconstruct(ev, resolver=resolver)
    assert list(r.claims["claim_id"]) == ["a#1", "a#2", "a#3"]
    assert r.claims.set_index("claim_id")["resolved"].to_dict() == {"a#1": True, "a#2": False, "a#3": False}
    assert set(r.unresolved["claim_id"]) == {"a#2", "a#3"}
    assert (r.unresolved["reason"] != "").all()
    one = r.claims.set_index("claim_id").loc["a#1"]
    assert one["phrase"] == "am Montag | am Mittag" and one["start"] == at(11, 30) and one["span_kind"] == "part_of_day"
    assert one["reference"] == "2021-01-11"


def test_month_dated_source_resolves_only_week_invariant_phrases():
    calls = []

    def res(d, t, ref):
        calls.append(ref)
        if ref == "2021-01":
            return SimpleNamespace(start=None, end=None, kind=None, reason="relative phrase needs a day")
        if (d, t) == ("am Montag", None):  # the last Monday on or before each reference day
            return SimpleNamespace(start=MON, end=MON + pd.Timedelta(days=1), kind="day", reason=None)
        ref_day = pd.Timestamp(ref, tz=TIMEZONE)  # "heute": differs per reference day
        return SimpleNamespace(start=ref_day, end=ref_day + pd.Timedelta(days=1), kind="day", reason=None)

    ev = evidence([source("m", published="2021-01", precision="month")],
                  [claim("m#1", day="am Montag"), claim("m#2", day="heute")])
    r = rc.reconstruct(ev, resolver=res).claims.set_index("claim_id")
    assert r.loc["m#1", "resolved"] and r.loc["m#1", "start"] == MON and "any of" in r.loc["m#1", "reference"]
    assert not r.loc["m#2", "resolved"] and "incident week" in r.loc["m#2", "reason"]


# --------------------------------------------------------------------------- independence and witnesses


def test_agency_copies_are_one_account_own_reporting_is_another():
    srcs = [source("dpa1", group="dpa-x"), source("dpa2", group="dpa-x"), source("own")]
    tl = [claim("dpa1#1", event="fix", stance="working", time="am Mittag"),
          claim("dpa2#1", event="fix", stance="working", time="am Mittag"),
          claim("own#1", event="fix", stance="working", time="am Mittag")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    acc = r.accounts[r.accounts["event"] == "fix"]
    assert len(acc) == 2
    assert sorted(acc["n_claims"]) == [1, 2]
    cons = r.consensus[(r.consensus["event"] == "fix")].iloc[0]
    assert cons["n_accounts"] == 2 and cons["n_sources"] == 2 and cons["status"] == "consensus"
    assert set(cons["claim_ids"].split("; ")) == {"dpa1#1", "dpa2#1", "own#1"}


def test_operator_statement_and_reporter_are_different_witnesses():
    srcs = [source("op", kind="press_release"), source("news")]
    tl = [claim("op#1"), claim("news#1"), claim("news#2", speaker="Frank Vollmer, spokesman, IServ GmbH"),
          claim("news#3", speaker="NRW school ministry", operator="KRZN"),
          claim("news#4", speaker="head teacher, Gymnasium X")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    w = r.claims.set_index("claim_id")["witness"].to_dict()
    assert w == {"op#1": "operator", "news#1": "reporter", "news#2": "operator_quoted", "news#3": "authority",
                 "news#4": "affected"}
    # one article, two witness kinds → two accounts for the same platform × event × day
    acc = r.accounts[r.accounts["account_group"] == "news"]
    assert set(acc["witness"]) >= {"reporter", "operator_quoted"}


# --------------------------------------------------------------------------- consensus and conflicts


def test_consensus_window_is_the_overlap():
    srcs = [source("a"), source("b")]
    tl = [claim("a#1", event="degraded", time="am Vormittag"), claim("b#1", event="degraded", time="am Mittag")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    c = r.consensus[r.consensus["event"] == "degraded"].iloc[0]
    assert c["status"] == "consensus" and c["start"] == at(11, 30) and c["end"] == at(12)
    assert len(r.conflicts) == 0


def test_disjoint_fix_times_are_a_conflict_naming_both_sides():
    srcs = [source("dpa"), source("waz"), source("om")]
    tl = [claim("dpa#1", event="fix", stance="working", time="am Mittag", quote="Die Panne sei am Mittag behoben worden"),
          claim("om#1", event="restored", stance="working", time="um 12 Uhr"),
          claim("waz#1", event="fix", stance="working", time="gegen 14 Uhr", speaker="Frank Vollmer, IServ GmbH",
                quote="Erst gegen 14 Uhr lief es wieder")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    k = r.conflicts[r.conflicts["conflict_type"] == "time"]
    assert len(k) == 1
    k = k.iloc[0]
    assert set(k["side_a_source_ids"].split("; ")) == {"dpa", "om"} and k["side_b_source_ids"] == "waz"
    assert "am Mittag" in k["side_a_phrases"] and "gegen 14 Uhr" in k["side_b_phrases"]
    assert "behoben" in k["side_a_quotes"] and "Erst gegen 14 Uhr" in k["side_b_quotes"]
    assert set(k["claim_ids"].split("; ")) == {"dpa#1", "om#1", "waz#1"}
    assert k["gap_minutes"] == 0  # touching spans: 13:30 / 13:30 do not agree
    st_ = r.consensus.set_index("event").loc["fix", "status"]
    assert st_ == "conflict"


def test_exact_time_on_the_edge_of_a_span_agrees():
    srcs = [source("a"), source("b")]
    tl = [claim("a#1", event="outage_start", time="ab 8 Uhr"), claim("b#1", event="outage_start", time="am frühen Morgen")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    assert len(r.conflicts) == 0
    assert r.consensus.iloc[0]["status"] == "consensus"


def test_vague_day_account_does_not_make_or_break_a_time_conflict():
    srcs = [source("a"), source("b"), source("c")]
    tl = [claim("a#1", event="fix", stance="working", time="am Mittag"),
          claim("b#1", event="fix", stance="working", time="gegen 14 Uhr"),
          claim("c#1", event="fix", stance="working")]  # "am Montag": whole day
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    k = r.conflicts[r.conflicts["conflict_type"] == "time"]
    assert len(k) == 1 and "c#1" not in k.iloc[0]["claim_ids"]


def test_disjoint_state_reports_are_not_a_conflict():
    srcs = [source("a"), source("b")]
    tl = [claim("a#1", event="degraded", time="am frühen Morgen"), claim("b#1", event="degraded", time="gegen 14 Uhr")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    assert len(r.conflicts) == 0 and r.consensus.iloc[0]["status"] == "disjoint"


def test_cause_conflict_per_operator_unclear_is_no_cause():
    srcs = [source(x) for x in ("a", "b", "c", "d")]
    tl = [claim("a#1", event="cause_stated", cause="overload", time="ab 8 Uhr"),
          claim("b#1", event="cause_stated", cause="overload", day=""),
          claim("c#1", event="cause_stated", cause="mediation_error", quote="Fehler in der Vermittlungsstelle"),
          claim("d#1", event="cause_stated", cause="unclear")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    k = r.conflicts[r.conflicts["conflict_type"] == "cause"]
    assert len(k) == 1
    k = k.iloc[0]
    assert k["side_a_label"] == "overload" and k["side_b_label"] == "mediation_error"  # most cited first
    assert set(k["side_a_source_ids"].split("; ")) == {"a", "b"} and "Vermittlungsstelle" in k["side_b_quotes"]
    assert "d#1" not in k["claim_ids"]


def test_figure_conflict_with_tolerance():
    srcs = [source(x) for x in ("waz", "haz", "heise", "iserv")]
    cts = [count("waz#1", 4100), count("haz#1", 4500), count("heise#1", 4502), count("iserv#1", 4500)]
    r = rc.reconstruct(evidence(srcs, counts=cts), resolver=resolver)
    k = r.conflicts[r.conflicts["conflict_type"] == "figure"]
    assert len(k) == 1
    k = k.iloc[0]
    assert k["side_a_value"] == 4100 and k["side_a_source_ids"] == "waz"
    assert set(k["side_b_source_ids"].split("; ")) == {"haz", "heise", "iserv"}
    assert k["ratio"] == pytest.approx(4500 / 4100)
    r2 = rc.reconstruct(evidence(srcs[1:], counts=cts[1:]), resolver=resolver)
    assert len(r2.conflicts) == 0 and r2.consensus.iloc[0]["status"] == "consensus"


def test_figures_in_time_windows_are_keyed_per_day():
    srcs = [source("waz", published="2021-01-12"), source("wr", published="2021-01-12")]
    SPANS[("am Dienstag", "zwischen 8 und 10 Uhr")] = (at(8, day=1), at(10, day=1), "range")
    SPANS[("am Dienstag", "zwischen 9 und 11 Uhr")] = (at(9, day=1), at(11, day=1), "range")
    cts = [count("waz#1", 4000, unit="error_reports", day="am Dienstag", time="zwischen 8 und 10 Uhr"),
           count("wr#1", 5000, unit="error_reports", day="am Dienstag", time="zwischen 9 und 11 Uhr")]
    r = rc.reconstruct(evidence(srcs, counts=cts), resolver=resolver)
    k = r.conflicts.iloc[0]
    assert k["conflict_type"] == "figure" and k["quantity"] == "iserv|error_reports|2021-01-12"
    assert "zwischen 8 und 10 Uhr" in k["side_a_phrases"] and "zwischen 9 und 11 Uhr" in k["side_b_phrases"]


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 300)), min_size=1, max_size=30))
def test_stab_clusters_groups_share_an_instant_and_are_minimal(spans):
    s = np.array([a for a, _ in spans], float)
    e = s + np.array([w for _, w in spans], float)
    g = rc.stab_clusters(s, e)
    cs, ce = rc._closed(s, e)
    for k in range(g.max() + 1):
        m = g == k
        assert cs[m].max() <= ce[m].min()  # common instant inside the group
    # minimal: as many groups as pairwise disagreeing spans can be picked (interval graphs are perfect)
    order = np.argsort(ce, kind="stable")
    picked, last = 0, -np.inf
    for i in order:
        if cs[i] > last:
            picked += 1
            last = ce[i]
    assert g.max() + 1 == picked


# --------------------------------------------------------------------------- misdating


def test_december_source_and_outside_window_claims_are_flagged_not_placed():
    srcs = [source("nrz", published="2020-12-14"), source("late", published="2021-01-16"), source("ok")]
    tl = [claim("nrz#1", event="attack", platform="moodle-krzn", cause="ddos", operator="KRZN"),
          claim("nrz#2", event="cause_stated", platform="moodle-krzn", cause="ddos", operator="KRZN", day=""),
          claim("late#1", event="fix", stance="working", day="am Freitag", time="gegen 14 Uhr"),
          claim("ok#1", event="outage", day="am Dienstag"),
          claim("ok#2", event="outage", dossier_day="2021-01-12")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    f = r.flags.groupby("claim_id")["flag"].agg(set).to_dict()
    assert f["nrz#1"] >= {"source_outside_window", "outside_window"}
    assert f["nrz#2"] == {"source_outside_window"}  # undated, but its source predates the incident
    assert f["ok#1"] == {"after_publication"}  # Monday paper reporting Tuesday
    assert f["ok#2"] == {"dossier_day_differs"}
    assert "late#1" not in f  # Friday is inside the window, before publication
    on = r.claims.set_index("claim_id")["on_timeline"]
    assert not on["nrz#1"] and not on["nrz#2"] and not on["ok#1"] and on["ok#2"]
    assert not r.accounts["claim_ids"].str.contains("nrz#|ok#1").any()
    assert r.flags.set_index("claim_id").loc["ok#2", "on_timeline"]


def test_time_only_phrase_on_a_disputed_day_is_not_placed():
    srcs = [source("waz", published="2021-01-12")]
    SPANS[("", "um die Mittagszeit")] = (at(11, 30, day=1), at(13, 30, day=1), "part_of_day")
    tl = [claim("waz#1", event="degraded", day="", time="um die Mittagszeit", dossier_day="2021-01-11"),
          claim("waz#2", event="degraded", day="", time="um die Mittagszeit", dossier_day="2021-01-12")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    f = r.flags.set_index("claim_id")
    assert f.loc["waz#1", "flag"] == "assumed_day_disputed" and not f.loc["waz#1", "on_timeline"]
    assert "waz#2" not in f.index
    assert list(r.episodes["claim_ids"]) == ["waz#2"]


# --------------------------------------------------------------------------- episodes


def test_episode_edges_from_start_and_fix():
    srcs = [source("a")]
    tl = [claim("a#1", event="outage_start", time="ab 8 Uhr"), claim("a#2", event="degraded", time="am Vormittag"),
          claim("a#3", event="fix", stance="working", time="gegen 14 Uhr")]
    ep = rc.reconstruct(evidence(srcs, tl), resolver=resolver).episodes
    assert len(ep) == 1
    e = ep.iloc[0]
    assert (e["onset_start"], e["onset_end"]) == (at(8), at(8))
    assert (e["recovery_start"], e["recovery_end"]) == (at(13, 30), at(14, 30))


def test_report_without_end_spreads_recovery_to_school_day_end_and_day_only_reports_are_left_out():
    srcs = [source("a"), source("b")]
    tl = [claim("a#1", event="degraded", time="am Vormittag"), claim("b#1", event="degraded")]
    ep = rc.reconstruct(evidence(srcs, tl), resolver=resolver).episodes
    assert list(ep["account_group"]) == ["a"]
    e = ep.iloc[0]
    assert (e["onset_start"], e["onset_end"], e["recovery_start"], e["recovery_end"]) == (at(8), at(10), at(10), at(18))


def test_multi_platform_claims_count_for_each_platform():
    srcs = [source("a")]
    tl = [claim("a#1", platform="moodle-krzn; logineo", event="degraded", time="am Mittag"),
          claim("a#2", platform="general", event="degraded", time="am Mittag")]
    ep = rc.reconstruct(evidence(srcs, tl), resolver=resolver).episodes
    assert sorted(ep["platform"]) == ["logineo", "moodle-krzn"]


# --------------------------------------------------------------------------- the real tables


def _real_evidence():
    """The raw tables of schulstart-2021 through the loader (they must validate: no skip)."""
    from incident.evidence import load

    return load.load_incident(config.paths("schulstart-2021", home=config.ROOT))


@pytest.fixture(scope="module")
def real():
    return rc.reconstruct(_real_evidence())


def _has(conflicts, kind, platform_part, a_has, b_has, field="phrases"):
    k = conflicts[(conflicts["conflict_type"] == kind) & conflicts["platform"].str.contains(platform_part, regex=False)]
    for _, row in k.iterrows():
        a, b = str(row[f"side_a_{field}"]), str(row[f"side_b_{field}"])
        if (a_has in a and b_has in b) or (a_has in b and b_has in a):
            return True
    return False


def test_real_conflicts_are_found(real):
    k = real.conflicts
    assert _has(k, "time", "iserv-video", "Mittag", "gegen 14 Uhr")
    assert _has(k, "cause", "iserv", "overload", "mediation_error", field="label")
    assert _has(k, "cause", "moodle-krzn", "overload", "ddos", field="label")
    assert _has(k, "figure", "iserv", "4100", "4500", field="label")
    assert _has(k, "figure", "iserv", "4000", "5000", field="label")
    assert (k["side_a_source_ids"] != "").all() and (k["side_b_source_ids"] != "").all()


def test_real_december_krzn_reports_are_flagged(real):
    f = real.flags
    dec = f[f["published"].str.startswith("2020-12")]
    assert len(dec) > 0 and not dec["on_timeline"].any()
    assert dec["platform"].str.contains("krzn").any()
    on = real.claims.set_index("claim_id")["on_timeline"]
    assert not on[dec["claim_id"]].any()


def test_real_every_claim_accounted(real):
    ev = _real_evidence()
    n = len(ev.timeline) + len(ev.counts) + len(ev.statements)
    assert len(real.claims) == n and real.claims["claim_id"].is_unique
    assert len(real.unresolved) == (~real.claims["resolved"]).sum()


def test_unnamed_operators_and_non_platforms_do_not_make_conflicts():
    srcs = [source(x) for x in ("a", "b", "c", "d")]
    tl = [claim("a#1", platform="schulmanager", operator="unknown", event="cause_stated", cause="overload"),
          claim("b#1", platform="network", operator="unknown", event="cause_stated", cause="network_capacity"),
          claim("c#1", platform="unknown", event="outage_start", time="ab 8 Uhr"),
          claim("d#1", platform="unknown", event="outage_start", time="gegen 14 Uhr")]
    r = rc.reconstruct(evidence(srcs, tl), resolver=resolver)
    assert len(r.conflicts) == 0
