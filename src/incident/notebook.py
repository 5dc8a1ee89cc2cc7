"""What a notebook needs in one call: its parameters checked, the incident, the tables, where to write.

A notebook's parameters cell declares ``incident``, ``platforms`` and ``days`` (each committed
as ``None`` = the incident descriptor's defaults: the article's platforms, every day of the
window; ``tools/check_notebooks.py`` enforces it). A notebook that shows every day whatever it
is given (its figures name no day) leaves ``days`` out of its cell and so refuses it.
:func:`session` checks them — papermill's ``-p platforms '["a"]'`` arrives as a string and
is read as JSON; an unknown platform, a day outside the window, or a parameter name the
notebook does not declare (papermill only warns) is a :class:`~incident.errors.ParameterError`
that names the parameter — and decides where the notebook writes:

* a report run (``INCIDENT_PUBLISH=1`` in the kernel, set by
  :func:`incident.run_notebook.run_many`, which passes every parameter explicitly, see
  :func:`defaults`) writes the exhibits that the site publishes;
* any other run (JupyterLab, papermill by hand, ``python -m incident notebook``) writes to
  ``build/<incident>/scratch/<key>/`` (:func:`scratch_folder`; printed by :func:`session`) and
  never touches what ``make report`` publishes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from incident import config
from incident.errors import ParameterError
from incident.evidence.descriptor import Incident, load_descriptor

#: Environment variable set by ``make report`` for the kernels it starts.
PUBLISH_ENV = "INCIDENT_PUBLISH"


def _listish(name: str, value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = json.loads(text) if text.startswith("[") else [x.strip() for x in text.split(",") if x.strip()]
        except json.JSONDecodeError as exc:
            raise ParameterError(f"parameter {name!r}: {text[:60]!r} is not a JSON list ({exc.msg})") from None
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"parameter {name!r}: expected a list of strings, got {str(value)[:60]!r}")
    if not value:
        raise ParameterError(f"parameter {name!r}: the list is empty")
    return list(value)


@dataclass
class Session:
    """A notebook's checked parameters and what it reads and writes.

    Attributes:
        incident: The descriptor.
        paths: The incident's paths.
        platforms: Platform ids to show, in display order.
        days: Local days to show.
        published: Whether this run writes the published exhibits (a ``make report`` run
            with the default parameters or the ones ``make`` was given).
        out: Folder the exhibits go to.
    """

    incident: Incident
    paths: config.Paths
    platforms: tuple[str, ...]
    days: tuple[date, ...]
    published: bool
    out: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """Where this run writes, relative to the tree, e.g. ``build/<incident>/scratch/<key>/exhibits``."""
        return shown_path(self.out, self.paths.home)

    @property
    def time_title(self) -> str:
        """Axis title naming the zone and its offset, e.g. ``'Uhrzeit (MEZ, UTC+1)'``."""
        return f"Uhrzeit ({self.incident.zone_label(self.incident.window[0])})"

    @property
    def day_hours(self) -> tuple[float, float]:
        """The descriptor's day hours as ``(first, last)`` hours for a time axis."""
        a, b = self.incident.day_start, self.incident.day_end
        return a.hour + a.minute / 60, b.hour + b.minute / 60 + (1 / 60 if b.second else 0)

    @property
    def whole(self) -> bool:
        """Whether this run shows the publication's own selection (the descriptor's defaults)."""
        from incident.publish import selection

        return selection.make(self.incident, platforms=self.platforms, days=self.days).whole

    def headline(self, exhibit: str, default: str) -> str:
        """The exhibit's headline from the descriptor (it states the finding), else ``default``.

        A run with other platforms or days gets the neutral ``default``: the descriptor's headline
        states a finding about the publication's selection, which another selection may not show.
        """
        return self.incident.headline(exhibit, default) if self.whole else default

    def exhibit_quantities(self, exhibit: str) -> list[str]:
        """Quantity keys the descriptor lists for an exhibit, else the fact-box quantities."""
        listed = self.incident.exhibits.get(exhibit, {}).get("quantities")
        return list(listed) if listed else list(self.incident.factbox_quantities)

    def day_filter(self, frame: pd.DataFrame, column: str = "day") -> pd.DataFrame:
        """Rows whose ``column`` (a date or ISO text) is one of :attr:`days`."""
        keep = {d.isoformat() for d in self.days}
        return frame[
            frame[column].map(lambda d: (d.isoformat() if hasattr(d, "isoformat") else str(d)) in keep).astype(bool)
        ]


