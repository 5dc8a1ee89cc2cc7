"""What each step of a report reads from the incident descriptor, as one hash per step.

``make report`` used to treat ``incident.yaml`` as an input of everything: a new chart headline
re-ran the processing and every notebook. The descriptor holds two kinds of content:

* what the **processing** reads (window, zone, day hours, platforms with their German names,
  witnesses, quantities with their labels, anchors, labels, title): the processed tables and
  the newsroom exports (Datawrapper, TimelineJS) are made from it;
* what only the **charts** read: the ``exhibits`` block (each chart's headline and inputs) and
  the quantities' ``short`` axis labels. Processing never reads them (see :data:`CHART_ONLY`).

``python -m incident.fingerprint --out FOLDER NOTEBOOK…`` writes one small file per step into
``FOLDER`` (``build/<incident>/.descriptor/``), each holding the hash of the part that step
reads, and rewrites a file only when its hash changed (make compares the files' times):

* ``process``: the descriptor without the chart-only parts;
* ``nb-<notebook>``: the chart-only parts a notebook reads — the ``short`` labels when its code
  names a function that reads them (:data:`SHORT_READERS`), and the ``exhibits`` entries its
  code names by a literal (``s.headline("1-ablauf", …)``,
  ``save_exhibit(…, "1-ablauf", …)``); a notebook that reads the ``exhibits`` block another
  way depends on all of it. Everything else a notebook reads reaches it through the processing;
* ``site``: the whole descriptor (the site shows title, names and headlines).

So a changed headline makes the notebook that draws that chart due, and the site, nothing else
(and the notebook is not even run when the headline can be written into its executed copy, see
:mod:`incident.retitle`); a changed ``short`` label makes the notebooks that draw figures due.
A descriptor that cannot be read safely (not YAML, an alias, too large) is hashed as bytes into
every file: every step re-runs, and the steps name the problem.

Only the standard library and PyYAML are imported: make runs this on every descriptor change.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import sys
from pathlib import Path

import yaml

#: The descriptor's parts that only charts read (processing never does): the ``exhibits``
#: block and each quantity's ``short`` label. Checked by tests/test_fingerprint.py against the
#: processed tables of a descriptor whose chart-only parts were changed.
CHART_ONLY = ("exhibits", "quantities[].short")

#: Largest descriptor read (the loader's own limit is the same).
MAX_BYTES = 1_000_000
MAX_DEPTH = 20


class _Loader(yaml.SafeLoader):
    """Safe YAML without aliases and without deep nesting (anything else: hashed as bytes)."""

    def compose_node(self, parent, index):
        if isinstance(self.peek_event(), yaml.AliasEvent):
            raise yaml.YAMLError("alias")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.YAMLError("too deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(path: Path) -> dict | None:
    """The descriptor as a mapping, or ``None`` when it cannot be read safely."""
    try:
        data = path.read_bytes()
        if len(data) > MAX_BYTES:
            return None
        doc = yaml.load(data.decode("utf-8"), Loader=_Loader)  # a SafeLoader, stricter
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def processing_part(doc: dict) -> dict:
    """The descriptor without its chart-only parts (:data:`CHART_ONLY`)."""
    out = {k: v for k, v in doc.items() if k != "exhibits"}
    if isinstance(out.get("quantities"), list):
        out["quantities"] = [
            {k: v for k, v in q.items() if k != "short"} if isinstance(q, dict) else q for q in out["quantities"]
        ]
    return out


#: The package's functions that read a quantity's ``short`` label (tests/test_rerender.py checks
#: every ``.short`` in the package against this list): only a notebook whose code names one of
#: them depends on the labels.
SHORT_READERS = ("quantity_data",)
#: Names through which code may reach anything: a notebook naming one may read every chart-only part.
DYNAMIC = ("getattr", "vars", "eval", "exec")


def chart_part(doc: dict, exhibits: list[str] | None, *, short: bool = True) -> dict:
    """The chart-only parts a notebook reads: the named exhibits (``None``: all), and the
    ``short`` labels when ``short``."""
    quantities = doc.get("quantities")
    labels = (
        [q.get("short") if isinstance(q, dict) else None for q in quantities] if isinstance(quantities, list) else []
    )
    out: dict = {"short": labels} if short else {}
    block = doc.get("exhibits")
    if not isinstance(block, dict) or exhibits is None:
        return {**out, "exhibits": block}
    return {**out, "exhibits": {name: block.get(name) for name in sorted(exhibits)}}


def notebook_part(doc: dict, notebook: Path) -> dict:
    """What of the chart-only parts ``notebook`` reads (:func:`chart_part` for its code)."""
    block = doc.get("exhibits")
    names = sorted(str(k) for k in block) if isinstance(block, dict) else []
    trees = _code(Path(notebook))
    return chart_part(doc, named_exhibits(notebook, names, trees=trees), short=reads_short(trees))


def _code(notebook: Path) -> list[ast.AST] | None:
    """The parsed code cells of a notebook (magics left out); ``None`` when any is not Python."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    trees = []
    for source in sources:
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            trees.append(ast.parse("\n".join(lines)))
        except SyntaxError:
            return None
    return trees


