"""Conflicts between accounts: figures and causes here; times come from :mod:`incident.reconstruct.bounds`.

Every conflict names both sides with their claim ids, source ids, witnesses, phrases and
quotes; nothing is resolved silently. :func:`figure_table` also gives, per quantity, the
figures the sources report and whether they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incident.ids import join_ids
from incident.labels import CAUSE_FAMILIES, UNSPECIFIC_CAUSES
from incident.reconstruct.days import day_of

#: Figures within this relative distance agree (about 4,500 vs 4,502).
FIGURE_TOLERANCE = 0.05
#: Cause labels that name no cause or only place it ("beim Anbieter"): never in a cause conflict.
NO_CAUSE = frozenset({""}) | UNSPECIFIC_CAUSES

SIDE_FIELDS = ("claim_ids", "source_ids", "n_sources", "witness", "start", "end", "value", "label", "phrases", "quotes")
CONFLICT_COLUMNS = [
    "conflict_id",
    "claim_ids",
    "platform",
    "event",
    "day",
    "conflict_type",
    "quantity",
    "episode_id",
    *[f"side_{s}_{k}" for s in "ab" for k in SIDE_FIELDS],
    "gap_minutes",
    "ratio",
    "note",
]
FIGURE_COLUMNS = [
    "quantity",
    "platform",
    "status",
    "n_accounts",
    "n_sources",
    "value_min",
    "value_max",
    "values",
    "claim_ids",
    "source_ids",
    "account_ids",
]


def side(claims: pd.DataFrame, label: str = "", value: float = np.nan) -> dict:
    """One side of a conflict from the claims (or accounts) on it."""
    groups = claims["account_group"] if "account_group" in claims else claims["source_ids"]
    phrases = claims["phrases"] if "phrases" in claims else claims["phrase"]
    quotes = claims["quotes"] if "quotes" in claims else claims["quote"]
    ids = claims["claim_ids"] if "claim_ids" in claims else claims["claim_id"]
    sources = claims["source_ids"] if "source_ids" in claims else claims["source_id"]
    return {
        "claim_ids": join_ids(ids),
        "source_ids": join_ids(sources),
        "n_sources": int(pd.Series(groups).nunique()),
        "witness": join_ids(claims["witness"]),
        "start": claims["start"].min(),
        "end": claims["end"].max(),
        "value": value,
        "label": label,
        "phrases": " | ".join(dict.fromkeys(p for p in phrases if p)),
        "quotes": " / ".join(sorted({q for q in quotes if q})),
    }


def conflict_row(
    kind: str,
    *,
    platform: str,
    event: str,
    day: str,
    a: dict,
    b: dict,
    quantity: str = "",
    episode_id: str = "",
    gap: float = np.nan,
    ratio: float = np.nan,
    note: str = "",
    claim_ids: str | None = None,
) -> dict:
    """A conflict record with both sides (``side_a_*``, ``side_b_*``).

    ``claim_ids``: the joined ids of both sides when the caller has them already.
    """
    row = {
        "platform": platform,
        "event": event,
        "day": day,
        "conflict_type": kind,
        "quantity": quantity,
        "episode_id": episode_id,
        "gap_minutes": gap,
        "ratio": ratio,
        "note": note,
    }
    for name, d in (("a", a), ("b", b)):
        for k in SIDE_FIELDS:
            row[f"side_{name}_{k}"] = d.get(k, "")
    row["claim_ids"] = join_ids([a["claim_ids"], b["claim_ids"]]) if claim_ids is None else claim_ids
    return row


#: A qualifier → the factors that bound the true figure around the printed one ("rund" is handled by
#: its rounding, :func:`value_interval`).
QUALIFIERS: dict[str, tuple[float, float]] = {
    "über": (1.0, np.inf),
    "bis zu": (0.0, 1.0),
    "unter": (0.0, 1.0),
}
#: A rounded figure ("rund 4.100") allows at least this relative distance either way.
ROUNDED = 0.025


def _rounding_unit(value: float) -> float:
    """The place a printed figure is rounded to: 4100 → 100, 2000 → 1000, 2.3 million → 100,000."""
    v = abs(round(value))
    if v == 0 or v != abs(value):
        return 0.0
    unit = 1
    while v % (unit * 10) == 0:
        unit *= 10
    return float(unit)


def value_interval(value: float, qualifier: str, *, tolerance: float = FIGURE_TOLERANCE) -> tuple[float, float]:
    """The figures a printed ``value`` with its ``qualifier`` allows.

    "über 4.500" → 4.500..∞, "bis zu 100" → 0..100; "rund 4.100" → ±half its rounding unit or
    ±2.5 %, whichever is wider (3.997,5..4.202,5; "etwa 2.000" → 1.500..2.500); an exact figure → within
    half the tolerance each way, so two exact figures agree within it (4.500 and 4.502).
    """
    if qualifier == "rund":
        half = max(_rounding_unit(value) / 2, ROUNDED * abs(value))
        return value - half, value + half
    if qualifier in QUALIFIERS:
        lo_f, hi_f = QUALIFIERS[qualifier]
        return value * lo_f, value * hi_f
    return value / (1 + tolerance / 2), value * (1 + tolerance / 2)


def window_key(window_text: str) -> str:
    """The counted window as a key: two figures over differently worded windows are not compared."""
    return " ".join(str(window_text or "").casefold().split())


def _components(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Connected components of overlapping intervals (sorted by ``lo``): a sweep, since intervals that
    overlap form runs in that order."""
    comp = np.zeros(len(lo), dtype=int)
    reach = hi[0] if len(hi) else 0.0
    for i in range(1, len(lo)):
        if lo[i] > reach:
            comp[i] = comp[i - 1] + 1
            reach = hi[i]
        else:
            comp[i] = comp[i - 1]
            reach = max(reach, hi[i])
    return comp


