"""Run notebooks for a report, naming the failing notebook and cell.

``python -m incident notebooks --incident ID notebooks/*.ipynb`` executes the notebooks that
are out of date into ``build/<incident>/notebooks/``, one after the other in **one** kernel
(:func:`run_many`): a kernel and its imports take seconds, the notebooks' own work less,
so a report pays that start once, not once per notebook; ``make report`` (``python -m incident
build``) starts that kernel (:class:`Kernel`) before it processes the raw tables, so the kernel
boots and imports the notebooks' modules (:data:`WARM_UP`) meanwhile. Each notebook starts from an
empty namespace (``%reset -f``), gets **every** parameter it declares injected as papermill
would (``injected-parameters``: the descriptor's defaults or the values make was given, see
:func:`explicit`; its own parameters cell is published in its committed form,
:func:`committed_form`), and runs with ``INCIDENT_PUBLISH=1`` (its exhibits go where the site
publishes them, see :mod:`incident.notebook`). :func:`run` runs one notebook with papermill in
a kernel of its own (``python -m incident notebook``): an editor's run, into
``build/<incident>/scratch/``, never published.

An executed copy is written to a hidden ``.partial-`` name first and renamed into place
only when every cell succeeded, so a failure or a kill never leaves a half-run notebook
where the site would publish it; a failed run is kept under ``build/<incident>/failed/`` for
debugging, and leftovers of a killed run are removed (and reported) by the next one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from incident import atomic, retitle
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
def _environment(**values: str | None):
    """Set (``None``: unset) environment variables for the kernel papermill starts; restore them afterwards."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: Seconds between two checks that the kernel still lives while a cell runs.
ALIVE_CHECK = 0.5


class _WatchedChannel:
    """A kernel channel whose blocking wait checks the kernel's life every :data:`ALIVE_CHECK` seconds.

    nbclient's own liveness poll is an asyncio task; with the blocking client of
    :func:`run_many` the wait for a message blocks the loop, so that poll never runs and a
    dead kernel (killed for memory, ``os._exit``) left the report waiting for ever.
    """

    def __init__(self, channel, km) -> None:
        self._channel, self._km = channel, km

    def get_msg(self, timeout: float | None = None, **kwargs):
        from queue import Empty
        from time import monotonic

        from nbclient.exceptions import DeadKernelError

        deadline = None if timeout is None else monotonic() + timeout
        while True:
            step = ALIVE_CHECK if deadline is None else max(0.0, min(ALIVE_CHECK, deadline - monotonic()))
            try:
                return self._channel.get_msg(timeout=step, **kwargs)
            except Empty:
                if not self._km.is_alive():
                    raise DeadKernelError("Kernel died") from None
                if deadline is not None and monotonic() >= deadline:
                    raise

    def __getattr__(self, name: str):
        return getattr(self._channel, name)


class _WatchedClient:
    """A kernel client whose shell and IOPub waits notice a dead kernel (see :class:`_WatchedChannel`)."""

    def __init__(self, kc, km) -> None:
        self._kc = kc
        self.shell_channel = _WatchedChannel(kc.shell_channel, km)
        self.iopub_channel = _WatchedChannel(kc.iopub_channel, km)

    def __getattr__(self, name: str):
        return getattr(self._kc, name)


def _read(notebook: Path):
    """The notebook, validated; a corrupt file is a :class:`NotebookError` naming it."""
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
        nbformat.validate(nb)
    except (OSError, ValueError, nbformat.ValidationError) as exc:  # NotJSONError is a ValueError
        raise NotebookError(str(notebook), None, f"not a readable notebook: {str(exc)[:300]}") from None
    return nb


def declared(nb) -> list[str]:
    """The parameter names a notebook's ``parameters`` cell declares (papermill's convention)."""
    from incident.notebook import PARAMETERS, assigned_names

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return assigned_names(cell.source) or []
    return list(PARAMETERS)


