"""Charts in JupyterLab, offline: the Vega-Lite spec drawn by Altair's ``JupyterChart`` widget.

JupyterLab 4 ships Vega-Lite renderers for v3 to v5 only; an Altair 6 chart's
``application/vnd.vegalite.v6+json`` output shows there as its plain-text stand-in. An
editor's session (:func:`incident.notebook.session` outside a report run) therefore enables
the ``incident-lab`` renderer registered here: each chart becomes a ``JupyterChart`` widget
(anywidget, whose JupyterLab extension ships inside its wheel) whose JavaScript is
vl-convert's bundle of vega, vega-lite and vega-embed, so nothing is fetched from a CDN.

The output keeps the Vega-Lite spec beside the widget, under the same mimetype as a report
run's output, so an executed scratch notebook still carries the chart for nbconvert and the
site's notebook pages. Building the bundle takes seconds; it is cached per vl-convert,
Vega-Lite and Altair version under the environment's ``share/incident/`` (or recomputed when
that folder cannot be written).
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from pathlib import Path
from typing import Any

import altair as alt

from incident import atomic
from incident.errors import OutputError
from incident.publish import charts

#: Name of the renderer (``alt.renderers.enable(RENDERER)``).
RENDERER = "incident-lab"

#: Width of a chart in a notebook, in pixels (that of the static SVG version).
LAB_WIDTH = charts.SVG_WIDTH

#: vega-embed options of a chart in JupyterLab: SVG (readable, searchable marks), the German
#: number and time formats of the site, and an export menu without links to online editors.
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "formatLocale": charts.FORMAT_LOCALE,
    "timeFormatLocale": charts.TIME_FORMAT_LOCALE,
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def _widget_source() -> str:
    """Altair's widget module without its CDN imports (the names come from vl-convert's bundle)."""
    from altair.jupyter.jupyter_chart import load_js_src

    lines = load_js_src().split("\n")
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    return "\n".join(lines)


def _cache_folder() -> Path:
    return Path(sys.prefix) / "share" / "incident"


def offline_bundle() -> str:
    """The widget's JavaScript with vega, vega-lite and vega-embed inlined (no network at run time)."""
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    source = _widget_source()
    version = vl_version_for_vl_convert()
    key = hashlib.sha256(f"{vlc.__version__}|{version}|{alt.__version__}|{source}".encode()).hexdigest()[:16]
    cached = _cache_folder() / f"jupyterchart-{key}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(source, vl_version=version)
    with contextlib.suppress(OutputError):  # a read-only environment: the next kernel builds it again
        atomic.write_text(cached, bundle)
    return bundle


def enable_offline() -> None:
    """Point every ``JupyterChart`` at the offline bundle (what Altair's ``enable_offline`` does, cached)."""
    if not getattr(alt.JupyterChart, "_incident_offline", False):
        alt.JupyterChart._esm = offline_bundle()
        alt.JupyterChart._is_offline = True
        alt.JupyterChart._incident_offline = True


def _lab_renderer(spec: dict, **metadata: Any) -> dict[str, Any]:
    """The widget's view, the Vega-Lite spec (for nbconvert and the site) and the plain-text stand-in."""
    enable_offline()
    widget = alt.JupyterChart(chart=None, embed_options=EMBED_OPTIONS)
    # a fixed width: the widget's box shrinks to its content, so "container" would draw 0 px wide
    widget.spec = charts.fit_width(spec, LAB_WIDTH)  # no round trip through Altair's classes
    bundle = widget._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    return {**data, **charts._mimetype_renderer(spec)}


alt.renderers.register(RENDERER, _lab_renderer)
