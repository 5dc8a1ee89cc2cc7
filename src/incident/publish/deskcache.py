"""Desk pages exported once per executed notebook: nbconvert's work, kept until what it reads changes.

Exporting the six desk pages with nbconvert is most of a site build (about 2 s of 3 s). A
page's body depends only on:

* the executed notebook (its bytes);
* which published exhibit each of its charts is (a chart equal to an exhibit links to the
  exhibit's files and shows its SVG; see :class:`incident.publish.site.Charts`);
* the code that renders it (every Python file and template of the package) and the versions of
  the libraries it runs through.

So :func:`export` keeps each body with the hash of all of these under
``build/<incident>/.cache/desk/<notebook>.json``, together with the fallback SVGs the export
wrote into the site, and reuses it while the hash is the same. A changed headline, which the
site shows on the article page and on its notebook's desk page, re-exports that one page.
tests/test_site.py checks that a page from the cache is byte for byte the exported page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path

import nbformat
from markupsafe import Markup

from incident import atomic
from incident.errors import OutputError

PACKAGE = Path(__file__).resolve().parents[1]
#: Libraries a desk page runs through; a new version of any re-exports every page.
LIBRARIES = ("nbconvert", "nbformat", "mistune", "jinja2", "markupsafe", "beautifulsoup4", "vl-convert-python")
#: Bumped when the cache entry's form changes.
FORM = 1


@cache
def code_version() -> str:
    """A hash of the package's Python files and templates, and of the libraries' versions."""
    h = hashlib.sha256(f"form {FORM}\n".encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".css", ".js")):
        h.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}=={metadata.version(lib)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} absent\n".encode())
    return h.hexdigest()


def key(executed: Path, matches: list[str | None]) -> str:
    """The cache key of one desk page: notebook bytes, the exhibit each chart is, the code."""
    h = hashlib.sha256(executed.read_bytes())
    h.update(json.dumps(matches).encode())
    h.update(code_version().encode())
    return h.hexdigest()


def export(
    executed: Path,
    notebook: nbformat.NotebookNode,
    charts,
    *,
    folder: Path,
    exporter: Callable[[nbformat.NotebookNode, object], Markup],
) -> Markup:
    """The desk page body of ``executed``: from the cache when its key is unchanged, else exported.

    Args:
        executed: The executed notebook's file.
        notebook: Its content, read.
        charts: The page's :class:`~incident.publish.site.Charts` (its count and the fallback SVGs it
            writes are restored on a cache hit).
        folder: The cache folder (``build/<incident>/.cache/desk``).
        exporter: The export (:func:`incident.publish.site.export_notebook`).
    """
    entry = folder / f"{executed.stem}.json"
    wanted = key(executed, charts.matches(notebook))
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
        if cached.get("key") == wanted:
            for name, text in cached["files"].items():
                atomic.write_text(charts.site / name, text)
                charts.written[name] = text
            charts.count = int(cached["count"])
            return Markup(cached["body"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no entry, or an unreadable one: export
    body = exporter(notebook, charts)
    with contextlib.suppress(OSError, OutputError):  # a read-only build folder only costs the export again
        atomic.write_text(
            entry,
            json.dumps({"key": wanted, "count": charts.count, "files": charts.written, "body": str(body)}),
        )
    return body
