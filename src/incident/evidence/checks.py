"""The project's own checks of the raw tables, on top of the Frictionless schema.

Frictionless (:mod:`incident.evidence.schema`) checks what a Table Schema can say: types,
required fields, enums, patterns, ``minimum``, unique fields, primary and foreign keys.
This module checks what it cannot:

- **Cells** (every column): mojibake; leading/trailing white space; invisible characters —
  zero-width characters (U+200B–U+200D, U+2060, U+FEFF), bidi controls (U+200E/F,
  U+202A–U+202E, U+2066–U+2069) and every other format, control, private-use or
  separator character — are **refused**: in ids, keys, groups, quantities, outlets,
  platform, unit, cause and URL (where any space but U+0020 is refused too) because they
  make equal-looking values differ; in free text (``what``, ``quote``, ``headline``,
  notes …, see :data:`FREE_TEXT`) too, as a problem naming the character, because a hidden
  or direction-changing character in evidence cannot be checked against the source (the one
  exception: a zero-width joiner inside an emoji sequence). The site additionally isolates
  free text with ``<bdi>``. A cell with no visible character but invisible ones (a quote
  made of a zero-width space) is refused. Numbers must be plain finite decimals (no inf,
  nan, ``1e400``). Text was normalised to NFC when read (:mod:`incident.evidence.read`).
- **Sources**: the URL rule of :mod:`incident.urls`; ``published`` parses at its stated
  precision; ``independent_of`` names existing other sources.
- **Claims**: ids unique across the three claim tables and prefixed ``<source_id>#``;
  quotes ≤ :data:`MAX_QUOTE_WORDS` words; a ``value`` needs its ``value_text``, the text must
  be unambiguous German and state the value (:mod:`incident.evidence.figures`).
- **Vocabulary**: platform ids, causes and units known to the incident descriptor.
- **References**: every ``<source_id>#<n>`` written in a note names an existing claim.
- **Quantities**: one measured thing under two keys — two ``quantity`` keys of the same
  platform and unit whose ``counted`` descriptions are near-identical (:func:`check_quantities`).
- **Undeclared copies**: source pairs in different syndication groups sharing
  near-identical claims, with ``AGENCY COPY of`` markers counted at claim level, unless the
  pair is listed in ``independent_of`` after review (:func:`check_copies`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import combinations
from zoneinfo import ZoneInfo

from incident import urls
from incident.config import TIMEZONE
from incident.errors import Problem
from incident.evidence.figures import figure_agrees, figure_problems, german_numbers
from incident.evidence.read import Table
from incident.ids import AGENCY_COPY

#: Resource names in load order; the claim tables follow ``sources``.
TABLES = ("sources", "timeline", "counts", "statements")
CLAIM_TABLES = ("timeline", "counts", "statements")
#: Longest quote we accept: quotes are short and attributed, never prose.
MAX_QUOTE_WORDS = 30
#: Columns of running text (our words or verbatim German); every other column is an id,
#: key, group, name or code where only visible characters and the plain space are allowed.
FREE_TEXT = frozenset(
    {
        "headline",
        "published_basis",
        "syndication_note",
        "region",
        "verification_note",
        "platform_text",
        "operator",
        "what",
        "day_text",
        "time_text",
        "speaker",
        "quote",
        "dossier_day",
        "confidence_note",
        "value_text",
        "counted",
        "duration_text",
        "role",
        "organisation",
        "said_text",
    }
)
#: Notes whose ``<source_id>#<n>`` mentions must name existing claims.
NOTE_COLUMNS = ("confidence_note", "verification_note", "syndication_note")
#: Word-set Jaccard similarity from which two ``counted`` descriptions name one thing.
QUANTITY_SIMILARITY = 0.6
#: Units that measure the same thing in different notation (a factor of 2 is +100 %).
CONVERTIBLE_UNITS = ({"factor", "percent"},)

# UTF-8 read as Latin-1/Windows-1252 turns umlauts into these pairs ("Ã¼" for "ü", "â€" for quotes).
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf„–œŸ‹›‚ƒ…†‡ˆ‰Š‘’“”•˜™š¤¶¼]|â€|Â[\u00a0-\u00bf]|\ufffd")
_PUBLISHED = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "minute": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?"),
}
# A plain decimal number as written in the tables: point as decimal mark, no thousands separator.
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"-?[0-9]+")
# Candidates for invisible characters: C0/C1 controls, spaces other than U+0020, every format
# character (Cf) of the BMP and the tag block, separators, private use and noncharacters.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u1680\u180e"
    "\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\uffa0\ufdd0-\ufdef\ufff9-\ufffb"
    "\ufffe\uffff\ue000-\uf8ff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff\U000f0000-\U0010ffff]"
)
_ZWJ = "\u200d"
_NOTE_REF = re.compile(r"(?<![A-Za-z0-9_/.#-])([a-z0-9-]+#[0-9]+)(?![0-9])")
_WORDS = re.compile(r"[^\W_]+")
_PAREN = re.compile(r"\([^()]*\)")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "to",
        "and",
        "or",
        "as",
        "with",
        "from",
        "per",
        "its",
        "it",
        "is",
        "was",
        "were",
        "be",
        "this",
        "that",
        "which",
        "who",
        "than",
        "no",
        "not",
        "into",
        "over",
        "during",
    ]
)
_UNIT_WORDS = frozenset({"factor", "percent", "percentage", "pct"})
_MONTHS = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december januar februar märz mai juni juli oktober dezember spring summer "
    "autumn fall winter frühjahr sommer herbst monday tuesday wednesday thursday friday saturday sunday mon "
    "tue wed thu fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag"
)
_TIME_WORDS = frozenset(_MONTHS.split())
_YEAR = re.compile(r"(19|20)\d\d")


# --------------------------------------------------------------------------- cells


def _emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or 0x1F000 <= ord(ch) <= 0x1FAFF


def hidden_character(value: str, *, free_text: bool) -> tuple[int, str] | None:
    """The first invisible character refused in ``value``: ``(position, description)`` or None.

    Args:
        value: A cell.
        free_text: Whether the column holds running text (spaces such as U+00A0 and U+202F
            and line breaks are allowed there; a zero-width joiner inside an emoji sequence too).
    """
    for m in _SUSPECT.finditer(value):
        ch, i = m.group(), m.start()
        cat = unicodedata.category(ch)
        if free_text:
            if ch == "\n" or cat == "Zs":
                continue
            if ch == _ZWJ and 0 < i < len(value) - 1 and _emoji(value[i - 1]) and _emoji(value[i + 1]):
                continue
        name = unicodedata.name(
            ch, {"Cc": "control character", "Co": "private use", "Cn": "unassigned"}.get(cat, "unnamed")
        )
        return i, f"U+{ord(ch):04X} ({name})"
    return None


def number_problem(value: str, ftype: str) -> str | None:
    """Why a number cell is refused although Frictionless may accept it (inf, nan, 1e400, ``1_000``)."""
    plain = NUMBER if ftype == "number" else INTEGER
    if plain.fullmatch(value):
        return None if math.isfinite(float(value)) else "not a finite number (overflows to infinity)"
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError):
        return None  # Frictionless reports the type error
    if not d.is_finite():
        return "not a finite number (inf and nan are refused)"
    return f"not a plain {'decimal number' if ftype == 'number' else 'integer'} (digits, '-', decimal point)"


def check_cells(table: Table, schema: dict, problems: list[Problem]) -> None:
    """Encoding, white space, invisible characters and plain numbers in every cell.

    Args:
        table: The rows.
        schema: The resource's Table Schema (fields, primaryKey).
        problems: Problems are appended here.
    """
    fname = table.file
    fields = schema["fields"]
    pk = schema.get("primaryKey") or []
    pk = [pk] if isinstance(pk, str) else list(pk)
    required = {f["name"] for f in fields if (f.get("constraints") or {}).get("required")} | set(pk)
    for i, row in table.numbered():
        for f in fields:
            col = f["name"]
            value = row.get(col, "")
            if not value:
                continue
            free = col in FREE_TEXT
            if not value.isascii() and _MOJIBAKE.search(value):
                problems.append(Problem(fname, i, col, value, "broken encoding (mojibake such as 'Ã¼' for 'ü')"))
            hidden = hidden_character(value, free_text=free) if _SUSPECT.search(value) else None
            stripped = value.strip()
            if hidden:
                pos, what = hidden
                where = "in free text" if free else "in an id, key or name"
                problems.append(
                    Problem(
                        fname,
                        i,
                        col,
                        value,
                        f"invisible or control character {what} at position {pos} {where}: "
                        "refused (it hides or reorders text); remove it",
                    )
                )
                visible = _SUSPECT.sub("", stripped).strip()
                if not visible:
                    problems.append(
                        Problem(
                            fname,
                            i,
                            col,
                            value,
                            ("required value is empty" if col in required else "no visible text")
                            + " (only invisible characters)",
                        )
                    )
                    continue
            if not stripped:
                if col in required:
                    problems.append(Problem(fname, i, col, value, "required value is empty (only white space)"))
                continue
            if stripped != value:
                problems.append(Problem(fname, i, col, value, "leading or trailing white space"))
            ftype = f.get("type", "string")
            if ftype in ("number", "integer"):
                reason = number_problem(stripped, ftype)
                if reason:
                    problems.append(Problem(fname, i, col, value, reason))


# --------------------------------------------------------------------------- sources


def parse_published(
    text: str, precision: str, tz: str = TIMEZONE
) -> tuple[datetime | None, datetime | None, datetime | None, str | None]:
    """Return (published_at, span start, span end, problem) for a publication time string."""
    pattern = _PUBLISHED.get(precision)
    if pattern is None:
        return None, None, None, f"unknown precision {precision!r}"
    if not pattern.fullmatch(text):
        return None, None, None, f"does not parse as an ISO time of precision {precision!r}"
    zone = ZoneInfo(tz)
    try:
        if precision == "year":
            start = datetime(int(text), 1, 1, tzinfo=zone)
            return None, start, datetime(start.year + 1, 1, 1, tzinfo=zone), None
        if precision == "month":
            y, m = map(int, text.split("-"))
            start = datetime(y, m, 1, tzinfo=zone)
            end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=zone)
            return None, start, end, None
        if precision == "day":
            d = datetime.fromisoformat(text).replace(tzinfo=zone)
            return d + timedelta(hours=12), d, d + timedelta(days=1), None
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        at = at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
        return at, at, at, None
    except (ValueError, OverflowError) as exc:
        return None, None, None, f"not a valid date: {exc}"


def _ids(cell: str) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip()]


def check_sources(table: Table, problems: list[Problem]) -> None:
    """URLs, publication times and ``independent_of`` of ``sources.csv``."""
    known = {r.get("source_id", "") for r in table.rows}
    for i, row in table.numbered():
        url = row.get("url", "")
        if url.strip():
            reason = urls.check(url)
            if reason:
                problems.append(Problem("sources.csv", i, "url", url, reason))
        if row.get("published", "").strip() and row.get("published_precision", "").strip():
            *_, reason = parse_published(row["published"], row["published_precision"])
            if reason:
                problems.append(Problem("sources.csv", i, "published", row["published"], reason))
        for other in _ids(row.get("independent_of", "")):
            if other == row.get("source_id"):
                problems.append(
                    Problem("sources.csv", i, "independent_of", other, "a source cannot be reviewed against itself")
                )
            elif other not in known:
                problems.append(
                    Problem("sources.csv", i, "independent_of", other, "unknown source id (not in sources.csv)")
                )


# --------------------------------------------------------------------------- claims


def check_claims(tables: dict[str, Table | None], problems: list[Problem]) -> None:
    """Claim ids across tables, quotes and figures."""
    claim_seen: dict[str, str] = {}
    for name in CLAIM_TABLES:
        table = tables.get(name)
        if table is None:
            continue
        fname = table.file
        for i, row in table.numbered():
            cid, sid = row.get("claim_id", ""), row.get("source_id", "")
            if cid:
                if not cid.startswith(f"{sid}#"):
                    problems.append(
                        Problem(fname, i, "claim_id", cid, "claim id must be '<source_id>#<n>' of its own source")
                    )
                if cid in claim_seen and not claim_seen[cid].startswith(fname):
                    problems.append(Problem(fname, i, "claim_id", cid, f"duplicate claim id (also {claim_seen[cid]})"))
                claim_seen.setdefault(cid, f"{fname} row {i}")
            quote = row.get("quote", "")
            if quote and len(quote.split()) > MAX_QUOTE_WORDS:
                problems.append(
                    Problem(
                        fname, i, "quote", quote, f"quote has {len(quote.split())} words; at most {MAX_QUOTE_WORDS}"
                    )
                )
            if name == "counts":
                _check_figure(fname, i, row, problems)


def _check_figure(fname: str, i: int, row: dict[str, str], problems: list[Problem]) -> None:
    value, text = row.get("value", "").strip(), row.get("value_text", "").strip()
    if value and not text:
        problems.append(Problem(fname, i, "value_text", text, "a value needs its verbatim German figure text"))
    if not text:
        return
    for reason in figure_problems(text):
        problems.append(Problem(fname, i, "value_text", text, reason + "; the figure cannot be read with certainty"))
    if value and NUMBER.fullmatch(value) and math.isfinite(float(value)) and figure_agrees(float(value), text) is False:
        stated = ", ".join(f"{n:g}" for n in german_numbers(text))
        problems.append(
            Problem(fname, i, "value", value, f"disagrees with its figure text {text!r} (which states {stated})")
        )


def check_vocabulary(tables: dict[str, Table | None], incident, problems: list[Problem]) -> None:
    """Platform ids, causes and units must be known to the descriptor and the label table."""
    from incident import labels

    known = set(incident.platform_ids) | set(incident.context_ids)
    causes = {**labels.CAUSES, **incident.labels.get("causes", {})}
    units = {**labels.UNITS, **incident.labels.get("units", {})}
    for name in CLAIM_TABLES:
        table = tables.get(name)
        if table is None:
            continue
        for i, row in table.numbered():
            for pid in _ids(row.get("platform", "")):
                if pid not in known:
                    problems.append(
                        Problem(
                            table.file,
                            i,
                            "platform",
                            pid,
                            "platform id not in incident.yaml (platforms or context_ids)",
                        )
                    )
            # a chain the source states ("overload > mediation_error") names each of its causes
            for cause in (c.strip() for part in _ids(row.get("cause", "")) for c in part.split(">")):
                if cause and cause not in causes:
                    problems.append(
                        Problem(
                            table.file,
                            i,
                            "cause",
                            cause,
                            "cause has no German label (incident.labels.CAUSES or incident.yaml labels)",
                        )
                    )
            unit = row.get("unit", "").strip()
            if unit and unit not in units:
                problems.append(
                    Problem(
                        table.file,
                        i,
                        "unit",
                        unit,
                        "unit has no German label (incident.labels.UNITS or incident.yaml labels)",
                    )
                )


def check_note_references(tables: dict[str, Table | None], problems: list[Problem]) -> None:
    """Every ``<source_id>#<n>`` written in a note must name an existing claim."""
    claims = {r.get("claim_id") for n in CLAIM_TABLES if tables.get(n) for r in tables[n].rows}
    for name in TABLES:
        table = tables.get(name)
        if table is None:
            continue
        cols = [c for c in NOTE_COLUMNS if c in table.header]
        for i, row in table.numbered():
            for col in cols:
                note = row.get(col, "")
                if "#" not in note:
                    continue
                for ref in dict.fromkeys(m.group(1) for m in _NOTE_REF.finditer(note)):
                    if ref not in claims:
                        problems.append(
                            Problem(table.file, i, col, ref, f"the note names claim {ref!r}, which does not exist")
                        )


