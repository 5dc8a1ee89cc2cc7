"""Lists of ids inside one table cell (``'a#1; b#2'``): split, join, and join per group.

Every processed row carries the claim ids behind it as one ``'; '``-separated, sorted,
de-duplicated cell; these helpers are the only place that format is written or read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Marker in a claim's ``confidence_note``: the claim repeats agency text carried by the named claim
#: (the data convention of ``data/raw/*/README.md``; the copy counts with that claim's group).
AGENCY_COPY = re.compile(r"AGENCY COPY of ([a-z0-9-]+#[0-9]+)")

#: Separator of ids inside a cell.
SEP = "; "


def split_ids(cell: object) -> list[str]:
    """Split an id-list cell (``'a#1; b#2'``) into ids; empty, ``None`` and NaN give ``[]``."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or cell is pd.NA:
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def join_ids(values: Iterable[object]) -> str:
    """Sorted, de-duplicated ``'; '``-join of the ids in ``values`` (cells may hold lists)."""
    if isinstance(values, (set, frozenset, list, tuple)) and len(values) > _MANY:
        values = np.array(list(values), dtype=object)
    if isinstance(values, (np.ndarray, pd.Series, pd.Index)) and len(values) > _MANY:
        return join_ids_grouped(np.zeros(len(values), dtype=np.int64), values, 1)[0]
    return _join_cells(values)


def _join_cells(values: Iterable[object]) -> str:
    """:func:`join_ids`, cell by cell."""
    values = list(values)
    if len(values) > 64:
        try:  # cells of text: their ids are the parts of all of them at once
            parts = set(map(str.strip, ";".join(values).split(";")))
        except TypeError:
            pass
        else:
            parts.discard("")
            return SEP.join(sorted(parts))
    out: set[str] = set()
    for v in values:
        if type(v) is str and ";" not in v and (not v or not (v[0].isspace() or v[-1].isspace())):
            if v:  # one id as it is (what split_ids gives for it)
                out.add(v)
        else:
            out.update(split_ids(v))
    return SEP.join(sorted(out))


#: From this many cells on, :func:`join_ids` sorts and de-duplicates vectorised.
_MANY = 5000


def sort_order(values: np.ndarray) -> np.ndarray:
    """Permutation that sorts distinct ``str`` values as Python does (``sorted``).

    Fixed-width unicode comparison (numpy) orders by code point like Python; the result is
    checked with Python's comparison and redone with it when the check fails.
    """
    values = np.asarray(values, dtype=object)
    if len(values) < 2:
        return np.arange(len(values))
    try:  # ASCII text: bytes compare as code points, 8 at a time as big-endian integers
        raw = values.astype("S")
        width = -(-raw.dtype.itemsize // 8) * 8
        words = raw.astype(f"S{max(width, 8)}").view(">u8").reshape(len(raw), -1)
        order = np.lexsort(words.T[::-1])
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        try:
            order = np.argsort(values.astype("U"), kind="stable")
        except (TypeError, ValueError):
            order = None
    if order is not None:
        s = values[order]
        if bool((s[1:] > s[:-1]).all()):
            return order
    return np.argsort(values, kind="stable")


def _sorted_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, distinct)`` of values in non-decreasing order (runs of equal values share a
    code numbered in sorted order); ``None`` when they are not sorted (or not comparable)."""
    if len(values) < 2:
        return np.arange(len(values)), values
    try:
        with np.errstate(invalid="ignore"):
            head = values[:1024]  # (unsorted values mostly show it at once)
            if not bool((head[1:] >= head[:-1]).all()):
                return None
            if bool((values[1:] > values[:-1]).all()):  # distinct: each value its own code
                return np.arange(len(values)), values
            if not bool((values[1:] >= values[:-1]).all()):
                return None
            step = values[1:] != values[:-1]
    except TypeError:
        return None
    new = np.concatenate([[True], step])
    return np.cumsum(new) - 1, values[new]


#: Values checked at a time (keeps the joined text of a check small).
_CHUNK = 1 << 16


def _increasing(values: np.ndarray) -> bool:
    """Whether ``values`` (all ``str``) are strictly increasing (distinct and sorted)."""
    with np.errstate(invalid="ignore"):
        return len(values) < 2 or bool((values[1:] > values[:-1]).all())


def _ranks(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rank, sorted)``: rank of each string among the distinct strings, and those sorted."""
    if _increasing(strings):
        return np.arange(len(strings)), strings
    codes, uniq = pd.factorize(strings)
    uniq = np.asarray(uniq, dtype=object)
    order = sort_order(uniq)
    rank_of = np.empty(len(uniq), dtype=np.int64)
    rank_of[order] = np.arange(len(uniq))
    return rank_of[codes], uniq[order]


def _plain(strings: np.ndarray) -> bool:
    """Whether every value is a ``str`` that :func:`split_ids` returns unchanged (or drops, if empty)."""
    for at in range(0, len(strings), _CHUNK):
        part = strings[at : at + _CHUNK]
        try:
            joined = "\x00".join(part)
        except TypeError:
            return False
        if ";" in joined:
            return False
        # no blank anywhere (the usual case) or none at the start or end of a value
        no_blank = len(joined.split(maxsplit=1)) <= 1 and not (joined[:1].isspace() or joined[-1:].isspace())
        if not (no_blank or all(v == v.strip() for v in part)):
            return False
    return True


