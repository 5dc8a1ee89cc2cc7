"""A draft, sentence by sentence, against an incident's processed evidence.

:func:`read_draft` reads the file (UTF-8 Markdown or plain text; anything else is a
:class:`~incident.errors.TextCheckError` with a German message), :func:`check_text` splits it
(:mod:`incident.textcheck.sentences`) and checks every sentence
(:class:`incident.textcheck.compare.Comparer`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from incident.config import Paths
from incident.errors import TextCheckError
from incident.evidence.descriptor import Incident, load_descriptor
from incident.textcheck import evidence as evidence_mod
from incident.textcheck.compare import Checked, Comparer
from incident.textcheck.sentences import split

#: Largest draft read (bytes): an article, not a book.
MAX_BYTES = 1_000_000


def read_draft(path: Path) -> str:
    """The text of a draft, NFC-normalised.

    Raises:
        TextCheckError: The file is missing, unreadable, too large, not UTF-8 text, or empty.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TextCheckError(f"Entwurf nicht gefunden: {path}") from None
    except OSError as exc:
        raise TextCheckError(f"Entwurf nicht lesbar: {path} ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise TextCheckError(f"Entwurf zu groß: {path} hat {len(data)} Bytes, erlaubt sind {MAX_BYTES}.")
    if b"\x00" in data:
        raise TextCheckError(f"Entwurf ist keine Textdatei (enthält Nullbytes): {path}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextCheckError(f"Entwurf ist nicht in UTF-8 kodiert: {path} (Byte {exc.start})") from None
    if not text.strip():
        raise TextCheckError(f"Entwurf ist leer: {path}")
    return unicodedata.normalize("NFC", text)


def comparer(paths: Paths, *, incident: Incident | None = None) -> Comparer:
    """The comparer of an incident: its descriptor and its processed evidence."""
    incident = incident or load_descriptor(paths)
    return Comparer(incident=incident, evidence=evidence_mod.load(paths.processed, tz=incident.timezone))


def check_text(text: str, *, comparer: Comparer) -> list[Checked]:
    """Every sentence of a draft with its verdict, in order.

    Raises:
        TextCheckError: The text has no sentence.
    """
    sentences = split(text)
    if not sentences:
        raise TextCheckError("Der Entwurf enthält keinen Satz.")
    return [comparer.check(s.text, line=s.line) for s in sentences]


def check_file(path: Path, paths: Paths) -> list[Checked]:
    """Read a draft and check every sentence against the incident of ``paths``."""
    text = read_draft(path)
    return check_text(text, comparer=comparer(paths))


#: The reporter's draft of an incident, when it ships one: checked by `make report` and shown on the desk.
ARTICLE = "artikel.md"


def draft_for(paths: Paths, text: str | Path | None = None) -> Path | None:
    """The draft to check: ``text`` when given, else ``data/raw/<incident>/artikel.md`` when it exists.

    Raises:
        TextCheckError: ``text`` names no file.
    """
    if text is not None:
        path = Path(text)
        if not path.is_file():
            raise TextCheckError(f"Parameter 'text': kein Entwurf unter {path}")
        return path
    article = paths.raw / ARTICLE
    return article if article.is_file() else None


def check_draft(paths: Paths, draft: Path | None) -> list[Checked]:
    """Every sentence of ``draft`` checked against the incident of ``paths``; ``[]`` when there is no draft."""
    return [] if draft is None else check_file(draft, paths)
