"""Static site: the German article page, the desk's notebook pages, downloads — offline, deterministic, atomic.

:func:`build_site` assembles ``build/<incident>/site/`` from the processed tables
(``paths.processed``), the exhibits the notebooks wrote (``paths.exhibits``), the executed
notebooks (``paths.executed``) and the incident descriptor:

* ``index.html`` — the article's data companion for readers, in German: title and subtitle
  from the descriptor; what happened, what stays unclear and who said what, written from the
  data (:mod:`incident.publish.summary`); the Ablauf; the disputes; statements against
  reports; the figures; the fact box; the method; downloads; the sources with the real host
  of every link;
* ``textpruefung.html`` — when the incident ships ``artikel.md``, the reporter's draft checked
  sentence by sentence (:mod:`incident.publish.textpage`);
* ``NN-name.html`` — one page per executed notebook for the desk ("Für die Redaktion"), made
  with nbconvert's :class:`~nbconvert.HTMLExporter` and a minimal template
  (``templates/notebook.html.j2``), code and outputs;
* ``assets/`` (one shared ``vega-bundle.js``, ``site.css``, ``site.js``), ``exhibits/`` and
  ``downloads/`` (CSV files made spreadsheet-safe, :func:`incident.publish.spreadsheet.safe`).

Guarantees (tests in ``tests/test_site.py`` and ``tests/test_browser.py``): pages come from
Jinja2 templates with autoescape, text from the data is isolated in ``<bdi>``, only safe
http(s) addresses become links (:func:`incident.urls.is_safe`); no output of a notebook
carries executable data or a CDN reference (chart specs are embedded as JSON with ``<``,
``>``, ``&`` escaped and drawn by the local bundle); no request leaves the site folder; no page
weighs more than :data:`MAX_PAGE_BYTES` with everything it loads; two builds are
byte-identical; the provenance gate runs before anything is written, and the new site is
swapped in only when complete (:func:`incident.atomic.staged_dir`).

CLI: ``python -m incident site --incident <id>``.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import html
import io
import json
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import mistune
import nbformat
import pandas as pd
import vl_convert as vlc
from markupsafe import Markup

from incident import atomic, german, processed, urls
from incident.config import Paths
from incident.errors import OutputError, SiteError
from incident.evidence.descriptor import Incident, load_descriptor
from incident.publish import deskcache, provenance, selection, spreadsheet, summary, textpage
from incident.publish.charts import (
    FORMAT_LOCALE,
    TIME_FORMAT_LOCALE,
    VEGA_MIMES,
    VL_VERSION,
    chart_key,
    chart_outputs,
    render_svg,
    short_outlet,
)
from incident.publish.spelling import Spelling

#: Upper bound for one page including every script, style and image it loads.
MAX_PAGE_BYTES = 1_500_000
#: Executed notebooks the site publishes; hidden files and partial runs never match (see :func:`executed_notebooks`).
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
#: Where each kind of chart stands on the article page (``usermeta.chart`` of the spec).
CHART_SECTIONS: tuple[str, ...] = ("sequence", "statements", "quantities", "figures", "coverage")


# ------------------------------------------------------------------------- escaping


def esc(text: object) -> str:
    """Escape any value for HTML text and attribute context (``None``/NaN → ``''``)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def is_safe_url(url: object) -> bool:
    """Whether an address may become a link (:func:`incident.urls.is_safe`)."""
    return urls.is_safe(url)


def link(url: object, text: object | None = None) -> Markup:
    """A link for a safe http(s) address; any other address is shown as escaped text.

    Args:
        url: The address from the data.
        text: Link text; defaults to the address.

    Returns:
        HTML (the text isolated in ``<bdi>``).
    """
    label = Markup("<bdi>{}</bdi>").format(url if text is None else text)
    if is_safe_url(url):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, label)
    if text is not None and url:
        return label + Markup(
            ' <span class="unsafe-url">(keine sichere Webadresse, nicht verlinkt: <bdi>{}</bdi>)</span>'
        ).format(url)
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

    def block_code(self, code: str, info: str | None = None) -> str:
        return f'<pre class="code" lang="en"><code>{esc(code)}</code></pre>\n'

    def codespan(self, text: str) -> str:
        return f'<code lang="en">{esc(text)}</code>'


