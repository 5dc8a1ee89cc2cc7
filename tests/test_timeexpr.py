"""Tests of :mod:`incident.timeexpr` (German time phrases to time intervals)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident import timeexpr
from incident.config import paths
from incident.errors import TimeExpressionError
from incident.timeexpr import KINDS, MAX_CHARS, TimeSpan, parse, parse_parts, parse_reference

FIXTURE = Path(__file__).parent / "fixtures" / "timeexpr_phrases.csv"
REF = "2021-01-12T09:30:00+01:00"
# Shared 2-core machine: no per-example deadline, no "too slow" health check.
RELAXED = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


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


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}:{r['text'] or r['day_text'] + '|' + r['time_text']}"
                                           for i, r in enumerate(ROWS)])
def test_fixture_phrase(row):
    got = _run(row)
    assert (_iso(got.start), _iso(got.end), got.kind or "") == (
        row["expected_start"], row["expected_end"], row["expected_kind"]), got.reason
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
    raw = paths().raw
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
    assert d == {"text": "gegen 14 Uhr", "start": "2021-01-12T13:30:00+01:00",
                 "end": "2021-01-12T14:30:00+01:00", "kind": "approx", "reason": None, "note": None}
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


def test_dst_arithmetic_is_done_in_berlin():
    # Subtracting two datetimes of the same ZoneInfo gives wall-clock time: compare in UTC.
    spring = parse("in der Nacht zu Sonntag", "2021-03-28")
    assert spring.end.astimezone(timezone.utc) - spring.start.astimezone(timezone.utc) == timedelta(hours=7)
    autumn = parse("in der Nacht zu Sonntag", "2021-10-31")
    assert autumn.end.astimezone(timezone.utc) - autumn.start.astimezone(timezone.utc) == timedelta(hours=9)
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
        "2021-01-11T13:30:00+01:00", "2021-01-11T14:30:00+01:00", "approx")
    assert span.text == "am Montag | gegen 14 Uhr"


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
    utc = datetime(2021, 1, 11, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 12th in Berlin
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


VOCAB = ["am", "Montag", "Dienstag", "Montagmorgen", "frühen", "späten", "Mittag", "Nacht", "zu", "zum",
         "von", "bis", "zwischen", "und", "gegen", "etwa", "kurz", "vor", "nach", "seit", "ab", "um", "die",
         "8", "10", "14.00", "8:30", "Uhr", "acht", "halb", "11.", "Januar", "Dezember", "2020", "11.01.2021",
         "heute", "gestern", "morgen", "Morgen", "morgens", "Vortag", "dieser", "vergangener", "Woche",
         "Anfang", "Mitte", "Ende", "Wochenbeginn", "Inzwischen", "bisher", "zwei", "Tagen", "Stunde", "lang",
         "(", ")", ",", "...", "Start", "des", "Schulstart", "früh", "Nachmittag", "Laufe", "Tages", "knapp"]


@RELAXED
@given(st.lists(st.sampled_from(VOCAB), max_size=9),
       st.sampled_from([REF, "2021-01-12", "2021-01", "2021", "2021-03-28", "2021-10-31T02:30:00+01:00"]))
def test_grammar_like_phrases_never_raise(words, ref):
    text = " ".join(words)
    _check_invariants(parse(text, ref))
    half = len(words) // 2
    _check_invariants(parse_parts(" ".join(words[:half]), " ".join(words[half:]), ref))


@RELAXED
@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 12, 31),
                    timezones=st.sampled_from([timezone.utc, timeexpr.BERLIN, timezone(timedelta(hours=-7))])),
       st.sampled_from(["gegen 14 Uhr", "am Montag", "Montagnacht", "seit November", "vor 8 Uhr", "heute bisher"]))
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
def test_100k_input_is_fast(unit):
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    t0 = time.perf_counter()
    span = parse(text, REF)
    elapsed = time.perf_counter() - t0
    assert not span.resolved
    assert elapsed < 1.0, f"{elapsed:.3f} s for 100,000 characters"


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
    proc = subprocess.run([sys.executable, "-m", "incident.timeexpr", "--reference", REF, "gegen 14 Uhr"],
                          capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout)["end"] == "2021-01-12T14:30:00+01:00"
    bad = subprocess.run([sys.executable, "-m", "incident.timeexpr", "--reference", "nope", "x"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid --reference" in bad.stderr
