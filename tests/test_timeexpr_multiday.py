"""Hand-written cases for the constructions of multi-day reporting (issue 19) and for the zone.

Every expected span is worked out by hand from docs/timeexpr.md (Conventions), never from the parser.
References are publication days in January 2021 (Berlin, UTC+1) unless a case says otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from incident.errors import TimeExpressionError
from incident.timeexpr import parse, parse_parts, parse_reference

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")


def b(y, mo, d, h=0, mi=0, tz=BERLIN):
    return datetime(y, mo, d, h, mi, tzinfo=tz)


CASES = [
    # ranges and lists of days
    ("vom 19. bis 21. Januar", "2021-01-25", b(2021, 1, 19), b(2021, 1, 22), "range"),
    ("in der Zeit vom 19. bis 21. Januar", "2021-01-25", b(2021, 1, 19), b(2021, 1, 22), "range"),
    ("vom 19. bis zum 21. Januar 2021", "2021-02", b(2021, 1, 19), b(2021, 1, 22), "range"),
    ("vom 19.1. bis 21.1.2021", "2021-01-25", b(2021, 1, 19), b(2021, 1, 22), "range"),
    ("vom 28. Dezember bis 3. Januar", "2021-01-05", b(2020, 12, 28), b(2021, 1, 4), "range"),
    ("am 4. und 5. Januar 2021", "2021-01-12", b(2021, 1, 4), b(2021, 1, 6), "range"),
    ("zwischen dem 4. und dem 8. Januar", "2021-01-12", b(2021, 1, 4), b(2021, 1, 9), "range"),
    ("vom 19. bis 21.", "2021-01-25", b(2021, 1, 19), b(2021, 1, 22), "range"),
    # dates as people type them
    ("15. 1.2021", "2021-01-19", b(2021, 1, 15), b(2021, 1, 16), "day"),
    ("am 15. 1. 2021", "2021-01-19", b(2021, 1, 15), b(2021, 1, 16), "day"),
    ("15.1.", "2021-01-19", b(2021, 1, 15), b(2021, 1, 16), "day"),
    ("15. Januar", "2021-01-19", b(2021, 1, 15), b(2021, 1, 16), "day"),
    ("am 30.", "2021-02-02", b(2021, 1, 30), b(2021, 1, 31), "day"),
    # seit / bis einschließlich
    ("Seit dem 15. 1.2021", "2021-01-19", b(2021, 1, 15), b(2021, 1, 16), "since"),
    ("seit dem 21.", "2021-01-25", b(2021, 1, 21), b(2021, 1, 22), "since"),
    ("bis einschließlich 21. Januar", "2021-01-25", b(2021, 1, 21), b(2021, 1, 22), "until"),
    ("bis zum 21. Januar", "2021-01-25", b(2021, 1, 21), b(2021, 1, 22), "until"),
    # two times in one phrase
    (
        "mittags … innerhalb weniger Minuten",
        "2021-01-12",
        b(2021, 1, 12, 11, 30),
        b(2021, 1, 12, 13, 30),
        "part_of_day",
    ),
    ("am Vormittag ... am Nachmittag", "2021-01-12", b(2021, 1, 12, 8), b(2021, 1, 12, 18), "range"),
    ("um 8 Uhr … gegen 14 Uhr", "2021-01-12", b(2021, 1, 12, 8), b(2021, 1, 12, 14, 30), "range"),
]


@pytest.mark.parametrize(("text", "ref", "start", "end", "kind"), CASES)
def test_multi_day_constructions(text, ref, start, end, kind):
    got = parse(text, ref)
    assert (got.start, got.end, got.kind) == (start, end, kind), got


@pytest.mark.parametrize(
    "text",
    [
        "am 4. und 8. Januar",  # days listed that are not consecutive
        "am 21.",  # fine with a day reference, but this one is a month: see below
        "15. 1.000",  # no date: digits run on
        "vom 21. bis 19. Januar",  # ends before it starts
        "am Vormittag … des gleichen Tags",  # a part that refers to an event
    ],
)
def test_what_stays_unresolved(text):
    got = parse(text, "2021-01" if text == "am 21." else "2021-01-12")
    assert not got.resolved and got.reason, got


def test_two_times_keep_each_reading_in_the_note():
    got = parse("mittags … gegen 14 Uhr", "2021-01-12")
    assert (got.start, got.end, got.kind) == (b(2021, 1, 12, 11, 30), b(2021, 1, 12, 14, 30), "range")
    assert "'mittags' = 2021-01-12T11:30" in got.note and "'gegen 14 Uhr' = 2021-01-12T13:30" in got.note


def test_an_unreadable_time_phrase_degrades_to_the_day():
    got = parse_parts("am Montag", "nach der ersten Stunde", "2021-01-12")
    assert (got.start, got.end, got.kind) == (b(2021, 1, 11), b(2021, 1, 12), "day")
    assert got.degraded and "placed at day level" in got.note
    # a day phrase that names days that do not agree is no day to degrade to
    assert not parse_parts("am Montag (12. Januar)", "nach der ersten Stunde", "2021-01-12").resolved


def test_a_sentence_as_the_day_phrase_gives_its_one_date():
    got = parse_parts("Am Dienstag, 12.1.2021, meldete die Stadt erneut Probleme", None, "2021-01-13")
    assert (got.start, got.end, got.kind) == (b(2021, 1, 12), b(2021, 1, 13), "day")
    assert got.degraded
    two = parse_parts("Vom Ausfall am 11. Januar berichtete die Stadt am 12. Januar", None, "2021-01-13")
    assert not two.resolved  # two different dates: no reading


# --------------------------------------------------------------------------- the zone


def test_the_zone_is_the_wall_clock_of_every_span():
    # 10 March 2030 is the US change to summer time: -05:00 before, -04:00 after
    before = parse("gegen 14 Uhr", "2030-03-09", zone="America/New_York")
    after = parse("gegen 14 Uhr", "2030-03-11", zone="America/New_York")
    assert (before.start, before.end) == (b(2030, 3, 9, 13, 30, NY), b(2030, 3, 9, 14, 30, NY))
    assert before.start.utcoffset().total_seconds() == -5 * 3600
    assert after.start.utcoffset().total_seconds() == -4 * 3600
    # a minute reference with another offset is converted to the zone first: 02:30 Berlin is the evening before
    evening = parse("heute", "2030-03-12T02:30+01:00", zone="America/New_York")
    assert (evening.start, evening.end) == (b(2030, 3, 11, tz=NY), b(2030, 3, 12, tz=NY))
    berlin = parse("heute", "2030-03-12T02:30+01:00")
    assert berlin.start == b(2030, 3, 12)


def test_a_reference_keeps_its_zone():
    ref = parse_reference("2030-03-11", "Europe/London")
    assert parse("um 9 Uhr", ref).start == datetime(2030, 3, 11, 9, tzinfo=ZoneInfo("Europe/London"))
    with pytest.raises(TimeExpressionError):
        parse("um 9 Uhr", ref, zone="Europe/Berlin")
    with pytest.raises(TimeExpressionError):
        parse("um 9 Uhr", "2030-03-11", zone="Nowhere/Special")


def test_the_command_line_reads_in_the_zone():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "incident.timeexpr",
            "--zone",
            "America/New_York",
            "--reference",
            "2030-03-11",
            "um 9 Uhr",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(out.stdout)["start"] == "2030-03-11T09:00:00-04:00"
    bad = subprocess.run(
        [sys.executable, "-m", "incident.timeexpr", "--zone", "Nowhere/Special", "--reference", "2030-03-11", "x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "zone" in bad.stderr
