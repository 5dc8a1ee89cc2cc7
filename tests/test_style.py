"""Newspaper style of the reader page, asserted over built pages ("Schreibweise" in docs/charts.md).

The conventions hold for the page's own words: text inside quotation marks („…“, "…") is a source's
wording and is cut out before any check, and so are the sources' headlines in the list of sources.
Each check runs on the fixture incident and on both shipped incidents, built from their raw tables
(processed in-process, fact box by the real function, site by the real builder; no notebooks, so no
chart exhibits: the charts' own text is not checked here).
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixtures.sitekit import make_home

from incident import process
from incident.config import paths
from incident.evidence.descriptor import load_descriptor
from incident.processed import read
from incident.publish import facts
from incident.publish.site import build_site

INCIDENTS = ("fixture-2021", "schulstart-2021", "warntag-2020")
DAYS = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
MONTHS = r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
#: A legal form after a company's name (not part of how a newspaper spells the name).
LEGAL = re.compile(r"\s+(?:gGmbH|GmbH|mbH|AG|SE|KG|UG|e\.\s?V\.)$", flags=re.IGNORECASE)


class _Visible(HTMLParser):
    """Visible text in pieces, each with whether it stands in a table and whether it is a source's headline."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "col", "area", "base", "embed"}
    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "td", "th", "caption", "figcaption", "summary", "span"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.pieces: list[tuple[str, bool, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append((tag, dict(attrs)))
        if tag in self.BLOCK:
            self.pieces.append(("\n", False, False))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in self.BLOCK:
            self.pieces.append(("\n", False, False))

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if {"script", "style", "svg", "template", "figure"} & set(tags):  # a chart's text is the chart's
            return
        classes = [a.get("class", "") or "" for _, a in self.stack]
        headline = "a" in tags and any("sources" in c.split() for c in classes)
        self.pieces.append((data, "table" in tags, headline))


def unquote(pieces: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """The pieces without what stands in quotation marks (German „…“, nested too, across the pieces a
    quotation spans, and straight "…")."""
    out, depth = [], 0
    for text, table, headline in pieces:
        kept = []
        for ch in text:
            if ch == "„":
                depth += 1
                kept.append(" ")
            elif ch == "“" and depth:
                depth -= 1
                kept.append(" ")
            elif not depth:
                kept.append(ch)
        out.append((re.sub(r'"[^"\n]*"', " ", "".join(kept)), table, headline))
    return out


@dataclass
class Page:
    incident: str
    site: Path
    ours: str  # our words, everywhere on the page
    running: str  # our words outside tables
    outlets: list[str]  # the outlets as the list of sources names them
    raw_outlets: list[str]  # the outlets as the sources table spells them


def _outlets(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).replace("&#39;", "'").replace("&amp;", "&")
        for m in re.findall(r'<span class="outlet">(.*?)</span>', html)
    ]


def _build(incident: str, home: Path) -> Path:
    if incident.startswith("fixture"):
        return build_site(make_home(home, incident))
    the_paths = paths(incident, home=home)
    shutil.copytree(paths(incident).raw, the_paths.raw)
    process.run(the_paths)
    desc = load_descriptor(the_paths)
    box = facts.fact_box(read(the_paths.processed, tz=desc.timezone), incident=desc)
    return build_site(the_paths, facts=box)


@pytest.fixture(scope="module", params=INCIDENTS)
def page(request, tmp_path_factory) -> Page:
    home = tmp_path_factory.mktemp(request.param)
    site = _build(request.param, home)
    html = (site / "index.html").read_text(encoding="utf-8")
    parser = _Visible()
    parser.feed(html)
    pieces = unquote(parser.pieces)
    ours = "".join(t if not headline else " " for t, _, headline in pieces)
    running = "".join(t if not (table or headline) else "\n" for t, table, headline in pieces)
    raw = paths(request.param, home=home).processed / "sources.csv"
    with raw.open(encoding="utf-8") as f:
        raw_outlets = [r["outlet"] for r in csv.DictReader(f)]
    return Page(request.param, site, ours, running, _outlets(html), raw_outlets)


def _hits(pattern: str, text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 20].replace("\n", " ") for m in re.finditer(pattern, text)]


def test_full_hours_have_no_minutes(page):
    """ "8 Uhr", never "8:00 Uhr" or "8.00 Uhr"."""
    assert not _hits(r"\b\d{1,2}[:.]00\s*Uhr", page.ours)


def test_one_style_for_minutes(page):
    """Minutes after a full stop ("13.30 Uhr", "13.30 bis 14.30 Uhr"), never after a colon."""
    assert not _hits(r"(?<![\d.:])\d{1,2}:\d{2}(?![\d:])", page.ours)


def test_millions_in_words_and_four_digits_unbroken(page):
    """ "2,3 Millionen", not "2.300.000"; "2500", not "2.500"; "25 000", not "25.000"."""
    assert not _hits(r"\b\d{1,3}(?:[.\u202f ]000){2,}\b", page.ours), "a round million in digits"
    assert not _hits(r"\b\d{1,3}(?:\.\d{3})+\b(?!\.\d)", page.ours), "digits grouped by a full stop"


def test_counts_up_to_twelve_in_words(page):
    """No digit from 1 to 12 counting something in running text ("zwei Quellen", not "2 Quellen")."""
    count = (
        # (not a name's number: "NDR 1", "SAT.1")
        r"(?<![\d.,:/+\-–§])(?<![A-Z]{2} )\b(?:[1-9]|1[0-2])\b(?![.,:/]\d|\.)\s+"
        r"(?!Uhr\b|Prozent\b|Millionen?\b|Milliarden?\b|Minuten?\b|KB\b|MB\b|" + MONTHS + r"\b)"
        r"(?:weitere[n]?\s+)?[A-ZÄÖÜa-zäöüß]\w*"
    )
    assert not _hits(count, page.running)


def test_never_one_more_in_digits(page):
    assert not _hits(r"\b1 weitere", page.ours)


def test_no_nested_parentheses(page):
    bad = []
    for line in page.ours.splitlines():
        depth = 0
        for ch in line:
            depth += ch == "("
            if depth > 1:
                bad.append(line.strip()[:160])
                break
            depth -= ch == ")" and depth > 0
    assert not bad


def test_days_in_running_text_are_written_out(page):
    """ "Montag, 11. Januar" in running text; the short form "Mo. 11.1." only in tables."""
    assert not _hits(r"\b(?:Mo|Di|Mi|Do|Fr|Sa|So)\.\s*\d{1,2}\.\d{1,2}\.", page.running)
    assert re.search(DAYS + r", \d{1,2}\. " + MONTHS, page.running)


def test_one_spelling_per_outlet(page):
    """One display name per outlet, whatever spellings the raw data uses (WELT/Welt, eLeDia GmbH/Eledia)."""

    def key(name: str) -> str:
        return LEGAL.sub("", name.strip()).casefold()

    shown: dict[str, set[str]] = {}
    for name in page.outlets:
        shown.setdefault(key(name), set()).add(name)
    assert {k: v for k, v in shown.items() if len(v) > 1} == {}
    # no other spelling of a listed outlet anywhere in our words (a name cut at its first note, as listed)
    display = {key(n): n for n in page.outlets}
    for raw in page.raw_outlets:
        name = re.split(r"\s*\(|,\s|\s[–—-]\s", raw.strip(), maxsplit=1)[0].strip()
        k = key(name)
        if k in display and name != display[k]:
            assert not _hits(r"(?<![\w./@])" + re.escape(name) + r"(?![\w]|\.\w)", page.ours), (name, display[k])


def test_what_happened_keeps_every_bound_of_the_fact_box(page):
    """Only the wording varies: every phrase and clock time that bounds an undisputed edge in the fact box
    is also in "Was geschah", next to its platform's name."""
    html = (page.site / "index.html").read_text(encoding="utf-8")
    if 'id="fakten"' not in html:
        pytest.skip("no fact box")
    box = html[html.index('id="fakten"') : html.index('id="methode"')]
    happened = re.sub(r"<[^>]+>", "", html[html.index('id="was-geschah"') : html.index("</section>")])
    happened = re.sub(r"\s+", " ", happened)
    checked = 0
    for label, value, rest in re.findall(
        r"<dt><bdi>(.*?)</bdi></dt>\s*<dd><span class=\"value\"><bdi>(.*?)</bdi></span>(.*?)</dd>", box, flags=re.S
    ):
        if not label.endswith(("Beginn der Störung", "Ende der Störung")) or "widersprechen sich" in rest:
            continue
        platform = label.split(" am ")[0]
        value = value.replace("&#34;", '"')
        parts = re.findall(r"„[^“]*“", value) + re.findall(r"\b\d{1,2}(?:\.\d{2})? Uhr", value)
        assert platform in happened, platform
        for part in parts:
            assert part in happened, (label, part)
            checked += 1
    assert checked
