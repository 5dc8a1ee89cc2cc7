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
from incident.ids import group_join, join_ids
from incident.reconstruct.claims import explode_platforms
from incident.reconstruct.conflicts import conflict_row, side
from incident.reconstruct.days import day_of
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
SEQUENCE_COLUMNS = ["episode_id", "platform", "day", "episode", "state",
                    "onset_earliest", "onset_latest", "onset_phrases", "onset_claim_ids",
                    "recovery_earliest", "recovery_latest", "recovery_phrases", "recovery_claim_ids",
                    "disputed", "n_independent_sources", "n_dissenting", "conflict_ids", "statement_claim_ids",
                    "claim_ids"]
CONSTRAINT_COLUMNS = ["episode_id", "claim_id", "claim_ids", "account_group", "role", "onset_lo", "onset_hi",
                      "recovery_lo", "recovery_hi", "phrase", "in_consistent_set", "platform", "day"]


# --------------------------------------------------------------------------- roles


def roles(claims: pd.DataFrame) -> pd.Series:
    """The role of each claim in the bounds (see the module docstring); '' = not used.

    Args:
        claims: Resolved claims with ``table, event, stance, span_kind, phrase``.

    Returns:
        Series of role letters aligned with ``claims``.
    """
    ev, st, kind = claims["event"], claims["stance"], claims["span_kind"]
    now = claims["phrase"].str.contains(_NOW)
    disrupted, working = st == "disrupted", st == "working"
    # "seit 8 Uhr ging nichts mehr" dates an outage's start; "seit Mittag besser erreichbar" (still
    # degraded, easing) does not: it only says the platform was disrupted then
    onset = disrupted & ((ev == "outage_start") | ((kind == "since") & (ev == "outage")))
    until = disrupted & (kind == "until")
    fixed = working & ((ev == "fix") | ((ev == "restored") & (kind == "since"))) & ~now
    works = working & (ev.isin(["restored", "fix"])) & ~fixed
    dayonly = kind == "day"
    role = np.select(
        [onset, until, disrupted & dayonly, disrupted, fixed, works, working & (ev == "stable")],
        ["O", "R", "P", "D", "R", "W", "S"], "")
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
    out = {}
    for space, lo, hi in (("", a, b), ("agree_", aa, bb)):
        # "vor 9 Uhr gestört" says nothing about the recovery's earliest moment, "nach 9 Uhr" nothing
        # about the onset's latest: a one-sided span bounds one side only, whatever the role
        s_lo = np.where((role == "O") & ~lo_open, lo, nan)
        s_hi = np.where(((role == "O") | (role == "D")) & ~hi_open, hi, nan)
        r_lo = np.where(((role == "R") | (role == "D")) & ~lo_open, lo, nan)
        r_hi = np.where(((role == "R") & ~hi_open) | (role == "W"), hi, nan)
        out.update({f"{space}s_lo": s_lo, f"{space}s_hi": s_hi, f"{space}r_lo": r_lo, f"{space}r_hi": r_hi})
    return k.assign(**out)


# --------------------------------------------------------------------------- episodes


def _split_relapses(k: pd.DataFrame) -> pd.Series:
    """Episode number within platform × day: a day splits where one account says the
    platform came back and, later, failed again."""
    episode = pd.Series(1, index=k.index)
    start, end = _seconds(k["start"]), _seconds(k["end"])
    k = k.assign(_s=start, _e=end)
    rec = k[k["role"].isin(["R", "W"])]
    dis = k[k["role"].isin(["O", "D"])]
    if len(rec) == 0 or len(dis) == 0:
        return episode
    keys = ["platform", "day", "account_group"]
    pairs = rec[keys + ["_e"]].merge(dis[keys + ["_s"]], on=keys)
    pairs = pairs[pairs["_s"] > pairs["_e"] + AGREE_SECONDS]
    if len(pairs) == 0:
        return episode
    first = pairs.groupby(keys)["_e"].min().reset_index()
    for (platform, day), g in first.groupby(["platform", "day"]):
        cuts: list[float] = []
        for t in sorted(g["_e"]):
            if not cuts or t - cuts[-1] > RELAPSE_MERGE_SECONDS:
                cuts.append(t)
        rows = (k["platform"] == platform) & (k["day"] == day)
        episode[rows] = 1 + np.searchsorted(np.array(cuts), k.loc[rows, "_s"].to_numpy(), side="right")
    return episode


