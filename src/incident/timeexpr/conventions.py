"""Every number the conventions of ``docs/timeexpr.md`` rest on, named, with why.

Minutes are minutes after midnight of the day the phrase names; values above 24 * 60 run
into the next day (the Nacht).
"""

from __future__ import annotations

import calendar

#: Kinds of resolved spans (``until`` extends the list of the issue: the mirror of ``since``).
KINDS = ("exact", "approx", "range", "part_of_day", "day", "before", "after", "since", "until")

#: Phrases longer than this (characters) are not time phrases and are not scanned at all:
#: the longest real phrase of the raw tables has under 100 characters; the cap bounds work per call.
MAX_CHARS = 300

MINUTES_PER_HOUR = 60
#: Minutes in a day: the whole day is [0, 1440).
DAY_MINUTES = 24 * 60

#: Parts of day as (start, end) in minutes after midnight; Nacht ends the next morning (30 * 60 = 06:00).
#: The spans are the issue's: Morgen 06–10, Vormittag 08–12, Mittag 11:30–13:30, Nachmittag 13–18,
#: Abend 18–22, Nacht 22–06.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "morgen": (6 * 60, 10 * 60),
    "vormittag": (8 * 60, 12 * 60),
    "mittag": (11 * 60 + 30, 13 * 60 + 30),
    "nachmittag": (13 * 60, 18 * 60),
    "abend": (18 * 60, 22 * 60),
    "nacht": (22 * 60, 30 * 60),
}
#: Parts in which a clock hour below 12 may mean the afternoon/evening ("abends um 8 Uhr" = 20:00).
PM_PARTS: frozenset[str] = frozenset({"nachmittag", "abend", "nacht"})
#: Hours below this are candidates for the 12-hour shift within a :data:`PM_PARTS` part.
PM_SHIFT_BELOW_HOUR = 12
#: The 12-hour shift itself, in minutes.
PM_SHIFT = 12 * 60
#: The part that runs past midnight: a clock before noon in it is on the next morning ("nachts um 2 Uhr").
NIGHT_PART = "nacht"
#: "früh/frühen" = the first half of the part, "spät/späten" = the second half: split at the midpoint,
#: so early and late never overlap and together give the whole part.
HALF_EARLY, HALF_LATE = "early", "late"

#: "gegen 14 Uhr": ± 30 min around a full hour (a rounded hour is the coarsest newsroom rounding) …
APPROX_FULL_HOUR_MINUTES = 30
#: … and ± 15 min around any other clock time ("gegen 8.45 Uhr" is already rounded to the quarter).
APPROX_OTHER_MINUTES = 15
#: "kurz vor X" = [X − 15 min, X], "kurz nach X" = [X, X + 15 min]: a quarter hour, the finest rounding
#: newsrooms use.
SHORTLY_MINUTES = 15

#: "Anfang / Mitte / Ende <Monat>": the month in thirds by day of month (Ende = 21 to the last day).
MONTH_THIRDS: dict[str, tuple[int, int | None]] = {"anfang": (1, 10), "mitte": (11, 20), "ende": (21, None)}

#: "zu Wochenbeginn", "Anfang der Woche": Monday and Tuesday (the first two of five school days).
WEEK_START_DAYS = 2
#: ISO weeks start on Monday; the weekend is Saturday (5) and Sunday (6).
SATURDAY = 5
DAYS_PER_WEEK = 7
#: "seit N Tagen" = since [day − N, day − N + 2): whether the reference day counts is left open.
SINCE_N_DAYS_WINDOW = 2

#: A date without a year is the occurrence nearest to the reference, searched one year either side
#: (ties go to the past: reporting looks back).
NEAREST_YEAR_SEARCH = 1
#: Day-of-month validity for a date without a year is checked in a leap year, so "29. Februar" is a date.
LEAP_YEAR_FOR_YEARLESS_DATES = 2020


def valid_day(d: int, mo: int, y: int | None) -> bool:
    """True if day ``d`` exists in month ``mo`` of year ``y`` (of a leap year when ``y`` is ``None``)."""
    if d < 1:
        return False
    return d <= calendar.monthrange(y if y else LEAP_YEAR_FOR_YEARLESS_DATES, mo)[1]


#: Two-digit years ("11.01.21") are read in this century.
TWO_DIGIT_YEAR_BASE = 2000
#: Four-digit numbers in this range are years ("im April 2020"); others are not times.
YEAR_MIN, YEAR_MAX = 1900, 2199
#: Longer digit runs are not numbers of a time phrase (and are not converted: no huge ints).
MAX_NUMBER_DIGITS = 6
#: Clock hours run to 24 ("24 Uhr" = midnight at the end of the day); minutes to 59.
MAX_CLOCK_HOUR, MAX_CLOCK_MINUTE = 24, 59
#: A trailing duration complement ("von jeweils einigen Minuten") is looked for this many tokens back.
DURATION_COMPLEMENT_LOOKBACK = 6

#: Counted school days (anchors): day n of an anchor is the anchor + (n − 1) calendar days only while
#: that stays within Monday–Friday of the anchor's week; beyond it, weekends and holidays would have to
#: be skipped, which needs the school calendar, so the phrase stays unresolved.
LAST_SCHOOL_WEEKDAY = 4

#: The highest day number of any month ("am 31." is read; "am 32." is not a day).
MAX_DAY_OF_MONTH = 31
