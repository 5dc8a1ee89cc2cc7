"""Dense count series (error reports per 15 minutes, requests per minute): baseline and anomalies.

Crowd-report sites such as Downdetector flag an outage when reports exceed a "typical
level" but do not publish the rule. This module states one:

* **Typical level** for a bin = the median of the same time-of-day slot on the *other*
  days of the series (leave-one-day-out, so an outage day cannot raise its own baseline);
  with fewer than two days, the median of the whole series.
* **Scale** = max(1.4826 × MAD of those same-slot values, √typical, 1): the robust spread,
  floored by Poisson noise.
* **Threshold** = typical + ``k`` × scale (``k`` = 3).
* **Start rule**: an anomaly starts at the first of ``min_bins`` (2) consecutive bins above
  the threshold. **End rule**: it ends at the first of ``end_bins`` (2) consecutive bins
  back below typical + 2 × scale (hysteresis: below the start threshold, and one quiet
  bin does not end it).

The same change-point function as the disruption state (:func:`incident.series.changepoints.segment`)
segments the standardised residual ``(value - typical) / scale``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incident.errors import ReconstructionError
from incident.series import changepoints

#: Threshold in scales above the typical level.
K = 3.0
#: Consecutive bins above the threshold that start an anomaly.
MIN_BINS = 2
#: Consecutive bins below typical + END_LEVEL scales that end it.
END_BINS = 2
#: End level in scales above the typical level (below :data:`K`: hysteresis).
END_LEVEL = 2.0


def baseline(values: np.ndarray, *, bins_per_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Typical level and scale per bin (leave-one-day-out median and MAD of the time-of-day slot).

    Args:
        values: Counts, shape (n,), starting at local midnight.
        bins_per_day: Bins per day (e.g. 96 for 15-minute bins).

    Returns:
        ``(typical, scale)``, both shape (n,), same unit as ``values``.
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    days = int(np.ceil(n / bins_per_day))
    pad = np.full(days * bins_per_day, np.nan)
    pad[:n] = x
    grid = pad.reshape(days, bins_per_day)
    if days < 2:
        typical = np.full((days, bins_per_day), np.nanmedian(x))
        mad = np.full((days, bins_per_day), np.nanmedian(np.abs(x - np.nanmedian(x))))
    else:
        typical = np.empty_like(grid)
        mad = np.empty_like(grid)
        for d in range(days):
            others = np.delete(grid, d, axis=0)
            med = np.nanmedian(others, axis=0)
            typical[d] = med
            mad[d] = np.nanmedian(np.abs(others - med), axis=0)
    typical = typical.ravel()[:n]
    scale = np.maximum.reduce([1.4826 * mad.ravel()[:n], np.sqrt(np.maximum(typical, 0)), np.ones(n)])
    return typical, scale


def episodes(
    above: np.ndarray, calm: np.ndarray, *, min_bins: int = MIN_BINS, end_bins: int = END_BINS
) -> list[tuple[int, int]]:
    """Anomaly episodes from the start and end rules.

    Args:
        above: Bin is above the threshold, shape (n,) bool.
        calm: Bin is below typical + END_LEVEL scales, shape (n,) bool.
        min_bins: Consecutive ``above`` bins that start an episode.
        end_bins: Consecutive ``calm`` bins that end it.

    Returns:
        ``(start, end)`` bin ranges, end exclusive.
    """
    out = []
    n = len(above)
    i = 0
    while i <= n - min_bins:
        if above[i : i + min_bins].all():
            j = i + min_bins
            while j < n and not calm[j : j + end_bins].all():
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def detect(
    series: pd.DataFrame, *, bin_minutes: int, k: float = K, min_bins: int = MIN_BINS, end_bins: int = END_BINS
) -> tuple[pd.DataFrame, list[int]]:
    """Flag anomalies in a dense count series and segment it.

    Args:
        series: One row per bin, sorted, regular: ``start`` (tz-aware, first bin at local
            midnight), ``value``; other columns (``claim_ids``, ``quantity`` …) are kept.
        bin_minutes: Bin width in minutes.
        k: Threshold in scales.
        min_bins: Start rule.
        end_bins: End rule.

    Returns:
        ``(flags, bkps)``: ``series`` plus ``baseline, scale, threshold, anomalous`` (bool)
        and ``episode`` (1, 2, … or 0); ``bkps`` the change points of the standardised
        residual (ruptures convention).

    Raises:
        ReconstructionError: If the bins are not regular.
    """
    s = series.sort_values("start", ignore_index=True).copy()
    if len(s) > 1:
        steps = s["start"].diff().dropna().dt.total_seconds().unique()
        if len(steps) != 1 or steps[0] != bin_minutes * 60:
            raise ReconstructionError(f"count series is not regular at {bin_minutes}-minute bins")
    x = s["value"].to_numpy(dtype=float)
    typical, scale = baseline(x, bins_per_day=1440 // bin_minutes)
    threshold = typical + k * scale
    eps = episodes(x > threshold, x < typical + END_LEVEL * scale, min_bins=min_bins, end_bins=end_bins)
    ep = np.zeros(len(x), dtype=int)
    for i, (a, b) in enumerate(eps, start=1):
        ep[a:b] = i
    s["baseline"], s["scale"], s["threshold"] = typical, scale, threshold
    s["anomalous"] = ep > 0
    s["episode"] = ep
    resid = (x - typical) / scale
    pen = changepoints.penalty(resid, resolution_minutes=bin_minutes, min_jump=k, min_duration_minutes=2 * bin_minutes)
    bkps = changepoints.segment(resid, pen=pen, min_size=2)
    return s, bkps


def dense_series(claims: pd.DataFrame, *, min_bins: int = 8) -> dict[str, pd.DataFrame]:
    """Find dense count series among resolved count claims.

    A quantity key whose figures come with at least ``min_bins`` resolved, non-overlapping
    time windows of one common positive width is a dense series (e.g. error reports per
    15 minutes). Reporting rarely holds one; an operator's logs or a status page would.

    Args:
        claims: Resolved claims with ``table, quantity, value, start, end, claim_id``.

    Returns:
        ``{quantity: frame}`` with ``start, end, value, claim_ids`` per bin.
    """
    c = claims[
        (claims["table"] == "counts") & claims["resolved"] & claims["value"].notna() & (claims["quantity"] != "")
    ]
    out = {}
    for q, g in c.groupby("quantity", sort=True):
        width = (g["end"] - g["start"]).dt.total_seconds()
        if len(g) < min_bins or width.nunique() != 1 or width.iloc[0] <= 0:
            continue
        g = g.sort_values("start")
        if (g["start"].iloc[1:].to_numpy() < g["end"].iloc[:-1].to_numpy()).any():
            continue
        out[q] = pd.DataFrame(
            {
                "start": g["start"].to_numpy(),
                "end": g["end"].to_numpy(),
                "value": g["value"].to_numpy(),
                "claim_ids": g["claim_id"].to_numpy(),
                "platform": g["platform"].to_numpy(),
            }
        )
    return out
