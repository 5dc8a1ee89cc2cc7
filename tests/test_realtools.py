"""Prove the newsroom exports in the real tools, not in look-alikes.

1. Datawrapper: every ``datawrapper_*.csv`` goes through Datawrapper's own delimited-data parser
   (npm ``@datawrapper/chart-core``, ``lib/dw/dataset/delimited.mjs``, run by
   ``tools/realtools/dw_parse.mjs`` in node): the delimiter it guesses, one column per CSV field,
   and the column types it detects must be the intended ones below.
2. TimelineJS: every ``timeline.json`` is rendered by ``@knight-lab/timelinejs`` (loaded from
   ``node_modules`` over file://, with the package's complete German locale ``timelinejs-de.json``
   inlined) in headless Chromium as a 1000×650 px embed: no console error, no failed request, the
   navigation visible inside the box, German dates, every event at the hour and minute of its
   ``start_date``, German hours on the time axis ("8 Uhr", never "AM"/"PM"), no marker title cut,
   "N unabhängige Quellen" followed by N entries, and no more groups than the article has
   platforms. Screenshots go to ``build/screenshots/timelinejs-<incident>.png``.
   The Datawrapper Ablauf file is also checked row by row as Datawrapper parses it.

The exports are made fresh by ``python -m incident.process`` (the step ``make report`` runs for
``data/processed/<incident>/``) in a temporary tree, for every incident under ``data/raw/``, so a
clean clone tests what it would publish. Needs ``npm ci`` (node_modules) and Debian's chromium;
without them the tests skip locally and FAIL when ``CI=true``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from incident.publish import exports

ROOT = Path(__file__).resolve().parents[1]
REALTOOLS = ROOT / "tools" / "realtools"
NODE_MODULES = ROOT / "node_modules"
DW_PARSE = REALTOOLS / "dw_parse.mjs"
DW_PACKAGE = NODE_MODULES / "@datawrapper" / "chart-core" / "lib" / "dw" / "dataset" / "delimited.mjs"
TL_DIST = NODE_MODULES / "@knight-lab" / "timelinejs" / "dist"
TL_TEMPLATE = REALTOOLS / "timeline.html"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
PAGES = ROOT / "build" / "realtools"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

# What a Datawrapper user should get from each export: one column per CSV field, in this order,
# with the type Datawrapper's column detection should settle on ("text", "number", "date").
# A new export must be added here; a number or date column must parse in every row.
INTENDED: dict[str, list[tuple[str, str]]] = {
    # src/incident/publish/exports.py DW_SEQUENCE: one row per episode, the span to draw as dates
    # (never empty) and as hours, open edges in their own columns
    "datawrapper_sequence.csv": [
        ("Bezeichnung", "text"),
        ("Von", "date"),
        ("Bis", "date"),
        ("Von_Uhr", "number"),
        ("Bis_Uhr", "number"),
        ("Gezeigt", "text"),
        ("Beginn_offen", "text"),
        ("Ende_offen", "text"),
        ("Plattform", "text"),
        ("Tag", "date"),
        ("Zustand", "text"),
        ("Beginn", "text"),
        ("Beginn_laut_Quellen", "text"),
        ("Ende", "text"),
        ("Ende_laut_Quellen", "text"),
        ("Umstritten", "text"),
        ("Unabhängige_Quellen", "number"),
        ("Belege", "text"),
    ],
    # DW_CONFLICTS: "Tag" is German text ("Mo. 11.1.", several days joined, empty for undated figures)
    "datawrapper_conflicts.csv": [
        ("Plattform", "text"),
        ("Tag", "text"),
        ("Art", "text"),
        ("Worum", "text"),
        ("Seite_A", "text"),
        ("Quellen_A", "text"),
        ("Anzahl_Quellen_A", "number"),
        ("Seite_B", "text"),
        ("Quellen_B", "text"),
        ("Anzahl_Quellen_B", "number"),
        ("Belege", "text"),
    ],
}

# The embed a newsroom page gives the timeline, and what its navigation needs at least.
EMBED_WIDTH, EMBED_HEIGHT = 1000, 650
MIN_TIMENAV_PX = 100
GERMAN_DATE_WORDS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "Jan.",
    "Feb.",
    "Apr.",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
    "Sonntag",
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
)
ENGLISH_DATE_WORDS = ("January", "February", "March", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _require(ok: bool, reason: str) -> None:
    """Skip locally, fail in CI: the real-tool proof must not silently vanish there."""
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must provide it)")
    pytest.skip(reason)


def _require_node() -> str:
    node = shutil.which("node")
    _require(node is not None, "node is not installed")
    _require(DW_PACKAGE.exists(), "node_modules/@datawrapper/chart-core missing: run `npm ci`")
    return node


def _require_timelinejs() -> None:
    _require(CHROMIUM.exists(), "Debian chromium not installed at /usr/bin/chromium")
    _require((TL_DIST / "js" / "timeline.js").exists(), "node_modules/@knight-lab/timelinejs missing: run `npm ci`")


@pytest.fixture(scope="session")
def node() -> str:
    """The node binary, with Datawrapper's parser installed (checked before any export is built)."""
    return _require_node()