# --------------------------------------------------------------------------- quantities


def _time_markers(text: str) -> frozenset[str]:
    words = _WORDS.findall(text.casefold())
    return frozenset(w for w in words if w in _TIME_WORDS or _YEAR.fullmatch(w))


def _content_words(text: str) -> frozenset[str]:
    core = _PAREN.sub(" ", text.casefold())
    return frozenset(w for w in _WORDS.findall(core) if w not in _STOP and w not in _UNIT_WORDS)


def counted_similarity(a: str, b: str) -> float:
    """How surely two ``counted`` descriptions describe one measured thing (0 … 1).

    Jaccard similarity of their content words (case-folded; English function words, unit
    words such as "factor"/"percent" and parenthesised remarks left out), and 0 when they
    name different reference times (years, months, seasons, weekdays — a figure for spring
    2020 and one for January 2021 are two quantities).
    """
    if _time_markers(a) != _time_markers(b):
        return 0.0
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def _unit_family(unit: str) -> str:
    for family in CONVERTIBLE_UNITS:
        if unit in family:
            return "|".join(sorted(family))
    return unit


def check_quantities(table: Table | None, problems: list[Problem]) -> None:
    """Flag two ``quantity`` keys of one platform and unit whose ``counted`` texts are near-identical.

    Figure conflicts are found per key; one thing under two keys hides its conflict. Units
    in :data:`CONVERTIBLE_UNITS` count as one unit. A problem names the later key's first row.
    """
    if table is None or "quantity" not in table.header:
        return
    keys: dict[tuple, dict[str, list[tuple[int, str]]]] = {}
    for i, row in table.numbered():
        key = row.get("quantity", "").strip()
        counted = row.get("counted", "").strip()
        if not key or not counted:
            continue
        platform = frozenset(_ids(row.get("platform", "")))
        family = _unit_family(row.get("unit", "").strip())
        keys.setdefault((platform, family), {}).setdefault(key, []).append((i, counted))
    for by_key in keys.values():
        for (ka, rows_a), (kb, rows_b) in combinations(sorted(by_key.items(), key=lambda kv: kv[1][0][0]), 2):
            best, pair = 0.0, None
            for ia, ta in rows_a:
                for ib, tb in rows_b:
                    s = counted_similarity(ta, tb)
                    if s > best:
                        best, pair = s, (ia, ta, ib, tb)
            if best >= QUANTITY_SIMILARITY:
                ia, ta, ib, tb = pair
                problems.append(
                    Problem(
                        table.file,
                        rows_b[0][0],
                        "quantity",
                        kb,
                        f"one measured thing under two keys? 'counted' of {kb!r} (row {ib}: {tb[:80]!r}) is near-identical "
                        f"to that of {ka!r} (row {ia}: {ta[:80]!r}; similarity {best:.2f}): use one key, or say in "
                        "'counted' what differs (reference time, place, what is counted)",
                    )
                )


