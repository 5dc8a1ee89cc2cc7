"""Static site: offline assets, escaping, weight, determinism, atomic swap, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from fixtures.sitekit import make_home
from incident.publish import site as site_module
from incident.errors import ProvenanceError, SiteError
from incident.publish.site import MAX_PAGE_BYTES, build_site, link, markdown, page_weight, sanitise_table, script_json


@pytest.fixture()
def fixture_paths(tmp_path):
    return make_home(tmp_path / "home", "fixture-2021")


@pytest.fixture()
def hostile_paths(tmp_path):
    return make_home(tmp_path / "hostile", "hostile-2021")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _json_blocks(text: str) -> list[str]:
    return re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', text, flags=re.S)


def _without_json_blocks(text: str) -> str:
    return re.sub(r'<script type="application/json" id="[^"]+">.*?</script>', "", text, flags=re.S)


def test_site_layout(fixture_paths):
    folder = build_site(fixture_paths, docs_dir=None)
    assert folder == fixture_paths.site
    names = set(_tree(folder))
    assert {"index.html", "01-ablauf.html", "01-ablauf.code.html", "02-zahlen.html", "02-zahlen.code.html",
            "assets/vega-bundle.js", "assets/site.css", "assets/site.js",
            "downloads/timeline.json", "downloads/facts.csv", "downloads/sources.csv"} <= names
    assert [n for n in names if n.endswith("vega-bundle.js")] == ["assets/vega-bundle.js"]
    for name in ("sequence", "surge", "statements", "figures", "coverage", "changepoints"):
        assert {f"exhibits/{name}.svg", f"exhibits/{name}.csv", f"exhibits/{name}.vl.json"} <= names
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert index.count('class="chart"') == 6
    assert "Fakten" in index and "100.000 Anfragen" in index and "Methodik" in index
    assert 'href="downloads/timeline.json"' in index
    assert not list(fixture_paths.build.glob(".site-tmp-*")) and not (fixture_paths.build / ".site-old").exists()


def test_no_third_party_requests(fixture_paths):
    folder = build_site(fixture_paths, docs_dir=None)
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        # Everything the page loads is a relative file that exists.
        loaded = re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"', text) + re.findall(
            r'<link[^>]*\shref="([^"]+)"', text
        )
        assert loaded, page.name
        for ref in loaded:
            assert not re.match(r"^[a-z]+:|^//", ref), (page.name, ref)
            assert (page.parent / ref).is_file(), (page.name, ref)
        assert "require.js" not in text and "mathjax" not in text.lower() and "cdn" not in text.lower()
        assert "default-src 'none'" in text  # CSP blocks any network fetch
    css = (folder / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_specs_embedded_safely(hostile_paths):
    folder = build_site(hostile_paths, docs_dir=None)
    index = (folder / "index.html").read_text(encoding="utf-8")
    blocks = _json_blocks(index)
    assert len(blocks) == 6
    exhibit = json.loads((folder / "exhibits" / "sequence.vl.json").read_text(encoding="utf-8"))
    assert json.loads(blocks[0]) == exhibit
    for block in blocks:
        assert "<" not in block and ">" not in block
    # Each chart shows its SVG fallback until vega-embed replaces it.
    assert index.count('<img class="chart-fallback" src="exhibits/') == 6


def test_hostile_text_is_escaped_everywhere(hostile_paths):
    folder = build_site(hostile_paths, docs_dir=None)
    for page in sorted(folder.glob("*.html")):
        text = _without_json_blocks(page.read_text(encoding="utf-8"))
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert all('src="assets/' in s for s in scripts), (page.name, scripts)
        assert not re.search(r"<img\b(?![^>]*class=\"(chart-fallback|output-image)\")", text), page.name
        assert "onerror=" not in re.sub(r"&lt;img src=x onerror=", "", text).replace("onerror=&quot;", ""), page.name
        assert 'href="javascript' not in text.lower()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=&quot;headline&quot;&lt;/script&gt;IServ bricht zusammen" in index
    assert "javascript:window.__pwned=&#x27;url&#x27;" in index  # shown as text, not a link
    notebook = (folder / "02-zahlen.html").read_text(encoding="utf-8")
    assert "<table class=\"dataframe\"><tr><td>Zelle</td></tr></table>" in notebook
    assert "&lt;script&gt;window.__pwned=&#x27;plain&#x27;&lt;/script&gt;" in notebook
    first = (folder / "01-ablauf.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned='md-script'&lt;/script&gt;" in first
    assert "Klick <span class=\"unsafe-url\">(javascript:window.__pwned=%27md-link%27)</span>" in first
    assert '<a href="https://example.org/sicher">sicher</a>' in first


def test_reader_pages_hide_code(fixture_paths):
    folder = build_site(fixture_paths, docs_dir=None)
    reader = (folder / "01-ablauf.html").read_text(encoding="utf-8")
    editor = (folder / "01-ablauf.code.html").read_text(encoding="utf-8")
    assert "frame.head()" not in reader and "frame.head()" in editor
    assert "fertig &lt;b&gt;nicht fett&lt;/b&gt;" in reader
    assert "<h1>Der Ablauf</h1>" in reader
    assert reader.count('class="chart"') == 1
    # The notebook's chart reuses the exhibit's SVG as fallback.
    assert 'src="exhibits/sequence.svg"' in reader


def test_page_weight_limit(fixture_paths, hostile_paths):
    weights = {}
    for paths in (fixture_paths, hostile_paths):
        folder = build_site(paths, docs_dir=None)
        for page in sorted(folder.glob("*.html")):
            weights[f"{paths.incident}/{page.name}"] = page_weight(page)
    assert weights and all(size <= MAX_PAGE_BYTES for size in weights.values()), weights
    bundle = (fixture_paths.site / "assets" / "vega-bundle.js").stat().st_size
    assert all(size > bundle for size in weights.values())  # the bundle is counted


def test_overweight_page_fails_and_keeps_old_site(fixture_paths, monkeypatch):
    build_site(fixture_paths, docs_dir=None)
    before = _tree(fixture_paths.site)
    monkeypatch.setattr(site_module, "MAX_PAGE_BYTES", 1000)
    with pytest.raises(SiteError, match="heavier"):
        build_site(fixture_paths, docs_dir=None)
    assert _tree(fixture_paths.site) == before
    assert not list(fixture_paths.build.glob(".site-tmp-*"))


def test_two_builds_are_byte_identical(tmp_path):
    first = build_site(make_home(tmp_path / "a", "fixture-2021"), docs_dir=None)
    second_paths = make_home(tmp_path / "b", "fixture-2021")
    second = build_site(second_paths, docs_dir=None)
    assert _tree(first) == _tree(second)
    again = build_site(second_paths, docs_dir=None)
    assert _tree(again) == _tree(first)


def test_failed_build_keeps_previous_site(fixture_paths, monkeypatch):
    build_site(fixture_paths, docs_dir=None)
    before = _tree(fixture_paths.site)

    def explode(*args, **kwargs):
        (args[0] / "half-written.html").write_text("x", encoding="utf-8")
        raise RuntimeError("boom")

    monkeypatch.setattr(site_module, "_assemble", explode)
    with pytest.raises(RuntimeError, match="boom"):
        build_site(fixture_paths, docs_dir=None)
    assert _tree(fixture_paths.site) == before
    assert not list(fixture_paths.build.glob(".site-tmp-*"))


def test_provenance_violation_stops_build(fixture_paths):
    build_site(fixture_paths, docs_dir=None)
    before = _tree(fixture_paths.site)
    facts = pd.read_csv(fixture_paths.processed / "facts.csv", dtype=str, keep_default_na=False)
    facts.loc[0, "claim_ids"] = "fx-erfunden#1"
    with pytest.raises(ProvenanceError, match="fx-erfunden#1"):
        build_site(fixture_paths, facts=facts, docs_dir=None)
    assert _tree(fixture_paths.site) == before


def test_missing_facts(fixture_paths):
    (fixture_paths.processed / "facts.csv").unlink()
    with pytest.raises(SiteError, match="facts.csv"):
        build_site(fixture_paths, docs_dir=None)
    folder = build_site(fixture_paths, docs_dir=None, require_facts=False)
    assert "Fakten" not in (folder / "index.html").read_text(encoding="utf-8")


def test_methodology_from_docs(fixture_paths, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "method.md").write_text(
        "# Method\n\n## Time conventions\nAll times Europe/Berlin <b>x</b>.\n\n## Unrelated\nskip me\n\n"
        "## Change-point method\nPELT with a BIC penalty.\n",
        encoding="utf-8",
    )
    index = (build_site(fixture_paths, docs_dir=docs) / "index.html").read_text(encoding="utf-8")
    assert "All times Europe/Berlin &lt;b&gt;x&lt;/b&gt;." in index and "PELT with a BIC penalty." in index
    assert "skip me" not in index and "<details>" in index
    own = (build_site(fixture_paths, docs_dir=None) / "index.html").read_text(encoding="utf-8")
    assert "Unabhängige Quellen" in own and "<details>" not in own


def test_cli(fixture_paths, capsys):
    assert site_module.main(["--incident", "fixture-2021", "--home", str(fixture_paths.home)]) == 0
    assert capsys.readouterr().out.strip() == str(fixture_paths.site / "index.html")


def test_link_only_for_http():
    assert link("https://example.org/a?b=1&c=2", "A") == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">A</a>'
    )
    assert "<a" not in link("javascript:alert(1)", "x")
    assert "<a" not in link("data:text/html,<script>", "x") and "&lt;script&gt;" in link("data:text/html,<script>")
    assert "<a" not in link('https://x" onmouseover="alert(1)', "x")


def test_markdown_escapes_html_and_bad_links():
    out = markdown("x <script>alert(1)</script> [a](javascript:void) ![b](https://tracker.example/p.png) [c](https://ok.example)")
    assert "<script" not in out and "&lt;script&gt;" in out
    assert 'href="javascript' not in out and "a <span" in out  # bad link shown as text
    assert "<img" not in out and "src=" not in out  # no remote image request
    assert '<a href="https://ok.example">c</a>' in out


def test_sanitise_table_keeps_only_table_text():
    frame = pd.DataFrame({"quote": ['<img src=x onerror="alert(1)">'], "n": [2500]})
    out = sanitise_table(frame.to_html())
    assert "<img" not in out and "&lt;img src=x" in out and "<style" not in out
    assert sanitise_table('<table class="dataframe" onclick="x"><tr><td><script>bad()</script>ok</td></tr></table>') == (
        '<table class="dataframe"><tr><td>ok</td></tr></table>'
    )


def test_script_json_cannot_close_script():
    text = script_json({"a": "</script><script>alert(1)</script><!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script><!--"}
