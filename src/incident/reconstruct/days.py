"""The local day a resolved span lies in (spans that cross midnight lie in no single day)."""

from __future__ import annotations

import pandas as pd

from incident.reconstruct import rows


def _day_of(start: pd.Series, end: pd.Series) -> pd.Series:
    d0 = start.dt.normalize()
    d1 = (end - pd.Timedelta(seconds=1)).where(end > start, end).dt.normalize()
    same = (d0 == d1).fillna(False).to_numpy()
    iso = d0.dt.strftime("%Y-%m-%d")
    return iso.where(same, "").fillna("").astype(object)


def day_of(start: pd.Series, end: pd.Series) -> pd.Series:
    """Local date (ISO ``YYYY-MM-DD``) of a span lying within one calendar day, else ''.

    A whole day ``[00:00, next 00:00)`` lies in its day (the end is exclusive); a point at
    00:00 lies in the day it starts. Computed once per distinct span.

    Args:
        start: Span starts (tz-aware, in the incident's zone).
        end: Span ends, same index.

    Returns:
        Series of ISO dates or ''.
    """
    if len(start) <= rows.SMALL:
        return _day_of(start, end)
    codes, first = rows.distinct([start, end])
    got = _day_of(start.iloc[first], end.iloc[first]).to_numpy()
    return pd.Series(got[codes], index=start.index, dtype=object)
