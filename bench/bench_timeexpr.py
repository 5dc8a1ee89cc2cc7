"""Throughput of incident.timeexpr in batch mode, with dateparser side by side.

``python bench/bench_timeexpr.py [--n N]`` prints one line per figure; :func:`run`
returns the same figures as a dict (the lead wires it into ``make bench``).

Figures (expressions per second, wall clock, single process):

* ``parse_per_s`` — :func:`incident.timeexpr.parse` / :func:`parse_parts` over the fixture
  phrases, cycled to ``n`` calls.
* ``cli_jsonl_per_s`` — ``python -m incident.timeexpr --jsonl`` fed ``n`` lines in one
  process (includes interpreter start-up, so it understates the steady rate for small n).
* ``dateparser_per_s`` — ``dateparser.parse`` (languages ``['de']``, same settings as the
  comparison) on the same phrases, ``min(n, dateparser_n)`` calls.
* ``ratio_parse_vs_dateparser`` — how many times faster our batch parse is.
* ``long_input_us`` — microseconds for one ``parse()`` of a 100,000-character input (median of
  200 calls; such input is refused by length, without a scan). The tests only check that it
  returns a reason; the time is measured here.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "timeexpr_phrases.csv"


def _phrases() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        if r["text"] or not (r["day_text"] or r["time_text"]):
            out.append({"text": r["text"], "reference": r["reference"]})
        else:
            out.append({"day_text": r["day_text"], "time_text": r["time_text"], "reference": r["reference"]})
    return out


def run(n: int = 20_000, dateparser_n: int = 2_000) -> dict:
    """Measure throughput.

    Args:
        n: Number of expressions for parse() and for the CLI batch.
        dateparser_n: Cap on dateparser calls (it is much slower).

    Returns:
        Dict with ``n``, ``parse_per_s``, ``cli_jsonl_per_s``, ``dateparser_per_s``,
        ``ratio_parse_vs_dateparser`` (expressions per second; ratio unitless) and ``long_input_us``.
    """
    from incident.timeexpr import parse, parse_parts

    sys.path.insert(0, str(ROOT / "tools"))
    from compare_timeexpr import dateparser_point

    phrases = _phrases()
    batch = list(itertools.islice(itertools.cycle(phrases), n))

    t0 = time.perf_counter()
    for p in batch:
        if "text" in p:
            parse(p["text"], p["reference"])
        else:
            parse_parts(p["day_text"], p["time_text"], p["reference"])
    parse_s = time.perf_counter() - t0

    payload = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in batch)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "incident.timeexpr", "--jsonl"],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    cli_s = time.perf_counter() - t0
    lines = proc.stdout.count("\n")
    if lines != n:
        raise RuntimeError(f"CLI answered {lines} lines for {n} inputs")

    dp_batch = batch[: min(n, dateparser_n)]
    dateparser_point("heute", "2021-01-12")  # import and language data load outside the timing
    t0 = time.perf_counter()
    for p in dp_batch:
        text = p.get("text") or f"{p.get('day_text', '')} {p.get('time_text', '')}".strip()
        if text:
            dateparser_point(text, p["reference"])
    dp_s = time.perf_counter() - t0

    long_text = ("am Montag " * 10_000)[:100_000]
    times = []
    for _ in range(200):
        t0 = time.perf_counter()
        parse(long_text, "2030-03-12T09:30:00+01:00")
        times.append(time.perf_counter() - t0)
    long_us = statistics.median(times) * 1e6

    parse_rate = n / parse_s
    dp_rate = len(dp_batch) / dp_s
    return {
        "n": n,
        "parse_per_s": parse_rate,
        "cli_jsonl_per_s": n / cli_s,
        "dateparser_per_s": dp_rate,
        "ratio_parse_vs_dateparser": parse_rate / dp_rate,
        "long_input_us": long_us,
    }


def main(argv: list[str] | None = None) -> int:
    """Print one line per figure."""
    ap = argparse.ArgumentParser(description="timeexpr throughput (expressions per second)")
    ap.add_argument("--n", type=int, default=20_000, help="expressions per batch (default 20000)")
    ap.add_argument("--dateparser-n", type=int, default=2_000, help="cap on dateparser calls (default 2000)")
    args = ap.parse_args(argv)
    res = run(args.n, args.dateparser_n)
    print(f"timeexpr parse() batch: {res['parse_per_s']:,.0f} expressions/s (n={res['n']})")
    print(
        f"timeexpr CLI --jsonl, one process: {res['cli_jsonl_per_s']:,.0f} expressions/s (n={res['n']}, incl. start-up)"
    )
    print(f"dateparser.parse (de): {res['dateparser_per_s']:,.0f} expressions/s")
    print(f"timeexpr / dateparser: {res['ratio_parse_vs_dateparser']:.1f}x")
    print(f"timeexpr parse() of 100,000 characters: {res['long_input_us']:.1f} µs (median of 200)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
