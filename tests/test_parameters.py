"""Notebook parameters without a kernel: the committed form, the default incident, names a notebook takes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from incident import config, notebook, run_notebook
from incident.errors import ParameterError

ROOT = config.ROOT
CHECK = ROOT / "tools" / "check_notebooks.py"


def _check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), str(folder)], capture_output=True, text=True)


def test_the_committed_notebooks_declare_only_none_parameters():
    res = _check(ROOT / "notebooks")
    assert res.returncode == 0, res.stdout
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        names = run_notebook.declared(nbformat.read(nb, as_version=4))
        assert set(names) <= set(notebook.PARAMETERS) and {"incident", "platforms"} <= set(names), nb.name


@pytest.mark.parametrize(
    ("saved", "says"),
    [
        ('platforms = ["iserv-video", "padlet"]', "saves platforms = ['iserv-video', 'padlet']"),
        ("days = '2021-01-11'", "saves days = '2021-01-11'"),
        ("incident = None\nplatfroms = None", "sets 'platfroms', which is no parameter"),
        ("import os", "may only set parameters to None"),
    ],
)
def test_the_check_refuses_a_parameters_cell_that_is_not_the_defaults(tmp_path, saved, says):
    shutil.copy(ROOT / "notebooks" / "02-timeline.ipynb", tmp_path / "02-timeline.ipynb")
    nb = nbformat.read(tmp_path / "02-timeline.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    name = saved.split("=")[0].strip().split()[-1]
    lines = [ln for ln in cell.source.splitlines() if not ln.startswith(name + " ")]
    cell.source = "\n".join([*lines, saved])
    nbformat.write(nb, tmp_path / "02-timeline.ipynb")
    res = _check(tmp_path)
    assert res.returncode == 1 and says in res.stdout, res.stdout


def test_the_report_publishes_the_parameters_cell_in_its_committed_form():
    saved = 'incident = "x"  # which\nplatforms = [\n  "moodle-köln", "a"]  # a # b\ndays = None  # all'
    assert (
        run_notebook.committed_form(saved) == "incident = None  # which\nplatforms = None  # a # b\ndays = None  # all"
    )


def test_without_an_incident_named_the_descriptors_default_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("INCIDENT", raising=False)
    for name, extra in (("a-2020", ""), ("b-2021", "default: true\n")):
        raw = tmp_path / "data" / "raw" / name
        raw.mkdir(parents=True)
        (raw / "incident.yaml").write_text(f"id: {name}\n{extra}", encoding="utf-8")
    assert config.paths(home=tmp_path).incident == "b-2021"
    monkeypatch.setenv("INCIDENT", "a-2020")
    assert config.paths(home=tmp_path).incident == "a-2020"
    monkeypatch.delenv("INCIDENT")
    (tmp_path / "data" / "raw" / "b-2021" / "incident.yaml").write_text("id: b-2021\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="parameter 'incident': name one of a-2020, b-2021"):
        config.paths(home=tmp_path)


def test_the_shipped_data_names_one_default_incident():
    assert len(config.default_incidents(ROOT)) == 1


def test_a_name_the_notebook_does_not_declare_is_an_error_naming_it():
    notebook.check_names(["incident", "platforms"], ["incident", "platforms", "days"])
    with pytest.raises(ParameterError, match="parameter 'platfroms'"):
        notebook.check_names(["platfroms"], ["incident", "platforms", "days"])
    with pytest.raises(ParameterError, match="parameter 'days'.*takes: incident, platforms"):
        notebook.check_names(["days"], ["incident", "platforms"])