_MARKDOWN = mistune.create_markdown(
    escape=True, renderer=_SafeRenderer(escape=True), plugins=["table", "strikethrough"]
)


def markdown(text: str) -> Markup:
    """Render Markdown with every raw HTML tag escaped and addresses filtered."""
    return Markup(str(_MARKDOWN(text)))


class _TableSanitiser(HTMLParser):
    """Rebuild a pandas ``DataFrame.to_html`` table keeping only table tags and text (in ``<bdi>`` per cell)."""

    ALLOWED = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"})
    DROP_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "svg", "math"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.tables = 0  # text outside a table (pandas' "104 rows × 6 columns") is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROP_CONTENT:
            self.skip += 1
        elif not self.skip and tag in self.ALLOWED:
            self.tables += tag == "table"
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
            self.tables -= tag == "table"
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip and self.tables > 0:
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


def executed_notebooks(folder: Path) -> list[Path]:
    """The executed notebooks to publish: ``NN-name.ipynb``, never a hidden file or a partial run."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob(NOTEBOOK_GLOB)
        if p.is_file() and not p.name.startswith(".") and atomic.PARTIAL_MARK not in p.name
    )


_SAVED = re.compile(r"save_exhibit\([^\"')]*?[\"']([a-z0-9-]+)[\"']")


def published_exhibits(notebooks: list[Path]) -> list[str]:
    """Names of the exhibits the notebooks write (their ``save_exhibit(…, "name", …)`` calls), in order.

    Only these are published: an exhibit left in ``build/<incident>/exhibits/`` by an older
    notebook is not.
    """
    names: list[str] = []
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                names += _SAVED.findall(_text(cell.source))
    return list(dict.fromkeys(names))


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
    def kind(self) -> str:
        """The chart function that drew it (``usermeta.chart``: sequence, statements, …)."""
        return str(self.spec.get("usermeta", {}).get("chart") or "")

    @property
    def headline(self) -> str:
        """Headline from the spec's ``usermeta`` (else the name)."""
        return str(self.spec.get("usermeta", {}).get("headline") or self.name)

    @property
    def description(self) -> str:
        """Screen-reader description (``description`` of the spec)."""
        return str(self.spec.get("description") or self.spec.get("usermeta", {}).get("description") or "")


def load_exhibits(folder: Path, names: list[str]) -> list[Exhibit]:
    """Read the named exhibits (``<name>.vl.json`` with its CSV and SVG), in the order given.

    Raises:
        SiteError: An exhibit is missing or lacks its CSV or SVG.
    """
    exhibits = []
    for name in names:
        spec_path, svg, csv_path = folder / f"{name}.vl.json", folder / f"{name}.svg", folder / f"{name}.csv"
        missing = [p.name for p in (spec_path, svg, csv_path) if not p.is_file()]
        if missing:
            raise SiteError(f"exhibit {name!r} (written by a notebook) lacks {', '.join(missing)} in {folder}")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        exhibits.append(Exhibit(name=name, spec=spec, data=_read_csv(csv_path), svg=svg, csv=csv_path))
    return exhibits


def facts_path(paths: Paths) -> Path | None:
    """Where the fact box table is: written by the article notebook into the exhibits, else processed."""
    return next((p for p in (paths.exhibits / "facts.csv", paths.processed / "facts.csv") if p.is_file()), None)


def load_facts(paths: Paths) -> pd.DataFrame | None:
    """The fact box table (``None`` when absent); see :func:`facts_path`."""
    path = facts_path(paths)
    return _read_csv(path) if path is not None else None


