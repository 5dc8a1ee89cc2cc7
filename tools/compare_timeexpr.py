"""Score incident.timeexpr and dateparser on the fixture phrases, side by side.

Usage::

    python tools/compare_timeexpr.py            # print the Markdown table
    python tools/compare_timeexpr.py --write    # also replace the table in docs/timeexpr.md

Scoring (per phrase of ``tests/fixtures/timeexpr_phrases.csv``; pair rows are given to
dateparser as ``"<day_text> <time_text>"``):

* ours: our span equals the expected span exactly (start, end, kind), or both are unresolved.
* dateparser strict: dateparser returns a single datetime, so it is right only where the
  expected span is a point and equal, or where it returns nothing for a phrase that has
  no defensible span.
* dateparser lenient: its datetime lies inside the expected span (inclusive), or it
  returns nothing for an unresolvable phrase.
* dateparser with period: ``DateDataParser.get_date_data`` also says the period it
  recognised (time, day, week, month, year); read as a span and compared exactly.
* dateparser.search lenient: the first date ``search_dates`` finds in the phrase, lenient.

dateparser settings: languages ``['de']``, ``RELATIVE_BASE`` = the reference as Berlin wall
time (a date-only reference at 12:00, a month at its first day 12:00, a year at 1 January
12:00), ``PREFER_DATES_FROM = 'past'``, ``TIMEZONE = 'Europe/Berlin'``,
``RETURN_AS_TIMEZONE_AWARE = True``.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import re
import sys
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from incident.timeexpr import BERLIN, parse, parse_parts, parse_reference

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "timeexpr_phrases.csv"
DOC = ROOT / "docs" / "timeexpr.md"
#: The shipped incident whose raw-table phrases the fixture covers (data/raw/ holds several incidents).
INCIDENT = "schulstart-2021"
START, END = "<!-- comparison:start -->", "<!-- comparison:end -->"


def _relative_base(reference: str) -> datetime:
    ref = parse_reference(reference)
    if ref.moment is not None:
        return ref.moment.replace(tzinfo=None)
    if ref.day is not None:
        return datetime(ref.day.year, ref.day.month, ref.day.day, 12)
    return datetime(ref.year, ref.month or 1, 1, 12)


def dateparser_settings(reference: str) -> dict:
    """Settings used for every dateparser call (see module docstring)."""
    return {
        "RELATIVE_BASE": _relative_base(reference),
        "PREFER_DATES_FROM": "past",
        "TIMEZONE": "Europe/Berlin",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }


def dateparser_point(text: str, reference: str) -> datetime | None:
    """dateparser.parse on the phrase; ``None`` when it finds nothing."""
    import dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dateparser.parse(text, languages=["de"], settings=dateparser_settings(reference))


def dateparser_search_point(text: str, reference: str) -> datetime | None:
    """First hit of dateparser.search.search_dates; ``None`` when it finds nothing."""
    from dateparser.search import search_dates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            hits = search_dates(text, languages=["de"], settings=dateparser_settings(reference))
        except Exception:
            return None
    return hits[0][1] if hits else None


def dateparser_period_span(text: str, reference: str) -> tuple[datetime, datetime] | None:
    """dateparser's date and recognised period read as a span (time = point)."""
    from dateparser.date import DateDataParser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = DateDataParser(languages=["de"], settings=dateparser_settings(reference)).get_date_data(text)
    dt = data.date_obj
    if dt is None:
        return None
    dt = dt.astimezone(BERLIN)
    period = data.period or "day"
    if period == "time":
        return dt, dt
    day0 = datetime(dt.year, dt.month, dt.day, tzinfo=BERLIN)
    if period == "day":
        return day0, datetime.combine(day0.date() + timedelta(days=1), datetime.min.time(), BERLIN)
    if period == "week":
        mon = day0.date() - timedelta(days=day0.weekday())
        return (
            datetime.combine(mon, datetime.min.time(), BERLIN),
            datetime.combine(mon + timedelta(days=7), datetime.min.time(), BERLIN),
        )
    if period == "month":
        last = calendar.monthrange(dt.year, dt.month)[1]
        return (
            datetime(dt.year, dt.month, 1, tzinfo=BERLIN),
            datetime.combine(datetime(dt.year, dt.month, last).date() + timedelta(days=1), datetime.min.time(), BERLIN),
        )
    if period == "year":
        return datetime(dt.year, 1, 1, tzinfo=BERLIN), datetime(dt.year + 1, 1, 1, tzinfo=BERLIN)
    return dt, dt