@pytest.fixture(scope="session")
def timelinejs() -> None:
    """TimelineJS and chromium present (checked before any export is built)."""
    _require_timelinejs()


# --------------------------------------------------------------------------- exports under test


def _incidents() -> list[str]:
    raw = ROOT / "data" / "raw"
    return sorted(p.name for p in raw.iterdir() if (p / "datapackage.json").exists()) if raw.exists() else []


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> dict[str, Path]:
    """``data/processed/<incident>/`` for every incident, made fresh from ``data/raw`` in a temporary tree."""
    home = tmp_path_factory.mktemp("realtools-home")
    out = {}
    for incident in _incidents():
        shutil.copytree(ROOT / "data" / "raw" / incident, home / "data" / "raw" / incident)
        env = {**os.environ, "INCIDENT_HOME": str(home), "INCIDENT": incident}
        res = subprocess.run(
            [sys.executable, "-m", "incident", "process", "--incident", incident],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert res.returncode == 0, f"incident.process failed for {incident}:\n{res.stdout}\n{res.stderr}"
        out[incident] = home / "data" / "processed" / incident
    return out


# --------------------------------------------------------------------------- 1. Datawrapper


def dw_parse(path: Path) -> dict:
    """Run Datawrapper's own parser on ``path`` (all rows) and return dw_parse.mjs's JSON."""
    node = _require_node()
    res = subprocess.run(
        [node, str(DW_PARSE), str(path), "--rows", "1000000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, f"dw_parse.mjs failed on {path}:\n{res.stderr}"
    return json.loads(res.stdout)


def dw_problems(path: Path, intended: list[tuple[str, str]]) -> list[str]:
    """Everything a Datawrapper user would see differently from ``intended``; empty when fine."""
    parsed = dw_parse(path)
    with path.open(newline="", encoding="utf-8") as fh:
        table = [row for row in csv.reader(fh) if any(cell != "" for cell in row)]
    header, body = table[0], table[1:]
    names = [c["name"] for c in parsed["columns"]]
    problems = []
    if names != header:
        problems.append(
            f"Datawrapper guessed delimiter {parsed['delimiter_name']!r} and reads {len(names)} column(s) "
            f"{names[:4]}{' …' if len(names) > 4 else ''}; the file has {len(header)} comma-separated fields"
        )
    if header != [c for c, _ in intended]:
        problems.append(f"fields {header} differ from the intended {[c for c, _ in intended]}")
    if parsed["rows"] != len(body):
        problems.append(f"Datawrapper reads {parsed['rows']} rows, the file has {len(body)}")
    detected = {c["name"]: c for c in parsed["columns"]}
    for i, (name, want) in enumerate(intended):
        col = detected.get(name)
        if col is None:
            continue
        if col["type"] != want:
            sample = [row[i] for row in parsed["first_rows"][:3] if i < len(row)]
            problems.append(f"column {name!r}: Datawrapper detects {col['type']}, intended {want} (values {sample})")
        elif want in {"number", "date"} and col["unparsed"]:
            problems.append(
                f"column {name!r}: {len(col['unparsed'])} value(s) Datawrapper cannot read as {want}: {col['unparsed'][:3]}"
            )
    return problems


@pytest.mark.parametrize("incident", _incidents())
def test_every_datawrapper_export_has_an_intended_shape(processed, incident):
    files = sorted(p.name for p in processed[incident].glob("datawrapper_*.csv"))
    assert files, f"{incident}: no datawrapper_*.csv exported"
    assert sorted(INTENDED) == files, "declare the intended columns of every export in INTENDED"


@pytest.mark.parametrize("name", sorted(INTENDED))
@pytest.mark.parametrize("incident", _incidents())
def test_datawrapper_reads_export_as_intended(node, processed, incident, name):
    path = processed[incident] / name
    assert path.exists(), f"{incident}: {name} not exported"
    problems = dw_problems(path, INTENDED[name])
    assert problems == [], f"{incident}/{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("incident", _incidents())
def test_datawrapper_ablauf_rows_chart_as_they_are(node, processed, incident):
    """Every row of the Ablauf file as Datawrapper reads it: one label per row naming platform and day,
    the drawn span as dates and hours that agree and never run backwards, open edges said in words."""
    path = processed[incident] / "datawrapper_sequence.csv"
    parsed = dw_parse(path)
    names = [c["name"] for c in parsed["columns"]]
    rows = [dict(zip(names, r)) for r in parsed["first_rows"]]
    with path.open(newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    assert len(rows) == len(raw) > 0
    labels = [r["Bezeichnung"] for r in rows]
    assert len(set(labels)) == len(labels), "every label is one row"
    shown = {"sicher gestört", "Zeitraum der Angaben", "nur ein Zeitpunkt", "keine Uhrzeit"}
    for r, text in zip(rows, raw):
        assert r["Bezeichnung"].startswith(r["Plattform"] + ", ")
        assert re.search(r", (Mo|Di|Mi|Do|Fr|Sa|So)\. \d{1,2}\.\d{1,2}\.", r["Bezeichnung"]), r["Bezeichnung"]
        start, end = r["Von"], r["Bis"]  # parsed by Datawrapper: "YYYY-MM-DD HH:MM:SS"
        assert start <= end, f"{r['Bezeichnung']}: span runs backwards ({start} → {end})"
        assert start[:10] == end[:10] == text["Tag"], "the span lies on its day"
        for clock, hours in ((start, r["Von_Uhr"]), (end, r["Bis_Uhr"])):
            h, m = int(clock[11:13]), int(clock[14:16])
            assert abs(hours - (h + m / 60)) < 0.006, f"{clock} vs {hours}"
        assert r["Von_Uhr"] <= r["Bis_Uhr"]
        assert any(r["Gezeigt"].startswith(s) for s in shown), r["Gezeigt"]
        assert r["Beginn_offen"] in {"ja", "nein"} and r["Ende_offen"] in {"ja", "nein"}
        if r["Beginn_offen"] == "nein":
            # both sides bounded: an interval, a time, or (a part of the day) the source's own words
            closed = r["Beginn"].startswith(("zwischen", "„", "frühestens „")) or "spätestens" in r["Beginn"]
            assert closed or re.fullmatch(r"\d{1,2}(\.\d\d)? Uhr", r["Beginn"]), r["Beginn"]
        if r["Gezeigt"].startswith("sicher gestört"):
            assert r["Von_Uhr"] < r["Bis_Uhr"]


# Generated data (labelled): the known-bad shape from the issue, and a clean counterpart.
GENERATED_FIELDS = [("Plattform", "text"), ("Beginn", "date"), ("Quellen", "number"), ("claim_ids", "text")]


def _generated_csv(path: Path, joiner: str) -> Path:
    rows = [
        ["iserv-video", "2021-01-11 08:00", "14", joiner.join(f"gen-{i}#1" for i in range(12))],
        ["moodle-krzn", "2021-01-11 11:00", "2", joiner.join(f"gen-{i}#2" for i in range(8))],
        ["padlet", "2021-01-11 09:30", "1", "gen-9#1"],
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([c for c, _ in GENERATED_FIELDS])
        w.writerows(rows)
    return path


def test_generated_semicolon_cells_are_misread_as_one_column(tmp_path):
    """Generated: text cells with more semicolons than the file has commas (the issue's shape)."""
    path = _generated_csv(tmp_path / "generated_bad.csv", "; ")
    parsed = dw_parse(path)
    assert parsed["delimiter"] == ";"
    assert len(parsed["columns"]) == 1 and parsed["columns"][0]["type"] == "text"
    problems = dw_problems(path, GENERATED_FIELDS)
    assert problems and "reads 1 column(s)" in problems[0]


def test_generated_clean_csv_passes(tmp_path):
    """Generated: the same rows with space-separated ids parse as four typed columns."""
    path = _generated_csv(tmp_path / "generated_good.csv", " ")
    assert dw_problems(path, GENERATED_FIELDS) == []
    parsed = dw_parse(path)
    assert parsed["delimiter"] == "," and parsed["first_rows"][0][1] == "2021-01-11 08:00:00"
    assert parsed["first_rows"][0][2] == 14


def test_generated_german_numbers_are_numbers(tmp_path):
    """Generated: German number format ("1.234,5", semicolon-delimited) is detected from the values."""
    path = tmp_path / "generated_de.csv"
    path.write_text("Tag;Anfragen\n11.01.2021;100.000\n12.01.2021;1.234,5\n13.01.2021;4.100\n", encoding="utf-8")
    parsed = dw_parse(path)
    assert parsed["delimiter"] == ";"
    cols = {c["name"]: c for c in parsed["columns"]}
    assert cols["Anfragen"]["type"] == "number" and cols["Anfragen"]["format"] == ".,"
    assert [r[1] for r in parsed["first_rows"]] == [100000, 1234.5, 4100]
    assert cols["Tag"]["type"] == "date"


# --------------------------------------------------------------------------- 2. TimelineJS


@pytest.fixture(scope="module")
def browser():
    _require_timelinejs()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is pinned in requirements.lock
        _require(False, "python playwright not installed")
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _json_for_script(obj) -> str:
    """JSON safe inside <script type="application/json"> (no "</script>", no markup)."""
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def timeline_page(
    data: dict, out: Path, *, width: int, height: int, language: str = "de", locale: dict | None = None
) -> Path:
    """Fill tools/realtools/timeline.html with the timeline ``data`` and write the page to ``out``.

    ``locale``: the language file the embed passes (default: the package's complete German locale,
    :data:`incident.publish.exports.TIMELINEJS_LOCALE_DE`, published as ``timelinejs-de.json``).
    """
    if locale is None:
        locale = exports.TIMELINEJS_LOCALE_DE if language == "de" else None
    if locale is None:
        shipped = TL_DIST / "js" / "locale" / f"{language}.json"
        assert shipped.exists(), f"TimelineJS ships no {language} locale"
        locale = json.loads(shipped.read_text(encoding="utf-8"))
    page = TL_TEMPLATE.read_text(encoding="utf-8")
    slots = {
        "{{TL_DIST}}": TL_DIST.as_uri() + "/",
        "{{WIDTH}}": str(width),
        "{{HEIGHT}}": str(height),
        "{{LANGUAGE}}": language,
        "{{TIMELINE_JSON}}": _json_for_script(data),
        "{{LOCALE_JSON}}": _json_for_script(locale),
    }
    for slot, value in slots.items():
        page = page.replace(slot, value)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _article_platforms(incident: str) -> list[str]:
    descriptor = yaml.safe_load((ROOT / "data" / "raw" / incident / "incident.yaml").read_text(encoding="utf-8"))
    return [p["id"] for p in descriptor["platforms"] if p.get("article")]


def timeline_problems(browser, data: dict, name: str, article: list[str]) -> list[str]:
    """Render ``data`` with TimelineJS as a 1000×650 embed; list what a reader would miss.

    Writes the page to build/realtools/timelinejs-<name>.html and a screenshot (first event
    slide) to build/screenshots/timelinejs-<name>.png.
    """
    page_file = timeline_page(data, PAGES / f"timelinejs-{name}.html", width=EMBED_WIDTH, height=EMBED_HEIGHT)
    context = browser.new_context(viewport={"width": EMBED_WIDTH, "height": EMBED_HEIGHT}, service_workers="block")
    page = context.new_page()
    log = {"external": [], "failed": [], "errors": []}

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            log["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: log["failed"].append(f"{r.url[:120]} {r.failure}"))
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    problems = []
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function("window.__timelineReady === true", timeout=30_000)
        page.wait_for_timeout(1500)  # the first slide's and the navigation's animations
        if page.evaluate("window.__timeline.language.lang") != "de":
            problems.append("TimelineJS did not load its German locale")

        # The navigation: rendered, visible, tall enough, and inside the embed box.
        box = page.locator("#timeline-embed").bounding_box()
        nav = page.locator(".tl-timenav").first
        nav_box = nav.bounding_box() if nav.count() else None
        if nav_box is None or not nav.is_visible():
            problems.append("navigation (.tl-timenav) not rendered or not visible")
        else:
            top, bottom = nav_box["y"], nav_box["y"] + nav_box["height"]
            if nav_box["height"] < MIN_TIMENAV_PX:
                problems.append(f"navigation only {nav_box['height']:.0f} px high (< {MIN_TIMENAV_PX})")
            if top < box["y"] - 1 or bottom > box["y"] + box["height"] + 1:
                needs = page.evaluate("window.__timeline.options.timenav_height")
                problems.append(
                    f"navigation needs {needs} px and spans y {top:.0f}–{bottom:.0f} px: "
                    f"outside the {EMBED_HEIGHT} px embed, a reader sees none of it"
                )
            elif not page.eval_on_selector_all(
                ".tl-timemarker .tl-timemarker-content-container",
                "els => els.some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0"
                f" && r.top >= 0 && r.top < {EMBED_HEIGHT} && r.right > 0 && r.left < {EMBED_WIDTH}; }})",
            ):
                problems.append("no event marker visible in the navigation")

        # Slides speak German: every event slide's date is its display_date or German.
        dates = page.eval_on_selector_all(".tl-slide .tl-headline-date", "els => els.map(e => e.textContent.trim())")
        dates = [d for d in dates if d]  # the title slide has none
        display = {e.get("display_date", "").strip() for e in data["events"]} - {""}
        if not dates:
            problems.append("no slide shows a date")
        for text in dates:
            german = any(w in text for w in GERMAN_DATE_WORDS) and not any(w in text for w in ENGLISH_DATE_WORDS)
            if text not in display and not german:
                problems.append(f"slide date {text!r} is neither a display_date nor German")
                break

        # Groups: at most one row per platform of the article.
        groups = sorted({e["group"] for e in data["events"] if e.get("group")})
        if len(groups) > len(article):
            problems.append(
                f"{len(groups)} groups ({', '.join(groups[:6])}, …) for {len(article)} article platforms "
                f"({', '.join(article)})"
            )
        rendered_groups = page.locator(".tl-timegroup").count()
        if groups and rendered_groups != len(groups):
            problems.append(f"TimelineJS draws {rendered_groups} group rows for {len(groups)} groups")

        # Times: every event where its start_date says (not at midnight), the hour axis in German.
        placed = page.evaluate(
            "window.__timeline.config.events.map(e => [e.unique_id, e.start_date.data.date_obj.getHours(),"
            " e.start_date.data.date_obj.getMinutes()])"
        )
        for (uid, hour, minute), event in zip(sorted(placed), sorted(data["events"], key=lambda e: e["unique_id"])):
            want = (int(event["start_date"].get("hour", 0)), int(event["start_date"].get("minute", 0)))
            if (hour, minute) != want:
                problems.append(
                    f"event {uid} placed at {hour}:{minute:02d}, its start_date says {want[0]}:{want[1]:02d}"
                )
        ticks = page.eval_on_selector_all(
            ".tl-timeaxis .tl-timeaxis-tick-text, .tl-timeaxis .tl-timeaxis-major .tl-timeaxis-tick-text",
            "els => els.map(e => e.textContent.trim()).filter(t => t)",
        )
        english = [t for t in ticks if re.search(r"\b(AM|PM|am|pm)\b", t)]
        if english:
            problems.append(f"time axis in English: {english[:5]}")
        if any("hour" in e["start_date"] for e in data["events"]) and not any(t.endswith(" Uhr") for t in ticks):
            problems.append(f"no German hour on the time axis: {ticks[:8]}")

        # Titles fit their markers: no headline is cut ("IServ-Video: A…").
        cut = page.eval_on_selector_all(
            ".tl-timemarker .tl-timemarker-text h2.tl-headline",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)"
            ".map(e => e.textContent.trim())",
        )
        if cut:
            problems.append(f"{len(cut)} marker title(s) cut: {cut[:5]}")

        # Counts agree with the names listed: "N unabhängige Quellen:" is followed by N entries.
        counts = page.eval_on_selector_all(
            ".tl-slide .tl-text-content",
            "els => els.map(e => { const m = e.textContent.match(/(\\d+) unabhängige Quellen?:/);"
            " const ul = e.querySelector('ul.unabhaengige-quellen');"
            " return m ? [Number(m[1]), ul ? ul.querySelectorAll('li').length : -1] : null; }).filter(x => x)",
        )
        if not counts and any("unabhängige Quelle" in e["text"]["text"] for e in data["events"]):
            problems.append("no slide shows its count of independent sources")
        for said, listed in counts:
            if said != listed:
                problems.append(f"a slide says {said} unabhängige Quellen and lists {listed}")

        # Errors last: the checks above may have provoked some. Then the picture a reader gets.
        if log["external"]:
            problems.append(f"requests left the disk: {log['external'][:5]}")
        if log["failed"]:
            problems.append(f"failed requests: {log['failed'][:5]}")
        if log["errors"]:
            problems.append(f"console errors: {log['errors'][:5]}")
        page.evaluate("window.__timeline.goTo(1)")
        page.wait_for_timeout(1500)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"timelinejs-{name}.png"))
    finally:
        context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("incident", _incidents())
def test_timelinejs_renders_export_in_embed(timelinejs, browser, processed, incident):
    timeline = processed[incident] / "timeline.json"
    assert timeline.exists(), f"{incident}: timeline.json not exported"
    data = json.loads(timeline.read_text(encoding="utf-8"))
    problems = timeline_problems(browser, data, incident, _article_platforms(incident))
    assert problems == [], f"{incident} at {EMBED_WIDTH}×{EMBED_HEIGHT}:\n  " + "\n  ".join(problems)


def _generated_timeline(n_groups: int, *, long_titles: bool = False) -> dict:
    """Generated: three events per group on Monday 11 January 2021, German display_date.

    ``long_titles``: headlines that repeat the platform ("gen-plattform-00: Ereignis 0", the
    issue's "IServ-Video: A…" shape), else the short state a row's marker needs.
    """
    events = []
    for g in range(n_groups):
        for k, hour in enumerate((8, 11, 14)):
            events.append(
                {
                    "start_date": {
                        "year": "2021",
                        "month": "1",
                        "day": "11",
                        "hour": str(hour),
                        "minute": str(5 * g % 60),
                    },
                    "display_date": f"am Montag gegen {hour} Uhr" if k else "",
                    "group": f"gen-plattform-{g:02d}",
                    "text": {
                        "headline": f"gen-plattform-{g:02d}: Ereignis {k}" if long_titles else f"Ereignis {k}",
                        "text": "<p>generiert</p>",
                    },
                    "unique_id": f"gen-{g}-{k}",
                }
            )
    return {"title": {"text": {"headline": "Generiert", "text": "<p>generierte Zeitleiste</p>"}}, "events": events}


@pytest.mark.browser
def test_generated_28_groups_push_navigation_out_of_embed(browser):
    """Generated: the issue's shape (28 groups) fails the check; the navigation leaves the 650 px box."""
    article = [f"gen-plattform-{g:02d}" for g in range(7)]
    problems = timeline_problems(browser, _generated_timeline(28), "generated-28-groups", article)
    assert any("outside the 650 px embed" in p for p in problems), problems
    assert any("28 groups" in p for p in problems), problems


@pytest.mark.browser
def test_generated_long_marker_titles_are_cut(browser):
    """Generated: headlines that repeat the platform do not fit a marker; the check names them."""
    article = [f"gen-plattform-{g:02d}" for g in range(7)]
    problems = timeline_problems(browser, _generated_timeline(7, long_titles=True), "generated-long-titles", article)
    assert any("marker title(s) cut" in p and "gen-plattform-00: Ereignis 0" in p for p in problems), problems


def _generated_count_mismatch() -> dict:
    """Generated: a slide that says "3 unabhängige Quellen" and lists two (the issue's 17 against 19 shape)."""
    data = _generated_timeline(1)
    data["events"][0]["text"]["text"] = (
        '<p>3 unabhängige Quellen:</p><ul class="unabhaengige-quellen"><li>Gen-Zeitung</li><li>Gen-Radio</li></ul>'
    )
    return data


@pytest.mark.browser
def test_generated_count_that_disagrees_with_the_list_fails(browser):
    problems = timeline_problems(browser, _generated_count_mismatch(), "generated-count", ["gen-plattform-00"])
    assert "a slide says 3 unabhängige Quellen and lists 2" in problems, problems


@pytest.mark.browser
def test_generated_english_locale_shows_english_hours(browser, tmp_path):
    """Generated: with TimelineJS's own locale instead of the package's, the hour axis is not German."""
    data = _generated_timeline(1)
    shipped = json.loads((TL_DIST / "js" / "locale" / "de.json").read_text(encoding="utf-8"))
    page_file = timeline_page(
        data, tmp_path / "shipped-de.html", width=EMBED_WIDTH, height=EMBED_HEIGHT, locale=shipped
    )
    context = browser.new_context(viewport={"width": EMBED_WIDTH, "height": EMBED_HEIGHT}, service_workers="block")
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file://", "data:")) else r.abort())
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function("window.__timelineReady === true", timeout=30_000)
        page.wait_for_timeout(1000)
        ticks = page.eval_on_selector_all(".tl-timeaxis .tl-timeaxis-tick-text", "els => els.map(e => e.textContent)")
    finally:
        context.close()
    assert any(re.search(r"\b(AM|PM)\b", t) for t in ticks), ticks


@pytest.mark.browser
def test_generated_7_groups_fit_embed(browser):
    """Generated: seven groups (one per article platform) pass every check, German dates included."""
    article = [f"gen-plattform-{g:02d}" for g in range(7)]
    assert timeline_problems(browser, _generated_timeline(7), "generated-7-groups", article) == []
