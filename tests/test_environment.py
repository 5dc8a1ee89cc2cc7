"""The conda environment and the pip lock file carry the same packages and versions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lock  # noqa: E402


def test_environment_yml_matches_lock_file():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pinned = sorted((p for p in pip_section if p != "-e ."), key=str.lower)
    assert pinned == lock.pins(), "environment.yml drifted from requirements.lock: run `make lock`"


def test_environment_yml_is_exactly_what_make_lock_writes():
    """Not just the pins: the Python version line, the editable install and the header too."""
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == lock.environment_yml(lock.pins())
    assert "  - python=3.11\n" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_lock_file_pins_exactly_and_covers_the_design_card():
    pins = lock.pins()
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", p) for p in pins), (
        "every line must be name==version"
    )
    names = {p.split("==")[0].lower() for p in pins}
    assert {"jupyterlab", "pandas", "altair", "ruptures", "papermill"} <= names


def test_installed_versions_match_the_lock():
    """What .venv runs is what the lock says (catches a hand-installed drift)."""
    from importlib.metadata import version

    for pin in lock.pins():
        name, want = pin.split("==")
        assert version(name) == want, f"{name}: installed {version(name)}, lock says {want}"


def test_project_kernel_lives_inside_the_venv():
    """`make lab` and papermill use the `incident` kernel registered in .venv, never in the user's home."""
    import os

    from jupyter_client.kernelspec import KernelSpecManager

    venv = ROOT / ".venv"
    spec_dir = venv / "share" / "jupyter" / "kernels" / "incident"
    assert (spec_dir / "kernel.json").is_file(), "the Makefile's bootstrap registers the kernel under .venv"
    home_kernels = Path(os.path.expanduser("~/.local/share/jupyter/kernels/incident"))
    assert not home_kernels.exists(), "the project kernel must not be installed in the user's home"
    found = KernelSpecManager().find_kernel_specs()
    assert Path(found["incident"]).resolve() == spec_dir.resolve()
