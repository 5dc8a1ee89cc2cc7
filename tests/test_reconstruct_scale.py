"""The reconstruction at scale: a large GENERATED corpus gives the generator's ground truth.

Correctness only (speed and memory are figures of ``make bench``, never asserted here).
The corpus (incident.generate.corpus) has one true outage per platform on the Monday of
the generated week: onset 08:00 ("ab 8 Uhr", "gegen 8 Uhr"), recovery "gegen 14 Uhr"
(13:30–14:30) on even platforms and "am Mittag" (11:30–13:30) on odd ones; 10 % of the
own reporting of a fix gives the other time (time conflicts the consistent set outvotes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from incident import generate
from incident.process import to_csv_text
from incident.reconstruct import reconstruct

N_PLATFORMS = 20
PLATFORMS = [f"gen-p{i:02d}" for i in range(N_PLATFORMS)]
MONDAY = generate.WEEK_START


def at(h: float) -> pd.Timestamp:
    return MONDAY + pd.Timedelta(hours=h)


@pytest.fixture(scope="module")
def big():
    ev = generate.corpus(n_sources=5000, n_claims=200_000, n_platforms=N_PLATFORMS)
    inc = generate.incident(platforms=PLATFORMS)
    return ev, inc, reconstruct(ev, incident=inc)


def test_every_platform_has_one_episode_on_the_monday(big):
    _, _, r = big
    seq = r.sequence
    assert sorted(seq["platform"]) == PLATFORMS
    assert (seq["day"] == MONDAY.strftime("%Y-%m-%d")).all()
    assert (seq["episode"] == 1).all()


def test_onset_is_eight_for_every_platform(big):
    _, _, r = big
    seq = r.sequence
    # "ab 8 Uhr" is the exact time, "gegen 8 Uhr" agrees with it: 08:00 on both edges
    assert (seq["onset_earliest"] == at(8)).all()
    assert (seq["onset_latest"] == at(8)).all()


def test_recovery_bounds_contain_the_truth(big):
    ev, _, r = big
    seq = r.sequence.set_index("platform")
    for i, p in enumerate(PLATFORMS):
        lo, hi = seq.loc[p, "recovery_earliest"], seq.loc[p, "recovery_latest"]
        if i % 2 == 0:  # "gegen 14 Uhr": 13:30–14:30, contains 14:00
            assert lo <= at(14) <= hi and (lo, hi) == (at(13.5), at(14.5)), p
        else:  # "am Mittag": 11:30–13:30
            assert (lo, hi) == (at(11.5), at(13.5)), p
    truth = ev.truth.set_index("platform")
    assert all(seq.loc[p, "onset_earliest"] <= truth.loc[p, "onset"] <= seq.loc[p, "onset_latest"] for p in PLATFORMS)


def test_the_other_time_is_a_conflict_not_the_answer(big):
    _, _, r = big
    c = r.conflicts
    time = c[c["conflict_type"] == "time"]
    # every platform's dissent on the recovery is named, and sources contradicting themselves too
    assert set(time.loc[time["event"] == "recovery", "platform"]) == set(PLATFORMS)
    assert (time["event"] == "within_source").any()
    assert (r.sequence["n_dissenting"] > 0).all()
    assert (r.sequence["disputed"] == "").all()


def test_every_claim_is_accounted_for(big):
    ev, _, r = big
    n = len(ev.timeline) + len(ev.counts) + len(ev.statements)
    assert len(r.claims) == n and r.claims["claim_id"].is_unique
    assert r.claims["claim_id"].is_monotonic_increasing
    assert len(r.unresolved) == len(ev.counts)  # figures carry no time phrase
    ids = r.accounts["claim_ids"].str.split("; ").explode()
    assert ids.is_unique and set(ids) == set(r.claims.loc[r.claims["on_timeline"], "claim_id"])
    assert (r.sources["n_claims"].sum()) == n


def _tables(r, tz) -> dict[str, str]:
    return {k: to_csv_text(getattr(r, k), tz=tz) for k in ("sequence", "constraints", "conflicts", "accounts")}


def test_copies_of_an_agency_text_do_not_change_the_result():
    """Adding verbatim copies of agency texts (same syndication group) changes no bound: the
    copies count once."""
    ev = generate.corpus(n_sources=800, n_claims=20_000, n_platforms=4, seed=11)
    inc = generate.incident(platforms=PLATFORMS[:4])
    before = reconstruct(ev, incident=inc)
    src = ev.sources
    agency = src[src["syndication_group"].str.startswith("gen-agentur-")]
    copies = agency.assign(source_id=agency["source_id"] + "-kopie", url=agency["url"] + "-kopie")
    tl = ev.timeline[ev.timeline["source_id"].isin(set(agency["source_id"]))]
    tl = tl.assign(source_id=tl["source_id"] + "-kopie", claim_id=tl["claim_id"].str.replace("#", "-kopie#"))
    more = generate.GeneratedEvidence(
        incident=ev.incident,
        sources=pd.concat([src, copies], ignore_index=True),
        timeline=pd.concat([ev.timeline, tl], ignore_index=True),
        counts=ev.counts,
        statements=ev.statements,
        truth=ev.truth,
    )
    after = reconstruct(more, incident=inc)
    assert len(tl) > 0
    cols = [
        "platform",
        "day",
        "episode",
        "onset_earliest",
        "onset_latest",
        "recovery_earliest",
        "recovery_latest",
        "n_independent_sources",
        "n_dissenting",
        "disputed",
    ]
    pd.testing.assert_frame_equal(before.sequence[cols], after.sequence[cols])


def test_large_and_small_paths_agree(monkeypatch):
    """The row-wise rules run once per distinct row above a size threshold: forcing that
    path on a small corpus gives byte-identical tables."""
    from incident.reconstruct import rows

    ev = generate.corpus(n_sources=60, n_claims=240, n_platforms=3, seed=4)
    inc = generate.incident(platforms=PLATFORMS[:3])
    plain = _tables(reconstruct(ev, incident=inc), inc.timezone)
    monkeypatch.setattr(rows, "SMALL", 0)
    monkeypatch.setattr(rows, "MOSTLY_DISTINCT", 10.0)
    assert _tables(reconstruct(ev, incident=inc), inc.timezone) == plain


def test_group_join_matches_join_ids_per_group():
    from incident.ids import group_join, join_ids, join_ids_grouped

    rng = np.random.default_rng(3)
    values = np.array([f"s{rng.integers(0, 300):03d}#{rng.integers(0, 9)}" for _ in range(20_000)], dtype=object)
    values[::97] = ""
    values[5] = "a; b"
    codes = rng.integers(0, 50, len(values))
    want = [join_ids(values[codes == g]) for g in range(50)]
    assert join_ids_grouped(codes, values, 50) == want
    plain = values.copy()
    plain[5] = "a-b"
    assert group_join(codes, plain, 50) == [join_ids(plain[codes == g]) for g in range(50)]
