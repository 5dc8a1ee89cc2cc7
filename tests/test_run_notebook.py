"""incident.run_notebook: a failed run never touches the previous executed copy and names the cell;
a report run passes every parameter explicitly; an editor's run writes to scratch only."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from incident import config, notebook, run_notebook
from incident.errors import NotebookError, ParameterError
from incident.evidence.descriptor import load_descriptor

FIXTURE = "fixture-2021"
FIXTURE_RAW = Path(__file__).parent / "fixtures" / "incident" / "data" / "raw" / FIXTURE


def _paths(home: Path) -> config.Paths:
    """A tree with the fixture incident's descriptor (the runs read its defaults)."""
    p = config.paths(FIXTURE, home=home)
    shutil.copytree(FIXTURE_RAW, p.raw)
    return p


def _notebook(path, *sources: str, **kwargs):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "incident", "display_name": "incident (.venv)", "language": "python"}
    params = nbformat.v4.new_code_cell(kwargs.get("params", "incident = None\nplatforms = None\ndays = None"))
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


def _printed(executed: Path) -> str:
    nb = nbformat.read(executed, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_failed_run_keeps_the_previous_executed_copy(tmp_path):
    p = _paths(tmp_path)
    nb = _notebook(tmp_path / "09-broken.ipynb", "x = 1", "raise RuntimeError('boom')")
    target = p.executed / nb.name
    target.parent.mkdir(parents=True)
    target.write_text("previous good run", encoding="utf-8")
    with pytest.raises(NotebookError, match="boom") as info:
        run_notebook.run_many([nb], p, say=lambda s: None)
    # cell 4 of the notebook an editor opens (papermill's injected cell is not counted)
    assert info.value.cell == 4 and "09-broken.ipynb" in str(info.value)
    assert target.read_text(encoding="utf-8") == "previous good run", "a failed run touched the executed copy"
    assert (p.build / "failed" / nb.name).is_file(), "the partly executed notebook is kept for debugging"
    assert not [f for f in p.executed.iterdir() if f.name.startswith(".")], "a partial file was left behind"


PRINT_PARAMETERS = "import json, os\nprint(json.dumps([incident, platforms, days, os.environ.get('INCIDENT_PUBLISH')]))"


def test_a_report_run_passes_the_descriptors_defaults_whatever_the_saved_cell_says(tmp_path):
    p = _paths(tmp_path)
    desc = load_descriptor(p)
    saved = 'incident = None\nplatforms = ["x-not-a-platform"]\ndays = ["1999-01-01"]'
    nb = _notebook(tmp_path / "01-saved.ipynb", PRINT_PARAMETERS, params=saved)
    (out,) = run_notebook.run_many([nb], p, say=lambda s: None)
    assert out == p.executed / nb.name
    seen = json.loads(_printed(out).strip().splitlines()[-1])
    assert seen == [FIXTURE, list(desc.article_platforms), [d.isoformat() for d in desc.days], "1"]
    injected = [
        c for c in nbformat.read(out, as_version=4).cells if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert injected and str(p.home) not in injected[0].source, "absolute paths must not reach the published page"


def test_a_report_run_passes_make_parameters_explicitly_and_only_those_a_notebook_declares(tmp_path):
    p = _paths(tmp_path)
    desc = load_descriptor(p)
    one = desc.article_platforms[0]
    takes_days = _notebook(tmp_path / "01-days.ipynb", PRINT_PARAMETERS)
    no_days = _notebook(
        tmp_path / "02-nodays.ipynb",
        "import json\nprint(json.dumps([incident, platforms, 'days' in dir()]))",
        params="incident = None\nplatforms = None",
    )
    said = []
    day = desc.days[0].isoformat()
    done = run_notebook.run_many([takes_days, no_days], p, parameters={"platforms": one, "days": day}, say=said.append)
    assert json.loads(_printed(done[0]).strip().splitlines()[-1]) == [FIXTURE, [one], [day], "1"]
    assert json.loads(_printed(done[1]).strip().splitlines()[-1]) == [FIXTURE, [one], False]
    assert any("02-nodays" in s and "'days'" in s for s in said), said
    with pytest.raises(ParameterError, match="parameter 'platforms'"):
        run_notebook.run_many([takes_days], p, parameters={"platforms": "nope"}, say=lambda s: None)


def test_an_editors_run_writes_to_scratch_only_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_HOME", "/somewhere/else")
    monkeypatch.setenv("INCIDENT_PUBLISH", "1")  # even from inside a report's environment
    p = _paths(tmp_path)
    desc = load_descriptor(p)
    one = desc.article_platforms[-1]
    nb = _notebook(tmp_path / "03-mine.ipynb", PRINT_PARAMETERS)
    said = []
    out = run_notebook.run(nb, p, parameters={"platforms": one}, say=said.append)
    folder = notebook.scratch_folder(p, (one,), tuple(desc.days))
    assert out == folder / "notebooks" / nb.name
    assert said and f"build/{FIXTURE}/scratch/{folder.name}/" in said[0]
    seen = json.loads(_printed(out).strip().splitlines()[-1])
    assert seen[:2] == [FIXTURE, one] and seen[3] is None, "the kernel must not publish"
    assert not p.executed.exists() and not p.exhibits.exists() and not p.site.exists()
    assert os.environ["INCIDENT_HOME"] == "/somewhere/else" and os.environ["INCIDENT_PUBLISH"] == "1"


def test_an_editors_run_refuses_a_parameter_the_notebook_does_not_take(tmp_path):
    p = _paths(tmp_path)
    nb = _notebook(tmp_path / "03-nodays.ipynb", "x = 1", params="incident = None\nplatforms = None")
    with pytest.raises(ParameterError, match="parameter 'days'"):
        run_notebook.run(nb, p, parameters={"days": load_descriptor(p).days[0].isoformat()})
    assert not p.build.exists()


def test_a_corrupt_notebook_is_a_named_error_not_a_traceback(tmp_path):
    p = _paths(tmp_path)
    bad = tmp_path / "03-corrupt.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match="03-corrupt.ipynb.*not a readable notebook"):
        run_notebook.run(bad, p)
    assert not p.executed.exists() or not list(p.executed.iterdir())


def test_run_many_uses_one_kernel_and_starts_each_notebook_empty(tmp_path):
    p = _paths(tmp_path)
    first = _notebook(tmp_path / "01-first.ipynb", "import os\nleftover = os.getpid()\nprint(leftover)")
    second = _notebook(tmp_path / "02-second.ipynb", "import os\nprint(os.getpid())\nprint(leftover)")
    with pytest.raises(NotebookError, match="02-second.ipynb.*NameError.*leftover") as info:
        run_notebook.run_many([first, second], p, say=lambda s: None)
    assert info.value.cell == 3  # the editor's third cell (papermill's injected cell not counted)
    done = nbformat.read(p.executed / "01-first.ipynb", as_version=4)
    failed = nbformat.read(p.build / "failed" / "02-second.ipynb", as_version=4)
    pid_first = done.cells[-1].outputs[0]["text"].strip()
    pid_second = failed.cells[-1].outputs[0]["text"].splitlines()[0].strip()
    assert pid_first == pid_second, "both notebooks ran in the same kernel"
    assert not (p.executed / "02-second.ipynb").exists()
    assert not [f for f in p.executed.iterdir() if f.name.startswith(".")]


def test_out_of_date_lists_missing_and_older_executed_copies(tmp_path):
    p = _paths(tmp_path)
    a = _notebook(tmp_path / "01-a.ipynb", "x = 1")
    b = _notebook(tmp_path / "02-b.ipynb", "x = 2")
    p.executed.mkdir(parents=True)
    (p.executed / "01-a.ipynb").write_text("{}", encoding="utf-8")
    os.utime(p.executed / "01-a.ipynb", (0, 0))
    assert run_notebook.out_of_date([a, b], p) == [a, b]
    os.utime(p.executed / "01-a.ipynb", None)
    assert run_notebook.out_of_date([a, b], p) == [b]
