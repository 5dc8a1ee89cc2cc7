"""Seeded generators of synthetic data for tests and benchmarks, always with the ground truth.

Nothing here is evidence. Every frame carries a ``generated`` column set to ``True`` and
every generated source id starts with ``gen-`` so that generated rows can never be mistaken
for reporting. Generators return the data *and* what the analysis should recover from it.

Example:
    >>> signal, bkps = step_signal(n=200, breakpoints=[50, 120], seed=1)
    >>> signal.shape, bkps
    ((200,), [50, 120, 200])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from incident.config import SEED, TIMEZONE

#: Monday 11 January 2021, 00:00 local: start of the generated incident week.
WEEK_START = pd.Timestamp("2021-01-11", tz=TIMEZONE)


def step_signal(
    *,
    n: int,
    breakpoints: list[int],
    levels: list[float] | None = None,
    noise: float = 0.05,
    seed: int = SEED,
) -> tuple[np.ndarray, list[int]]:
    """Piecewise-constant signal with Gaussian noise and known breakpoints.

    Args:
        n: Number of samples.
        breakpoints: Sorted change positions, each in ``(0, n)`` (index of the first sample
            of the new regime, as in ruptures).
        levels: Mean of each of the ``len(breakpoints) + 1`` regimes; default alternates
            0 and 1.
        noise: Standard deviation of the added noise (same unit as the levels).
        seed: Random seed.

    Returns:
        ``(signal, true_bkps)``: signal of shape (n,), float64; ``true_bkps`` the
        breakpoints in ruptures convention (sorted, ending with ``n``).

    Raises:
        ValueError: If breakpoints are not strictly increasing inside ``(0, n)`` or the
            number of levels does not fit.
    """
    bk = [int(b) for b in breakpoints]
    if any(b <= 0 or b >= n for b in bk) or any(a >= b for a, b in zip(bk, bk[1:])):
        raise ValueError(f"breakpoints must be strictly increasing inside (0, {n}): {bk}")
    if levels is None:
        levels = [float(i % 2) for i in range(len(bk) + 1)]
    if len(levels) != len(bk) + 1:
        raise ValueError(f"need {len(bk) + 1} levels, got {len(levels)}")
    rng = np.random.default_rng(seed)
    edges = [0, *bk, n]
    signal = np.concatenate([np.full(b - a, float(lv)) for a, b, lv in zip(edges, edges[1:], levels)])
    signal = signal + rng.normal(0.0, noise, size=n)
    return signal, [*bk, n]


def count_series(
    *,
    days: int = 7,
    bin_minutes: int = 15,
    base: float = 40.0,
    anomalies: list[tuple[int, int, float]] | None = None,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dense count series (e.g. crowd error reports per bin) with a daily rhythm and known anomalies.

    The typical level follows a school-day rhythm (low at night, peak late morning);
    counts are Poisson around it. Each anomaly multiplies the level over a bin range.

    Args:
        days: Number of days, starting Monday 11 January 2021 00:00 local.
        bin_minutes: Bin width in minutes (must divide 1440).
        base: Typical count per bin at the daily peak.
        anomalies: ``(start_bin, end_bin, factor)`` triples (end exclusive); default one
            anomaly on day 4 from 08:00 to 11:00 with factor 8.
        seed: Random seed.

    Returns:
        ``(series, truth)``: ``series`` with columns ``start``, ``end`` (tz-aware),
        ``value`` (int), ``generated`` (True), shape (days * 1440 / bin_minutes, 4);
        ``truth`` with columns ``start_bin``, ``end_bin``, ``factor``, ``start``, ``end``,
        ``generated``.
    """
    if 1440 % bin_minutes:
        raise ValueError("bin_minutes must divide 1440")
    per_day = 1440 // bin_minutes
    n = days * per_day
    if anomalies is None:
        s = 3 * per_day + (8 * 60) // bin_minutes
        anomalies = [(s, s + (3 * 60) // bin_minutes, 8.0)]
    rng = np.random.default_rng(seed)
    hour = (np.arange(n) % per_day) * bin_minutes / 60.0
    rhythm = 0.1 + 0.9 * np.exp(-0.5 * ((hour - 10.5) / 3.0) ** 2)
    level = base * rhythm
    for a, b, f in anomalies:
        level[a:b] *= f
    values = rng.poisson(level)
    starts = WEEK_START + pd.to_timedelta(np.arange(n) * bin_minutes, unit="min")
    series = pd.DataFrame({
        "start": starts,
        "end": starts + pd.Timedelta(minutes=bin_minutes),
        "value": values.astype(int),
        "generated": True,
    })
    truth = pd.DataFrame(anomalies, columns=["start_bin", "end_bin", "factor"])
    truth["start"] = WEEK_START + pd.to_timedelta(truth["start_bin"] * bin_minutes, unit="min")
    truth["end"] = WEEK_START + pd.to_timedelta(truth["end_bin"] * bin_minutes, unit="min")
    truth["generated"] = True
    return series, truth


@dataclass
class GeneratedEvidence:
    """Evidence-like frames of a generated corpus (same columns as the raw contract).

    Attributes:
        incident: Always ``"generated"``.
        sources, timeline, counts, statements: Frames as in ``docs/architecture.md`` plus
            ``published_at``/``published_start``/``published_end`` (sources) and
            ``generated`` (all True).
        truth: Ground truth per platform: ``platform``, ``onset``, ``recovery``.
        raw_rows: Rows per table.
    """

    incident: str
    sources: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    statements: pd.DataFrame
    truth: pd.DataFrame
    raw_rows: dict[str, int] = field(default_factory=dict)


#: Phrases the generated corpus uses, with the span each resolves to relative to the
#: outage day (hours after 00:00) — the truth the generated resolver returns.
GENERATED_PHRASES: dict[tuple[str, str], tuple[float, float, str]] = {
    ("am Montag", "gegen 8 Uhr"): (7.75, 8.25, "approx"),
    ("am Montag", "ab 8 Uhr"): (8.0, 8.0, "exact"),
    ("am Montag", "am Vormittag"): (8.0, 12.0, "part_of_day"),
    ("am Montag", "am Mittag"): (11.5, 13.5, "part_of_day"),
    ("am Montag", "gegen 14 Uhr"): (13.75, 14.25, "approx"),
    ("am Montag", ""): (0.0, 24.0, "day"),
}


def generated_resolver(day_text, time_text, reference):
    """Resolver for generated corpora: maps :data:`GENERATED_PHRASES` to spans on the Monday.

    Same call signature and return attributes as ``incident.timeexpr.parse_parts``
    (``text, start, end, kind, reason``). Unknown phrases come back unresolved.
    """
    from types import SimpleNamespace

    key = (day_text or "", time_text or "")
    text = " ".join(p for p in key if p)
    if key not in GENERATED_PHRASES:
        return SimpleNamespace(text=text, start=None, end=None, kind=None, reason="unknown generated phrase")
    a, b, kind = GENERATED_PHRASES[key]
    return SimpleNamespace(
        text=text,
        start=WEEK_START + pd.Timedelta(hours=a),
        end=WEEK_START + pd.Timedelta(hours=b),
        kind=kind,
        reason=None,
    )


def corpus(*, n_sources: int, n_claims: int, n_platforms: int = 20, syndication: float = 0.2,
           seed: int = SEED) -> GeneratedEvidence:
    """Generated evidence corpus with the raw-table columns, for scale tests and benchmarks.

    Each platform has one true outage on Monday 11 January 2021 (onset 08:00, recovery
    near midday or 14:00); claims are outage starts, degradations and restorations with
    phrases from :data:`GENERATED_PHRASES`, spread over sources; a share of sources are
    agency copies (shared ``syndication_group``); counts carry figures per platform with
    two competing values (a generated figure conflict).

    Args:
        n_sources: Number of sources (>= 1).
        n_claims: Number of claims, split 80 % timeline, 10 % counts, 10 % statements.
        n_platforms: Number of platforms ``gen-p00`` …
        syndication: Share of sources that are copies of one of 50 agency texts.
        seed: Random seed.

    Returns:
        :class:`GeneratedEvidence` with ``generated`` = True on every row.
    """
    rng = np.random.default_rng(seed)
    sid = np.char.add("gen-s", np.char.zfill(np.arange(n_sources).astype(str), 6))
    agency = rng.random(n_sources) < syndication
    group = np.where(agency, np.char.add("gen-dpa-", (rng.integers(0, 50, n_sources)).astype(str)), sid)
    pub_day = rng.integers(0, 3, n_sources)  # Mon..Wed
    published = (WEEK_START + pd.to_timedelta(pub_day, unit="D")).strftime("%Y-%m-%d")
    kind = np.where(rng.random(n_sources) < 0.05, "operator_statement", "news")
    pub_at = WEEK_START + pd.to_timedelta(pub_day, unit="D") + pd.Timedelta(hours=12)
    sources = pd.DataFrame({
        "source_id": sid, "outlet": np.char.add("Generated outlet ", (np.arange(n_sources) % 97).astype(str)),
        "url": np.char.add("https://example.org/generated/", sid), "headline": "generated",
        "published": published, "published_precision": "day", "published_basis": "generated",
        "kind": kind, "syndication_group": group, "syndication_note": None, "region": None,
        "verified": "no", "verification_note": None,
        "published_at": pub_at, "published_start": pub_at - pd.Timedelta(hours=12),
        "published_end": pub_at + pd.Timedelta(hours=12), "generated": True,
    })
    platforms = np.array([f"gen-p{i:02d}" for i in range(n_platforms)])
    n_tl = int(n_claims * 0.8)
    n_ct = int(n_claims * 0.1)
    n_st = n_claims - n_tl - n_ct
    claim_src = rng.integers(0, n_sources, n_claims)
    claim_no = np.arange(n_claims)
    cid = np.char.add(np.char.add(sid[claim_src], "#"), (claim_no + 1).astype(str))
    plat_idx = rng.integers(0, n_platforms, n_claims)
    plat = platforms[plat_idx]

    def base(sl: slice) -> dict:
        return {
            "claim_id": cid[sl], "source_id": sid[claim_src[sl]], "platform": plat[sl],
            "platform_text": None, "operator": "Generated operator", "what": "generated claim",
            "speaker": None, "quote": None, "dossier_day": "2021-01-11", "confidence_note": None,
        }

    tl = slice(0, n_tl)
    ev = rng.choice(np.array(["outage_start", "degraded", "restored"]), n_tl, p=[0.35, 0.35, 0.30])
    late_fix = plat_idx[tl] % 2 == 0  # platform-level truth: even platforms recover ~14:00
    time_text = np.where(ev == "outage_start", np.where(rng.random(n_tl) < 0.5, "gegen 8 Uhr", "ab 8 Uhr"),
                         np.where(ev == "degraded", "am Vormittag", np.where(late_fix, "gegen 14 Uhr", "am Mittag")))
    # a few time conflicts: 10 % of restorations give the other time
    flip = (ev == "restored") & (rng.random(n_tl) < 0.1)
    time_text = np.where(flip & (time_text == "am Mittag"), "gegen 14 Uhr",
                         np.where(flip & (time_text == "gegen 14 Uhr"), "am Mittag", time_text))
    timeline = pd.DataFrame({
        **base(tl), "day_text": "am Montag", "time_text": time_text, "kind": "event", "event": ev,
        "stance": np.where(ev == "restored", "working", "disrupted"), "cause": None, "generated": True,
    })
    cs = slice(n_tl, n_tl + n_ct)
    value = np.where(rng.random(n_ct) < 0.7, 4500.0, 4100.0)
    counts = pd.DataFrame({
        **base(cs), "day_text": None, "time_text": None, "kind": "count", "value": value,
        "value_text": np.where(value == 4500.0, "rund 4500 Schulen", "rund 4100 Schulen"), "unit": "schools",
        "quantity": None, "counted": "schools using the platform", "duration_text": None, "generated": True,
    })
    ss = slice(n_tl + n_ct, n_claims)
    statements = pd.DataFrame({
        **base(ss), "day_text": "am Montag", "time_text": None, "kind": "statement", "role": "spokesperson",
        "organisation": "Generated operator", "stance": "problems", "said_text": None, "generated": True,
    })
    truth = pd.DataFrame({"platform": platforms})
    lf = np.arange(n_platforms) % 2 == 0
    truth["onset"] = WEEK_START + pd.Timedelta(hours=8)
    truth["recovery"] = WEEK_START + pd.to_timedelta(np.where(lf, 14.0, 12.5), unit="h")
    truth["generated"] = True
    return GeneratedEvidence(
        incident="generated", sources=sources, timeline=timeline, counts=counts, statements=statements,
        truth=truth, raw_rows={"sources": n_sources, "timeline": n_tl, "counts": n_ct, "statements": n_st},
    )


def disruption_accounts(*, n_platforms: int = 20, n_accounts: int = 12, days: int = 7,
                        resolution_minutes: int = 1, seed: int = SEED) -> tuple[np.ndarray, pd.DataFrame]:
    """Per-account disruption probabilities on a minute grid, with known outage windows.

    For the change-point benchmark: each platform has one outage on each of the first
    five days (random onset 07:30–09:30, duration 2–6 h); each account reports it with
    uncertain edges (linear ramps of 0–60 minutes) or misses it (20 %).

    Args:
        n_platforms: Number of platforms.
        n_accounts: Accounts per platform.
        days: Days on the grid (one week = 7).
        resolution_minutes: Grid step in minutes.
        seed: Random seed.

    Returns:
        ``(prob, truth)``: ``prob`` of shape (n_platforms, n_accounts, n_bins), float64 in
        [0, 1], the probability each account says the platform is disrupted at each bin;
        ``truth`` with ``platform, day, onset_bin, recovery_bin, generated``.
    """
    rng = np.random.default_rng(seed)
    per_day = 1440 // resolution_minutes
    n = days * per_day
    t = np.arange(n, dtype=float)
    prob = np.zeros((n_platforms, n_accounts, n))
    rows = []
    for p in range(n_platforms):
        for d in range(min(days, 5)):
            on = d * per_day + rng.uniform(7.5, 9.5) * 60 / resolution_minutes
            off = on + rng.uniform(2, 6) * 60 / resolution_minutes
            rows.append((f"gen-p{p:02d}", d, int(round(on)), int(round(off))))
            for a in range(n_accounts):
                if rng.random() < 0.2:
                    continue
                w_on = max(rng.uniform(0, 60) / resolution_minutes, 1e-9)
                w_off = max(rng.uniform(0, 60) / resolution_minutes, 1e-9)
                a0 = on + rng.uniform(-w_on, 0)
                b0 = off + rng.uniform(-w_off, 0)
                f_on = np.clip((t - a0) / w_on, 0, 1)
                f_off = np.clip((t - b0) / w_off, 0, 1)
                prob[p, a] = np.maximum(prob[p, a], f_on * (1 - f_off))
    truth = pd.DataFrame(rows, columns=["platform", "day", "onset_bin", "recovery_bin"])
    truth["generated"] = True
    return prob, truth
