"""Hostile make arguments, folders and packages (issue 20): nothing runs, nothing outside the tree is touched, nothing hangs.

Each test reproduces one way the old Makefile, loader or runner could be made to run a
command, delete or read something outside the incident's tree, or wait for ever, and
checks that it is now refused with a named reason. Everything that could hang runs under a
deadline or in a child process with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import contextlib
import csv
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
import yaml
from fixtures.rawcopy import REAL, copy_incident, rows, write_rows

from incident import atomic, cli, config
from incident.errors import ValidationError
from incident.evidence import descriptor, load

ROOT = config.ROOT


@pytest.fixture()
def copy(tmp_path: Path) -> config.Paths:
    """A writable copy of the shipped incident's raw folder under a temporary INCIDENT_HOME."""
    return copy_incident(tmp_path / "home")


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise TimeoutError in this thread after ``seconds`` (a blocking read is interrupted)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _env(**extra: str) -> dict:
    drop = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "INCIDENT", "INCIDENT_HOME", "PLATFORMS", "DAYS", "TEXT", "LAB_ARGS")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def _make(*args: str, timeout: float = 25) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=timeout,
    )


def _problems(p: config.Paths) -> list:
    with pytest.raises(ValidationError) as info, deadline(20):
        load.load_incident(p)
    return info.value.problems


# --------------------------------------------------------------------------- make arguments

INJECTIONS = ["$(shell touch {m})", "x'; touch {m}; '", 'x"; touch {m}; "', "$$(touch {m})", "`touch {m}`"]


@pytest.mark.parametrize("variable", ["INCIDENT", "PLATFORMS", "DAYS", "LAB_ARGS", "INCIDENT_HOME", "NB_DIR"])
@pytest.mark.parametrize("injection", INJECTIONS)
def test_a_hostile_make_value_runs_nothing_and_is_named(tmp_path, variable, injection):
    marker = tmp_path / "ran"
    value = injection.format(m=marker)
    if variable == "INCIDENT_HOME":
        value = str(tmp_path) + "/" + value
    goal = "lab" if variable == "LAB_ARGS" else "validate"
    res = _make(goal, f"{variable}={value}")
    assert not marker.exists(), f"{variable}={value!r} ran a command"
    assert res.returncode != 0
    assert variable in res.stderr and "nothing was run" in res.stderr, res.stderr


@pytest.mark.parametrize("injection", INJECTIONS)
def test_text_reaches_check_text_only_through_the_environment(tmp_path, injection):
    marker = tmp_path / "ran"
    res = _make("-n", "check-text", f"TEXT=am Montag {injection.format(m=marker)}")
    assert not marker.exists()
    assert res.returncode == 0, res.stderr
    assert '"$TEXT"' in res.stdout and "touch" not in res.stdout


def test_check_text_without_a_text_says_how():
    res = _make("check-text")
    assert res.returncode == 2 and "TEXT=" in res.stderr


@pytest.mark.parametrize("value", ["Schulstart-2021", "-rf", "a b", "../warntag-2020", ""])
def test_make_refuses_what_is_no_incident_id(value):
    res = _make("validate", f"INCIDENT={value}")
    assert res.returncode != 0 and "INCIDENT" in res.stderr and "nothing was run" in res.stderr


def test_well_formed_parameters_pass_the_check():
    res = _make("-n", "validate", 'PLATFORMS=["nina", "katwarn"]', "DAYS=2020-09-10,2020-09-11", "LAB_ARGS=--port=8899")
    assert res.returncode == 0, res.stderr
    assert '--incident "$INCIDENT"' in res.stdout


def test_parameters_reach_the_notebooks_through_the_environment(copy):
    res = _make("-n", "_report", f"INCIDENT_HOME={copy.home}", 'PLATFORMS=["iserv-video"]', "DAYS=2021-01-11")
    assert res.returncode == 0, res.stderr
    assert '--param "platforms=$PLATFORMS"' in res.stdout and '--param "days=$DAYS"' in res.stdout
    assert "iserv-video" not in res.stdout and "2021-01-11" not in res.stdout  # never pasted into a command