#: The parameters a notebook may declare in its parameters cell (each ``None`` when committed).
PARAMETERS: tuple[str, ...] = ("incident", "platforms", "days", "text")

#: First line of the cell papermill injects with the parameters it was given.
INJECTED_MARK = "# Parameters"


def choose(desc: Incident, *, platforms=None, days=None) -> tuple[tuple[str, ...], tuple[date, ...]]:
    """The checked platforms and days a run shows; ``None`` = the descriptor's defaults.

    Args:
        desc: The incident's descriptor.
        platforms: Platform ids (a list, or a JSON/comma-separated string); ``None`` = the
            article's platforms.
        days: ISO dates (list or string); ``None`` = every day of the window.

    Raises:
        ParameterError: Naming the parameter whose value is invalid.
    """
    chosen = _listish("platforms", platforms)
    if chosen is None:
        chosen = list(desc.article_platforms)
    unknown = [p for p in chosen if p not in desc.platform_ids]
    if unknown:
        raise ParameterError(
            f"parameter 'platforms': unknown platform id(s) {unknown}; known: {list(desc.platform_ids)}"
        )
    window_days = desc.days
    chosen_days = _listish("days", days)
    if chosen_days is None:
        return tuple(chosen), tuple(window_days)
    try:
        picked = tuple(date.fromisoformat(d) for d in chosen_days)
    except ValueError as exc:
        raise ParameterError(f"parameter 'days': {exc}") from None
    outside = [d.isoformat() for d in picked if d not in window_days]
    if outside:
        raise ParameterError(
            f"parameter 'days': {outside} outside the incident window {window_days[0]}..{window_days[-1]}"
        )
    return tuple(chosen), picked


def defaults(desc: Incident) -> dict:
    """The publication's parameters, written out: the descriptor's platforms and every day of the window.

    A report run passes these to every notebook (:mod:`incident.run_notebook`), so whatever a
    saved parameters cell says never reaches the site.
    """
    platforms, days = choose(desc)
    return {"incident": desc.id, "platforms": list(platforms), "days": [d.isoformat() for d in days]}


def scratch_folder(paths: config.Paths, platforms: tuple[str, ...], days: tuple[date, ...]) -> Path:
    """Where a run with these parameters writes outside a report: ``build/<incident>/scratch/<key>/``."""
    key = json.dumps({"platforms": list(platforms), "days": [d.isoformat() for d in days]}, sort_keys=True)
    return paths.scratch / hashlib.sha256(key.encode()).hexdigest()[:10]


def shown_path(path: Path, home: Path) -> str:
    """``path`` relative to the tree (as JupyterLab's file browser shows it), else absolute."""
    try:
        return Path(path).resolve().relative_to(Path(home).resolve()).as_posix()
    except ValueError:
        return str(path)


def injected_names() -> tuple[list[str], list[str] | None]:
    """Names papermill injected into the running kernel, and those the notebook's parameters cell declares.

    papermill runs the notebook's parameters cell and then a cell of its own that starts with
    ``# Parameters``; a misspelt name there is only a warning to papermill. Both cells are in
    IPython's input history. Returns ``([], None)`` outside IPython or when nothing was injected
    (JupyterLab); the declared names are ``None`` when the cell before cannot be read.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return [], None
    shell = get_ipython()
    if shell is None:
        return [], None
    history = list(shell.user_ns.get("_ih", []))
    for i in range(len(history) - 1, -1, -1):
        if history[i].lstrip().startswith(INJECTED_MARK):
            given = assigned_names(history[i])
            declared = assigned_names(history[i - 1]) if i > 0 else None
            return given or [], declared or None
    return [], None


def assigned_names(source: str) -> list[str] | None:
    """Names a cell's top-level statements assign (``None`` when it is not Python)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]


