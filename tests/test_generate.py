"""Seeded generators: ground truth returned, labelled generated, reproducible."""

import numpy as np
import pytest

from incident import generate


def test_step_signal_truth_and_levels():
    x, bk = generate.step_signal(n=300, breakpoints=[100, 220], levels=[0.0, 2.0, 0.5], noise=0.0, seed=3)
    assert bk == [100, 220, 300]
    assert x.shape == (300,)
    assert np.allclose(x[:100], 0.0) and np.allclose(x[100:220], 2.0) and np.allclose(x[220:], 0.5)


def test_step_signal_seeded():
    a, _ = generate.step_signal(n=50, breakpoints=[25], seed=7)
    b, _ = generate.step_signal(n=50, breakpoints=[25], seed=7)
    c, _ = generate.step_signal(n=50, breakpoints=[25], seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize("bad", [[0], [50], [30, 20], [10, 10]])
def test_step_signal_rejects_bad_breakpoints(bad):
    with pytest.raises(ValueError):
        generate.step_signal(n=50, breakpoints=bad)


def test_corpus_is_labelled_generated_and_sized():
    ev = generate.corpus(n_sources=200, n_claims=1000, seed=1)
    assert len(ev.sources) == 200
    assert len(ev.timeline) + len(ev.counts) + len(ev.statements) == 1000
    for df in (ev.sources, ev.timeline, ev.counts, ev.statements, ev.truth):
        assert df["generated"].all()
    assert ev.sources["source_id"].str.startswith("gen-").all()
    ids = np.concatenate([ev.timeline["claim_id"], ev.counts["claim_id"], ev.statements["claim_id"]])
    assert len(set(ids)) == len(ids)
    # every claim id is <source_id>#<n> of its own source
    assert all(c.startswith(s + "#") for c, s in zip(ev.timeline["claim_id"], ev.timeline["source_id"]))
    # some sources are agency copies (shared syndication group)
    assert ev.sources["syndication_group"].nunique() < len(ev.sources)


def test_corpus_reproducible():
    a = generate.corpus(n_sources=50, n_claims=300, seed=5)
    b = generate.corpus(n_sources=50, n_claims=300, seed=5)
    assert a.timeline.equals(b.timeline) and a.sources.equals(b.sources)


def test_disruption_accounts_truth_inside_signal():
    prob, truth = generate.disruption_accounts(n_platforms=2, n_accounts=5, days=7, resolution_minutes=5, seed=2)
    assert prob.shape == (2, 5, 7 * 288)
    assert ((prob >= 0) & (prob <= 1)).all()
    assert truth["generated"].all()
    for _, t in truth[truth["platform"] == "gen-p00"].iterrows():
        mid = (t["onset_bin"] + t["recovery_bin"]) // 2
        assert prob[0, :, mid].max() > 0.5  # someone reports the outage in its middle
        assert prob[0, :, t["onset_bin"] - 24].max() == 0  # two hours before: nobody


def test_count_series_truth():
    s, truth = generate.count_series(days=3, bin_minutes=15, seed=4)
    assert len(s) == 3 * 96 and s["generated"].all() and truth["generated"].all()
