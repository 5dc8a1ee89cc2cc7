"""Tests of :mod:`incident.timeexpr` (German time phrases to time intervals).

Speed is measured by ``make bench`` (``bench/bench_timeexpr.py``), not asserted here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident import timeexpr
from incident.config import paths
from incident.errors import TimeExpressionError
from incident.timeexpr import (
    KINDS,
    MAX_CHARS,
    Anchors,
    DayAnchor,
    TimeAnchor,
    TimeSpan,
    anchors_from_descriptor,
    parse,
    parse_parts,
    parse_reference,
)

FIXTURE = Path(__file__).parent / "fixtures" / "timeexpr_phrases.csv"
#: The shipped incident whose raw-table phrases the fixture covers (named: data/raw/ holds several incidents).
FIXTURE_INCIDENT = "schulstart-2021"
REF = "2021-01-12T09:30:00+01:00"
# Shared 2-core machine: no per-example deadline, no "too slow" health check.
RELAXED = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

# Calendar anchors of a GENERATED school calendar (no incident's facts): school starts again on
# Monday 7 January 2030 in "Testland" and on Thursday 10 January 2030 in "Nord-Land"; lessons begin
# between 07:45 and 08:15. The words are the kind an incident descriptor gives.
GENERATED_BLOCK = {
    "days": {
        "schulstart": {
            "about": "generated: first school day after the winter holidays 2029/30",
            "names": ["Schulstart", "Schulstarts", "Schulbeginn"],
            "counted": ["Schultag", "Homeschooling-Tag", "Tag"],
            "follows": ["Ferien", "Weihnachtsferien", "Schulferien"],
            "by_region": {"Testland": date(2030, 1, 7), "Nord-Land": "2030-01-10"},
        }
    },
    "times": {"unterrichtsbeginn": {"names": ["Unterrichtsbeginn", "Unterrichtsbeginns"], "span": ["07:45", "08:15"]}},
}
GENERATED = anchors_from_descriptor(GENERATED_BLOCK, "Testland")
GENERATED_REF = "2030-01-09T10:00:00+01:00"  # a Wednesday


def _rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(row: dict) -> TimeSpan:
    if row["text"] or not (row["day_text"] or row["time_text"]):
        return parse(row["text"], row["reference"])
    return parse_parts(row["day_text"], row["time_text"], row["reference"])


def _iso(x: datetime | None) -> str:
    return "" if x is None else x.isoformat()


# --------------------------------------------------------------------------- fixture table
ROWS = _rows()


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{i}:{r['text'] or r['day_text'] + '|' + r['time_text']}" for i, r in enumerate(ROWS)]
)
def test_fixture_phrase(row):
    got = _run(row)
    assert (_iso(got.start), _iso(got.end), got.kind or "") == (
        row["expected_start"],
        row["expected_end"],
        row["expected_kind"],
    ), got.reason
    if row["expected_start"]:
        assert got.reason is None
    else:
        assert got.reason, "an unresolved phrase must say why"


def test_fixture_size():
    raw = [r for r in ROWS if r["origin"] != "own"]
    own = [r for r in ROWS if r["origin"] == "own"]
    assert len(raw) >= 175 + 17  # distinct (day_text, time_text, reference) + said_text phrases
    assert len(own) >= 40


# --------------------------------------------------------------------------- raw tables
def _raw_phrases() -> tuple[set, set]:
    raw = paths(FIXTURE_INCIDENT).raw
    assert (raw / "sources.csv").exists(), f"the shipped raw tables are missing from {raw}"
    with (raw / "sources.csv").open(encoding="utf-8", newline="") as fh:
        published = {r["source_id"]: r["published"] for r in csv.DictReader(fh)}
    pairs, said = set(), set()
    for name in ("timeline.csv", "counts.csv", "statements.csv"):
        path = raw / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                ref = published.get(r["source_id"], "")
                if r.get("day_text") or r.get("time_text"):
                    pairs.add((r.get("day_text") or "", r.get("time_text") or "", ref))
                if r.get("said_text"):
                    said.add((r["said_text"], ref))
    return pairs, said


def test_every_raw_phrase_resolves_or_says_why():
    pairs, said = _raw_phrases()
    assert pairs
    for day_text, time_text, ref in pairs:
        span = parse_parts(day_text, time_text, ref)
        assert span.resolved or span.reason, (day_text, time_text, ref)
    for text, ref in said:
        span = parse(text, ref)
        assert span.resolved or span.reason, (text, ref)


def test_every_raw_phrase_is_in_the_fixture():
    """A new day/time phrase in the raw tables needs an expected span in the fixture.

    Draft rows for missing phrases: ``python tools/compare_timeexpr.py --draft-missing`` (review them!).
    """
    pairs, said = _raw_phrases()
    raw_rows = [r for r in ROWS if r["origin"] != "own"]
    have_pairs = {(r["day_text"], r["time_text"], r["reference"]) for r in raw_rows if not r["text"]}
    have_said = {(r["text"], r["reference"]) for r in raw_rows if r["text"]}
    assert not (pairs - have_pairs), sorted(pairs - have_pairs)[:10]
    assert not (said - have_said), sorted(said - have_said)[:10]


# --------------------------------------------------------------------------- conventions
def test_result_is_frozen_and_serialises():
    span = parse("gegen 14 Uhr", REF)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = None  # type: ignore[misc]
    d = span.to_dict()
    assert d == {
        "text": "gegen 14 Uhr",
        "start": "2021-01-12T13:30:00+01:00",
        "end": "2021-01-12T14:30:00+01:00",
        "kind": "approx",
        "reason": None,
        "note": None,
    }
    assert span.start.tzinfo.key == "Europe/Berlin"


def test_unresolved_has_no_guess():
    span = parse("zum Schulstart", REF)
    assert (span.start, span.end, span.kind) == (None, None, None)
    assert "Schulstart" in span.reason


@pytest.mark.parametrize("filler", ["erst", "bereits", "schon", "noch"])
def test_fillers_do_not_change_the_span(filler):
    plain = parse("gegen 14 Uhr", REF)
    filled = parse(f"{filler} gegen 14 Uhr", REF)
    assert (filled.start, filled.end, filled.kind) == (plain.start, plain.end, plain.kind)


def test_capital_morgen_is_morning_lower_case_is_tomorrow():
    assert parse("Morgen", REF).kind == "part_of_day"
    assert parse("morgen", REF).start.date() == date(2021, 1, 13)
    assert parse("heute morgen", REF).kind == "part_of_day"


def test_weekday_on_the_reference_day_is_that_day():
    assert parse("am Dienstag", REF).start.date() == date(2021, 1, 12)
    assert parse("am Mittwoch", REF).start.date() == date(2021, 1, 6)


def test_nacht_zu_spans_midnight():
    span = parse("in der Nacht zu Dienstag", "2021-01-13")
    assert span.start == datetime(2021, 1, 11, 22, tzinfo=timeexpr.BERLIN)
    assert span.end == datetime(2021, 1, 12, 6, tzinfo=timeexpr.BERLIN)


@pytest.mark.parametrize("phrase", ["abends um 10 Uhr", "um 10 Uhr abends", "heute abends um 10 Uhr"])
def test_evening_shifts_a_twelve_hour_clock_time(phrase):
    """ "abends um 10 Uhr" is 22:00 on the reference day, not 10:00 (the evening shift)."""
    span = parse(phrase, REF)
    assert span.kind == "exact"
    assert span.start == span.end == datetime(2021, 1, 12, 22, tzinfo=timeexpr.BERLIN)


def test_without_the_evening_ten_uhr_stays_in_the_morning():
    assert parse("um 10 Uhr", REF).start == datetime(2021, 1, 12, 10, tzinfo=timeexpr.BERLIN)
    assert parse("morgens um 10 Uhr", REF).start == datetime(2021, 1, 12, 10, tzinfo=timeexpr.BERLIN)
    assert parse("abends um 22 Uhr", REF).start == datetime(2021, 1, 12, 22, tzinfo=timeexpr.BERLIN)


def test_dst_arithmetic_is_done_in_berlin():
    # Subtracting two datetimes of the same ZoneInfo gives wall-clock time: compare in UTC.
    spring = parse("in der Nacht zu Sonntag", "2021-03-28")
    assert spring.end.astimezone(UTC) - spring.start.astimezone(UTC) == timedelta(hours=7)
    autumn = parse("in der Nacht zu Sonntag", "2021-10-31")
    assert autumn.end.astimezone(UTC) - autumn.start.astimezone(UTC) == timedelta(hours=9)
    assert parse("am Sonntag", "2021-03-28").end.utcoffset() == timedelta(hours=2)


def test_weekday_and_date_must_agree():
    assert parse("am Montag (11. Januar)", REF).resolved
    bad = parse("am Montag (12. Januar)", REF)
    assert not bad.resolved and "disagree" in bad.reason


def test_long_phrase_is_reported_not_scanned():
    span = parse("am Montag " * 100, REF)
    assert not span.resolved and str(MAX_CHARS) in span.reason


# --------------------------------------------------------------------------- parse_parts
def test_parse_parts_applies_time_on_the_named_day():
    span = parse_parts("am Montag", "gegen 14 Uhr", REF)
    assert (span.start.isoformat(), span.end.isoformat(), span.kind) == (
        "2021-01-11T13:30:00+01:00",
        "2021-01-11T14:30:00+01:00",
        "approx",
    )
    assert span.text == "am Montag | gegen 14 Uhr"


@pytest.mark.parametrize(
    ("time_text", "start"),
    [
        # a clock after midnight on a plain day: that date's early hours (a dpa text of that very day said it)
        ("Um 3 Uhr nachts", "2021-01-11T03:00:00+01:00"),
        ("gegen 3.00 Uhr nachts", "2021-01-11T02:30:00+01:00"),
        # before midnight the night is the day's own evening, as before
        ("um 23 Uhr nachts", "2021-01-11T23:00:00+01:00"),
        # a part of the day without a clock is still the night after the day
        ("nachts", "2021-01-11T22:00:00+01:00"),
    ],
)
def test_a_clock_after_midnight_on_a_named_day_is_that_days_early_hours(time_text, start):
    span = parse_parts("am Montag", time_text, REF)
    assert span.start.isoformat() == start


def test_parse_parts_time_phrase_wins_over_day_part():
    span = parse_parts("am Montagmorgen", "am Mittag", REF)
    assert span.start.hour == 11 and span.start.minute == 30


def test_parse_parts_conflicting_days():
    span = parse_parts("am Dienstag", "Montagmorgen", REF)
    assert not span.resolved and "different days" in span.reason


def test_parse_parts_time_without_time_falls_back_to_day_with_note():
    span = parse_parts("Am Montagmorgen", "eine Stunde lang", REF)
    assert span.kind == "part_of_day" and "names no time" in span.note


def test_parse_parts_single_or_none():
    assert parse_parts(None, "gegen 14 Uhr", REF) == parse("gegen 14 Uhr", REF)
    assert parse_parts("am Montag", "", REF) == parse("am Montag", REF)
    assert not parse_parts(None, None, REF).resolved


# --------------------------------------------------------------------------- references
def test_reference_forms():
    assert parse("heute", date(2021, 1, 12)) == parse("heute", "2021-01-12")
    utc = datetime(2021, 1, 11, 23, 30, tzinfo=UTC)  # 00:30 on the 12th in Berlin
    assert parse("heute", utc).start.date() == date(2021, 1, 12)
    assert parse_reference("2021-01").precision == "month"
    assert parse_reference("2021").precision == "year"


@pytest.mark.parametrize("bad", [datetime(2021, 1, 12, 9, 30), "2021-01-12T09:30", "gestern", "2021-13", 12])
def test_bad_reference_raises(bad):
    with pytest.raises(TimeExpressionError):
        parse("heute", bad)


def test_date_only_reference_moment_extends_to_end_of_day():
    span = parse("Inzwischen", "2021-01-12")
    assert span.kind == "day" and span.end == datetime(2021, 1, 13, tzinfo=timeexpr.BERLIN)
    assert parse("Inzwischen", REF).start == datetime.fromisoformat(REF)


def test_month_reference_resolves_only_absolute_phrases():
    assert parse("am 11. Januar", "2021-01").resolved
    span = parse("am Montag", "2021-01")
    assert not span.resolved and "month" in span.reason


# --------------------------------------------------------------------------- properties
def _check_invariants(span: TimeSpan) -> None:
    assert isinstance(span, TimeSpan)
    if span.resolved:
        assert span.kind in KINDS and span.reason is None
        assert span.start <= span.end
        assert span.start.tzinfo is timeexpr.BERLIN and span.end.tzinfo is timeexpr.BERLIN
    else:
        assert span.start is None and span.end is None and span.kind is None and span.reason


@RELAXED
@given(st.text())
def test_arbitrary_unicode_never_raises(text):
    _check_invariants(parse(text, REF))


VOCAB = [
    "am",
    "Montag",
    "Dienstag",
    "Montagmorgen",
    "frühen",
    "späten",
    "Mittag",
    "Nacht",
    "zu",
    "zum",
    "von",
    "bis",
    "zwischen",
    "und",
    "gegen",
    "etwa",
    "kurz",
    "vor",
    "nach",
    "seit",
    "ab",
    "um",
    "die",
    "8",
    "10",
    "14.00",
    "8:30",
    "Uhr",
    "acht",
    "halb",
    "11.",
    "Januar",
    "Dezember",
    "2020",
    "11.01.2021",
    "heute",
    "gestern",
    "morgen",
    "Morgen",
    "morgens",
    "Vortag",
    "dieser",
    "vergangener",
    "Woche",
    "Anfang",
    "Mitte",
    "Ende",
    "Wochenbeginn",
    "Inzwischen",
    "bisher",
    "zwei",
    "Tagen",
    "Stunde",
    "lang",
    "(",
    ")",
    ",",
    "...",
    "Start",
    "des",
    "Schulstart",
    "früh",
    "Nachmittag",
    "Laufe",
    "Tages",
    "knapp",
]


@RELAXED
@given(
    st.lists(st.sampled_from(VOCAB), max_size=9),
    st.sampled_from([REF, "2021-01-12", "2021-01", "2021", "2021-03-28", "2021-10-31T02:30:00+01:00"]),
)
def test_grammar_like_phrases_never_raise(words, ref):
    text = " ".join(words)
    _check_invariants(parse(text, ref))
    half = len(words) // 2
    _check_invariants(parse_parts(" ".join(words[:half]), " ".join(words[half:]), ref))


@RELAXED
@given(
    st.datetimes(
        min_value=datetime(1950, 1, 1),
        max_value=datetime(2090, 12, 31),
        timezones=st.sampled_from([UTC, timeexpr.BERLIN, timezone(timedelta(hours=-7))]),
    ),
    st.sampled_from(["gegen 14 Uhr", "am Montag", "Montagnacht", "seit November", "vor 8 Uhr", "heute bisher"]),
)
def test_any_aware_reference(ref, text):
    _check_invariants(parse(text, ref))


@RELAXED
@given(st.text(min_size=MAX_CHARS - 20, max_size=MAX_CHARS))
def test_long_strings_at_the_limit(text):
    _check_invariants(parse(text, REF))


def test_empty_and_blank():
    for text in ["", " ", "\n\t", "…", "Uhr"]:
        span = parse(text, REF)
        assert not span.resolved and span.reason


@pytest.mark.parametrize("unit", ["8", "a", "am Montag ", "1.1.", "zwischen 8 und ", "Montagmorgen", "\u00e4"])
def test_100k_input_is_unresolved(unit):
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    span = parse(text, REF)
    assert not span.resolved
    assert str(MAX_CHARS) in span.reason


@RELAXED
@given(st.text(min_size=1, max_size=40))
def test_100k_arbitrary_input_never_raises(unit):
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    _check_invariants(parse(text, REF))
    _check_invariants(parse(text, REF, anchors=GENERATED))
    _check_invariants(parse_parts(text, text, REF, anchors=GENERATED))


# --------------------------------------------------------------------------- CLI
def test_cli_single(capsys):
    assert timeexpr.main(["--reference", REF, "gegen 14 Uhr"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["start"] == "2021-01-12T13:30:00+01:00" and out["kind"] == "approx"


def test_cli_day_and_time(capsys):
    assert timeexpr.main(["--reference", REF, "--day", "am Montag", "gegen 14 Uhr"]) == 0
    assert json.loads(capsys.readouterr().out)["start"] == "2021-01-11T13:30:00+01:00"


def test_cli_invalid_reference_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        timeexpr.main(["--reference", "2021-01-12T09:30", "gegen 14 Uhr"])
    assert exc.value.code == 2
    assert "reference" in capsys.readouterr().err


def test_cli_jsonl_keeps_order_and_reports_bad_lines(monkeypatch, capsys):
    lines = [
        json.dumps({"text": "gegen 14 Uhr", "reference": REF}),
        "{not json",
        json.dumps({"text": "heute", "reference": "2021-01-12T09:30"}),
        json.dumps({"day_text": "am Montag", "time_text": "Um 8 Uhr", "reference": "2021-01-12"}),
        json.dumps({"text": "zum Schulstart", "reference": REF}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert timeexpr.main(["--jsonl"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(out) == 5
    assert out[0]["kind"] == "approx"
    assert "error" in out[1] and out[1]["line"] == 2
    assert "error" in out[2] and "naive" in out[2]["error"]
    assert out[3]["start"] == "2021-01-11T08:00:00+01:00"
    assert out[4]["start"] is None and out[4]["reason"]
    for rec in out:
        assert {"text", "start", "end", "kind"} <= rec.keys()


def test_cli_as_module():
    proc = subprocess.run(
        [sys.executable, "-m", "incident.timeexpr", "--reference", REF, "gegen 14 Uhr"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(proc.stdout)["end"] == "2021-01-12T14:30:00+01:00"
    bad = subprocess.run(
        [sys.executable, "-m", "incident.timeexpr", "--reference", "nope", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "invalid --reference" in bad.stderr


# --------------------------------------------------------------------------- calendar anchors (generated calendar)
def _span(text: str, *, anchors=GENERATED, ref=GENERATED_REF) -> tuple[str, str, str]:
    got = parse(text, ref, anchors=anchors)
    return _iso(got.start), _iso(got.end), got.kind or ""


DAY_7, DAY_8, DAY_9, DAY_10, DAY_11, DAY_12 = (f"2030-01-{d:02d}T00:00:00+01:00" for d in range(7, 13))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the anchor day itself
        ("zum Schulstart", (DAY_7, DAY_8, "day")),
        ("Zum Schulstart", (DAY_7, DAY_8, "day")),
        ("beim Schulstart", (DAY_7, DAY_8, "day")),
        ("zum Schulstart 2030", (DAY_7, DAY_8, "day")),
        ("zum Schulstart nach den Weihnachtsferien", (DAY_7, DAY_8, "day")),
        ("am ersten Schultag", (DAY_7, DAY_8, "day")),
        ("am ersten Schultag nach den Ferien", (DAY_7, DAY_8, "day")),
        ("den ersten Schultag nach den Weihnachtsferien", (DAY_7, DAY_8, "day")),
        ("am ersten Tag nach den Ferien", (DAY_7, DAY_8, "day")),
        ("am ersten Homeschooling-Tag nach den Ferien", (DAY_7, DAY_8, "day")),
        ("gleich am ersten Tag", (DAY_7, DAY_8, "day")),
        ("am Montag beim Schulstart", (DAY_7, DAY_8, "day")),
        ("seit dem Schulstart", (DAY_7, DAY_8, "since")),
        # ordinal school days: anchor + (n - 1) within Monday-Friday of the anchor's week
        ("am zweiten Tag nach dem Schulstart", (DAY_8, DAY_9, "day")),
        ("auch am zweiten Tag", (DAY_8, DAY_9, "day")),
        ("auch der zweite Tag", (DAY_8, DAY_9, "day")),
        ("An Tag zwei nach den Schulferien", (DAY_8, DAY_9, "day")),
        ("am 2. Schultag", (DAY_8, DAY_9, "day")),
        ("Am dritten Tag nach den Ferien", (DAY_9, DAY_10, "day")),
        ("am fünften Tag nach den Ferien", (DAY_11, DAY_12, "day")),
        # with a time of day
        ("am Montagmorgen zum Schulstart", ("2030-01-07T06:00:00+01:00", "2030-01-07T10:00:00+01:00", "part_of_day")),
        ("zum Schulstart gegen 9 Uhr", ("2030-01-07T08:30:00+01:00", "2030-01-07T09:30:00+01:00", "approx")),
        # a place the phrase names uses that place's day
        ("am Donnerstag beim Schulstart in Nord-Land", (DAY_10, DAY_11, "day")),
        # time anchors on the phrase's day (the reference day here)
        ("zu Unterrichtsbeginn", ("2030-01-09T07:45:00+01:00", "2030-01-09T08:15:00+01:00", "approx")),
        (
            "morgens zur üblichen Zeit des Unterrichtsbeginns",
            ("2030-01-09T07:45:00+01:00", "2030-01-09T08:15:00+01:00", "approx"),
        ),
        ("bereits vor Unterrichtsbeginn", ("2030-01-09T00:00:00+01:00", "2030-01-09T08:15:00+01:00", "before")),
        ("teils schon vor dem Unterrichtsbeginn", ("2030-01-09T00:00:00+01:00", "2030-01-09T08:15:00+01:00", "before")),
        ("nach Unterrichtsbeginn", ("2030-01-09T07:45:00+01:00", "2030-01-10T00:00:00+01:00", "after")),
        ("kurz vor Unterrichtsbeginn", ("2030-01-09T07:30:00+01:00", "2030-01-09T08:15:00+01:00", "approx")),
        ("seit Unterrichtsbeginn", ("2030-01-09T07:45:00+01:00", "2030-01-09T08:15:00+01:00", "since")),
    ],
)
def test_anchor_phrases_resolve(text, expected):
    assert _span(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("am sechsten Tag nach den Ferien", "past the Friday"),  # Saturday: school days skip weekends
        ("am dritten Tag nach den Ferien in Nord-Land", "past the Friday"),  # Thursday + 2 = Saturday
        ("am Dienstag beim Schulstart", "disagree"),  # the anchor is a Monday
        ("zum Schulstart 2029", "disagree"),
        ("abends zu Unterrichtsbeginn", "outside the named part of the day"),
        ("um 8 Uhr zu Unterrichtsbeginn", "more than one clock time"),
        ("vor dem Schulstart", "whole day"),
        ("in den Weihnachtsferien", "event"),  # a period, not the day after it
        ("nach den Ferien", "event"),
        ("am ersten Tag des Lockdowns", "event"),  # counted from another event
        ("am ersten Tag nach Weihnachten", "event"),
        ("am Dienstag in Nord-Land", "unrecognised"),  # a place without an anchor is just a word
    ],
)
def test_anchor_phrases_that_stay_unresolved(text, reason):
    got = parse(text, GENERATED_REF, anchors=GENERATED)
    assert not got.resolved and reason in got.reason, got


def test_anchor_days_are_absolute_dates():
    # the reference's precision does not matter for an anchor day, as for "am 7. Januar"
    assert _span("zum Schulstart", ref="2030") == (DAY_7, DAY_8, "day")
    assert _span("am zweiten Tag nach dem Schulstart", ref="2030-01") == (DAY_8, DAY_9, "day")
    # a time anchor needs the phrase's day
    assert not parse("zu Unterrichtsbeginn", "2030-01", anchors=GENERATED).resolved


def test_parse_parts_with_anchors():
    got = parse_parts("am Montag", "zu Unterrichtsbeginn", GENERATED_REF, anchors=GENERATED)
    assert (_iso(got.start), _iso(got.end), got.kind) == (
        "2030-01-07T07:45:00+01:00",
        "2030-01-07T08:15:00+01:00",
        "approx",
    )
    got = parse_parts("zum Schulstart", "bereits vor Unterrichtsbeginn", GENERATED_REF, anchors=GENERATED)
    assert (_iso(got.start), _iso(got.end), got.kind) == (DAY_7, "2030-01-07T08:15:00+01:00", "before")
    assert not parse_parts("am Dienstag", "zum Schulstart", GENERATED_REF, anchors=GENERATED).resolved


def test_without_anchors_the_reasons_are_unchanged():
    for text in ["zum Schulstart", "am zweiten Tag nach dem Schulstart", "zu Unterrichtsbeginn"]:
        plain = parse(text, GENERATED_REF)
        assert not plain.resolved and "school-calendar" in plain.reason
        assert parse(text, GENERATED_REF, anchors=None) == plain
        assert parse(text, GENERATED_REF, anchors=Anchors()) == plain


def test_anchor_not_given_for_the_source_keeps_the_reason():
    # a region without a day: the words are known but the day is not (the time anchor still applies)
    elsewhere = anchors_from_descriptor(GENERATED_BLOCK, "Süd-Land")
    assert elsewhere.days["schulstart"].day is None
    for text in [
        "zum Schulstart",
        "am ersten Tag nach den Ferien",
        "gleich am ersten Tag",
        "An Tag zwei nach den Ferien",
    ]:
        assert parse(text, GENERATED_REF, anchors=elsewhere) == parse(text, GENERATED_REF)
    # ... but a phrase naming a place with a day uses it
    assert _span("beim Schulstart in Testland", anchors=elsewhere) == (DAY_7, DAY_8, "day")


def _anchor_tokens(anchors: Anchors) -> set[str]:
    words = {w for a in anchors.days.values() for w in (*a.names, *a.counted, *a.follows)}
    words |= {w for a in anchors.times.values() for w in a.names} | set(anchors.places)
    return {t for w in words for t in re.findall(r"[^\W\d_]+", w.lower())}


def test_anchors_change_nothing_else_on_the_fixture():
    """Every fixture phrase without an anchor word gives exactly the same result with anchors."""
    words = _anchor_tokens(GENERATED)
    checked = 0
    for row in ROWS:
        text = " ".join((row["text"], row["day_text"], row["time_text"])).lower()
        if set(re.findall(r"[^\W\d_]+", text)) & words:
            continue
        checked += 1
        if row["text"] or not (row["day_text"] or row["time_text"]):
            assert parse(row["text"], row["reference"], anchors=GENERATED) == parse(row["text"], row["reference"])
        else:
            assert parse_parts(row["day_text"], row["time_text"], row["reference"], anchors=GENERATED) == parse_parts(
                row["day_text"], row["time_text"], row["reference"]
            )
    assert checked > 250


def test_anchors_without_days_change_nothing_on_the_fixture():
    """Anchors the caller did not give for the source (no region) keep every fixture result, reasons included."""
    no_days = anchors_from_descriptor({"days": GENERATED_BLOCK["days"]}, None)
    for row in ROWS:
        if row["text"] or not (row["day_text"] or row["time_text"]):
            assert parse(row["text"], row["reference"], anchors=no_days) == parse(row["text"], row["reference"])
        else:
            assert parse_parts(row["day_text"], row["time_text"], row["reference"], anchors=no_days) == parse_parts(
                row["day_text"], row["time_text"], row["reference"]
            )


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("Testland", date(2030, 1, 7)),
        ("testland", date(2030, 1, 7)),
        ("Testland (Kreis Beispiel)", date(2030, 1, 7)),
        ("Nord-Land", date(2030, 1, 10)),
        ("Testland / Nord-Land", None),  # two regions with different days
        ("Testland / Testland", date(2030, 1, 7)),
        ("Testland / Irgendwo", None),
        ("bundesweit", None),
        ("", None),
        (None, None),
    ],
)
def test_anchors_from_descriptor_region(region, expected):
    anchors = anchors_from_descriptor(GENERATED_BLOCK, region)
    assert anchors.days["schulstart"].day == expected
    assert anchors.times["unterrichtsbeginn"] == TimeAnchor(
        time(7, 45), time(8, 15), ("Unterrichtsbeginn", "Unterrichtsbeginns")
    )
    assert dict(anchors.places["Nord-Land"]) == {"schulstart": date(2030, 1, 10)}


@pytest.mark.parametrize(
    "block",
    [
        {"days": {"x": {"names": ["X"], "by_region": {"A": "2030-02-30"}}}},  # no such date
        {"days": {"x": {"names": ["X"], "when": "2030-01-07"}}},  # unknown key
        {"days": {"x": {"names": "X"}}},  # one string, not a list
        {"days": {"x": {"names": ["X"]}, "y": {"names": ["x"]}}},  # a word twice
        {"times": {"t": {"names": ["T"], "span": [480, 495]}}},  # unquoted YAML 08:00 is a number
        {"times": {"t": {"names": ["T"], "span": ["09:00", "08:00"]}}},  # ends before it starts
        {"times": {"t": {"names": ["T"], "span": ["08:00"]}}},
        {"weeks": {}},
    ],
)
def test_anchors_from_descriptor_rejects_bad_blocks(block):
    with pytest.raises(TimeExpressionError):
        anchors_from_descriptor(block, "A")


def test_anchors_are_immutable_and_checked():
    days = {"term": DayAnchor(date(2030, 3, 11), names=("Schulstart",))}
    anchors = Anchors(days=days)
    days["other"] = DayAnchor(date(2030, 3, 12), names=("Ferienende",))
    assert list(anchors.days) == ["term"]
    with pytest.raises(TypeError):
        anchors.days["x"] = None  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        anchors.days = {}  # type: ignore[misc]
    with pytest.raises(TimeExpressionError):
        Anchors(places={"Testland": {"term": date(2030, 3, 11)}})  # a place for an unknown anchor
    with pytest.raises(TimeExpressionError):
        parse("zum Schulstart", GENERATED_REF, anchors={"schulstart": date(2030, 3, 11)})  # type: ignore[arg-type]
    assert anchors_from_descriptor(None, "Testland") == Anchors()


@RELAXED
@given(
    st.lists(
        st.sampled_from(
            VOCAB
            + [
                "Schultag",
                "ersten",
                "zweiten",
                "Tag",
                "Ferien",
                "nach",
                "den",
                "zwei",
                "Unterrichtsbeginn",
                "in",
                "Nord-Land",
                "Testland",
                "üblichen",
                "Zeit",
            ]
        ),
        max_size=9,
    ),
    st.sampled_from([GENERATED_REF, "2030-01-07", "2030-01", "2030"]),
)
def test_anchor_phrases_never_raise(words, ref):
    text = " ".join(words)
    _check_invariants(parse(text, ref, anchors=GENERATED))
    half = len(words) // 2
    _check_invariants(parse_parts(" ".join(words[:half]), " ".join(words[half:]), ref, anchors=GENERATED))


def test_cli_with_anchors(tmp_path, capsys, monkeypatch):
    import yaml

    path = tmp_path / "incident.yaml"
    block = json.loads(json.dumps(GENERATED_BLOCK, default=str))
    path.write_text(yaml.safe_dump({"id": "generated", "anchors": block}), encoding="utf-8")
    assert (
        timeexpr.main(
            [
                "--anchors",
                str(path),
                "--region",
                "Testland",
                "--reference",
                GENERATED_REF,
                "am zweiten Tag nach dem Schulstart",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["start"] == DAY_8
    lines = [
        json.dumps({"text": "zum Schulstart", "reference": GENERATED_REF, "region": "Nord-Land"}),
        json.dumps({"text": "zum Schulstart", "reference": GENERATED_REF}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert timeexpr.main(["--jsonl", "--anchors", str(path)]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out[0]["start"] == DAY_10 and out[1]["start"] is None and "school-calendar" in out[1]["reason"]
    with pytest.raises(SystemExit):
        timeexpr.main(["--anchors", str(tmp_path / "missing.yaml"), "--reference", GENERATED_REF, "heute"])


# --------------------------------------------------------------------------- input normalisation
@pytest.mark.parametrize(
    "variant",
    [
        "gegen\u200b14 Uhr",
        "gegen 14\u200dUhr",
        "\ufeffgegen 14 Uhr",
        "\u202agegen 14 Uhr\u202c",
        "gegen\u206614\u2069 Uhr",
        "gegen\u206014 Uhr",
    ],
)
def test_invisible_characters_are_spaces(variant):
    got = parse(variant, REF)
    plain = parse("gegen 14 Uhr", REF)
    assert (got.start, got.end, got.kind) == (plain.start, plain.end, plain.kind)
    assert got.text == variant  # the phrase as given


def test_text_is_nfc_normalised():
    decomposed = "am Montagfru\u0308h"  # "ü" as u + combining diaeresis
    got = parse(decomposed, REF)
    assert (got.start, got.end, got.kind) == (
        parse("am Montagfrüh", REF).start,
        parse("am Montagfrüh", REF).end,
        "part_of_day",
    )
    assert parse("Ma\u0308rz 2020", REF) == dataclasses.replace(parse("März 2020", REF), text="Ma\u0308rz 2020")


# --------------------------------------------------------------------------- no incident in the package
def test_package_names_no_incident():
    pattern = re.compile(
        r"schulstart-2021|warntag-2020|2021-01-(0[4-9]|1[0-9])|\biserv|\bkrzn|\bpadlet|\blogineo", re.IGNORECASE
    )
    package = Path(timeexpr.__file__).parent
    hits = [
        f"{p.name}:{n}"
        for p in sorted(package.glob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not hits
