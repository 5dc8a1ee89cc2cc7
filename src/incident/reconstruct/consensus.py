"""The largest consistent set of independent accounts of one episode, and its time conflicts.

The claims of one independent account (one text: copies of an agency story share an
``account_group``) form a box of allowed ``(s, r)`` (:mod:`incident.reconstruct.roles`); the
accounts of an episode are a Simple Temporal Network (:mod:`incident.reconstruct.stn`). An
account whose own claims contradict each other keeps its largest consistent subset of claims
(a ``within_source`` conflict). When accounts contradict each other, the largest set of
independent accounts that can all be true is found (the point of greatest depth among the
boxes); its bounds are published and every other account is a ``time`` conflict naming both
sides. When two or more sets of equal size disagree, no side wins: the published bounds are the
hull of the sets, marked as disputed.

Each search has a fast path (distinct boxes, vectorised) and a plain one (:func:`_deepest_few`,
:func:`_own_claims_in_full`); tests/test_properties.py checks that they agree.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incident.ids import _join_sorted, _plain, _ranks, _text, join_ids, join_ids_grouped, sort_order
from incident.reconstruct.conflicts import conflict_row
from incident.reconstruct.roles import _RAW
from incident.reconstruct.rows import distinct
from incident.reconstruct.stn import STN

#: A published bound equals a claim's bound within this many seconds.
BIND_SECONDS = 1.0


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
        self.report = k["role"].isin(["O", "D", "P", "A"]).to_numpy()
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
