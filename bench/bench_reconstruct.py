"""Benchmarks of the reconstruction (run by ``make bench``; not a test): prints the figures.

1. Segmentation: ruptures' C ``KernelCPD(kernel="linear")`` vs pure-Python
   ``Pelt(model="l2")`` on the same generated 20,000-point signal, same penalty.
   ``jump=5`` (Pelt's default) runs on the full signal; ``jump=1`` (the exact optimum,
   identical breakpoints asserted) is quadratic-and-worse in pure Python, so it runs on
   2,000- and 4,000-point prefixes and its 20,000-point time is extrapolated from the
   measured growth (said so in the output).
2. Change points with 200 bootstrap resamples for 20 platforms × one week at 1-minute
   resolution (10,080 bins), 2 worker processes; plus the agreement of the block-wise
   segmentation with a global KernelCPD run on each platform's signal.
3. Reconstruction of generated corpora (10,000 sources; 10k, 100k, 1M claims), each in a
   subprocess: wall time of :func:`incident.reconstruct.reconstruct` and peak resident
   memory of the process (``VmHWM``; includes the generated corpus and the libraries).

All data here is generated (:mod:`incident.generate`, labelled generated).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import ruptures as rpt

from incident.series import changepoints as cp
from incident import generate
from incident.config import SEED


def _signal(n: int) -> tuple[np.ndarray, float]:
    bk = list(np.linspace(0, n, 41).astype(int)[1:-1])  # 39 breakpoints, every 500 points at n = 20,000
    levels = list(np.random.default_rng(SEED).normal(0, 1, len(bk) + 1))
    x, _ = generate.step_signal(n=n, breakpoints=bk, levels=levels, noise=0.2, seed=SEED)
    return x, cp.penalty(x, resolution_minutes=1, min_duration_minutes=30)


def _time(f, repeat: int = 1) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench_segmentation() -> dict:
    x, pen = _signal(20_000)
    t_k, bk_k = _time(lambda: cp.segment(x, pen=pen, min_size=2), repeat=3)
    t_p5, bk_p5 = _time(lambda: rpt.Pelt(model="l2", min_size=2, jump=5).fit(x[:, None]).predict(pen=pen))
    prefix = {}
    for n in (2_000, 4_000):
        xs = x[:n]
        tk, a = _time(lambda: cp.segment(xs, pen=pen, min_size=2), repeat=3)
        tp, b = _time(lambda: rpt.Pelt(model="l2", min_size=2, jump=1).fit(xs[:, None]).predict(pen=pen))
        assert a == [int(v) for v in b], f"KernelCPD and Pelt(l2, jump=1) disagree at n={n}"
        prefix[n] = (tk, tp, len(a) - 1)
    expo = np.log(prefix[4_000][1] / prefix[2_000][1]) / np.log(2)
    t_p1_est = prefix[4_000][1] * (20_000 / 4_000) ** expo
    print("== 1. segmentation: same signal, same penalty (generated, 20,000 points, 39 true breakpoints)")
    print(f"   KernelCPD(kernel='linear')  n=20,000      {t_k:8.3f} s   {len(bk_k) - 1} breakpoints")
    print(f"   Pelt(model='l2', jump=5)    n=20,000      {t_p5:8.3f} s   {len(bk_p5) - 1} breakpoints "
          f"(ratio {t_p5 / t_k:,.0f}x)")
    for n, (tk, tp, nb) in prefix.items():
        print(f"   n={n:>6,}: KernelCPD {tk:8.4f} s | Pelt(l2, jump=1) {tp:8.3f} s | ratio {tp / tk:,.0f}x | "
              f"{nb} breakpoints, identical: yes")
    print(f"   Pelt(l2, jump=1) n=20,000: not run (grows ~n^{expo:.1f} here); extrapolated {t_p1_est:,.0f} s "
          f"→ ratio ≈ {t_p1_est / t_k:,.0f}x vs KernelCPD")
    return {"kernelcpd_20k_s": t_k, "pelt_jump5_20k_s": t_p5, "pelt_jump1_prefix": prefix, "pelt_jump1_20k_est_s": t_p1_est}


def bench_changepoints(n_jobs: int = 2) -> dict:
    prob, _ = generate.disruption_accounts(n_platforms=20, n_accounts=12, days=7, resolution_minutes=1, seed=SEED)
    n_bins = prob.shape[2]
    per_day = 1440
    inputs = []
    for p in range(prob.shape[0]):
        ep, days, groups = [], [], []
        for a in range(prob.shape[1]):
            for d in range(7):
                m = np.zeros(n_bins)
                m[d * per_day:(d + 1) * per_day] = 1.0
                ep.append(prob[p, a] * m)
                days.append(m)
                groups.append(f"acc{a}")
        inputs.append((f"gen-p{p:02d}", np.array(ep), np.array(days), np.array(groups)))
    t, res = _time(lambda: cp.analyse(inputs, resolution_minutes=1, n_boot=200, seed=SEED, n_jobs=n_jobs,
                                                 blockwise=True))
    cpu = time.process_time()
    cp.analyse(inputs[:2], resolution_minutes=1, n_boot=200, seed=SEED, n_jobs=1, blockwise=True)
    cpu = (time.process_time() - cpu) / 2 * len(inputs)
    same = 0
    worst = 0
    for r in res:
        glob = cp.segment(r.share, pen=r.cfg.pen, min_size=r.cfg.min_size)
        if glob == r.bkps:
            same += 1
        else:
            a, b = np.array(glob[:-1]), np.array(r.bkps[:-1])
            if len(a) and len(b):
                worst = max(worst, int(np.max(np.min(np.abs(a[:, None] - b[None, :]), axis=1))))
    print("== 2. change points + bootstrap (generated: 20 platforms × 10,080 one-minute bins × 200 resamples, "
          f"{n_jobs} processes)")
    print(f"   total {t:.2f} s wall (budget 5 s); {cpu:.1f} s CPU in one process (from 2 platforms); "
          f"load average now {os.getloadavg()[0]:.1f}; breakpoints found: {sum(len(r.bkps) - 1 for r in res)}")
    print(f"   block-wise segmentation (bench mode) identical to a global KernelCPD run on {same}/{len(res)} platforms"
          + (f"; otherwise each global breakpoint has a block-wise one within {worst} min (positions on ramps)"
             if same < len(res) else "") + "; published results use the global optimum")
    return {"changepoints_s": t, "cpu_s": cpu, "identical_to_global": same}


_CHILD = """
import json, resource, sys, time
from incident import generate, reconstruct
n = int(sys.argv[1])
t0 = time.perf_counter()
ev = generate.corpus(n_sources=10000, n_claims=n, seed=20210111)
t1 = time.perf_counter()
r = reconstruct.reconstruct(ev, resolver=generate.generated_resolver)
t2 = time.perf_counter()
# VmHWM: peak RSS of this process image (ru_maxrss can keep the forking parent's high-water mark)
hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")]
peak = hwm[0] / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "generate_s": t1 - t0, "reconstruct_s": t2 - t1, "maxrss_mb": peak,
                  "accounts": len(r.accounts), "conflicts": len(r.conflicts), "episodes": len(r.episodes)}))
