"""Static site: article page, notebook pages, downloads — offline, deterministic, atomic.

:func:`build_site` assembles ``build/<incident>/site/`` from the executed notebooks
(``paths.executed``), the exhibits (``paths.exhibits``) and the processed tables
(``paths.processed``). Guarantees (tested in ``tests/test_site.py`` and
``tests/test_browser.py``):

* no third-party request: one shared ``assets/vega-bundle.js`` (vega + vega-lite +
  vega-embed from ``vl_convert.javascript_bundle``), own CSS, system fonts; every page
  works from ``file://``; chart specs are embedded as JSON with ``<``, ``>`` and ``&``
  escaped; each chart shows its static SVG until vega-embed replaces it;
* every text from the data is escaped; only http(s) URLs become links;
* no page (HTML + scripts + styles + images it loads) weighs more than
  :data:`MAX_PAGE_BYTES`;
* two builds give byte-identical files;
* the build happens in ``build/<incident>/.site-tmp-*`` and is swapped in under an
  ``fcntl`` lock only when everything succeeded; on failure the old site stays;
* the provenance gate (:func:`incident.publish.provenance.check`) runs before anything is
  swapped in.

CLI: ``python -m incident.publish.site --incident schulstart-2021``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import mistune
import nbformat
import pandas as pd
import vl_convert as vlc

from incident.publish import provenance
from incident.publish.charts import CHARTS, FORMAT_LOCALE, TIME_FORMAT_LOCALE, VL_VERSION, render_svg
from incident.config import ROOT, Paths
from incident.config import paths as make_paths
from incident.errors import SiteError

#: Upper bound for one page including every script, style and image it loads.
MAX_PAGE_BYTES = 1_500_000
#: Site titles of known incidents (others get a generic title).
TITLES: dict[str, str] = {
    "schulstart-2021": "Distanzunterricht, Tag 1: Als die Lernplattformen ausfielen",
}
VEGA_MIMES: tuple[str, ...] = ("application/vnd.vegalite.v6+json", "application/vnd.vegalite.v5+json")
LANG = "de"


# ------------------------------------------------------------------------- escaping


def esc(text: object) -> str:
    """Escape any value for HTML text and attribute context (``None``/NaN → ``''``)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


_SAFE_URL = re.compile(r"^https?://[^\s\"'<>\\]+$", flags=re.IGNORECASE)


def is_safe_url(url: object) -> bool:
    """Whether a URL may become a link: http or https only, no whitespace or quotes."""
    return isinstance(url, str) and bool(_SAFE_URL.match(url.strip()))


def link(url: object, text: object | None = None) -> str:
    """Return a link for http(s) URLs; any other URL is shown as escaped text.

    Args:
        url: The URL from the data.
        text: Link text; defaults to the URL.

    Returns:
        HTML.
    """
    label = esc(url if text is None else text)
    if is_safe_url(url):
        return f'<a href="{esc(str(url).strip())}" rel="noopener noreferrer">{label}</a>'
    if text is not None and url:
        return f'{label} <span class="unsafe-url">({esc(url)})</span>'
    return label


