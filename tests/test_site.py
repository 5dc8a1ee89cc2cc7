"""Static site: German reader page written from the data, desk pages by nbconvert, escaping, downloads,
offline assets, weight, determinism, atomic swap, provenance gate, CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from fixtures.sitekit import BREAKOUT, make_home

from incident import urls
from incident.errors import ProvenanceError, SiteError
from incident.publish import site as site_module
from incident.publish.site import (
    MAX_PAGE_BYTES,
    build_site,
    executed_notebooks,
    link,
    markdown,
    page_weight,
    published_exhibits,
    sanitise_table,
    script_json,
)

DESK = ("01-quellen", "02-ablauf", "03-zahlen", "04-aussagen", "05-artikel")
#: Common English words; none may appear as a word in a reader page's visible text.
ENGLISH = {
    "the",
    "and",
    "of",
    "from",
    "with",
    "for",
    "to",
    "by",
    "copy",
    "slug",
    "headline",
    "source",
    "sources",
    "outage",
    "onset",
    "recovery",
    "unknown",
    "stable",
    "figure",
    "figures",
    "chart",
    "page",
    "data",
    "download",
    "press",
    "release",
    "text",
    "on",
    "is",
    "not",
    "spokesperson",
    "minister",
    "claim",
    "claims",
    "ids",
    "none",
    "null",
    "nan",
    "true",
    "false",
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_site(make_home(tmp_path_factory.mktemp("fixture"), "fixture-2021"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_site(make_home(tmp_path_factory.mktemp("hostile"), "hostile-2021"))


@pytest.fixture()
def fixture_paths(tmp_path):
    return make_home(tmp_path / "home", "fixture-2021")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


_JSON_BLOCK = r'<script(?=[^>]*\btype="application/json")[^>]*>(.*?)</script>'


def _json_blocks(text: str) -> list[str]:
    return re.findall(_JSON_BLOCK, text, flags=re.S)


def _without_json_blocks(text: str) -> str:
    return re.sub(_JSON_BLOCK, "", text, flags=re.S)


class _Visible(HTMLParser):
    """The text a reader sees: no script, style, noscript; attributes that are read out (alt, aria-label)."""

    SKIP = {"script", "style", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """Visible text without elements marked English (file names, code)."""
    parser = _Visible()
    parser.feed(re.sub(r'<(span|code|pre)\b[^>]*\blang="en"[^>]*>.*?</\1>', "", page, flags=re.S))
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _flat(text: str) -> str:
    """Page text without tags and chart specs (for sentences that wrap data in <bdi>)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", _without_json_blocks(text)))


# ------------------------------------------------------------------------------ layout


def test_site_layout(fixture_site, fixture_paths):
    names = set(_tree(fixture_site))
    assert {
        "index.html",
        *(f"{d}.html" for d in DESK),
        "assets/vega-bundle.js",
        "assets/site.css",
        "assets/site.js",
        "downloads/timeline.json",
        "downloads/facts.csv",
        "downloads/sources.csv",
    } <= names
    assert [n for n in names if n.endswith("vega-bundle.js")] == ["assets/vega-bundle.js"]
    for name in ("1-ablauf", "2-zahlen", "3-aussagen", "4-widersprueche", "5-abdeckung"):
        assert {f"exhibits/{name}.svg", f"exhibits/{name}.csv", f"exhibits/{name}.vl.json"} <= names
    # the stale exhibit of an old notebook, the hidden and the partial notebook are not published
    assert not any("9-alt" in n or "partial" in n or "06-neu" in n or n.startswith(".") for n in names)
    assert not list(fixture_paths.build.glob(".site*partial*"))
    index = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert index.count('class="chart"') == 5
    for heading in (
        "Was geschah",
        "Was unklar bleibt",
        "Wer was sagte",
        "Der Ablauf",
        "Widersprüche",
        "Aussagen gegen Meldungen",
        "Die Zahlen",
        "Fakten für den Artikel",
        "So ist die Rekonstruktion gemacht",
        "Quellen",
        "Daten zum Herunterladen",
        "Für die Redaktion",
    ):
        assert f">{heading}</h" in index, heading
    # the Ablauf comes right after the summary, the fact box after the figures, sources before downloads
    order = [
        index.index(f'id="{i}"')
        for i in (
            "zusammenfassung",
            "ablauf",
            "widersprueche",
            "aussagen",
            "zahlen",
            "fakten",
            "methode",
            "quellen",
            "daten",
        )
    ]
    assert order == sorted(order)


