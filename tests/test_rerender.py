"""A chart headline changed in incident.yaml re-renders only what shows it, and publishes what a clean build would.

The descriptor is hashed per step (:mod:`incident.fingerprint`): processing reads everything but
the chart-only parts, a notebook the chart entries it names, the site all of it. The fast path
after a headline change must publish byte for byte what a clean `make report` publishes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from incident import config, fingerprint, process, repro

ROOT = config.ROOT
INCIDENT = "schulstart-2021"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "INCIDENT_PUBLISH")}


def _descriptor(home: Path) -> Path:
    return config.paths(INCIDENT, home=home).raw / "incident.yaml"


def _set_headline(path: Path, exhibit: str, text: str) -> str:
    """Change one headline in place (the rest of the file byte for byte as it was); return the old one."""
    doc = path.read_text(encoding="utf-8")
    old = yaml.safe_load(doc)["exhibits"][exhibit]["headline"]
    quoted = json.dumps(old, ensure_ascii=False)
    assert doc.count(quoted) == 1, "the headline is written once, in double quotes"
    path.write_text(doc.replace(quoted, json.dumps(text, ensure_ascii=False)), encoding="utf-8")
    return old


def _drawn_by(exhibit: str) -> list[str]:
    """The notebooks whose code names the exhibit (read independently of incident.fingerprint)."""
    out = []
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if json.dumps(exhibit) in code:
            out.append(nb.stem)
    return out


# ------------------------------------------------------------------------- the hashes per step


def test_a_headline_changes_the_hash_of_the_notebook_that_draws_it_and_the_sites_only(tmp_path):
    path = tmp_path / "incident.yaml"
    shutil.copy(_descriptor(ROOT), path)
    exhibit = next(iter(yaml.safe_load(path.read_text(encoding="utf-8"))["exhibits"]))
    before = fingerprint.parts(path, NOTEBOOKS)
    _set_headline(path, exhibit, "Eine andere Überschrift")
    after = fingerprint.parts(path, NOTEBOOKS)
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == sorted(["site", *(f"nb-{n}" for n in _drawn_by(exhibit))])
    assert len(changed) == 2, "exactly one notebook draws the exhibit"


def test_a_short_label_changes_the_hash_of_the_notebooks_that_draw_figures_and_the_sites_only(tmp_path):
    path = tmp_path / "incident.yaml"
    shutil.copy(_descriptor(ROOT), path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    before = fingerprint.parts(path, NOTEBOOKS)
    labelled = next(q for q in doc["quantities"] if q.get("short"))
    labelled["short"] += " (neu)"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    after = fingerprint.parts(path, NOTEBOOKS)
    changed = sorted(k for k in before if before[k] != after[k])
    readers = [
        nb.stem for nb in NOTEBOOKS if any(f in nb.read_text(encoding="utf-8") for f in fingerprint.SHORT_READERS)
    ]
    assert readers, "a shipped notebook draws the figures"
    assert changed == sorted(["site", *(f"nb-{n}" for n in readers)])


def test_every_reader_of_a_short_label_is_listed():
    """Each ``.short`` the package reads sits in a function of fingerprint.SHORT_READERS (else a label
    change would not make the notebook that shows it due)."""
    import ast

    found = []
    for path in sorted((ROOT / "src" / "incident").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            if any(isinstance(n, ast.Attribute) and n.attr == "short" for n in ast.walk(func)):
                found.append((path.name, func.name))
    assert found, "the figures read their short labels somewhere"
    assert {name for _, name in found} <= set(fingerprint.SHORT_READERS), found


def test_a_platform_name_is_read_by_the_processing(tmp_path):
    path = tmp_path / "incident.yaml"
    shutil.copy(_descriptor(ROOT), path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    before = fingerprint.parts(path, NOTEBOOKS)
    doc["platforms"][0]["name"] += " (neu)"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    after = fingerprint.parts(path, NOTEBOOKS)
    assert before["process"] != after["process"] and before["site"] != after["site"]


def test_an_unreadable_descriptor_re_runs_every_step(tmp_path):
    path = tmp_path / "incident.yaml"
    path.write_text("a: &x [1]\nb: *x\n", encoding="utf-8")  # an alias: never expanded here
    first = fingerprint.parts(path, NOTEBOOKS)
    assert len(set(first.values())) == 1
    path.write_text("a: &x [1]\nb: *x\nc: 2\n", encoding="utf-8")
    second = fingerprint.parts(path, NOTEBOOKS)
    assert all(first[k] != second[k] for k in first)


def test_written_hash_files_change_only_when_their_hash_does(tmp_path):
    assert fingerprint.write(tmp_path, {"process": "a", "site": "b"}) == ["process", "site"]
    stamp = (tmp_path / "process").stat().st_mtime_ns
    assert fingerprint.write(tmp_path, {"process": "a", "site": "c"}) == ["site"]
    assert (tmp_path / "process").stat().st_mtime_ns == stamp
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_the_chart_only_parts_change_no_processed_file(tmp_path):
    """What incident.fingerprint leaves out of the processing's hash, the processing really never reads."""
    plain = config.paths(INCIDENT, home=tmp_path / "plain")
    changed = config.paths(INCIDENT, home=tmp_path / "changed")
    for p in (plain, changed):
        shutil.copytree(config.paths(INCIDENT).raw, p.raw)
    doc = yaml.safe_load(_descriptor(changed.home).read_text(encoding="utf-8"))
    for entry in doc["exhibits"].values():
        entry["headline"] = "Geänderte Überschrift"
    for q in doc["quantities"]:
        q["short"] = "kurz"
    _descriptor(changed.home).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert (
        fingerprint.parts(_descriptor(plain.home), [])["process"]
        == fingerprint.parts(_descriptor(changed.home), [])["process"]
    )
    assert process.run(plain)["files"] == process.run(changed)["files"]


