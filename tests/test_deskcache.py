"""Desk pages come from the cache only while what they read is unchanged, and then byte for byte as exported."""

from __future__ import annotations

import shutil

import nbformat
from fixtures.sitekit import make_home

from incident.publish import site


def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = site.export_notebook

    def export(notebook, charts):
        calls.append(charts.prefix)
        return real(notebook, charts)

    monkeypatch.setattr(site, "export_notebook", export)
    return calls


def test_a_cached_page_is_the_exported_page(tmp_path, monkeypatch):
    paths = make_home(tmp_path / "home", "fixture-2021")
    calls = _counting(monkeypatch)
    first = _tree(site.build_site(paths))
    exported = len(calls)
    assert exported == len(site.executed_notebooks(paths.executed)) == 5
    second = _tree(site.build_site(paths))
    assert len(calls) == exported, "every page came from the cache"
    assert second == first
    shutil.rmtree(paths.build / ".cache")
    assert _tree(site.build_site(paths)) == first
    assert len(calls) == 2 * exported


def test_a_changed_notebook_is_exported_again_and_only_it(tmp_path, monkeypatch):
    paths = make_home(tmp_path / "home", "fixture-2021")
    site.build_site(paths)
    executed = paths.executed / "04-aussagen.ipynb"
    nb = nbformat.read(executed, as_version=4)
    nb.cells[0].source += "\n\nEin neuer Satz für die Redaktion."
    nbformat.write(nb, executed)
    calls = _counting(monkeypatch)
    built = site.build_site(paths)
    assert calls == ["04-aussagen"]
    assert "Ein neuer Satz für die Redaktion." in (built / "04-aussagen.html").read_text(encoding="utf-8")


def test_a_chart_that_stops_being_an_exhibit_is_exported_again(tmp_path, monkeypatch):
    """A page links a chart to its exhibit's files: which exhibit a chart is belongs to the key."""
    paths = make_home(tmp_path / "home", "fixture-2021")
    site.build_site(paths)
    spec = paths.exhibits / "3-aussagen.vl.json"
    spec.write_text(spec.read_text(encoding="utf-8").replace('"chart": "statements"', '"chart": "other"', 1))
    calls = _counting(monkeypatch)
    built = site.build_site(paths)
    assert calls == ["04-aussagen"]
    assert "assets/04-aussagen-1.svg" in (built / "04-aussagen.html").read_text(encoding="utf-8")
    assert (built / "assets" / "04-aussagen-1.svg").is_file()
    assert _tree(built) == _tree(site.build_site(paths)), "the fallback SVG comes back with the cached page"
