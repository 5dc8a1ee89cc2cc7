"""Every path the package reads or writes, in one place.

Notebooks and modules take their paths from :func:`paths`; nothing builds
relative data-folder strings. The repository root is found from this file (the package
is put on the venv's path from ``src/`` by the Makefile); ``INCIDENT_HOME`` points a run at another
tree with the same layout (tests use it for fixture incidents).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Repository root (``src/incident/config.py`` -> three levels up).
ROOT = Path(__file__).resolve().parents[2]
#: The incident shipped with the package and used when none is named.
DEFAULT_INCIDENT = "schulstart-2021"
#: All times are shown and compared in this zone.
TIMEZONE = "Europe/Berlin"
#: Fixed seed for every random step of the published analysis.
SEED = 20210111


@dataclass(frozen=True)
class Paths:
    """Folders and files of one incident.

    Attributes:
        incident: Incident id, e.g. ``"schulstart-2021"``.
        home: Tree that holds ``data/`` and ``build/``.
    """

    incident: str
    home: Path

    @property
    def raw(self) -> Path:
        """Immutable input tables: ``data/raw/<incident>/``."""
        return self.home / "data" / "raw" / self.incident

    @property
    def processed(self) -> Path:
        """Tables derived by ``incident.process``: ``data/processed/<incident>/``."""
        return self.home / "data" / "processed" / self.incident

    @property
    def build(self) -> Path:
        """Executed notebooks, exhibits and the site: ``build/<incident>/``."""
        return self.home / "build" / self.incident

    @property
    def executed(self) -> Path:
        """Executed notebooks written by papermill."""
        return self.build / "notebooks"

    @property
    def exhibits(self) -> Path:
        """Chart specs, SVG fallbacks and the CSV behind every chart."""
        return self.build / "exhibits"

    @property
    def site(self) -> Path:
        """The published static site."""
        return self.build / "site"

    @property
    def datapackage(self) -> Path:
        """Frictionless descriptor of the raw tables."""
        return self.raw / "datapackage.json"

    @property
    def notebooks(self) -> Path:
        """Source notebooks (shared by every incident)."""
        return ROOT / "notebooks"


def paths(incident: str | None = None, home: str | Path | None = None) -> Paths:
    """Return the paths of an incident.

    Args:
        incident: Incident id; defaults to ``$INCIDENT`` or :data:`DEFAULT_INCIDENT`.
        home: Tree holding ``data/`` and ``build/``; defaults to ``$INCIDENT_HOME`` or :data:`ROOT`.

    Returns:
        The incident's :class:`Paths`.
    """
    incident = incident or os.environ.get("INCIDENT") or DEFAULT_INCIDENT
    home = Path(home or os.environ.get("INCIDENT_HOME") or ROOT).resolve()
    return Paths(incident=incident, home=home)
