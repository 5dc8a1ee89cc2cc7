"""Open every page of the published site and of two fixture sites from file:// in headless Chromium, offline.

Asserts: every chart rendered marks, no request left file://, no console errors, and
on the hostile incident no payload ran while its text is visible. Screenshots of every
page at 360 px and 700 px go to ``build/screenshots/`` for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.sitekit import make_home
from incident import config, repro
from incident.config import ROOT
from incident.publish.site import build_site

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MARKS = (
    ".chart-live svg .mark-rect path, .chart-live svg .mark-symbol path, .chart-live svg .mark-line path, "
    ".chart-live svg .mark-rule line, .chart-live svg .mark-text text"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=["fixture-2021", "hostile-2021", "schulstart-2021"])
def site(request, tmp_path_factory):
    home = tmp_path_factory.mktemp(request.param)
    if request.param == "schulstart-2021":
        # the published incident, built by the real pipeline (`make report`) in a temporary tree
        result = repro.build_clean(request.param, home)
        assert result.returncode == 0, result.stdout + result.stderr
        return request.param, config.paths(request.param, home=home).site
    paths = make_home(home, request.param)
    return request.param, build_site(paths, docs_dir=None)


def _open(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    page = context.new_page()
    log = {"external": [], "errors": [], "dialogs": []}

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            log["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))

    def on_dialog(dialog):
        log["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart')).every(c => c.hasAttribute('data-rendered'))",
        timeout=30_000,
    )
    return context, page, log


@pytest.mark.parametrize("width", [360, 700])
def test_every_page_renders_offline(browser, site, width):
    incident, folder = site
    pages = sorted(folder.glob("*.html"))
    first = "01-sources" if incident == "schulstart-2021" else "01-ablauf"
    assert {p.name for p in pages} >= {"index.html", f"{first}.html", f"{first}.code.html"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page_file in pages:
        context, page, log = _open(browser, page_file.as_uri(), width)
        try:
            charts = page.query_selector_all(".chart")
            if page_file.name == "index.html":
                assert len(charts) == 6
            for chart in charts:
                assert chart.get_attribute("data-rendered") == "true", f"{page_file.name}: chart failed"
                assert chart.query_selector_all(MARKS), f"{page_file.name}: chart without marks"
                live = chart.query_selector(".chart-live svg")
                box = live.bounding_box()
                assert box is not None and 0 < box["width"] <= width, f"{page_file.name}: chart overflows {width}px"
                # The static fallback (inside <noscript>) is not loaded when the live chart runs.
                assert chart.query_selector("img.chart-fallback") is None
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{page_file.name}: page scrolls sideways at {width}px"
            # vega's scenegraph really holds items for every chart.
            counts = page.evaluate(
                "Object.values(window.__views || {}).map(v => v.scenegraph().root.items[0].items.length)"
            )
            assert len(counts) == len(charts) and all(n > 0 for n in counts)
            assert log["external"] == [], f"{page_file.name}: requests left file://: {log['external']}"
            assert log["errors"] == [], f"{page_file.name}: console errors {log['errors']}"
            assert log["dialogs"] == []
            assert page.evaluate("typeof window.__pwned") == "undefined"
            page.screenshot(path=str(SCREENSHOTS / f"{incident}-{page_file.stem}-{width}.png"), full_page=True)
        finally:
            context.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    return build_site(make_home(tmp_path_factory.mktemp("hostile"), "hostile-2021"), docs_dir=None)


def test_hostile_payloads_stay_text(browser, hostile_site):
    incident, folder = "hostile-2021", hostile_site
    context, page, log = _open(browser, (folder / "index.html").as_uri(), 700)
    try:
        # Headline, fact label and the javascript: URL are visible as text, not markup.
        for text in (
            '<script>window.__pwned="headline"</script>IServ bricht zusammen',
            '<script>window.__pwned="fact"</script>Anfragen um 8 Uhr',
            "javascript:window.__pwned='url'",
        ):
            assert page.get_by_text(text, exact=False).first.is_visible(), text
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.locator("main script:not([type='application/json'])").count() == 0
        assert page.locator("main img:not(.chart-fallback)").count() == 0
        # Hover every mark of the sequence chart so the tooltip shows the hostile quote.
        chart = page.locator(".chart").first
        chart.scroll_into_view_if_needed()
        shown = []
        for path in chart.locator(".mark-rect path").all():
            path.hover(force=True)
            page.wait_for_timeout(80)
            tooltip = page.locator("#vg-tooltip-element")
            if tooltip.count() and tooltip.is_visible():
                shown.append(tooltip.inner_text())
        assert any("<img src=x" in text for text in shown), shown
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert log["dialogs"] == [] and log["external"] == []
        page.screenshot(path=str(SCREENSHOTS / f"{incident}-tooltip.png"))
    finally:
        context.close()
    for name in ("01-ablauf.html", "01-ablauf.code.html", "02-zahlen.html", "02-zahlen.code.html"):
        context, page, log = _open(browser, (folder / name).as_uri(), 700)
        try:
            assert page.evaluate("typeof window.__pwned") == "undefined", name
            assert page.locator("a[href^='javascript']").count() == 0
            if name.startswith("01"):
                assert page.get_by_text("<script>window.__pwned='md-script'</script>", exact=False).first.is_visible()
            else:
                assert page.get_by_text("Zelle", exact=True).first.is_visible()
                assert page.get_by_text("<script>window.__pwned='plain'</script>", exact=False).first.is_visible()
            assert log["dialogs"] == [] and log["external"] == []
        finally:
            context.close()


def test_screenshots_kept_out_of_site(site):
    _, folder = site
    assert not any(p.suffix == ".png" for p in folder.rglob("*"))


def test_svg_fallback_without_javascript(browser, site):
    incident, folder = site
    context = browser.new_context(viewport={"width": 360, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        external = []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                   else (external.append(r.request.url), r.abort()))
        page.goto((folder / "index.html").as_uri())
        images = page.locator(".chart img.chart-fallback")
        assert images.count() == 6
        for index in range(6):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            assert image.is_visible()
            assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
            box = image.bounding_box()
            assert box["width"] <= 360
        assert external == []
        page.screenshot(path=str(SCREENSHOTS / f"{incident}-index-nojs-360.png"))
    finally:
        context.close()