def constraints(claims: pd.DataFrame, *, incident: Incident) -> pd.DataFrame:
    """Every claim that bounds or places an episode, with its role and bounds.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        incident: The descriptor (context ids).

    Returns:
        One row per claim × platform with ``role``, raw bounds ``s_lo, s_hi, r_lo, r_hi``
        (seconds, NaN = open), agreement-space bounds, ``day`` and ``episode_key``.
    """
    c = claims[claims["on_timeline"] & claims["resolved"] & claims["table"].isin(["timeline", "statements"])]
    c = c.assign(role=roles(c))
    c = c[c["role"] != ""]
    c = explode_platforms(c, incident=incident)
    c = c.assign(day=day_of(c["start"], c["end"]))
    c = c[c["day"] != ""].reset_index(drop=True)
    if len(c) == 0:
        return c.assign(episode=pd.Series(dtype=int), episode_key=pd.Series(dtype=object))
    c = _claim_bounds(c)
    c["episode"] = _split_relapses(c).to_numpy()
    c["episode_key"] = c["platform"] + "|" + c["day"] + "|" + c["episode"].astype(str)
    return c


# --------------------------------------------------------------------------- the largest consistent set


def _boxes(k: pd.DataFrame, prefix: str = "agree_") -> pd.DataFrame:
    """Per account: the box of (s, r) its claims allow (±inf = open)."""
    cols = {f"{prefix}s_lo": "max", f"{prefix}s_hi": "min", f"{prefix}r_lo": "max", f"{prefix}r_hi": "min"}
    b = k.groupby("account_group", sort=True).agg(cols)
    b.columns = ["sl", "sh", "rl", "rh"]
    b["sl"] = b["sl"].fillna(-math.inf)
    b["rl"] = b["rl"].fillna(-math.inf)
    b["sh"] = b["sh"].fillna(math.inf)
    b["rh"] = b["rh"].fillna(math.inf)
    return b


def _self_consistent(b: pd.DataFrame) -> np.ndarray:
    return ((b["sl"] <= b["sh"]) & (b["rl"] <= b["rh"]) & (b["sl"] <= b["rh"])).to_numpy()


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
    ok = _self_consistent(boxes)
    if not ok.any():
        return []
    sl, sh, rl, rh = (boxes[c].to_numpy() for c in ("sl", "sh", "rl", "rh"))
    cand_s = np.unique(np.concatenate([[-math.inf], sl[ok & np.isfinite(sl)]]))
    cand_r = np.unique(np.concatenate([[math.inf], rh[ok & np.isfinite(rh)]]))
    S, R = np.meshgrid(cand_s, cand_r, indexing="ij")
    S, R = S.ravel(), R.ravel()
    valid = S <= R
    S, R = S[valid], R[valid]
    inside = ((sl[None, :] <= S[:, None]) & (S[:, None] <= sh[None, :])
              & (rl[None, :] <= R[:, None]) & (R[:, None] <= rh[None, :]) & ok[None, :])
    depth = inside.sum(axis=1)
    best = depth.max()
    names = boxes.index.to_numpy()
    sets = {frozenset(names[row]) for row in inside[depth == best]}
    return sorted(sets, key=lambda s: sorted(s))


def _stn(k: pd.DataFrame) -> STN:
    """The STN of an episode's claims in agreement space (labels = claim ids)."""
    net = STN()
    net.point("s")
    net.point("r")
    net.order("s", "r", label="onset <= recovery")
    for row in k.itertuples(index=False):
        for point, lo, hi in (("s", row.agree_s_lo, row.agree_s_hi), ("r", row.agree_r_lo, row.agree_r_hi)):
            lo = -math.inf if pd.isna(lo) else lo
            hi = math.inf if pd.isna(hi) else hi
            if math.isfinite(lo) or math.isfinite(hi):
                net.bound(point, lo=lo, hi=hi, label=row.claim_id)
    return net


# --------------------------------------------------------------------------- published bounds


def _edge_bounds(k: pd.DataFrame, member: pd.Series) -> dict:
    """Raw bounds of one consistent set, with the claim ids that set each side."""
    m = k[member]
    out = {}
    for edge, lo_col, hi_col in (("onset", "s_lo", "s_hi"), ("recovery", "r_lo", "r_hi")):
        lo, hi = m[lo_col].max(), m[hi_col].min()
        ids: set[str] = set()
        phrases: dict[str, None] = {}
        for col, value in ((lo_col, lo), (hi_col, hi)):
            if pd.isna(value):
                continue
            bind = m[(m[col] - value).abs() <= BIND_SECONDS]
            ids.update(bind["claim_id"])
            phrases.update(dict.fromkeys(bind["phrase"]))
        out[edge] = {"earliest": lo, "latest": hi, "ids": ids, "phrases": list(phrases),
                     "all": m[m[lo_col].notna() | m[hi_col].notna()]}
    return out


