"""Independent accounts: the claims of one text about one thing, counted once.

Copies of one agency text share a ``syndication_group`` (the ``account_group``); near-identical
wording across groups is flagged by :mod:`incident.reconstruct.independence` for review. An
operator statement and a reporter's observation in one article are two accounts of different
witness kinds.
"""

from __future__ import annotations

import pandas as pd

from incident.ids import group_join
from incident.reconstruct.days import day_of

ACCOUNT_COLUMNS = ["account_id", "claim_ids", "platform", "event", "quantity", "account_group", "witness",
                   "source_ids", "n_claims", "day", "start", "end", "stance", "cause", "value", "phrases", "quotes"]


def accounts(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims grouped per platform × event × quantity × day × source group × witness.

    The account's span is the hull of its claims' spans; ``value`` the median figure.

    Args:
        claims: Resolved claims with ``account_group``, ``witness``, ``quantity`` and
            ``on_timeline``; claims off the timeline are left out.

    Returns:
        Frame with :data:`ACCOUNT_COLUMNS`, sorted by ``account_id``.
    """
    c = claims[claims["on_timeline"]].copy()
    c["day"] = day_of(c["start"], c["end"])
    keys = ["platform", "event", "quantity", "day", "account_group", "witness"]
    g = c.groupby(keys, sort=True, dropna=False)
    codes = g.ngroup().to_numpy()
    acc = g.agg(n_claims=("claim_id", "size"), start=("start", "min"), end=("end", "max"),
                value=("value", "median")).reset_index()
    n = len(acc)
    for col, src, sep in (("claim_ids", "claim_id", "; "), ("source_ids", "source_id", "; "), ("stance", "stance", "; "),
                          ("cause", "cause", "; "), ("phrases", "phrase", "; "), ("quotes", "quote", " / ")):
        acc[col] = group_join(codes, c[src].to_numpy(), n, sep)
    acc["account_id"] = (acc["platform"] + "|" + acc["event"] + "|" + acc["quantity"] + "|" + acc["day"] + "|"
                         + acc["account_group"] + "|" + acc["witness"])
    return acc[ACCOUNT_COLUMNS].sort_values("account_id", ignore_index=True)