def figure_conflicts(claims: pd.DataFrame, *, tolerance: float = FIGURE_TOLERANCE) -> list[dict]:
    """Figure conflicts: figures of one quantity over one counted window whose allowed values exclude
    each other (qualifiers read into intervals, :func:`value_interval`).

    Figures over different windows ("zwischen 8 und 10 Uhr" and "zwischen 9 und 11 Uhr") or with
    compatible qualifiers ("rund 2.000" and "2.050") never conflict. Groups of overlapping intervals are
    formed; each group against the next is one conflict.

    Args:
        claims: Resolved claims (``table, quantity, value, qualifier, window_text``, …) that may side a conflict.
        tolerance: Relative tolerance of an exact figure.

    Returns:
        Conflict rows.
    """
    c = claims[(claims["table"] == "counts") & claims["value"].notna() & (claims["quantity"] != "")]
    if "on_timeline" in c.columns:
        c = c[c["on_timeline"].astype(bool)]
    if len(c) == 0:
        return []
    qual = c["qualifier"] if "qualifier" in c.columns else pd.Series("", index=c.index)
    win = c["window_text"] if "window_text" in c.columns else pd.Series("", index=c.index)
    iv = [value_interval(float(v), str(q or ""), tolerance=tolerance) for v, q in zip(c["value"], qual)]
    c = c.assign(
        _lo=[x[0] for x in iv], _hi=[x[1] for x in iv], _win=[window_key(w) for w in win], _qual=qual.fillna("")
    )
    out = []
    for (q, _), g in c.groupby(["quantity", "_win"], sort=True):
        g = g.sort_values(["_lo", "_hi", "claim_id"])
        comp = _components(g["_lo"].to_numpy(float), g["_hi"].to_numpy(float))
        if comp.max() == 0:
            continue
        sides = [g[comp == k] for k in range(comp.max() + 1)]
        for x, y in zip(sides, sides[1:]):
            mx, my = float(x["value"].median()), float(y["value"].median())
            window = str(g["window_text"].iloc[0]) if "window_text" in g.columns else ""
            out.append(
                conflict_row(
                    "figure",
                    platform=join_ids(g["platform"]),
                    event="figure",
                    day=join_ids(day_of(g["start"], g["end"])),
                    quantity=q,
                    a=side(x, _figures(x), mx),
                    b=side(y, _figures(y), my),
                    ratio=my / mx if mx else np.nan,
                    note=(
                        "figures of one quantity"
                        + (f" over one window ({window})" if window else "")
                        + " whose allowed values exclude each other"
                    ),
                )
            )
    return out


def figure_table(
    acc: pd.DataFrame, *, conflicts: list[dict] | None = None, tolerance: float = FIGURE_TOLERANCE
) -> tuple[pd.DataFrame, list[dict]]:
    """Figures per quantity key and whether the sources agree.

    Args:
        acc: Accounts with ``event == "figure"``.
        conflicts: The figure conflicts (:func:`figure_conflicts`); a quantity with one is ``conflict``.
        tolerance: Relative tolerance (only to tell ``agree`` when no conflicts are given).

    Returns:
        ``(figure rows with FIGURE_COLUMNS, the conflict rows)``.
    """
    conflicts = list(conflicts or [])
    disputed = {c["quantity"] for c in conflicts}
    rows = []
    a = acc[(acc["event"] == "figure") & (acc["quantity"] != "")]
    for q, g in a.groupby("quantity", sort=True):
        v = g[g["value"].notna()].sort_values(["value", "account_id"])
        base = {
            "quantity": q,
            "platform": join_ids(g["platform"]),
            "n_accounts": len(g),
            "n_sources": int(g["account_group"].nunique()),
            "claim_ids": join_ids(g["claim_ids"]),
            "source_ids": join_ids(g["source_ids"]),
            "account_ids": join_ids(g["account_id"]),
            "value_min": v["value"].min() if len(v) else np.nan,
            "value_max": v["value"].max() if len(v) else np.nan,
            "values": "; ".join(f"{x:.10g}" for x in sorted(set(v["value"]))),
        }
        if len(v) == 0:
            status = "no_figure"
        elif q in disputed:
            status = "conflict"
        else:
            status = "single" if v["account_group"].nunique() == 1 else "agree"
        rows.append({**base, "status": status})
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS), conflicts


