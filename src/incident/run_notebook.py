"""Run one notebook with papermill for a report, naming the failing notebook and cell.

``python -m incident notebook notebooks/02-timeline.ipynb --incident ID`` executes the
notebook into ``build/<incident>/notebooks/`` with ``INCIDENT_PUBLISH=1`` (so its exhibits
go where the site publishes them, see :mod:`incident.notebook`) and the notebook
parameters given. The executed copy is written to a hidden ``.partial-`` name first and
renamed into place only when every cell succeeded, so a failure or a kill never leaves a
half-run notebook where the site would publish it; a failed run is kept under
``build/<incident>/failed/`` for debugging, and leftovers of a killed run are removed (and
reported) by the next one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from incident import atomic
from incident.config import ROOT, Paths
from incident.errors import NotebookError, OutputError
from incident.notebook import PUBLISH_ENV

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


@contextlib.contextmanager
def _environment(**values: str):
    """Set environment variables for the kernel papermill starts; restore them afterwards."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(notebook: str | Path, paths: Paths, *, parameters: dict | None = None) -> Path:
    """Execute ``notebook`` for ``paths.incident`` and return the executed copy.

    Args:
        notebook: Source notebook (``notebooks/NN-name.ipynb``).
        paths: Paths of the incident to run on.
        parameters: Notebook parameters besides ``incident`` (``platforms``, ``days``).

    Returns:
        Path of the executed notebook in ``paths.executed``.

    Raises:
        NotebookError: When a cell fails; names the notebook, the 1-based cell and the error.
        OutputError: When the build folder cannot be written.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook)
    try:
        nbformat.validate(nbformat.read(notebook, as_version=4))
    except (OSError, ValueError, nbformat.ValidationError) as exc:  # NotJSONError is a ValueError
        raise NotebookError(str(notebook), None, f"not a readable notebook: {str(exc)[:300]}") from None
    target = paths.executed / notebook.name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {target.parent}: {exc.strerror}") from None
    # hidden, marked partial, and still ending in .ipynb for papermill; no published glob matches it
    tmp = target.with_name(f".{target.stem}{atomic.PARTIAL_MARK}{os.getpid()}.ipynb")
    # The tree goes to the kernel through INCIDENT_HOME, not as a parameter: an absolute path in
    # the injected-parameters cell would make the published pages depend on where the repo lives.
    params = {"incident": paths.incident, **(parameters or {})}
    try:
        with _environment(INCIDENT_HOME=str(paths.home), **{PUBLISH_ENV: "1"}):
            pm.execute_notebook(
                str(notebook),
                str(tmp),
                parameters=params,
                kernel_name=_kernel_name(),
                progress_bar=False,
                log_output=False,
                cwd=str(ROOT),
            )
    except PapermillExecutionError as exc:
        failed = paths.build / "failed" / notebook.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        first = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise NotebookError(
            str(notebook),
            _source_cell(failed, exc.cell_index),
            f"{exc.ename}: {exc.evalue[:500]} (cell starts {first[:60]!r}; partial run kept at {failed})",
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return target
