"""The Ablauf: one row per platform × episode with the bounds of its onset and recovery.

Published per edge: ``earliest`` and ``latest``, each the bound of a claim of the consistent
set (its claim ids are listed), or empty when no claim bounds that side ("unbekannt"). The
order onset ≤ recovery is checked, never used to narrow a published edge. Nothing is
spread, averaged or estimated. Episodes whose accounts all agree are bounded at once
(:func:`_agreeing`); the others go through :mod:`incident.reconstruct.consensus`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incident.evidence.descriptor import Incident
from incident.ids import join_ids, join_ids_grouped, sort_order
from incident.reconstruct.conflicts import conflict_row, side
from incident.reconstruct.consensus import BIND_SECONDS, _hull, _ordered_join, _Rows, _search
from incident.reconstruct.episodes import constraints
from incident.reconstruct.roles import _AGREE, _RAW
from incident.reconstruct.rows import distinct

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
    "was",
    "reference",
    "start",
    "end",
    "resolved",
    "on_timeline",
    "bounding",
    "pattern",
    "says",
)


def _empty() -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    return pd.DataFrame(columns=SEQUENCE_COLUMNS), pd.DataFrame(columns=CONSTRAINT_COLUMNS), []


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
