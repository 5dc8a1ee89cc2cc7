"""Exhibits: a chart's spec, its data and its static SVG fallback, byte-identical on every run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from incident import atomic
from incident.errors import ChartError
from incident.publish.charts.house import SVG_WIDTH, VEGA_MIMES, VL_VERSION, fit_width

# -------------------------------------------------------------------------- exhibits


def spec_json(spec: dict[str, Any]) -> str:
    """Serialise a spec deterministically (sorted keys, two-space indent, final newline)."""
    return json.dumps(spec, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def chart_key(spec: Mapping[str, Any]) -> str:
    """A chart's identity: its spec without the exhibit name :func:`save_exhibit` adds, serialised.

    A notebook's chart output and the exhibit it saved have the same key.
    """
    bare = json.loads(json.dumps(spec))
    if isinstance(bare.get("usermeta"), dict):
        bare["usermeta"].pop("exhibit", None)
    return json.dumps(bare, sort_keys=True)


def chart_outputs(notebook) -> Iterator[tuple[dict, str, dict]]:
    """Each chart output of a notebook: its data bundle, its Vega-Lite mimetype and its spec (parsed)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            mime = next((m for m in VEGA_MIMES if m in data), None)
            if mime is not None:
                yield data, mime, json.loads(data[mime]) if isinstance(data[mime], str) else data[mime]


def render_svg(spec: dict[str, Any], *, width: int = SVG_WIDTH) -> str:
    """Render the static SVG fallback of a spec offline with the de-DE locale.

    Args:
        spec: Vega-Lite spec, sized for ``width`` by :func:`fit_width`.
        width: Pixel width of the fallback.

    Returns:
        SVG text.
    """
    fixed = fit_width(spec, width)
    svg = vlc.vegalite_to_svg(fixed, vl_version=VL_VERSION, format_locale="de-DE", time_format_locale="de-DE")
    return _stable_ids(svg)


def _stable_ids(svg: str) -> str:
    """Renumber the SVG's element ids in order of appearance.

    Vega numbers gradients and clip paths with a counter that lives as long as the
    renderer process, so the same chart gets ``gradient_0`` or ``gradient_3`` depending
    on what was rendered before; renumbering makes the file depend on the chart only.
    """
    ids = list(dict.fromkeys(re.findall(r'\sid="([^"]+)"', svg)))
    mapping = {old: f"x{index}-{re.sub(r'[^a-z]+', '', old.lower())[:12]}" for index, old in enumerate(ids)}
    if not mapping:
        return svg
    pattern = re.compile(r'(\sid="|url\(#|href="#)(' + "|".join(re.escape(i) for i in ids) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


def save_exhibit(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, *, folder: Path) -> dict[str, Path]:
    """Write a chart's spec, data and SVG fallback to ``paths.exhibits``.

    Writes ``<name>.vl.json`` (sorted keys), ``<name>.csv`` (the chart's input, LF
    line ends) and ``<name>.svg`` (rendered offline). The output is byte-identical
    across runs: no timestamps, no random ids.

    Args:
        chart: The chart returned by a chart function.
        data: The frame the chart was built from.
        name: Exhibit name (``[a-z0-9-]+``).
        folder: Where the exhibit goes (``paths.exhibits`` for a ``make report`` run; a
            scratch folder for an editor's run, see :mod:`incident.notebook`).

    Returns:
        The written files by kind (``'spec'``, ``'csv'``, ``'svg'``).
    """
    if not name or not all(c.isascii() and (c.isalnum() or c == "-") for c in name) or name != name.lower():
        raise ChartError(f"exhibit name {name!r} must be lowercase ASCII letters, digits and '-'")
    spec = chart.to_dict()
    spec.setdefault("usermeta", {})["exhibit"] = name
    folder = Path(folder)
    files = {"spec": folder / f"{name}.vl.json", "csv": folder / f"{name}.csv", "svg": folder / f"{name}.svg"}
    atomic.write_text(files["csv"], data.to_csv(index=False, lineterminator="\n"))
    atomic.write_text(files["svg"], render_svg(spec))
    atomic.write_text(files["spec"], spec_json(spec))  # last: the site looks for specs
    return files
