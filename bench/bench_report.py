"""`make report` from clean against its floor and the naive tool, measured side by side.

- ours:  `make report` from clean (processing, papermill with -j2, site assembly).
- floor: the same analysis, charts and pages by plain function calls in one Python
  process: incident.process.run, each notebook's code cells exec'd in-process, site build.
- naive: processing, then `jupyter nbconvert --execute` on each notebook in turn, then the site.
Also: a no-op `make report`, and the re-run after editing one notebook.
Every run works in its own temporary copy of the incident (INCIDENT_HOME).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from incident import config

ROOT = config.ROOT
INCIDENT = "schulstart-2021"  # the larger shipped incident
PY = sys.executable


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["INCIDENT_HOME"] = str(home)
    env["INCIDENT_PUBLISH"] = "1"  # the floor and the naive tool write where the site reads, as make report does
    return env


def _fresh(tmp: Path, name: str) -> config.Paths:
    p = config.paths(INCIDENT, home=tmp / name)
    shutil.copytree(config.paths(INCIDENT).raw, p.raw)
    return p


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - t0


def ours(tmp: Path) -> tuple[float, config.Paths]:
    p = _fresh(tmp, "ours")
    return _timed(
        ["make", "--no-print-directory", "-C", str(ROOT), "report", f"INCIDENT_HOME={p.home}"], _env(p.home)
    ), p


_FLOOR = r"""
import json, sys, nbformat
from pathlib import Path
from incident import config, process
from incident.publish import site
p = config.paths(sys.argv[1], home=sys.argv[2])
process.run(p)
for nb in sorted(Path(sys.argv[3]).glob("[0-9][0-9]-*.ipynb")):
    ns = {"__name__": "__floor__"}
    for cell in nbformat.read(nb, as_version=4).cells:
        if cell.cell_type == "code":
            src = cell.source
            if "parameters" in cell.metadata.get("tags", []):
                src += f"\nincident = {p.incident!r}"
            exec(compile(src, str(nb), "exec"), ns)
site.build_site(p)
"""


def floor(tmp: Path) -> float:
    p = _fresh(tmp, "floor")
    return _timed([PY, "-c", _FLOOR, INCIDENT, str(p.home), str(ROOT / "notebooks")], _env(p.home))


def naive(tmp: Path) -> float:
    p = _fresh(tmp, "naive")
    env = {**_env(p.home), "INCIDENT": INCIDENT}
    t0 = time.perf_counter()
    subprocess.run([PY, "-m", "incident", "process", "--incident", INCIDENT], env=env, check=True, capture_output=True)
    out = tmp / "naive-nb"
    out.mkdir()
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        # nbconvert has no parameters: the notebooks read INCIDENT (and INCIDENT_HOME) from the environment
        subprocess.run(
            [
                PY,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                str(nb),
                "--output-dir",
                str(p.executed),
                "--ExecutePreprocessor.kernel_name=incident",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    subprocess.run([PY, "-m", "incident", "site", "--incident", INCIDENT], env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp_name:
        tmp = Path(tmp_name)
        t_ours, p = ours(tmp)
        t_floor = floor(tmp)
        t_naive = naive(tmp)
        make = ["make", "--no-print-directory", "-C", str(ROOT), "report", f"INCIDENT_HOME={p.home}"]
        noop = min(_timed(make, _env(p.home)) for _ in range(5))
        nb = ROOT / "notebooks" / "04-statements.ipynb"
        os.utime(p.executed / nb.name, (0, 0))  # as if the notebook had been edited
        t0 = time.perf_counter()
        res = subprocess.run(make, env=_env(p.home), check=True, capture_output=True, text=True)
        t_edit = time.perf_counter() - t0
        ran = res.stdout.split("report: ")[1].split(" ")[0]
    figures = {
        "report_from_clean_s": round(t_ours, 2),
        "floor_s": round(t_floor, 2),
        "naive_nbconvert_s": round(t_naive, 2),
        "ratio_ours_to_floor": round(t_ours / t_floor, 2),
        "ratio_ours_to_naive": round(t_ours / t_naive, 2),
        "noop_report_s": round(noop, 3),
        "edit_one_notebook_s": round(t_edit, 2),
        "edit_one_notebook_notebooks_run": int(ran),
    }
    print(f"report from clean   {t_ours:7.2f} s   (goal ≤ 1.3× floor and < naive)")
    print(f"floor (one process) {t_floor:7.2f} s   ratio ours/floor {t_ours / t_floor:.2f}")
    print(f"naive nbconvert     {t_naive:7.2f} s   ratio ours/naive {t_ours / t_naive:.2f}")
    print(f"no-op make report   {noop:7.3f} s   (goal ≤ 0.5 s; best of 5)")
    print(f"edit one notebook   {t_edit:7.2f} s   notebooks re-run: {ran} (goal 1)")
    print("json " + json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
