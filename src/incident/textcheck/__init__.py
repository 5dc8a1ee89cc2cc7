"""A reporter's German draft, checked sentence by sentence against the processed evidence.

``python -m incident check-text --incident ID [--format json|text] FILE`` gives every
sentence one verdict — ``belegt``, ``umstritten``, ``nicht belegt``, ``genauer als die
Quellen`` or ``widerspricht`` — with the claim ids and the deciding phrase. Rule-based and
explainable; no model.

Modules, one concept each:

* :mod:`~incident.textcheck.sentences` — Markdown blocks and German sentences (SoMaJo);
* :mod:`~incident.textcheck.mentions` — platforms from the descriptor's names and aliases;
* :mod:`~incident.textcheck.lexicon` — event, stance, attribution, qualifier and unit words;
* :mod:`~incident.textcheck.times` — day and time phrases through :mod:`incident.timeexpr`;
* :mod:`~incident.textcheck.amounts` — figures through :mod:`incident.evidence.figures`, with qualifiers;
* :mod:`~incident.textcheck.attribution` — speaker and stance;
* :mod:`~incident.textcheck.evidence` — the processed tables the check reads;
* :mod:`~incident.textcheck.compare` — the rules and the verdicts;
* :mod:`~incident.textcheck.check` — a draft end to end; :mod:`~incident.textcheck.report` — JSON, text, table.
"""

from __future__ import annotations

from incident.textcheck.check import ARTICLE, check_draft, check_file, check_text, comparer, draft_for, read_draft
from incident.textcheck.compare import FAILING, SEVERITY, Checked
from incident.textcheck.report import counts, exit_status, table, to_json, to_text

__all__ = [
    "ARTICLE",
    "FAILING",
    "SEVERITY",
    "Checked",
    "check_draft",
    "check_file",
    "check_text",
    "counts",
    "comparer",
    "draft_for",
    "exit_status",
    "read_draft",
    "table",
    "to_json",
    "to_text",
]