@dataclass
class Score:
    """Counts of right answers in one group of phrases."""

    n: int = 0
    ours: int = 0
    dp_strict: int = 0
    dp_lenient: int = 0
    dp_period: int = 0
    dps_lenient: int = 0


def _same(a: datetime | None, b: datetime | None) -> bool:
    return a is None and b is None or (a is not None and b is not None and a == b)


def score_row(row: dict) -> dict:
    """Score every tool on one fixture row; returns booleans per tool."""
    exp_s = datetime.fromisoformat(row["expected_start"]) if row["expected_start"] else None
    exp_e = datetime.fromisoformat(row["expected_end"]) if row["expected_end"] else None
    ref = row["reference"]
    if row["text"] or not (row["day_text"] or row["time_text"]):
        text = row["text"]
        ours = parse(text, ref)
    else:
        text = f"{row['day_text']} {row['time_text']}".strip()
        ours = parse_parts(row["day_text"], row["time_text"], ref)
    ours_ok = _same(ours.start, exp_s) and _same(ours.end, exp_e) and (ours.kind or "") == row["expected_kind"]
    point = dateparser_point(text, ref) if text.strip() else None
    spoint = dateparser_search_point(text, ref) if text.strip() else None
    span = dateparser_period_span(text, ref) if text.strip() else None
    if exp_s is None:
        strict = lenient = point is None
        period_ok = span is None
        s_len = spoint is None
    else:
        strict = point is not None and exp_s == exp_e == point
        lenient = point is not None and exp_s <= point <= exp_e
        period_ok = span is not None and span == (exp_s, exp_e)
        s_len = spoint is not None and exp_s <= spoint <= exp_e
    return {
        "text": text,
        "ours": ours_ok,
        "dp_strict": strict,
        "dp_lenient": lenient,
        "dp_period": period_ok,
        "dps_lenient": s_len,
        "dateparser": point,
    }


def compare(fixture: Path = FIXTURE) -> tuple[dict[str, Score], list[dict]]:
    """Score all fixture rows; returns scores per group and the per-row results."""
    with fixture.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    groups = {
        "all phrases": Score(),
        "raw-table phrases": Score(),
        "own phrases": Score(),
        "resolvable (expected span given)": Score(),
        "expected point (exact)": Score(),
        "unresolvable (expected: no span)": Score(),
    }
    results = []
    for row in rows:
        res = score_row(row)
        results.append(res)
        names = [
            "all phrases",
            "own phrases" if row["origin"] == "own" else "raw-table phrases",
            "resolvable (expected span given)" if row["expected_start"] else "unresolvable (expected: no span)",
        ]
        if row["expected_kind"] == "exact":
            names.append("expected point (exact)")
        for name in names:
            sc = groups[name]
            sc.n += 1
            for key in ("ours", "dp_strict", "dp_lenient", "dp_period", "dps_lenient"):
                setattr(sc, key, getattr(sc, key) + int(res[key]))
    return groups, results


def dossier_agreement(results: list[dict], fixture: Path = FIXTURE) -> dict[str, int]:
    """Day-level check against an independent reading: the dossier's ``dossier_day``.

    For raw-table rows whose claim has a single ``dossier_day`` (YYYY-MM-DD), count the
    rows where the tool's answer falls on that day (ours: the day lies inside the span;
    dateparser: its datetime is on that day). Unresolved answers count as not agreeing.
    """
    from incident.config import paths

    day_of: dict[str, str] = {}
    for name in ("timeline.csv", "counts.csv", "statements.csv"):
        path = paths(INCIDENT).raw / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                day_of.update({r["claim_id"]: r.get("dossier_day", "") for r in csv.DictReader(fh)})
    with fixture.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {"n": 0, "ours": 0, "dateparser": 0}
    for row, res in zip(rows, results):
        day = day_of.get(row["origin"].split(" ")[0], "")
        if row["origin"] == "own" or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
            continue
        out["n"] += 1
        if row["expected_start"]:
            s = datetime.fromisoformat(row["expected_start"]).date().isoformat()
            e = datetime.fromisoformat(row["expected_end"])
            last = (
                (e - timedelta(microseconds=1)).date().isoformat()
                if e.time() == datetime.min.time() and row["expected_start"] != row["expected_end"]
                else e.date().isoformat()
            )
            out["ours"] += int(s <= day <= last)
        point = res["dateparser"]
        out["dateparser"] += int(point is not None and point.astimezone(BERLIN).date().isoformat() == day)
    return out


