"""The role of a claim in the Ablauf, and the bounds on onset and recovery it gives.

Each outage episode of a platform has two unknown moments, its onset ``s`` and its
recovery ``r``. A claim constrains them by what it says (its *role*) and by the span its
German phrase resolves to, ``[a, b]``:

======  ======================================================  =======================
role    the claim says                                           constraint
======  ======================================================  =======================
``O``   the outage began then ("ab 8 Uhr", "gegen 8 Uhr fiel …   ``a <= s <= b``
        aus", "seit 8 Uhr ging nichts mehr")
``R``   it was fixed / came back then ("gegen 14 Uhr behoben",  ``a <= r <= b``
        "seit dem frühen Nachmittag wieder erreichbar",
        "bis etwa 14 Uhr gestört")
``D``   it was disrupted at some moment of the span ("um 11 Uhr  ``s <= b`` and ``r >= a``
        ging nichts mehr", "am Montagmorgen gestört")
``W``   it works (again) by then ("mittlerweile", "inzwischen",  ``r <= b``
        "am Nachmittag lief es wieder")
``P``   disrupted on that day, no time ("am Montag gestört")     places the episode only
``M``   disrupted over a run of days ("vom 19. bis 21. Januar    ``s`` in the first day,
        gestört"), :func:`incident.reconstruct.days.run_of_days`  ``r`` in the last day
``A``   disrupted since a day up to the publication ("seit dem   ``a <= s <= b`` and
        4. März gestört", published on the 6th; an ``O`` read     ``r >=`` the publication
        against a later day),                                     (its earliest moment)
        :func:`incident.reconstruct.days.held_since`
``S``   "läuft stabil" (a statement)                              none: set against the
                                                                  reports, never a bound
======  ======================================================  =======================

"vor X" and "nach X" spans bound one side only. Onset ≤ recovery must hold.

Agreement rule: two spans agree when they overlap for a positive time, or when an exact time
lies inside or on the edge of the other span; touching spans such as "am Mittag"
(11:30–13:30) and "gegen 14 Uhr" (13:30–14:30) do not, nor do two different exact times
(:data:`AGREE_SECONDS` implements the rule as an infinitesimal). Each claim's bounds are kept
twice: raw (what is published) and in agreement space (what the consistency search compares).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from incident.reconstruct.rows import per_distinct

#: An infinitesimal (seconds, far below the minute resolution of any phrase): spans shrink by
#: it and points widen by it, so spans agree when they overlap for any positive time, an exact
#: time agrees with a span it lies in or on the edge of, and two different times never agree.
AGREE_SECONDS = 0.001
#: Span kinds that bound one side only.
ONE_SIDED = {"before": "hi", "after": "lo"}
#: Words that make a phrase the reporting moment ("mittlerweile behoben"): a state, not an event time.
_NOW = re.compile(r"(?i)\b(?:inzwischen|mittlerweile|derzeit|aktuell|zurzeit|momentan|jetzt|nun|bisher)\b")

ROLES = ("O", "R", "D", "W", "P", "M", "A", "S")
#: The raw bounds of a claim (seconds, NaN = open), and the same in agreement space.
_RAW = ("s_lo", "s_hi", "r_lo", "r_hi")
_AGREE = ("agree_s_lo", "agree_s_hi", "agree_r_lo", "agree_r_hi")


def roles(claims: pd.DataFrame) -> pd.Series:
    """The role of each claim in the bounds (see the module docstring); '' = not used.

    Args:
        claims: Resolved claims with ``table, event, stance, span_kind, phrase``.

    Returns:
        Series of role letters aligned with ``claims``.
    """
    return per_distinct(claims, ["event", "stance", "span_kind", "phrase"], _roles)


def _roles(claims: pd.DataFrame) -> pd.Series:
    ev, st, kind = claims["event"], claims["stance"], claims["span_kind"]
    now = claims["phrase"].str.contains(_NOW)
    # a stated cause explains a failure; its time phrase ("am Mittag war klar, …") bounds no edge
    disrupted, working = (st == "disrupted") & (ev != "cause_stated"), st == "working"
    # "seit 8 Uhr ging nichts mehr" dates an outage's start; "seit Mittag besser erreichbar" (still
    # degraded, easing) does not: it only says the platform was disrupted then
    onset = disrupted & ((ev == "outage_start") | ((kind == "since") & (ev == "outage")))
    until = disrupted & (kind == "until")
    fixed = working & ((ev == "fix") | ((ev == "restored") & (kind == "since"))) & ~now
    works = working & (ev.isin(["restored", "fix"])) & ~fixed
    dayonly = kind == "day"
    role = np.select(
        [onset, until, disrupted & dayonly, disrupted, fixed, works, working & (ev == "stable")],
        ["O", "R", "P", "D", "R", "W", "S"],
        "",
    )
    return pd.Series(role, index=claims.index)


def _seconds(ts: pd.Series) -> np.ndarray:
    return (pd.to_datetime(ts, utc=True) - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy(float)


def _claim_bounds(k: pd.DataFrame) -> pd.DataFrame:
    """Raw and agreement-space bounds of onset and recovery per claim (NaN = open)."""
    a, b = _seconds(k["start"]), _seconds(k["end"])
    kind = k["span_kind"].to_numpy()
    role = k["role"].to_numpy()
    lo_open = kind == "before"
    hi_open = kind == "after"
    point = b <= a
    # agreement space: a positive span shrinks by the agreement margin, a point widens by it
    shrink = np.minimum(AGREE_SECONDS, (b - a) / 3.0)
    aa = np.where(point, a - AGREE_SECONDS, a + shrink)
    bb = np.where(point, b + AGREE_SECONDS, b - shrink)
    nan = np.full(len(k), np.nan)
    is_o, is_d, is_r, is_w, is_m = (role == x for x in ("O", "D", "R", "W", "M"))
    is_o = is_o | (role == "A")  # "seit dem 10." read against a later publication: an onset in the span
    # "vor 9 Uhr gestört" says nothing about the recovery's earliest moment, "nach 9 Uhr" nothing
    # about the onset's latest: a one-sided span bounds one side only, whatever the role
    use = {
        "s_lo": (is_o & ~lo_open) | is_m,
        "s_hi": (is_o | is_d) & ~hi_open,
        "r_lo": (is_r | is_d) & ~lo_open,
        "r_hi": (is_r & ~hi_open) | is_w | is_m,
    }
    out = {}
    for space, lo, hi in (("", a, b), ("agree_", aa, bb)):
        for name, mask in use.items():
            out[f"{space}{name}"] = np.where(mask, lo if name.endswith("lo") else hi, nan)
    if is_m.any():  # a run of days: the onset lies in its first day, the recovery in its last
        at = np.flatnonzero(is_m)
        start, end = k["start"].iloc[at], k["end"].iloc[at]
        first_end = _seconds(start + pd.DateOffset(days=1))
        last_start = _seconds(end - pd.DateOffset(days=1))
        out["s_hi"][at] = first_end
        out["r_lo"][at] = last_start
        out["agree_s_hi"][at] = first_end - AGREE_SECONDS
        out["agree_r_lo"][at] = last_start + AGREE_SECONDS
    is_a = role == "A"
    if is_a.any():  # ... and a recovery not before the publication the span reaches to
        at = np.flatnonzero(is_a)
        held = _seconds(k["held_until"].iloc[at])
        out["r_lo"][at] = held
        out["agree_r_lo"][at] = held + AGREE_SECONDS
    return k.assign(**out)