def script_json(value: Any) -> str:
    """Serialise JSON for a ``<script type="application/json">`` block.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` so no data can close
    the script element or open a comment; ``JSON.parse`` restores them.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _SafeRenderer(mistune.HTMLRenderer):
    """Markdown renderer: raw HTML escaped, only http(s) or relative links, no remote images."""

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if is_safe_url(url) or re.match(r"^(#[\w-]*|[\w.-]+\.(html|csv|json|svg))$", url or ""):
            return f'<a href="{esc(url)}">{text}</a>'
        return f'{text} <span class="unsafe-url">({esc(url)})</span>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return f'<span class="image-alt">[Bild: {esc(text)}]</span>'


_MARKDOWN = mistune.create_markdown(
    escape=True, renderer=_SafeRenderer(escape=True), plugins=["table", "strikethrough"]
)


def markdown(text: str) -> str:
    """Render Markdown with every raw HTML tag escaped and URLs filtered."""
    return str(_MARKDOWN(text))


class _TableSanitiser(HTMLParser):
    """Rebuild a pandas ``DataFrame.to_html`` table keeping only table tags and text."""

    ALLOWED = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"})
    DROP_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "svg", "math"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROP_CONTENT:
            self.skip += 1
        elif not self.skip and tag in self.ALLOWED:
            span = "".join(
                f' {name}="{int(value)}"'
                for name, value in attrs
                if name in ("colspan", "rowspan") and value and value.isdigit()
            )
            self.out.append(f'<{tag} class="dataframe"{span}>' if tag == "table" else f"<{tag}{span}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROP_CONTENT:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag in self.ALLOWED:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(html.escape(data, quote=False))


def sanitise_table(fragment: str) -> str:
    """Keep only the table structure and escaped text of an HTML fragment."""
    parser = _TableSanitiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


# --------------------------------------------------------------------------- inputs


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class Exhibit:
    """One saved chart: spec, data and SVG fallback.

    Attributes:
        name: Exhibit name (file stem).
        spec: Vega-Lite spec.
        data: The chart's CSV as a frame (strings).
        svg: Path of the SVG fallback.
        csv: Path of the CSV.
    """

    name: str
    spec: dict[str, Any]
    data: pd.DataFrame
    svg: Path
    csv: Path

    @property
    def headline(self) -> str:
        """Headline from the spec's ``usermeta`` (else the name)."""
        return str(self.spec.get("usermeta", {}).get("headline") or self.name)

    @property
    def description(self) -> str:
        """Screen-reader description (``description`` of the spec)."""
        return str(self.spec.get("description") or self.spec.get("usermeta", {}).get("description") or "")


