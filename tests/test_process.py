"""process: every processed table written atomically, typed by its data package, rows accounted for.

Counts are checked against the raw CSV files read here with the csv module, not against what
``write()`` recorded about itself.
"""

import csv
import hashlib
import json
import shutil

import pandas as pd
import pytest

from incident import config, process, processed
from incident.errors import OutputError, ValidationError
from incident.evidence.descriptor import load_descriptor

TABLES = {f"{name}.csv" for name in processed.TABLES}
EXPORTS = {"datawrapper_sequence.csv", "datawrapper_conflicts.csv", "timeline.json", "timelinejs-de.json"}


@pytest.fixture(scope="module")
def incident_home(tmp_path_factory):
    """A copy of the real raw tables in a temporary tree (the repository's data stay untouched)."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(config.paths("schulstart-2021", home=config.ROOT).raw, home / "data" / "raw" / "schulstart-2021")
    return config.paths("schulstart-2021", home=home)


@pytest.fixture(scope="module")
def manifest(incident_home):
    # the shipped raw tables must validate: a ValidationError here fails the tests, never skips them
    return process.run(incident_home)


def _raw_ids(p, table: str) -> list[str]:
    with (p.raw / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return [row["claim_id"] for row in csv.DictReader(fh)]


def test_every_table_written_with_claim_ids_and_a_package(manifest, incident_home):
    files = {p.name for p in incident_home.processed.iterdir()}
    assert files == TABLES | EXPORTS | {"manifest.json", "datapackage.json"}
    for name in TABLES:
        df = pd.read_csv(incident_home.processed / name, dtype=str, keep_default_na=False)
        assert list(df.columns) == [c for c, _ in processed.TABLES[name[:-4]]], name
        assert "claim_ids" in df.columns, name


def test_processed_tables_read_typed(manifest, incident_home):
    t = processed.read(incident_home.processed, tz="Europe/Berlin")
    assert t["claims_resolved"]["resolved"].dtype == "boolean"
    assert str(t["sequence"]["onset_latest"].dtype).startswith("datetime64")
    assert t["claims_resolved"]["value"].dtype == "float64"


def test_every_raw_claim_is_in_claims_resolved_once(manifest, incident_home):
    raw = sum((_raw_ids(incident_home, t) for t in ("timeline", "counts", "statements")), [])
    claims = pd.read_csv(incident_home.processed / "claims_resolved.csv", dtype=str, keep_default_na=False)
    assert sorted(claims["claim_id"]) == sorted(raw)
    unresolved = pd.read_csv(incident_home.processed / "unresolved.csv", dtype=str, keep_default_na=False)
    assert set(unresolved["claim_id"]) == set(claims.loc[claims["resolved"] == "false", "claim_id"])
    assert manifest["accounting"]["raw_claims"] == len(raw)


def test_manifest_hashes_match_the_files(manifest, incident_home):
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((incident_home.processed / name).read_bytes()).hexdigest() == digest, name


def test_rerun_is_byte_identical(manifest, incident_home):
    before = {p.name: p.read_bytes() for p in incident_home.processed.iterdir()}
    process.run(incident_home)
    after = {p.name: p.read_bytes() for p in incident_home.processed.iterdir()}
    assert before == after


def test_invalid_processed_package_leaves_the_previous_output(manifest, incident_home, monkeypatch):
    before = {p.name: p.read_bytes() for p in incident_home.processed.iterdir()}

    def broken(folder):
        raise ValidationError([])

    monkeypatch.setattr(processed, "validate", broken)
    with pytest.raises(ValidationError):
        process.run(incident_home)
    assert {p.name: p.read_bytes() for p in incident_home.processed.iterdir()} == before
    assert not [p for p in incident_home.processed.parent.iterdir() if ".partial-" in p.name]


def test_processed_package_validates_with_frictionless(manifest, incident_home):
    processed.validate(incident_home.processed)  # raises on any problem
    doc = json.loads((incident_home.processed / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in doc["resources"]} == TABLES | {e for e in EXPORTS if e.endswith(".csv")}
    for r in doc["resources"]:  # the downloads' codebook: every field titled and described in German
        assert all(f["title"] and f["description"] for f in r["schema"]["fields"]), r["path"]


def test_a_wrong_value_in_a_processed_table_is_caught(manifest, incident_home, tmp_path):
    copy = tmp_path / "proc"
    shutil.copytree(incident_home.processed, copy)
    seq = (copy / "sequence.csv").read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([seq[1]]))
    cells[3] = "zwei"  # the episode number must be an integer
    seq[1] = ",".join(f'"{c}"' if "," in c else c for c in cells)
    (copy / "sequence.csv").write_text("\n".join(seq) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        processed.validate(copy)
    assert "sequence" in str(err.value)


def test_rejected_rows_are_counted_and_kept_out():
    from types import SimpleNamespace

    ev = SimpleNamespace(
        sources=pd.DataFrame({"source_id": ["s"]}),
        timeline=pd.DataFrame({"claim_id": ["s#1", "x#1"], "source_id": ["s", "x"]}),
        counts=pd.DataFrame({"claim_id": [], "source_id": []}),
        statements=pd.DataFrame({"claim_id": [], "source_id": []}),
    )
    kept, rejected = process.split_rejected(ev)
    assert list(kept.timeline["claim_id"]) == ["s#1"]
    assert list(rejected["claim_id"]) == ["x#1"] and "not in sources" in rejected["reason"].iloc[0]


def test_unwritable_processed_folder_is_a_named_error(incident_home, monkeypatch):
    """A read-only or full disk ends in OutputError naming the folder, not a traceback (tests run as root,
    which ignores permissions, so the failure is injected where the folder is created)."""
    import errno
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match=r"cannot write .*data/processed: permission denied"):
        process.run(incident_home)


def test_descriptor_is_read_for_the_window(incident_home):
    desc = load_descriptor(incident_home)
    assert desc.window[0].isoformat().startswith(str(desc.first_day))
