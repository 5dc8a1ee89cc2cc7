"""Every path the package reads or writes, in one place.

Notebooks and modules take their paths from :func:`paths`; nothing builds
relative data-folder strings. The repository root is found from this file (the package
is put on the venv's path from ``src/`` by the Makefile); ``INCIDENT_HOME`` points a run at another
tree with the same layout (tests use it for fixture incidents).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Repository root (``src/incident/config.py`` -> three levels up).
ROOT = Path(__file__).resolve().parents[2]
#: Zone of the German time-phrase conventions (an incident's own zone is in its descriptor).
TIMEZONE = "Europe/Berlin"
#: Fixed seed for every random step of the published analysis.
SEED = 4242


@dataclass(frozen=True)
class Paths:
    """Folders and files of one incident.

    Attributes:
        incident: Incident id (the folder name under ``data/raw/``).
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
    def scratch(self) -> Path:
        """Where editors' runs with other parameters write (never published)."""
        return self.build / "scratch"

    @property
    def notebooks(self) -> Path:
        """Source notebooks (shared by every incident)."""
        return ROOT / "notebooks"


#: An incident id: the folder name under ``data/raw/`` (the Makefile checks the same rule).
ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def _raw_folders(home: str | Path | None) -> list[Path]:
    raw = Path(home or os.environ.get("INCIDENT_HOME") or ROOT) / "data" / "raw"
    return sorted(p for p in raw.iterdir() if p.is_dir() or p.is_symlink()) if raw.is_dir() else []


def incidents(home: str | Path | None = None) -> list[str]:
    """Ids of the incidents under ``data/raw/``: folders with an id for a name and an ``incident.yaml``."""
    return [
        p.name
        for p in _raw_folders(home)
        if ID.fullmatch(p.name) and not p.is_symlink() and (p / "incident.yaml").is_file()
    ]


def skipped_folders(home: str | Path | None = None) -> list[tuple[str, str]]:
    """``(folder name, reason)`` of every folder under ``data/raw/`` that is not an incident."""
    out = []
    for p in _raw_folders(home):
        if not ID.fullmatch(p.name):
            out.append((p.name, "not an incident id ([a-z0-9][a-z0-9-]*)"))
        elif p.is_symlink():
            out.append((p.name, "a symbolic link, not a folder of this tree"))
        elif not (p / "incident.yaml").is_file():
            out.append((p.name, "no incident.yaml"))
    return out


def paths(incident: str | None = None, home: str | Path | None = None) -> Paths:
    """Return the paths of an incident.

    Args:
        incident: Incident id; defaults to ``$INCIDENT``, else the only incident under
            ``data/raw/``, else the one whose descriptor says ``default: true``.
        home: Tree holding ``data/`` and ``build/``; defaults to ``$INCIDENT_HOME`` or :data:`ROOT`.

    Returns:
        The incident's :class:`Paths`.

    Raises:
        ParameterError: When no incident is named and there is not exactly one, or the id
            is not a plain folder name.
    """
    from incident.errors import ParameterError

    home = Path(home or os.environ.get("INCIDENT_HOME") or ROOT).resolve()
    incident = incident or os.environ.get("INCIDENT") or None
    if incident is None:
        found = incidents(home)
        if len(found) != 1:
            found = default_incidents(home) or found
        if len(found) != 1:
            raise ParameterError(f"parameter 'incident': name one of {', '.join(found) or '(none found)'}")
        incident = found[0]
    if not ID.fullmatch(str(incident)):
        raise ParameterError(f"parameter 'incident': {str(incident)[:60]!r} is not an incident id ([a-z0-9-]+)")
    return Paths(incident=incident, home=home)


def default_incidents(home: str | Path | None = None) -> list[str]:
    """Ids of the incidents whose descriptor says ``default: true`` (one, where the data is right)."""
    import yaml

    raw = Path(home or os.environ.get("INCIDENT_HOME") or ROOT) / "data" / "raw"
    out = []
    for incident in incidents(home):
        try:
            doc = yaml.safe_load((raw / incident / "incident.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(doc, dict) and doc.get("default") is True:
            out.append(incident)
    return out
