"""Regenerate environment.yml from requirements.lock so conda users get the same pins.

Run by `make lock` after `pip freeze > requirements.lock`; tests/test_environment.py
fails when the two drift apart.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pins(lock: Path = ROOT / "requirements.lock") -> list[str]:
    """The exact pins of the lock file, comments and blank lines dropped, sorted case-insensitively."""
    lines = [ln.strip() for ln in lock.read_text(encoding="utf-8").splitlines()]
    return sorted((ln for ln in lines if ln and not ln.startswith("#")), key=str.lower)


def environment_yml(pin_list: list[str]) -> str:
    """The conda environment file carrying the same pins under its pip section."""
    body = "\n".join(f"      - {p}" for p in pin_list)
    return (
        "# Generated from requirements.lock by `make lock` (tools/lock.py); do not edit by hand.\n"
        "name: incident\n"
        "channels:\n  - conda-forge\n"
        "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n"
        f"{body}\n"
        "      - -e .\n"
    )


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(environment_yml(pins()), encoding="utf-8")
    print(f"environment.yml: {len(pins())} pins")
