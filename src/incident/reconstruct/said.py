"""What each published bound says: bounds that say nothing are left out, coarse bounds are marked.

The bounds of :mod:`incident.reconstruct.bounds` are logically true, but two kinds tell a reader
nothing and would be taken for findings:

* a recovery whose earliest moment lies before the onset's latest ("Beginn spätestens 10 Uhr",
  "Ende frühestens 6 Uhr" – both edges of "am Montagmorgen gestört"): the order onset ≤ recovery
  says as much. Such an earliest recovery is left empty, with its claims;
* a bound set only by the edge of a part of the day ("am Morgen" = 6–10 Uhr): the clock time is the
  parser's convention, not the source's word. Such a side is listed in ``coarse`` and is written
  with the source's phrase, never as a clock time.

Claims set a side when their own bound on that side equals it (within a second). ``{edge}_claim_ids``,
``{edge}_phrases`` and ``{edge}_n_sources`` are rebuilt from the sides that remain, so every count
of sources that bound an edge counts only sources that bound it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from incident.ids import join_ids, split_ids

#: A claim's own bound equals a published bound within this many seconds.
BIND = pd.Timedelta(seconds=1)
#: A phrase spanning at least this long without a clock time is a part of the day, not a time.
COARSE_SPAN = pd.Timedelta(hours=1)
_CLOCK = re.compile(r"\d")

#: The words that set each side (``' | '``-joined): what a page writes for a coarse side.
WORDS = tuple(f"{e}_{side}_words" for e in ("onset", "recovery") for side in ("earliest", "latest"))

SIDES = {
    ("onset", "earliest"): "onset_lo",
    ("onset", "latest"): "onset_hi",
    ("recovery", "earliest"): "recovery_lo",
    ("recovery", "latest"): "recovery_hi",
}


def coarse_claims(claims: pd.DataFrame) -> pd.Series:
    """Whether each claim's phrase is a part of the day rather than a time: no clock time in its words
    and a span of an hour or more ("am Montagmorgen", "am Mittag", "im Laufe des Tages")."""
    phrase = claims["phrase"].fillna("").astype(str)
    span = claims["end"] - claims["start"]
    return (~phrase.str.contains(_CLOCK)) & (span >= COARSE_SPAN).fillna(False)


def _phrases(phrase_of: dict[str, str], ids: list[str]) -> str:
    """The distinct non-empty phrases of ``ids``, in order, ``' | '``-joined."""
    return " | ".join(dict.fromkeys(p for p in (phrase_of.get(s, "") for s in ids) if p))


def said(seq: pd.DataFrame, constraints: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The sequence with bounds that say nothing removed and coarse sides marked.

    Args:
        seq: The sequence (:data:`incident.reconstruct.bounds.SEQUENCE_COLUMNS`).
        constraints: The constraints table (each claim's own bounds per episode).
        claims: Resolved claims (``claim_id, phrase, day_text, time_text, start, end, account_group``).

    Returns:
        ``seq`` with ``coarse`` (``'; '``-joined sides such as ``onset_latest``), the words that set
        each side (:data:`WORDS`) and rebuilt
        ``{edge}_claim_ids``, ``{edge}_phrases``, ``{edge}_n_sources``.
    """
    seq = seq.copy()
    for edge in ("onset", "recovery"):
        seq[f"{edge}_n_sources"] = 0
    if len(seq) == 0:
        for col in ("coarse", *WORDS):
            seq[col] = pd.Series(dtype=object)
        return seq
    c = claims.drop_duplicates("claim_id").set_index("claim_id")
    coarse = coarse_claims(c)
    # the words that carry the time: the time phrase where there is one ("gegen 14 Uhr"), else the day's
    # ("am Montagmorgen"); the row's day is shown beside them anyway
    time_text = c["time_text"].fillna("").astype(str) if "time_text" in c.columns else c["phrase"].fillna("")
    day_text = c["day_text"].fillna("").astype(str) if "day_text" in c.columns else c["phrase"].fillna("")
    # plain dicts: a Series lookup per edge re-hashed the whole claim index (33 ms a call at 1M claims)
    claim_ids = c.index.tolist()
    phrase_of = dict(zip(claim_ids, time_text.where(time_text != "", day_text).tolist(), strict=True))
    group_of = dict(zip(claim_ids, c["account_group"].tolist(), strict=True))
    coarse_of = dict(zip(claim_ids, coarse.fillna(False).astype(bool).tolist(), strict=True))
    by_episode = {e: g for e, g in constraints.groupby("episode_id", sort=False)}
    out_coarse = []
    words = {f"{e}_{side}_words": [""] * len(seq) for e in ("onset", "recovery") for side in ("earliest", "latest")}
    for i, row in enumerate(seq.itertuples(index=False)):
        mine = by_episode.get(row.episode_id, constraints.iloc[0:0])
        marks: list[str] = []
        # the order onset <= recovery already says that the recovery came after the onset's latest moment
        if pd.notna(row.onset_latest) and pd.notna(row.recovery_earliest) and row.recovery_earliest < row.onset_latest:
            seq.iat[i, seq.columns.get_loc("recovery_earliest")] = pd.NaT
        for edge in ("onset", "recovery"):
            listed = set(split_ids(getattr(row, f"{edge}_claim_ids")))
            ids: list[str] = []
            for side in ("earliest", "latest"):
                value = seq.iat[i, seq.columns.get_loc(f"{edge}_{side}")]
                if pd.isna(value):
                    continue
                col = SIDES[(edge, side)]
                hit = mine[mine["claim_id"].isin(listed) & ((mine[col] - value).abs() <= BIND)]
                setters = list(dict.fromkeys(hit["claim_id"]))
                if setters and all(coarse_of.get(s, False) for s in setters):
                    marks.append(f"{edge}_{side}")
                words[f"{edge}_{side}_words"][i] = _phrases(phrase_of, setters)
                ids.extend(setters)
            ids = list(dict.fromkeys(ids))  # each claim once, in order of first mention
            seq.iat[i, seq.columns.get_loc(f"{edge}_claim_ids")] = join_ids(ids)
            seq.iat[i, seq.columns.get_loc(f"{edge}_phrases")] = _phrases(phrase_of, ids)
            seq.iat[i, seq.columns.get_loc(f"{edge}_n_sources")] = len({group_of.get(s) for s in ids} - {None})
        out_coarse.append("; ".join(marks))
    seq["coarse"] = np.array(out_coarse, dtype=object)
    for col, values in words.items():
        seq[col] = np.array(values, dtype=object)
    return seq