# ------------------------------------------------------------------------- the fast path, end to end


def _make_report(home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "report", f"INCIDENT={INCIDENT}", f"INCIDENT_HOME={home}"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=1800,
    )


@pytest.mark.slow
def test_a_headline_change_re_renders_without_a_run_and_the_site_is_a_clean_builds(tmp_path):
    home = tmp_path / "edited"
    res = repro.build_clean(INCIDENT, home)
    assert res.returncode == 0, res.stdout + res.stderr
    p = config.paths(INCIDENT, home=home)
    exhibit = next(iter(yaml.safe_load(_descriptor(home).read_text(encoding="utf-8"))["exhibits"]))
    manifest = (p.processed / "manifest.json").read_bytes()
    manifest_time = (p.processed / "manifest.json").stat().st_mtime_ns
    untouched = {nb.stem: (p.executed / nb.name).stat().st_mtime_ns for nb in NOTEBOOKS}
    new = "Eine neue Überschrift für den Test <&>"
    _set_headline(_descriptor(home), exhibit, new)

    fast = _make_report(home)
    assert fast.returncode == 0, fast.stdout + fast.stderr
    drawn = _drawn_by(exhibit)
    assert "report: 0 notebook(s) run" in fast.stdout, fast.stdout
    assert [ln.split()[1] for ln in fast.stdout.splitlines() if ln.startswith("  retitled ")] == drawn
    assert not [ln for ln in fast.stdout.splitlines() if ln.startswith(("  done ", "  re-run "))], fast.stdout
    assert "accounting:" not in fast.stdout, "the processing ran"
    assert (p.processed / "manifest.json").stat().st_mtime_ns == manifest_time
    assert (p.processed / "manifest.json").read_bytes() == manifest
    for stem, stamp in untouched.items():
        if stem not in drawn:
            assert (p.executed / f"{stem}.ipynb").stat().st_mtime_ns == stamp, f"{stem} was touched"

    # the new headline is on the pages that show the chart: the article and the notebook's desk page
    page = (p.site / "index.html").read_text(encoding="utf-8")
    desk = (p.site / f"{drawn[0]}.html").read_text(encoding="utf-8")
    for html in (page, desk):
        assert "Eine neue Überschrift für den Test &lt;&amp;&gt;" in html
    assert _make_report(home).stdout.startswith("report: 0 notebook(s) run"), "a second report has nothing to do"

    # a change beyond a headline (the order of an exhibit's quantities) re-runs the notebook that draws it
    doc = _descriptor(home).read_text(encoding="utf-8")
    listed = yaml.safe_load(doc)["exhibits"]["2-zahlen"]["quantities"]
    block = "[" + ", ".join(listed) + "]"
    assert doc.count(block) == 1, "the quantities are written as one flow list"
    _descriptor(home).write_text(doc.replace(block, "[" + ", ".join(reversed(listed)) + "]"), encoding="utf-8")
    rerun = _make_report(home)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    reader = _drawn_by("2-zahlen")
    assert [ln.split()[1].rstrip(":") for ln in rerun.stdout.splitlines() if ln.startswith("  re-run ")] == reader
    assert [ln.split()[1] for ln in rerun.stdout.splitlines() if ln.startswith("  done ")] == reader

    clean = tmp_path / "clean"
    res = repro.build_clean(INCIDENT, clean, raw_from=p)
    assert res.returncode == 0, res.stdout + res.stderr
    assert repro.checksums(p.site) == repro.checksums(config.paths(INCIDENT, home=clean).site)
