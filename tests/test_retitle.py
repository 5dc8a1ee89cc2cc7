"""A changed headline is written into an executed notebook and its exhibit only when a run would give the same.

The end-to-end check (a site byte for byte a clean build's) is in tests/test_rerender.py; here
the rule of :mod:`incident.retitle` on the fixture's executed notebooks.
"""

from __future__ import annotations

import json

import nbformat
import pytest
import yaml
from fixtures.sitekit import make_home

from incident import retitle
from incident.publish.charts import VEGALITE_MIME

NOTEBOOK = "02-ablauf"
EXHIBIT = "1-ablauf"


def _part(**headlines) -> dict:
    return {"short": ["a"], "exhibits": {k: {"headline": v, "quantities": ["q"]} for k, v in headlines.items()}}


def test_only_headline_changes_are_listed():
    old = _part(**{"1-a": "Alt", "2-b": "Gleich"})
    assert retitle.changed_headlines(old, _part(**{"1-a": "Neu", "2-b": "Gleich"})) == {"1-a": ("Alt", "Neu")}
    assert retitle.changed_headlines(old, old) == {}


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["short"].__setitem__(0, "b"),  # an axis label: the chart itself changes
        lambda p: p["exhibits"]["1-a"].__setitem__("quantities", ["r"]),  # another input
        lambda p: p["exhibits"]["1-a"].pop("headline"),  # the notebook's default takes over
        lambda p: p["exhibits"].__setitem__("3-c", {"headline": "Neu"}),  # a new exhibit
    ],
)
def test_any_other_change_needs_a_run(change):
    old = _part(**{"1-a": "Alt"})
    new = json.loads(json.dumps(old))
    change(new)
    assert retitle.changed_headlines(old, new) is None


@pytest.fixture()
def home(tmp_path):
    """The fixture's tree with its Ablauf notebook recorded as a report run records it."""
    paths = make_home(tmp_path / "home", "fixture-2021")
    executed = paths.executed / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    retitle.record(nb, retitle.chart_inputs(paths, executed))
    nbformat.write(nb, executed)
    return paths


def _set_headline(paths, text: str) -> str:
    path = paths.raw / "incident.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = doc["exhibits"][EXHIBIT]["headline"]
    doc["exhibits"][EXHIBIT]["headline"] = text
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return old


def _shown(paths) -> list[dict]:
    nb = nbformat.read(paths.executed / f"{NOTEBOOK}.ipynb", as_version=4)
    return [o["data"] for c in nb.cells for o in c.get("outputs", []) if VEGALITE_MIME in o.get("data", {})]


def test_a_new_headline_reaches_the_chart_output_and_the_exhibit(home):
    new = "Neue Überschrift <&> mit „Zitat“"
    _set_headline(home, new)
    outcome = retitle.apply(home.executed / f"{NOTEBOOK}.ipynb", home)
    assert outcome.done and outcome.retitled == (EXHIBIT,)
    shown = _shown(home)
    assert len(shown) == 1
    assert shown[0][VEGALITE_MIME]["usermeta"]["headline"] == new
    assert shown[0]["text/plain"] == f"<Grafik: {new}>"
    spec = json.loads((home.exhibits / f"{EXHIBIT}.vl.json").read_text(encoding="utf-8"))
    assert spec["usermeta"]["headline"] == new and spec["usermeta"]["exhibit"] == EXHIBIT
    # apart from the headline, the chart is the one the notebook drew
    spec["usermeta"].pop("exhibit")
    assert json.dumps(spec, sort_keys=True) == json.dumps(shown[0][VEGALITE_MIME], sort_keys=True)
    # and the next change starts from what this one recorded
    _set_headline(home, "Noch eine")
    assert retitle.apply(home.executed / f"{NOTEBOOK}.ipynb", home).retitled == (EXHIBIT,)


def _files(paths) -> dict:
    return {p.name: p.read_bytes() for p in sorted([*paths.exhibits.iterdir(), *paths.executed.iterdir()])}


def test_a_headline_another_output_also_shows_needs_a_run(home):
    executed = home.executed / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    old = retitle.chart_inputs(home, executed)["exhibits"][EXHIBIT]["headline"]
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "s.headline('1-ablauf', '')", outputs=[nbformat.v4.new_output("stream", name="stdout", text=old)]
        )
    )
    nbformat.write(nb, executed)
    before = _files(home)
    _set_headline(home, "Neu")
    outcome = retitle.apply(executed, home)
    assert not outcome.done and "used elsewhere" in outcome.reason
    assert _files(home) == before, "nothing is written when the notebook must run"


def test_a_chart_drawn_with_another_headline_needs_a_run(home):
    """A run with other parameters drew the neutral default: the descriptor's headline never reached it."""
    spec_path = home.exhibits / f"{EXHIBIT}.vl.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["usermeta"]["headline"] = "Der Ablauf"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    _set_headline(home, "Neu")
    outcome = retitle.apply(home.executed / f"{NOTEBOOK}.ipynb", home)
    assert not outcome.done and "does not carry" in outcome.reason


def test_a_run_that_recorded_nothing_needs_a_run(home):
    executed = home.executed / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    retitle.record(nb, None)
    nbformat.write(nb, executed)
    _set_headline(home, "Neu")
    assert "recorded no chart inputs" in retitle.apply(executed, home).reason