def load_exhibits(folder: Path) -> list[Exhibit]:
    """Read every ``<name>.vl.json`` with its CSV and SVG, in article order.

    Args:
        folder: ``paths.exhibits``.

    Returns:
        Exhibits: the names of :data:`incident.publish.charts.CHARTS` first, in that order,
        then any other exhibit by name.

    Raises:
        SiteError: An exhibit lacks its CSV or SVG.
    """
    if not folder.is_dir():
        return []
    names = sorted(p.name[: -len(".vl.json")] for p in folder.glob("*.vl.json"))
    order = {name: i for i, name in enumerate(CHARTS)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    exhibits = []
    for name in names:
        svg, csv = folder / f"{name}.svg", folder / f"{name}.csv"
        missing = [p.name for p in (svg, csv) if not p.is_file()]
        if missing:
            raise SiteError(f"exhibit {name!r} lacks {', '.join(missing)} in {folder}")
        spec = json.loads((folder / f"{name}.vl.json").read_text(encoding="utf-8"))
        exhibits.append(Exhibit(name=name, spec=spec, data=_read_csv(csv), svg=svg, csv=csv))
    return exhibits


def _first_existing(*candidates: Path) -> Path | None:
    return next((p for p in candidates if p.is_file()), None)


def load_sources(paths: Paths) -> pd.DataFrame:
    """Sources from the processed tables, else the raw ones (empty frame when neither)."""
    path = _first_existing(paths.processed / "sources.csv", paths.raw / "sources.csv")
    if path is None:
        return pd.DataFrame(columns=["source_id", "outlet", "url", "headline", "published"])
    return _read_csv(path)


def load_claims(paths: Paths) -> pd.DataFrame:
    """Every known claim id with its source id, from processed and raw claim tables."""
    frames = []
    for path in (
        paths.processed / "claims_resolved.csv",
        paths.processed / "unresolved.csv",
        paths.raw / "timeline.csv",
        paths.raw / "counts.csv",
        paths.raw / "statements.csv",
    ):
        if path.is_file():
            frame = _read_csv(path)
            if {"claim_id", "source_id"} <= set(frame.columns):
                frames.append(frame[["claim_id", "source_id"]])
    if not frames:
        return pd.DataFrame(columns=["claim_id", "source_id"])
    return pd.concat(frames, ignore_index=True).drop_duplicates().sort_values(["claim_id", "source_id"])


def facts_path(paths: Paths) -> Path | None:
    """Where the fact box table is: written by the article notebook into the exhibits, else processed."""
    return _first_existing(paths.exhibits / "facts.csv", paths.processed / "facts.csv")


def load_facts(paths: Paths) -> pd.DataFrame | None:
    """The fact box table (``None`` when absent); see :func:`facts_path`."""
    path = facts_path(paths)
    return _read_csv(path) if path is not None else None


# ------------------------------------------------------------------------ rendering

CSS = """\
:root{--ink:#1a1a1a;--muted:#555;--rule:#ddd;--accent:#0072B2;--bg:#fff;--soft:#f5f5f2}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5}
main,header.site,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem;overflow-wrap:anywhere}
header.site{padding-top:1.5rem}
header.site nav{font-size:.9rem;margin-bottom:.75rem}
h1{font-size:1.7rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.3rem;line-height:1.25;margin:2.2rem 0 .5rem}
h3{font-size:1.1rem;margin:1.5rem 0 .4rem}
a{color:var(--accent)}
.unsafe-url{color:var(--muted);word-break:break-all}
figure.exhibit{margin:1.5rem 0 2rem;padding:0}
figure.exhibit figcaption{font-weight:600;font-size:1.1rem;margin-bottom:.5rem}
.chart{width:100%;min-height:8rem;position:relative}
.chart-live{width:100%}
.chart-live .vega-embed{width:100%}
.chart .chart-fallback{display:block;max-width:100%;height:auto}
.chart.is-live .chart-fallback{display:none}
.exhibit-links{font-size:.85rem;color:var(--muted);margin:.25rem 0 0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.factbox{background:var(--soft);border-left:4px solid var(--accent);padding:.75rem 1rem;margin:1.5rem 0}
.factbox h2{margin-top:0}
.factbox dl{margin:0}
.factbox dt{font-weight:600;margin-top:.6rem}
.factbox dd{margin:0}
.factbox .value{font-size:1.2rem}
.factbox .evidence,.factbox .note{font-size:.85rem;color:var(--muted)}
.factbox .value{font-size:1rem}
table{border-collapse:collapse;font-size:.85rem;display:block;overflow-x:auto;max-width:100%}
th,td{border-bottom:1px solid var(--rule);padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{background:var(--soft);padding:.6rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap;word-break:break-word}
.cell-code pre{border-left:3px solid var(--accent)}
.cell-output{margin:.5rem 0 1rem}
.sources li,.downloads li{margin:.3rem 0}
footer.site{border-top:1px solid var(--rule);margin-top:3rem;padding-top:1rem;padding-bottom:2rem;font-size:.85rem;color:var(--muted)}
"""


def site_js() -> str:
    """The page script: embed every chart with the de-DE locale, keep the SVG on failure."""
    locale = script_json({"number": FORMAT_LOCALE, "time": TIME_FORMAT_LOCALE})
    return (
        "(function () {\n"
        '  "use strict";\n'
        f"  var LOCALE = {locale};\n"
        '  var charts = document.querySelectorAll(".chart[data-spec]");\n'
        "  Array.prototype.forEach.call(charts, function (el) {\n"
        '    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);\n'
        '    var live = el.querySelector(".chart-live");\n'
        "    window.vegaEmbed(live, spec, {actions: false, renderer: \"svg\",\n"
        "      formatLocale: LOCALE.number, timeFormatLocale: LOCALE.time})\n"
        "      .then(function (result) {\n"
        '        el.classList.add("is-live");\n'
        '        el.setAttribute("data-rendered", "true");\n'
        "        window.__views = window.__views || {};\n"
        '        window.__views[el.getAttribute("id")] = result.view;\n'
        "      })\n"
        "      .catch(function (error) {\n"
        "        var img = document.createElement(\"img\");\n"
        '        img.className = "chart-fallback";\n'
        '        img.src = el.getAttribute("data-fallback");\n'
        '        img.alt = spec.description || "";\n'
        "        el.insertBefore(img, live);\n"
        '        el.setAttribute("data-rendered", "error");\n'
        '        console.error("chart " + el.getAttribute("id") + ": " + error);\n'
        "      });\n"
        "  });\n"
        "})();\n"
    )


def _page(*, title: str, body: str, scripts: bool, nav: str = "") -> str:
    tail = (
        '<script src="assets/vega-bundle.js"></script>\n<script src="assets/site.js"></script>\n' if scripts else ""
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="stylesheet" href="assets/site.css">\n'
        f"</head>\n<body>\n<header class=\"site\">{nav}</header>\n<main>\n{body}\n</main>\n"
        '<footer class="site"><p>Alle Zeiten in Europe/Berlin (Ortszeit). Diese Seite lädt keine Inhalte '
        "von Dritten.</p></footer>\n"
        f"{tail}</body>\n</html>\n"
    )


def _spec_key(spec: Mapping[str, Any]) -> str:
    """Identity of a chart spec, ignoring the exhibit name ``save_exhibit`` adds."""
    plain = json.loads(json.dumps(spec))
    meta = plain.get("usermeta")
    if isinstance(meta, dict):
        meta.pop("exhibit", None)
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode("utf-8")).hexdigest()


