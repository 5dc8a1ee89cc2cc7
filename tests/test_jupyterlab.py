"""The editors' workbench in a real JupyterLab: every notebook runs and every chart is drawn, offline.

Starts JupyterLab from .venv on 127.0.0.1 (random port, a token) over a temporary tree that holds
copies of the notebooks and an incident processed from its raw tables, opens every notebook in
Debian's Chromium (Playwright), runs all cells and checks, per notebook: every chart output is drawn
with its marks (an SVG whose mark groups hold items), no output is the ``<Grafik: …>`` text
stand-in, no cell failed, and no request of the page left 127.0.0.1 (outside requests are also
refused). Screenshots of every notebook and every chart go to ``build/screenshots/jupyterlab/``.

Needs Debian's chromium (``/usr/bin/chromium``) and Python playwright; without them the test skips
locally and FAILS when ``CI=true``.
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from test_browser import ARGS, CHROMIUM, require

from incident import config
from incident.config import ROOT

pytestmark = pytest.mark.browser

INCIDENT = "schulstart-2021"
SCREENSHOTS = ROOT / "build" / "screenshots" / "jupyterlab"
#: Drawn items of a chart: children of Vega's mark groups (axes, legends and titles are not marks).
MARK_ITEMS = "svg.marks g.role-mark > *"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _charts_shown(notebook: Path) -> int:
    """Code cells of a notebook whose last line shows a chart (a name ending in ``_chart``)."""
    n = 0
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        last = ast.parse(cell.source).body[-1]
        n += isinstance(last, ast.Expr) and isinstance(last.value, ast.Name) and last.value.id.endswith("_chart")
    return n


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require(CHROMIUM.exists(), f"Debian chromium not installed at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is pinned in requirements.lock
        require(False, "python playwright not installed")
    home = tmp_path_factory.mktemp("lab")
    paths = config.paths(INCIDENT, home=home)
    shutil.copytree(config.paths(INCIDENT).raw, paths.raw)
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    env = {k: v for k, v in os.environ.items() if k not in ("INCIDENT_PUBLISH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env.update(INCIDENT=INCIDENT, INCIDENT_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-m", "incident", "process", "--incident", INCIDENT], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # Jupyter's state in the temporary tree; the user's and .venv's settings stay untouched
    for name, sub in (("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_RUNTIME_DIR", "rt"), ("IPYTHONDIR", "ipy")):
        env[name] = str(home / ".jupyter" / sub)
    env["JUPYTER_DATA_DIR"] = str(Path(sys.prefix) / "share" / "jupyter")
    settings = Path(env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings" / "@jupyterlab"
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port, token = _free_port(), secrets.token_hex(16)
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={home}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ],
        env=env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (home / "lab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield {"base": base, "token": token, "home": home, "paths": paths}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


#: Per output of the open notebook: its mimetype, its text, and for a chart the drawn mark items.
OUTPUTS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return Array.from(panel.querySelectorAll('.jp-OutputArea-output')).map(o => ({
    mime: o.getAttribute('data-mime-type') || '',
    text: (o.innerText || '').slice(0, 300),
    embed: !!o.querySelector('.vega-embed'),
    svg: o.querySelectorAll(".vega-embed svg.marks").length,
    marks: o.querySelectorAll('.vega-embed ' + arguments[0]).length,
  }));
}"""