"""


def bench_reconstruction(sizes=(10_000, 100_000, 1_000_000)) -> list[dict]:
    print("== 3. reconstruction of generated corpora (10,000 sources; one subprocess each; budget 100k: 10 s, 2 GB)")
    out = []
    prev = None
    for n in sizes:
        run = subprocess.run([sys.executable, "-c", _CHILD, str(n)], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": "0"})
        d = json.loads(run.stdout.strip().splitlines()[-1])
        growth = f"  ×{d['reconstruct_s'] / prev:.1f} time for ×10 claims" if prev else ""
        print(f"   {n:>9,} claims: reconstruct {d['reconstruct_s']:7.2f} s | peak RSS {d['maxrss_mb']:7.0f} MB | "
              f"{d['accounts']:,} accounts, {d['conflicts']} conflicts (generate {d['generate_s']:.1f} s){growth}")
        prev = d["reconstruct_s"]
        out.append(d)
    return out


def main(argv: list[str] | None = None) -> int:
    parts = set(argv if argv is not None else sys.argv[1:]) or {"segmentation", "changepoints", "reconstruction"}
    t = time.perf_counter()
    if "segmentation" in parts:
        bench_segmentation()
    if "changepoints" in parts:
        bench_changepoints()
    if "reconstruction" in parts:
        bench_reconstruction()
    print(f"(bench total {time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