def markdown(groups: dict[str, Score]) -> str:
    """The side-by-side table in Markdown."""

    def cell(k: int, n: int) -> str:
        return f"{k} ({100 * k / n:.0f} %)" if n else "–"

    lines = [
        (
            "| phrases | n | incident.timeexpr | dateparser strict | dateparser lenient | "
            "dateparser + period | dateparser.search lenient |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, sc in groups.items():
        lines.append(
            f"| {name} | {sc.n} | {cell(sc.ours, sc.n)} | {cell(sc.dp_strict, sc.n)} | "
            f"{cell(sc.dp_lenient, sc.n)} | {cell(sc.dp_period, sc.n)} | {cell(sc.dps_lenient, sc.n)} |"
        )
    return "\n".join(lines)


def write_doc(table: str, doc: Path = DOC) -> None:
    """Replace the table between the comparison markers in ``docs/timeexpr.md``."""
    text = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{doc}: markers {START} … {END} not found")
    doc.write_text(pattern.sub(lambda _m: f"{START}\n{table}\n{END}", text), encoding="utf-8")


def draft_missing(fixture: Path = FIXTURE) -> list[dict]:
    """Fixture rows (parser output, to be reviewed by hand) for raw-table phrases not yet in the fixture."""
    from incident.config import paths

    raw = paths(INCIDENT).raw
    with fixture.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["origin"] != "own"]
    have_pairs = {(r["day_text"], r["time_text"], r["reference"]) for r in rows if not r["text"]}
    have_said = {(r["text"], r["reference"]) for r in rows if r["text"]}
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        published = {r["source_id"]: r["published"] for r in csv.DictReader(fh)}
    out: dict[tuple, dict] = {}
    for name in ("timeline.csv", "counts.csv", "statements.csv"):
        with (raw / name).open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                ref = published.get(r["source_id"], "")
                key = (r.get("day_text") or "", r.get("time_text") or "", ref)
                if (key[0] or key[1]) and key not in have_pairs and key not in out:
                    span = parse_parts(key[0], key[1], ref)
                    out[key] = _draft_row("", key[0], key[1], ref, span, r["claim_id"])
                said = r.get("said_text") or ""
                if said and (said, ref) not in have_said and ("said", said, ref) not in out:
                    out[("said", said, ref)] = _draft_row(
                        said, "", "", ref, parse(said, ref), r["claim_id"] + " said_text"
                    )
    return list(out.values())


def _draft_row(text: str, day_text: str, time_text: str, ref: str, span, origin: str) -> dict:
    return {
        "text": text,
        "day_text": day_text,
        "time_text": time_text,
        "reference": ref,
        "expected_start": span.start.isoformat() if span.start else "",
        "expected_end": span.end.isoformat() if span.end else "",
        "expected_kind": span.kind or "",
        "origin": origin,
        "comment": span.reason or "",
    }


def main(argv: list[str] | None = None) -> int:
    """Print the comparison; ``--write`` puts it into docs/timeexpr.md."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="replace the table in docs/timeexpr.md")
    ap.add_argument("--rows", action="store_true", help="also print one line per phrase")
    ap.add_argument(
        "--draft-missing",
        action="store_true",
        help="print CSV rows for raw-table phrases missing from the fixture (review before adding)",
    )
    args = ap.parse_args(argv)
    if args.draft_missing:
        rows = draft_missing()
        w = csv.DictWriter(
            sys.stdout,
            fieldnames=[
                "text",
                "day_text",
                "time_text",
                "reference",
                "expected_start",
                "expected_end",
                "expected_kind",
                "origin",
                "comment",
            ],
        )
        w.writerows(rows)
        print(f"{len(rows)} missing phrase(s)", file=sys.stderr)
        return 0
    groups, results = compare()
    table = markdown(groups)
    agree = dossier_agreement(results)
    if agree["n"]:
        n = agree["n"]
        table += (
            "\n\nDay-level agreement with the dossier's independent reading of the day (`dossier_day`, "
            f"raw-table rows with a single day, n = {n}): incident.timeexpr {agree['ours']} "
            f"({100 * agree['ours'] / n:.0f} %), dateparser {agree['dateparser']} "
            f"({100 * agree['dateparser'] / n:.0f} %)."
        )
    print(table)
    if args.rows:
        for r in results:
            print(
                f"{'Y' if r['ours'] else 'n'} dp:{'Y' if r['dp_strict'] else 'n'}"
                f"{'Y' if r['dp_lenient'] else 'n'}{'Y' if r['dp_period'] else 'n'} "
                f"{r['text'][:60]!r} -> {r['dateparser']}"
            )
    if args.write:
        write_doc(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