def load_tables(paths: Paths, incident: Incident) -> dict[str, pd.DataFrame]:
    """The processed tables, typed; the ones the page needs must be there.

    Raises:
        SiteError: Naming the missing tables.
    """
    tables = processed.read(paths.processed, tz=incident.timezone) if paths.processed.is_dir() else {}
    missing = [t for t in ("sources", "claims_resolved", "sequence", "conflicts") if t not in tables]
    if missing:
        raise SiteError(
            f"processed table(s) {', '.join(t + '.csv' for t in missing)} missing in {paths.processed}; "
            "run `make report` first"
        )
    return tables


# ------------------------------------------------------------------------ templates


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the pages (autoescape on, strict undefined)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def locale_json() -> Markup:
    """The de-DE number and time locale for vega-embed, as a JSON block's content."""
    return Markup(script_json({"number": FORMAT_LOCALE, "time": TIME_FORMAT_LOCALE}))


class Charts:
    """The charts of one page: ids, embedded specs and their static fallbacks.

    Args:
        site: The site folder being built (fallback SVGs of notebook charts are written there).
        exhibits: Published exhibits by name; a notebook chart equal to one reuses its SVG.
        prefix: Id prefix of the page's charts.
    """

    def __init__(self, site: Path, exhibits: Mapping[str, Exhibit], prefix: str):
        self.site, self.exhibits, self.prefix, self.count = site, exhibits, prefix, 0
        self._by_spec = {chart_key(e.spec): e for e in exhibits.values()}
        #: Fallback SVGs written into the site (path relative to it → text), for the desk page cache.
        self.written: dict[str, str] = {}

    def matches(self, notebook: nbformat.NotebookNode) -> list[str | None]:
        """For each chart output of ``notebook``, the exhibit it is (``None``: none)."""
        found = [self._by_spec.get(chart_key(spec)) for _, _, spec in chart_outputs(notebook)]
        return [e.name if e else None for e in found]

    def chart(self, spec: Mapping[str, Any], *, exhibit: Exhibit | None = None) -> dict[str, Any]:
        """The template values of one chart (see the ``chart`` macro of ``_macros.html.j2``)."""
        self.count += 1
        ident = f"{self.prefix}-{exhibit.name if exhibit else self.count}"
        exhibit = exhibit or self._by_spec.get(chart_key(spec))
        if exhibit is not None:
            fallback = f"exhibits/{exhibit.name}.svg"
        else:
            fallback = f"assets/{ident}.svg"
            self.written[fallback] = render_svg(dict(spec))
            atomic.write_text(self.site / fallback, self.written[fallback])
        meta = spec.get("usermeta", {}) if isinstance(spec.get("usermeta"), dict) else {}
        links = None
        if exhibit is not None:
            links = {
                k: f"exhibits/{exhibit.name}{s}" for k, s in (("csv", ".csv"), ("svg", ".svg"), ("spec", ".vl.json"))
            }
        # the page needs no schema address (the bundle is Vega-Lite; site.js says so): no URL in the page
        shown = {k: v for k, v in spec.items() if k != "$schema"}
        return {
            "id": ident,
            "headline": str(meta.get("headline") or (exhibit.headline if exhibit else "Grafik")),
            "description": str(spec.get("description") or meta.get("description") or ""),
            "fallback": fallback,
            "links": links,
            "spec_json": Markup(script_json(shown)),
        }


# ------------------------------------------------------------------------ notebooks


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: A row pandas puts in place of the rows it leaves out (every cell "…" or "...").
TRUNCATED = re.compile(r"<tr>(?:\s*<t[hd]>\s*(?:…|\.\.\.)\s*</t[hd]>)+\s*</tr>")
#: Shown instead of an output that would run code (HTML with scripts, JavaScript, widgets).
WITHHELD = Markup('<p class="withheld">Diese Ausgabe enthielt ausführbaren Inhalt und wird hier nicht gezeigt.</p>')