class _Charts:
    """Collects the charts of one page: their specs (embedded once) and fallback SVGs."""

    def __init__(self, *, site: Path, exhibits: Mapping[str, Exhibit], prefix: str):
        self.site, self.exhibits, self.prefix = site, exhibits, prefix
        self.by_spec = {_spec_key(e.spec): e for e in exhibits.values()}
        self.count = 0

    def figure(self, spec: dict[str, Any], *, caption: str | None = None, links: bool = False) -> str:
        self.count += 1
        key = f"{self.prefix}-{self.count}"
        exhibit = self.exhibits.get(str(spec.get("usermeta", {}).get("exhibit", ""))) or self.by_spec.get(_spec_key(spec))
        if exhibit is not None:
            fallback = f"exhibits/{exhibit.name}.svg"
        else:
            digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:16]
            fallback = f"figures/{digest}.svg"
            target = self.site / fallback
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(render_svg(spec), encoding="utf-8")
        description = str(spec.get("description") or "")
        headline = caption or str(spec.get("usermeta", {}).get("headline") or "Grafik")
        extra = ""
        if links and exhibit is not None:
            extra = (
                f'<p class="exhibit-links">Daten: <a href="exhibits/{esc(exhibit.name)}.csv">CSV</a> · '
                f'Statische Grafik: <a href="exhibits/{esc(exhibit.name)}.svg">SVG</a> · '
                f'Spezifikation: <a href="exhibits/{esc(exhibit.name)}.vl.json">Vega-Lite</a></p>'
            )
        return (
            f'<figure class="exhibit" aria-labelledby="cap-{key}" aria-describedby="desc-{key}">\n'
            f'<figcaption id="cap-{key}">{esc(headline)}</figcaption>\n'
            f'<p class="sr-only" id="desc-{key}">{esc(description)}</p>\n'
            f'<div class="chart" id="chart-{key}" data-spec="spec-{key}" data-fallback="{fallback}">'
            f'<noscript><img class="chart-fallback" src="{fallback}" alt="{esc(description)}" width="640"></noscript>'
            f'<div class="chart-live"></div></div>\n'
            f'<script type="application/json" id="spec-{key}">{script_json(spec)}</script>\n'
            f"{extra}</figure>"
        )


