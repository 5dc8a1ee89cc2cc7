"""Lists of ids inside one table cell (``'a#1; b#2'``): split, join, and join per group.

Every processed row carries the claim ids behind it as one ``'; '``-separated, sorted,
de-duplicated cell; these helpers are the only place that format is written or read.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

#: Separator of ids inside a cell.
SEP = "; "


def split_ids(cell: object) -> list[str]:
    """Split an id-list cell (``'a#1; b#2'``) into ids; empty, ``None`` and NaN give ``[]``."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or cell is pd.NA:
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def join_ids(values: Iterable[object]) -> str:
    """Sorted, de-duplicated ``'; '``-join of the ids in ``values`` (cells may hold lists)."""
    out: set[str] = set()
    for v in values:
        out.update(split_ids(v))
    return SEP.join(sorted(out))


def group_join(codes: np.ndarray, values, n_groups: int, sep: str = SEP) -> list[str]:
    """Sorted, de-duplicated join of non-empty strings per group, vectorised.

    Args:
        codes: Group number per row (0 … n_groups - 1), shape (n,).
        values: Strings per row, shape (n,).
        n_groups: Number of groups.
        sep: Separator.

    Returns:
        One joined string per group (``""`` when it has no non-empty value).
    """
    v = np.asarray(values, dtype=object).astype(str)
    codes = np.asarray(codes)
    keep = (v != "") & (v != "nan")
    v, codes = v[keep], codes[keep]
    order = np.lexsort((v, codes))
    v, codes = v[order], codes[order]
    out = [""] * n_groups
    if not len(v):
        return out
    first = np.ones(len(v), bool)
    first[1:] = (codes[1:] != codes[:-1]) | (v[1:] != v[:-1])
    v, codes = v[first], codes[first]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(v)]])
    vl = v.tolist()
    for g, a, b in zip(codes[starts].tolist(), starts.tolist(), ends.tolist()):
        out[g] = sep.join(vl[a:b])
    return out