def committed_form(source: str) -> str:
    """A parameters cell with every value set back to ``None``, comments kept.

    A report run publishes the cell in this form, so a value saved from JupyterLab shows on no
    desk page (the values in effect are in papermill's injected cell below it).
    """
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    data = source.encode("utf-8")  # ast's column offsets count UTF-8 bytes
    offsets = [0]
    for line in data.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    spans = [
        (offsets[n.value.lineno - 1] + n.value.col_offset, offsets[n.value.end_lineno - 1] + n.value.end_col_offset)
        for n in tree.body
        if isinstance(n, ast.Assign) and not (isinstance(n.value, ast.Constant) and n.value.value is None)
    ]
    for start, end in sorted(spans, reverse=True):
        data = data[:start] + b"None" + data[end:]
    return data.decode("utf-8")


def explicit(paths: Paths, parameters: dict | None) -> dict:
    """Every parameter written out: the given ones checked, the rest the descriptor's defaults.

    A report run passes these to each notebook, so a saved parameters cell cannot change what is
    published; a scratch run passes them so its folder is the one :func:`incident.notebook.session`
    computes.

    Raises:
        ParameterError: Naming an invalid value (before any kernel starts).
    """
    from incident.evidence.descriptor import load_descriptor
    from incident.notebook import choose

    given = parameters or {}
    platforms, days = choose(load_descriptor(paths), platforms=given.get("platforms"), days=given.get("days"))
    out = {"incident": paths.incident, "platforms": list(platforms), "days": [d.isoformat() for d in days]}
    if given.get("text"):  # a draft to check (notebook 06); never part of a report run
        out["text"] = str(given["text"])
    return out


def _for_notebook(nb, params: dict, given: dict, name: str, say) -> dict:
    """The parameters one notebook declares; a given parameter it refuses is said, not passed."""
    names = declared(nb)
    for key in given:
        if key not in names:
            say(f"  note     {name}: takes no {key!r} and shows every value of it (nimmt keinen Parameter {key!r})")
    return {k: v for k, v in params.items() if k in names}


def out_of_date(notebooks: list[Path], paths: Paths) -> list[Path]:
    """The notebooks whose executed copy is missing or older than the source notebook."""
    out = []
    for nb in notebooks:
        done = paths.executed / Path(nb).name
        if not done.exists() or done.stat().st_mtime_ns < Path(nb).stat().st_mtime_ns:
            out.append(Path(nb))
    return out