def _fact_box(facts: pd.DataFrame, sources: pd.DataFrame, claims: pd.DataFrame) -> str:
    claim_source = dict(zip(claims["claim_id"], claims["source_id"]))
    by_id = {row["source_id"]: row for row in sources.to_dict(orient="records")}
    items = []
    for fact in facts.sort_values("fact_id", kind="stable").to_dict(orient="records"):
        evidence = []
        for claim_id in provenance.split_ids(fact.get("claim_ids")):
            source = by_id.get(claim_source.get(claim_id, ""))
            if source is not None:
                evidence.append(link(source.get("url"), source.get("outlet") or source.get("source_id")))
        note = f'<p class="note">{esc(fact.get("note"))}</p>' if fact.get("note") else ""
        items.append(
            f'<dt>{esc(fact.get("label"))}</dt>\n<dd><span class="value">{esc(fact.get("value_text"))}</span>'
            f'<p class="evidence">Belegt durch: {", ".join(dict.fromkeys(evidence))}</p>{note}</dd>'
        )
    # After the charts: every figure and time the text may use, each with its sources.
    return (
        '<aside class="factbox" aria-labelledby="fakten">\n<h2 id="fakten">Fakten</h2>\n'
        f'<p class="note">{len(items)} Zahlen und Zeiten, die der Text verwenden darf, jede mit ihren Belegen.</p>\n'
        "<dl>\n" + "\n".join(items) + "\n</dl>\n</aside>"
    )


_METHOD_KEYWORDS = re.compile(
    r"(time|zeit|uhr|convention|independen|unabhängig|change.?point|bruch|regime|penalty|bootstrap)", re.IGNORECASE
)

OWN_METHOD = """\
### Zeitangaben
Alle Zeiten sind Ortszeit Europe/Berlin. Ungefähre Angaben wie „gegen 14 Uhr“ oder „am Vormittag“
werden als Zeitspanne gelesen, bezogen auf das Erscheinungsdatum der Quelle; unsichere Ränder
werden in den Grafiken heller gezeigt.

### Unabhängige Quellen
Texte derselben Agenturmeldung (etwa dpa) zählen zusammen als eine Quelle. Nur eigene
Recherche eines Mediums, eine Aussage eines Betreibers oder eines Ministeriums zählt als
eigene, unabhängige Quelle.

### Bruchstellen
Der Anteil unabhängiger Berichte, die eine Störung melden, wird auf einem 5-Minuten-Raster
geführt. Bruchstellen findet eine Change-Point-Analyse (ruptures) mit fester Strafregel; die
90-%-Intervalle stammen aus einem Bootstrap über die Quellen.
"""


def methodology(docs_dir: Path | None) -> str:
    """Methodology section: a short German text plus the method sections of the docs.

    The German text (:data:`OWN_METHOD`) covers time conventions, the independence rule
    and the change-point method. Sections of ``docs/method.md`` / ``docs/timeexpr.md``
    whose heading names one of these topics (not table contracts or API notes) follow
    in a collapsed block, rendered safely.

    Args:
        docs_dir: Folder holding ``method.md`` / ``timeexpr.md`` (``None``: own text).

    Returns:
        HTML.
    """
    picked: list[str] = []
    for name in ("method.md", "timeexpr.md"):
        path = docs_dir / name if docs_dir else None
        if path is None or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for section in re.split(r"(?m)^(?=##+ )", text):
            heading = section.splitlines()[0] if section.strip() else ""
            # Method sections only: table contracts ("### sequence.csv") and API notes are not for readers.
            if (
                heading.startswith("##")
                and _METHOD_KEYWORDS.search(heading)
                and not re.search(r"\.(csv|json)\b|`|\b(API|CLI)\b", heading)
            ):
                picked.append(re.sub(r"(?m)^(#+) ", lambda m: "#" * min(6, len(m.group(1)) + 1) + " ", section.strip()))
    extract = ""
    if picked:
        extract = (
            "<details><summary>Aus der Methodendokumentation des Projekts (englisch)</summary>\n"
            f"{markdown(chr(10).join(picked))}</details>\n"
        )
    return (
        f'<section aria-labelledby="methodik">\n<h2 id="methodik">Methodik</h2>\n{markdown(OWN_METHOD)}'
        f"{extract}</section>"
    )


