"""The results of a text check as JSON, as readable German text, and as a table, plus the exit status."""

from __future__ import annotations

import json

import pandas as pd

from incident import german
from incident.textcheck.compare import FAILING, SEVERITY, Checked

#: Column names of :func:`table` (German, for editors).
COLUMNS = {"line": "Zeile", "sentence": "Satz", "verdict": "Urteil", "claim_ids": "Belege", "reason": "Begründung"}


def to_json(results: list[Checked]) -> str:
    """A JSON list of ``{"line", "sentence", "verdict", "claim_ids", "reason"}``."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)


def counts(results: list[Checked]) -> dict[str, int]:
    """Sentences per verdict, in order of :data:`~incident.textcheck.compare.SEVERITY`."""
    return {v: sum(r.verdict == v for r in results) for v in SEVERITY}


def to_text(results: list[Checked]) -> str:
    """A readable German report: one block per sentence, then the tally."""
    lines = []
    for r in results:
        lines.append(f"Zeile {r.line}: {r.verdict.upper()}")
        lines.append(f"  Satz:   {r.sentence}")
        if r.claim_ids:
            lines.append(f"  Belege: {', '.join(r.claim_ids)}")
        lines.append(f"  Grund:  {r.reason}")
        lines.append("")
    tally = ", ".join(f"{n} {v}" for v, n in counts(results).items() if n)
    lines.append(f"{german.count(len(results), 'Satz', 'Sätze')} geprüft: {tally}.")
    return "\n".join(lines)


def table(results: list[Checked]) -> pd.DataFrame:
    """One row per sentence with German column names (for the notebook and the desk page)."""
    rows = [{**r.to_dict(), "claim_ids": "; ".join(r.claim_ids)} for r in results]
    return pd.DataFrame(rows, columns=list(COLUMNS)).rename(columns=COLUMNS)


def exit_status(results: list[Checked]) -> int:
    """1 when any sentence is contradicted or more precise than the sources, else 0."""
    return 1 if any(r.verdict in FAILING for r in results) else 0