class Kernel:
    """A report's kernel, started in the background so it boots while the caller works.

    :meth:`start` returns at once: a thread starts the kernel, waits until it answers and imports
    what the notebooks import (:data:`WARM_UP`), while the caller processes the raw tables. The
    first notebook waits for that thread (:meth:`ready`). Use as a context manager: the kernel is
    shut down on leaving.
    """

    def __init__(self, paths: Paths, *, warm_up: str | None = None) -> None:
        self.paths, self.warm_up = paths, warm_up
        self.name = _kernel_name() or "python3"
        self.km = self.kc = None
        self._thread = None
        self._error: BaseException | None = None

    def start(self) -> Kernel:
        import threading

        from jupyter_client.manager import KernelManager

        with _environment(INCIDENT_HOME=str(self.paths.home), **{PUBLISH_ENV: "1"}):
            self.km = KernelManager(kernel_name=self.name)
            self.km.start_kernel(cwd=str(ROOT))
        self.kc = self.km.client()
        self.kc.start_channels()
        self._thread = threading.Thread(target=self._boot, name="kernel-boot", daemon=True)
        self._thread.start()
        return self

    def _boot(self) -> None:
        try:
            self.kc.wait_for_ready(timeout=120)
            if self.warm_up:
                # modules stay imported after %reset; a failure here shows again in the notebook
                self.kc.execute_interactive(self.warm_up, timeout=300, store_history=False, output_hook=lambda m: None)
        except BaseException as exc:  # re-raised in the caller's thread by ready()
            self._error = exc

    def ready(self) -> None:
        """Wait until the kernel answers (and has imported the warm-up modules)."""
        if self._thread is None:
            self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Shut the kernel down (again: nothing)."""
        if self._thread is not None:
            self._thread.join(timeout=5)
        kc, km, self.kc, self.km = self.kc, self.km, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            km.shutdown_kernel(now=True)

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: Imported by a report's kernel while the raw tables are processed: the notebooks' own imports,
#: and one tiny chart drawn to SVG (vl-convert starts its JavaScript engine on the first chart).
WARM_UP = """\
import incident.notebook, incident.publish.charts, incident.publish.exhibits, incident.publish.tables
import incident.publish.facts, incident.publish.provenance, incident.textcheck
import vl_convert as _vlc
_vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}})
del _vlc
"""


def run_many(
    notebooks: list[str | Path],
    paths: Paths,
    *,
    parameters: dict | None = None,
    say=print,
    kernel: Kernel | None = None,
) -> list[Path]:
    """Execute notebooks one after the other in one kernel; return the executed copies.

    Args:
        notebooks: Source notebooks, run in this order.
        paths: Paths of the incident to run on.
        parameters: Notebook parameters besides ``incident`` (``platforms``, ``days``).
        say: Where progress lines go.
        kernel: A kernel already started (:class:`Kernel`, e.g. booting while the tables were
            processed); the caller shuts it down. ``None``: one is started and shut down here.

    Raises:
        NotebookError: At the first failing cell; names the notebook and its 1-based cell
            (as an editor counts them). Notebooks before it keep their new executed copies.
        OutputError: When the build folder cannot be written.
    """
    for nb in notebooks:
        _read(Path(nb))  # a corrupt notebook is named before any runs
    from papermill.iorw import load_notebook_node

    sources = [(Path(nb), load_notebook_node(str(nb))) for nb in notebooks]  # papermill's reading adds cell tags
    if not sources:
        return []
    try:
        paths.executed.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {paths.executed}: {exc.strerror}") from None
    given = {k: v for k, v in (parameters or {}).items() if v is not None}
    params = explicit(paths, given)
    if kernel is not None:
        return _run_in(kernel, sources, paths, params=params, given=given, say=say)
    with Kernel(paths).start() as own:
        return _run_in(own, sources, paths, params=params, given=given, say=say)


def _run_in(kernel: Kernel, sources: list, paths: Paths, *, params: dict, given: dict, say) -> list[Path]:
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from papermill.parameterize import parameterize_notebook

    kernel.ready()
    km, kc, name = kernel.km, kernel.kc, kernel.name
    done = []
    for notebook, nb in sources:
        say(f"  running  {notebook.stem} …")
        t0 = time.perf_counter()
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = committed_form(cell.source)
        nb = parameterize_notebook(
            nb, _for_notebook(nb, params, given, notebook.stem, say), kernel_name=name, language="python"
        )
        # what it reads of the descriptor's chart-only parts: a later headline change can then be
        # written into this copy without a run (incident.retitle)
        inputs = retitle.chart_inputs(paths, notebook)
        kc.execute_interactive("%reset -f", timeout=60)  # every notebook starts from an empty namespace
        client = NotebookClient(
            nb,
            km=km,
            timeout=900,
            kernel_name=name,
            allow_errors=False,
            resources={"metadata": {"path": str(ROOT)}},
        )
        client.kc = _WatchedClient(kc, km)  # a dead kernel fails the run within a second
        target = paths.executed / notebook.name
        tmp = target.with_name(f".{target.stem}{atomic.PARTIAL_MARK}{os.getpid()}.ipynb")
        nbformat.write(nb, tmp)  # the run in progress: hidden, marked partial, never published
        try:
            with client.setup_kernel(cleanup_kc=False):
                for index, cell in enumerate(nb.cells):
                    failing = index
                    client.execute_cell(cell, index)
        except DeadKernelError:
            tmp.unlink(missing_ok=True)
            injected = sum(1 for c in nb.cells[:failing] if "injected-parameters" in c.metadata.get("tags", []))
            first = nb.cells[failing].source.strip().splitlines()[0] if nb.cells[failing].source.strip() else ""
            raise NotebookError(
                str(notebook),
                failing + 1 - injected,
                f"the kernel died while the cell ran (out of memory, or the cell ended the process; "
                f"cell starts {first[:60]!r})",
            ) from None
        except CellExecutionError as exc:
            tmp.unlink(missing_ok=True)
            failed = paths.build / "failed" / notebook.name
            failed.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, failed)
            injected = sum(1 for c in nb.cells[:failing] if "injected-parameters" in c.metadata.get("tags", []))
            first = nb.cells[failing].source.strip().splitlines()[0] if nb.cells[failing].source.strip() else ""
            raise NotebookError(
                str(notebook),
                failing + 1 - injected,
                f"{exc.ename}: {exc.evalue[:500]} (cell starts {first[:60]!r}; partial run kept at {failed})",
            ) from None
        retitle.record(nb, inputs)
        nbformat.write(nb, tmp)
        os.replace(tmp, target)
        done.append(target)
        say(f"  done     {notebook.stem} in {time.perf_counter() - t0:.1f} s")
    return done


def run(notebook: str | Path, paths: Paths, *, parameters: dict | None = None, say=print) -> Path:
    """Execute ``notebook`` for ``paths.incident`` into scratch and return the executed copy.

    The run is an editor's (``python -m incident notebook``), never a report's: it writes the
    executed notebook to ``build/<incident>/scratch/<key>/notebooks/`` and the kernel writes its
    exhibits beside it (``INCIDENT_PUBLISH`` is unset), so neither ``build/<incident>/notebooks/``
    nor the site changes. The folder is printed through ``say``.

    Args:
        notebook: Source notebook (``notebooks/NN-name.ipynb``).
        paths: Paths of the incident to run on.
        parameters: Notebook parameters besides ``incident`` (``platforms``, ``days``).
        say: Where the scratch folder is reported.

    Returns:
        Path of the executed notebook in the scratch folder.

    Raises:
        NotebookError: When a cell fails; names the notebook, the 1-based cell and the error.
        ParameterError: When a value is invalid or the notebook does not take a given parameter.
        OutputError: When the build folder cannot be written.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from incident.evidence.descriptor import load_descriptor
    from incident.notebook import check_names, choose, scratch_folder, shown_path

    notebook = Path(notebook)
    try:
        nb = nbformat.read(notebook, as_version=4)
        nbformat.validate(nb)
    except (OSError, ValueError, nbformat.ValidationError) as exc:  # NotJSONError is a ValueError
        raise NotebookError(str(notebook), None, f"not a readable notebook: {str(exc)[:300]}") from None
    given = {k: v for k, v in (parameters or {}).items() if v is not None}
    check_names(list(given), declared(nb))
    platforms, days = choose(load_descriptor(paths), platforms=given.get("platforms"), days=given.get("days"))
    target = scratch_folder(paths, platforms, days) / "notebooks" / notebook.name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {target.parent}: {exc.strerror}") from None
    say(f"  scratch  {shown_path(target.parent.parent, paths.home)}/ (not published; nicht veröffentlicht)")
    # hidden, marked partial, and still ending in .ipynb for papermill; no published glob matches it
    tmp = target.with_name(f".{target.stem}{atomic.PARTIAL_MARK}{os.getpid()}.ipynb")
    # The tree goes to the kernel through INCIDENT_HOME, not as a parameter: an absolute path in
    # the injected-parameters cell would make a page depend on where the repo lives.
    params = {k: v for k, v in {"incident": paths.incident, **given}.items() if k in declared(nb) or k == "incident"}
    try:
        with _environment(INCIDENT_HOME=str(paths.home), **{PUBLISH_ENV: None}):
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