def _sources_list(sources: pd.DataFrame) -> str:
    items = []
    for row in sources.sort_values(["outlet", "source_id"], kind="stable").to_dict(orient="records"):
        headline = link(row.get("url"), row.get("headline") or row.get("url"))
        items.append(
            f"<li><strong>{esc(row.get('outlet'))}</strong>: {headline} "
            f"<span class=\"unsafe-url\">({esc(row.get('published'))})</span></li>"
        )
    return (
        '<section aria-labelledby="quellen">\n<h2 id="quellen">Quellen</h2>\n<ul class="sources">\n'
        + "\n".join(items)
        + "\n</ul>\n</section>"
    )


def _downloads(files: list[Path]) -> str:
    items = []
    for path in files:
        kind = "TimelineJS-Zeitleiste (JSON)" if path.name == "timeline.json" else path.suffix.lstrip(".").upper()
        size = f"{path.stat().st_size / 1024:.1f}".replace(".", ",")
        items.append(f'<li><a href="downloads/{esc(path.name)}">{esc(path.name)}</a> — {kind}, {size} KB</li>')
    return (
        '<section aria-labelledby="downloads">\n<h2 id="downloads">Daten zum Herunterladen</h2>\n'
        '<ul class="downloads">\n' + "\n".join(items) + "\n</ul>\n</section>"
    )


# ------------------------------------------------------------------------ notebooks


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def render_output(output: Mapping[str, Any], charts: _Charts) -> str:
    """Render one notebook output safely.

    Vega-Lite outputs are embedded with the shared bundle; pandas tables are rebuilt
    by :func:`sanitise_table`; SVG and PNG images are shown through ``<img>`` (a
    data URI, scripts stripped); all other text is escaped in ``<pre>``.

    Args:
        output: A notebook output.
        charts: Chart collector of the page.

    Returns:
        HTML.
    """
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="stream">{esc(_ANSI.sub("", _text(output.get("text", ""))))}</pre>'
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f'<pre class="error">{esc(trace or output.get("ename", "") + ": " + output.get("evalue", ""))}</pre>'
    data = output.get("data", {})
    for mime in VEGA_MIMES:
        if mime in data:
            spec = data[mime]
            spec = json.loads(spec) if isinstance(spec, str) else spec
            return charts.figure(spec)
    if "text/html" in data and 'class="dataframe"' in _text(data["text/html"]):
        return f'<div class="table">{sanitise_table(_text(data["text/html"]))}</div>'
    if "image/svg+xml" in data:
        svg = re.sub(r"(?is)<script.*?</script\s*>", "", _text(data["image/svg+xml"]))
        uri = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="output-image" alt="Grafik" src="data:image/svg+xml;base64,{uri}">'
    if "image/png" in data:
        png = re.sub(r"[^A-Za-z0-9+/=]", "", _text(data["image/png"]))
        return f'<img class="output-image" alt="Grafik" src="data:image/png;base64,{png}">'
    if "text/markdown" in data:
        return markdown(_text(data["text/markdown"]))
    if "text/plain" in data:
        return f"<pre>{esc(_text(data['text/plain']))}</pre>"
    return ""


