"""`make bench`: every speed and memory figure of the project, measured side by side in one run.

Each benchmark compares against a reference measured in the same run (ratios, since the
machine is shared and noisy); none of these figures is asserted by a timed test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("time phrases (incident.timeexpr vs dateparser)", "bench_timeexpr.py"),
    ("reconstruction (10k/100k/1M claims vs floor) and segmentation (KernelCPD vs Pelt)", "bench_reconstruct.py"),
    ("make report (ours vs floor vs nbconvert; no-op; one edited notebook)", "bench_report.py"),
]


def main() -> int:
    failed = 0
    for title, script in BENCHES:
        print(f"== {title}", flush=True)
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, str(HERE / script)], text=True)
        failed += res.returncode != 0
        print(f"   ({script}: {time.perf_counter() - t0:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