def _figures(acc: pd.DataFrame) -> str:
    return "; ".join(f"{v:.10g}" for v in sorted(set(acc["value"])))


#: Separators in a cause cell: ``'; '`` between causes given side by side, ``' > '`` for a chain the
#: source states (the load made the video mediation fail: ``overload > mediation_error``).
CHAIN = ">"


def cause_links(cell: str) -> list[list[str]]:
    """``'overload > mediation_error; code_error'`` → ``[['overload', 'mediation_error'], ['code_error']]``."""
    out = []
    for part in str(cell or "").split(";"):
        chain = [x.strip() for x in part.split(CHAIN) if x.strip() and x.strip() not in NO_CAUSE]
        if chain:
            out.append(chain)
    return out


def _explanations(cells: list[str]) -> dict[str, str]:
    """Each cause label → its explanation (a union-find): labels of one family
    (:data:`incident.labels.CAUSE_FAMILIES`), labels a source links into a chain, and labels a source
    gives side by side in one claim ("Überlastung sowie ein technischer Fehler") are one explanation."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for cell in cells:
        given = [x for chain in cause_links(cell) for x in chain]
        for a, b in zip(given, given[1:]):
            union(a, b)
        for x in given:
            find(x)
            if x in CAUSE_FAMILIES:
                union(x, "family:" + CAUSE_FAMILIES[x])
    return {x: find(x) for x in parent if not x.startswith("family:")}


def _cause_label(cells: pd.Series) -> str:
    """The distinct causes (chains kept) of a side's claims, ``'; '``-joined."""
    items = [" > ".join(chain) for cell in cells for chain in cause_links(cell)]
    return "; ".join(sorted(dict.fromkeys(items)))


def cause_conflicts(claims: pd.DataFrame, *, context_ids: frozenset[str]) -> list[dict]:
    """Cause conflicts: incompatible causes given for one failure (one platform part on one day).

    Claims with event ``cause_stated`` on the timeline are grouped by platform part and the day their
    phrase (or the day recorded for the row) resolves to; a cause with no day explains no particular
    failure and sides no conflict. Cause labels that a source links into a chain (``overload >
    mediation_error``: the load made the mediation fail) or gives side by side, and labels of one
    family (:data:`incident.labels.CAUSE_FAMILIES`), are one explanation, so a chain never conflicts
    with its own links. Causes given on different days (load on Monday, an attack on Tuesday)
    are a sequence, not a dispute. Per failure, the explanation most independent sources give is side
    A and every other explanation side B of one conflict each.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        context_ids: Platform ids that name no platform.

    Returns:
        Conflict rows.
    """
    c = claims[(claims["event"] == "cause_stated") & claims["on_timeline"] & ~claims["cause"].isin(NO_CAUSE)].copy()
    if len(c) == 0:
        return []
    c["_day"] = day_of(c["start"], c["end"]).to_numpy()
    c = c[c["_day"] != ""]
    c = c.assign(_part=c["platform"].str.split(r"\s*;\s*")).explode("_part")
    c = c[(c["_part"] != "") & ~c["_part"].isin(context_ids)]
    out = []
    for (part, day), g in c.groupby(["_part", "_day"], sort=True):
        expl = _explanations(list(g["cause"]))
        g = g.assign(
            _expl=["; ".join(sorted({expl[x] for chain in cause_links(cell) for x in chain})) for cell in g["cause"]]
        )
        g = g[g["_expl"] != ""]
        # a claim naming causes of two explanations stands on both sides: compare single explanations
        single = g[~g["_expl"].str.contains(";")]
        support = single.groupby("_expl")["account_group"].nunique()
        if len(support) < 2:
            continue
        ranked = sorted(support.index, key=lambda e: (-support[e], e))
        lead = ranked[0]
        x = single[single["_expl"] == lead]
        lead_label = _cause_label(x["cause"])
        for other in ranked[1:]:
            y = single[single["_expl"] == other]
            label = _cause_label(y["cause"])
            out.append(
                conflict_row(
                    "cause",
                    platform=part,
                    event="cause_stated",
                    day=day,
                    a=side(x, lead_label),
                    b=side(y, label),
                    note=(
                        f"{part} on {day}: {lead_label} ({support[lead]} independent source(s), most cited) vs "
                        f"{label} ({support[other]}); no source links them into one chain"
                    ),
                )
            )
    return out
