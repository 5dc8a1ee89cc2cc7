"""End-to-end guarantees of `make report`, on temporary copies of the incidents (INCIDENT_HOME).

Builds, no-op, atomic failure, locking, a killed run, parameters through make, editors' runs
that never touch what is published, byte-identical builds, both shipped incidents and a
generated third one (other dates, other words, summer time).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from incident import config, generate, repro, run_notebook

pytestmark = pytest.mark.slow
ROOT = config.ROOT
INCIDENT = "schulstart-2021"


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "INCIDENT_PUBLISH")}


def _make_cmd(home: Path, *args: str, incident: str = INCIDENT) -> list[str]:
    return ["make", "--no-print-directory", "-C", str(ROOT), *args, f"INCIDENT={incident}", f"INCIDENT_HOME={home}"]


def _make(home: Path, *args: str, incident: str = INCIDENT, nb_dir: Path | None = None) -> subprocess.CompletedProcess:
    cmd = _make_cmd(home, *args, incident=incident)
    if nb_dir is not None:
        cmd.append(f"NB_DIR={nb_dir}")
    return subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=1800)


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
    for nb in notebooks:
        assert f"done     {nb.stem}" in log
    summary = [ln for ln in log.splitlines() if ln.startswith("report:")]
    assert summary and f"{len(notebooks)} notebook(s) run" in summary[-1] and "index.html" in summary[-1]


def test_second_report_does_no_work(built):
    before = repro.checksums(built.site)
    stamp = (built.site / "index.html").stat().st_mtime_ns
    res = _make(built.home, "report")
    assert res.returncode == 0, res.stderr
    assert "0 notebook(s) run" in res.stdout and "running" not in res.stdout
    assert (built.site / "index.html").stat().st_mtime_ns == stamp
    assert repro.checksums(built.site) == before


def test_failing_notebook_leaves_the_previous_site_untouched(built, tmp_path):
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nb_dir)  # copy2 keeps mtimes: only the new notebook is out of date
    broken = nbformat.read(ROOT / "notebooks" / "01-sources.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_markdown_cell("Eine absichtlich kaputte Zelle."))
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberately broken')"))
    nbformat.write(broken, nb_dir / "09-broken.ipynb")
    before = repro.checksums(built.site)
    res = _make(built.home, "report", nb_dir=nb_dir)
    assert res.returncode != 0
    err = res.stdout + res.stderr
    assert "09-broken.ipynb" in err and f"cell {len(broken.cells)}" in err and "deliberately broken" in err
    assert "Traceback" not in res.stderr
    assert repro.checksums(built.site) == before, "the published site changed after a failed run"
    assert (built.build / "failed" / "09-broken.ipynb").is_file(), "partly executed notebook not kept"
    assert not (built.executed / "09-broken.ipynb").exists()


def test_two_reports_at_once_do_not_corrupt_the_site(built):
    executed = built.executed / "05-article.ipynb"
    before = repro.checksums(built.site)
    os.utime(executed, (0, 0))  # make one notebook out of date so both runs have work to race for
    cmd = _make_cmd(built.home, "report")
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()) for _ in range(2)
    ]
    outs = [p.communicate(timeout=1800) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ran = sum(int(o.split("report: ")[1].split(" ")[0]) for o, _ in outs)
    assert ran == 1, f"the lock should serialise the runs so the notebook runs once, ran {ran}"
    assert repro.checksums(built.site) == before


def test_every_raw_row_is_accounted_for_and_published(built):
    raw = {t: len(pd.read_csv(built.raw / f"{t}.csv", dtype=str)) for t in ("timeline", "counts", "statements")}
    resolved = pd.read_csv(built.processed / "claims_resolved.csv", dtype=str)
    rejected = pd.read_csv(built.processed / "rejected.csv", dtype=str)
    assert resolved["claim_id"].is_unique and len(resolved) + len(rejected) == sum(raw.values())
    downloads = built.site / "downloads"
    assert len(pd.read_csv(downloads / "claims_resolved.csv", dtype=str)) == len(resolved)
    assert len(pd.read_csv(downloads / "sources.csv", dtype=str)) == len(pd.read_csv(built.raw / "sources.csv"))


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    res = repro.build_clean(INCIDENT, tmp_path)
    assert res.returncode == 0, res.stderr
    a, b = repro.checksums(built.site), repro.checksums(config.paths(INCIDENT, home=tmp_path).site)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_every_exhibit_ships_with_its_data(built):
    specs = sorted((built.site / "exhibits").glob("*.vl.json"))
    assert len(specs) >= 5
    for spec in specs:
        stem = spec.name[: -len(".vl.json")]
        assert (spec.parent / f"{stem}.csv").is_file() and (spec.parent / f"{stem}.svg").is_file()


def test_fact_box_holds_no_model_output(built):
    facts = (built.exhibits / "facts.csv").read_text(encoding="utf-8")
    for word in ("rekonstruiert", "90 %", "Bootstrap", "Anteil", "Bruchstelle"):
        assert word not in facts
    box = pd.read_csv(built.exhibits / "facts.csv", dtype=str, keep_default_na=False)
    assert set(box["kind"]) == {"zahl", "zeit"}
    assert (box["claim_ids"] != "").all()


def test_a_killed_report_leaves_nothing_that_the_next_one_publishes(built):
    """kill -9 on the process group while a notebook runs; then an empty leftover; then a normal run."""
    os.utime(built.executed / "01-sources.ipynb", (0, 0))
    cmd = _make_cmd(built.home, "report")
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env(), start_new_session=True
    )
    deadline = time.time() + 120
    while time.time() < deadline and not any(".partial-" in f.name for f in built.executed.iterdir()):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    # an empty leftover such as a crash can leave (it used to break every later run with NotJSONError)
    (built.executed / f".02-timeline.partial-{os.getpid()}.ipynb").write_text("", encoding="utf-8")
    res = _make(built.home, "report")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "cleaned" in res.stderr
    leftovers = [f for f in built.build.rglob("*") if ".partial-" in f.name]
    assert leftovers == []
    pages = sorted(p.name for p in built.site.glob("*.html"))
    assert not [p for p in pages if p.startswith(".")]
    index = (built.site / "index.html").read_text(encoding="utf-8")
    assert index.count("01-sources.html") == index.count("02-timeline.html") >= 1


def test_parameters_through_make_rerun_the_notebooks(built, tmp_path):
    home = tmp_path / "params"
    shutil.copytree(built.home / "data" / "raw", home / "data" / "raw")
    res = _make(home, "report", 'PLATFORMS=["padlet"]', "DAYS=2021-01-11")
    assert res.returncode == 0, res.stdout + res.stderr
    p = config.paths(INCIDENT, home=home)
    seq = pd.read_csv(p.exhibits / "1-ablauf.csv", dtype=str)
    assert set(seq["platform"]) == {"Padlet"}
    # every section of the page shows the selection, and says so (issue: parameter runs filter the whole page)
    index = (p.site / "index.html").read_text(encoding="utf-8")
    assert "Diese Seite zeigt eine Auswahl: Padlet; Montag, 11. Januar 2021" in index
    others = ["IServ-Video", "IServ-Anmeldung", "Moodle des KRZN", "Logineo NRW LMS", "Dienstag"]
    sections = [s for s in ("zusammenfassung", "widersprueche", "aussagen", "zahlen", "fakten") if f'id="{s}"' in index]
    assert {"zusammenfassung", "aussagen", "zahlen", "fakten"} <= set(sections)
    for section in sections:
        start = index.index(f'id="{section}"')
        body = index[start : index.index("<h2", start + 10)]
        body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
        assert [o for o in others if o in body] == [], section
    downloads = {
        f: pd.read_csv(p.site / "downloads" / f, dtype=str, keep_default_na=False)
        for f in ("sequence.csv", "figures.csv", "conflicts.csv", "claims_resolved.csv")
    }
    assert set(downloads["sequence.csv"]["platform"]) == {"padlet"}
    assert set(downloads["sequence.csv"]["day"]) == {"2021-01-11"}
    for name in ("figures.csv", "conflicts.csv", "claims_resolved.csv"):
        platforms = {q for v in downloads[name]["platform"] for q in v.split("; ")}
        assert platforms <= {
            "padlet",
            "general",
            "context",
            "unknown",
            "network",
            "school-network",
            "homeworker",
            "schulen-hannover",
            "",
        }, name
    # the descriptor's headlines state the publication's findings; a selection gets neutral ones
    spec = (p.exhibits / "1-ablauf.vl.json").read_text(encoding="utf-8")
    assert "IServ" not in spec
    bad = _make(home, "report", 'PLATFORMS=["nope"]')
    assert bad.returncode != 0 and "parameter 'platforms'" in bad.stdout + bad.stderr


def test_an_editors_papermill_run_writes_to_scratch_and_changes_nothing_published(built, tmp_path):
    before = repro.checksums(built.exhibits)
    out = tmp_path / "run.ipynb"
    env = {**_env(), "INCIDENT_HOME": str(built.home)}
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / "02-timeline.ipynb"),
            str(out),
            "-p",
            "platforms",
            '["padlet"]',
            "-k",
            "incident",
        ],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "INCIDENT"},  # no -p incident, no $INCIDENT: the default
        cwd=ROOT,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert repro.checksums(built.exhibits) == before
    scratch = list((built.build / "scratch").rglob("1-ablauf.csv"))
    assert scratch and set(pd.read_csv(scratch[0], dtype=str)["platform"]) == {"Padlet"}
    # the scratch folder is printed on papermill's terminal, relative to the tree
    assert f"build/{INCIDENT}/scratch/{scratch[0].parent.parent.name}/exhibits/" in res.stderr
    assert "0 notebook(s) run" in _make(built.home, "report").stdout


def _papermill(built: config.Paths, notebook: str, out: Path, *params: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "papermill", str(ROOT / "notebooks" / notebook), str(out), "-k", "incident"]
    for pair in params:
        name, _, value = pair.partition("=")
        cmd += ["-p", name, value]
    env = {**_env(), "INCIDENT_HOME": str(built.home)}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def test_papermill_with_a_misspelt_parameter_fails_naming_it(built, tmp_path):
    res = _papermill(built, "02-timeline.ipynb", tmp_path / "x.ipynb", 'platfroms=["padlet"]')
    assert res.returncode != 0 and "parameter 'platfroms'" in res.stderr, res.stderr[-2000:]


def test_days_is_honoured_or_refused_in_every_notebook(built, tmp_path):
    day = sorted(pd.read_csv(built.exhibits / "3-aussagen.csv", dtype=str)["start"].str[:10])[-1]
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        declared = run_notebook.declared(nbformat.read(nb, as_version=4))
        res = _papermill(built, nb.name, tmp_path / nb.name, f"days={day}")
        if "days" in declared:
            assert res.returncode == 0, res.stderr[-2000:]
        else:  # refused, and said so, naming the parameter
            assert res.returncode != 0 and "parameter 'days'" in res.stderr, res.stderr[-2000:]
    # 04 honours it: only statements touching that day are drawn
    honoured = list((built.build / "scratch").rglob("3-aussagen.csv"))
    shown = pd.read_csv(honoured[0], dtype=str)
    published = pd.read_csv(built.exhibits / "3-aussagen.csv", dtype=str)
    assert 0 < len(shown) < len(published)
    assert all(s[:10] <= day <= e[:10] for s, e in zip(shown["start"], shown["end"]))


def _site_and_exhibits(p: config.Paths) -> dict[str, str]:
    return {**repro.checksums(p.site), **{f"exhibits/{k}": v for k, v in repro.checksums(p.exhibits).items()}}


def test_a_saved_parameters_cell_changes_nothing_published(built, tmp_path):
    """JupyterLab autosaved `platforms = [...]` into a notebook: the check refuses it, the report ignores it."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        shutil.copy(nb, nbs / nb.name)  # newer than the executed copies: the report re-runs them
    edited = nbs / "02-timeline.ipynb"
    node = nbformat.read(edited, as_version=4)
    cell = next(c for c in node.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("platforms = None", 'platforms = ["iserv-video", "padlet"]')
    assert "padlet" in cell.source
    nbformat.write(node, edited)
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_notebooks.py"), str(nbs)], capture_output=True, text=True
    )
    assert check.returncode == 1 and "02-timeline.ipynb" in check.stdout and "platforms" in check.stdout
    before = _site_and_exhibits(built)
    res = _make(built.home, "report", nb_dir=nbs)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")))  # every copied notebook is newer: all re-run
    assert f"report: {n} notebook(s) run" in res.stdout
    assert _site_and_exhibits(built) == before, "a saved parameters cell changed the published site"


