"""Stage 3, reconstruction: what the sources say happened, bounded by what they allow.

From the validated raw tables and the incident descriptor this stage builds:

* **resolved claims** (:mod:`.claims`) — every claim's German day/time phrase resolved
  against its source's publication time; unresolved claims keep the reason;
* **misdating flags** (:mod:`.flags`) — claims that cannot be about the incident or
  contradict their own source's date;
* **independent accounts** (:mod:`.accounts`) — copies of one text count once;
  :mod:`.independence` lists undeclared copies for review;
* **figures and conflicts** (:mod:`.conflicts`) — figures per quantity, and every
  disagreement on figures and causes with both sides named;
* **the Ablauf** (:mod:`.bounds`) — per platform and outage episode the interval of its
  onset and of its recovery that the independent accounts allow, the claims that set each
  bound, and the time conflicts found as contradictions of a Simple Temporal Network
  (:mod:`.stn`); :mod:`.said` then leaves out bounds that say nothing and marks those that
  are only a part of the day.

No step estimates, smooths or spreads a time: what is published is a bound a source gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incident.evidence.descriptor import Incident
from incident.ids import join_ids
from incident.reconstruct import accounts as _accounts
from incident.reconstruct import bounds
from incident.reconstruct import claims as _claims
from incident.reconstruct import conflicts as _conflicts
from incident.reconstruct import flags as _flags
from incident.reconstruct import rows as _rows
from incident.reconstruct import said as _said
from incident.reconstruct.conflicts import CONFLICT_COLUMNS, FIGURE_TOLERANCE

#: The published sequence: the bounds' columns plus what each bound says (:mod:`.said`).
SEQUENCE_COLUMNS = [
    *bounds.SEQUENCE_COLUMNS[: bounds.SEQUENCE_COLUMNS.index("n_independent_sources") + 1],
    "onset_n_sources",
    "recovery_n_sources",
    "coarse",
    *_said.WORDS,
    *bounds.SEQUENCE_COLUMNS[bounds.SEQUENCE_COLUMNS.index("n_independent_sources") + 1 :],
]

UNRESOLVED_COLUMNS = [
    "claim_id",
    "claim_ids",
    "table",
    "source_id",
    "platform",
    "event",
    "phrase",
    "reference",
    "reason",
]


@dataclass
class Reconstruction:
    """Every table of the reconstruction."""

    sources: pd.DataFrame
    claims: pd.DataFrame
    unresolved: pd.DataFrame
    flags: pd.DataFrame
    accounts: pd.DataFrame
    figures: pd.DataFrame
    conflicts: pd.DataFrame
    sequence: pd.DataFrame
    constraints: pd.DataFrame


def _numbered(conflicts: list[dict]) -> pd.DataFrame:
    if not conflicts:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    df = pd.DataFrame(conflicts)
    order = {"time": 0, "statement": 1, "figure": 2, "cause": 3}
    df["_o"] = df["conflict_type"].map(order)
    df = df.sort_values(
        ["_o", "episode_id", "platform", "event", "day", "quantity", "side_a_claim_ids", "side_b_claim_ids"],
        ignore_index=True,
    )
    df["conflict_id"] = [f"C{i + 1:03d}" for i in range(len(df))]
    return df[CONFLICT_COLUMNS]


def reconstruct(
    evidence, *, incident: Incident, resolver: Callable | None = None, tolerance: float = FIGURE_TOLERANCE
) -> Reconstruction:
    """Resolve, flag, group into accounts, bound the Ablauf and find every conflict.

    Args:
        evidence: Object with ``sources, timeline, counts, statements`` frames
            (:class:`incident.evidence.load.Evidence` or a generated corpus).
        incident: The incident descriptor.
        resolver: Phrase resolver ``(day_text, time_text, reference, anchors) -> TimeSpan``
            (default :func:`incident.timeexpr.parse_parts` with the descriptor's anchors).
        tolerance: Relative tolerance of figures.

    Returns:
        :class:`Reconstruction`.

    Raises:
        ReconstructionError: When claims refer to unknown sources or claim ids repeat.
    """
    sources = evidence.sources
    claims = _claims.stack_claims(evidence)
    claims = _claims.resolve(claims, sources, incident=incident, resolver=resolver)
    claims["account_group"] = _claims.account_groups(claims, sources).to_numpy()
    claims["witness"] = _claims.witness_kind(claims, sources, incident=incident).to_numpy()
    claims["quantity"] = _claims.quantity_key(claims)
    claims["bounding"] = _claims.bounding(claims).to_numpy()
    flags = _flags.flag_misdated(claims, sources, window=incident.window, tz=incident.timezone)
    off = set(flags.loc[~flags["on_timeline"].astype(bool), "claim_id"])
    claims["on_timeline"] = ~claims["claim_id"].isin(off)
    per_claim = flags.groupby("claim_id")["flag"].agg(join_ids).to_dict()
    if len(claims) <= _rows.SMALL:
        claims["flag"] = [per_claim.get(c, "") for c in claims["claim_id"]]
    elif per_claim:
        flagged = np.flatnonzero(claims["claim_id"].isin(per_claim.keys()).to_numpy())
        cell = np.full(len(claims), "", dtype=object)
        cell[flagged] = [per_claim[c] for c in claims["claim_id"].to_numpy()[flagged]]
        claims["flag"] = cell
    else:
        claims["flag"] = np.full(len(claims), "", dtype=object)
    claims["claim_ids"] = claims["claim_id"]
    # the Ablauf first: its working frames are gone before the accounts are built (peak memory)
    seq, cons, time_conflicts = bounds.sequence(claims, incident=incident)
    acc = _accounts.accounts(claims)
    # one school's count, a forecast or a denial sides no conflict
    bounding = claims["bounding"].to_numpy(dtype=bool)
    acc_b = acc if bounding.all() else _accounts.accounts(claims[bounding])
    figures, figure_conflicts = _conflicts.figure_table(
        acc_b, conflicts=_conflicts.figure_conflicts(claims[bounding], tolerance=tolerance)
    )
    cause_conflicts = _conflicts.cause_conflicts(claims[bounding], context_ids=incident.context_ids)
    conflicts = _numbered(time_conflicts + figure_conflicts + cause_conflicts)
    seq = bounds.attach_conflict_ids(seq, conflicts)
    seq = _said.said(seq, cons, claims)
    unresolved = claims.loc[~claims["resolved"], UNRESOLVED_COLUMNS].reset_index(drop=True)
    return Reconstruction(
        sources=_claims.source_table(sources, claims),
        claims=claims,
        unresolved=unresolved,
        flags=_flags.flag_table(flags, claims, sources),
        accounts=acc,
        figures=figures,
        conflicts=conflicts,
        sequence=seq[SEQUENCE_COLUMNS],
        constraints=cons,
    )