def reads_short(trees: list[ast.AST] | None) -> bool:
    """Whether code may read the ``short`` labels: it names a :data:`SHORT_READERS` function (or is unknown)."""
    if trees is None:
        return True
    for tree in trees:
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr in SHORT_READERS) or (
                isinstance(node, ast.Name) and node.id in (*SHORT_READERS, *DYNAMIC)
            ):
                return True
    return False


def named_exhibits(notebook: Path, names: list[str], *, trees: list[ast.AST] | None = None) -> list[str] | None:
    """The exhibit names a notebook's code names as string literals; ``None`` when it may read any.

    A notebook reads the ``exhibits`` block of the descriptor through
    :meth:`incident.notebook.Session.headline` and ``exhibit_quantities``, each given the name as
    a literal. Code that reaches ``….exhibits`` on anything but the ``exhibits`` module, or code
    that is not Python, may read every entry.
    """
    trees = _code(Path(notebook)) if trees is None else trees
    if trees is None:
        return None
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                found.add(node.value)
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "exhibits"
                and not (isinstance(node.value, ast.Name) and node.value.id == "exhibits")
            ):
                return None  # e.g. s.incident.exhibits: any entry
            elif isinstance(node, ast.Name) and node.id in DYNAMIC:
                return None
    return sorted(found)


def parts(descriptor: Path, notebooks: list[Path]) -> dict[str, str]:
    """``{file name: hash}``: ``process``, ``site`` and one ``nb-<stem>`` per notebook."""
    doc = read(descriptor)
    if doc is None:
        try:
            raw = hashlib.sha256(descriptor.read_bytes()).hexdigest()
        except OSError:
            raw = "missing"
        return {"process": raw, "site": raw, **{f"nb-{Path(nb).stem}": raw for nb in notebooks}}
    out = {"process": _digest(processing_part(doc)), "site": _digest(doc)}
    for nb in notebooks:
        out[f"nb-{Path(nb).stem}"] = _digest(notebook_part(doc, Path(nb)))
    return out


def write(folder: Path, hashes: dict[str, str]) -> list[str]:
    """Write each hash to its file when it changed (atomically); return the names rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, value in sorted(hashes.items()):
        target = folder / name
        try:
            if target.read_text(encoding="utf-8").strip() == value:
                continue
        except OSError:
            pass
        tmp = folder / f".{name}.partial-{os.getpid()}"
        tmp.write_text(value + "\n", encoding="utf-8")
        os.replace(tmp, target)
        changed.append(name)
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m incident.fingerprint --descriptor FILE --out FOLDER NOTEBOOK…``."""
    ap = argparse.ArgumentParser(prog="python -m incident.fingerprint", description=__doc__.splitlines()[0])
    ap.add_argument("--descriptor", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("notebooks", nargs="*", type=Path)
    args = ap.parse_args(argv)
    try:
        write(args.out, parts(args.descriptor, args.notebooks))
    except OSError as exc:
        print(f"fingerprint: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
