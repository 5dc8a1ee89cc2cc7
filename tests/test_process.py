"""process: every processed table written atomically and deterministically, rows accounted for."""

import hashlib
import json
import shutil

import pandas as pd
import pytest

from incident import config, generate, process

EXPECTED = {"sources.csv", "claims_resolved.csv", "unresolved.csv", "flags.csv", "accounts.csv", "consensus.csv",
            "conflicts.csv", "disruption_state.csv", "changepoints.csv", "penalty_sensitivity.csv", "anomalies.csv",
            "sequence.csv", "rejected.csv", "datawrapper_sequence.csv", "datawrapper_conflicts.csv", "timeline.json",
            "manifest.json"}


@pytest.fixture(scope="module")
def incident_home(tmp_path_factory):
    """A copy of the real raw tables in a temporary tree (the repository's data stay untouched)."""
    home = tmp_path_factory.mktemp("home")
    src = config.paths("schulstart-2021", home=config.ROOT).raw
    shutil.copytree(src, home / "data" / "raw" / "schulstart-2021")
    return config.paths("schulstart-2021", home=home)


@pytest.fixture(scope="module")
def manifest(incident_home):
    # the shipped raw tables must validate: a ValidationError here fails the tests, never skips them
    return process.run(incident_home, n_boot=30)


def test_all_tables_written_with_claim_ids(manifest, incident_home):
    files = {p.name for p in incident_home.processed.iterdir()}
    assert files == EXPECTED
    for name in EXPECTED - {"manifest.json", "timeline.json", "datawrapper_sequence.csv", "datawrapper_conflicts.csv"}:
        df = pd.read_csv(incident_home.processed / name, dtype=str, keep_default_na=False)
        assert "claim_ids" in df.columns, name
        if name not in ("rejected.csv", "anomalies.csv", "disruption_state.csv", "sources.csv"):
            assert (df["claim_ids"] != "").all(), name
    for name in ("datawrapper_sequence.csv", "datawrapper_conflicts.csv"):
        assert "claim_ids" in pd.read_csv(incident_home.processed / name, nrows=0).columns


def test_row_accounting(manifest, incident_home):
    acc = manifest["accounting"]
    raw = sum(manifest["raw_rows"][t] for t in ("timeline", "counts", "statements"))
    assert acc["raw_claims"] == raw == acc["resolved"] + acc["unresolved"] + acc["rejected"]
    claims = pd.read_csv(incident_home.processed / "claims_resolved.csv", dtype=str, keep_default_na=False)
    assert len(claims) + manifest["processed_rows"]["rejected.csv"] == raw and claims["claim_id"].is_unique
    assert (claims["resolved"] == "false").sum() == manifest["processed_rows"]["unresolved.csv"]
    flags = pd.read_csv(incident_home.processed / "flags.csv", dtype=str, keep_default_na=False)
    assert set(flags["claim_id"]) <= set(claims["claim_id"])
    for name, n in manifest["processed_rows"].items():
        if name.endswith(".csv"):
            assert len(pd.read_csv(incident_home.processed / name, dtype=str)) == n


def test_manifest_hashes_match(manifest, incident_home):
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((incident_home.processed / name).read_bytes()).hexdigest() == digest
    on_disk = json.loads((incident_home.processed / "manifest.json").read_text())
    assert on_disk == manifest


def test_deterministic_rerun(manifest, incident_home):
    again = process.run(incident_home, n_boot=30)
    assert again["files"] == manifest["files"]
    leftovers = [p.name for p in incident_home.processed.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_failed_write_leaves_previous_output(manifest, incident_home, monkeypatch):
    before = {p.name: p.read_bytes() for p in incident_home.processed.iterdir()}
    calls = {"n": 0}
    real = process.to_csv_text

    def boom(df):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full")
        return real(df)

    monkeypatch.setattr(process, "to_csv_text", boom)
    with pytest.raises(OSError):
        process.run(incident_home, n_boot=5)
    after = {p.name: p.read_bytes() for p in incident_home.processed.iterdir()}
    assert after == before
    assert [p.name for p in incident_home.processed.parent.iterdir() if p.name.startswith(".")] == []


def test_rejected_rows_are_counted():
    ev = generate.corpus(n_sources=30, n_claims=200, seed=3)
    ev.timeline.loc[0, "source_id"] = "gen-missing"
    tables, docs = process.build(ev, n_boot=0, resolver=generate.generated_resolver)
    assert len(tables["rejected.csv"]) == 1 and tables["rejected.csv"]["claim_id"].iloc[0] == ev.timeline["claim_id"].iloc[0]
    acc = docs["_accounting"]
    assert acc["raw_claims"] == 200 == acc["resolved"] + acc["unresolved"] + acc["rejected"]


def test_generated_corpus_recovers_true_onset():
    ev = generate.corpus(n_sources=300, n_claims=3000, n_platforms=4, seed=8)
    tables, _ = process.build(ev, n_boot=20, resolver=generate.generated_resolver)
    seq = tables["sequence.csv"]
    for _, t in ev.truth.iterrows():
        s = seq[seq["platform"] == t["platform"]]
        assert len(s) >= 1
        first = s.sort_values("onset").iloc[0]
        assert abs((first["onset"] - t["onset"]).total_seconds()) <= 45 * 60
    fig = tables["conflicts.csv"]
    assert (fig["conflict_type"] == "figure").sum() == 4  # 4100 vs 4500 on every platform
