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


def test_generated_incident_is_labelled_and_validates(tmp_path):
    from incident import config
    from incident.evidence.descriptor import load_descriptor
    from incident.evidence.load import load_incident

    raw = generate.write_incident(tmp_path, schema_from=config.paths("schulstart-2021").raw)
    assert "GENERATED" in (raw / "incident.yaml").read_text(encoding="utf-8")
    p = config.paths(generate.SUMMER_ID, home=tmp_path)
    desc = load_descriptor(p)
    ev = load_incident(p, incident=desc)
    assert ev.sources["source_id"].str.startswith("gen-").all()
    assert (ev.sources["verification_note"] == "generated").all()
    assert ev.sources["url"].str.startswith("https://example.org/").all()
    assert desc.zone_label(desc.window[0]) == "MESZ, UTC+2"


def test_count_series_truth():
    s, truth = generate.count_series(days=3, bin_minutes=15, seed=4)
    assert len(s) == 3 * 96 and s["generated"].all() and truth["generated"].all()
