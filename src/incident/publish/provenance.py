"""Provenance gate: every published number or time must trace back to a dated source with a URL.

The gate looks at the fact box and at the data behind every chart. A row that shows a
number or a time must carry ``claim_ids`` (``'; '``-separated); every id must name a
claim, the claim must name a source, and the source must have a safe http(s) URL
(:func:`incident.urls.check`) and a publication date. :func:`check` lists every violation at once in a
:class:`~incident.errors.ProvenanceError`; the site build calls it and stops.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from incident import urls
from incident.errors import ProvenanceError

#: Columns of the fact box table (written by :func:`incident.publish.facts.save_fact_box`).
FACT_COLUMNS: tuple[str, ...] = ("fact_id", "kind", "label", "value_text", "value", "phrases", "claim_ids", "note")

#: Columns that hold text or evidence, never a published number or time.
TEXT_COLUMNS: frozenset[str] = frozenset(
    {"claim_ids", "sources", "phrase", "phrases", "quote", "label", "note", "fact_id", "kind", "generated"}
)

_TIME = re.compile(r"^\d{4}-\d{2}(-\d{2})?([T ]\d{2}:\d{2}(:\d{2})?)?")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


@dataclass(frozen=True)
class Violation:
    """One published row that lacks provenance.

    Attributes:
        table: ``'facts'`` or ``'chart <name>'``.
        row: 0-based row position in that table.
        key: A readable key of the row (fact id or first text cell).
        reason: What is missing.
    """

    table: str
    row: int
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.table}, row {self.row} ({self.key}): {self.reason}"


def split_ids(cell: object) -> list[str]:
    """Split a ``claim_ids`` cell (``'a#1; b#2'``) into ids; empty/NaN gives ``[]``."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _is_quantity(value: object) -> bool:
    """Whether a cell shows a number or a time."""
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not pd.isna(value)
    if isinstance(value, pd.Timestamp):
        return True
    text = str(value).strip()
    return bool(text) and bool(_TIME.match(text) or _NUMBER.match(text))


def _source_problems(sources: pd.DataFrame) -> dict[str, str]:
    """Map source_id → reason it cannot back a published figure ('' when fine)."""
    problems: dict[str, str] = {}
    for row in sources.itertuples(index=False):
        url = "" if pd.isna(row.url) else str(row.url)
        published = "" if pd.isna(row.published) else str(row.published).strip()
        reason = []
        refused = urls.check(url)
        if refused:
            reason.append(f"has no safe http(s) URL ({refused})")
        if not published:
            reason.append("has no publication date")
        problems[str(row.source_id)] = " and ".join(reason)
    return problems


def violations(
    facts: pd.DataFrame,
    chart_data: Mapping[str, pd.DataFrame],
    sources: pd.DataFrame,
    claims: pd.DataFrame,
) -> list[Violation]:
    """Return every published row whose numbers or times lack provenance.

    Args:
        facts: Fact box with :data:`FACT_COLUMNS` (every fact is published, so every
            fact needs provenance).
        chart_data: Chart name → the data frame behind the chart.
        sources: Sources with ``source_id``, ``url``, ``published``.
        claims: Claims with ``claim_id``, ``source_id``.

    Returns:
        Violations in table order (facts first, then charts by name).
    """
    for name, frame, needed in (
        ("facts", facts, FACT_COLUMNS),
        ("sources", sources, ("source_id", "url", "published")),
        ("claims", claims, ("claim_id", "source_id")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ProvenanceError(f"{name} table lacks column(s) {', '.join(missing)}")
    source_problem = _source_problems(sources)
    claim_source = {str(c): str(s) for c, s in zip(claims["claim_id"], claims["source_id"])}

    def resolve(ids: list[str]) -> str:
        if not ids:
            return "no claim_ids"
        reasons = []
        for claim_id in ids:
            if claim_id not in claim_source:
                reasons.append(f"claim id {claim_id!r} does not resolve to a claim")
                continue
            source_id = claim_source[claim_id]
            if source_id not in source_problem:
                reasons.append(f"claim {claim_id!r} names unknown source {source_id!r}")
            elif source_problem[source_id]:
                reasons.append(f"claim {claim_id!r}: source {source_id!r} {source_problem[source_id]}")
        return "; ".join(reasons)

    found: list[Violation] = []
    for position, row in enumerate(facts.to_dict(orient="records")):
        reason = resolve(split_ids(row.get("claim_ids")))
        if reason:
            found.append(Violation("facts", position, str(row.get("fact_id")), reason))
    for name in sorted(chart_data):
        frame = chart_data[name]
        if "claim_ids" not in frame.columns:
            if len(frame):
                found.append(Violation(f"chart {name}", 0, "-", "chart data has no claim_ids column"))
            continue
        shown = [c for c in frame.columns if c not in TEXT_COLUMNS]
        for position, row in enumerate(frame.to_dict(orient="records")):
            if not any(_is_quantity(row[c]) for c in shown):
                continue
            reason = resolve(split_ids(row.get("claim_ids")))
            if reason:
                key = next((str(row[c]) for c in shown if isinstance(row[c], str) and row[c]), "-")
                found.append(Violation(f"chart {name}", position, key, reason))
    return found


def check(
    facts: pd.DataFrame,
    chart_data: Mapping[str, pd.DataFrame],
    sources: pd.DataFrame,
    claims: pd.DataFrame,
) -> None:
    """Raise when any number or time in the fact box or a chart's data lacks provenance.

    Args:
        facts: Fact box (:data:`FACT_COLUMNS`).
        chart_data: Chart name → data frame behind the chart.
        sources: Sources with ``source_id``, ``url``, ``published``.
        claims: Claims with ``claim_id``, ``source_id``.

    Raises:
        ProvenanceError: Listing every violation.
    """
    found = violations(facts, chart_data, sources, claims)
    if found:
        lines = "\n".join(f"  - {v}" for v in found)
        raise ProvenanceError(f"{len(found)} published value(s) lack provenance:\n{lines}")
