"""Run one notebook with papermill for a report, naming the failing notebook and cell.

``python -m incident.run_notebook --incident ID notebooks/02-timeline.ipynb``
executes the notebook with the parameter ``incident`` (and ``INCIDENT_HOME`` in the kernel's environment) into
``build/<incident>/notebooks/``. The executed copy is written next to its
target and renamed into place only when every cell succeeded, so a failure
never leaves a half-run notebook where the site assembly would pick it up; the
partly executed notebook is kept under ``build/<incident>/failed/`` for debugging.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from incident.config import ROOT, Paths, paths as make_paths
from incident.errors import NotebookError

#: Kernel registered inside .venv by the Makefile (never in the user's home).
KERNEL = "incident"


def _kernel_name() -> str | None:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else None


def _source_cell(executed: Path, index: int) -> int:
    """1-based number of the failing cell in the *source* notebook.

    papermill inserts an ``injected-parameters`` cell; cells after it are one further down
    in the executed copy than in the notebook an editor opens.
    """
    import nbformat

    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return index + 1
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
    return index + 1 - sum(1 for i in injected if i < index)


def run(notebook: str | Path, paths: Paths, *, parameters: dict | None = None) -> Path:
    """Execute ``notebook`` for ``paths.incident`` and return the executed copy.

    Args:
        notebook: Source notebook (``notebooks/NN-name.ipynb``).
        paths: Paths of the incident to run on.
        parameters: Extra papermill parameters (``incident`` is always set; the tree is passed
            to the kernel as ``INCIDENT_HOME``).

    Returns:
        Path of the executed notebook in ``paths.executed``.

    Raises:
        NotebookError: When a cell fails; names the notebook, the 1-based cell and the error.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook)
    target = paths.executed / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.ipynb")  # hidden, ends in .ipynb for papermill
    # The tree goes to the kernel through INCIDENT_HOME, not as a parameter: an absolute path in
    # the injected-parameters cell would make the published pages depend on where the repo lives.
    params = {"incident": paths.incident, **(parameters or {})}
    previous_home = os.environ.get("INCIDENT_HOME")
    os.environ["INCIDENT_HOME"] = str(paths.home)  # the kernel inherits it; restored below
    try:
        pm.execute_notebook(
            str(notebook), str(tmp), parameters=params, kernel_name=_kernel_name(),
            progress_bar=False, log_output=False, cwd=str(ROOT),
        )
    except PapermillExecutionError as exc:
        failed = paths.build / "failed" / notebook.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        first = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise NotebookError(str(notebook), _source_cell(failed, exc.cell_index),
                            f"{exc.ename}: {exc.evalue} (cell starts {first[:60]!r}; partial run kept at {failed})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if previous_home is None:
            os.environ.pop("INCIDENT_HOME", None)
        else:
            os.environ["INCIDENT_HOME"] = previous_home
    os.replace(tmp, target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: run one notebook, print progress, exit 1 naming the failing cell."""
    ap = argparse.ArgumentParser(prog="python -m incident.run_notebook", description=__doc__.splitlines()[0])
    ap.add_argument("notebook")
    ap.add_argument("--incident", default=None)
    args = ap.parse_args(argv)
    p = make_paths(args.incident)
    name = Path(args.notebook).stem
    print(f"  running  {name} …", flush=True)
    t0 = time.perf_counter()
    try:
        run(args.notebook, p)
    except NotebookError as exc:
        print(f"  FAILED   {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"  done     {name} in {time.perf_counter() - t0:.1f} s", flush=True)
    p.build.mkdir(parents=True, exist_ok=True)
    with open(p.build / ".ran", "a", encoding="utf-8") as fh:  # counted by `make report`'s summary line
        fh.write(name + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
