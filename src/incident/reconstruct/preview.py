"""Before a build: which claims the Ablauf will miss, and which it can only place at day level.

``make validate`` prints this (:func:`report`), per claim table, so that a user sees it before
building rather than in ``unresolved.csv`` afterwards. A claim

* is **missing** when its day and time phrase cannot be read at all (no phrase, an event the phrase
  does not date, a vague phrase, a source dated only to the month …): the Ablauf cannot place it;
* is **at day level** when only its day could be read (its time phrase could not, or it was placed on
  the day its row records): the Ablauf places it on that day, both edges open within it.

Only the claim tables' phrases are read (the same resolution the reconstruction uses); nothing is built.
"""

from __future__ import annotations

import re

import pandas as pd

from incident.evidence.descriptor import Incident
from incident.reconstruct import claims as _claims

#: Tables in the order they are reported.
TABLES = ("timeline", "statements", "counts")
#: How many examples are printed per table and kind.
EXAMPLES = 3
#: Why a phrase was not read, in German, by the parser's reason (first match wins).
REASONS_DE = (
    (re.compile(r"^no day or time phrase"), "keine Tages- oder Zeitangabe"),
    (re.compile(r"reference is only known to the|source dated only to"), "Quelle nur auf Monat oder Jahr datiert"),
    (re.compile(r"refers to an event|occasion"), "Ereignis oder Schultag, den die Angabe nicht datiert"),
    (re.compile(r"vague|relative period"), "vage Angabe ohne vertretbare Zeitspanne"),
    (re.compile(r"duration|frequency|narrative order"), "Dauer, Häufigkeit oder Reihenfolge, kein Zeitpunkt"),
    (re.compile(r"disagree|different days|not consecutive|contradictory|conflict|ends before"), "widersprüchlich"),
    (re.compile(r"unrecognised|not read as|not a date|names no day"), "nicht lesbare Wörter"),
)


def reason_de(reason: str) -> str:
    """The parser's (English) reason as a short German phrase for an editor."""
    for pattern, words in REASONS_DE:
        if pattern.search(reason or ""):
            return words
    return "nicht lesbar"


def placement(evidence, *, incident: Incident) -> pd.DataFrame:
    """Every claim with how the Ablauf can use its time.

    Args:
        evidence: Object with ``sources, timeline, counts, statements`` frames.
        incident: The descriptor (window, anchors, zone).

    Returns:
        Frame with ``table, claim_id, phrase, status`` (``"missing"``, ``"day"`` or ``""``) and
        ``reason`` (German, for missing claims).
    """
    claims = _claims.resolve(_claims.stack_claims(evidence), evidence.sources, incident=incident)
    day_level = claims["day_level"].fillna(False).astype(bool) if "day_level" in claims.columns else False
    status = pd.Series("", index=claims.index, dtype=object)
    status[claims["resolved"] & day_level] = "day"
    status[~claims["resolved"]] = "missing"
    why = []
    for r, s, phrase, ref in zip(claims["reason"], status, claims["phrase"], claims["reference"].astype(str)):
        if s == "missing":
            why.append(reason_de(r))
        elif s == "day":
            why.append(_day_level_de(phrase, ref))
        else:
            why.append("")
    return pd.DataFrame(
        {
            "table": claims["table"],
            "claim_id": claims["claim_id"],
            "phrase": claims["phrase"],
            "status": status,
            "reason": why,
        }
    )


def _day_level_de(phrase: str, reference: str) -> str:
    """Why a claim is placed at day level only, in German."""
    if not phrase:
        return "keine Zeitangabe; Tag laut Tabelle (refers_to_day)"
    if "recorded day" in reference:
        return "Zeitangabe nicht lesbar; Tag laut Tabelle (refers_to_day)"
    return "Uhrzeit nicht lesbar; nur der Tag der Angabe"


def report(evidence, *, incident: Incident, examples: int = EXAMPLES) -> list[str]:
    """German lines for ``make validate``: per table the counts of missing and day-level claims, with
    up to ``examples`` examples of each."""
    p = placement(evidence, incident=incident)
    lines = ["  Zeitangaben vor dem Bau geprüft (Ablauf):"]
    for table in TABLES:
        t = p[p["table"] == table]
        if not len(t):
            continue
        missing, day = t[t["status"] == "missing"], t[t["status"] == "day"]
        where = "ohne Tag (nicht datierbar)" if table == "counts" else "fehlen im Ablauf"
        lines.append(f"    {table}: {len(missing)} von {len(t)} {where}, {len(day)} nur auf Tagesebene platziert")
        if len(missing):
            by = missing["reason"].value_counts()
            lines.append("      Gründe: " + "; ".join(f"{why} {n}" for why, n in by.items()))
        for r in _examples(missing, examples).itertuples(index=False):
            lines.append(f"      fehlt: {r.claim_id} {_quoted(r.phrase)} ({r.reason})")
        for r in _examples(day, examples).itertuples(index=False):
            lines.append(f"      nur Tag: {r.claim_id} {_quoted(r.phrase)} ({r.reason})")
    return lines


def _examples(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """Up to ``n`` examples: one per reason first (those with words before those without), then the rest."""
    ordered = rows.assign(_empty=rows["phrase"] == "").sort_values(["_empty", "claim_id"], kind="stable")
    first = ordered.drop_duplicates("reason")
    return pd.concat([first, ordered.drop(first.index)]).head(n)


def _quoted(phrase: str) -> str:
    return f"„{phrase}“" if phrase else "(ohne Angabe)"
