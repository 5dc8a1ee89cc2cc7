"""The Ablauf from the bounds the sources give: onset and recovery of every outage episode.

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
``S``   "läuft stabil" (a statement)                              none: set against the
                                                                  reports, never a bound
======  ======================================================  =======================

"vor X" and "nach X" spans bound one side only. Onset ≤ recovery must hold. The claims
of one independent account (one text: copies of an agency story share an
``account_group``) form a box of allowed ``(s, r)``; the accounts of an episode are a
Simple Temporal Network (:mod:`incident.reconstruct.stn`). When they contradict each
other, the largest set of independent accounts that can all be true is found (the point
of greatest depth among the boxes); its bounds are published and every other account is
a ``time`` conflict naming both sides. When two or more sets of equal size disagree, no
side wins: the published bounds are the hull of the sets, marked as disputed.

Agreement rule: two spans agree when they overlap for a positive time, or when an exact time
lies inside or on the edge of the other span; touching spans such as "am Mittag"
(11:30–13:30) and "gegen 14 Uhr" (13:30–14:30) do not, nor do two different exact times
(:data:`AGREE_SECONDS` implements the rule as an infinitesimal).

Published per edge: ``earliest`` and ``latest``, each the bound of a claim of the consistent
set (its claim ids are listed), or empty when no claim bounds that side ("unbekannt"). The
order onset ≤ recovery is checked, never used to narrow a published edge. Nothing is
spread, averaged or estimated.

Episodes: one per platform and local day; a day splits into two when one account says the
platform came back and later failed again.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from incident.evidence.descriptor import Incident
from incident.ids import (
    _join_sorted,
    _plain,
    _ranks,
    _text,
    group_join,
    join_ids,
    join_ids_grouped,
    sort_order,
)
from incident.reconstruct import rows as rows_
from incident.reconstruct.claims import explode_platforms, exploded_rows
from incident.reconstruct.conflicts import conflict_row, side
from incident.reconstruct.days import day_of
from incident.reconstruct.rows import distinct, per_distinct
from incident.reconstruct.stn import STN

#: An infinitesimal (seconds, far below the minute resolution of any phrase): spans shrink by
#: it and points widen by it, so spans agree when they overlap for any positive time, an exact
#: time agrees with a span it lies in or on the edge of, and two different times never agree.
AGREE_SECONDS = 0.001
#: Two relapse times closer than this (seconds) are one relapse.
RELAPSE_MERGE_SECONDS = 30 * 60.0
#: A published bound equals a claim's bound within this many seconds.
BIND_SECONDS = 1.0
#: Span kinds that bound one side only.
ONE_SIDED = {"before": "hi", "after": "lo"}
#: Words that make a phrase the reporting moment ("mittlerweile behoben"): a state, not an event time.
_NOW = re.compile(r"(?i)\b(?:inzwischen|mittlerweile|derzeit|aktuell|zurzeit|momentan|jetzt|nun|bisher)\b")

ROLES = ("O", "R", "D", "W", "P", "S")
SEQUENCE_COLUMNS = [
    "episode_id",
    "platform",
    "day",
    "episode",
    "state",
    "onset_earliest",
    "onset_latest",
    "onset_phrases",
    "onset_claim_ids",
    "recovery_earliest",
    "recovery_latest",
    "recovery_phrases",
    "recovery_claim_ids",
    "disputed",
    "n_independent_sources",
    "pattern",
    "n_dissenting",
    "conflict_ids",
    "statement_claim_ids",
    "claim_ids",
]
CONSTRAINT_COLUMNS = [
    "episode_id",
    "claim_id",
    "claim_ids",
    "account_group",
    "role",
    "onset_lo",
    "onset_hi",
    "recovery_lo",
    "recovery_hi",
    "phrase",
    "in_consistent_set",
    "platform",
    "day",
]


#: Columns of the claims that the Ablauf reads (the rest is not copied).
_USED = (
    "claim_id",
    "claim_ids",
    "table",
    "source_id",
    "account_group",
    "witness",
    "platform",
    "event",
    "stance",
    "span_kind",
    "phrase",
    "quote",
    "start",
    "end",
    "resolved",
    "on_timeline",
    "bounding",
    "pattern",
)
_RAW = ("s_lo", "s_hi", "r_lo", "r_hi")
_AGREE = ("agree_s_lo", "agree_s_hi", "agree_r_lo", "agree_r_hi")


# --------------------------------------------------------------------------- roles


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
    is_o, is_d, is_r, is_w = (role == x for x in ("O", "D", "R", "W"))
    # "vor 9 Uhr gestört" says nothing about the recovery's earliest moment, "nach 9 Uhr" nothing
    # about the onset's latest: a one-sided span bounds one side only, whatever the role
    use = {
        "s_lo": is_o & ~lo_open,
        "s_hi": (is_o | is_d) & ~hi_open,
        "r_lo": (is_r | is_d) & ~lo_open,
        "r_hi": (is_r & ~hi_open) | is_w,
    }
    out = {}
    for space, lo, hi in (("", a, b), ("agree_", aa, bb)):
        for name, mask in use.items():
            out[f"{space}{name}"] = np.where(mask, lo if name.endswith("lo") else hi, nan)
    return k.assign(**out)


# --------------------------------------------------------------------------- episodes


def _split_relapses(k: pd.DataFrame) -> pd.Series:
    """Episode number within platform × day: a day splits where one account says the
    platform came back and, later, failed again."""
    episode = pd.Series(1, index=k.index)
    start, end = _seconds(k["start"]), _seconds(k["end"])
    role = k["role"].to_numpy()
    rec = np.isin(role, ["R", "W"])
    dis = np.isin(role, ["O", "D"])
    if not rec.any() or not dis.any():
        return episode
    # per platform × day × account: the earliest recovery followed, later in the same account, by a failure
    acc, _ = distinct([k["platform"], k["day"], k["account_group"]])
    n_acc = int(acc.max()) + 1
    latest_fail = np.full(n_acc, np.nan)
    np.fmax.at(latest_fail, acc[dis], start[dis])
    back = rec & (latest_fail[acc] > end + AGREE_SECONDS)
    if not back.any():
        return episode
    first = np.full(n_acc, np.nan)
    np.fmin.at(first, acc[back], end[back])
    pday, _ = distinct([k["platform"], k["day"]])
    has = np.flatnonzero(~np.isnan(first))
    pday_of_acc = np.empty(n_acc, dtype=np.int64)
    pday_of_acc[acc] = pday
    values = episode.to_numpy().copy()
    for p in np.unique(pday_of_acc[has]):
        cuts: list[float] = []
        for t in sorted(first[has[pday_of_acc[has] == p]].tolist()):
            if not cuts or t - cuts[-1] > RELAPSE_MERGE_SECONDS:
                cuts.append(t)
        rows = np.flatnonzero(pday == p)
        values[rows] = 1 + np.searchsorted(np.array(cuts), start[rows], side="right")
    return pd.Series(values, index=k.index)


def constraints(claims: pd.DataFrame, *, incident: Incident) -> pd.DataFrame:
    """Every claim that bounds or places an episode, with its role and bounds.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        incident: The descriptor (context ids).

    Returns:
        One row per claim × platform with ``role``, raw bounds ``s_lo, s_hi, r_lo, r_hi``
        (seconds, NaN = open), agreement-space bounds, ``day`` and ``episode_key``.
    """
    base = claims["on_timeline"] & claims["resolved"] & claims["table"].isin(["timeline", "statements"])
    if "bounding" in claims.columns:  # one school, one user, a condition: a local report, never a bound
        base = base & claims["bounding"].astype(bool)
    if base.sum() <= rows_.SMALL:
        c = claims[base]
        c = c.assign(role=roles(c))
        c = c[c["role"] != ""]
        c = explode_platforms(c, incident=incident)
        c = c.assign(day=day_of(c["start"], c["end"]))
        c = c[c["day"] != ""].reset_index(drop=True)
    else:  # the same steps on row numbers, and the rows taken once
        at = np.flatnonzero(base.to_numpy())
        role = roles(claims[["event", "stance", "span_kind", "phrase"]].iloc[at])
        used = (role != "").to_numpy()
        at, role = at[used], role.array[used]
        rows, platform = exploded_rows(claims[["platform"]].iloc[at], incident=incident)
        at, role = at[rows], role[rows]
        day = day_of(claims["start"].iloc[at], claims["end"].iloc[at])
        dated = (day != "").to_numpy()
        c = claims.iloc[at[dated]].reset_index(drop=True)
        c["platform"] = platform[dated]
        c["role"] = role[dated]
        c["day"] = pd.Series(day.to_numpy()[dated], dtype=object)
    if len(c) == 0:
        return c.assign(episode=pd.Series(dtype=int), episode_key=pd.Series(dtype=object))
    c = _claim_bounds(c)
    c["episode"] = _split_relapses(c).to_numpy()
    c = _recoveries_close_earlier_episodes(c)
    if len(c) == 0:
        return c.assign(episode_key=pd.Series(dtype=object))
    # the key of each distinct platform × day × episode, written once
    c["episode_key"] = per_distinct(c, ["platform", "day", "episode"], _episode_key).to_numpy()
    return c


#: Roles that say the platform was disrupted (they open an episode); the others only bound one.
OPENING = ("O", "D", "P", "R")


def _recoveries_close_earlier_episodes(c: pd.DataFrame) -> pd.DataFrame:
    """A report that a platform "läuft heute wieder" ends the previous episode; it starts none.

    An episode (platform × day × episode number) whose claims only say the platform works (``W``) or
    ran stably (``S``) is no outage: its working claims are moved to the platform's latest episode on
    an earlier day, whose recovery they bound from above; with no earlier episode they are left out.
    (``R`` says "was disrupted until …" and so opens an episode.)
    """
    key = c["platform"] + "|" + c["day"] + "|" + c["episode"].astype(str)
    opens = c["role"].isin(OPENING)
    opened = set(key[opens])
    lonely = ~key.isin(opened)
    if not lonely.any():
        return c
    c = c.copy()
    keep = ~lonely.to_numpy()
    # the latest opened episode of each platform before each day
    episodes = (
        c.loc[opens, ["platform", "day", "episode"]].drop_duplicates().sort_values(["platform", "day", "episode"])
    )
    for i in np.flatnonzero(lonely.to_numpy()):
        if c["role"].iat[i] != "W":
            continue
        earlier = episodes[(episodes["platform"] == c["platform"].iat[i]) & (episodes["day"] < c["day"].iat[i])]
        if len(earlier):
            c.iat[i, c.columns.get_loc("day")] = earlier["day"].iat[-1]
            c.iat[i, c.columns.get_loc("episode")] = earlier["episode"].iat[-1]
            keep[i] = True
    return c[keep].reset_index(drop=True)


def _episode_key(c: pd.DataFrame) -> pd.Series:
    return c["platform"] + "|" + c["day"] + "|" + c["episode"].astype(str)


# --------------------------------------------------------------------------- the largest consistent set


def _consistent(sl, sh, rl, rh):
    """Whether each box is consistent with itself (onset ≤ recovery possible inside it)."""
    return (sl <= sh) & (rl <= rh) & (sl <= rh)


#: Up to this many boxes the search looks at each box on its own.
_FEW = 32


def _deepest(
    sl: np.ndarray, sh: np.ndarray, rl: np.ndarray, rh: np.ndarray, weight: np.ndarray | None = None
) -> list[np.ndarray]:
    """Which boxes each deepest common point lies in: one mask over the boxes per distinct answer.

    Works on the distinct boxes, each counted as often as it occurs (thousands of accounts
    share a handful of boxes); ``weight``: how often each (distinct) box counts.
    """
    ok = _consistent(sl, sh, rl, rh)
    if not ok.any():
        return []
    if weight is not None or len(sl) <= _FEW:
        codes = first = np.arange(len(sl))
        weight = np.ones(len(sl), dtype=np.int64) if weight is None else weight
    else:
        codes, first = distinct([sl, sh, rl, rh])
        weight = np.bincount(codes, minlength=len(first))
    usl, ush, url, urh, uok = sl[first], sh[first], rl[first], rh[first], ok[first]
    cand_s = np.unique(np.concatenate([[-math.inf], usl[uok & np.isfinite(usl)]]))
    cand_r = np.unique(np.concatenate([[math.inf], urh[uok & np.isfinite(urh)]]))
    at_s, at_r = np.meshgrid(cand_s, cand_r, indexing="ij")
    at_s, at_r = at_s.ravel(), at_r.ravel()
    valid = at_s <= at_r
    at_s, at_r = at_s[valid], at_r[valid]
    inside = (
        (usl[None, :] <= at_s[:, None])
        & (at_s[:, None] <= ush[None, :])
        & (url[None, :] <= at_r[:, None])
        & (at_r[:, None] <= urh[None, :])
        & uok[None, :]
    )
    depth = inside.astype(np.int64) @ weight
    patterns = {p.tobytes(): p for p in inside[depth == depth.max()]}
    return [p[codes] for p in patterns.values()]


def largest_consistent_sets(boxes: pd.DataFrame) -> list[frozenset[str]]:
    """The largest sets of accounts whose boxes share a point with ``s <= r``.

    Exhaustive over the candidate points that can be optimal: a set's common point can be
    taken at its largest lower onset bound and its smallest upper recovery bound, so those
    values (and ±inf) are the only candidates.

    Args:
        boxes: Per account (index) the box ``sl, sh, rl, rh`` in agreement space.

    Returns:
        Every distinct set of maximal size (one set unless sources are split evenly);
        empty when no account is consistent with itself.
    """
    sl, sh, rl, rh = (boxes[c].to_numpy(dtype=float) for c in ("sl", "sh", "rl", "rh"))
    names = boxes.index.to_numpy()
    sets = {frozenset(names[mask]) for mask in _deepest(sl, sh, rl, rh)}
    return sorted(sets, key=lambda s: sorted(s))


def _stn_of(slo: np.ndarray, shi: np.ndarray, rlo: np.ndarray, rhi: np.ndarray, labels) -> STN:
    """The STN of claims in agreement space (NaN = open), each distinct bound entered once.

    A bound repeated by later claims adds nothing to the network, and a negative cycle
    names the first claim of the tightest bound either way.
    """
    net = STN()
    net.point("s")
    net.point("r")
    net.order("s", "r", label="onset <= recovery")
    sides = [
        (np.where(np.isnan(lo), -math.inf, lo), np.where(np.isnan(hi), math.inf, hi))
        for lo, hi in ((slo, shi), (rlo, rhi))
    ]
    entries = []
    if len(slo) <= _FEW:
        seen = set()
        for i in range(len(slo)):
            for p, (lo, hi) in enumerate(sides):
                b = (p, float(lo[i]), float(hi[i]))
                if (math.isfinite(b[1]) or math.isfinite(b[2])) and b not in seen:
                    seen.add(b)
                    entries.append((i, *b))
    else:
        for p, (lo, hi) in enumerate(sides):
            used = np.isfinite(lo) | np.isfinite(hi)
            if used.any():
                _, first = distinct([lo, hi])
                entries.extend((int(i), p, float(lo[i]), float(hi[i])) for i in first[used[first]])
        entries.sort()
    for i, p, lo, hi in entries:
        net.bound("sr"[p], lo=lo, hi=hi, label=labels[i])
    return net


# --------------------------------------------------------------------------- one episode's claims


_NAT = np.iinfo(np.int64).min


class _Rows:
    """Claims of the Ablauf as plain arrays (row order of the constraints), for the search."""

    #: What the search of an episode reads row by row (the rest is read from the full arrays).
    _EPISODE = ("claim_id", "account_group", "phrase", "outage", "report", *_RAW, "sl", "sh", "rl", "rh")

    def __init__(self, k: pd.DataFrame | None = None):
        self.full: _Rows | None = None  # the rows of the whole Ablauf, for an episode (no cycle: freed at once)
        self.pos = None
        if k is None:
            return
        self.claim_id = k["claim_id"].to_numpy(dtype=object)
        self.ids = k["claim_ids"].to_numpy(dtype=object) if "claim_ids" in k else self.claim_id
        for col in ("source_id", "account_group", "witness", "phrase", "quote"):
            setattr(self, col, k[col].to_numpy(dtype=object))
        self.outage = k["event"].isin(["outage", "outage_start"]).to_numpy()
        self.report = k["role"].isin(["O", "D", "P"]).to_numpy()
        self.start, self.end = k["start"].array, k["end"].array
        self.start_i8, self.end_i8 = self.start.asi8, self.end.asi8
        self._times: dict = {}  # (column, value) → Timestamp
        for col in _RAW:
            setattr(self, col, k[col].to_numpy(dtype=float))
        for name, col, fill in (
            ("sl", "agree_s_lo", -math.inf),
            ("sh", "agree_s_hi", math.inf),
            ("rl", "agree_r_lo", -math.inf),
            ("rh", "agree_r_hi", math.inf),
        ):
            x = k[col].to_numpy(dtype=float)
            setattr(self, name, np.where(np.isnan(x), fill, x))

    def take(self, where: np.ndarray) -> _Rows:
        """The rows ``where`` (one episode), with its accounts numbered in sorted order."""
        out = _Rows()
        out.full, out.pos = self, where
        for name in self._EPISODE:
            setattr(out, name, getattr(self, name)[where])
        codes, names = pd.factorize(out.account_group)
        names = np.asarray(names, dtype=object)
        order = sort_order(names)
        rank = np.empty(len(names), dtype=np.int64)
        rank[order] = np.arange(len(names))
        out.acc, out.names = rank[codes], names[order]
        return out

    def field(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Column ``name`` at some rows of this episode."""
        if self.full is None:
            return getattr(self, name)[rows]
        return getattr(self.full, name)[self.pos[rows]]

    def boxes(self, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        """``(sl, sh, rl, rh, present)`` per account over ``rows`` (±inf = open)."""
        n = len(self.names)
        acc = self.acc[rows]
        out = []
        for values, fn, fill in (
            (self.sl, np.maximum, -math.inf),
            (self.sh, np.minimum, math.inf),
            (self.rl, np.maximum, -math.inf),
            (self.rh, np.minimum, math.inf),
        ):
            b = np.full(n, fill)
            fn.at(b, acc, values[rows])
            out.append(b)
        out.append(np.bincount(acc, minlength=n) > 0)
        return tuple(out)

    def _extreme(self, column: str, rows: np.ndarray, earliest: bool):
        """The earliest start or latest end of some rows (NaT when none is known)."""
        v = self.field(f"{column}_i8", rows)
        v = v[v != _NAT]
        if not len(v):
            return pd.NaT
        return self._time(column, int(v.min() if earliest else v.max()))

    def side(self, rows: np.ndarray, label: str = "", value: float = np.nan) -> dict:
        """:func:`incident.reconstruct.conflicts.side` of some rows."""
        groups = [x for x in self.account_group[rows].tolist() if not pd.isna(x)]
        phrases = self.phrase[rows].tolist()
        quotes = self.field("quote", rows).tolist()
        return {
            "claim_ids": join_ids(self.field("ids", rows)),
            "source_ids": join_ids(self.field("source_id", rows)),
            "n_sources": len(set(groups)),
            "witness": join_ids(self.field("witness", rows)),
            "start": self._extreme("start", rows, True),
            "end": self._extreme("end", rows, False),
            "value": value,
            "label": label,
            "phrases": " | ".join(dict.fromkeys(p for p in phrases if p)),
            "quotes": " / ".join(sorted({q for q in quotes if q})),
        }

    def sides(self, parts: list[np.ndarray]) -> list[dict]:
        """:meth:`side` of each of many row sets, vectorised."""
        n = len(parts)
        if n == 0:
            return []
        rows = np.concatenate(parts)
        code = np.repeat(np.arange(n), [len(p) for p in parts])
        phrase, quote = self.phrase[rows], self.field("quote", rows)
        if not all(type(x) is str for x in phrase) or not all(type(x) is str for x in quote):
            return [self.side(p) for p in parts]  # missing or odd cells: one by one
        out = [
            {"claim_ids": c, "source_ids": s, "witness": w, "value": np.nan, "label": ""}
            for c, s, w in zip(
                join_ids_grouped(code, self.field("ids", rows), n),
                join_ids_grouped(code, self.field("source_id", rows), n),
                join_ids_grouped(code, self.field("witness", rows), n),
            )
        ]
        group = self.account_group[rows]
        known = ~pd.isna(group)
        gcode, _ = pd.factorize(group[known])
        pairs = np.unique(code[known] * (int(gcode.max(initial=0)) + 1) + gcode)
        n_sources = np.bincount(pairs // (int(gcode.max(initial=0)) + 1), minlength=n)
        for column, fn, init in (("start", np.minimum, np.iinfo(np.int64).max), ("end", np.maximum, _NAT)):
            v = self.field(f"{column}_i8", rows)
            ok = v != _NAT
            best = np.full(n, init, dtype=np.int64)
            fn.at(best, code[ok], v[ok])
            for i, value in enumerate(best.tolist()):
                out[i][column] = pd.NaT if value == init else self._time(column, value)
        said = np.array([bool(x) for x in phrase], dtype=bool)
        phrases = _ordered_join(
            code[said], np.zeros(int(said.sum()), np.int8), np.flatnonzero(said), phrase[said], n, " | "
        )
        quoted = np.array([bool(x) for x in quote], dtype=bool)
        quotes = [""] * n
        if quoted.any():
            rank, strings = _ranks(quote[quoted])
            quotes = _join_sorted(code[quoted], rank, strings, n, " / ")
        for i, d in enumerate(out):
            d["n_sources"] = int(n_sources[i])
            d["phrases"], d["quotes"] = phrases[i], quotes[i]
        return [
            {
                k: d[k]
                for k in (
                    "claim_ids",
                    "source_ids",
                    "n_sources",
                    "witness",
                    "start",
                    "end",
                    "value",
                    "label",
                    "phrases",
                    "quotes",
                )
            }
            for d in out
        ]

    def _time(self, column: str, value: int):
        full = self if self.full is None else self.full
        key = (column, value)
        if key not in full._times:
            i8 = getattr(full, f"{column}_i8")
            full._times[key] = getattr(full, column)[int(np.flatnonzero(i8 == value)[0])]
        return full._times[key]

    def edge_bounds(self, member: np.ndarray) -> dict:
        """Raw bounds of one consistent set (``member``: mask over the rows), with the claim
        ids that set each side."""
        out = {}
        for edge, lo_col, hi_col in (("onset", "s_lo", "s_hi"), ("recovery", "r_lo", "r_hi")):
            values = {}
            for col, fn in ((lo_col, np.max), (hi_col, np.min)):
                v = getattr(self, col)[member]
                v = v[~np.isnan(v)]
                values[col] = fn(v) if len(v) else np.nan
            ids = np.zeros(len(member), dtype=bool)
            phrases: dict[str, None] = {}
            for col in (lo_col, hi_col):
                value = values[col]
                if pd.isna(value):
                    continue
                bind = member & (np.abs(getattr(self, col) - value) <= BIND_SECONDS)
                ids |= bind
                phrases.update(dict.fromkeys(self.phrase[bind].tolist()))
            out[edge] = {"earliest": values[lo_col], "latest": values[hi_col], "ids": ids, "phrases": list(phrases)}
        return out

    def join_ids(self, rows: np.ndarray) -> str:
        """:func:`incident.ids.join_ids` of the claim ids of some rows (a mask)."""
        ids = self.claim_id[rows]
        # the rows come in claim-id order: distinct plain ids are joined as they are
        if (
            len(ids) > 1
            and _text(ids)
            and bool((ids[1:] > ids[:-1]).all())
            and _plain(ids)
            and not bool((ids == "").any())
        ):
            return "; ".join(ids.tolist())
        return join_ids(ids)


def _hull(parts: list[dict]) -> dict:
    """Hull of the bounds of several equally large sets: open when any set is open."""
    out = {}
    for edge in ("onset", "recovery"):
        lows = [p[edge]["earliest"] for p in parts]
        highs = [p[edge]["latest"] for p in parts]
        out[edge] = {
            "earliest": np.nan if any(pd.isna(x) for x in lows) else min(lows),
            "latest": np.nan if any(pd.isna(x) for x in highs) else max(highs),
            "ids": np.logical_or.reduce([p[edge]["ids"] for p in parts]),
            "phrases": list(dict.fromkeys(ph for p in parts for ph in p[edge]["phrases"])),
        }
    return out


_OPEN = (-math.inf, math.inf, -math.inf, math.inf)


def _own_claims(r: _Rows, rows: np.ndarray, memo: dict) -> tuple[np.ndarray, list[str]]:
    """Which of one account's claims it keeps (its largest consistent subset of claims), and
    the claims of a contradiction among them (labels of a negative cycle).

    With the claims in id order (as the constraints come), the answer depends only on the
    distinct boxes in order of appearance and how often each occurs: a claim that bounds
    nothing lies in every subset and adds no constraint, and a repeated box goes with its
    first claim (in the subsets, whose order is that of their first differing claim, and in
    the network, where a repeated bound adds nothing). Accounts that repeat a pattern are
    searched once.
    """
    cids = r.claim_id[rows].tolist()
    if not all(x < y for x, y in zip(cids, cids[1:])):
        return _own_claims_in_full(r, rows)
    boxes = list(zip(r.sl[rows].tolist(), r.sh[rows].tolist(), r.rl[rows].tolist(), r.rh[rows].tolist()))
    index: dict[tuple, int] = {}
    group, first, count = [], [], []
    for i, box in enumerate(boxes):
        if box == _OPEN:
            group.append(-1)
            continue
        if box not in index:
            index[box] = len(first)
            first.append(i)
            count.append(0)
        g = index[box]
        group.append(g)
        count[g] += 1
    keep_groups, cycle = _search_groups(list(index), count, memo)
    keep = np.array([g < 0 or g in keep_groups for g in group], dtype=bool)
    return keep, [c for c in (cids[first[g]] for g in cycle) if "#" in c]


def _search_groups(boxes: list[tuple], count: list[int], memo: dict) -> tuple[frozenset[int], list[int]]:
    """Largest consistent subset (as box numbers) of distinct boxes with multiplicities, and
    the boxes of a negative cycle of their network.

    The deepest subsets do not depend on the order of the boxes (only which comes first is
    chosen by it), and the network not on the multiplicities: each is looked up on its own.
    """
    if not boxes:
        return frozenset(), []
    key = ("deepest", tuple(sorted(zip(boxes, count))))
    if key not in memo:
        bx, cn = zip(*key[1])
        memo[key] = [frozenset(bx[i] for i in found) for found in _deepest_few(list(bx), list(cn))]
    number = {b: i for i, b in enumerate(boxes)}
    sets = sorted(tuple(sorted(number[b] for b in found)) for found in memo[key])
    keep = frozenset(sets[0]) if sets else frozenset()
    cycle: list[int] = []
    if len(keep) < len(boxes):
        key = ("cycle", tuple(boxes))
        if key not in memo:
            sl, sh, rl, rh = (np.array(x, dtype=float) for x in zip(*boxes))
            labels = [str(i) for i in range(len(boxes))]
            memo[key] = [int(x) for x in _stn_of(sl, sh, rl, rh, labels).conflict() if x != "onset <= recovery"]
        cycle = memo[key]
    return keep, cycle


def _deepest_few(boxes: list[tuple], count: list[int]) -> set[tuple[int, ...]]:
    """:func:`_deepest` of a few boxes (with multiplicities), in plain Python: the box numbers
    each deepest common point lies in."""
    ok = [sl <= sh and rl <= rh and sl <= rh for sl, sh, rl, rh in boxes]
    if not any(ok):
        return set()
    cand_s = sorted({-math.inf} | {b[0] for b, o in zip(boxes, ok) if o and math.isfinite(b[0])})
    cand_r = sorted({math.inf} | {b[3] for b, o in zip(boxes, ok) if o and math.isfinite(b[3])})
    live = [(i, b) for i, (b, o) in enumerate(zip(boxes, ok)) if o]
    best, found = -1, set()
    for at_s in cand_s:
        for at_r in cand_r:
            if at_s > at_r:
                continue
            inside = tuple(i for i, (sl, sh, rl, rh) in live if sl <= at_s <= sh and rl <= at_r <= rh)
            depth = sum(count[i] for i in inside)
            if depth > best:
                best, found = depth, {inside}
            elif depth == best:
                found.add(inside)
    return found


def _own_claims_in_full(r: _Rows, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """:func:`_own_claims` claim by claim (claims not in id order)."""
    cids = r.claim_id[rows].tolist()
    names = sorted(set(cids))
    rank = {c: i for i, c in enumerate(names)}
    idx = np.array([rank[c] for c in cids])
    bounds = (r.sl[rows], r.sh[rows], r.rl[rows], r.rh[rows])
    box = [np.full(len(names), fill) for fill in (-math.inf, math.inf, -math.inf, math.inf)]
    for b, values, fn in zip(box, bounds, (np.maximum, np.minimum, np.maximum, np.minimum)):
        fn.at(b, idx, values)
    sets = sorted({tuple(np.flatnonzero(m).tolist()) for m in _deepest(*box)}, key=lambda s: [names[i] for i in s])
    keep = np.isin(idx, list(sets[0])) if sets else np.zeros(len(idx), bool)
    cycle: list[str] = []
    if keep.any() and not keep.all():
        net = _stn_of(*(x[rows] for x in (r.sl, r.sh, r.rl, r.rh)), cids)
        cycle = [x for x in net.conflict() if "#" in x]
    return keep, cycle


def _within_source(r: _Rows, episode_id: str, platform: str, day: str, memo: dict) -> tuple[np.ndarray, list[dict]]:
    """Claims kept per account: an account whose own claims contradict each other keeps its
    largest consistent subset of claims; the rest is a conflict within one source."""
    kept = np.ones(len(r.claim_id), dtype=bool)
    out: list[dict] = []
    sl, sh, rl, rh, present = r.boxes(np.arange(len(kept)))
    bad = present & ~_consistent(sl, sh, rl, rh)
    if bad.any():
        sel = np.flatnonzero(bad[r.acc])
        sel = sel[np.argsort(r.acc[sel], kind="stable")]  # accounts in sorted order, rows in order
        found = []
        for rows in np.split(sel, np.flatnonzero(np.diff(r.acc[sel])) + 1):
            keep, cycle = _own_claims(r, rows, memo)
            kept[rows[~keep]] = False
            if keep.any() and not keep.all():
                found.append((rows, keep, cycle))
        sides = r.sides([x for rows, keep, _ in found for x in (rows[keep], rows[~keep])])
        both = join_ids_grouped(
            np.repeat(np.arange(len(found)), [len(rows) for rows, _, _ in found]),
            r.field("ids", np.concatenate([rows for rows, _, _ in found])) if found else [],
            len(found),
        )
        for i, (_, _, cycle) in enumerate(found):
            out.append(
                conflict_row(
                    "time",
                    platform=platform,
                    event="within_source",
                    day=day,
                    episode_id=episode_id,
                    a=sides[2 * i],
                    b=sides[2 * i + 1],
                    claim_ids=both[i],
                    note="one source's own claims cannot all hold; its larger consistent part is used"
                    + (f"; contradiction: {', '.join(cycle)}" if cycle else ""),
                )
            )
    return kept, out


def _among(values: np.ndarray, items: list) -> np.ndarray:
    """Mask of the values that are among ``items``."""
    if not items:
        return np.zeros(len(values), dtype=bool)
    return pd.Index(list(dict.fromkeys(items))).get_indexer(values) >= 0


def _clashing(r: _Rows, a: np.ndarray, b: np.ndarray, edge: str, cycle: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The claims of each side that contradict the other side on ``edge`` (a side's claims that
    agree with everything are not part of the dispute); the negative cycle's claims always are."""
    lo, hi = (r.sl, r.sh) if edge == "onset" else (r.rl, r.rh)
    alo, ahi, blo, bhi = lo[a], hi[a], lo[b], hi[b]
    # a claim clashes with some claim of the other side iff it lies wholly after the earliest
    # end there or wholly before the latest start there
    keep_a = (alo > bhi.min()) | (blo.max() > ahi) | _among(r.claim_id[a], cycle)
    keep_b = (blo > ahi.min()) | (alo.max() > bhi) | _among(r.claim_id[b], cycle)
    return (a[keep_a] if keep_a.any() else a), (b[keep_b] if keep_b.any() else b)


def _time_conflicts(
    r: _Rows, kept: np.ndarray, boxes: tuple, episode_id: str, platform: str, day: str, sets: list[np.ndarray]
) -> list[dict]:
    """Conflict rows of an inconsistent episode: the consistent set against the dissent.

    Each dissenting account is classified by what it contradicts: the onset interval, the
    recovery interval, or (neither alone) the order onset ≤ recovery. One conflict per
    kind names the claims on either side; in a tie the first set stands against the accounts
    that only the other sets hold.
    """
    sl, sh, rl, rh, present = boxes
    first = sets[0]
    others = np.zeros_like(first)
    for s in sets[1:]:
        others |= s
    dissent = (present & ~first) if len(sets) == 1 else (others & ~first)
    if not dissent.any():
        return []

    def extreme(values, fn):
        v = values[first]
        return fn(v) if len(v) else np.nan

    set_sl, set_sh, set_rl, set_rh = extreme(sl, np.max), extreme(sh, np.min), extreme(rl, np.max), extreme(rh, np.min)
    onset = dissent & ((sl > set_sh) | (sh < set_sl))
    recovery = dissent & ((rl > set_rh) | (rh < set_rl))
    kinds = {"onset": onset, "recovery": recovery, "order": dissent & ~(onset | recovery)}
    raw = {c: ~np.isnan(getattr(r, c)) for c in _RAW}
    edge_rows = {
        "onset": kept & (raw["s_lo"] | raw["s_hi"]),
        "recovery": kept & (raw["r_lo"] | raw["r_hi"]),
        "order": kept & (raw["s_lo"] | raw["s_hi"] | raw["r_lo"] | raw["r_hi"]),
    }
    rows = []
    for kind, members in kinds.items():
        if not members.any():
            continue
        a = np.flatnonzero(edge_rows[kind] & first[r.acc])
        b = np.flatnonzero(edge_rows[kind] & members[r.acc])
        if len(a) == 0 or len(b) == 0:
            continue
        both = np.concatenate([a, b])
        net = _stn_of(r.sl[both], r.sh[both], r.rl[both], r.rh[both], r.claim_id[both])
        cycle = [x for x in net.conflict() if "#" in x]
        if kind != "order":
            a, b = _clashing(r, a, b, kind, cycle)
        else:
            in_a, in_b = _among(r.claim_id[a], cycle), _among(r.claim_id[b], cycle)
            a = a[in_a] if in_a.any() else a
            b = b[in_b] if in_b.any() else b
        sa, sb = r.side(a), r.side(b)
        gap = (sb["start"] - sa["end"]).total_seconds() / 60.0
        what = "the order of onset and recovery" if kind == "order" else f"the {kind}"
        rows.append(
            conflict_row(
                "time",
                platform=platform,
                event=kind,
                day=day,
                episode_id=episode_id,
                a=sa,
                b=sb,
                gap=gap,
                note=(
                    f"{sa['n_sources']} vs {sb['n_sources']} independent source(s) give bounds of {what} that cannot "
                    "both hold"
                    + ("; equally many on each side, no side wins" if len(sets) > 1 else "")
                    + (f"; contradiction: {', '.join(cycle)}" if cycle else "")
                ),
            )
        )
    return rows


def _search(r: _Rows, episode_id: str, platform: str, day: str, memo: dict) -> dict:
    """An inconsistent episode: each account's own contradictions, the largest consistent
    sets of accounts, their bounds and the conflicts with the dissent."""
    kept, conflicts = _within_source(r, episode_id, platform, day, memo)
    rows = np.flatnonzero(kept)
    boxes = r.boxes(rows)
    sl, sh, rl, rh, present = boxes
    accounts = np.flatnonzero(present)
    found = _deepest(sl[accounts], sh[accounts], rl[accounts], rh[accounts])
    sets = []
    for mask in found:
        full = np.zeros(len(present), dtype=bool)
        full[accounts[mask]] = True
        sets.append(full)
    if len(sets) > 1:  # in the order of their sorted account names
        sets.sort(key=lambda s: r.names[s].tolist())
    member = np.zeros(len(kept), dtype=bool)
    if sets:
        any_set = np.logical_or.reduce(sets)
        member[rows] = any_set[r.acc[rows]]
        conflicts.extend(_time_conflicts(r, kept, boxes, episode_id, platform, day, sets))
    parts = [r.edge_bounds(kept & s[r.acc]) for s in sets] or [r.edge_bounds(np.zeros(len(kept), dtype=bool))]
    n_accounts = int(present.sum())
    return {
        "kept": kept,
        "member": member,
        "conflicts": conflicts,
        "parts": parts,
        "n_sets": len(sets),
        "n_accounts": n_accounts,
        "n_dissenting": n_accounts - int(np.logical_and.reduce(sets).sum()) if sets else n_accounts,
        "outage": bool(r.outage[kept].any()),
    }


def _empty() -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    return pd.DataFrame(columns=SEQUENCE_COLUMNS), pd.DataFrame(columns=CONSTRAINT_COLUMNS), []


def _ordered_join(
    codes: np.ndarray, part: np.ndarray, pos: np.ndarray, values: np.ndarray, n_groups: int, sep: str
) -> list[str]:
    """Per group, the distinct values in order of (part, pos), first appearance kept, joined."""
    out = [""] * n_groups
    if not len(codes):
        return out
    vcode, uniq = pd.factorize(values, use_na_sentinel=False)
    order = np.lexsort((pos, part, codes))
    codes, vcode = codes[order], vcode[order]
    _, first = np.unique(codes.astype(np.int64) * (len(uniq) + 1) + vcode, return_index=True)
    first.sort()
    codes, vcode = codes[first], vcode[first]
    words = np.asarray(uniq, dtype=object)[vcode].tolist()
    cuts = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    ends = np.concatenate([cuts, [len(codes)]]).tolist()
    for g, a, b in zip(codes[starts].tolist(), starts, ends):
        out[g] = sep.join(words[a:b])
    return out


def _agreeing(k: pd.DataFrame, ep: np.ndarray, n_ep: int) -> dict[str, dict[str, list]]:
    """Published bounds of every episode as if all its accounts agreed: per edge the earliest
    and latest moment, the ids and the phrases of the claims that set them (vectorised
    :func:`_edge_bounds` with every claim a member)."""
    cid = k["claim_id"].to_numpy(dtype=object)
    phrase = k["phrase"].to_numpy(dtype=object)
    out = {}
    for edge, lo_col, hi_col in (("onset", "s_lo", "s_hi"), ("recovery", "r_lo", "r_hi")):
        lo_v, hi_v = k[lo_col].to_numpy(dtype=float), k[hi_col].to_numpy(dtype=float)
        lo, hi = np.full(n_ep, np.nan), np.full(n_ep, np.nan)
        np.fmax.at(lo, ep, lo_v)
        np.fmin.at(hi, ep, hi_v)
        bind_lo = np.abs(lo_v - lo[ep]) <= BIND_SECONDS
        bind_hi = np.abs(hi_v - hi[ep]) <= BIND_SECONDS
        either = np.flatnonzero(bind_lo | bind_hi)
        ids = join_ids_grouped(ep[either], cid[either], n_ep)
        rows_lo, rows_hi = np.flatnonzero(bind_lo), np.flatnonzero(bind_hi)
        rows = np.concatenate([rows_lo, rows_hi])
        part = np.concatenate([np.zeros(len(rows_lo), np.int8), np.ones(len(rows_hi), np.int8)])
        phrases = _ordered_join(ep[rows], part, rows, phrase[rows], n_ep, " | ")
        out[edge] = {"earliest": lo.tolist(), "latest": hi.tolist(), "claim_ids": ids, "phrases": phrases}
    return out


def sequence(claims: pd.DataFrame, *, incident: Incident) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """The Ablauf: one row per platform × episode with the bounds of its onset and recovery.

    Episodes whose accounts all agree are bounded all at once (no search); only an
    inconsistent episode goes through the largest-consistent-set search and the STN.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        incident: The descriptor.

    Returns:
        ``(sequence, constraints, time and statement conflicts)``: ``sequence`` with
        :data:`SEQUENCE_COLUMNS` (times tz-aware; empty = no source bounds that side),
        ``constraints`` with :data:`CONSTRAINT_COLUMNS`, conflict rows without ids.
    """
    k = constraints(claims[[c for c in _USED if c in claims.columns]], incident=incident)
    tz = incident.timezone
    if len(k) == 0:
        return _empty()
    k = k.drop(
        columns=[c for c in ("table", "resolved", "on_timeline", "bounding", "stance", "span_kind") if c in k.columns]
    )
    is_stmt = (k["role"] == "S").to_numpy()
    pos_k, pos_s = np.flatnonzero(~is_stmt), np.flatnonzero(is_stmt)
    statements = k.iloc[pos_s]
    if len(pos_s):  # (without statements the frame is kept as it is: no copy)
        k = k.iloc[pos_k].reset_index(drop=True)
    if len(k) == 0:
        return _empty()
    # episodes in order of first appearance (as grouped), then numbered by day, platform, episode
    ep, ep_first = distinct([k["episode_key"]])
    n_ep = len(ep_first)
    keys = k["episode_key"].to_numpy(dtype=object)[ep_first]
    order = pd.DataFrame(
        {
            "platform": k["platform"].to_numpy(dtype=object)[ep_first],
            "day": k["day"].to_numpy(dtype=object)[ep_first],
            "episode": k["episode"].to_numpy()[ep_first],
            "ep_pos": np.arange(n_ep),
        },
        index=keys,
    )
    rank = {p: i for i, p in enumerate(incident.platform_ids)}
    order["_rank"] = order["platform"].map(rank).fillna(len(rank))
    order = order.sort_values(["day", "_rank", "platform", "episode"])
    ids = {key: f"E{i + 1:03d}" for i, key in enumerate(order.index)}
    # boxes of (s, r) per episode × account; an episode is consistent when their intersection is
    acc, acc_first = distinct([ep, k["account_group"]])
    n_acc = len(acc_first)
    box = {}
    for col, fn, fill in (
        ("agree_s_lo", np.fmax, -math.inf),
        ("agree_s_hi", np.fmin, math.inf),
        ("agree_r_lo", np.fmax, -math.inf),
        ("agree_r_hi", np.fmin, math.inf),
    ):
        b = np.full(n_acc, np.nan)
        fn.at(b, acc, k[col].to_numpy(dtype=float))
        box[col] = np.where(np.isnan(b), fill, b)
    sl, sh, rl, rh = (box[c] for c in _AGREE)
    acc_ep = ep[acc_first]
    ep_box = []
    for values, fn, init in (
        (sl, np.maximum, -math.inf),
        (sh, np.minimum, math.inf),
        (rl, np.maximum, -math.inf),
        (rh, np.minimum, math.inf),
    ):
        b = np.full(n_ep, init)
        fn.at(b, acc_ep, values)
        ep_box.append(b)
    bad_self = np.zeros(n_ep, dtype=bool)
    bad_self[acc_ep[~((sl <= sh) & (rl <= rh) & (sl <= rh))]] = True
    esl, esh, erl, erh = ep_box
    consistent = (esl <= esh) & (erl <= erh) & (esl <= erh) & ~bad_self
    n_accounts = np.bincount(acc_ep, minlength=n_ep)
    events = k["event"].isin(["outage", "outage_start"]).to_numpy()
    outage = np.zeros(n_ep, dtype=bool)
    outage[ep[events]] = True
    agreeing = _agreeing(k, ep, n_ep)
    # statements of each platform × day
    day_stmt: dict[tuple, np.ndarray] = {}
    if len(statements):
        sp, sp_first = distinct([statements["platform"], statements["day"]])
        s_order = np.argsort(sp, kind="stable")
        cuts = np.flatnonzero(np.diff(sp[s_order])) + 1
        s_plat = statements["platform"].to_numpy(dtype=object)
        s_day = statements["day"].to_numpy(dtype=object)
        for rows in np.split(s_order, cuts):
            day_stmt[(s_plat[rows[0]], s_day[rows[0]])] = rows
    s_ids = statements["claim_id"].to_numpy(dtype=object)
    none = np.zeros(0, dtype=np.int64)
    stmt_of = [
        day_stmt.get((p, d), none)
        for p, d in zip(
            order["platform"].to_numpy()[np.argsort(order["ep_pos"].to_numpy())],
            order["day"].to_numpy()[np.argsort(order["ep_pos"].to_numpy())],
        )
    ]
    # claim ids of every episode with the statements of its platform × day
    n_stmt = np.array([len(x) for x in stmt_of], dtype=np.int64)
    stmt_rows = np.concatenate(stmt_of) if n_stmt.sum() else none
    # in the order of the constraints (the claims' id order), so that the ids come sorted
    by_pos = np.argsort(np.concatenate([pos_k, pos_s[stmt_rows]]), kind="stable")
    all_ids = join_ids_grouped(
        np.concatenate([ep, np.repeat(np.arange(n_ep), n_stmt)])[by_pos],
        np.concatenate([k["claim_id"].to_numpy(dtype=object), s_ids[stmt_rows]])[by_pos],
        n_ep,
    )
    stmt_ids = join_ids_grouped(np.repeat(np.arange(n_ep), n_stmt), s_ids[stmt_rows], n_ep)

    member = np.ones(len(k), dtype=bool)
    ep_order = np.argsort(ep, kind="stable")
    ep_rows = np.split(ep_order, np.flatnonzero(np.diff(ep[ep_order])) + 1)
    arrays = _Rows(k) if (~consistent).any() or len(statements) else None
    memo: dict = {}
    rows, conflicts = [], []
    for key, meta in zip(order.index, order.itertuples(index=False)):
        e = int(meta.ep_pos)
        eid = ids[key]
        stmt = stmt_of[e]
        r = None
        if consistent[e]:
            bounds = {
                edge: {
                    "earliest": agreeing[edge]["earliest"][e],
                    "latest": agreeing[edge]["latest"][e],
                    "claim_ids": agreeing[edge]["claim_ids"][e],
                    "phrases": agreeing[edge]["phrases"][e],
                }
                for edge in ("onset", "recovery")
            }
            disputed, n_acc, n_dissenting, is_outage = "", int(n_accounts[e]), 0, bool(outage[e])
            reporting = None
        else:
            r = arrays.take(ep_rows[e])
            found = _search(r, eid, meta.platform, meta.day, memo)
            conflicts.extend(found["conflicts"])
            member[ep_rows[e]] = found["member"]
            parts = found["parts"]
            hull = parts[0] if len(parts) == 1 else _hull(parts)
            bounds = {
                edge: {
                    "earliest": hull[edge]["earliest"],
                    "latest": hull[edge]["latest"],
                    "claim_ids": r.join_ids(hull[edge]["ids"]),
                    "phrases": " | ".join(hull[edge]["phrases"]),
                }
                for edge in ("onset", "recovery")
            }
            disputed = "; ".join(x for x in ("onset", "recovery") if found["n_sets"] > 1 and _hull_differs(parts, x))
            n_acc, n_dissenting, is_outage = found["n_accounts"], found["n_dissenting"], found["outage"]
            reporting = found["kept"]
        row = {
            "episode_id": eid,
            "platform": meta.platform,
            "day": meta.day,
            "episode": int(meta.episode),
            "state": "outage" if is_outage else "degraded",
            "disputed": disputed,
            "n_independent_sources": n_acc,
            "n_dissenting": int(n_dissenting),
            "statement_claim_ids": stmt_ids[e],
            "claim_ids": all_ids[e],
        }
        for edge in ("onset", "recovery"):
            b = bounds[edge]
            row[f"{edge}_earliest"] = b["earliest"]
            row[f"{edge}_latest"] = b["latest"]
            row[f"{edge}_phrases"] = b["phrases"]
            row[f"{edge}_claim_ids"] = b["claim_ids"]
        rows.append(row)
        if len(stmt):
            if r is None:
                r = arrays.take(ep_rows[e])
                reporting = np.ones(len(r.claim_id), dtype=bool)
            reports = np.flatnonzero(reporting & r.report)
            if len(reports):
                conflicts.append(
                    conflict_row(
                        "statement",
                        platform=meta.platform,
                        event="stable",
                        day=meta.day,
                        episode_id=eid,
                        a=r.side(reports, "Störung gemeldet"),
                        b=side(statements.iloc[stmt], "läuft stabil"),
                        note="a statement that the platform ran stably, against reports of trouble on the same day",
                    )
                )
    seq = pd.DataFrame(rows)
    # separate short phases ("zwei Störungsphasen von jeweils einigen Minuten"): never one continuous bar
    broken = set(k.loc[k["pattern"] == "intermittent", "episode_key"]) if "pattern" in k.columns else set()
    seq["pattern"] = ["intermittent" if key in broken else "" for key in order.index]
    for edge in ("onset", "recovery"):
        for side_ in ("earliest", "latest"):
            col = f"{edge}_{side_}"
            seq[col] = pd.to_datetime(seq[col], unit="s", utc=True).dt.tz_convert(tz)
    del arrays  # only what the constraints table shows is kept from here on
    k = k[["claim_id", "account_group", "role", *_RAW, "phrase", "platform", "day", "episode_key"]]
    cons = _constraint_table(k, statements, pos_k, pos_s, member, ids, tz)
    seq["conflict_ids"] = ""
    return seq[SEQUENCE_COLUMNS], cons, conflicts


def _constraint_table(
    k: pd.DataFrame,
    statements: pd.DataFrame,
    pos_k: np.ndarray,
    pos_s: np.ndarray,
    member: np.ndarray,
    ids: dict,
    tz: str,
) -> pd.DataFrame:
    """``constraints.csv``: the bounding claims with their episode and membership, and the
    statements of each episode (sorted by episode id and claim id)."""
    cols = ["claim_id", "account_group", "role", *_RAW, "phrase", "platform", "day"]

    def part(df: pd.DataFrame, in_set) -> pd.DataFrame:
        return df[cols].assign(
            episode_id=df["episode_key"].map(ids), claim_ids=df["claim_id"], in_consistent_set=in_set
        )

    stmt = part(statements, False)
    keep = stmt["episode_id"].notna().to_numpy()
    cons = part(k, pd.Series(member, index=k.index))
    where = pos_k
    if len(statements):  # (an empty part would still weigh in on the columns' types)
        cons = pd.concat([cons, stmt[keep]])
        where = np.concatenate([pos_k, pos_s[keep]])
    # rows come in claim-id order within each part (the claims are sorted by id): a stable sort
    # by episode id over their common order is the sort by episode id and claim id
    cid = cons["claim_id"].to_numpy(dtype=object)
    by_pos = np.argsort(where, kind="stable")
    c = cid[by_pos]
    if len(c) > 1 and not bool((c[1:] >= c[:-1]).all()):
        order = None
    else:
        codes, uniq = pd.factorize(cons["episode_id"].to_numpy(dtype=object))
        rank_of = np.empty(len(uniq), dtype=np.int64)
        rank_of[sort_order(np.asarray(uniq, dtype=object))] = np.arange(len(uniq))
        order = by_pos[np.argsort(rank_of[codes[by_pos]], kind="stable")]
    out = {}
    for col in CONSTRAINT_COLUMNS:
        if col in ("onset_lo", "onset_hi", "recovery_lo", "recovery_hi"):
            src = {"onset_lo": "s_lo", "onset_hi": "s_hi", "recovery_lo": "r_lo", "recovery_hi": "r_hi"}[col]
            values = pd.to_datetime(cons[src], unit="s", utc=True).dt.tz_convert(tz)
        elif col == "claim_ids" and cons["claim_ids"].dtype == cons["claim_id"].dtype:
            out[col] = out["claim_id"]  # the same ids: one array
            continue
        else:
            values = cons[col]
        out[col] = values if order is None else values.take(order).reset_index(drop=True)
    cons = pd.DataFrame(out, copy=False)
    if order is None:
        return cons.sort_values(["episode_id", "claim_id"], ignore_index=True)
    return cons


def _hull_differs(parts: list[dict], edge: str) -> bool:
    def norm(x):
        return None if pd.isna(x) else float(x)

    lows = {norm(p[edge]["earliest"]) for p in parts}
    highs = {norm(p[edge]["latest"]) for p in parts}
    return len(lows) > 1 or len(highs) > 1


def attach_conflict_ids(seq: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """Fill ``conflict_ids`` of each episode from the numbered conflicts table."""
    if len(conflicts) == 0 or "episode_id" not in conflicts:
        return seq.assign(conflict_ids="")
    by = conflicts[conflicts["episode_id"] != ""].groupby("episode_id")["conflict_id"].agg(join_ids)
    by = by.to_dict()
    return seq.assign(conflict_ids=[by.get(e, "") for e in seq["episode_id"]])


__all__ = [
    "AGREE_SECONDS",
    "CONSTRAINT_COLUMNS",
    "ROLES",
    "SEQUENCE_COLUMNS",
    "attach_conflict_ids",
    "constraints",
    "group_join",
    "largest_consistent_sets",
    "roles",
    "sequence",
]
