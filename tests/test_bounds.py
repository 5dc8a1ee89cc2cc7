"""The Ablauf's bounds (incident.reconstruct.bounds), checked against the SPEC, not the code.

Every case runs the whole reconstruction stage (real phrase parser, default resolver) on
GENERATED evidence (tests/fixtures/bounds_cases.py: incident "gen-2030", Monday 4 March
2030, made-up platforms "alpha"/"beta", made-up outlets). Each expected answer is worked
out by hand from the role table (docstring of incident.reconstruct.roles) and the span
conventions of docs/timeexpr.md; the random cases are checked against an oracle written from the spec
(brute force over the subsets of independent accounts), and the shipped incident against an
independent journalist's reading (tests/fixtures/sources_say.csv).

Hand spans used below (Monday 4 March 2030, Europe/Berlin):
  "um 8 Uhr" = 08:00 (point)        "gegen 8 Uhr" = 07:30–08:30     "gegen 14 Uhr" = 13:30–14:30
  "am Mittag" = 11:30–13:30         "am Montagmorgen" = 06:00–10:00 "am Montag" = whole day
  "vor 9 Uhr" = [00:00, 09:00] (upper side only)  "nach 15 Uhr" = [15:00, 24:00] (lower side only)
  "mittlerweile" = the publication minute (day precision: the whole publication day)
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest
from fixtures.bounds_cases import agree, at, claim, evidence, incident, random_cases, source, statement

from incident.ids import split_ids
from incident.reconstruct import reconstruct

DAY = "2030-03-04"
FIVE_MIN = pd.Timedelta(minutes=5)


# --------------------------------------------------------------------------- helpers


def run(sources, timeline=(), statements=(), platforms=("alpha", "beta")):
    return reconstruct(evidence(sources, timeline, statements), incident=incident(platforms))


def episodes(r, platform="alpha", day=DAY):
    s = r.sequence
    return s[(s["platform"] == platform) & (s["day"] == day)].sort_values("episode").reset_index(drop=True)


def one(r, platform="alpha", day=DAY):
    e = episodes(r, platform, day)
    assert len(e) == 1, f"expected one episode of {platform} on {day}, got {len(e)}"
    return e.iloc[0]


def edge(row, name):
    """(earliest, latest) of an edge with None for 'unbekannt'."""
    lo, hi = row[f"{name}_earliest"], row[f"{name}_latest"]
    return (None if pd.isna(lo) else lo, None if pd.isna(hi) else hi)


def time_conflicts(r, episode_id):
    c = r.conflicts
    return c[(c["conflict_type"] == "time") & (c["episode_id"] == episode_id)].reset_index(drop=True)


def fix(cid, time, **kw):
    return claim(cid, event="fix", stance="working", time=time, **kw)


def start(cid, time, **kw):
    return claim(cid, event="outage_start", stance="disrupted", time=time, **kw)


# --------------------------------------------------------------------------- 1. vague accounts


def test_morning_only_gives_open_far_sides():
    """D "am Montagmorgen gestört" (06:00–10:00): s ≤ 10:00 and r ≥ 06:00, nothing else. The recovery's
    earliest 06:00 lies before the onset's latest 10:00: it says nothing and is left out; the onset's
    10:00 is only the edge of "Morgen", so it is marked coarse (written as the phrase)."""
    r = run([source("a")], [claim("a#1", day="am Montagmorgen")])
    row = one(r)
    assert edge(row, "onset") == (None, at(10))
    assert edge(row, "recovery") == (None, None)
    assert row["coarse"] == "onset_latest"
    assert row["recovery_claim_ids"] == "" and int(row["recovery_n_sources"]) == 0
    assert split_ids(row["onset_claim_ids"]) == ["a#1"]
    assert row["disputed"] == ""


def test_whole_day_places_the_episode_and_bounds_nothing():
    """P "am Montag gestört": the episode exists, all four bounds are unbekannt."""
    r = run([source("a")], [claim("a#1", day="am Montag")])
    row = one(r)
    assert edge(row, "onset") == (None, None) and edge(row, "recovery") == (None, None)
    assert split_ids(row["claim_ids"]) == ["a#1"]
    cons = r.constraints.set_index("claim_id")
    assert cons.loc["a#1", "role"] == "P"
    assert cons.loc["a#1", ["onset_lo", "onset_hi", "recovery_lo", "recovery_hi"]].isna().all()


# --------------------------------------------------------------------------- 2. exact accounts


def test_two_exact_accounts_give_a_point():
    r = run([source("a"), source("b")], [start("a#1", "um 8 Uhr"), start("b#1", "um 8 Uhr")])
    row = one(r)
    assert edge(row, "onset") == (at(8), at(8))
    assert edge(row, "recovery") == (None, None)
    assert split_ids(row["onset_claim_ids"]) == ["a#1", "b#1"]
    assert row["n_independent_sources"] == 2 and row["disputed"] == ""
    assert len(time_conflicts(r, row["episode_id"])) == 0


# --------------------------------------------------------------------------- 3./4. contradicting accounts


def three_vs_one(copy_of_minority=False, copy_of_majority=False):
    srcs = [source("a"), source("b"), source("c"), source("d")]
    tl = [fix("a#1", "gegen 14 Uhr"), fix("b#1", "gegen 14 Uhr"), fix("c#1", "gegen 14 Uhr"), fix("d#1", "am Mittag")]
    if copy_of_minority:
        srcs.append(source("dcopy", group="d"))
        tl.append(fix("dcopy#1", "am Mittag"))
    if copy_of_majority:
        srcs.append(source("acopy", group="a"))
        tl.append(fix("acopy#1", "gegen 14 Uhr"))
    return run(srcs, tl)


def test_three_accounts_outweigh_one_touching_account():
    """Three say "gegen 14 Uhr" (13:30–14:30), one "am Mittag" (11:30–13:30): touching spans
    do not agree, the three win: recovery 13:30–14:30, one time conflict, d on side B."""
    r = three_vs_one()
    row = one(r)
    assert edge(row, "recovery") == (at(13, 30), at(14, 30))
    assert edge(row, "onset") == (None, None)
    assert split_ids(row["recovery_claim_ids"]) == ["a#1", "b#1", "c#1"]
    assert row["n_independent_sources"] == 4 and row["n_dissenting"] == 1
    tc = time_conflicts(r, row["episode_id"])
    assert len(tc) == 1
    c = tc.iloc[0]
    assert c["event"] == "recovery"
    assert split_ids(c["side_b_source_ids"]) == ["d"] and split_ids(c["side_b_claim_ids"]) == ["d#1"]
    assert c["side_b_n_sources"] == 1
    assert set(split_ids(c["side_a_source_ids"])) <= {"a", "b", "c"} and c["side_a_n_sources"] >= 1
    assert c["conflict_id"] in split_ids(row["conflict_ids"])
    cons = r.constraints.set_index("claim_id")["in_consistent_set"].to_dict()
    assert cons == {"a#1": True, "b#1": True, "c#1": True, "d#1": False}


def test_one_against_one_is_disputed_and_published_as_the_hull():
    r = run([source("a"), source("d")], [fix("a#1", "gegen 14 Uhr"), fix("d#1", "am Mittag")])
    row = one(r)
    assert edge(row, "recovery") == (at(11, 30), at(14, 30))
    assert "recovery" in row["disputed"] and "onset" not in row["disputed"]
    assert set(split_ids(row["recovery_claim_ids"])) == {"a#1", "d#1"}
    tc = time_conflicts(r, row["episode_id"])
    assert len(tc) >= 1
    named = set(split_ids(tc.iloc[0]["side_a_source_ids"])) | set(split_ids(tc.iloc[0]["side_b_source_ids"]))
    assert named == {"a", "d"}


def test_a_syndicated_copy_of_the_minority_changes_nothing():
    base, copied = three_vs_one(), three_vs_one(copy_of_minority=True)
    b, c = one(base), one(copied)
    assert edge(c, "recovery") == edge(b, "recovery") == (at(13, 30), at(14, 30))
    assert c["n_independent_sources"] == b["n_independent_sources"] == 4
    tb, tc = time_conflicts(base, b["episode_id"]), time_conflicts(copied, c["episode_id"])
    assert len(tc) == len(tb) == 1
    assert tc.iloc[0]["side_a_n_sources"] == tb.iloc[0]["side_a_n_sources"]
    assert tc.iloc[0]["side_b_n_sources"] == tb.iloc[0]["side_b_n_sources"] == 1
    assert set(split_ids(tc.iloc[0]["side_b_source_ids"])) <= {"d", "dcopy"}


def test_a_copy_does_not_break_a_tie():
    """1 vs 1 plus a copy of one side is still 1 vs 1 independent accounts: disputed, hull."""
    r = run(
        [source("a"), source("d"), source("dcopy", group="d")],
        [fix("a#1", "gegen 14 Uhr"), fix("d#1", "am Mittag"), fix("dcopy#1", "am Mittag")],
    )
    row = one(r)
    assert row["n_independent_sources"] == 2
    assert edge(row, "recovery") == (at(11, 30), at(14, 30))
    assert "recovery" in row["disputed"]


# --------------------------------------------------------------------------- agreement rule


def test_exact_time_on_the_edge_of_a_span_agrees():
    """13:30 (exact) lies on the edge of "am Mittag" 11:30–13:30: no conflict, r = 13:30."""
    r = run([source("a"), source("b")], [fix("a#1", "um 13.30 Uhr"), fix("b#1", "am Mittag")])
    row = one(r)
    assert edge(row, "recovery") == (at(13, 30), at(13, 30))
    assert row["disputed"] == "" and len(time_conflicts(r, row["episode_id"])) == 0


def test_exact_time_just_outside_a_span_disagrees():
    """13:31 is outside 11:30–13:30: 1 vs 1, disputed, hull 11:30–13:31."""
    r = run([source("a"), source("b")], [fix("a#1", "um 13.31 Uhr"), fix("b#1", "am Mittag")])
    row = one(r)
    assert edge(row, "recovery") == (at(11, 30), at(13, 31))
    assert "recovery" in row["disputed"]


def test_two_minutes_overlap_agrees():
    """12:00–13:00 and 12:58–14:00 overlap 2 minutes (a positive time): agree, r in 12:58–13:00."""
    r = run([source("a"), source("b")], [fix("a#1", "zwischen 12 und 13 Uhr"), fix("b#1", "zwischen 12.58 und 14 Uhr")])
    row = one(r)
    assert edge(row, "recovery") == (at(12, 58), at(13))
    assert row["disputed"] == "" and len(time_conflicts(r, row["episode_id"])) == 0


def test_one_minute_overlap_agrees():
    """Decided rule: any positive overlap agrees. 12:00–13:00 and 12:59–14:00 share 1 minute: r in 12:59–13:00."""
    r = run([source("a"), source("b")], [fix("a#1", "zwischen 12 und 13 Uhr"), fix("b#1", "zwischen 12.59 und 14 Uhr")])
    row = one(r)
    assert edge(row, "recovery") == (at(12, 59), at(13))
    assert row["disputed"] == "" and len(time_conflicts(r, row["episode_id"])) == 0


def test_published_interval_is_never_inverted():
    """Whatever the agreement slack, a published edge must satisfy earliest ≤ latest."""
    r = run([source("a"), source("b")], [start("a#1", "um 8 Uhr"), start("b#1", "um 8.02 Uhr")])
    lo, hi = edge(one(r), "onset")
    assert lo is not None and hi is not None and lo <= hi


def test_two_exact_times_two_minutes_apart_disagree():
    r = run([source("a"), source("b")], [start("a#1", "um 8 Uhr"), start("b#1", "um 8.02 Uhr")])
    row = one(r)
    assert edge(row, "onset") == (at(8), at(8, 2))
    assert "onset" in row["disputed"]


# --------------------------------------------------------------------------- 5./6. D at a point, W


def test_disrupted_at_a_point_bounds_both_edges_at_that_point():
    """ "um 11 Uhr ging nichts mehr" (D, 11:00): s ≤ 11:00 and r ≥ 11:00."""
    r = run([source("a")], [claim("a#1", time="um 11 Uhr")])
    row = one(r)
    assert edge(row, "onset") == (None, at(11))
    assert edge(row, "recovery") == (at(11), None)


def test_mittlerweile_at_minute_precision_is_the_publication_moment():
    r = run(
        [source("a", published="2030-03-04T15:20+01:00", precision="minute")],
        [claim("a#1", event="restored", stance="working", day="", time="mittlerweile"), claim("a#2")],
    )
    row = one(r)
    assert edge(row, "recovery") == (None, at(15, 20))
    assert edge(row, "onset") == (None, None)


def test_mittlerweile_at_day_precision_is_the_whole_day():
    r = run(
        [source("a", published="2030-03-04")],
        [claim("a#1", event="restored", stance="working", day="", time="mittlerweile"), claim("a#2")],
    )
    row = one(r)
    assert edge(row, "recovery") == (None, at(0, day=1))


def test_a_report_that_it_works_again_opens_no_episode():
    # "läuft heute wieder" on Tuesday, with no report of trouble that day: no Tuesday outage
    r = run([source("a", published="2030-03-05")], [claim("a#1", event="restored", stance="working", day="heute")])
    assert len(r.sequence) == 0


def test_a_next_day_report_that_it_works_again_ends_the_previous_episode():
    # Monday: down from about 8; Tuesday's source: "läuft heute wieder" (by Tuesday's end at the latest)
    r = run(
        [source("a"), source("b", published="2030-03-05")],
        [start("a#1", "gegen 8 Uhr"), claim("b#1", event="restored", stance="working", day="heute")],
    )
    assert len(r.sequence) == 1
    row = one(r)
    assert edge(row, "onset") == (at(7, 30), at(8, 30))
    assert edge(row, "recovery") == (None, at(0, day=2))


# --------------------------------------------------------------------------- one-sided spans


def test_vor_bounds_only_the_upper_side_of_an_onset():
    r = run([source("a")], [start("a#1", "vor 9 Uhr")])
    row = one(r)
    assert edge(row, "onset") == (None, at(9))
    assert edge(row, "recovery") == (None, None)


def test_nach_bounds_only_the_lower_side_of_a_recovery():
    r = run([source("a")], [fix("a#1", "nach 15 Uhr")])
    row = one(r)
    assert edge(row, "recovery") == (at(15), None)
    assert edge(row, "onset") == (None, None)


def test_disrupted_before_x_bounds_one_side_only():
    """ "vor 9 Uhr ging nichts mehr" (D, [start of day, 09:00], 'vor X' bounds one side only):
    s ≤ 09:00; the start of the day is no bound of the recovery (unbekannt)."""
    r = run([source("a")], [claim("a#1", time="vor 9 Uhr")])
    row = one(r)
    assert edge(row, "onset") == (None, at(9))
    assert edge(row, "recovery") == (None, None)


# --------------------------------------------------------------------------- 7. statements


def test_stable_statement_is_no_bound_but_a_statement_conflict():
    srcs = [source("a"), source("b"), source("op", kind="operator_statement")]
    tl = [start("a#1", "gegen 8 Uhr"), fix("b#1", "gegen 14 Uhr")]
    without = run(srcs, tl)
    withs = run(srcs, tl, [statement("op#1")])
    w0, w1 = one(without), one(withs)
    for e in ("onset", "recovery"):
        assert edge(w1, e) == edge(w0, e)
        assert w1[f"{e}_claim_ids"] == w0[f"{e}_claim_ids"]
    assert edge(w1, "onset") == (at(7, 30), at(8, 30)) and edge(w1, "recovery") == (at(13, 30), at(14, 30))
    assert w1["n_independent_sources"] == w0["n_independent_sources"] == 2
    # the statement is behind the row (claim_ids) but bounds no edge
    assert "op#1" in split_ids(w1["claim_ids"])
    assert "op#1" not in split_ids(w1["onset_claim_ids"]) + split_ids(w1["recovery_claim_ids"])
    assert split_ids(w1["statement_claim_ids"]) == ["op#1"]
    c = withs.conflicts
    st = c[(c["conflict_type"] == "statement") & (c["episode_id"] == w1["episode_id"])]
    assert len(st) == 1
    assert "op#1" in split_ids(st.iloc[0]["side_b_claim_ids"])
    assert set(split_ids(st.iloc[0]["side_a_claim_ids"])) <= {"a#1", "b#1"} and "a#1" in split_ids(
        st.iloc[0]["side_a_claim_ids"]
    )
    assert len(time_conflicts(withs, w1["episode_id"])) == 0
    assert (without.conflicts["conflict_type"] != "statement").all()


def test_constraints_list_statements_with_role_s_and_no_bounds():
    """The brief: the constraints table lists every claim with its role (S included)."""
    r = run([source("a"), source("op", kind="operator_statement")], [start("a#1", "gegen 8 Uhr")], [statement("op#1")])
    cons = r.constraints.set_index("claim_id")
    assert "op#1" in cons.index
    assert cons.loc["op#1", "role"] == "S"
    assert cons.loc["op#1", ["onset_lo", "onset_hi", "recovery_lo", "recovery_hi"]].isna().all()


# --------------------------------------------------------------------------- 8. relapse


def test_fixed_then_failed_again_in_one_account_is_two_episodes():
    """One account: began "gegen 8 Uhr", fixed "gegen 10 Uhr" (09:30–10:30), failed again
    "um 13 Uhr": two episodes; the first 07:30–08:30 → 09:30–10:30, the second from 13:00."""
    r = run([source("a")], [start("a#1", "gegen 8 Uhr"), fix("a#2", "gegen 10 Uhr"), start("a#3", "um 13 Uhr")])
    e = episodes(r)
    assert len(e) == 2
    first, second = e.iloc[0], e.iloc[1]
    assert first["episode_id"] != second["episode_id"]
    assert edge(first, "onset") == (at(7, 30), at(8, 30)) and edge(first, "recovery") == (at(9, 30), at(10, 30))
    assert edge(second, "onset") == (at(13), at(13)) and edge(second, "recovery") == (None, None)
    assert set(split_ids(first["claim_ids"])) == {"a#1", "a#2"} and split_ids(second["claim_ids"]) == ["a#3"]


def test_fix_and_later_failure_from_different_accounts_do_not_split_the_day():
    """a: fixed "gegen 10 Uhr"; b: began "um 13 Uhr". Not one account's relapse: one episode,
    and onset (13:00) after recovery (≤ 10:30) cannot both hold → a time conflict."""
    r = run([source("a"), source("b")], [fix("a#1", "gegen 10 Uhr"), start("b#1", "um 13 Uhr")])
    row = one(r)
    assert len(time_conflicts(r, row["episode_id"])) >= 1


# --------------------------------------------------------------------------- 9. order


def test_onset_after_recovery_across_accounts_is_a_time_conflict():
    """a: began "gegen 14 Uhr" (s ≥ 13:30); b: fixed "am Mittag" (r ≤ 13:30). They share only
    the instant 13:30 (touching: no agreement) → 1 vs 1, a time conflict; each side's bounds
    lie within the published (hull) edge."""
    r = run([source("a"), source("b")], [start("a#1", "gegen 14 Uhr"), fix("b#1", "am Mittag")])
    row = one(r)
    tc = time_conflicts(r, row["episode_id"])
    assert len(tc) >= 1
    named = set().union(
        *(set(split_ids(x)) for x in tc["side_a_source_ids"]), *(set(split_ids(x)) for x in tc["side_b_source_ids"])
    )
    assert named == {"a", "b"}
    assert row["disputed"] != ""
    lo, hi = edge(row, "onset")
    assert (lo is None or lo <= at(13, 30)) and (hi is None or hi >= at(14, 30))
    lo, hi = edge(row, "recovery")
    assert (lo is None or lo <= at(11, 30)) and (hi is None or hi >= at(13, 30))


def test_order_is_never_used_to_narrow_an_edge():
    """a: began "gegen 8 Uhr" (07:30–08:30); b (published 08:10): "mittlerweile" wieder da
    (r ≤ 08:10). Consistent (s = 07:45, r = 08:00), and the onset stays 07:30–08:30
    although s ≤ r ≤ 08:10 would cut it."""
    r = run(
        [source("a"), source("b", published="2030-03-04T08:10+01:00", precision="minute")],
        [start("a#1", "gegen 8 Uhr"), claim("b#1", event="restored", stance="working", day="", time="mittlerweile")],
    )
    row = one(r)
    assert edge(row, "onset") == (at(7, 30), at(8, 30))
    assert edge(row, "recovery") == (None, at(8, 10))
    assert row["disputed"] == "" and len(time_conflicts(r, row["episode_id"])) == 0


# --------------------------------------------------------------------------- 10. invariants


def check_invariants(r, tz):
    """The published bounds are bounds of listed, consistent claims; see the module docstring."""
    seq, cons, claims = r.sequence, r.constraints, r.claims
    known = set(claims["claim_id"])
    assert not seq["episode_id"].duplicated().any()
    assert set(cons["episode_id"]) <= set(seq["episode_id"])
    problems = []
    for _, row in seq.iterrows():
        eid = row["episode_id"]
        ids = split_ids(row["claim_ids"])
        assert ids and set(ids) <= known, (eid, set(ids) - known)
        d0 = pd.Timestamp(row["day"], tz=tz)
        d1 = d0 + pd.Timedelta(days=1)
        ec = cons[cons["episode_id"] == eid]
        assert set(ec["claim_id"]) == set(ids), eid
        for name in ("onset", "recovery"):
            lo_c, hi_c = f"{name}_lo", f"{name}_hi"
            earliest, latest = row[f"{name}_earliest"], row[f"{name}_latest"]
            listed = set(split_ids(row[f"{name}_claim_ids"]))
            assert listed <= set(ec["claim_id"]), (eid, name)
            binding = ec[ec["claim_id"].isin(listed)]
            consistent = ec[ec["in_consistent_set"].astype(bool) & (ec[lo_c].notna() | ec[hi_c].notna())]
            if not binding["in_consistent_set"].astype(bool).all():
                problems.append((eid, name, "a listed claim is not in the consistent set"))
            for value, col in ((earliest, lo_c), (latest, hi_c)):
                if pd.isna(value):
                    continue
                if not ((binding[col] - value).abs() <= FIVE_MIN).any():
                    problems.append((eid, name, col, value, "no listed claim has this bound"))
                # a recovery may be bounded on a later day ("läuft heute wieder" the next day), never earlier
                if not (d0 <= value <= d1) and not (name == "recovery" and value > d1):
                    problems.append((eid, name, col, value, "outside the episode's day"))
            if pd.notna(earliest) and pd.notna(latest) and earliest > latest:
                problems.append((eid, name, earliest, latest, "inverted"))
            # never narrower than the intersection of the consistent claims, never outside them
            inter_lo, inter_hi = consistent[lo_c].max(), consistent[hi_c].min()
            if pd.isna(inter_lo) and pd.notna(earliest):
                problems.append((eid, name, "earliest without any consistent lower bound"))
            if pd.isna(inter_hi) and pd.notna(latest):
                problems.append((eid, name, "latest without any consistent upper bound"))
            if pd.notna(earliest):
                if pd.notna(inter_lo) and earliest > inter_lo:
                    problems.append((eid, name, earliest, inter_lo, "earliest narrower than the intersection"))
                if earliest < consistent[lo_c].min():
                    problems.append((eid, name, earliest, "earliest outside every consistent claim"))
            if pd.notna(latest):
                if pd.notna(inter_hi) and latest < inter_hi:
                    problems.append((eid, name, latest, inter_hi, "latest narrower than the intersection"))
                if latest > consistent[hi_c].max():
                    problems.append((eid, name, latest, "latest outside every consistent claim"))
            # an earliest recovery before the onset's latest moment says nothing and is left out (said.py)
            if (
                name == "recovery"
                and pd.isna(earliest)
                and pd.notna(inter_lo)
                and pd.notna(row["onset_latest"])
                and inter_lo < row["onset_latest"]
            ):
                inter_lo = earliest
            if row["disputed"] == "":
                same_lo = (pd.isna(earliest) and pd.isna(inter_lo)) or earliest == inter_lo
                same_hi = (pd.isna(latest) and pd.isna(inter_hi)) or latest == inter_hi
                if not (same_lo and same_hi):
                    problems.append(
                        (
                            eid,
                            name,
                            (earliest, latest),
                            (inter_lo, inter_hi),
                            "undisputed edge differs from the intersection of its consistent claims",
                        )
                    )
    return problems


# the oracle: the spec applied by brute force to the hand-worked spans of the random cases


def _hours(t: pd.Timestamp, day: str) -> float:
    return (t - pd.Timestamp(day, tz="Europe/Berlin")).total_seconds() / 3600.0


def oracle(exp):
    """Expected published bounds of one random episode, from the spec alone."""
    accounts = sorted(exp.accounts)

    def holds(subset):
        claims = [c for a in subset for c in exp.accounts[a]]
        for e in ("onset", "recovery"):
            ivs = [c["edges"][e] for c in claims if e in c["edges"]]
            if not all(agree(x, y) for x, y in itertools.combinations(ivs, 2)):
                return False
        return True

    best = []
    for size in range(len(accounts), 0, -1):
        best = [frozenset(s) for s in itertools.combinations(accounts, size) if holds(s)]
        if best:
            break

    def bounds(subset):
        out = {}
        for e in ("onset", "recovery"):
            ivs = [(c["claim_id"], c["edges"][e]) for a in subset for c in exp.accounts[a] if e in c["edges"]]
            los = [iv[0] for _, iv in ivs if math.isfinite(iv[0])]
            his = [iv[1] for _, iv in ivs if math.isfinite(iv[1])]
            lo = max(los) if los else None
            hi = min(his) if his else None
            ids = {cid for cid, iv in ivs if (lo is not None and iv[0] == lo) or (hi is not None and iv[1] == hi)}
            out[e] = (lo, hi, ids, {cid for cid, iv in ivs if hi is not None and iv[1] == hi})
        return out

    def says_something(b):
        # an earliest recovery before the onset's latest moment says nothing: left out with its claims
        (_, on_hi, *_), (re_lo, re_hi, _, re_hi_ids) = b["onset"], b["recovery"]
        if on_hi is not None and re_lo is not None and re_lo < on_hi:
            b = {**b, "recovery": (None, re_hi, re_hi_ids, re_hi_ids)}
        return b

    parts = [bounds(s) for s in best]
    if len(parts) == 1:
        return best, says_something(parts[0]), set()
    hull, disputed = {}, set()
    for e in ("onset", "recovery"):
        los = [p[e][0] for p in parts]
        his = [p[e][1] for p in parts]
        hull[e] = (
            None if any(x is None for x in los) else min(los),
            None if any(x is None for x in his) else max(his),
            set().union(*(p[e][2] for p in parts)),
            set().union(*(p[e][3] for p in parts)),
        )
        if len(set(los)) > 1 or len(set(his)) > 1:
            disputed.add(e)
    return best, says_something(hull), disputed


@pytest.fixture(scope="module")
def random_run():
    ev, inc, expected = random_cases(seed=20300304, n_platforms=40)
    return reconstruct(ev, incident=inc), expected


def test_random_cases_are_what_the_spec_says(random_run):
    """~200 generated episodes: bounds, claim ids, disputes and conflicts against the oracle."""
    r, expected = random_run
    seq = r.sequence
    assert len(expected) >= 190
    assert len(seq) == len(expected), "one episode per platform and day (no relapses are generated)"
    mismatches = []
    n_tie = n_dissent = 0
    for (platform, day), exp in expected.items():
        rows = seq[(seq["platform"] == platform) & (seq["day"] == day)]
        assert len(rows) == 1, (platform, day)
        row = rows.iloc[0]
        best, want, disputed = oracle(exp)
        n_tie += len(best) > 1
        for e in ("onset", "recovery"):
            got_lo, got_hi = (None if pd.isna(x) else round(_hours(x, day), 4) for x in edge(row, e))
            if (got_lo, got_hi) != (want[e][0], want[e][1]):
                mismatches.append((platform, day, e, "bounds", (got_lo, got_hi), want[e][:2], len(best)))
            if len(best) == 1 and set(split_ids(row[f"{e}_claim_ids"])) != want[e][2]:
                mismatches.append((platform, day, e, "claim ids", row[f"{e}_claim_ids"], sorted(want[e][2])))
        if row["n_independent_sources"] != len(exp.accounts):
            mismatches.append((platform, day, "n_independent_sources", row["n_independent_sources"], len(exp.accounts)))
        tc = time_conflicts(r, row["episode_id"])
        if len(best) == 1:
            dissent = set(exp.accounts) - set(best[0])
            n_dissent += bool(dissent)
            if row["n_dissenting"] != len(dissent):
                mismatches.append((platform, day, "n_dissenting", row["n_dissenting"], len(dissent)))
            if not dissent and (len(tc) or row["disputed"]):
                mismatches.append((platform, day, "conflict without dissent", list(tc["event"]), row["disputed"]))
            side_b = set().union(*(set(split_ids(x)) for x in tc["side_b_source_ids"])) if len(tc) else set()
            for acc in dissent:
                bounding = {c["source_id"] for c in exp.accounts[acc] if c["edges"]}
                if bounding and not bounding & side_b:
                    mismatches.append((platform, day, "dissenting account not on side B", acc, sorted(side_b)))
            winners = {c["source_id"] for a in best[0] for c in exp.accounts[a]}
            if winners & side_b:
                mismatches.append((platform, day, "winning source on side B", sorted(winners & side_b)))
            member = r.constraints[r.constraints["episode_id"] == row["episode_id"]].set_index("claim_id")[
                "in_consistent_set"
            ]
            for a, cl in exp.accounts.items():
                for c in cl:
                    if bool(member.get(c["claim_id"])) != (a in best[0]):
                        mismatches.append((platform, day, "in_consistent_set", c["claim_id"], a in best[0]))
        else:
            got = {x.strip() for x in row["disputed"].split(";") if x.strip()}
            if not disputed <= got:
                mismatches.append((platform, day, "disputed", row["disputed"], sorted(disputed)))
            if not len(tc):
                mismatches.append((platform, day, "tie without a time conflict"))
        if exp.statement_ids and set(split_ids(row["statement_claim_ids"])) != set(exp.statement_ids):
            mismatches.append((platform, day, "statement ids", row["statement_claim_ids"], exp.statement_ids))
    assert n_tie >= 5 and n_dissent >= 5, "the generator must produce ties and clear majorities"
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:8]}"


def test_random_cases_keep_the_invariants(random_run):
    r, _ = random_run
    problems = check_invariants(r, "Europe/Berlin")
    assert not problems, f"{len(problems)} problems, first: {problems[:8]}"


@pytest.fixture(scope="module")
def shipped():
    from incident import config
    from incident.evidence.descriptor import load_descriptor
    from incident.evidence.load import load_incident

    p = config.paths("schulstart-2021")
    inc = load_descriptor(p)
    ev = load_incident(p, incident=inc)
    return reconstruct(ev, incident=inc), inc


def test_shipped_incident_keeps_the_invariants(shipped):
    r, inc = shipped
    assert len(r.sequence) > 0
    problems = check_invariants(r, inc.timezone)
    assert not problems, f"{len(problems)} problems, first: {problems[:8]}"


# --------------------------------------------------------------------------- 11. an independent reading


def _reading_time(day: str, hhmm: str):
    if not isinstance(hhmm, str) or not hhmm.strip():
        return None
    h, m = map(int, hhmm.split(":"))
    return pd.Timestamp(day, tz="Europe/Berlin") + pd.Timedelta(hours=h, minutes=m)


def test_shipped_sequence_against_a_journalists_reading(shipped, capsys):
    """tests/fixtures/sources_say.csv (a journalist's reading, made without the code) against
    the published Ablauf. Agreement is not forced. Asserted in every row: the published
    interval CONTAINS the reading (an open published side contains anything; a side the
    reading leaves unbekannt is unbekannt in the publication too), the reading marks nothing
    disputed, and every row where the two differ is one of the differences listed here,
    each explained by a documented rule (raw tables after the re-audit of 7 Dec 2026, which recorded
    scope, modality and the day each claim refers to):

    * iserv-video 11 Jan onset: reading 07:30–08:30 (Weser-Kurier "gegen 8 Uhr"); published
      unbekannt–10:00 ("am Montagmorgen", a coarse side): the re-audit found that the Weser-Kurier's
      "gegen 8 Uhr" is one Gymnasium's IT (scope institution), and one school does not bound a platform.
    * iserv-video 11 Jan recovery: reading 13:30–13:30 (dpa "am Mittag" and WAZ "gegen 14 Uhr" share
      13:30); published 13:30–14:30, not disputed: IServ's own "bis etwa 14.00 Uhr" (heise) is now on
      Monday, the day its row records, so IServ, heise and WAZ (three accounts) outnumber dpa's
      "am Mittag" (two copies' accounts), which is a named conflict instead of a tie.
    * moodle-krzn 12 Jan onset: reading 06:00–09:30; published unbekannt–09:30: "am Morgen"
      is D (disrupted some time in the morning, s ≤ 10:00), not a start: no lower bound.
    * moodle-krzn 12 Jan recovery: reading 11:30–13:30 (dpa's midday phase read as a short
      phase that ended then); published 11:30–unbekannt: "um die Mittagszeit" is D (r ≥ 11:30),
      and the episode is marked intermittent ("zwei Störungsphasen").
    * padlet 11 Jan recovery: reading 13:00–18:00 (Westfalen-Blatt "am Nachmittag des gleichen
      Tags", read as the moment); published unbekannt–end of day: its only lower side was
      "am Montagmorgen" (r ≥ 06:00), which lies before the onset's latest and says nothing.
    """
    r, inc = shipped
    reading = pd.read_csv(Path(__file__).with_name("fixtures") / "sources_say.csv", dtype=str, keep_default_na=False)
    seq = r.sequence
    explained = {
        ("iserv-video", "2021-01-11", "onset"),
        ("iserv-video", "2021-01-11", "recovery"),
        ("moodle-krzn", "2021-01-12", "onset"),
        ("moodle-krzn", "2021-01-12", "recovery"),
        ("padlet", "2021-01-11", "recovery"),
    }

    def shown(t, day):
        if t is None:
            return "unbekannt"
        d = (t.normalize() - pd.Timestamp(day, tz=inc.timezone)).days
        return ("+1d " if d == 1 else "") + t.strftime("%H:%M")

    table, problems = [], []
    for _, want in reading.iterrows():
        key = (want["platform"], want["day"], want["edge"])
        rows = seq[(seq["platform"] == want["platform"]) & (seq["day"] == want["day"])]
        assert len(rows) >= 1, key
        row = rows.sort_values("episode").iloc[0]
        lo, hi = edge(row, want["edge"])
        r_lo, r_hi = _reading_time(want["day"], want["earliest"]), _reading_time(want["day"], want["latest"])
        same = (lo, hi) == (r_lo, r_hi)
        table.append(
            (
                *key,
                f"{shown(r_lo, key[1])}–{shown(r_hi, key[1])}",
                f"{shown(lo, key[1])}–{shown(hi, key[1])}",
                row["disputed"] or "-",
                "same" if same else "differs",
            )
        )
        if r_lo is None and lo is not None or r_lo is not None and lo is not None and lo > r_lo:
            problems.append((key, "published earliest inside the reading", lo, r_lo))
        if r_hi is None and hi is not None or r_hi is not None and hi is not None and hi < r_hi:
            problems.append((key, "published latest inside the reading", hi, r_hi))
        if not same and key not in explained:
            problems.append((key, "an unexplained difference"))
        if want["disputed"] != "false":
            problems.append((key, "the reading marks a dispute"))
        if key == ("iserv-video", "2021-01-11", "recovery") and "heise" not in row["recovery_claim_ids"]:
            problems.append((key, "IServ's own 'bis etwa 14.00 Uhr' must bound Monday's recovery"))
    with capsys.disabled():
        print("\nplatform | day | edge | reading | published | disputed (episode) | match")
        for t in table:
            print(" | ".join(t))
    assert len(table) == 8
    assert not problems, problems
