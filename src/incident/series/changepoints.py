"""Disruption state on a time grid, its segmentation into regimes, and bootstrap intervals.

The state of a platform at time *t* is the share of independent accounts that say it was
disrupted at *t*. Each account's outage episode has an onset edge and a recovery edge,
each known only to a span (the span of the German phrase that states it); the edge time is
taken as uniformly distributed over that span, so the account's probability of "disrupted"
ramps linearly up over the onset span and down over the recovery span::

    p(t) = F_onset(t) * (1 - F_recovery(t)),   F_x uniform CDF over the edge span

The share is segmented with ruptures' C implementation ``KernelCPD(kernel="linear")``
(the same optimum as ``Pelt(model="l2", jump=1)``) and a penalty chosen by
:func:`penalty`; breakpoints get 90 % intervals by resampling independent sources.

Grid and signal conventions: bins are half-open ``[t, t + resolution)``; a breakpoint
``k`` (ruptures convention) is the first bin of the new regime, reported as that bin's
start time.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import ruptures as rpt
from scipy import sparse

from incident.config import SEED, TIMEZONE
from incident.errors import ReconstructionError

#: Incident window of the published analysis: Monday 11 to Friday 15 January 2021 (local).
WINDOW = (pd.Timestamp("2021-01-11", tz=TIMEZONE), pd.Timestamp("2021-01-16", tz=TIMEZONE))
#: Regime thresholds on the mean share of a segment: below the first → working,
#: below the second → degraded, else down.
REGIME_THRESHOLDS = (0.2, 0.6)
#: Smallest change in share worth a breakpoint (one regime band) …
MIN_JUMP = 0.2
#: … when it lasts at least this many minutes.
MIN_DURATION_MINUTES = 60
#: Penalty factors of the sensitivity table.
SENSITIVITY_FACTORS = (0.25, 0.5, 1.0, 2.0, 4.0)
#: End of the school day (local hour): an account that gives no end of its outage says
#: nothing after this; its recovery is spread from its last report to this hour.
DAY_END_HOUR = 18
#: Runs of zero share at least this long separate independent episodes (segmented apart).
GAP_MINUTES = 60
#: Zero bins kept on each side of an episode block so its edges can be breakpoints.
PAD_MINUTES = 15
#: A bootstrap breakpoint matches an original one when it lies at most this far away.
MATCH_MINUTES = 120


# --------------------------------------------------------------------------- grid and state


def grid(*, start: pd.Timestamp = WINDOW[0], end: pd.Timestamp = WINDOW[1], resolution_minutes: int = 5) -> pd.DatetimeIndex:
    """Bin start times of a regular grid.

    Args:
        start: First bin start (tz-aware).
        end: End of the grid (exclusive, tz-aware).
        resolution_minutes: Bin width in minutes.

    Returns:
        DatetimeIndex of shape (n_bins,), tz Europe/Berlin.
    """
    return pd.date_range(start, end, freq=f"{resolution_minutes}min", inclusive="left", tz=TIMEZONE)


def _minutes(ts, origin: pd.Timestamp) -> np.ndarray:
    """Minutes since ``origin`` as float64 (NaT → NaN)."""
    s = pd.to_datetime(pd.Series(ts), utc=True)
    out = (s - origin.tz_convert("UTC")).dt.total_seconds().to_numpy(dtype=float) / 60.0
    return out


def _ramp(t: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Uniform CDF over [a, b] evaluated at t; a step at a when b <= a. Shapes (E, 1) x (T,) -> (E, T)."""
    width = (b - a)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ramp = np.where(width > 0, (t[None, :] - a[:, None]) / np.where(width > 0, width, 1.0),
                        (t[None, :] >= a[:, None]).astype(float))
    return np.clip(ramp, 0.0, 1.0)


