"""Independent accounts: the claims of one text about one thing, counted once.

Copies of one agency text share a ``syndication_group`` (the ``account_group``); near-identical
wording across groups is flagged by :mod:`incident.reconstruct.independence` for review. An
operator statement and a reporter's observation in one article are two accounts of different
witness kinds.
"""

from __future__ import annotations

import pandas as pd

from incident.ids import group_join, sort_order
from incident.reconstruct.days import day_of

ACCOUNT_COLUMNS = [
    "account_id",
    "claim_ids",
    "platform",
    "event",
    "quantity",
    "account_group",
    "witness",
    "source_ids",
    "n_claims",
    "day",
    "start",
    "end",
    "stance",
    "cause",
    "value",
    "phrases",
    "quotes",
]


def accounts(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims grouped per platform × event × quantity × day × source group × witness.

    The account's span is the hull of its claims' spans; ``value`` the median figure.

    Args:
        claims: Resolved claims with ``account_group``, ``witness``, ``quantity`` and
            ``on_timeline``; claims off the timeline are left out.

    Returns:
        Frame with :data:`ACCOUNT_COLUMNS`, sorted by ``account_id``.
    """
    keys = ["platform", "event", "quantity", "day", "account_group", "witness"]
    used = [
        *keys[:3],
        *keys[4:],
        "claim_id",
        "start",
        "end",
        "value",
        "source_id",
        "stance",
        "cause",
        "phrase",
        "quote",
    ]
    on = claims["on_timeline"].to_numpy(dtype=bool)
    c = claims[used] if on.all() else claims.loc[on, used]  # (all on the timeline: no copy)
    c["day"] = day_of(c["start"], c["end"])
    g = c.groupby(keys, sort=True, dropna=False)
    codes = g.ngroup().to_numpy()
    acc = g.agg(
        n_claims=("claim_id", "size"), start=("start", "min"), end=("end", "max"), value=("value", "median")
    ).reset_index()
    del g  # (its group bookkeeping is as large as the claims' columns)
    n = len(acc)
    for col, src, sep in (
        ("claim_ids", "claim_id", "; "),
        ("source_ids", "source_id", "; "),
        ("stance", "stance", "; "),
        ("cause", "cause", "; "),
        ("phrases", "phrase", "; "),
        ("quotes", "quote", " / "),
    ):
        acc[col] = group_join(codes, c[src].to_numpy(), n, sep)
    parts = [acc[k].to_numpy(dtype=object) for k in keys]
    if len(acc) and all(
        pd.api.types.infer_dtype(part, skipna=False) == "string" for part in parts
    ):  # text everywhere: joined without pandas' overhead
        joined = parts[0]
        for part in parts[1:]:
            joined = joined + "|" + part
        acc["account_id"] = joined
    else:
        acc["account_id"] = (
            acc["platform"]
            + "|"
            + acc["event"]
            + "|"
            + acc["quantity"]
            + "|"
            + acc["day"]
            + "|"
            + acc["account_group"]
            + "|"
            + acc["witness"]
        )
    acc = acc[ACCOUNT_COLUMNS]
    ids = acc["account_id"].to_numpy(dtype=object)
    order = sort_order(ids) if pd.api.types.infer_dtype(ids, skipna=False) == "string" else None
    if order is None or (len(ids) > 1 and not bool((ids[order][1:] > ids[order][:-1]).all())):
        return acc.sort_values("account_id", ignore_index=True)  # repeated ids: pandas' own order of ties
    return acc.take(order).reset_index(drop=True)