def _hull(parts: list[dict]) -> dict:
    """Hull of the bounds of several equally large sets: open when any set is open."""
    out = {}
    for edge in ("onset", "recovery"):
        lows = [p[edge]["earliest"] for p in parts]
        highs = [p[edge]["latest"] for p in parts]
        out[edge] = {
            "earliest": np.nan if any(pd.isna(x) for x in lows) else min(lows),
            "latest": np.nan if any(pd.isna(x) for x in highs) else max(highs),
            "ids": set().union(*(p[edge]["ids"] for p in parts)),
            "phrases": list(dict.fromkeys(ph for p in parts for ph in p[edge]["phrases"])),
        }
    return out


def _within_source(g: pd.DataFrame, episode_id: str, platform: str, day: str) -> tuple[pd.Series, list[dict]]:
    """Claims kept per account: an account whose own claims contradict each other keeps its
    largest consistent subset of claims; the rest is a conflict within one source."""
    kept = pd.Series(True, index=g.index)
    rows = []
    boxes = _boxes(g)
    for acc in boxes.index[~_self_consistent(boxes)]:
        mine = g[g["account_group"] == acc]
        claim_boxes = _boxes(mine.assign(account_group=mine["claim_id"]))
        sets = largest_consistent_sets(claim_boxes)
        keep = sets[0] if sets else frozenset()
        out = ~mine["claim_id"].isin(keep)
        kept.loc[mine.index[out.to_numpy()]] = False
        a, b = mine[~out], mine[out]
        if len(a) and len(b):
            cycle = [x for x in _stn(mine).conflict() if "#" in x]
            rows.append(conflict_row(
                "time", platform=platform, event="within_source", day=day, episode_id=episode_id, a=side(a), b=side(b),
                note="one source's own claims cannot all hold; its larger consistent part is used"
                     + (f"; contradiction: {', '.join(cycle)}" if cycle else "")))
    return kept, rows