def episode_probabilities(episodes: pd.DataFrame, bins: pd.DatetimeIndex) -> np.ndarray:
    """Probability that each account episode says "disrupted" in each bin.

    Args:
        episodes: One row per account × platform × day with tz-aware columns
            ``onset_start, onset_end`` (span of the onset edge) and
            ``recovery_start, recovery_end`` (span of the recovery edge; NaT = no recovery
            edge: spread from the end of the onset span to :data:`DAY_END_HOUR`).
        bins: Grid bin starts, shape (n_bins,).

    Returns:
        Array of shape (n_episodes, n_bins), float64 in [0, 1], evaluated at bin centres.
    """
    if len(episodes) == 0:
        return np.zeros((0, len(bins)))
    origin = bins[0]
    step = (bins[1] - bins[0]).total_seconds() / 60.0 if len(bins) > 1 else 1.0
    t = _minutes(bins, origin) + step / 2.0
    a0, a1 = _minutes(episodes["onset_start"], origin), _minutes(episodes["onset_end"], origin)
    b0, b1 = _minutes(episodes["recovery_start"], origin), _minutes(episodes["recovery_end"], origin)
    day_end = _minutes(pd.to_datetime(episodes["day"]).dt.tz_localize(TIMEZONE) + pd.Timedelta(hours=DAY_END_HOUR), origin)
    open_end = np.isnan(b0)
    b0 = np.where(open_end, a1, b0)
    b1 = np.where(open_end, np.maximum(day_end, a1), b1)
    return _ramp(t, a0, a1) * (1.0 - _ramp(t, b0, b1))


def day_matrix(episodes: pd.DataFrame, bins: pd.DatetimeIndex) -> np.ndarray:
    """Indicator of which bins fall on each episode's day.

    Args:
        episodes: Frame with a ``day`` column (ISO date string, local).
        bins: Grid bin starts.

    Returns:
        Array of shape (n_episodes, n_bins), float64 0/1.
    """
    bin_day = np.asarray(bins.strftime("%Y-%m-%d"))
    return (np.asarray(episodes["day"].astype(str))[:, None] == bin_day[None, :]).astype(float)