def test_help_names_the_variables_with_examples():
    res = _make("help")
    assert res.returncode == 0
    for word in ("PLATFORMS", "DAYS", "LAB_ARGS", "TEXT", "check-text", "make lab LAB_ARGS="):
        assert word in res.stdout, word


# --------------------------------------------------------------------------- folders


def test_clean_in_a_path_with_spaces_removes_only_its_own_folders(tmp_path):
    home = tmp_path / "a b"
    sibling = tmp_path / "a"  # `rm -rf /…/a b/build` used to remove this folder
    outside = tmp_path / "outside"
    for d in (home / "build" / "x", home / "data" / "processed" / "x", home / "data" / "raw" / "x", sibling, outside):
        d.mkdir(parents=True)
    (sibling / "keep.txt").write_text("keep", encoding="utf-8")
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    (home / "data" / "processed" / "link").symlink_to(outside)  # `rm -rf processed/*/` followed it
    res = _make("clean", f"INCIDENT_HOME={home}")
    assert res.returncode == 0, res.stderr
    assert (sibling / "keep.txt").is_file(), "a folder beside INCIDENT_HOME was removed"
    assert (outside / "keep.txt").is_file(), "a folder a link pointed to was emptied"
    assert not (home / "build").exists() and not (home / "data" / "processed" / "x").exists()
    assert (home / "data" / "raw" / "x").is_dir()


def test_report_in_a_tree_with_spaces_is_refused_by_name(tmp_path):
    res = _make("report", f"INCIDENT_HOME={tmp_path / 'a b'}")
    assert res.returncode != 0 and "INCIDENT_HOME contains spaces" in res.stderr


def test_a_stray_file_in_the_raw_folder_is_not_a_target(copy):
    (copy.raw / "sources copy.csv").write_text("a,b\n", encoding="utf-8")
    (copy.raw / "notes;x.csv").write_text("a,b\n", encoding="utf-8")
    res = _make("-n", "_report", f"INCIDENT_HOME={copy.home}")
    assert "No rule to make target" not in res.stderr, res.stderr
    assert res.returncode == 0, res.stderr


def test_a_notebook_with_a_hostile_name_is_never_in_a_command(tmp_path, copy):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), nb_dir / "01-plain.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), nb_dir / "02-$(hostile-command).ipynb")
    res = _make("-n", "_report", f"INCIDENT_HOME={copy.home}", f"NB_DIR={nb_dir}")
    assert res.returncode == 0, res.stderr
    assert "01-plain" in res.stdout and "hostile-command" not in res.stdout