def test_every_notebook_runs_in_jupyterlab_with_every_chart_drawn_offline(lab):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    notebooks = sorted((lab["home"] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert len(notebooks) >= 5
    outside: list[str] = []
    errors: list[str] = []
    local = (lab["base"] + "/", lab["base"].replace("http://", "ws://") + "/", "blob:", "data:")
    report = {}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, service_workers="block")
        page = context.new_page()

        def route(r):
            if r.request.url.startswith(local):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
        page.on("websocket", lambda ws: None if ws.url.startswith(local) else outside.append(ws.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        # JupyterLab loads once; each notebook is opened in it as an editor would (File → Open)
        page.goto(f"{lab['base']}/lab?token={lab['token']}&reset")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined", timeout=90_000)
        page.evaluate("() => window.jupyterapp.started")
        for nb in notebooks:
            try:
                expected = _charts_shown(nb)
                t0 = time.monotonic()
                page.evaluate(
                    "(path) => window.jupyterapp.commands.execute('docmanager:open', {path}).then(() => null)",
                    f"notebooks/{nb.name}",
                )
                page.wait_for_function(
                    "(name) => window.jupyterapp.shell.currentWidget"
                    " && window.jupyterapp.shell.currentWidget.context"
                    " && window.jupyterapp.shell.currentWidget.context.path.endsWith(name)"
                    " && window.jupyterapp.shell.currentWidget.sessionContext"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.connectionStatus"
                    " === 'connected'",
                    arg=nb.name,
                    timeout=90_000,
                )
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => null)")
                # every code cell has run (an execution count) and the kernel went idle again
                page.wait_for_function(
                    """() => {
                      const w = window.jupyterapp.shell.currentWidget;
                      const cells = w.content.model.cells;
                      let all = true;
                      for (let i = 0; i < cells.length; i++) {
                        const c = cells.get(i);
                        if (c.type === 'code' && c.sharedModel.getSource().trim() && !c.executionCount) all = false;
                      }
                      return all && w.sessionContext.session.kernel.status === 'idle';
                    }""",
                    timeout=120_000,
                )
                charts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .vega-embed")
                for i in range(charts.count()):
                    charts.nth(i).scroll_into_view_if_needed()
                    page.wait_for_function(
                        "([i, sel]) => { const e = document.querySelectorAll("
                        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .vega-embed')[i];"
                        " return e && e.querySelectorAll(sel).length > 0; }",
                        arg=[i, MARK_ITEMS],
                        timeout=60_000,
                    )
                    charts.nth(i).screenshot(path=str(SCREENSHOTS / f"{nb.stem}-chart-{i + 1}.png"))
                outputs = page.evaluate(OUTPUTS.replace("arguments[0]", json.dumps(MARK_ITEMS)))
                page.screenshot(path=str(SCREENSHOTS / f"{nb.stem}.png"))
                report[nb.name] = outputs
                drawn = [o for o in outputs if o["embed"]]
                assert len(drawn) == expected, f"{nb.name}: {len(drawn)} chart(s) drawn, {expected} shown by its cells"
                for o in drawn:
                    assert o["svg"] == 1 and o["marks"] > 0, f"{nb.name}: a chart without marks: {o}"
                stand_ins = [o["text"] for o in outputs if o["text"].lstrip().startswith("<Grafik")]
                assert not stand_ins, f"{nb.name}: charts shown as text: {stand_ins}"
                failed = [o["text"] for o in outputs if "error" in o["mime"] or "Traceback" in o["text"]]
                assert not failed, f"{nb.name}: failing cells: {failed}"
                # close it as an editor would, without saving (its outputs stay out of the notebook)
                page.evaluate(
                    """async () => {
                      const w = window.jupyterapp.shell.currentWidget;
                      w.context.model.dirty = false;
                      await w.sessionContext.shutdown();
                      w.dispose();
                    }"""
                )
                print(f"{nb.name}: {len(drawn)} chart(s) drawn in {time.monotonic() - t0:.1f} s")
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / f"{nb.stem}-failed.png"))
                raise
        browser.close()
    assert sum(len([o for o in v if o["embed"]]) for v in report.values()) >= 4, report
    assert outside == [], f"requests left 127.0.0.1: {sorted(set(outside))[:10]}"
    assert not [e for e in errors if "vega" in e.lower() or "chart" in e.lower()], errors
    # the editors' runs wrote to scratch, never to what the site publishes
    assert not lab["paths"].exhibits.exists()
    assert list(lab["paths"].scratch.rglob("1-ablauf.csv"))


def test_the_lab_renderer_is_offline_and_keeps_the_spec_for_the_site():
    """Without a browser: the widget's JavaScript imports nothing from a server, the spec stays in the output."""
    import re

    import altair as alt

    from incident.publish import charts, labchart

    bundle = labchart.offline_bundle()
    assert "vegaEmbed" in bundle or "vega-embed" in bundle
    assert not re.search(r"""(import|from)\s*\(?\s*["']https?://""", bundle), "the widget would load from a CDN"
    spec = {
        "$schema": alt.SCHEMA_URL,
        "data": {"values": [{"a": 1}]},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
        "width": "container",
        "usermeta": {"headline": "Kopf"},
    }
    out = labchart._lab_renderer(spec)
    assert out[charts.VEGALITE_MIME] == spec, "nbconvert and the site read the spec as before"
    assert "application/vnd.jupyter.widget-view+json" in out
    assert alt.JupyterChart._esm == bundle
    from ipywidgets.widgets.widget import _instances

    widget = _instances[out["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert widget.spec["width"] == labchart.LAB_WIDTH, "a container width draws 0 px wide in JupyterLab"
    assert widget.embed_options["renderer"] == "svg" and not widget.embed_options["actions"]["editor"]
    assert out["text/plain"] == "<Grafik: Kopf>"
