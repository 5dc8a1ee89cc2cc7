"""End-to-end guarantees of `make report`: builds, no-op, atomic failure, locking, row accounting, determinism.

These tests run the real pipeline (processing, papermill, site) in temporary copies of
the incident (INCIDENT_HOME), never in the repository's own build/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from incident import config, repro

pytestmark = pytest.mark.slow
ROOT = config.ROOT
INCIDENT = config.DEFAULT_INCIDENT


def _make(home: Path, *args: str, nb_dir: Path | None = None) -> subprocess.CompletedProcess:
    cmd = ["make", "--no-print-directory", "-C", str(ROOT), *args, f"INCIDENT={INCIDENT}", f"INCIDENT_HOME={home}"]
    if nb_dir is not None:
        cmd.append(f"NB_DIR={nb_dir}")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> config.Paths:
    """One clean `make report` in a temporary tree (shared by the tests of this module)."""
    home = tmp_path_factory.mktemp("report-a")
    res = repro.build_clean(INCIDENT, home)
    assert res.returncode == 0, res.stdout + res.stderr
    p = config.paths(INCIDENT, home=home)
    p.build.joinpath("first-report.log").write_text(res.stdout + res.stderr, encoding="utf-8")
    return p


def test_report_builds_the_site_and_says_so(built):
    log = (built.build / "first-report.log").read_text(encoding="utf-8")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert (built.site / "index.html").is_file()
    for nb in notebooks:  # one page per notebook, for readers and for editors
        assert (built.site / f"{nb.stem}.html").is_file()
        assert (built.site / f"{nb.stem}.code.html").is_file()
        assert f"done     {nb.stem}" in log  # progress per notebook
    summary = [ln for ln in log.splitlines() if ln.startswith("report:")]
    assert summary and f"{len(notebooks)} notebook(s) run" in summary[-1] and "index.html" in summary[-1]


def test_second_report_does_no_work(built):
    before = repro.checksums(built.site)
    stamp = (built.site / "index.html").stat().st_mtime_ns
    res = _make(built.home, "report")
    assert res.returncode == 0, res.stderr
    assert "0 notebook(s) run" in res.stdout
    assert "running" not in res.stdout
    assert (built.site / "index.html").stat().st_mtime_ns == stamp
    assert repro.checksums(built.site) == before


def test_failing_notebook_leaves_the_previous_site_untouched(built, tmp_path):
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nb_dir)  # copy2 keeps mtimes: only the new notebook is out of date
    broken = nbformat.read(ROOT / "notebooks" / "01-sources.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_markdown_cell("A deliberately broken cell for the test."))
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberately broken')"))
    nbformat.write(broken, nb_dir / "09-broken.ipynb")
    before = repro.checksums(built.site)
    res = _make(built.home, "report", nb_dir=nb_dir)
    assert res.returncode != 0
    err = res.stdout + res.stderr
    assert "09-broken.ipynb" in err and f"cell {len(broken.cells)}" in err and "deliberately broken" in err
    assert repro.checksums(built.site) == before, "the published site changed after a failed run"
    assert (built.build / "failed" / "09-broken.ipynb").is_file(), "partly executed notebook not kept"
    assert not (built.executed / "09-broken.ipynb").exists()
    assert not list(built.build.glob(".site-tmp-*"))


def test_two_reports_at_once_do_not_corrupt_the_site(built, tmp_path):
    nb = ROOT / "notebooks" / "05-article.ipynb"
    executed = built.executed / nb.name
    before = repro.checksums(built.site)
    os.utime(executed, (0, 0))  # make one notebook out of date so both runs have work to race for
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    cmd = ["make", "--no-print-directory", "-C", str(ROOT), "report", f"INCIDENT={INCIDENT}", f"INCIDENT_HOME={built.home}"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=1800) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ran = sum(int(o.split("report: ")[1].split(" ")[0]) for o, _ in outs)
    assert ran == 1, f"the lock should serialise the runs so the notebook runs once, ran {ran}"
    # re-running a deterministic notebook must give back exactly the site we had
    assert repro.checksums(built.site) == before
    assert not list(built.build.glob(".site-tmp-*")) and not list(built.build.glob(".site-old*"))


def test_every_raw_row_is_accounted_for(built):
    """raw rows → processed (resolved, unresolved or rejected) → published downloads."""
    raw = {t: len(pd.read_csv(built.raw / f"{t}.csv", dtype=str)) for t in ("timeline", "counts", "statements")}
    manifest = json.loads((built.processed / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["raw_rows"]["timeline"] == raw["timeline"]
    resolved = pd.read_csv(built.processed / "claims_resolved.csv", dtype=str)
    rejected = pd.read_csv(built.processed / "rejected.csv", dtype=str)
    unresolved = pd.read_csv(built.processed / "unresolved.csv", dtype=str)
    assert resolved["claim_id"].is_unique
    assert len(resolved) + len(rejected) == sum(raw.values())
    assert set(unresolved["claim_id"]) <= set(resolved.loc[resolved["resolved"] == "false", "claim_id"])
    assert len(unresolved) == (resolved["resolved"] == "false").sum()
    for name in ("claims_resolved.csv", "unresolved.csv", "rejected.csv", "sources.csv"):
        published = built.site / "downloads" / name
        assert published.read_bytes() == (built.processed / name).read_bytes(), name
    sources = pd.read_csv(built.raw / "sources.csv", dtype=str)
    assert len(pd.read_csv(built.site / "downloads" / "sources.csv", dtype=str)) == len(sources)


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    res = repro.build_clean(INCIDENT, tmp_path)
    assert res.returncode == 0, res.stderr
    a, b = repro.checksums(built.site), repro.checksums(config.paths(INCIDENT, home=tmp_path).site)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_every_exhibit_ships_with_its_data(built):
    specs = sorted((built.site / "exhibits").glob("*.vl.json"))
    assert len(specs) >= 6
    for spec in specs:
        stem = spec.name[: -len(".vl.json")]
        assert (spec.parent / f"{stem}.csv").is_file() and (spec.parent / f"{stem}.svg").is_file()