def share(prob: np.ndarray, days: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share of accounts saying "disrupted", per bin, for one or many weightings.

    Args:
        prob: Episode probabilities, shape (n_episodes, n_bins).
        days: Episode-day indicators, shape (n_episodes, n_bins).
        weights: Episode weights, shape (n_episodes,) or (n_resamples, n_episodes);
            default all ones.

    Returns:
        ``(share, n_accounts)``: both shape (n_bins,) or (n_resamples, n_bins); share is 0
        where no account speaks about the day.
    """
    w = np.ones(prob.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    if w.ndim == 2 and prob.shape[0]:
        # many resamples: episodes are non-zero on a few hours of one day → sparse products
        num = np.asarray((sparse.csr_matrix(prob).T @ w.T).T)
        den = np.asarray((sparse.csr_matrix(days).T @ w.T).T)
    else:
        num = w @ prob
        den = w @ days
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0), den


# --------------------------------------------------------------------------- segmentation


def penalty(signal: np.ndarray, *, resolution_minutes: float, min_jump: float = MIN_JUMP,
            min_duration_minutes: float = MIN_DURATION_MINUTES) -> float:
    """Penalty of the l2 segmentation (the documented rule).

    ``pen = max(2 * sigma**2 * ln(n), min_jump**2 * L / 2)`` with ``sigma`` the noise
    level estimated from first differences (MAD / 0.6745 / sqrt 2) and ``L`` the minimum
    duration in bins: a step of ``min_jump`` lasting ``L`` bins is exactly worth two
    breakpoints (the split lowers the l2 cost by about ``L * min_jump**2``), shorter or
    smaller steps are not; the first term keeps noise from being segmented (BIC-like).

    Args:
        signal: Shape (n,) or (n, 1).
        resolution_minutes: Minutes per bin.
        min_jump: Smallest change in level worth reporting (signal units).
        min_duration_minutes: Shortest regime worth reporting.

    Returns:
        The penalty (signal units squared × bins).
    """
    x = np.asarray(signal, dtype=float).ravel()
    n = max(len(x), 2)
    d = np.diff(x)
    sigma = float(np.median(np.abs(d - np.median(d))) / 0.6745 / np.sqrt(2)) if len(d) else 0.0
    length = max(min_duration_minutes / resolution_minutes, 1.0)
    return float(max(2.0 * sigma**2 * np.log(n), min_jump**2 * length / 2.0))


def segment(signal: np.ndarray, *, pen: float, min_size: int = 2) -> list[int]:
    """Optimal penalised l2 segmentation with ruptures' C ``KernelCPD(kernel="linear")``.

    Args:
        signal: Shape (n,) or (n, d).
        pen: Penalty per breakpoint (> 0).
        min_size: Minimum segment length in samples.

    Returns:
        Breakpoints in ruptures convention (sorted, last = n), as Python ints.
    """
    x = np.asarray(signal, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = x.shape[0]
    if n < 2 * min_size:
        return [n]
    algo = rpt.KernelCPD(kernel="linear", min_size=min_size).fit(x)
    return [int(b) for b in algo.predict(pen=pen)]


def blocks(signal: np.ndarray, *, gap: int, pad: int) -> list[tuple[int, int]]:
    """Index ranges of episodes: runs where the signal is non-zero, padded, split at zero gaps.

    Args:
        signal: Shape (n,).
        gap: A run of at least this many exact zeros separates two blocks.
        pad: Zero samples kept on each side of a block (``2 * pad <= gap``).

    Returns:
        Sorted, non-overlapping ``(start, end)`` ranges (end exclusive).
    """
    x = np.asarray(signal, dtype=float).ravel()
    nz = np.flatnonzero(x != 0)
    if len(nz) == 0:
        return []
    cut = np.flatnonzero(np.diff(nz) > gap)
    starts = np.concatenate([[nz[0]], nz[cut + 1]])
    ends = np.concatenate([nz[cut], [nz[-1]]]) + 1
    return [(max(int(s) - pad, 0), min(int(e) + pad, len(x))) for s, e in zip(starts, ends)]


def segment_blocks(signal: np.ndarray, *, pen: float, gap: int, pad: int, min_size: int = 2) -> list[int]:
    """Segment each episode block separately (see :func:`blocks`) and join the breakpoints.

    Long stretches where no account reports a disruption (share exactly 0) are one
    working regime by construction; segmenting the blocks between them keeps the
    quadratic cost of KernelCPD's Pelt on short pieces.

    Args:
        signal: Shape (n,).
        pen: Penalty per breakpoint.
        gap: Zero-run length (samples) that separates blocks.
        pad: Zero samples kept around each block.
        min_size: Minimum segment length (samples).

    Returns:
        Breakpoints in ruptures convention (last = n).
    """
    x = np.asarray(signal, dtype=float).ravel()
    out: list[int] = []
    for s, e in blocks(x, gap=gap, pad=pad):
        out.extend(s + b for b in segment(x[s:e], pen=pen, min_size=min_size)[:-1])
    return [*sorted(set(out)), len(x)]


def regime(level: float) -> str:
    """Regime name of a segment's mean share (see :data:`REGIME_THRESHOLDS`)."""
    lo, hi = REGIME_THRESHOLDS
    return "working" if level < lo else ("degraded" if level < hi else "down")


def segments(signal: np.ndarray, bkps: list[int]) -> pd.DataFrame:
    """Segments of a segmentation with mean level and regime.

    Args:
        signal: Shape (n,).
        bkps: Breakpoints (ruptures convention).

    Returns:
        Frame with ``start, end`` (sample indices, end exclusive), ``level``, ``regime``.
    """
    x = np.asarray(signal, dtype=float).ravel()
    edges = [0, *bkps]
    rows = [(a, b, float(x[a:b].mean()) if b > a else 0.0) for a, b in zip(edges, edges[1:])]
    df = pd.DataFrame(rows, columns=["start", "end", "level"])
    df["regime"] = df["level"].map(regime)
    return df


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class Settings:
    """Segmentation settings in samples (derived from minutes and the grid resolution)."""

    pen: float
    gap: int | None
    pad: int
    min_size: int
    match: int


def settings(signal: np.ndarray, *, resolution_minutes: int, factor: float = 1.0, min_size: int = 2,
             blockwise: bool = False) -> Settings:
    """Settings for one platform: penalty rule × factor, gaps (None = global) and matching window in bins."""
    return Settings(
        pen=factor * penalty(signal, resolution_minutes=resolution_minutes),
        gap=max(int(GAP_MINUTES // resolution_minutes), 2 * int(PAD_MINUTES // resolution_minutes), 1) if blockwise else None,
        pad=max(int(PAD_MINUTES // resolution_minutes), min_size),
        min_size=min_size,
        match=max(int(MATCH_MINUTES // resolution_minutes), 1),
    )


def bootstrap_weights(groups: np.ndarray, *, n_boot: int, seed: int = SEED) -> np.ndarray:
    """Episode weights of a bootstrap over independent sources (account groups).

    Args:
        groups: Group label of each episode, shape (n_episodes,).
        n_boot: Number of resamples.
        seed: Random seed.

    Returns:
        Array of shape (n_boot, n_episodes): how often each episode's group was drawn.
    """
    uniq, inv = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(len(uniq), np.full(len(uniq), 1.0 / len(uniq)), size=n_boot) if len(uniq) else np.zeros((n_boot, 0))
    return draws[:, inv].astype(float)


def bootstrap_intervals(prob: np.ndarray, days: np.ndarray, groups: np.ndarray, bkps: list[int], *,
                        cfg: Settings, n_boot: int, seed: int = SEED, level: float = 0.90) -> pd.DataFrame:
    """Interval of each breakpoint from resampling independent sources with replacement.

    Each resample draws the account groups (independent sources) with replacement,
    recomputes the share, segments it with the same settings, and matches every original
    breakpoint to the nearest resampled one within ``cfg.match`` bins.

    Args:
        prob: Episode probabilities, shape (n_episodes, n_bins).
        days: Episode-day indicators, shape (n_episodes, n_bins).
        groups: Account group per episode, shape (n_episodes,).
        bkps: Original breakpoints (ruptures convention; the last, n, is ignored).
        cfg: Segmentation settings.
        n_boot: Number of resamples.
        seed: Random seed.
        level: Interval coverage (0.90 → 5th and 95th percentiles).

    Returns:
        Frame with one row per breakpoint: ``bkp, lo, hi`` (bin indices, float), ``support``
        (share of resamples with a match).
    """
    inner = np.asarray(bkps[:-1], dtype=float)
    if len(inner) == 0:
        return pd.DataFrame(columns=["bkp", "lo", "hi", "support"])
    w = bootstrap_weights(groups, n_boot=n_boot, seed=seed)
    sig, _ = share(prob, days, w)
    matched = np.full((n_boot, len(inner)), np.nan)
    for i in range(n_boot):
        found = np.asarray(_seg(sig[i], cfg)[:-1], dtype=float)
        if len(found) == 0:
            continue
        dist = np.abs(found[None, :] - inner[:, None])
        j = dist.argmin(axis=1)
        ok = dist[np.arange(len(inner)), j] <= cfg.match
        matched[i, ok] = found[j[ok]]
    q = (1 - level) / 2 * 100
    support = np.mean(~np.isnan(matched), axis=0)
    lo = np.array([np.nanpercentile(matched[:, k], q, method="lower") if support[k] > 0 else np.nan for k in range(len(inner))])
    hi = np.array([np.nanpercentile(matched[:, k], 100 - q, method="higher") if support[k] > 0 else np.nan
                   for k in range(len(inner))])
    return pd.DataFrame({"bkp": inner, "lo": lo, "hi": hi, "support": support})


# --------------------------------------------------------------------------- per platform


@dataclass
class PlatformResult:
    """Segmentation of one platform's share.

    Attributes:
        platform: Platform id.
        share: Share per bin, shape (n_bins,).
        n_accounts: Accounts speaking about each bin's day, shape (n_bins,).
        bkps: Breakpoints (ruptures convention).
        segments: Output of :func:`segments`.
        intervals: Output of :func:`bootstrap_intervals`.
        cfg: Settings used.
        sensitivity: Breakpoints per penalty factor: ``{factor: (pen, bkps)}``.
    """

    platform: str
    share: np.ndarray
    n_accounts: np.ndarray
    bkps: list[int]
    segments: pd.DataFrame
    intervals: pd.DataFrame
    cfg: Settings
    sensitivity: dict


def _seg(signal: np.ndarray, cfg: Settings, pen: float | None = None) -> list[int]:
    """Segment with the settings: block-wise when ``cfg.gap`` is set, else the global optimum."""
    pen = cfg.pen if pen is None else pen
    if cfg.gap is None:
        return segment(signal, pen=pen, min_size=cfg.min_size)
    return segment_blocks(signal, pen=pen, gap=cfg.gap, pad=cfg.pad, min_size=cfg.min_size)


def analyse_platform(platform: str, prob: np.ndarray, days: np.ndarray, groups: np.ndarray, *,
                     resolution_minutes: int, n_boot: int = 200, seed: int = SEED,
                     factors: tuple[float, ...] = SENSITIVITY_FACTORS, blockwise: bool = False) -> PlatformResult:
    """Share, segmentation, penalty sensitivity and bootstrap intervals for one platform.

    Args:
        platform: Platform id.
        prob: Episode probabilities, shape (n_episodes, n_bins).
        days: Episode-day indicators, shape (n_episodes, n_bins).
        groups: Independent-source label of each episode, shape (n_episodes,).
        resolution_minutes: Minutes per bin.
        n_boot: Bootstrap resamples (0 → no intervals).
        seed: Random seed.
        factors: Penalty factors for the sensitivity table.
        blockwise: Segment episode blocks separately (:func:`segment_blocks`; fast, used
            for minute grids) instead of the whole signal (exact optimum; the default).

    Returns:
        :class:`PlatformResult`.
    """
    sig, den = share(prob, days)
    cfg = settings(sig, resolution_minutes=resolution_minutes, blockwise=blockwise)
    bk = _seg(sig, cfg)
    sens = {}
    for f in factors:
        pen = cfg.pen * f
        sens[f] = (pen, bk if f == 1.0 else _seg(sig, cfg, pen))
    iv = (bootstrap_intervals(prob, days, groups, bk, cfg=cfg, n_boot=n_boot, seed=seed) if n_boot
          else pd.DataFrame({"bkp": np.asarray(bk[:-1], float), "lo": np.nan, "hi": np.nan, "support": np.nan}))
    return PlatformResult(platform, sig, den, bk, segments(sig, bk), iv, cfg, sens)


def _analyse_star(args):
    return analyse_platform(*args[:4], **args[4])


#: Jobs shared with forked workers (copy-on-write; avoids pickling the probability matrices).
_JOBS: list = []


def _analyse_index(i: int) -> PlatformResult:
    return _analyse_star(_JOBS[i])


def analyse(inputs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]], *, resolution_minutes: int,
            n_boot: int = 200, seed: int = SEED, n_jobs: int = 1, blockwise: bool = False) -> list[PlatformResult]:
    """Run :func:`analyse_platform` for many platforms, optionally in worker processes.

    Args:
        inputs: ``(platform, prob, days, groups)`` per platform.
        resolution_minutes: Minutes per bin.
        n_boot: Bootstrap resamples per platform.
        seed: Random seed (the same for every platform, so results do not depend on order).
        n_jobs: Worker processes (1 = in this process).
        blockwise: See :func:`analyse_platform`.

    Returns:
        One :class:`PlatformResult` per input, in input order.
    """
    kw = {"resolution_minutes": resolution_minutes, "n_boot": n_boot, "seed": seed, "blockwise": blockwise}
    jobs = [(*inp, kw) for inp in inputs]
    if n_jobs <= 1 or len(jobs) <= 1:
        return [_analyse_star(j) for j in jobs]
    global _JOBS
    _JOBS = jobs
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=multiprocessing.get_context("fork")) as ex:
            return list(ex.map(_analyse_index, range(len(jobs))))
    finally:
        _JOBS = []


# --------------------------------------------------------------------------- tables


def state_table(results: list[PlatformResult], bins: pd.DatetimeIndex, episodes: pd.DataFrame,
                prob_by_platform: dict[str, np.ndarray]) -> pd.DataFrame:
    """``disruption_state.csv``: platform × bin with share, accounts and contributing claims.

    Args:
        results: Per-platform results.
        bins: Grid bin starts.
        episodes: Episodes with ``platform`` and ``claim_ids`` columns (same order as the
            rows of each platform's probability matrix).
        prob_by_platform: Episode probabilities per platform.

    Returns:
        Frame with columns ``platform, time, share, n_accounts, n_disrupted, claim_ids``.
    """
    frames = []
    for r in results:
        ep = episodes[episodes["platform"] == r.platform]
        prob = prob_by_platform[r.platform]
        ids = ep["claim_ids"].to_numpy()
        contrib = prob > 0
        claim_ids = ["; ".join(sorted(set("; ".join(ids[contrib[:, k]]).split("; ")) - {""})) for k in range(len(bins))]
        frames.append(pd.DataFrame({
            "platform": r.platform, "time": bins, "share": r.share, "n_accounts": r.n_accounts,
            "n_disrupted": prob.sum(axis=0), "claim_ids": claim_ids,
        }))
    if not frames:
        return pd.DataFrame(columns=["platform", "time", "share", "n_accounts", "n_disrupted", "claim_ids"])
    return pd.concat(frames, ignore_index=True)


def nearest_claims(bkp_times: pd.Series, directions: pd.Series, platforms: pd.Series, claimed: pd.DataFrame) -> pd.DataFrame:
    """Nearest spokesperson-claimed time of the same direction for each breakpoint (same day).

    Args:
        bkp_times: Breakpoint times (tz-aware).
        directions: ``"up"`` (share rises: onset) or ``"down"`` (recovery) per breakpoint.
        platforms: Platform per breakpoint.
        claimed: Claimed times with columns ``platform, direction, time, event, phrase,
            claim_id, witness``.

    Returns:
        Frame aligned with the breakpoints: ``claimed_event, claimed_time, claimed_phrase,
        claimed_claim_id, claimed_witness, offset_minutes``.
    """
    out = []
    for t, d, p in zip(bkp_times, directions, platforms):
        c = claimed[(claimed["platform"] == p) & (claimed["direction"] == d)
                    & (claimed["time"].dt.strftime("%Y-%m-%d") == t.strftime("%Y-%m-%d"))]
        if len(c) == 0:
            out.append((None, pd.NaT, None, None, None, np.nan))
            continue
        off = (t - c["time"]).dt.total_seconds() / 60.0
        order = np.lexsort((c["claim_id"].to_numpy(), np.abs(off.to_numpy())))
        i = order[0]
        row = c.iloc[i]
        out.append((row["event"], row["time"], row["phrase"], row["claim_id"], row["witness"], float(off.iloc[i])))
    return pd.DataFrame(out, columns=["claimed_event", "claimed_time", "claimed_phrase", "claimed_claim_id",
                                      "claimed_witness", "offset_minutes"])


def changepoint_table(results: list[PlatformResult], bins: pd.DatetimeIndex, claimed: pd.DataFrame,
                      claim_ids_by_platform: dict[str, str]) -> pd.DataFrame:
    """``changepoints.csv``: breakpoints with interval, regimes and the nearest claimed time.

    Args:
        results: Per-platform results.
        bins: Grid bin starts.
        claimed: Spokesperson-claimed times (see :func:`nearest_claims`).
        claim_ids_by_platform: Claim ids behind each platform's state.

    Returns:
        Frame with the columns listed in ``docs/method.md``.
    """
    if len(bins) < 2:
        raise ReconstructionError("the grid needs at least two bins")
    step = bins[1] - bins[0]
    rows = []
    for r in results:
        seg = r.segments
        for k, b in enumerate(r.bkps[:-1]):
            before, after = seg.iloc[k], seg.iloc[k + 1]
            iv = r.intervals[r.intervals["bkp"] == b]
            lo = iv["lo"].iloc[0] if len(iv) else np.nan
            hi = iv["hi"].iloc[0] if len(iv) else np.nan
            sup = iv["support"].iloc[0] if len(iv) else np.nan
            rows.append({
                "platform": r.platform, "breakpoint": bins[0] + b * step,
                "lo90": bins[0] + lo * step if np.isfinite(lo) else pd.NaT,
                "hi90": bins[0] + hi * step if np.isfinite(hi) else pd.NaT,
                "support": sup, "regime_before": before["regime"], "regime_after": after["regime"],
                "level_before": before["level"], "level_after": after["level"], "penalty": r.cfg.pen,
                "direction": "up" if after["level"] > before["level"] else "down",
                "claim_ids": claim_ids_by_platform.get(r.platform, ""),
            })
    cols = ["platform", "breakpoint", "lo90", "hi90", "support", "regime_before", "regime_after", "level_before",
            "level_after", "penalty", "claimed_event", "claimed_time", "claimed_phrase", "claimed_claim_id",
            "claimed_witness", "offset_minutes", "claim_ids"]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows)
    near = nearest_claims(df["breakpoint"], df["direction"], df["platform"], claimed)
    df = pd.concat([df.reset_index(drop=True), near], axis=1)
    return df[cols]


def sensitivity_table(results: list[PlatformResult], bins: pd.DatetimeIndex,
                      claim_ids_by_platform: dict[str, str]) -> pd.DataFrame:
    """``penalty_sensitivity.csv``: breakpoints per platform and penalty factor."""
    step = bins[1] - bins[0]
    rows = []
    for r in results:
        for f, (pen, bk) in sorted(r.sensitivity.items()):
            times = "; ".join((bins[0] + b * step).isoformat() for b in bk[:-1])
            rows.append({"platform": r.platform, "penalty_factor": f, "penalty": pen, "n_breakpoints": len(bk) - 1,
                         "breakpoints": times, "claim_ids": claim_ids_by_platform.get(r.platform, "")})
    return pd.DataFrame(rows, columns=["platform", "penalty_factor", "penalty", "n_breakpoints", "breakpoints", "claim_ids"])
