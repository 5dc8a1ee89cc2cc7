"""Conflicts between accounts: figures and causes here; times come from :mod:`incident.reconstruct.bounds`.

Every conflict names both sides with their claim ids, source ids, witnesses, phrases and
quotes; nothing is resolved silently. :func:`figure_table` also gives, per quantity, the
figures the sources report and whether they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incident.ids import join_ids
from incident.reconstruct.days import day_of

#: Figures within this relative distance agree (about 4,500 vs 4,502).
FIGURE_TOLERANCE = 0.05
#: Cause labels that name no cause (never in a cause conflict).
NO_CAUSE = frozenset({"", "unclear", "unknown"})
#: Operator texts that name nobody (the platform is used to group causes instead).
_NO_OPERATOR = r"(?i)^(unknown|various|not stated|not named|provider not named|unbekannt)\b"

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


def figure_table(acc: pd.DataFrame, *, tolerance: float = FIGURE_TOLERANCE) -> tuple[pd.DataFrame, list[dict]]:
    """Figures per quantity key and the figure conflicts between them.

    Figures are sorted and grouped: a figure more than ``tolerance`` (relative) above the
    smallest of the current group opens a new group; consecutive groups are a ``figure``
    conflict. Accounts without a figure are listed but never conflict.

    Args:
        acc: Accounts with ``event == "figure"``.
        tolerance: Relative tolerance.

    Returns:
        ``(figure rows with FIGURE_COLUMNS, conflict rows)``.
    """
    rows, conflicts = [], []
    a = acc[(acc["event"] == "figure") & (acc["quantity"] != "")]
    for q, g in a.groupby("quantity", sort=True):
        platform = join_ids(g["platform"])
        v = g[g["value"].notna()].sort_values(["value", "account_id"])
        base = {
            "quantity": q,
            "platform": platform,
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
            rows.append({**base, "status": "no_figure"})
            continue
        vals = v["value"].to_numpy()
        grp = np.zeros(len(vals), dtype=int)
        anchor = vals[0]
        for i in range(1, len(vals)):
            if vals[i] > anchor * (1 + tolerance) + 1e-12:
                grp[i] = grp[i - 1] + 1
                anchor = vals[i]
            else:
                grp[i] = grp[i - 1]
        if grp.max() == 0:
            rows.append({**base, "status": "single" if v["account_group"].nunique() == 1 else "agree"})
            continue
        rows.append({**base, "status": "conflict"})
        sides = [v[grp == k] for k in range(grp.max() + 1)]
        for x, y in zip(sides, sides[1:]):
            mx, my = float(x["value"].median()), float(y["value"].median())
            conflicts.append(
                conflict_row(
                    "figure",
                    platform=platform,
                    event="figure",
                    day=join_ids(g["day"]),
                    quantity=q,
                    a=side(x, _figures(x), mx),
                    b=side(y, _figures(y), my),
                    ratio=my / mx if mx else np.nan,
                    note=f"figures differ by more than {tolerance:.0%} for one quantity",
                )
            )
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS), conflicts


def _figures(acc: pd.DataFrame) -> str:
    return "; ".join(f"{v:.10g}" for v in sorted(set(acc["value"])))


def cause_conflicts(claims: pd.DataFrame, *, context_ids: frozenset[str]) -> list[dict]:
    """Cause conflicts: different cause labels given for one operator's failures.

    Claims with event ``cause_stated`` on the timeline (dated or not) are grouped by
    operator (its name before any parenthesis; the platform when the operator is not named
    or only "unknown"/"various"; context ids are skipped). When more than one cause label
    is given (``unclear`` is no cause), the most cited label (most independent sources;
    ties alphabetical) is side A and every other label is side B of one ``cause`` conflict
    each. Whether two causes exclude each other or both happened (on different days) is for
    the reader; the record gives each side's days.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.
        context_ids: Platform ids that name no platform.

    Returns:
        Conflict rows.
    """
    c = claims[(claims["event"] == "cause_stated") & claims["on_timeline"] & ~claims["cause"].isin(NO_CAUSE)].copy()
    if len(c) == 0:
        return []
    op = c["operator"].str.replace(r"\s*\(.*$", "", regex=True).str.strip()
    vague = op.str.match(_NO_OPERATOR) | (op == "")
    c["_who"] = op.where(~vague, c["platform"])
    c = c[~c["_who"].isin(context_ids)]
    out = []
    for who, g in c.groupby("_who", sort=True):
        support = g.groupby("cause")["account_group"].nunique()
        labels = sorted(support.index, key=lambda lab: (-support[lab], lab))
        lead = labels[0]
        x = g[g["cause"] == lead]
        for lb in labels[1:]:
            y = g[g["cause"] == lb]
            out.append(
                conflict_row(
                    "cause",
                    platform=join_ids(g["platform"]),
                    event="cause_stated",
                    day=join_ids(day_of(g["start"], g["end"])),
                    a=side(x, lead),
                    b=side(y, lb),
                    note=f"{who}: {lead} ({support[lead]} independent source(s), most cited) vs {lb} ({support[lb]})",
                )
            )
    return out
