"""Row-wise rules evaluated once per distinct row: claims repeat the same few values a lot.

A rule that reads only some columns of a row gives the same answer for every row with the
same values there; :func:`per_distinct` runs it on the first row of each distinct
combination and spreads the answers back, so the rule's own (pandas) code stays the
single definition of what it computes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

#: Below this many rows the rule simply runs on every row.
SMALL = 256
#: Above this share of distinct rows the rule runs on every row too.
MOSTLY_DISTINCT = 0.5


def distinct(columns: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Distinct combinations of values across columns of equal length.

    Args:
        columns: Arrays or Series (missing values form a value of their own).

    Returns:
        ``(codes, first)``: row ``i`` has combination ``codes[i]`` (numbered by first
        appearance); ``first[j]`` is the first row with combination ``j``.
    """
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for col in columns:
        if _constant(col):  # one value throughout (an empty column of the raw tables): nothing to add
            continue
        c, u = pd.factorize(col, use_na_sentinel=False)
        key, uk = pd.factorize(key * len(u) + c) if size * max(len(u), 1) < 2**62 else _pair(key, c)
        size = len(uk)
    first = np.empty(size, dtype=np.intp)
    first[key[::-1]] = np.arange(n - 1, -1, -1)
    return key, first


def _constant(col) -> bool:
    """Whether a column of text holds one and the same value in every row (no missing value)."""
    if isinstance(col, pd.Series):
        if not (col.dtype == object or isinstance(col.dtype, pd.StringDtype)):
            return False
        col = col.to_numpy()
    values = col
    if not isinstance(values, np.ndarray) or values.dtype != object or not len(values):
        return False
    first = values[0]
    if type(first) is not str:
        return False
    with np.errstate(invalid="ignore"):
        return bool((values[:1024] == first).all()) and bool((values == first).all())


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return pd.factorize(pd.MultiIndex.from_arrays([a, b]))


def per_distinct(
    frame: pd.DataFrame, cols: Sequence[str], rule: Callable[[pd.DataFrame], pd.Series], extra: Sequence = ()
) -> pd.Series:
    """``rule(frame)`` computed once per distinct row of ``frame[cols]`` (plus ``extra`` keys).

    Args:
        frame: The rows.
        cols: Every column the rule reads.
        rule: Row-wise rule returning a Series aligned with its input.
        extra: More key arrays (same length as ``frame``) the answer depends on.

    Returns:
        The rule's Series (same dtype) aligned with ``frame``.
    """
    if len(frame) <= SMALL:
        return rule(frame)
    codes, first = distinct([frame[c] for c in cols] + list(extra))
    if len(first) > MOSTLY_DISTINCT * len(frame):
        return rule(frame)
    got = rule(frame.iloc[first])
    values = got.array.take(codes)
    return pd.Series(values, index=frame.index, name=got.name, dtype=got.dtype)