def render_output(output: Mapping[str, Any], charts: Charts) -> Markup:
    """Render one notebook output without anything that could run or load from the network.

    Vega-Lite outputs are embedded as JSON and drawn by the local bundle; pandas tables are
    rebuilt by :func:`sanitise_table`; SVG and PNG images are shown through ``<img>`` (a data
    URI, scripts stripped; an image never runs a script); Markdown is rendered safely; other
    HTML and JavaScript are withheld (their plain-text form is shown when there is one); all
    other text is escaped in ``<pre>``.

    Args:
        output: A notebook output.
        charts: Chart collector of the page.

    Returns:
        HTML.
    """
    kind = output.get("output_type")
    if kind == "stream":
        return Markup('<pre class="stream">{}</pre>').format(_ANSI.sub("", _text(output.get("text", ""))))
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return Markup('<pre class="error">{}</pre>').format(
            trace or f"{output.get('ename', '')}: {output.get('evalue', '')}"
        )
    data = output.get("data", {})
    env = environment()
    for mime in VEGA_MIMES:
        if mime in data:
            spec = data[mime]
            spec = json.loads(spec) if isinstance(spec, str) else spec
            return env.get_template("_macros.html.j2").module.chart(charts.chart(spec))
    if "text/html" in data and re.search(r'<table[^>]*class="dataframe', _text(data["text/html"])):
        table = sanitise_table(_text(data["text/html"]))
        if TRUNCATED.search(table):
            raise SiteError(
                "a notebook table was cut by pandas (a row of '…'): display tables after "
                "incident.notebook.session(), which shows them whole / Tabelle von pandas gekürzt"
            )
        return Markup(
            '<div class="table-box desk-table" tabindex="0" role="region" aria-label="Tabelle">{}</div>'
        ).format(Markup(table))
    if "image/svg+xml" in data:
        svg = re.sub(r"(?is)<script.*?</script\s*>", "", _text(data["image/svg+xml"]))
        uri = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return Markup('<img class="output-image" alt="Grafik" src="data:image/svg+xml;base64,{}">').format(uri)
    if "image/png" in data:
        png = re.sub(r"[^A-Za-z0-9+/=]", "", _text(data["image/png"]))
        return Markup('<img class="output-image" alt="Grafik" src="data:image/png;base64,{}">').format(png)
    if "text/markdown" in data:
        return markdown(_text(data["text/markdown"]))
    active = any(m in data for m in ("text/html", "application/javascript", "application/vnd.jupyter.widget-view+json"))
    if "text/plain" in data:
        plain = Markup('<pre class="plain">{}</pre>').format(_text(data["text/plain"]))
        return (WITHHELD + plain) if active else plain
    return WITHHELD if active else Markup("")


def notebook_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """First Markdown heading of a notebook (without ``#``), else ``fallback``."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"(?m)^#+\s+(.+?)\s*#*\s*$", _text(cell.source))
            if match:
                return match.group(1)
    return fallback


def export_notebook(notebook: nbformat.NotebookNode, charts: Charts) -> Markup:
    """A desk page's body from an executed notebook, made by nbconvert's HTMLExporter.

    The template (``templates/notebook.html.j2``) shows every cell in order: Markdown rendered
    safely, code marked English, outputs through :func:`render_output`.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_file=str(TEMPLATES / "notebook.html.j2"))
    exporter.register_filter("safe_markdown", lambda text: markdown(_text(text)))
    exporter.register_filter(
        "render_outputs",
        lambda outputs, index: Markup("\n").join(r for r in (render_output(o, charts) for o in outputs) if r),
    )
    body, _ = exporter.from_notebook_node(notebook)
    return Markup(body)


# ----------------------------------------------------------------------- downloads

