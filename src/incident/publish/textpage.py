"""The desk page "Textprüfung": the reporter's draft (``data/raw/<incident>/artikel.md``), checked.

Built by :func:`incident.publish.site.build_site` only when the incident ships a draft; every
sentence with its verdict, the claim ids and the reason (:mod:`incident.textcheck`), against
the same processed tables the site is built from. Once no sentence is contradicted or more
precise than the sources, the reader page's "Was geschah" shows the draft instead of the
generated sentences (:func:`reader_markdown`).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from incident.config import Paths
from incident.evidence.descriptor import Incident
from incident.textcheck import ARTICLE, check_text, counts, read_draft
from incident.textcheck import evidence as evidence_mod
from incident.textcheck.compare import FAILING, Comparer

#: File name of the desk page and its navigation entry.
PAGE = "textpruefung.html"
TITLE = "Textprüfung des Artikels"


def entry() -> dict[str, str]:
    """The page's entry in the desk navigation."""
    return {"href": PAGE, "title": TITLE, "short": "Textprüfung"}


def context(paths: Paths, incident: Incident, tables: dict[str, pd.DataFrame]) -> dict[str, Any] | None:
    """What the template shows, or None when the incident ships no draft.

    Raises:
        TextCheckError: The draft is unreadable or empty (the site build stops and says so).
    """
    draft = paths.raw / ARTICLE
    if not draft.is_file():
        return None
    check = Comparer(incident=incident, evidence=evidence_mod.from_tables(tables))
    text = read_draft(draft)
    results = check_text(text, comparer=check)
    return {
        "draft": ARTICLE,
        "text": text,
        "rows": [{**r.to_dict(), "failing": r.verdict in FAILING} for r in results],
        "counts": [(v, n) for v, n in counts(results).items() if n],
        "failing": sum(r.verdict in FAILING for r in results),
    }


def reader_markdown(checked: dict[str, Any] | None) -> str | None:
    """The draft for the reader page's "Was geschah", once no sentence is contradicted or too precise.

    Its title lines (``# …``) are dropped: the page has its own headings. None when there is no
    draft or a sentence fails.
    """
    if checked is None or checked["failing"]:
        return None
    body = "\n".join(line for line in checked["text"].splitlines() if not re.match(r"^\s{0,3}#\s", line))
    return body if body.strip() else None
