"""Count each text once: find sources in different syndication groups that share wording.

Copies of one agency story are declared by a shared ``syndication_group``; a copy that was
not declared would count twice. :func:`near_copies` compares the quotes and the ``what``
texts of every two claims from different groups by word shingles (Jaccard similarity of
the sets of three-word sequences, after Unicode NFC normalisation and case folding) and
lists the source pairs that share several near-identical claims, for review. The loader
refuses such a pair unless the data say it was reviewed (see :func:`undeclared`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from itertools import combinations

import pandas as pd

#: Words per shingle.
SHINGLE = 3
#: Texts shorter than this (words) are not compared (too little to tell a copy).
MIN_WORDS = 6
#: Jaccard similarity from which two texts count as near-identical.
THRESHOLD = 0.6
#: Near-identical claims two sources must share to be flagged (one shared quote is normal
#: when two reporters quote the same press statement).
MIN_SHARED = 2
#: A shingle shared by more texts than this is common phrasing, not evidence of copying.
MAX_POSTINGS = 40

COPY_COLUMNS = ["source_a", "source_b", "group_a", "group_b", "n_shared", "max_similarity", "claim_ids", "example"]
_WORD = re.compile(r"[^\W_]+")


def _shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    if len(words) < MIN_WORDS:
        return frozenset()
    return frozenset(hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def near_copies(claims: pd.DataFrame, groups: dict[str, str]) -> pd.DataFrame:
    """Source pairs in different syndication groups that share near-identical claims.

    Args:
        claims: Raw claims with ``claim_id``, ``source_id``, ``quote`` and ``what``.
        groups: ``{source_id: syndication_group}``.

    Returns:
        Frame with :data:`COPY_COLUMNS`, one row per flagged source pair, sorted.
    """
    texts: list[tuple[str, str, str, frozenset[int]]] = []  # claim, source, text, shingles
    for field in ("quote", "what"):
        if field not in claims:
            continue
        for cid, sid, value in zip(claims["claim_id"], claims["source_id"], claims[field]):
            if isinstance(value, str) and value:
                sh = _shingles(value)
                if sh:
                    texts.append((cid, sid, value, sh))
    postings: dict[int, list[int]] = defaultdict(list)
    for i, (_, _, _, sh) in enumerate(texts):
        for s in sh:
            postings[s].append(i)
    candidates: set[tuple[int, int]] = set()
    for ids in postings.values():
        if 1 < len(ids) <= MAX_POSTINGS:
            candidates.update(combinations(ids, 2))
    pairs: dict[tuple[str, str], list[tuple[float, str, str, str]]] = defaultdict(list)
    for i, j in candidates:
        ci, si, ti, hi = texts[i]
        cj, sj, tj, hj = texts[j]
        if si == sj or groups.get(si, si) == groups.get(sj, sj):
            continue
        sim = len(hi & hj) / len(hi | hj)
        if sim >= THRESHOLD:
            key = (si, sj) if si < sj else (sj, si)
            pairs[key].append((sim, ci, cj, ti))
    rows = []
    for (a, b), hits in sorted(pairs.items()):
        shared = {frozenset((ci, cj)) for _, ci, cj, _ in hits}
        if len(shared) < MIN_SHARED:
            continue
        best = max(hits)
        rows.append(
            {
                "source_a": a,
                "source_b": b,
                "group_a": groups.get(a, a),
                "group_b": groups.get(b, b),
                "n_shared": len(shared),
                "max_similarity": round(best[0], 3),
                "claim_ids": "; ".join(sorted({c for s in shared for c in s})),
                "example": best[3][:160],
            }
        )
    return pd.DataFrame(rows, columns=COPY_COLUMNS)


def undeclared(claims: pd.DataFrame) -> pd.DataFrame:
    """Source pairs that share near-identical claims although the claims count with different groups.

    Like :func:`near_copies`, but with the group of each *claim* (``account_group``): a claim
    marked ``AGENCY COPY of <claim_id>`` counts with the agency text's group, so a declared
    copy inside otherwise own reporting is not flagged again.

    Args:
        claims: ``claim_id, source_id, account_group, quote, what``.

    Returns:
        Frame with :data:`COPY_COLUMNS`, one row per real source pair.
    """
    sep = "\x1f"
    pseudo = claims.assign(source_id=claims["source_id"] + sep + claims["account_group"])
    groups = {k: k.split(sep, 1)[1] for k in pseudo["source_id"]}
    found = near_copies(pseudo, groups)
    merged: dict[tuple[str, str], dict] = {}
    for row in found.itertuples(index=False):
        a, ga = row.source_a.split(sep, 1)
        b, gb = row.source_b.split(sep, 1)
        if a == b:
            continue
        if a > b:
            a, b, ga, gb = b, a, gb, ga
        m = merged.setdefault(
            (a, b),
            {
                "source_a": a,
                "source_b": b,
                "group_a": ga,
                "group_b": gb,
                "n_shared": 0,
                "max_similarity": 0.0,
                "claim_ids": set(),
                "example": "",
            },
        )
        m["n_shared"] += int(row.n_shared)
        m["claim_ids"].update(row.claim_ids.split("; "))
        if row.max_similarity > m["max_similarity"]:
            m["max_similarity"], m["example"] = row.max_similarity, row.example
    rows = [{**m, "claim_ids": "; ".join(sorted(m["claim_ids"]))} for _, m in sorted(merged.items())]
    return pd.DataFrame(rows, columns=COPY_COLUMNS)