def test_an_editors_notebook_command_changes_nothing_published(built):
    """`python -m incident notebook … --param platforms=…` runs into scratch; the next report publishes as before."""
    before = _site_and_exhibits(built)
    executed = repro.checksums(built.executed)
    env = {**_env(), "INCIDENT_HOME": str(built.home)}
    cmd = [sys.executable, "-m", "incident", "notebook", "--incident", INCIDENT]
    res = subprocess.run(
        [*cmd, str(ROOT / "notebooks" / "03-requests.ipynb"), "--param", "platforms=iserv-video"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert f"scratch  build/{INCIDENT}/scratch/" in res.stdout
    assert repro.checksums(built.executed) == executed, "the editor's run overwrote build/<incident>/notebooks/"
    report = _make(built.home, "report")
    assert report.returncode == 0 and "report: 0 notebook(s) run" in report.stdout, report.stdout + report.stderr
    assert _site_and_exhibits(built) == before


def test_papermill_with_an_unknown_platform_names_the_parameter(built, tmp_path):
    env = {**_env(), "INCIDENT_HOME": str(built.home)}
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / "01-sources.ipynb"),
            str(tmp_path / "x.ipynb"),
            "-p",
            "incident",
            INCIDENT,
            "-p",
            "platforms",
            '["nope"]',
            "-k",
            "incident",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert res.returncode != 0 and "parameter 'platforms'" in res.stderr


@pytest.mark.parametrize("incident", ["warntag-2020", "uniklinik-duesseldorf-2020", generate.SUMMER_ID])
def test_another_incident_builds_its_own_site(incident, tmp_path):
    if incident == generate.SUMMER_ID:
        generate.write_incident(tmp_path, schema_from=config.paths(INCIDENT).raw)
    else:
        shutil.copytree(config.paths(incident).raw, tmp_path / "data" / "raw" / incident)
    res = _make(tmp_path, "report", incident=incident)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    p = config.paths(incident, home=tmp_path)
    from incident.evidence.descriptor import load_descriptor

    desc = load_descriptor(p)
    index = (p.site / "index.html").read_text(encoding="utf-8")
    assert desc.title.split(":")[0] in index
    for platform in desc.article_platforms:
        assert desc.platform_name(platform) in index
    assert "MESZ" in index or "UTC+2" in index  # both are summer-time incidents