def _clashing(a: pd.DataFrame, b: pd.DataFrame, edge: str, cycle: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims of each side that contradict the other side on ``edge`` (a side's claims that
    agree with everything are not part of the dispute); the negative cycle's claims always are."""
    lo, hi = ("agree_s_lo", "agree_s_hi") if edge == "onset" else ("agree_r_lo", "agree_r_hi")

    def span(df):
        return df[lo].fillna(-math.inf).to_numpy(), df[hi].fillna(math.inf).to_numpy()

    alo, ahi = span(a)
    blo, bhi = span(b)
    disjoint = (alo[:, None] > bhi[None, :]) | (blo[None, :] > ahi[:, None])
    keep_a = disjoint.any(axis=1) | a["claim_id"].isin(cycle).to_numpy()
    keep_b = disjoint.any(axis=0) | b["claim_id"].isin(cycle).to_numpy()
    return (a[keep_a] if keep_a.any() else a), (b[keep_b] if keep_b.any() else b)


def _time_conflicts(k: pd.DataFrame, episode_id: str, platform: str, day: str, sets: list[frozenset[str]]) -> list[dict]:
    """Conflict rows of an inconsistent episode: the consistent set against the dissent.

    Each dissenting account is classified by what it contradicts: the onset interval, the
    recovery interval, or (neither alone) the order onset ≤ recovery. One conflict per
    kind names the claims on either side; in a tie the first set stands against the accounts
    that only the other sets hold.
    """
    accounts = set(k["account_group"])
    first = sets[0]
    dissent = sorted((accounts - first) if len(sets) == 1 else (frozenset.union(*sets[1:]) - first))
    if not dissent:
        return []
    boxes = _boxes(k)
    ref = boxes.loc[sorted(first)]
    SL, SH, RL, RH = ref["sl"].max(), ref["sh"].min(), ref["rl"].max(), ref["rh"].min()
    kinds: dict[str, list[str]] = {"onset": [], "recovery": [], "order": []}
    for acc in dissent:
        b = boxes.loc[acc]
        onset = b["sl"] > SH or b["sh"] < SL
        recovery = b["rl"] > RH or b["rh"] < RL
        for name, hit in (("onset", onset), ("recovery", recovery)):
            if hit:
                kinds[name].append(acc)
        if not (onset or recovery):
            kinds["order"].append(acc)
    cols = {"onset": ("s_lo", "s_hi"), "recovery": ("r_lo", "r_hi")}
    bounding = k[k[["s_lo", "s_hi", "r_lo", "r_hi"]].notna().any(axis=1)]
    rows = []
    for kind, members in kinds.items():
        if not members:
            continue
        if kind == "order":
            a = bounding[bounding["account_group"].isin(first)]
            b = bounding[bounding["account_group"].isin(members)]
        else:
            lo, hi = cols[kind]
            on_edge = k[k[lo].notna() | k[hi].notna()]
            a = on_edge[on_edge["account_group"].isin(first)]
            b = on_edge[on_edge["account_group"].isin(members)]
        if len(a) == 0 or len(b) == 0:
            continue
        cycle = [x for x in _stn(pd.concat([a, b])).conflict() if "#" in x]
        if kind != "order":
            a, b = _clashing(a, b, kind, cycle)
        else:
            a = a[a["claim_id"].isin(cycle)] if a["claim_id"].isin(cycle).any() else a
            b = b[b["claim_id"].isin(cycle)] if b["claim_id"].isin(cycle).any() else b
        sa, sb = side(a), side(b)
        gap = (b["start"].min() - a["end"].max()).total_seconds() / 60.0
        what = "the order of onset and recovery" if kind == "order" else f"the {kind}"
        rows.append(conflict_row(
            "time", platform=platform, event=kind, day=day, episode_id=episode_id, a=sa, b=sb, gap=gap,
            note=(f"{sa['n_sources']} vs {sb['n_sources']} independent source(s) give bounds of {what} that cannot "
                  "both hold" + ("; equally many on each side, no side wins" if len(sets) > 1 else "")
                  + (f"; contradiction: {', '.join(cycle)}" if cycle else ""))))
    return rows


def _state(events: pd.Series) -> str:
    return "outage" if events.isin(["outage", "outage_start"]).any() else "degraded"


def sequence(claims: pd.DataFrame, *, incident: Incident) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """The Ablauf: one row per platform × episode with the bounds of its onset and recovery.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        incident: The descriptor.

    Returns:
        ``(sequence, constraints, time and statement conflicts)``: ``sequence`` with
        :data:`SEQUENCE_COLUMNS` (times tz-aware; empty = no source bounds that side),
        ``constraints`` with :data:`CONSTRAINT_COLUMNS`, conflict rows without ids.
    """
    k = constraints(claims, incident=incident)
    tz = incident.timezone
    if len(k) == 0:
        return pd.DataFrame(columns=SEQUENCE_COLUMNS), pd.DataFrame(columns=CONSTRAINT_COLUMNS), []
    statements = k[k["role"] == "S"]
    k = k[k["role"] != "S"]
    # fast path: an episode whose accounts all agree needs no search
    boxes = k.groupby(["episode_key", "account_group"], sort=True).agg(
        sl=("agree_s_lo", "max"), sh=("agree_s_hi", "min"), rl=("agree_r_lo", "max"), rh=("agree_r_hi", "min"))
    boxes = boxes.fillna({"sl": -math.inf, "rl": -math.inf, "sh": math.inf, "rh": math.inf})
    ep = boxes.groupby(level=0).agg(sl=("sl", "max"), sh=("sh", "min"), rl=("rl", "max"), rh=("rh", "min"))
    self_ok = _self_consistent(boxes)
    bad_self = pd.Series(~self_ok, index=boxes.index).groupby(level=0).any()
    consistent = (ep["sl"] <= ep["sh"]) & (ep["rl"] <= ep["rh"]) & (ep["sl"] <= ep["rh"]) & ~bad_self
    rows, conflicts, member = [], [], pd.Series(True, index=k.index)
    order = k.groupby("episode_key", sort=False).agg(platform=("platform", "first"), day=("day", "first"),
                                                     episode=("episode", "first"))
    rank = {p: i for i, p in enumerate(incident.platform_ids)}
    order["_rank"] = order["platform"].map(rank).fillna(len(rank))
    order = order.sort_values(["day", "_rank", "platform", "episode"])
    ids = {key: f"E{i + 1:03d}" for i, key in enumerate(order.index)}
    grouped = dict(tuple(k.groupby("episode_key", sort=False)))
    for key, meta in order.iterrows():
        g = grouped[key]
        eid = ids[key]
        if consistent.get(key, True):
            sets = [frozenset(g["account_group"])]
        else:
            kept, internal = _within_source(g, eid, meta["platform"], meta["day"])
            conflicts.extend(internal)
            g = g[kept]
            sets = largest_consistent_sets(_boxes(g))
            in_any = g["account_group"].isin(frozenset.union(*sets)) if sets else pd.Series(False, index=g.index)
            member.loc[kept.index] = False
            member.loc[g.index] = in_any.to_numpy()
            conflicts.extend(_time_conflicts(g, eid, meta["platform"], meta["day"], sets) if sets else [])
        parts = [_edge_bounds(g, g["account_group"].isin(s)) for s in sets] or [_edge_bounds(g, g["role"] == "#")]
        bounds = parts[0] if len(parts) == 1 else _hull(parts)
        n_accounts = g["account_group"].nunique()
        stmt = statements[(statements["platform"] == meta["platform"]) & (statements["day"] == meta["day"])]
        row = {
            "episode_id": eid, "platform": meta["platform"], "day": meta["day"], "episode": int(meta["episode"]),
            "state": _state(g["event"]),
            "disputed": "; ".join(e for e in ("onset", "recovery")
                                  if len(sets) > 1 and _hull_differs(parts, e)),
            "n_independent_sources": int(n_accounts),
            "n_dissenting": int(n_accounts - len(frozenset.intersection(*sets))) if sets else int(n_accounts),
            "statement_claim_ids": join_ids(stmt["claim_id"]),
            "claim_ids": join_ids([*grouped[key]["claim_id"], *stmt["claim_id"]]),
        }
        for edge in ("onset", "recovery"):
            e = bounds[edge]
            row[f"{edge}_earliest"] = e["earliest"]
            row[f"{edge}_latest"] = e["latest"]
            row[f"{edge}_phrases"] = " | ".join(e["phrases"])
            row[f"{edge}_claim_ids"] = join_ids(e["ids"])
        rows.append(row)
        if len(stmt):
            reports = g[g["role"].isin(["O", "D", "P"])]
            if len(reports):
                conflicts.append(conflict_row(
                    "statement", platform=meta["platform"], event="stable", day=meta["day"], episode_id=eid,
                    a=side(reports, "Störung gemeldet"), b=side(stmt, "läuft stabil"),
                    note="a statement that the platform ran stably, against reports of trouble on the same day"))
    seq = pd.DataFrame(rows)
    for edge in ("onset", "recovery"):
        for side_ in ("earliest", "latest"):
            col = f"{edge}_{side_}"
            seq[col] = pd.to_datetime(seq[col], unit="s", utc=True).dt.tz_convert(tz)
    disputed_time = {c["episode_id"] for c in conflicts if c["conflict_type"] == "time"}
    seq["disputed"] = [d if d else ("; ".join(_edges_in(conflicts, e)) if e in disputed_time else "")
                       for d, e in zip(seq["disputed"], seq["episode_id"])]
    stmt_rows = statements.assign(episode_id=statements["episode_key"].map(ids), claim_ids=statements["claim_id"],
                                  in_consistent_set=False)
    cons = pd.concat([k.assign(episode_id=k["episode_key"].map(ids), claim_ids=k["claim_id"], in_consistent_set=member),
                      stmt_rows[stmt_rows["episode_id"].notna()]])
    for col, src in (("onset_lo", "s_lo"), ("onset_hi", "s_hi"), ("recovery_lo", "r_lo"), ("recovery_hi", "r_hi")):
        cons[col] = pd.to_datetime(cons[src], unit="s", utc=True).dt.tz_convert(tz)
    cons = cons[CONSTRAINT_COLUMNS].sort_values(["episode_id", "claim_id"], ignore_index=True)
    seq["conflict_ids"] = ""
    return seq[SEQUENCE_COLUMNS], cons, conflicts


def _hull_differs(parts: list[dict], edge: str) -> bool:
    def norm(x):
        return None if pd.isna(x) else float(x)

    lows = {norm(p[edge]["earliest"]) for p in parts}
    highs = {norm(p[edge]["latest"]) for p in parts}
    return len(lows) > 1 or len(highs) > 1


def _edges_in(conflicts: list[dict], episode_id: str) -> list[str]:
    return sorted({c["event"] for c in conflicts if c["episode_id"] == episode_id and c["conflict_type"] == "time"})


def attach_conflict_ids(seq: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """Fill ``conflict_ids`` of each episode from the numbered conflicts table."""
    if len(conflicts) == 0 or "episode_id" not in conflicts:
        return seq.assign(conflict_ids="")
    by = conflicts[conflicts["episode_id"] != ""].groupby("episode_id")["conflict_id"].agg(join_ids)
    return seq.assign(conflict_ids=seq["episode_id"].map(by).fillna(""))


__all__ = ["AGREE_SECONDS", "CONSTRAINT_COLUMNS", "ROLES", "SEQUENCE_COLUMNS", "attach_conflict_ids",
           "constraints", "group_join", "largest_consistent_sets", "roles", "sequence"]