#: What each download is, for the downloads section (German): title and description; the order is the page's.
DOWNLOADS: dict[str, tuple[str, str]] = {
    "LIESMICH.txt": ("Lies mich", "was die Dateien sind, wie Zahlen, Zeiten und Codes geschrieben sind"),
    "facts.csv": ("Fakten für den Artikel", "Bezeichnung, Wert, Wortlaut der Quellen, Hinweis"),
    "sequence.csv": ("Der Ablauf", "je Störung früheste und späteste Zeit für Beginn und Ende, mit dem Wortlaut"),
    "conflicts.csv": ("Widersprüche", "beide Seiten mit Wortlaut und Quellen"),
    "sources.csv": ("Quellen", "Medium, Adresse, Überschrift, Erscheinungsdatum, Art"),
    "claims_resolved.csv": (
        "Alle Angaben",
        "jede Angabe der Quellen einmal, mit Zeitangabe im Wortlaut und der Zeitspanne, die sie meint",
    ),
    "datawrapper_sequence.csv": ("Ablauf für Datawrapper", "als Range Plot: Bezeichnung, Von_Uhr, Bis_Uhr"),
    "datawrapper_conflicts.csv": ("Widersprüche für Datawrapper", "zum Einlesen in Datawrapper"),
    "timeline.json": ("Zeitleiste", "der Ablauf für TimelineJS"),
    "timelinejs-de.json": (
        "Deutsch für TimelineJS",
        "die vollständige deutsche Sprachdatei; beim Einbetten als language angeben",
    ),
    "accounts.csv": ("Angaben je Quelle", "die Angaben je unabhängiger Quelle zusammengefasst"),
    "constraints.csv": ("Grenzen", "welche Angabe welche Grenze von Beginn und Ende setzt"),
    "figures.csv": ("Zahlen", "die genannten Zahlen je Größe"),
    "flags.csv": ("Falsch datierte Angaben", "und warum sie nicht im Ablauf stehen"),
    "unresolved.csv": ("Angaben ohne Zeit", "Angaben, deren Zeitangabe keine Uhrzeit und keinen Tag nennt"),
    "rejected.csv": ("Nicht verwendete Zeilen", "Zeilen der Rohdaten, die nicht verwendet wurden, mit Grund"),
    "copies.csv": ("Kopien", "Texte, die in mehreren Medien erschienen (zählen einmal)"),
    "anomalies.csv": ("Auffälligkeiten", "in dichten Zahlenreihen (leer, wenn es keine gibt)"),
    "datapackage.json": (
        "Tabellenbeschreibung",
        "jede Spalte jeder Tabelle mit deutschem Titel, Beschreibung und der Bedeutung ihrer Codes (Frictionless)",
    ),
    "manifest.json": ("Prüfsummen", "Zeilenzahlen und Prüfsummen aller Dateien"),
}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def _numeric_columns(name: str, header: list[str], rows: list[list[str]]) -> set[str]:
    """Columns that hold numbers: typed so in the processed tables' contract, else every value a number."""
    stem = name.removesuffix(".csv")
    if stem in processed.TABLES:
        return {c for c, t in processed.TABLES[stem] if t in ("number", "integer")}
    out = set()
    for i, col in enumerate(header):
        values = [r[i] for r in rows if i < len(r) and r[i] != ""]
        if values and all(_NUMBER.match(v) for v in values):
            out.add(col)
    return out


def spreadsheet_safe_copy(source: Path, target: Path) -> None:
    """Copy a file for download; a CSV's text cells are neutralised (:func:`incident.publish.spreadsheet.safe`).

    Numeric columns are left as they are; a CSV that needs no change is copied byte for byte.
    """
    if source.suffix != ".csv":
        shutil.copyfile(source, target)
        return
    text = source.read_text(encoding="utf-8")
    # csv's default field limit (128 KiB) would stop a long cell with a traceback; no cell is
    # longer than the file, so the file's own length bounds it (restored afterwards)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)
    if not table:
        shutil.copyfile(source, target)
        return
    header, rows = table[0], table[1:]
    numeric = _numeric_columns(source.name, header, rows)
    # the rows as read (a DataFrame per file cost a quarter second per site build)
    safe = spreadsheet.safe_rows(rows, text_columns=[i for i, c in enumerate(header) if c not in numeric])
    if safe == rows:
        shutil.copyfile(source, target)
        return
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(safe)
    target.write_text(out.getvalue(), encoding="utf-8", newline="")


def _size(path: Path) -> str:
    kb = max(0.1, path.stat().st_size / 1024)
    return f"{german.number(round(kb, 1))} KB" if kb < 1024 else f"{german.number(round(kb / 1024, 1))} MB"


