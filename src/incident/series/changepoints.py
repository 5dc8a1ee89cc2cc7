"""Change points of a measured series (requests, error reports or log lines per time bin).

ruptures' C implementation ``KernelCPD(kernel="linear")`` finds the optimal penalised l2
segmentation (the same optimum as ``Pelt(model="l2", jump=1)``, thousands of times faster;
``make bench`` measures both), with a penalty chosen by the documented rule of
:func:`penalty`. :mod:`incident.series.anomalies` uses it on the standardised residual of a
dense count series.

This is for series that were *measured*. Outage times told in words are never turned into
a series here: the Ablauf comes from the bounds the sources give
(:mod:`incident.reconstruct.bounds`).

Convention: a breakpoint ``k`` (ruptures) is the index of the first sample of the new regime.
"""

from __future__ import annotations

import numpy as np

#: Smallest change in level worth a breakpoint, in units of the signal (default).
MIN_JUMP = 0.2
#: Shortest regime worth reporting (default).
MIN_DURATION_MINUTES = 60


def penalty(
    signal: np.ndarray,
    *,
    resolution_minutes: float,
    min_jump: float = MIN_JUMP,
    min_duration_minutes: float = MIN_DURATION_MINUTES,
) -> float:
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
    import ruptures as rpt  # imported here: it pulls in scipy.stats (half a second) and most runs have no series

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