def test_notebook_glob_skips_hidden_and_partial_files(fixture_paths):
    found = [p.name for p in executed_notebooks(fixture_paths.executed)]
    assert found == [f"{d}.ipynb" for d in DESK]
    assert site_module.NOTEBOOK_GLOB == "[0-9][0-9]-*.ipynb"
    assert published_exhibits(executed_notebooks(fixture_paths.executed)) == [
        "5-abdeckung",
        "1-ablauf",
        "2-zahlen",
        "4-widersprueche",
        "3-aussagen",
    ]


def test_reader_page_title_and_language(fixture_site):
    index = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in index
    assert "<title>Fixture: Als die Lernplattformen ausfielen</title>" in index
    assert "<h1><bdi>Fixture: Als die Lernplattformen ausfielen</bdi></h1>" in index
    assert "Erzeugte Testdaten: drei Plattformen, zwei Tage." in index


def test_reader_page_has_no_english_and_no_codes(fixture_site):
    text = visible_text((fixture_site / "index.html").read_text(encoding="utf-8"))
    words = {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", text)}
    assert words & ENGLISH == set(), sorted(words & ENGLISH)
    # no claim id, episode or conflict id, code or platform id in the text
    for code in (
        "fx-",
        "#1",
        "E001",
        "C001",
        "outage",
        "iserv-video",
        "moodle-krzn",
        "requests_0800",
        "overload",
        "ddos",
        "operator",
        "2021-01-11T",
    ):
        assert code not in text, code
    assert "(from URL slug)" not in text and "(Funke app copy)" not in text


def test_what_happened_is_written_from_the_bounds(fixture_site):
    index = _flat((fixture_site / "index.html").read_text(encoding="utf-8"))
    # the day is the heading; the paragraphs under it vary their wording and keep every bound and name
    monday = index[index.index("Montag, 11. Januar 2021") : index.index("Dienstag, 12. Januar 2021")]
    assert (
        # a clock bound derived from a source's words quotes them before the credit
        "Bei IServ-Video begann zwischen 7.45 und 8.15 Uhr ein Ausfall („gegen 8 Uhr“, so WAZ). Wann er endete, ist "
        "umstritten: „am Mittag“ (WDR) gegen „gegen 14 Uhr“ (WAZ). Zwei unabhängige Quellen berichten davon."
    ) in monday
    assert (
        "Spätestens um 10 Uhr begann bei Moodle des KRZN ein Ausfall („am Montagmorgen“, so Westfälische "
        "Nachrichten). Er endete zwischen 11.30 und 12.30 Uhr („gegen 12 Uhr“, so Rheinische Post). Davon "
        "berichten zwei unabhängige Quellen."
    ) in monday
    assert (
        "Bei Padlet gab es einen Ausfall. Wann er begann und wann er endete, sagt keine Quelle. "
        "Eine unabhängige Quelle berichtet davon."
    ) in monday
    assert (
        "Bei IServ-Video begann spätestens um 8 Uhr eine Störung („am Dienstagmorgen“, so Rheinische Post). "
        "Sie dauerte mindestens bis 9 Uhr („am Dienstagmorgen“, so Rheinische Post); wann sie endete, sagt "
        "keine Quelle."
    ) in index[index.index("Dienstag, 12. Januar 2021") :]
    # never a point estimate of an uncertain edge in the text written from the data
    summary = index[index.index("Das Wichtigste") : index.index("Der Ablauf Je Plattform")]
    assert "um 8 Uhr aus" not in summary and "gegen 8 Uhr aus" not in summary
    assert "am Mo. 11.1." not in summary


def test_what_stays_unclear_and_who_said_what(fixture_site):
    index = _flat((fixture_site / "index.html").read_text(encoding="utf-8"))
    assert (
        "Für zwei der vier Störungen nennt keine Quelle, bis wann sie dauerten: Padlet am Montag, 11. Januar, "
        "sowie IServ-Video am Dienstag, 12. Januar." in index
    )
    assert "Keinen Beginn nennt eine Quelle bei: Padlet am Montag, 11. Januar." in index
    assert (
        "Umstritten ist das Ende bei IServ-Video am Montag, 11. Januar: Alle Angaben zusammen: zwischen 11.30 und "
        "14.30 Uhr." in index
    )
    assert "1 Angabe nennen keine Zeit" not in index and "Eine Angabe nennt keine Zeit" in index
    assert "(etwa „zum Schulstart“)" in index
    # a statement that the platform ran stably: who said it, never the desk's paraphrase in quotation marks
    assert (
        "Dass IServ-Video stabil lief, sagte IServ; dagegen stehen Meldungen von Störungen "
        "(Rheinische Post: „am Dienstagmorgen“)."
    ) in index[index.index("Wer was sagte Dienstag, 12. Januar 2021") :]
    said = index[index.index("Wer was sagte") : index.index("Der Ablauf Je Plattform")]
    assert "„Läuft stabil“" not in said and "„Keine Probleme bekannt“" not in said
    assert "eine Behörde oder ein Ministerium" not in index and "sagte der Betreiber" not in index


def test_conflicts_are_sentences_with_both_sides(fixture_site):
    index = _flat((fixture_site / "index.html").read_text(encoding="utf-8"))
    assert (
        "Wann der Ausfall bei IServ-Video am Montag, 11. Januar, endete, ist umstritten: „am Mittag“ (WDR) gegen "
        "„gegen 14 Uhr“ (WAZ)." in index
    )
    assert (
        "Für dieselbe Größe, Schulen, die IServ nutzen (Firmenangabe), nennen die Quellen Zahlen, die sich "
        "ausschließen: 4100 (WAZ) gegen 4500 (IServ)."
    ) in index
    # load on Monday and an attack on Tuesday are a sequence, not a dispute: no cause conflict is written
    assert "Als Ursache" not in index
    assert (
        "Ob bei IServ-Video am Dienstag, 12. Januar, alles stabil lief, ist umstritten: Stabilen Betrieb meldete IServ; "
        "dagegen stehen Meldungen von Störungen" in index
    )


def test_sources_show_outlet_real_host_headline_and_date(fixture_site, hostile_site):
    index = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert (
        '<span class="outlet"><bdi>WAZ</bdi></span> <span class="host">(waz.de)</span>: '
        '<a href="https://www.waz.de/fixture/iserv-montag" rel="noopener noreferrer"><bdi>IServ bricht am ersten Tag '
        'zusammen</bdi></a>, <span class="date">Montag, 11. Januar 2021, 13.08 Uhr</span>'
    ) in index
    assert "<bdi>Lernplattformen überlastet</bdi></a>" in index  # the data desk's note is not part of the headline
    assert '<span class="date">Januar 2021</span>' in index  # a source dated to the month
    hostile = (hostile_site / "index.html").read_text(encoding="utf-8")
    # an address with user info shows the host it really leads to and is not a link
    assert '<span class="host">(evil.example)</span>' in hostile
    assert 'href="https://www.waz.de@evil.example' not in hostile
    assert "keine sichere Webadresse, nicht verlinkt" in hostile


def test_fact_box_lists_label_value_phrases_note_and_linked_outlets(fixture_site):
    index = (fixture_site / "index.html").read_text(encoding="utf-8")
    box = index[index.index('id="fakten"') : index.index('id="methode"')]
    assert "<dt><bdi>Anfragen binnen Sekunden um 8 Uhr</bdi></dt>" in box
    assert '<span class="value"><bdi>100\u202f000 Anfragen</bdi></span>' in box  # our words, dpa style
    assert "Im Wortlaut: <bdi>„100.000 Anfragen“</bdi>" in box  # the source's words, untouched
    assert (
        'Belegt durch: <a href="https://www.waz.de/fixture/iserv-montag" rel="noopener noreferrer"><bdi>WAZ</bdi></a> '
        '<span class="host">(waz.de)</span>'
    ) in box
    assert "Quellen widersprechen sich: andere Quellen nennen 4500" in box
    assert "<h3>Zeiten</h3>" in box and "IServ-Video am Montag, 11. Januar: Ende der Störung" in box


def test_method_and_downloads_are_explained(fixture_site):
    index = _flat((fixture_site / "index.html").read_text(encoding="utf-8"))
    for phrase in (
        "Einen einzelnen, geschätzten Zeitpunkt gibt es nicht",
        "Kopien einer Agenturmeldung zählen einmal",
        "Sind zwei Gruppen gleich groß, gewinnt keine",
        "Was die Methode nicht sagen kann",
        "Der Ablauf: je Störung früheste und späteste Zeit für Beginn und Ende, mit dem Wortlaut (sequence.csv,",
        "Fakten für den Artikel: Bezeichnung, Wert, Wortlaut der Quellen, Hinweis (facts.csv,",
        "mit einem Apostroph",
        "Grafik 1: IServ-Video fiel gegen 8 Uhr aus",
    ):
        assert phrase in index, phrase


# --------------------------------------------------------------------------- escaping


def test_specs_embedded_safely(hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    blocks = _json_blocks(index)
    assert len(blocks) == 6  # five charts and the locale
    exhibit = json.loads((hostile_site / "exhibits" / "1-ablauf.vl.json").read_text(encoding="utf-8"))
    embedded = [json.loads(b) for b in blocks if '"chart":"sequence"' in b][0]
    assert embedded == {k: v for k, v in exhibit.items() if k != "$schema"}
    assert any(BREAKOUT in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)
    for block in blocks:
        assert "<" not in block and ">" not in block and "&" not in block.replace("\\u0026", "")
    # each chart has its SVG fallback for readers without JavaScript
    assert index.count('<noscript><img class="chart-fallback" src="exhibits/') == 5


def test_hostile_text_is_escaped_everywhere(hostile_site):
    for page in sorted(hostile_site.glob("*.html")):
        text = _without_json_blocks(page.read_text(encoding="utf-8"))
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert all('src="assets/' in s for s in scripts), (page.name, scripts)
        assert not re.search(r"<img\b(?![^>]*class=\"(chart-fallback|output-image)\")", text), page.name
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", text), page.name
        assert 'href="javascript' not in text.lower()
        assert "PWNED'</script>" not in text and "cdn.jsdelivr" not in text and "require.js" not in text
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=&#34;headline&#34;&lt;/script&gt;IServ bricht zusammen" in index
    assert "&lt;/script&gt;&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in index
    assert "javascript:window.__pwned=&#39;url&#39;" in index  # shown as text, not a link
    assert "<bdi>&lt;img src=x onerror=" in index


def test_data_text_is_isolated_with_bdi(hostile_site):
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    # the outlet with a right-to-left override is closed off before the host that follows it
    assert '<span class="outlet"><bdi>WDR\u202e</bdi></span> <span class="host">(www1.wdr.de)</span>' in index
    assert "(<bdi>WDR\u202e</bdi>)" in index  # in a sentence, too
    bare = re.sub(r"<bdi>.*?</bdi>", "", _without_json_blocks(index), flags=re.S)
    assert "\u202e" not in re.sub(r'(alt|aria-label)="[^"]*"', "", bare)


def test_only_safe_links(fixture_site, hostile_site):
    for folder in (fixture_site, hostile_site):
        for page in sorted(folder.glob("*.html")):
            for href in re.findall(r'<a [^>]*href="([^"]+)"', page.read_text(encoding="utf-8")):
                href = href.replace("&amp;", "&")
                assert (
                    href.startswith("#")
                    or urls.is_safe(href)
                    or re.fullmatch(r"[\w.-]+\.html|(downloads|exhibits)/[\w.-]+", href)
                ), (page.name, href)


# -------------------------------------------------------------------------- desk pages


def test_desk_pages_come_from_nbconvert_with_code(fixture_site):
    page = (fixture_site / "02-ablauf.html").read_text(encoding="utf-8")
    assert "Für die Redaktion" in page and '<html lang="de">' in page
    assert '<pre class="code" lang="en"><code>print(\'fertig\')</code></pre>' in page
    assert "fertig &lt;b&gt;nicht fett&lt;/b&gt;" in page
    assert "<h1>02 · Der Ablauf</h1>" in page
    assert page.count('class="chart"') == 1
    assert 'src="exhibits/1-ablauf.svg"' in page  # the notebook's chart reuses the exhibit's SVG
    assert '<table class="dataframe">' in page and 'class="table-box desk-table"' in page
    for stem in DESK:
        assert f'href="{stem}.html"' in (fixture_site / "index.html").read_text(encoding="utf-8")


def test_desk_pages_carry_no_executable_output(hostile_site):
    page = (hostile_site / "02-ablauf.html").read_text(encoding="utf-8")
    bare = _without_json_blocks(page)
    assert "cdn" not in bare.lower() and "https://cdn" not in page
    assert "window.__pwned='js-out'" not in bare and "window.__pwned=&#39;js-out&#39;" not in bare
    assert bare.count("Diese Ausgabe enthielt ausführbaren Inhalt") == 3  # html, javascript, old altair chart
    assert "&lt;script&gt;window.__pwned='plain'&lt;/script&gt;" in bare
    assert '<table class="dataframe"><tr><td>Zelle </td></tr></table>' in bare  # raw HTML in a cell: text only
    # a pandas table (the source catalogue) shows the breakout payload as text
    sources = _without_json_blocks((hostile_site / "01-quellen.html").read_text(encoding="utf-8"))
    assert "<td>&lt;/script&gt;&lt;script&gt;document.title='PWNED'&lt;/script&gt;</td>" in sources
    assert "&lt;script&gt;window.__pwned='md-script'&lt;/script&gt;" in bare
    assert 'Klick <span class="unsafe-url">(javascript:window.__pwned=%27md-link%27)</span>' in bare
    assert '<a href="https://example.org/sicher">sicher</a>' in bare
    for block in _json_blocks(page):
        assert "<" not in block and ">" not in block


# ---------------------------------------------------------------------------- downloads


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_downloads_are_spreadsheet_safe(tmp_path):
    paths = make_home(tmp_path, "hostile-2021")
    folder = build_site(paths)
    published = _csv(folder / "downloads" / "sources.csv")
    header = published[0]
    heads = {r[header.index("source_id")]: r for r in published[1:]}
    assert heads["fx-wn"][header.index("headline")] == '\'=HYPERLINK("http://evil.example","klick")'
    assert heads["fx-ministerium"][header.index("outlet")].startswith("'@SUM(")
    assert heads["fx-wn"][header.index("n_claims")] == "2"  # numeric column untouched
    # the processed tables and the exhibits in build/ keep the exact text
    raw = _csv(paths.processed / "sources.csv")
    assert {r[0]: r for r in raw[1:]}["fx-wn"][header.index("headline")].startswith("=HYPERLINK")
    # every downloadable CSV: no text cell starts a formula
    for path in [*sorted((folder / "downloads").glob("*.csv")), *sorted((folder / "exhibits").glob("*.csv"))]:
        rows = _csv(path)
        numeric = site_module._numeric_columns(path.name, rows[0], rows[1:])
        for row in rows[1:]:
            for col, cell in zip(rows[0], row):
                if col not in numeric:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, col, cell)


def test_clean_downloads_are_the_processed_bytes(fixture_site, fixture_paths):
    for name in ("claims_resolved.csv", "sequence.csv", "sources.csv", "conflicts.csv"):
        assert (fixture_site / "downloads" / name).read_bytes() == (fixture_paths.processed / name).read_bytes(), name


def test_negative_numbers_stay_numbers(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("name,value,phrase\n-a,-3.5,-gegen 8 Uhr\n", encoding="utf-8")
    site_module.spreadsheet_safe_copy(source, tmp_path / "y.csv")
    assert (tmp_path / "y.csv").read_text(encoding="utf-8") == "name,value,phrase\n'-a,-3.5,'-gegen 8 Uhr\n"


# ------------------------------------------------------------------ offline, weight, swap


def test_no_third_party_requests(fixture_site):
    for page in sorted(fixture_site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"', text) + re.findall(
            r'<link[^>]*\shref="([^"]+)"', text
        )
        assert loaded, page.name
        for ref in loaded:
            assert not re.match(r"^[a-z]+:|^//", ref), (page.name, ref)
            assert (page.parent / ref).is_file(), (page.name, ref)
        assert "default-src 'none'" in text  # CSP blocks any network fetch
        assert "vega.github.io" not in _without_json_blocks(text) and "$schema" not in text
    css = (fixture_site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_page_weight_limit(fixture_site, hostile_site):
    weights = {
        f"{f.parent.name}/{p.name}": page_weight(p)
        for f in (fixture_site, hostile_site)
        for p in sorted(f.glob("*.html"))
    }
    assert weights and all(size <= MAX_PAGE_BYTES for size in weights.values()), weights
    bundle = (fixture_site / "assets" / "vega-bundle.js").stat().st_size
    with_charts = [
        f"{f.parent.name}/{p.name}"
        for f in (fixture_site, hostile_site)
        for p in sorted(f.glob("*.html"))
        if 'class="chart"' in p.read_text(encoding="utf-8")
    ]
    assert len(with_charts) >= 10 and all(weights[k] > bundle for k in with_charts)  # the bundle is counted


def test_overweight_page_fails_and_keeps_old_site(fixture_paths, monkeypatch):
    build_site(fixture_paths)
    before = _tree(fixture_paths.site)
    monkeypatch.setattr(site_module, "MAX_PAGE_BYTES", 1000)
    with pytest.raises(SiteError, match="heavier"):
        build_site(fixture_paths)
    assert _tree(fixture_paths.site) == before
    assert not [p for p in fixture_paths.build.iterdir() if "partial" in p.name]


def test_two_builds_are_byte_identical(tmp_path):
    first = build_site(make_home(tmp_path / "a", "fixture-2021"))
    second_paths = make_home(tmp_path / "b", "fixture-2021")
    second = build_site(second_paths)
    assert _tree(first) == _tree(second)
    again = build_site(second_paths)
    assert _tree(again) == _tree(first)


def test_failed_build_keeps_previous_site(fixture_paths, monkeypatch):
    build_site(fixture_paths)
    before = _tree(fixture_paths.site)

    def explode(site, **kwargs):
        (site / "half-written.html").write_text("x", encoding="utf-8")
        raise RuntimeError("boom")

    monkeypatch.setattr(site_module, "_assemble", explode)
    with pytest.raises(RuntimeError, match="boom"):
        build_site(fixture_paths)
    assert _tree(fixture_paths.site) == before
    assert not [p for p in fixture_paths.build.iterdir() if "partial" in p.name]


def test_provenance_violation_stops_build(fixture_paths):
    build_site(fixture_paths)
    before = _tree(fixture_paths.site)
    facts = pd.read_csv(fixture_paths.exhibits / "facts.csv", dtype=str, keep_default_na=False)
    facts.loc[0, "claim_ids"] = "fx-erfunden#1"
    with pytest.raises(ProvenanceError, match="fx-erfunden#1"):
        build_site(fixture_paths, facts=facts)
    assert _tree(fixture_paths.site) == before


def test_missing_facts(fixture_paths):
    (fixture_paths.exhibits / "facts.csv").unlink()
    with pytest.raises(SiteError, match="facts.csv"):
        build_site(fixture_paths)
    folder = build_site(fixture_paths, require_facts=False)
    assert 'id="fakten"' not in (folder / "index.html").read_text(encoding="utf-8")


def test_missing_exhibit_of_a_notebook_fails(fixture_paths):
    (fixture_paths.exhibits / "1-ablauf.svg").unlink()
    with pytest.raises(SiteError, match="1-ablauf"):
        build_site(fixture_paths)


def test_cli(fixture_paths, capsys, monkeypatch):
    from incident.cli import main

    monkeypatch.setenv("INCIDENT_HOME", str(fixture_paths.home))
    assert main(["site", "--incident", "fixture-2021"]) == 0
    assert capsys.readouterr().out.strip() == str(fixture_paths.site / "index.html")


# --------------------------------------------------------------------------- helpers


def test_link_only_for_safe_http():
    assert str(link("https://example.org/a?b=1&c=2", "A")) == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer"><bdi>A</bdi></a>'
    )
    assert "<a" not in link("javascript:alert(1)", "x")
    assert "<a" not in link("data:text/html,<script>", "x") and "&lt;script&gt;" in link("data:text/html,<script>")
    assert "<a" not in link('https://x" onmouseover="alert(1)', "x")
    assert "<a" not in link("https://www.waz.de@evil.example/", "WAZ")


def test_markdown_escapes_html_and_bad_links():
    out = markdown(
        "x <script>alert(1)</script> [a](javascript:void) ![b](https://tracker.example/p.png) [c](https://ok.example)"
    )
    assert "<script" not in out and "&lt;script&gt;" in out
    assert 'href="javascript' not in out and "a <span" in out  # bad link shown as text
    assert "<img" not in out and "src=" not in out  # no remote image request
    assert '<a href="https://ok.example">c</a>' in out


def test_sanitise_table_keeps_only_table_text():
    frame = pd.DataFrame({"quote": ['<img src=x onerror="alert(1)">'], "n": [2500]})
    out = sanitise_table(frame.to_html())
    assert "<img" not in out and "&lt;img src=x" in out and "<style" not in out
    assert sanitise_table(
        '<table class="dataframe" onclick="x"><tr><td><script>bad()</script>ok</td></tr></table>'
    ) == ('<table class="dataframe"><tr><td>ok</td></tr></table>')


def test_script_json_cannot_close_script():
    text = script_json({"a": "</script><script>alert(1)</script><!--"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script><!--"}


def test_render_output_withholds_active_content(tmp_path):
    charts = site_module.Charts(tmp_path, {}, prefix="t")
    js = nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"})
    assert "ausführbaren Inhalt" in site_module.render_output(js, charts) and "alert" not in site_module.render_output(
        js, charts
    )
    html_out = nbformat.v4.new_output("display_data", data={"text/html": "<script>x()</script>", "text/plain": "P"})
    rendered = str(site_module.render_output(html_out, charts))
    assert "<script>" not in rendered and '<pre class="plain">P</pre>' in rendered