def notebook_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """First Markdown heading of a notebook (without ``#``), else ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"(?m)^#+\s+(.+?)\s*#*\s*$", _text(cell.source))
            if match:
                return match.group(1)
    return fallback


def render_notebook(
    notebook: nbformat.NotebookNode, *, stem: str, with_code: bool, site: Path, exhibits: Mapping[str, Exhibit]
) -> str:
    """Render an executed notebook as a page body.

    Args:
        notebook: The executed notebook.
        stem: File stem (``NN-name``).
        with_code: Editors' version (code cells shown) or readers' version (hidden).
        site: Site folder being built (fallback SVGs are written there).
        exhibits: Exhibits by name (their SVG serves as fallback of matching outputs).

    Returns:
        HTML body.
    """
    charts = _Charts(site=site, exhibits=exhibits, prefix=f"{stem}{'-code' if with_code else ''}")
    parts = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            parts.append(f'<div class="cell-markdown">{markdown(_text(cell.source))}</div>')
        elif cell.cell_type == "code":
            block = []
            if with_code and _text(cell.source).strip():
                block.append(
                    f'<div class="cell-code"><pre><code class="language-python">{esc(_text(cell.source))}'
                    "</code></pre></div>"
                )
            rendered = [render_output(output, charts) for output in cell.get("outputs", [])]
            if any(rendered):
                block.append('<div class="cell-output">' + "\n".join(r for r in rendered if r) + "</div>")
            if block:
                parts.append(f'<section class="cell" id="zelle-{index}">' + "\n".join(block) + "</section>")
        else:  # raw cells are shown as text
            parts.append(f"<pre>{esc(_text(cell.source))}</pre>")
    return "\n".join(parts)


# ------------------------------------------------------------------------- assembly


def _loaded(page: Path, text: str) -> int:
    total, seen = 0, set()
    for ref in re.findall(r'<(?:script|img)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"', text):
        target = ref[0] or ref[1]
        if target.startswith("data:"):
            continue
        path = (page.parent / html.unescape(target)).resolve()
        if path not in seen and path.is_file():
            seen.add(path)
            total += path.stat().st_size
    return total


def page_weight(page: Path) -> int:
    """Bytes of a page plus every local script, stylesheet and image it loads.

    Counted for both ways a page is seen, the heavier one wins: with JavaScript
    (scripts, styles, images outside ``<noscript>``) and without (styles and images,
    including the SVG fallbacks inside ``<noscript>``, no scripts).

    Args:
        page: An HTML file of the site.

    Returns:
        Total bytes (data URIs count as part of the page).
    """
    text = page.read_text(encoding="utf-8")
    size = len(text.encode("utf-8"))
    with_js = re.sub(r"(?s)<noscript>.*?</noscript>", "", text)
    without_js = re.sub(r'<script[^>]*\ssrc="[^"]+"[^>]*>', "", text)
    return size + max(_loaded(page, with_js), _loaded(page, without_js))


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` under the site lock (rename old away, rename new in)."""
    old = target.parent / ".site-old"
    with _lock(target.parent / ".site.lock"):
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            os.replace(target, old)
        os.replace(new, target)
        if old.exists():
            shutil.rmtree(old)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _fix_modes(folder: Path) -> None:
    for root, dirs, files in os.walk(folder):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def build_site(
    paths: Paths,
    *,
    facts: pd.DataFrame | None = None,
    docs_dir: Path | None = ROOT / "docs",
    title: str | None = None,
    require_facts: bool = True,
) -> Path:
    """Build the static site of an incident and swap it into ``paths.site``.

    Args:
        paths: The incident's paths (notebooks from ``paths.executed``, exhibits from
            ``paths.exhibits``, tables from ``paths.processed``).
        facts: Fact box table; defaults to :func:`facts_path` (the article notebook's ``facts.csv``).
        docs_dir: Where ``method.md`` / ``timeexpr.md`` live (``None``: own text only).
        title: Site title; defaults to :data:`TITLES` or a generic title.
        require_facts: Fail when there is no fact box table.

    Returns:
        The site folder.

    Raises:
        ProvenanceError: A number or time in the fact box or a chart lacks provenance.
        SiteError: Inputs are missing or a page is heavier than :data:`MAX_PAGE_BYTES`.
    """
    exhibits = load_exhibits(paths.exhibits)
    sources, claims = load_sources(paths), load_claims(paths)
    facts = facts if facts is not None else load_facts(paths)
    if facts is None:
        if require_facts:
            raise SiteError(f"no fact box table: neither {paths.exhibits / 'facts.csv'} nor {paths.processed / 'facts.csv'} exists")
        facts = pd.DataFrame(columns=list(provenance.FACT_COLUMNS))
    provenance.check(facts, {e.name: e.data for e in exhibits}, sources, claims)
    notebooks = sorted(paths.executed.glob("*.ipynb")) if paths.executed.is_dir() else []
    if not exhibits and not notebooks:
        raise SiteError(f"nothing to publish: no exhibits in {paths.exhibits} and no notebooks in {paths.executed}")

    paths.build.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-tmp-", dir=paths.build))
    try:
        _assemble(tmp, paths=paths, exhibits=exhibits, notebooks=notebooks, facts=facts, sources=sources,
                  claims=claims, docs_dir=docs_dir, title=title or TITLES.get(paths.incident)
                  or f"Störungen rekonstruiert: {paths.incident}")
        heavy = {p.name: page_weight(p) for p in sorted(tmp.glob("*.html"))}
        over = {name: size for name, size in heavy.items() if size > MAX_PAGE_BYTES}
        if over:
            raise SiteError(f"page(s) heavier than {MAX_PAGE_BYTES} bytes: {over}")
        _fix_modes(tmp)
        _swap(tmp, paths.site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return paths.site


def _assemble(
    site: Path,
    *,
    paths: Paths,
    exhibits: list[Exhibit],
    notebooks: list[Path],
    facts: pd.DataFrame,
    sources: pd.DataFrame,
    claims: pd.DataFrame,
    docs_dir: Path | None,
    title: str,
) -> None:
    _write(site / "assets" / "vega-bundle.js", vlc.javascript_bundle(vl_version=VL_VERSION))
    _write(site / "assets" / "site.css", CSS)
    _write(site / "assets" / "site.js", site_js())
    if exhibits:
        (site / "exhibits").mkdir(parents=True, exist_ok=True)
    for exhibit in exhibits:
        for suffix in (".svg", ".csv", ".vl.json"):
            shutil.copyfile(paths.exhibits / f"{exhibit.name}{suffix}", site / "exhibits" / f"{exhibit.name}{suffix}")
    downloads: list[Path] = []
    if paths.processed.is_dir():
        wanted = sorted(p for p in paths.processed.iterdir() if p.is_file() and p.suffix in (".csv", ".json"))
        fact_file = facts_path(paths)
        if fact_file is not None and fact_file.parent != paths.processed:
            wanted.append(fact_file)
        (site / "downloads").mkdir(parents=True, exist_ok=True)
        for path in wanted:
            shutil.copyfile(path, site / "downloads" / path.name)
            downloads.append(site / "downloads" / path.name)
    by_name = {e.name: e for e in exhibits}

    pages = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        stem = path.stem
        heading = notebook_title(notebook, stem)
        pages.append((stem, heading))
        for with_code in (False, True):
            name = f"{stem}.code.html" if with_code else f"{stem}.html"
            other = f"{stem}.html" if with_code else f"{stem}.code.html"
            nav = (
                '<nav><a href="index.html">Zur Übersicht</a> · '
                + (f'<a href="{other}">Ohne Code lesen</a>' if with_code else f'<a href="{other}">Mit Code (für die Redaktion)</a>')
                + "</nav>"
            )
            body = render_notebook(notebook, stem=stem, with_code=with_code, site=site, exhibits=by_name)
            _write(site / name, _page(title=f"{heading} – {title}", body=body, scripts=True, nav=nav))

    charts = _Charts(site=site, exhibits=by_name, prefix="artikel")
    figures = "\n".join(charts.figure(e.spec, caption=e.headline, links=True) for e in exhibits)
    fact_box = _fact_box(facts, sources, claims) if len(facts) else ""
    notebook_list = "".join(
        f'<li><a href="{esc(stem)}.html">{esc(heading)}</a> (<a href="{esc(stem)}.code.html">mit Code</a>)</li>'
        for stem, heading in pages
    )
    body = (
        f"<h1>{esc(title)}</h1>\n"
        f'<section aria-labelledby="grafiken"><h2 id="grafiken" class="sr-only">Grafiken</h2>\n{figures}\n</section>\n'
        f"{fact_box}\n"
        f"{methodology(docs_dir)}\n"
        f"{_downloads(downloads)}\n"
        + (
            f'<section aria-labelledby="analyse"><h2 id="analyse">Analyse-Notizbücher</h2><ul>{notebook_list}</ul></section>\n'
            if pages
            else ""
        )
        + f"{_sources_list(sources)}"
    )
    _write(site / "index.html", _page(title=title, body=body, scripts=bool(exhibits), nav=""))
