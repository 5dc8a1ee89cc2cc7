"""The parser measured against readings it did not produce.

1. ``tests/fixtures/timeexpr_independent.csv``: 242 real phrase combinations of the shipped
   incident, annotated by a separate pass from the conventions in ``docs/timeexpr.md`` alone,
   without reading or running the parser. This replaces the fixture rows that were drafted
   from the parser's own output as the accuracy measure. Plus 30 constructed rows of issue 19
   (date ranges and lists, typed dates, a day without a month, "seit dem"/"bis einschließlich", two times in one phrase,
   a sentence as the day phrase, day-level degrade; ``claim_id`` "constructed (issue 19)"),
   annotated from the documented conventions before the parser could read them (one annotation,
   "am Montagmorgen | um 14 Uhr", contradicted the documented rule that the time phrase's time of day
   wins, and was corrected after measuring: see its note).
2. The dossier's ``dossier_day``: the compiler's reading of the day of each claim, an
   unchecked but independent input. The parser's span for the claim (with the incident's
   calendar anchors, as the pipeline reads it) should contain that day.

The floors are set a little below what was measured when they were written (239 of 242; with
the issue-19 rows 269 of 272, the same three real rows differing; and the day agreement printed by
the test), so a regression fails and noise does not.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from incident import config
from incident.evidence.descriptor import load_descriptor
from incident.timeexpr import anchors_from_descriptor, parse_parts

HERE = Path(__file__).resolve().parent
ANNOTATED = HERE / "fixtures" / "timeexpr_independent.csv"
INCIDENT = "schulstart-2021"
#: Share of the independent annotations the parser must agree with (measured: 269 / 272).
ACCURACY_FLOOR = 0.97
#: Share of claims with a single-day dossier reading whose span contains that day (measured: 200 / 246).
DOSSIER_FLOOR = 0.78


def _agree(row: dict) -> bool:
    span = parse_parts(row["day_text"] or None, row["time_text"] or None, row["reference"])
    resolved = span.start is not None
    if resolved != (row["resolves"] == "true"):
        return False
    if not resolved:
        return True
    return pd.Timestamp(span.start) == pd.Timestamp(row["start"]) and pd.Timestamp(span.end) == pd.Timestamp(row["end"])


def test_parser_agrees_with_the_independent_annotations():
    with ANNOTATED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 100
    wrong = [(r["day_text"], r["time_text"], r["reference"]) for r in rows if not _agree(r)]
    accuracy = 1 - len(wrong) / len(rows)
    print(f"independent annotations: {len(rows) - len(wrong)} of {len(rows)} agree ({accuracy:.1%}); differ: {wrong}")
    assert accuracy >= ACCURACY_FLOOR, wrong


def test_a_wrong_parser_would_fail_the_accuracy_test():
    """The measure can fail: shifting every span by an hour drops the agreement far below the floor."""
    with ANNOTATED.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["resolves"] == "true"]
    shifted = 0
    for r in rows:
        span = parse_parts(r["day_text"] or None, r["time_text"] or None, r["reference"])
        if span.start is not None and pd.Timestamp(span.start) + pd.Timedelta(hours=1) == pd.Timestamp(r["start"]):
            shifted += 1
    assert shifted / len(rows) < 1 - ACCURACY_FLOOR


def test_parser_days_agree_with_the_dossier_reading():
    p = config.paths(INCIDENT)
    desc = load_descriptor(p)
    sources = {r["source_id"]: r for r in csv.DictReader((p.raw / "sources.csv").open(encoding="utf-8", newline=""))}
    n = agree = 0
    for table in ("timeline", "counts", "statements"):
        for row in csv.DictReader((p.raw / f"{table}.csv").open(encoding="utf-8", newline="")):
            day = row.get("dossier_day", "")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) or not (row["day_text"] or row["time_text"]):
                continue
            src = sources[row["source_id"]]
            ref = src["published"]
            anchors = anchors_from_descriptor(desc.anchors, src.get("region") or None)
            span = parse_parts(row["day_text"] or None, row["time_text"] or None, ref, anchors=anchors)
            n += 1
            if span.start is None:
                continue
            start = pd.Timestamp(span.start).date().isoformat()
            end = pd.Timestamp(span.end)
            last = (end - pd.Timedelta(microseconds=1)) if end > pd.Timestamp(span.start) else end
            agree += start <= day <= last.date().isoformat()
    share = agree / n
    print(f"dossier day agreement: {agree} of {n} ({share:.1%})")
    assert n >= 150
    assert share >= DOSSIER_FLOOR


@pytest.mark.parametrize("phrase, expected", [("gegen 8 Uhr", ("07:30", "08:30")), ("am Mittag", ("11:30", "13:30"))])
def test_annotation_conventions_spot_check(phrase, expected):
    """Two conventions the annotator applied, stated once more from docs/timeexpr.md."""
    span = parse_parts(None, phrase, "2030-03-11")
    assert (span.start.strftime("%H:%M"), span.end.strftime("%H:%M")) == expected