def test_incidents_lists_only_ids_and_names_the_folders_it_skipped(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "data" / "raw"
    for name in ("good-1", "Bad Name", "x;rm -rf", "no-descriptor", "-dash"):
        (raw / name).mkdir(parents=True)
        if name != "no-descriptor":
            (raw / name / "incident.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "incident.yaml").write_text("id: x\n", encoding="utf-8")
    (raw / "linked").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv("INCIDENT_HOME", str(tmp_path))
    assert cli.main(["incidents"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == ["good-1"]
    for name in ("Bad Name", "x;rm -rf", "no-descriptor", "-dash", "linked"):
        assert f"skipped  {name!r}" in err, name


def _leftovers(home: Path, incident: str) -> list[Path]:
    """A leftover of an interrupted run in every place an incident's run writes."""
    out = [
        home / "build" / incident / "notebooks" / ".01-x.partial-1.ipynb",
        home / "data" / "processed" / incident / ".sources.csv.partial-1",
        home / "data" / "processed" / f".{incident}.partial-abc",
        home / "build" / f".{incident}.partial-abc",
    ]
    for path in out:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    return out


def test_a_runs_cleanup_touches_only_its_own_incident(copy, capsys):
    own, other = _leftovers(copy.home, copy.incident), _leftovers(copy.home, "other-incident")
    cli._say_cleaned(copy)
    assert not any(p.exists() for p in own), "a leftover of this incident was kept"
    assert all(p.exists() for p in other), "another incident's run in progress lost its files"
    assert capsys.readouterr().err.count("cleaned") == len(own)


def test_makes_cleanup_touches_only_its_own_incident(copy):
    own, other = _leftovers(copy.home, copy.incident), _leftovers(copy.home, "other-incident")
    (copy.build).mkdir(parents=True, exist_ok=True)
    res = _make("_report", f"INCIDENT_HOME={copy.home}", "PY=/bin/false")  # stops at the first step, after cleaning
    assert res.returncode != 0
    assert not any(p.exists() for p in own), res.stderr
    assert all(p.exists() for p in other), "another incident's run in progress lost its files"


def test_a_leftover_link_is_removed_as_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    build = tmp_path / "build" / "x"
    build.mkdir(parents=True)
    (build / ".site.partial-1").symlink_to(outside)
    assert atomic.clean_partials(build) == [build / ".site.partial-1"]
    assert not (build / ".site.partial-1").is_symlink() and (outside / "keep.txt").is_file()


@pytest.mark.parametrize("mask", [0o027, 0o002, 0o077])
def test_published_folders_keep_the_users_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        with atomic.staged_dir(tmp_path / "site") as tmp:
            (tmp / "assets").mkdir()
            (tmp / "assets" / "site.css").write_text("x", encoding="utf-8")
            atomic.write_text(tmp / "index.html", "<p>")
        assert atomic.current_umask() == mask
    finally:
        os.umask(old)
    site = tmp_path / "site"
    assert site.stat().st_mode & 0o777 == 0o777 & ~mask
    assert (site / "assets").stat().st_mode & 0o777 == 0o777 & ~mask
    assert (site / "index.html").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (site / "assets" / "site.css").stat().st_mode & 0o777 == 0o666 & ~mask


# --------------------------------------------------------------------------- lab


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_starts_as_root_with_lab_args_on_the_repository():
    port = _free_port()
    args = f"LAB_ARGS=--no-browser --port={port} --ip=127.0.0.1 --ServerApp.token=t0k3n"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "lab", args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    try:
        listing = None
        end = time.monotonic() + 25
        while time.monotonic() < end and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=t0k3n", timeout=2) as r:
                    listing = json.load(r)
                break
            except OSError:
                time.sleep(0.5)
        assert listing is not None, "JupyterLab did not start"
        names = {c["name"] for c in listing["content"]}
        assert {"notebooks", "src", "Makefile"} <= names  # the repository: notebooks/ and build/… both in view
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


# --------------------------------------------------------------------------- the project's own schemas


@pytest.fixture()
def server():
    """A localhost server that records every request (nothing may be fetched)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"type": "object"}')

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}", hits
    srv.shutdown()


def _package(p: config.Paths, change) -> None:
    desc = json.loads(REAL.datapackage.read_text(encoding="utf-8"))
    change(desc)
    p.datapackage.write_text(json.dumps(desc), encoding="utf-8")


@pytest.mark.parametrize(
    "where",
    ["package profile", "resource profile", "package $schema", "schema $schema", "schema by reference", "dialect"],
)
def test_a_remote_profile_or_schema_is_refused_and_never_fetched(copy, server, where):
    base, hits = server
    url = f"{base}/profile.json"

    def change(desc):
        res = desc["resources"][0]
        if where == "package profile":
            desc["profile"] = url
        elif where == "resource profile":
            res["profile"] = url
        elif where == "package $schema":
            desc["$schema"] = url
        elif where == "schema $schema":
            res["schema"]["$schema"] = url
        elif where == "schema by reference":
            res["schema"] = url
        else:
            res["dialect"] = url

    _package(copy, change)
    problems = _problems(copy)
    assert hits == [], f"the loader fetched {hits}"
    assert any(x.file == "datapackage.json" and ("refused" in x.reason or "written out" in x.reason) for x in problems)


@pytest.mark.parametrize("path", ["../../../../etc/passwd", "/etc/passwd", "https://example.org/sources.csv"])
def test_a_resource_path_other_than_its_own_file_is_refused(copy, path):
    _package(copy, lambda d: d["resources"][0].update(path=path))
    problems = _problems(copy)
    assert any(x.file == "datapackage.json" and x.column == "path" for x in problems), problems


def test_a_pattern_the_project_did_not_ship_is_refused(copy):
    def change(desc):
        desc["resources"][0]["schema"]["fields"][0]["constraints"]["pattern"] = "^(a+)+$"  # catastrophic backtracking

    _package(copy, change)
    problems = _problems(copy)
    assert any(
        x.file == "datapackage.json" and x.column == "source_id" and "not the project's" in x.reason for x in problems
    ), problems


def test_keys_are_checked_whatever_the_package_says(copy):
    """No primary key, no unique flag, a duplicate source_id: a named problem, never a MergeError later."""

    def change(desc):
        schema = desc["resources"][0]["schema"]
        schema.pop("primaryKey", None)
        for f in schema["fields"]:
            (f.get("constraints") or {}).pop("unique", None)

    _package(copy, change)
    data = rows(REAL.raw / "sources.csv")
    write_rows(copy.raw / "sources.csv", data + [dict(data[0])])
    problems = _problems(copy)
    assert any(
        (x.file, x.row, x.column) == ("sources.csv", len(data) + 1, "source_id") and "duplicate" in x.reason
        for x in problems
    ), problems
    assert any(x.file == "datapackage.json" and x.column == "primaryKey" for x in problems)


def test_descriptions_may_differ_from_the_projects(copy):
    def change(desc):
        desc["resources"][0]["schema"]["fields"][0]["description"] = "eine andere Beschreibung"
        desc["title"] = "Ein anderer Titel"

    _package(copy, change)
    with deadline(20):
        assert load.load_incident(copy).sources.shape[0] == len(rows(REAL.raw / "sources.csv"))


# --------------------------------------------------------------------------- raw inputs are regular files


def test_a_named_pipe_in_place_of_a_table_is_refused_without_waiting(copy):
    (copy.raw / "sources.csv").unlink()
    os.mkfifo(copy.raw / "sources.csv")
    problems = _problems(copy)
    assert any(x.file == "sources.csv" and "named pipe" in x.reason for x in problems), problems


def test_a_link_to_dev_zero_is_refused_without_reading(copy):
    (copy.raw / "counts.csv").unlink()
    (copy.raw / "counts.csv").symlink_to("/dev/zero")
    problems = _problems(copy)
    assert any(x.file == "counts.csv" and "symbolic link" in x.reason for x in problems), problems


def test_a_link_to_a_file_outside_the_tree_is_refused(copy, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes(REAL.datapackage.read_bytes())
    copy.datapackage.unlink()
    copy.datapackage.symlink_to(outside)
    problems = _problems(copy)
    assert any(x.file == "datapackage.json" and "symbolic link" in x.reason for x in problems), problems


@pytest.mark.parametrize("kind", ["pipe", "link to /dev/zero"])
def test_a_special_descriptor_is_refused_without_waiting(copy, kind):
    path = copy.raw / "incident.yaml"
    path.unlink()
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(ValidationError) as info, deadline(10):
        descriptor.load_descriptor(copy)
    assert any(("named pipe" if kind == "pipe" else "symbolic link") in x.reason for x in info.value.problems)


# --------------------------------------------------------------------------- the descriptor's YAML


def _descriptor_problems(p: config.Paths, text: str) -> list:
    (p.raw / "incident.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info, deadline(10):
        descriptor.load_descriptor(p)
    return info.value.problems


def _real_yaml() -> str:
    return (REAL.raw / "incident.yaml").read_text(encoding="utf-8")


def test_yaml_aliases_are_refused(copy):
    laughs = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 6))
    text = _real_yaml() + "x0: &l0 lol\n" + laughs
    problems = _descriptor_problems(copy, text)
    assert any("alias" in x.reason for x in problems), problems


def test_a_key_given_twice_is_refused(copy):
    text = _real_yaml() + 'title: "Ein zweiter Titel"\n'
    problems = _descriptor_problems(copy, text)
    assert any("'title' given twice" in x.reason for x in problems), problems


def test_deep_nesting_is_named_not_a_recursion_error(copy):
    text = _real_yaml() + "deep: " + "[" * 50_000 + "]" * 50_000 + "\n"
    problems = _descriptor_problems(copy, text)
    assert any("nested deeper" in x.reason for x in problems), problems


def _with(change) -> str:
    doc = yaml.safe_load(_real_yaml())
    change(doc)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def test_a_window_of_centuries_is_refused(copy):
    text = _with(lambda d: d["window"].update(first_day="1900-01-01", last_day="2100-12-31"))
    problems = _descriptor_problems(copy, text)
    assert any(x.column == "window" and "at most" in x.reason for x in problems), problems


@pytest.mark.parametrize(
    "anchors",
    [
        {"days": ["schulstart"]},
        {"weeks": {}},
        {"days": {"schulstart": {"names": "Schulstart"}}},
        {"days": {"schulstart": {"names": ["Schulstart"], "by_region": {"NRW": "2021-02-30"}}}},
        {"times": {"beginn": {"names": ["Beginn"], "span": [480, 495]}}},
        {"times": {"beginn": {"names": ["Beginn"], "span": ["08:00"]}}},
        {"days": {"schulstart": {"names": ["Schulstart", "Schulstart"]}}},
        {"times": {"beginn": {"names": ["Beginn"], "span": ["09:00", "08:00"]}}},
    ],
)
def test_malformed_anchors_are_named_at_validation(copy, anchors):
    problems = _descriptor_problems(copy, _with(lambda d: d.update(anchors=anchors)))
    assert any(str(x.column).startswith("anchors") for x in problems), problems


# --------------------------------------------------------------------------- bounded resources


def test_a_long_cell_is_copied_for_download_not_a_field_limit_error(tmp_path):
    from incident.publish import site

    source = tmp_path / "long.csv"
    write_rows(source, [{"text": "=" + "x" * 300_000, "n": "1"}, {"text": "kurz", "n": "2"}])
    limit = csv.field_size_limit(131_072)  # Python's default (Frictionless raises it when imported)
    try:
        with deadline(20):
            site.spreadsheet_safe_copy(source, tmp_path / "out.csv")
        assert csv.field_size_limit() == 131_072, "the copy changed the process's field limit"
    finally:
        csv.field_size_limit(limit)
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["text,n", "'=" + "x" * 300_000 + ",1", "kurz,2"]


def test_a_dead_kernel_fails_the_run_within_seconds_naming_the_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "incident", "display_name": "incident (.venv)", "language": "python"}
    params = nbformat.v4.new_code_cell('incident = "x"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import os\nos._exit(1)"), nbformat.v4.new_code_cell("print(1)")]
    path = tmp_path / "07-stirbt.ipynb"
    nbformat.write(nb, path)
    # a real descriptor: the run writes out the publication's parameters from it before any kernel starts
    raw = tmp_path / "data" / "raw" / "schulstart-2021"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "raw" / "schulstart-2021" / "incident.yaml", raw / "incident.yaml")
    code = (
        "import sys\n"
        "from incident import config, run_notebook\n"
        "from incident.errors import NotebookError\n"
        f"p = config.paths('schulstart-2021', home={str(tmp_path)!r})\n"
        "try:\n"
        f"    run_notebook.run_many([{str(path)!r}], p, say=lambda s: None)\n"
        "except NotebookError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n"
    )
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=25, env=_env())
    assert res.returncode == 3, res.stdout + res.stderr
    # cell 2 as an editor counts (papermill's injected cell is not counted)
    assert "07-stirbt.ipynb" in res.stdout and "cell 2" in res.stdout and "kernel died" in res.stdout
    assert time.monotonic() - t0 < 25


def test_the_readme_states_the_limits_the_code_enforces():
    from incident.evidence import read

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"tables ≤ {read.MAX_BYTES // 2**20} MiB" in text
    assert f"`datapackage.json` ≤ {read.MAX_DESCRIPTOR_BYTES // 2**20} MiB" in text
    assert f"`incident.yaml` ≤ {descriptor.MAX_BYTES:,} bytes" in text
    assert f"nested ≤ {descriptor.MAX_DEPTH} levels" in text and f"window ≤ {descriptor.MAX_WINDOW_DAYS} days" in text
