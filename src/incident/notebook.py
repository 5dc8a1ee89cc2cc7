"""What a notebook needs in one call: its parameters checked, the incident, the tables, where to write.

Every notebook's parameters cell holds ``incident``, ``platforms`` and ``days`` (``None`` =
the incident descriptor's defaults: the article's platforms, every day of the window).
:func:`session` checks them — papermill's ``-p platforms '["a"]'`` arrives as a string and
is read as JSON; an unknown platform or a day outside the window is a
:class:`~incident.errors.ParameterError` that names the parameter — and decides where the
notebook writes:

* a ``make report`` run (``INCIDENT_PUBLISH=1`` in the kernel, set by
  :mod:`incident.run_notebook`) writes the exhibits that the site publishes;
* any other run (JupyterLab, papermill by hand) writes to
  ``build/<incident>/scratch/<parameters>/`` and never touches what ``make report``
  publishes.
"""

from __future__ import annotations

import hashlib
import json
import os
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
    def time_title(self) -> str:
        """Axis title naming the zone and its offset, e.g. ``'Uhrzeit (MEZ, UTC+1)'``."""
        return f"Uhrzeit ({self.incident.zone_label(self.incident.window[0])})"

    @property
    def day_hours(self) -> tuple[float, float]:
        """The descriptor's day hours as ``(first, last)`` hours for a time axis."""
        a, b = self.incident.day_start, self.incident.day_end
        return a.hour + a.minute / 60, b.hour + b.minute / 60 + (1 / 60 if b.second else 0)

    def headline(self, exhibit: str, default: str) -> str:
        """The exhibit's headline from the descriptor (it states the finding), else ``default``."""
        return self.incident.headline(exhibit, default)

    def exhibit_quantities(self, exhibit: str) -> list[str]:
        """Quantity keys the descriptor lists for an exhibit, else the fact-box quantities."""
        listed = self.incident.exhibits.get(exhibit, {}).get("quantities")
        return list(listed) if listed else list(self.incident.factbox_quantities)

    def day_filter(self, frame: pd.DataFrame, column: str = "day") -> pd.DataFrame:
        """Rows whose ``column`` (a date or ISO text) is one of :attr:`days`."""
        keep = {d.isoformat() for d in self.days}
        return frame[frame[column].map(lambda d: (d.isoformat() if hasattr(d, "isoformat") else str(d)) in keep)]


def session(incident: str | None = None, *, platforms=None, days=None, home: str | None = None) -> Session:
    """Check a notebook's parameters and open its incident.

    Args:
        incident: Incident id (``None``: ``$INCIDENT`` or the only incident).
        platforms: Platform ids (a list, or a JSON/comma-separated string); ``None`` = the
            article's platforms.
        days: ISO dates (list or string); ``None`` = every day of the window.
        home: Tree holding ``data/`` and ``build/`` (``None``: ``$INCIDENT_HOME`` or the repository).

    Returns:
        The :class:`Session`, with the processed tables read (typed).

    Raises:
        ParameterError: Naming the parameter whose value is invalid.
        ValidationError: When the descriptor is invalid.
    """
    import altair as alt
    import pandas as pd

    from incident.processed import read
    from incident.publish import charts as _charts  # noqa: F401  registers the renderer nbformat accepts

    # charts leave the notebook as Vega-Lite JSON (JupyterLab draws it natively), never as HTML
    # with a <script> and a CDN link that an exported page would run
    alt.renderers.enable("mimetype")
    pd.set_option("display.max_colwidth", None)  # desk tables show whole phrases, not "…"
    from incident.publish.tables import show_whole_tables

    show_whole_tables()  # every row, no index, no "104 rows × 6 columns": the desk pages show what ran
    paths = config.paths(incident, home=home)
    desc = load_descriptor(paths)
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
        picked = tuple(window_days)
    else:
        try:
            picked = tuple(date.fromisoformat(d) for d in chosen_days)
        except ValueError as exc:
            raise ParameterError(f"parameter 'days': {exc}") from None
        outside = [d.isoformat() for d in picked if d not in window_days]
        if outside:
            raise ParameterError(
                f"parameter 'days': {outside} outside the incident window {window_days[0]}..{window_days[-1]}"
            )
    if not paths.processed.is_dir():
        raise ParameterError(f"parameter 'incident': no processed tables in {paths.processed}; run `make report` first")
    published = os.environ.get(PUBLISH_ENV) == "1"
    if published:
        out = paths.exhibits
    else:
        key = json.dumps({"platforms": chosen, "days": [d.isoformat() for d in picked]}, sort_keys=True)
        out = paths.scratch / hashlib.sha256(key.encode()).hexdigest()[:10] / "exhibits"
    return Session(
        incident=desc,
        paths=paths,
        platforms=tuple(chosen),
        days=picked,
        published=published,
        out=out,
        tables=read(paths.processed, tz=desc.timezone),
    )
