"""The local day a resolved span lies in (spans that cross midnight lie in no single day)."""

from __future__ import annotations

import re

import numpy as np
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


#: A run of days is read from a phrase that names it with "bis" ("vom 19. bis 21. Januar"); other spans of
#: several days ("Anfang der Woche", "im Januar", "am 4. und 5. Januar") say when, not how long.
_RUN_WORD = re.compile(r"(?i)\bbis\b")


def run_of_days(start: pd.Series, end: pd.Series, phrase: pd.Series) -> pd.Series:
    """First local day (ISO) of a span that is a run of two or more whole days named with "bis", else ''.

    "vom 19. bis 21. Januar gestört" says the state held from the first day to the last: an episode whose
    onset lies in the first day and whose recovery lies in the last (role ``M``).
    """
    midnight_start = start == start.dt.normalize()
    midnight_end = end == end.dt.normalize()
    wall_days = end.dt.tz_localize(None).dt.normalize() - start.dt.tz_localize(None).dt.normalize()
    several = wall_days >= pd.Timedelta(days=2)  # calendar days on the wall clock (DST days included)
    named = phrase.fillna("").astype(str).str.contains(_RUN_WORD)
    run = (midnight_start & midnight_end & several & named).fillna(False).to_numpy(dtype=bool)
    first = start.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return first.where(run, "").astype(object)


#: A reference read as a publication day ("2030-03-06") or moment (ISO with a clock); others (a month) say no day.
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def published_from(reference: pd.Series, *, zone) -> pd.Series:
    """The earliest moment each claim's source can have been published: the start of its publication day
    ("2030-03-06"), or its minute ("2030-03-06T10:05+01:00"); NaT when the reference names no day (a source
    dated to a month). Computed once per distinct reference."""
    codes, uniq = pd.factorize(reference.fillna("").astype(str))
    moments = []
    for value in uniq:
        if _ISO_DAY.match(value):
            moments.append(pd.Timestamp(value).tz_localize(zone))
        elif _ISO_MOMENT.match(value):
            moments.append(pd.Timestamp(value).tz_convert(zone))
        else:
            moments.append(pd.NaT)
    got = pd.DatetimeIndex(moments + [pd.NaT], tz=zone)  # (code -1 never occurs: NaN is filled)
    return pd.Series(got[codes], index=reference.index)


def held_since(start: pd.Series, end: pd.Series, kind: pd.Series, published: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Spans "seit <Tag>" (kind ``since``) read against a publication on a later day: the state held from the
    span to the publication ("seit dem 4. März gestört", published on the 6th).

    Returns:
        ``(first day ISO or '', mask)``: the first local day of each such span (the day the state began in)
        and which rows are such spans. A "seit N Tagen" window of two days counts (its first day is the
        earliest the state can have begun); a span reaching into the publication day does not.
    """
    since = (kind == "since").fillna(False).to_numpy(dtype=bool)
    later = (published.dt.normalize() > start.dt.normalize()) & (published >= end)
    hit = since & later.fillna(False).to_numpy(dtype=bool)
    first = start.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    return first.where(hit, "").astype(object), hit
