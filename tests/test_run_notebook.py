"""incident.run_notebook: a failed run never touches the previous executed copy and names the cell."""

from __future__ import annotations

import os

import nbformat
import pytest

from incident import config, run_notebook
from incident.errors import NotebookError


def _notebook(path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "incident", "display_name": "incident (.venv)", "language": "python"}
    params = nbformat.v4.new_code_cell('incident = "x"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Test"), params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


def test_failed_run_keeps_the_previous_executed_copy(tmp_path):
    p = config.paths("fixture-run", home=tmp_path)
    nb = _notebook(tmp_path / "09-broken.ipynb", "x = 1", "raise RuntimeError('boom')")
    target = p.executed / nb.name
    target.parent.mkdir(parents=True)
    target.write_text("previous good run", encoding="utf-8")
    with pytest.raises(NotebookError, match="boom") as info:
        run_notebook.run(nb, p)
    # cell 4 of the notebook an editor opens (papermill's injected cell is not counted)
    assert info.value.cell == 4 and "09-broken.ipynb" in str(info.value)
    assert target.read_text(encoding="utf-8") == "previous good run", "a failed run touched the executed copy"
    assert (p.build / "failed" / nb.name).is_file(), "the partly executed notebook is kept for debugging"
    assert not [f for f in p.executed.iterdir() if f.name.startswith(".")], "a partial file was left behind"


def test_successful_run_replaces_the_copy_and_passes_the_tree(tmp_path):
    p = config.paths("fixture-run", home=tmp_path)
    nb = _notebook(
        tmp_path / "01-ok.ipynb",
        "import os\nhome_seen = os.environ['INCIDENT_HOME']\n"
        "print(incident, home_seen, os.environ.get('INCIDENT_PUBLISH'))",
    )
    out = run_notebook.run(nb, p)
    executed = nbformat.read(out, as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert f"fixture-run {p.home} 1" in text  # make report's runs publish their exhibits
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and str(p.home) not in injected[0].source, "absolute paths must not reach the published page"


def test_run_leaves_the_callers_environment_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_HOME", "/somewhere/else")
    p = config.paths("fixture-run", home=tmp_path)
    monkeypatch.delenv("INCIDENT_PUBLISH", raising=False)
    run_notebook.run(_notebook(tmp_path / "01-ok.ipynb", "x = 1"), p)
    assert os.environ["INCIDENT_HOME"] == "/somewhere/else"
    assert "INCIDENT_PUBLISH" not in os.environ


def test_a_corrupt_notebook_is_a_named_error_not_a_traceback(tmp_path):
    p = config.paths("fixture-run", home=tmp_path)
    bad = tmp_path / "03-corrupt.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match="03-corrupt.ipynb.*not a readable notebook"):
        run_notebook.run(bad, p)
    assert not p.executed.exists() or not list(p.executed.iterdir())


def test_run_many_uses_one_kernel_and_starts_each_notebook_empty(tmp_path):
    p = config.paths("fixture-run", home=tmp_path)
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
    p = config.paths("fixture-run", home=tmp_path)
    a = _notebook(tmp_path / "01-a.ipynb", "x = 1")
    b = _notebook(tmp_path / "02-b.ipynb", "x = 2")
    p.executed.mkdir(parents=True)
    (p.executed / "01-a.ipynb").write_text("{}", encoding="utf-8")
    os.utime(p.executed / "01-a.ipynb", (0, 0))
    assert run_notebook.out_of_date([a, b], p) == [a, b]
    os.utime(p.executed / "01-a.ipynb", None)
    assert run_notebook.out_of_date([a, b], p) == [b]
