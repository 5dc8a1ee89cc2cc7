"""Benchmarks of the reconstruction (run by ``make bench``; not a test): prints the figures.

1. Reconstruction of generated corpora (10,000 sources; 10k, 100k and 1M claims, 20
   platforms), each in a fresh subprocess: wall time of
   :func:`incident.reconstruct.reconstruct` and the child's peak resident memory
   (``resource.getrusage``; includes the generated corpus and the libraries), next to a
   floor measured in the same child: concatenating the corpus's three claim tables and
   sorting them by claim id, the least any reconstruction has to do.
2. Segmentation of measured series: ruptures' C ``KernelCPD(kernel="linear")`` (what
   :func:`incident.series.changepoints.segment` uses) against pure-Python
   ``Pelt(model="l2", jump=1)`` (the same optimum) on one generated step signal of 2,000
   and of 20,000 points, same penalty; identical breakpoints are checked.

Speed and memory goals are printed next to the measured values; nothing here is a test.
All data is generated (:mod:`incident.generate`, labelled generated).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

#: Goals of the reconstruction of 1,000,000 claims (issue: make bench).
GOAL_SECONDS = 10.0
GOAL_RSS_MB = 1024.0
SIZES = (10_000, 100_000, 1_000_000)


def _signal(n: int) -> tuple[np.ndarray, float]:
    from incident import generate
    from incident.config import SEED
    from incident.series import changepoints as cp

    bk = list(np.linspace(0, n, 41).astype(int)[1:-1])  # 39 breakpoints
    levels = list(np.random.default_rng(SEED).normal(0, 1, len(bk) + 1))
    x, _ = generate.step_signal(n=n, breakpoints=bk, levels=levels, noise=0.2, seed=SEED)
    return x, cp.penalty(x, resolution_minutes=1, min_duration_minutes=30)


def _best(f, repeat: int = 1) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench_segmentation(sizes=(2_000, 20_000)) -> list[dict]:
    import ruptures as rpt

    from incident.series import changepoints as cp

    print(
        "== 2. segmentation: KernelCPD (C) vs Pelt(l2, jump=1) (pure Python), same signal and penalty "
        "(generated step signal, 39 true breakpoints)",
        flush=True,
    )
    out = []
    for n in sizes:
        x, pen = _signal(n)
        tk, a = _best(lambda x=x, pen=pen: cp.segment(x, pen=pen, min_size=2), repeat=3)
        tp, b = _best(lambda x=x, pen=pen: rpt.Pelt(model="l2", min_size=2, jump=1).fit(x[:, None]).predict(pen=pen))
        same = a == [int(v) for v in b]
        print(
            f"   n={n:>6,}: KernelCPD {tk:8.4f} s | Pelt(l2, jump=1) {tp:8.2f} s | ratio {tp / tk:>9,.0f}x | "
            f"{len(a) - 1} breakpoints, identical: {'yes' if same else 'NO'}",
            flush=True,
        )
        if not same:
            raise SystemExit(f"KernelCPD and Pelt(l2, jump=1) disagree at n={n}")
        out.append({"n": n, "kernelcpd_s": tk, "pelt_s": tp})
    return out


_CHILD = """
import json, resource, sys, time
import pandas as pd
from incident import generate
from incident.memory import return_freed_memory
from incident.reconstruct import reconstruct
return_freed_memory()  # as `python -m incident` does for the pipeline (see incident.memory)
n = int(sys.argv[1])
incident = generate.incident(platforms=[f"gen-p{i:02d}" for i in range(20)])
t0 = time.perf_counter()
ev = generate.corpus(n_sources=10000, n_claims=n)
t1 = time.perf_counter()
r = reconstruct(ev, incident=incident)
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# the floor: the three claim tables as one frame, sorted by claim id
t3 = time.perf_counter()
floor = pd.concat([ev.timeline, ev.counts, ev.statements], ignore_index=True).sort_values("claim_id")
t4 = time.perf_counter()
print(json.dumps({"n": n, "generate_s": t1 - t0, "reconstruct_s": t2 - t1, "floor_s": t4 - t3, "peak_mb": peak,
                  "accounts": len(r.accounts), "conflicts": len(r.conflicts), "episodes": len(r.sequence)}))
"""


def bench_reconstruction(sizes=SIZES) -> list[dict]:
    print(
        f"== 1. reconstruction of generated corpora (10,000 sources, 20 platforms; one fresh subprocess each; "
        f"goal at 1M claims: <= {GOAL_SECONDS:.0f} s, <= {GOAL_RSS_MB:.0f} MB peak RSS)",
        flush=True,
    )
    out = []
    prev = None
    for n in sizes:
        run = subprocess.run(
            [sys.executable, "-c", _CHILD, str(n)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"reconstruction of {n:,} claims failed")
        d = json.loads(run.stdout.strip().splitlines()[-1])
        growth = f" | x{d['reconstruct_s'] / prev:.1f} time for x10 claims" if prev else ""
        goal = ""
        if n == 1_000_000:
            ok_t, ok_m = d["reconstruct_s"] <= GOAL_SECONDS, d["peak_mb"] <= GOAL_RSS_MB
            goal = (
                f"\n   {'':>9}  goal: <= {GOAL_SECONDS:.0f} s ({'met' if ok_t else 'NOT met'}), "
                f"<= {GOAL_RSS_MB:.0f} MB ({'met' if ok_m else 'NOT met'})"
            )
        print(
            f"   {n:>9,} claims: reconstruct {d['reconstruct_s']:7.2f} s | floor (concat + sort by id) "
            f"{d['floor_s']:6.2f} s | ratio {d['reconstruct_s'] / d['floor_s']:5.1f}x | peak RSS "
            f"{d['peak_mb']:6.0f} MB | {d['accounts']:,} accounts, {d['episodes']} episodes, {d['conflicts']:,} "
            f"conflicts (generate {d['generate_s']:.1f} s){growth}{goal}",
            flush=True,
        )
        prev = d["reconstruct_s"]
        out.append(d)
    return out


def main(argv: list[str] | None = None) -> int:
    parts = set(argv if argv is not None else sys.argv[1:]) or {"segmentation", "reconstruction"}
    t = time.perf_counter()
    if "reconstruction" in parts:
        bench_reconstruction()
    if "segmentation" in parts:
        bench_segmentation()
    print(f"(bench total {time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