def check_names(given: list[str], declared: list[str] | None) -> None:
    """Refuse a parameter the notebook does not take, naming it (papermill itself only warns).

    Raises:
        ParameterError: For the first name that is not one of the declared parameters (or of
            :data:`PARAMETERS` when the notebook's own cell is unknown).
    """
    known = [n for n in (declared or PARAMETERS) if n in PARAMETERS] or list(PARAMETERS)
    for name in given:
        if name not in known:
            raise ParameterError(
                f"parameter {name!r}: this notebook takes no such parameter "
                f"(dieses Notebook kennt keinen Parameter {name!r}); it takes: {', '.join(known)}"
            )


def session(incident: str | None = None, *, platforms=None, days=None, home: str | None = None) -> Session:
    """Check a notebook's parameters and open its incident.

    Args:
        incident: Incident id (``None``: ``$INCIDENT``, else the default incident, see
            :func:`incident.config.paths`).
        platforms: Platform ids (a list, or a JSON/comma-separated string); ``None`` = the
            article's platforms.
        days: ISO dates (list or string); ``None`` = every day of the window.
        home: Tree holding ``data/`` and ``build/`` (``None``: ``$INCIDENT_HOME`` or the repository).

    Returns:
        The :class:`Session`, with the processed tables read (typed). Outside a report run it
        prints where the run writes (a scratch folder, relative to the tree).

    Raises:
        ParameterError: Naming the parameter whose value is invalid, or a parameter name
            papermill was given that the notebook does not take.
        ValidationError: When the descriptor is invalid.
    """
    import altair as alt
    import pandas as pd

    from incident.processed import read
    from incident.publish import charts as _charts  # noqa: F401  registers the renderer nbformat accepts
    from incident.publish import labchart, selection

    check_names(*injected_names())
    published = os.environ.get(PUBLISH_ENV) == "1"
    # A report run's charts leave the notebook as Vega-Lite JSON, drawn by the site's local bundle
    # (never HTML with a <script> and a CDN link that an exported page would run). Anywhere else
    # (JupyterLab, papermill by hand) a chart is also an offline JupyterChart widget, which
    # JupyterLab 4 draws; its Vega-Lite v6 mimetype alone shows there only as "<Grafik: …>".
    alt.renderers.enable("mimetype" if published else labchart.RENDERER)
    pd.set_option("display.max_colwidth", None)  # desk tables show whole phrases, not "…"
    from incident.publish.tables import show_whole_tables

    show_whole_tables()  # every row, no index, no "104 rows × 6 columns": the desk pages show what ran
    paths = config.paths(incident, home=home)
    desc = load_descriptor(paths)
    chosen, picked = choose(desc, platforms=platforms, days=days)
    if not paths.processed.is_dir():
        raise ParameterError(f"parameter 'incident': no processed tables in {paths.processed}; run `make report` first")
    if published:
        out = paths.exhibits
    else:
        out = scratch_folder(paths, chosen, picked) / "exhibits"
        line = f"Ausgabe nach {shown_path(out, paths.home)}/ (nicht veröffentlicht)"
        print(line)  # in the notebook
        # and on the terminal that started the kernel (papermill shows no cell output there)
        print(f"incident: {line}", file=sys.__stderr__, flush=True)
    return Session(
        incident=desc,
        paths=paths,
        platforms=chosen,
        days=picked,
        published=published,
        out=out,
        # a run with other parameters reads only its selection, so every table it shows matches its charts
        tables=selection.restrict(
            read(paths.processed, tz=desc.timezone),
            selection.make(desc, platforms=chosen, days=picked),
            desc,
        ),
    )