# --------------------------------------------------------------------------- undeclared copies


def claim_groups(tables: dict[str, Table | None]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Every claim with the syndication group it counts with.

    A claim marked ``AGENCY COPY of <claim_id>`` counts with the referenced claim's source
    group (as :func:`incident.reconstruct.claims.account_groups`); any other with its source's.

    Returns:
        ``(claims, group_of_claim)``: claim rows (claim_id, source_id, quote, what) and
        ``{claim_id: group}``.
    """
    sources = tables.get("sources")
    by_source = {}
    for r in sources.rows if sources else []:
        by_source[r.get("source_id", "")] = r.get("syndication_group", "").strip() or r.get("source_id", "")
    claims = [r for n in CLAIM_TABLES if tables.get(n) for r in tables[n].rows]
    source_of = {r.get("claim_id", ""): r.get("source_id", "") for r in claims}
    group = {}
    for r in claims:
        sid = r.get("source_id", "")
        g = by_source.get(sid, sid)
        m = AGENCY_COPY.search(r.get("confidence_note", ""))
        if m and m.group(1) in source_of:
            ref_sid = source_of[m.group(1)]
            g = by_source.get(ref_sid, ref_sid)
        group[r.get("claim_id", "")] = g
    return claims, group


def undeclared_copies(tables: dict[str, Table | None]):
    """Source pairs in different (claim-level) groups that share near-identical claims.

    Runs :func:`incident.reconstruct.independence.near_copies` with one pseudo-source per
    (source, claim-level group), so a claim marked ``AGENCY COPY of`` is compared under the
    group it counts with, then merges the rows back to real source pairs.

    Returns:
        Frame with :data:`incident.reconstruct.independence.COPY_COLUMNS` (real source ids).
    """
    import pandas as pd

    from incident.reconstruct.independence import undeclared

    claims, group = claim_groups(tables)
    frame = pd.DataFrame(
        {
            "claim_id": [r.get("claim_id", "") for r in claims],
            "source_id": [r.get("source_id", "") for r in claims],
            "account_group": [group[r.get("claim_id", "")] for r in claims],
            "quote": [r.get("quote", "") for r in claims],
            "what": [r.get("what", "") for r in claims],
        }
    )
    return undeclared(frame)


def check_copies(tables: dict[str, Table | None], problems: list[Problem]) -> None:
    """Refuse undeclared copies: near-identical claims of two sources in different groups.

    A pair passes when either source lists the other in ``independent_of`` (reviewed and
    found independent); otherwise declare the copy (shared ``syndication_group`` or
    ``AGENCY COPY of <claim_id>`` in the claim's ``confidence_note``).
    """
    sources = tables.get("sources")
    if sources is None or any(tables.get(n) is None for n in CLAIM_TABLES):
        return
    reviewed = set()
    row_of = {}
    for i, r in sources.numbered():
        sid = r.get("source_id", "")
        row_of.setdefault(sid, i)
        for other in _ids(r.get("independent_of", "")):
            reviewed.add(frozenset((sid, other)))
    for c in undeclared_copies(tables).itertuples(index=False):
        if frozenset((c.source_a, c.source_b)) in reviewed:
            continue
        problems.append(
            Problem(
                "sources.csv",
                row_of.get(c.source_b),
                "independent_of",
                c.source_a,
                f"undeclared copy? {c.source_b!r} (group {c.group_b!r}) shares {c.n_shared} near-identical claims with "
                f"{c.source_a!r} (group {c.group_a!r}; similarity up to {c.max_similarity:.2f}; claims {c.claim_ids}; "
                f"e.g. {c.example[:100]!r}): share a syndication_group, mark the claims 'AGENCY COPY of <claim_id>', "
                "or list the other source in independent_of after review",
            )
        )