def _text(values: np.ndarray) -> bool:
    """Whether every value is a ``str``."""
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def _nul_free(values: np.ndarray) -> bool:
    """Whether every value is a ``str`` without NUL (numpy's fixed-width text would cut it off)."""
    for at in range(0, len(values), _CHUNK):
        try:
            if "\x00" in "".join(values[at : at + _CHUNK]):
                return False
        except TypeError:
            return False
    return True


def _join_sorted(codes: np.ndarray, rank: np.ndarray, strings: np.ndarray, n_groups: int, sep: str) -> list[str]:
    """Join per group of the distinct strings (given by rank into sorted ``strings``) in rank order."""
    out = [""] * n_groups
    if not len(codes):
        return out
    # the distinct (group, value) pairs, sorted by group and then value
    width = np.int64(len(strings))
    pairs = np.sort(pd.unique(codes.astype(np.int64) * width + rank))
    codes, rank = pairs // width, pairs % width
    return _join_runs(codes, strings[rank], n_groups, sep)


def _join_in_order(codes: np.ndarray, words: np.ndarray, n_groups: int, sep: str) -> list[str]:
    """Join per group of distinct non-empty strings given in sorted order (ids as claims come)."""
    if not len(codes):
        return [""] * n_groups
    order = np.argsort(codes, kind="stable")
    return _join_runs(codes[order], words[order], n_groups, sep)


def _join_runs(codes: np.ndarray, words: np.ndarray, n_groups: int, sep: str) -> list[str]:
    """Join of the words of each run of equal (sorted) group codes."""
    cuts = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(codes)]])
    # a group of one value is that value; groups of a few values are joined column-wise
    cells = np.full(n_groups, "", dtype=object)
    size = ends - starts
    for k in range(1, 5):
        at = starts[size == k]
        if len(at):
            joined = words[at]
            for j in range(1, k):
                joined = joined + sep + words[at + j]
            cells[codes[at]] = joined
    many = np.flatnonzero(size > 4)
    if len(many):
        listed = words.tolist()
        for g, a, b in zip(codes[starts[many]].tolist(), starts[many].tolist(), ends[many].tolist()):
            cells[g] = sep.join(listed[a:b])
    return cells.tolist()


def join_ids_grouped(codes: np.ndarray, values, n_groups: int) -> list[str]:
    """:func:`join_ids` of the values of each group, vectorised.

    Args:
        codes: Group number per row (0 … n_groups - 1), shape (n,).
        values: Cells per row, shape (n,).
        n_groups: Number of groups.

    Returns:
        ``[join_ids(values[codes == g]) for g in range(n_groups)]``.
    """
    values = np.asarray(values, dtype=object)
    codes = np.asarray(codes)
    if not len(values):
        return [""] * n_groups
    runs = _sorted_runs(values)  # claims come sorted by id: nothing to factorize or sort
    if runs is not None and len(runs[1]) == len(values) and _plain(values) and not bool((values == "").any()):
        return _join_in_order(codes, values, n_groups, SEP)
    if runs is not None and _text(runs[1]):
        vcodes, uniq = runs
    else:
        vcodes, uniq = pd.factorize(values, use_na_sentinel=False)
        uniq = np.asarray(uniq, dtype=object)
    if not _plain(uniq):  # lists, missing values, ';' or blanks inside a cell: the cell-by-cell rule
        order = np.argsort(codes, kind="stable")
        cuts = np.flatnonzero(np.diff(codes[order])) + 1
        out = [""] * n_groups
        for part in np.split(order, cuts):
            out[int(codes[part[0]])] = _join_cells(values[part])
        return out
    return _join_distinct(codes, vcodes, uniq, np.asarray(uniq != "", dtype=bool), n_groups, SEP)


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
    values = np.asarray(values, dtype=object)
    codes = np.asarray(codes)
    if not len(values):
        return [""] * n_groups
    text = _text(values)
    runs = _sorted_runs(values) if text else None
    if runs is not None:
        vcodes, uniq = runs
    elif text:
        vcodes, uniq = pd.factorize(values)
        uniq = np.asarray(uniq, dtype=object)
    # plain text (no NUL, which numpy's fixed-width str would cut off): each value is joined as it is
    plain = text and _nul_free(uniq)
    if plain and runs is not None and len(uniq) == len(values) and not bool(((values == "") | (values == "nan")).any()):
        return _join_in_order(codes, values, n_groups, sep)
    if plain:
        pass
    elif pd.isna(values).any():  # NaN and None both read "nan"/"None" below: keep the value-by-value rule
        v = values.astype(str)
        vcodes, uniq = pd.factorize(v)
        uniq = np.asarray(uniq, dtype=object)
    else:
        vcodes, uniq = pd.factorize(values)
        # the text each distinct value is joined as (numpy's str, as the value-by-value rule had it)
        uniq = np.asarray(uniq, dtype=object).astype(str).astype(object)
    return _join_distinct(codes, vcodes, uniq, np.asarray((uniq != "") & (uniq != "nan"), dtype=bool), n_groups, sep)


def _join_distinct(codes, vcodes, uniq, keep_u, n_groups: int, sep: str) -> list[str]:
    """Join per group the distinct values ``uniq[vcodes]`` that ``keep_u`` keeps, sorted by their text."""
    rank_u = np.full(len(uniq), -1, dtype=np.int64)
    if keep_u.any():
        r, strings = _ranks(uniq[keep_u])
        rank_u[keep_u] = r
    else:
        strings = np.array([], dtype=object)
    rank = rank_u[vcodes]
    keep = rank >= 0
    return _join_sorted(codes[keep], rank[keep], strings, n_groups, sep)