#: Columns and types of the fact box table (``facts.csv``), for the downloads' data package.
FACT_FIELDS: tuple[tuple[str, str], ...] = (
    ("fact_id", "string"),
    ("kind", "string"),
    ("label", "string"),
    ("value_text", "string"),
    ("value", "number"),
    ("phrases", "string"),
    ("claim_ids", "string"),
    ("note", "string"),
)


def _codebook(folder: Path, *, paths: Paths, incident: Incident, names: list[str]) -> None:
    """The downloads' ``datapackage.json`` (every CSV, German titles and descriptions) and ``LIESMICH.txt``."""
    from incident import codebook

    package = processed.descriptor(incident.id, labels=dict(incident.labels))
    present = set(names)
    package["resources"] = [r for r in package["resources"] if r["path"] in present]
    if "facts.csv" in present:
        package["resources"].insert(0, processed.resource("facts", list(FACT_FIELDS)))
    package["description"] += (
        " manifest.json gilt für data/processed/ (dort ohne facts.csv, die das Artikel-Notebook schreibt)."
    )
    atomic.write_text(
        folder / "datapackage.json", json.dumps(package, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    )
    rank = {name: i for i, name in enumerate(DOWNLOADS)}
    listed = sorted(present | {"datapackage.json"}, key=lambda n: (rank.get(n, len(rank)), n))
    files = {n: " – ".join(x for x in DOWNLOADS.get(n, ("Tabelle", "")) if x) for n in listed}
    atomic.write_text(folder / "LIESMICH.txt", codebook.readme(title=incident.title, files=files))


# ------------------------------------------------------------------------ page data


def _date(row: Mapping[str, Any], tz: str) -> str:
    text = str(row.get("published") or "")
    precision = str(row.get("published_precision") or "")
    at = row.get("published_at")
    try:
        if precision == "minute" and at is not None and not pd.isna(at):
            t = pd.Timestamp(at).tz_convert(tz)
            return f"{german.day_long(t.date())}, {german.clock(t, tz)}"
        if precision == "day" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return german.day_long(pd.Timestamp(text[:10]).date())
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return german.day_long(pd.Timestamp(text + "-01").date()).split(", ", 1)[1].split(" ", 1)[1]
    except (ValueError, TypeError):
        pass
    return text


def _source_rows(tables: dict[str, pd.DataFrame], tz: str) -> list[dict[str, Any]]:
    rows = []
    s = tables["sources"]
    spell = Spelling.from_tables(tables)
    for row in s.sort_values(["outlet", "source_id"], key=lambda c: c.str.casefold(), kind="stable").to_dict("records"):
        url = str(row.get("url") or "")
        rows.append(
            {
                "outlet": spell.display(short_outlet(str(row.get("outlet") or ""))),
                "host": summary.display_host(url),
                "link": {"url": url, "safe": is_safe_url(url), "text": summary.headline(row.get("headline")) or url},
                "date": _date(row, tz),
            }
        )
    return rows


def _fact_groups(facts: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> list[tuple[str, list[dict[str, Any]]]]:
    ev = summary.Evidence(tables)
    groups: dict[str, list[dict[str, Any]]] = {}
    names = {"zahl": "Zahlen", "zeit": "Zeiten"}
    for row in facts.to_dict("records"):
        sources = []
        for sid in ev.sources_of(row.get("claim_ids")):
            url = ev.url.get(sid, "")
            sources.append(
                {
                    "url": url,
                    "safe": is_safe_url(url),
                    "text": ev.outlet.get(sid, sid),
                    "host": summary.display_host(url),
                }
            )
        kind = str(row.get("kind") or "")
        groups.setdefault(names.get(kind, "Weitere Fakten"), []).append(
            {
                "label": row.get("label", ""),
                "value_text": row.get("value_text", ""),
                "phrases": row.get("phrases", ""),
                "note": row.get("note", ""),
                "sources": sources,
            }
        )
    return list(groups.items())


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


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def build_site(
    paths: Paths,
    *,
    facts: pd.DataFrame | None = None,
    require_facts: bool = True,
) -> Path:
    """Build the static site of an incident and swap it into ``paths.site``.

    Args:
        paths: The incident's paths (descriptor from ``paths.raw``, tables from
            ``paths.processed``, exhibits from ``paths.exhibits``, notebooks from ``paths.executed``).
        facts: Fact box table; defaults to :func:`facts_path` (the article notebook's ``facts.csv``).
        require_facts: Fail when there is no fact box table.

    Returns:
        The site folder.

    Raises:
        ProvenanceError: A number or time in the fact box or a chart lacks provenance.
        SiteError: Inputs are missing or a page is heavier than :data:`MAX_PAGE_BYTES`.
    """
    incident = load_descriptor(paths)
    notebooks = executed_notebooks(paths.executed)
    chosen = selection.from_notebooks(notebooks, incident)
    tables = selection.restrict(load_tables(paths, incident), chosen, incident)
    exhibits = load_exhibits(paths.exhibits, sorted(published_exhibits(notebooks)))
    facts = facts if facts is not None else load_facts(paths)
    if facts is None:
        if require_facts:
            raise SiteError(
                f"no fact box table: neither {paths.exhibits / 'facts.csv'} nor {paths.processed / 'facts.csv'} exists"
            )
        facts = pd.DataFrame(columns=list(provenance.FACT_COLUMNS))
    provenance.check(facts, {e.name: e.data for e in exhibits}, tables["sources"], tables["claims_resolved"])
    with atomic.staged_dir(paths.site) as tmp:
        _assemble(
            tmp,
            paths=paths,
            incident=incident,
            tables=tables,
            exhibits=exhibits,
            notebooks=notebooks,
            facts=facts,
            chosen=chosen,
        )
        heavy = {p.name: page_weight(p) for p in sorted(tmp.glob("*.html"))}
        over = {name: size for name, size in heavy.items() if size > MAX_PAGE_BYTES}
        if over:
            raise SiteError(f"page(s) heavier than {MAX_PAGE_BYTES} bytes: {over}")
    return paths.site


def vega_bundle() -> str:
    """The one shared vega + vega-lite + vega-embed bundle, from vl-convert, cached per version.

    vl-convert builds the bundle in about a second on every call; it depends only on the
    installed vl-convert and the Vega-Lite version, so it is kept under the environment's
    prefix (``<venv>/share/incident/``) and read back on later builds.
    """
    cache = Path(sys.prefix) / "share" / "incident" / f"vega-bundle-{vlc.__version__}-vl{VL_VERSION}.js"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    text = vlc.javascript_bundle(vl_version=VL_VERSION)
    with contextlib.suppress(OutputError):  # a read-only environment only costs the second again
        atomic.write_text(cache, text)
    return text


def _assemble(
    site: Path,
    *,
    paths: Paths,
    incident: Incident,
    tables: dict[str, pd.DataFrame],
    exhibits: list[Exhibit],
    notebooks: list[Path],
    facts: pd.DataFrame,
    chosen: selection.Selection,
) -> None:
    env = environment()
    _write(site / "assets" / "vega-bundle.js", vega_bundle())
    for name in ("site.css", "site.js"):
        shutil.copyfile(STATIC / name, site / "assets" / name)
    if exhibits:
        (site / "exhibits").mkdir(parents=True, exist_ok=True)
    for exhibit in exhibits:
        for suffix in (".svg", ".vl.json"):
            shutil.copyfile(paths.exhibits / f"{exhibit.name}{suffix}", site / "exhibits" / f"{exhibit.name}{suffix}")
        spreadsheet_safe_copy(exhibit.csv, site / "exhibits" / f"{exhibit.name}.csv")

    (site / "downloads").mkdir(parents=True, exist_ok=True)
    wanted = sorted(p for p in paths.processed.iterdir() if p.is_file() and p.suffix in (".csv", ".json"))
    fact_file = facts_path(paths)
    if fact_file is not None and fact_file.parent != paths.processed:
        wanted.append(fact_file)
    for path in wanted:
        if chosen.whole:
            spreadsheet_safe_copy(path, site / "downloads" / path.name)
            continue
        # a run with other parameters offers only its selection for download, too
        cut = site / "downloads" / f".cut-{path.name}"
        text = path.read_text(encoding="utf-8")
        cut.write_text(
            selection.restrict_download(path.name, text, selection=chosen, incident=incident, kept=tables),
            encoding="utf-8",
            newline="",
        )
        spreadsheet_safe_copy(cut, site / "downloads" / path.name)
        cut.unlink()
    _codebook(site / "downloads", paths=paths, incident=incident, names=[p.name for p in wanted])
    first = pd.Timestamp(incident.first_day).tz_localize(incident.timezone)
    zone = incident.zone_label(first)
    common = {"title": incident.title, "zone": zone, "locale_json": locale_json()}

    by_name = {e.name: e for e in exhibits}
    desk = []
    loaded = [(path, nbformat.read(path, as_version=4)) for path in notebooks]
    for path, notebook in loaded:
        heading = notebook_title(notebook, path.stem)
        desk.append({"href": f"{path.stem}.html", "title": heading, "short": re.sub(r"^\d+\s*·\s*", "", heading)})
    checked = textpage.context(paths, incident, tables)  # None unless the incident ships artikel.md
    if checked is not None:
        desk.append(textpage.entry())
        _write(
            site / textpage.PAGE,
            env.get_template("textcheck.html.j2").render(
                **common, heading=textpage.TITLE, check=checked, desk=desk, current=textpage.PAGE, charts=False
            ),
        )
    for path, notebook in loaded:
        charts = Charts(site, by_name, prefix=path.stem)
        body = deskcache.export(
            path,
            notebook,
            charts,
            folder=paths.build / ".cache" / "desk",
            exporter=export_notebook,
        )
        page = env.get_template("desk.html.j2").render(
            **common,
            heading=notebook_title(notebook, path.stem),
            body=body,
            desk=desk,
            current=f"{path.stem}.html",
            charts=charts.count > 0,
        )
        _write(site / f"{path.stem}.html", page)

    charts = Charts(site, by_name, prefix="grafik")
    placed: dict[str, list[dict[str, Any]]] = {k: [] for k in (*CHART_SECTIONS, "other")}
    for exhibit in exhibits:
        placed[exhibit.kind if exhibit.kind in CHART_SECTIONS else "other"].append(
            charts.chart(exhibit.spec, exhibit=exhibit)
        )
    rank = {name: i for i, name in enumerate(DOWNLOADS)}
    downloads = [
        (
            "Tabellen der Rekonstruktion",
            [
                {
                    "href": f"downloads/{p.name}",
                    "name": p.name,
                    "size": _size(site / "downloads" / p.name),
                    "title": DOWNLOADS.get(p.name, ("Tabelle", ""))[0],
                    "description": DOWNLOADS.get(p.name, ("", ""))[1],
                }
                for p in sorted([*wanted, Path("LIESMICH.txt")], key=lambda p: (rank.get(p.name, len(rank)), p.name))
            ],
        ),
    ]
    if exhibits:
        downloads.append(
            (
                "Daten zu den Grafiken",
                [
                    {
                        "href": f"exhibits/{e.name}.csv",
                        "name": f"{e.name}.csv",
                        "size": _size(site / "exhibits" / f"{e.name}.csv"),
                        "title": f"Grafik {e.name.split('-')[0]}",
                        "description": e.headline,
                    }
                    for e in exhibits
                ],
            )
        )
    page = env.get_template("index.html.j2").render(
        **common,
        subtitle=incident.subtitle,
        selection_note=selection.describe(chosen, incident),
        summary=summary.summary(tables, incident),
        article=markdown(text) if (text := textpage.reader_markdown(checked)) else None,
        charts=placed,
        facts=_fact_groups(facts, tables) if len(facts) else [],
        sources=_source_rows(tables, incident.timezone),
        downloads=downloads,
        desk=desk,
    )
    _write(site / "index.html", page)


# ------------------------------------------------------------------------------ CLI
