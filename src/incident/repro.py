"""Reproducibility gate: build the site twice from clean and compare checksums.

``python -m incident repro --incident ID`` copies the incident's raw tables into
two fresh temporary trees, runs ``make report`` in each (``INCIDENT_HOME``
points the Makefile there) and compares the SHA-256 of every site file. Any
difference (a timestamp, a random id, an unsorted iteration) fails the gate.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from incident.config import ROOT, Paths
from incident.config import paths as make_paths


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, keyed by relative POSIX path.

    Args:
        folder: Root of the tree.

    Returns:
        ``{relative path: hex digest}``, sorted by path.
    """
    out = {}
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            out[f.relative_to(folder).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def build_clean(
    incident: str, home: Path, *, notebooks: Path | None = None, raw_from: Paths | None = None
) -> subprocess.CompletedProcess:
    """Copy the raw tables into ``home`` and run ``make report`` there from clean.

    Args:
        incident: Incident id.
        home: Empty folder to become the INCIDENT_HOME.
        notebooks: Notebook folder (default: the repository's ``notebooks/``).
        raw_from: Where to copy the raw tables from (default: the repository's).

    Returns:
        The finished ``make`` process (stdout/stderr captured as text).
    """
    src = raw_from or make_paths(incident)
    dst = make_paths(incident, home=home)
    shutil.copytree(src.raw, dst.raw, dirs_exist_ok=True)
    cmd = [
        "make",
        "--no-print-directory",
        "-C",
        str(ROOT),
        "report",
        f"INCIDENT={incident}",
        f"INCIDENT_HOME={dst.home}",
    ]
    if notebooks is not None:
        cmd.append(f"NB_DIR={notebooks}")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def compare_builds(incident: str) -> tuple[dict[str, str], dict[str, str]]:
    """Build twice from clean in temporary trees and return both checksum maps."""
    sums = []
    for _ in range(2):
        with tempfile.TemporaryDirectory(prefix="incident-repro-") as tmp:
            res = build_clean(incident, Path(tmp))
            if res.returncode != 0:
                raise RuntimeError(f"make report failed:\n{res.stdout}\n{res.stderr}")
            sums.append(checksums(make_paths(incident, home=tmp).site))
    return sums[0], sums[1]
