"""Read an incident's raw tables into typed pandas frames, validating everything first.

The raw tables are described by the incident's Frictionless ``datapackage.json``
(field names, types, required fields, enums, unique and primary keys, foreign
keys); that descriptor is the single source of truth for the checks here. On
top of it the loader checks what Frictionless cannot say: claim ids unique across
the three claim tables and prefixed by their source, http(s) URLs, publication
times that parse at the stated precision, figures that agree with their German
figure text, mojibake, the delimiter and the encoding.

Every problem of a run is collected (file, row, column, value, reason) and
raised together as :class:`incident.errors.ValidationError`; the loader never
writes anything, so callers write only after :func:`load_incident` returned.

Example:
    >>> from incident import config, load
    >>> ev = load.load_incident(config.paths())          # doctest: +SKIP
    >>> ev.sources.shape                                  # doctest: +SKIP
    (76, 16)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pandas as pd

from incident.config import TIMEZONE, Paths, paths as make_paths
from incident.errors import Problem, ValidationError

#: Resource names in load order; the claim tables follow ``sources``.
TABLES = ("sources", "timeline", "counts", "statements")
CLAIM_TABLES = ("timeline", "counts", "statements")
#: Longest quote we accept: quotes are short and attributed, never prose.
MAX_QUOTE_WORDS = 30
#: Largest table we read; a bigger file is refused with a clear message, not read into memory.
MAX_BYTES = 200 * 1024 * 1024

_TZ = ZoneInfo(TIMEZONE)
# UTF-8 read as Latin-1/Windows-1252 turns umlauts into these pairs ("Ã¼" for "ü", "â€" for quotes).
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf„–œŸ‹›‚ƒ…†‡ˆ‰Š‘’“”•˜™š¤¶¼]|â€|Â[\u00a0-\u00bf]|\ufffd")
_PUBLISHED = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "minute": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?"),
}
# A plain decimal number as written in the tables: point as decimal mark, no thousands separator.
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"-?\d+")


@dataclass
class Evidence:
    """The validated raw tables of one incident.

    Attributes:
        incident: Incident id.
        sources: One row per source, shape (n_sources, n_columns); adds ``published_at``
            (tz-aware, Europe/Berlin; day precision at 12:00 local, month/year precision NaT)
            and ``published_start``/``published_end`` (the span the publication date allows).
        timeline: Events and causes, one row per claim.
        counts: Reported figures; ``value`` is float64 (NaN where a capacity claim gives no figure).
        statements: Who said what.
        raw_rows: Data rows read per table (for row accounting).
    """

    incident: str
    sources: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    statements: pd.DataFrame
    raw_rows: dict[str, int] = field(default_factory=dict)

    def claims(self) -> pd.DataFrame:
        """All claims of the three claim tables stacked, with a ``table`` column.

        Returns:
            Frame of shape (n_claims, union of columns), sorted by ``claim_id``.
        """
        parts = [getattr(self, t).assign(table=t) for t in CLAIM_TABLES]
        return pd.concat(parts, ignore_index=True, sort=False).sort_values("claim_id", ignore_index=True)


# --------------------------------------------------------------------------- German figures


_WORDS = {
    "ein": 1, "eine": 1, "einer": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
    "hundert": 100, "tausend": 1000, "doppelt": 2, "verdoppelt": 2, "verdreifacht": 3, "halb": 0.5,
}
_SCALES = {
    "mio": 1e6, "million": 1e6, "millionen": 1e6, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "tsd": 1e3, "tausend": 1e3,
}
# Digits with German grouping ("100.000", "2,5", "4 500"), optionally followed by a scale word.
_GERMAN_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+|\d+)(?:,(\d+))?(?:\s*(Mio|Millionen|Million|Mrd|Milliarden|Milliarde|Tsd|Tausend)\b\.?)?",
    re.IGNORECASE,
)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def german_numbers(text: str) -> list[float]:
    """Every number a German figure text states, in order.

    Handles thousands points ("100.000"), decimal commas ("2,5"), scale words
    ("2,5 Millionen", "2,3 Mio."), percentages as plain numbers ("50 Prozent" -> 50)
    and number words ("sechs", "verdoppelt" -> 2).

    Args:
        text: Verbatim figure text, e.g. ``"rund 4000 Fehlermeldungen"``.

    Returns:
        The numbers found (possibly empty).

    Example:
        >>> german_numbers("2,5 Millionen Teilnehmer")
        [2500000.0]
        >>> german_numbers("über 4.500 Schulen")
        [4500.0]
    """
    found: list[float] = []
    for m in _GERMAN_NUMBER.finditer(text):
        whole = re.sub(r"[.\u202f\u00a0 ]", "", m.group(1))
        number = float(whole + ("." + m.group(2) if m.group(2) else ""))
        if m.group(3):
            number *= _SCALES[m.group(3).lower().rstrip(".")]
        found.append(number)
    if not found:
        for m in _WORD_NUMBER.finditer(text):
            number = float(_WORDS[m.group(1).lower()])
            rest = text[m.end():].lstrip().lower()
            for word, scale in _SCALES.items():
                if rest.startswith(word):
                    number *= scale
                    break
            found.append(number)
    return found


def figure_agrees(value: float, text: str) -> bool | None:
    """Whether ``value`` is one of the numbers ``text`` states.

    Args:
        value: Normalised value.
        text: Verbatim German figure text.

    Returns:
        True or False, or None when the text states no number to compare with.
    """
    numbers = german_numbers(text)
    if not numbers:
        return None
    return any(math.isclose(value, n, rel_tol=1e-9, abs_tol=1e-9) for n in numbers)


# --------------------------------------------------------------------------- reading


def _read_table(path: Path, name: str, fields: list[str], problems: list[Problem]) -> list[dict[str, str]] | None:
    """Decode and split one CSV file; append problems and return rows (or None if unreadable)."""
    fname = f"{name}.csv"
    if not path.exists():
        problems.append(Problem(fname, None, None, None, "file is missing"))
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(Problem(fname, None, None, f"{size} bytes", f"file larger than {MAX_BYTES} bytes; refused"))
        return None
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM from spreadsheet exports is harmless: drop it
        data = data[3:]
    if not data.strip():
        problems.append(Problem(fname, None, None, None, "file is empty (no header row)"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n")
        bad = data[exc.start : exc.start + 4]
        guess = "Latin-1/Windows-1252" if any(b in bad[:1] for b in (b"\xe4", b"\xf6", b"\xfc", b"\xdf", b"\xc4", b"\xd6", b"\xdc", b"\x84", b"\x93", b"\x96")) else "not text or another encoding"
        problems.append(Problem(fname, line or None, None, repr(bad),
                                f"not valid UTF-8 at byte {exc.start} (looks like {guess}); save the table as UTF-8"))
        return None
    if "\x00" in text:
        problems.append(Problem(fname, None, None, None, "file contains NUL bytes; not a text table"))
        return None
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if "," not in header_line:
        for delim, label in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if delim in header_line:
                problems.append(Problem(fname, 0, None, header_line[:80],
                                        f"wrong delimiter: header is {label}-separated; tables must be comma-separated "
                                        "(and numbers use a decimal point)"))
                return None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = list(reader)
    except csv.Error as exc:
        problems.append(Problem(fname, None, None, None, f"not a well-formed CSV file: {exc}"))
        return None
    header = [h.strip() for h in rows[0]]
    missing = [f for f in fields if f not in header]
    unknown = [h for h in header if h not in fields]
    for col in missing:
        problems.append(Problem(fname, 0, col, None, "column missing from header"))
    for col in unknown:
        problems.append(Problem(fname, 0, col, None, "column not in datapackage.json schema"))
    if len(set(header)) != len(header):
        problems.append(Problem(fname, 0, None, ",".join(header)[:80], "duplicate column names"))
    if missing or unknown:
        return None
    out = []
    for i, row in enumerate(rows[1:], start=1):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if len(row) != len(header):
            problems.append(Problem(fname, i, None, ",".join(row)[:80],
                                    f"has {len(row)} fields, header has {len(header)} (delimiter or quoting broken)"))
            continue
        out.append(dict(zip(header, row)))
    return out


def _descriptor(p: Paths, problems: list[Problem]) -> dict | None:
    try:
        desc = json.loads(p.datapackage.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in desc["resources"]}
        for t in TABLES:
            resources[t]["schema"]["fields"]
        return resources
    except FileNotFoundError:
        problems.append(Problem("datapackage.json", None, None, None, "file is missing"))
    except (ValueError, KeyError, TypeError) as exc:
        problems.append(Problem("datapackage.json", None, None, None, f"not a data package with resources {TABLES}: {exc!r}"))
    return None


# --------------------------------------------------------------------------- checks


def _parse_published(text: str, precision: str) -> tuple[datetime | None, datetime | None, datetime | None, str | None]:
    """Return (published_at, span start, span end, problem) for a publication time string."""
    pattern = _PUBLISHED.get(precision)
    if pattern is None:
        return None, None, None, f"unknown precision {precision!r}"
    if not pattern.fullmatch(text):
        return None, None, None, f"does not parse as an ISO time of precision {precision!r}"
    try:
        if precision == "year":
            start = datetime(int(text), 1, 1, tzinfo=_TZ)
            return None, start, datetime(start.year + 1, 1, 1, tzinfo=_TZ), None
        if precision == "month":
            y, m = map(int, text.split("-"))
            start = datetime(y, m, 1, tzinfo=_TZ)
            end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=_TZ)
            return None, start, end, None
        if precision == "day":
            d = datetime.fromisoformat(text).replace(tzinfo=_TZ)
            return d + timedelta(hours=12), d, d + timedelta(days=1), None
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
        at = at.replace(tzinfo=_TZ) if at.tzinfo is None else at.astimezone(_TZ)
        return at, at, at, None
    except ValueError as exc:
        return None, None, None, f"not a valid date: {exc}"


def _check_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return "not an http(s) URL"
    return None


def _check_fields(name: str, rows: list[dict[str, str]], schema: dict, problems: list[Problem]) -> None:
    fname = f"{name}.csv"
    fields = schema["fields"]
    pk = schema.get("primaryKey")
    pk = [pk] if isinstance(pk, str) else (pk or [])
    seen: dict[str, dict[str, int]] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique") or f["name"] in pk}
    for i, row in enumerate(rows, start=1):
        for f in fields:
            col, value = f["name"], row.get(f["name"], "")
            cons = f.get("constraints", {})
            if _MOJIBAKE.search(value):
                problems.append(Problem(fname, i, col, value, "broken encoding (mojibake such as 'Ã¼' for 'ü')"))
            if value.strip() != value and value.strip():
                problems.append(Problem(fname, i, col, value, "leading or trailing white space"))
            if not value.strip():
                if cons.get("required") or col in pk:
                    problems.append(Problem(fname, i, col, value, "required value is empty"))
                continue
            ftype = f.get("type", "string")
            if ftype == "number" and not _NUMBER.fullmatch(value):
                reason = "decimal comma or thousands separator; numbers use a decimal point" if re.fullmatch(r"-?[\d.]+,\d+|-?\d{1,3}(\.\d{3})+", value) else "not a number"
                problems.append(Problem(fname, i, col, value, reason))
            if ftype == "integer" and not _INTEGER.fullmatch(value):
                problems.append(Problem(fname, i, col, value, "not an integer"))
            if "enum" in cons and value not in cons["enum"]:
                problems.append(Problem(fname, i, col, value, f"not one of {cons['enum']}"))
            if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
                problems.append(Problem(fname, i, col, value, f"does not match pattern {cons['pattern']}"))
            if "maxLength" in cons and len(value) > cons["maxLength"]:
                problems.append(Problem(fname, i, col, value, f"longer than {cons['maxLength']} characters"))
            if col in seen:
                if value in seen[col]:
                    problems.append(Problem(fname, i, col, value, f"duplicate id (first in row {seen[col][value]})"))
                else:
                    seen[col][value] = i


def _check_sources(rows: list[dict[str, str]], problems: list[Problem]) -> None:
    for i, row in enumerate(rows, start=1):
        if row.get("url", "").strip():
            reason = _check_url(row["url"])
            if reason:
                problems.append(Problem("sources.csv", i, "url", row["url"], reason))
        if row.get("published", "").strip() and row.get("published_precision", "").strip():
            *_, reason = _parse_published(row["published"], row["published_precision"])
            if reason:
                problems.append(Problem("sources.csv", i, "published", row["published"], reason))


def _check_claims(name: str, rows: list[dict[str, str]], source_ids: set[str], claim_seen: dict[str, str],
                  problems: list[Problem]) -> None:
    fname = f"{name}.csv"
    for i, row in enumerate(rows, start=1):
        cid, sid = row.get("claim_id", ""), row.get("source_id", "")
        if sid and sid not in source_ids:
            problems.append(Problem(fname, i, "source_id", sid, "unknown source id (not in sources.csv)"))
        if cid:
            if not cid.startswith(f"{sid}#"):
                problems.append(Problem(fname, i, "claim_id", cid, "claim id must be '<source_id>#<n>' of its own source"))
            where = f"{fname} row {i}"
            if cid in claim_seen and not claim_seen[cid].startswith(fname):
                problems.append(Problem(fname, i, "claim_id", cid, f"duplicate claim id (also {claim_seen[cid]})"))
            claim_seen.setdefault(cid, where)
        quote = row.get("quote", "")
        if quote and len(quote.split()) > MAX_QUOTE_WORDS:
            problems.append(Problem(fname, i, "quote", quote, f"quote has {len(quote.split())} words; at most {MAX_QUOTE_WORDS}"))
        if name == "counts":
            value, text = row.get("value", "").strip(), row.get("value_text", "").strip()
            if value and not text:
                problems.append(Problem(fname, i, "value_text", text, "a value needs its verbatim German figure text"))
            if value and text and _NUMBER.fullmatch(value) and figure_agrees(float(value), text) is False:
                problems.append(Problem(fname, i, "value", value,
                                        f"disagrees with its figure text {text!r} (which states {german_numbers(text)})"))


# --------------------------------------------------------------------------- typed frames


def _frame(rows: list[dict[str, str]], schema: dict) -> pd.DataFrame:
    cols = [f["name"] for f in schema["fields"]]
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    df = df.where(df.map(lambda v: isinstance(v, str) and v.strip() != ""), None)
    for f in schema["fields"]:
        if f.get("type") in ("number", "integer"):
            df[f["name"]] = pd.to_numeric(df[f["name"]], errors="raise").astype("float64")
    return df


def _check_vocabulary(rows: dict, incident, problems: list[Problem]) -> None:
    """Platform ids, causes and units must be known to the descriptor and the label table."""
    from incident import labels

    known = set(incident.platform_ids) | set(incident.context_ids)
    causes = {**labels.CAUSES, **incident.labels.get("causes", {})}
    units = {**labels.UNITS, **incident.labels.get("units", {})}
    for name in CLAIM_TABLES:
        for i, row in enumerate(rows.get(name) or [], start=1):
            for pid in (x.strip() for x in row.get("platform", "").split(";")):
                if pid and pid not in known:
                    problems.append(Problem(f"{name}.csv", i, "platform", pid,
                                            "platform id not in incident.yaml (platforms or context_ids)"))
            for cause in (x.strip() for x in row.get("cause", "").split(";")):
                if cause and cause not in causes:
                    problems.append(Problem(f"{name}.csv", i, "cause", cause,
                                            "cause has no German label (incident.labels.CAUSES or incident.yaml labels)"))
            unit = row.get("unit", "").strip()
            if unit and unit not in units:
                problems.append(Problem(f"{name}.csv", i, "unit", unit,
                                        "unit has no German label (incident.labels.UNITS or incident.yaml labels)"))


def load_incident(paths: Paths | None = None, *, incident=None) -> Evidence:
    """Load and validate every raw table of an incident.

    Args:
        paths: The incident's paths (default: :func:`incident.config.paths`).

    Returns:
        The typed tables as :class:`Evidence`.

    Raises:
        ValidationError: Listing every problem found (file, row, column, value, reason).
    """
    from incident.evidence.descriptor import load_descriptor

    p = paths or make_paths()
    problems: list[Problem] = []
    if incident is None:
        incident = load_descriptor(p)
    resources = _descriptor(p, problems)
    if resources is None:
        raise ValidationError(problems)
    rows: dict[str, list[dict[str, str]] | None] = {}
    for t in TABLES:
        schema = resources[t]["schema"]
        rows[t] = _read_table(p.raw / f"{t}.csv", t, [f["name"] for f in schema["fields"]], problems)
        if rows[t] is not None:
            _check_fields(t, rows[t], schema, problems)
    source_ids = {r["source_id"] for r in rows["sources"] or [] if r.get("source_id")}
    if rows["sources"] is not None:
        _check_sources(rows["sources"], problems)
    claim_seen: dict[str, str] = {}
    for t in CLAIM_TABLES:
        if rows[t] is not None:
            _check_claims(t, rows[t], source_ids, claim_seen, problems)
    _check_vocabulary(rows, incident, problems)
    if problems:
        raise ValidationError(problems)

    frames = {t: _frame(rows[t], resources[t]["schema"]) for t in TABLES}
    src = frames["sources"]
    spans = [_parse_published(a, b)[:3] for a, b in zip(src["published"], src["published_precision"])]
    src["published_at"] = pd.to_datetime([s[0] for s in spans], utc=True).tz_convert(TIMEZONE)
    src["published_start"] = pd.to_datetime([s[1] for s in spans], utc=True).tz_convert(TIMEZONE)
    src["published_end"] = pd.to_datetime([s[2] for s in spans], utc=True).tz_convert(TIMEZONE)
    return Evidence(
        incident=p.incident,
        raw_rows={t: len(rows[t]) for t in TABLES},
        **{t: frames[t].sort_values(frames[t].columns[0], ignore_index=True) for t in TABLES},
    )


def main(argv: list[str] | None = None) -> int:
    """Validate an incident's raw tables: ``python -m incident.evidence.load --incident ID``.

    Returns:
        0 when valid; 1 with every problem printed to stderr otherwise.
    """
    ap = argparse.ArgumentParser(prog="python -m incident.evidence.load", description=main.__doc__)
    ap.add_argument("--incident", default=None, help="incident id (default: schulstart-2021)")
    args = ap.parse_args(argv)
    p = make_paths(args.incident)
    try:
        ev = load_incident(p)
    except ValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    counts = ", ".join(f"{t} {n}" for t, n in ev.raw_rows.items())
    print(f"{p.incident}: valid ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
