"""Notebook hygiene, run by `make test`: thin notebooks, committed without outputs.

Each notebook in the given folder must have: a first Markdown cell with an H1 title and a
sentence of purpose; a first code cell tagged ``parameters`` that sets each of its parameters
(``incident``, ``platforms`` and, where the notebook takes it, ``days``) to ``None`` and nothing
else (a value saved from JupyterLab would otherwise be the notebook's default); a Markdown cell
before every code cell; sections Laden / Analyse / Export; no outputs or execution counts; no ``def`` or
``class``; no absolute paths or ``../data``. Exit 1 listing every violation.

Usage: python tools/check_notebooks.py notebooks/
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

SECTIONS = ("## Laden", "## Analyse", "## Export")
#: Parameters a notebook may declare (as incident.notebook.PARAMETERS), and those every notebook declares.
PARAMETERS = ("incident", "platforms", "days", "text")
REQUIRED = ("incident", "platforms")


def parameter_problems(source: str) -> list[str]:
    """What is wrong with a parameters cell: anything but ``name = None`` for known names."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"the parameters cell is not Python ({exc.msg})"]
    out, names = [], []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            out.append(f"the parameters cell may only set parameters to None (line {node.lineno})")
            continue
        name = node.targets[0].id
        names.append(name)
        if name not in PARAMETERS:
            out.append(f"the parameters cell sets {name!r}, which is no parameter ({', '.join(PARAMETERS)})")
        elif not (isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append(
                f"the parameters cell saves {name} = {ast.unparse(node.value)[:60]}; committed parameters are None "
                "(the descriptor's defaults); run other values with papermill or in JupyterLab without saving"
            )
    out += [f"the parameters cell does not declare {name!r}" for name in REQUIRED if name not in names]
    return out


def problems(path: Path) -> list[str]:
    """Every hygiene violation of one notebook, as readable lines."""
    out = []
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown" or not re.match(r"#\s+\S", cells[0].source):
        out.append("the first cell must be Markdown with an H1 title")
    elif len([ln for ln in cells[0].source.splitlines() if ln.strip() and not ln.startswith("#")]) < 1:
        out.append("the title cell needs one sentence of purpose")
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    if not code or "parameters" not in cells[code[0]].metadata.get("tags", []):
        out.append("the first code cell must be the parameters cell (tag 'parameters')")
    else:
        out += parameter_problems(cells[code[0]].source)
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for section in SECTIONS:
        if not re.search(rf"(?m)^{re.escape(section)}\b", text):
            out.append(f"missing section {section!r}")
    for i in code:
        cell = cells[i]
        if (i == 0 or cells[i - 1].cell_type != "markdown") and i != (code[0] if code else -1):
            out.append(f"code cell {i + 1} has no sentence (Markdown cell) before it")
        if cell.get("outputs"):
            out.append(f"code cell {i + 1} is committed with outputs")
        if cell.get("execution_count") is not None:
            out.append(f"code cell {i + 1} has an execution count")
        if re.search(r"(?m)^\s*(def|class|async\s+def)\s", cell.source):
            out.append(f"code cell {i + 1} defines a function or class; logic belongs in src/incident")
        if re.search(r"['\"](\.\./|/)(data|build|home|work|tmp)\b", cell.source):
            out.append(f"code cell {i + 1} builds a path by hand; paths come from incident.config")
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "notebooks")
    failed = 0
    for path in sorted(folder.glob("*.ipynb")):
        for p in problems(path):
            print(f"{path}: {p}")
            failed += 1
    if failed:
        return 1
    print(f"notebooks: {len(list(folder.glob('*.ipynb')))} thin and clean")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
