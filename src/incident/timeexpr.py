"""German time phrases to time intervals, with their uncertainty kept.

Reporters write "gegen 14 Uhr", "um die Mittagszeit", "seit dem frühen Nachmittag",
"Montagmorgen" or "zwischen 8 und 10 Uhr". :func:`parse` turns one such phrase into a
:class:`TimeSpan` (start, end, kind) relative to the publication time of its source;
:func:`parse_parts` combines a day phrase and a time phrase ("am Montag" + "gegen 14 Uhr").
A phrase that names no point or span in time gives ``start = end = None`` and a ``reason``,
never a guess.

Conventions (all times are wall-clock times in Europe/Berlin; arithmetic is done on the
wall clock and the offset is attached with :mod:`zoneinfo`, so DST days are right):

* Clock times in any newsroom spelling ("8 Uhr", "8.45 Uhr", "08:30 Uhr", "Punkt 8 Uhr",
  "acht Uhr", "halb neun") are points: ``start == end``, kind ``exact``.
* Approximate ("gegen", "etwa", "ca.", "circa", "rund", "ungefähr", "um die 8 Uhr"):
  ±30 min around a full hour, ±15 min otherwise, kind ``approx``. "kurz vor X" =
  [X−15 min, X], "kurz nach X" = [X, X+15 min], kind ``approx``.
* Ranges: "zwischen 8 und 10 Uhr", "von 8 bis 10 Uhr" = [08:00, 10:00], kind ``range``.
  "vor X" = [start of that day, X] (kind ``before``); "nach X" = [X, end of that day]
  (kind ``after``); "seit X" / "ab X" = the span of X itself, the moment the state began
  (kind ``since``); "bis X" = the span of X itself, the moment the state ended (kind
  ``until`` — an addition to the kinds of the issue, the mirror of ``since``).
* Parts of day: Morgen 06–10, Vormittag 08–12, Mittag 11:30–13:30 (mittags, Mittagszeit,
  um/zur Mittagszeit, gegen Mittag), Nachmittag 13–18, Abend 18–22, Nacht 22–06 of the
  next day ("in der Nacht zu Dienstag" = Monday 22:00 to Tuesday 06:00; "Montagnacht" =
  Monday 22:00 to Tuesday 06:00; a bare "in der Nacht" / "nachts" without a day is the
  night that ends on the reference day). "früh/frühen" = first half of the part, "spät/späten/
  späteren" = second half. "früh" on its own after a day ("Montagfrüh", "heute früh") is
  the Morgen. Kind ``part_of_day``. "im Laufe des Tages" is the whole day.
* Days: a weekday, alone or compounded ("Montagmorgen", "Dienstagvormittag") is the latest
  such day on or before the reference date; "am Montag dieser Woche" / "vergangener
  Woche" is that weekday in the reference's (ISO, Monday-first) week / the week before;
  "am vergangenen Montag" / "am kommenden Montag" is the latest such day strictly before /
  the first strictly after the reference date. "Mo.", "Di.", … (with the dot) are weekdays.
  A list of weekdays ("am Montag und Dienstag") is a run: the first day follows the
  weekday rule, every further day is the next such day after the previous one; the run
  must be consecutive. heute / gestern / vorgestern / Vortag / (lower-case) morgen are
  relative to the reference date. A weekday next to a date must agree with it. "am 11. Januar", "11.01.2021" are whole days
  [00:00, next 00:00), kind ``day``; a date without a year is the occurrence nearest to
  the reference (ties go to the past). Months ("im Dezember", "seit November") and years
  ("2020") are calendar spans, kind ``range``; "Anfang/Mitte/Ende Dezember" = days
  1–10 / 11–20 / 21–end. "zu Wochenbeginn" / "Anfang der Woche" = Monday and Tuesday of
  the reference's week; "Woche" alone ("im Verlauf der Woche") is the reference's week.
  "vor N Tagen" is the day N days before the reference; "seit N Tagen" is since
  [day −N, day −N+2) (whether the reference day counts is left open).
* A phrase without a day refers to the reference's day. Capital "Morgen" is the morning;
  lower-case "morgen" is tomorrow, except right after a day word or an article
  ("heute morgen", "am morgen"), where it can only be the morning.
* Filler words ("erst", "bereits", "schon", "noch", also "auch", "allein", "gleich",
  "insbesondere", "teilweise", "teils", "genau", "alle", "gleichzeitig") do not change
  the span.
* "inzwischen", "mittlerweile", "derzeit", "aktuell", "jetzt" = the reference moment
  (kind ``exact``); "bisher" / "heute bisher" = [start of the reference day, reference]
  (kind ``before``).
* Not resolved (``reason`` says why): school-calendar and event references
  ("zum Schulstart", "am zweiten Tag nach den Ferien", "in den Weihnachtsferien",
  "vor dem Unterrichtsbeginn", "beim Schulstart in Hamburg"), vague or narrative words
  ("später", "zunächst", "kurz vor Weihnachten", "vor knapp einem Jahr", "unter der
  Woche"), durations and frequencies ("eine Stunde lang", "zeitweise"), open future
  periods ("in den nächsten drei Wochen"), two separate times in one phrase ("…"),
  contradictions ("am Montag (12. Januar)" when the 12th is a Tuesday), unknown words, and
  phrases longer than :data:`MAX_CHARS` characters.

Reference: a timezone-aware :class:`datetime.datetime` (converted to Europe/Berlin), a
:class:`datetime.date`, or an ISO 8601 string of any precision the raw tables use
("2021", "2021-01", "2021-01-12", "2021-01-12T13:08+01:00"). A naive datetime (or a
string with a clock time but no offset) raises :class:`~incident.errors.TimeExpressionError`.
With a date-only reference the moment of publication is unknown within the day:
everything that depends on the day works, and what depends on the moment ("inzwischen",
"bisher") extends to the end of that day. With a month or year reference only absolute
phrases resolve ("am 11. Januar", "im Dezember"); relative ones ("am Montag", "heute",
"gegen 14 Uhr") return a reason.

CLI::

    python -m incident.timeexpr --reference 2021-01-12T09:30:00+01:00 "gegen 14 Uhr"
    python -m incident.timeexpr --reference 2021-01-12 --day "am Montag" "gegen 14 Uhr"
    python -m incident.timeexpr --jsonl < phrases.jsonl   # {"text"|"day_text"+"time_text", "reference"}
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Iterable, TextIO
from zoneinfo import ZoneInfo

from incident.config import TIMEZONE
from incident.errors import TimeExpressionError

__all__ = ["KINDS", "MAX_CHARS", "PARTS_OF_DAY", "Reference", "TimeSpan", "parse", "parse_parts",
           "parse_reference", "main"]

#: Europe/Berlin, the zone of every start and end.
BERLIN = ZoneInfo(TIMEZONE)
#: Kinds of resolved spans (``until`` extends the list of the issue, see the module docstring).
KINDS = ("exact", "approx", "range", "part_of_day", "day", "before", "after", "since", "until")
#: Phrases longer than this (characters) are not time phrases and are not scanned at all.
MAX_CHARS = 300
#: Parts of day as (start, end) in minutes after midnight of the day; Nacht ends next morning.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "morgen": (6 * 60, 10 * 60),
    "vormittag": (8 * 60, 12 * 60),
    "mittag": (11 * 60 + 30, 13 * 60 + 30),
    "nachmittag": (13 * 60, 18 * 60),
    "abend": (18 * 60, 22 * 60),
    "nacht": (22 * 60, 30 * 60),
}


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class TimeSpan:
    """The interval a phrase names.

    Attributes:
        text: The phrase as given (for :func:`parse_parts`: ``"<day_text> | <time_text>"``).
        start: Earliest instant, timezone-aware Europe/Berlin; ``None`` when unresolved.
        end: Latest instant (inclusive for points, the boundary for spans: a day ends at
            the next 00:00); ``None`` when unresolved.
        kind: One of :data:`KINDS`; ``None`` when unresolved.
        reason: Why the phrase was not resolved; ``None`` when it was.
        note: What was ignored or assumed on the way (e.g. a duration complement), or ``None``.
    """

    text: str
    start: datetime | None
    end: datetime | None
    kind: str | None
    reason: str | None = None
    note: str | None = None

    @property
    def resolved(self) -> bool:
        """True when the phrase named a point or span in time."""
        return self.start is not None

    def to_dict(self) -> dict:
        """Return a JSON-ready dict; times as ISO 8601 strings with offset, or ``None``."""
        return {
            "text": self.text,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "kind": self.kind,
            "reason": self.reason,
            "note": self.note,
        }


@dataclass(frozen=True)
class Reference:
    """The publication time a phrase is read against.

    Attributes:
        precision: ``"minute"``, ``"day"``, ``"month"`` or ``"year"``.
        year: Calendar year.
        month: Month 1–12, ``None`` at year precision.
        day: Calendar date, ``None`` at month or year precision.
        moment: Aware Europe/Berlin datetime at minute precision, else ``None``.
    """

    precision: str
    year: int
    month: int | None = None
    day: date | None = None
    moment: datetime | None = None


def parse_reference(reference: datetime | date | str | Reference) -> Reference:
    """Read a reference time.

    Args:
        reference: Timezone-aware datetime, a date, an ISO 8601 string ("2021",
            "2021-01", "2021-01-12", "2021-01-12T13:08+01:00") or a :class:`Reference`.

    Returns:
        The :class:`Reference`, converted to Europe/Berlin.

    Raises:
        TimeExpressionError: For a naive datetime, a clock time without offset, or an
            unreadable value.
    """
    if isinstance(reference, Reference):
        return reference
    if isinstance(reference, datetime):
        if reference.tzinfo is None or reference.utcoffset() is None:
            raise TimeExpressionError(f"reference {reference.isoformat()} is naive; give a timezone-aware datetime")
        m = reference.astimezone(BERLIN)
        return Reference("minute", m.year, m.month, m.date(), m)
    if isinstance(reference, date):
        return Reference("day", reference.year, reference.month, reference, None)
    if not isinstance(reference, str):
        raise TimeExpressionError(f"reference must be a datetime, date or ISO string, not {type(reference).__name__}")
    s = reference.strip()
    try:
        if re.fullmatch(r"[0-9]{4}", s):
            return Reference("year", int(s))
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", s):
            y, mo = int(s[:4]), int(s[5:])
            date(y, mo, 1)
            return Reference("month", y, mo)
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
            return parse_reference(date.fromisoformat(s))
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TimeExpressionError(f"reference {reference!r} is not ISO 8601: {exc}") from None
    return parse_reference(dt)


# --------------------------------------------------------------------------- vocabulary
_WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
             "samstag": 5, "sonnabend": 5, "sonntag": 6}
_MONTHS = {"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5,
           "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11,
           "dezember": 12}
_PART_WORDS = {
    "morgen": "morgen", "morgens": "morgen", "morgenstunden": "morgen", "frühmorgens": "morgen",
    "vormittag": "vormittag", "vormittags": "vormittag", "vormittagsstunden": "vormittag",
    "mittag": "mittag", "mittags": "mittag", "mittagszeit": "mittag", "mittagsstunde": "mittag",
    "mittagsstunden": "mittag",
    "nachmittag": "nachmittag", "nachmittags": "nachmittag", "nachmittagsstunden": "nachmittag",
    "abend": "abend", "abends": "abend", "abendstunden": "abend",
    "nacht": "nacht", "nachts": "nacht", "nachtstunden": "nacht",
}
#: Suffixes of weekday compounds ("Montagmorgen", "Montagfrüh").
_COMPOUND_PARTS = {"morgen": "morgen", "vormittag": "vormittag", "mittag": "mittag",
                   "nachmittag": "nachmittag", "abend": "abend", "nacht": "nacht",
                   "früh": "morgen", "frueh": "morgen"}
_EARLY = {"früh", "frühe", "frühen", "früher", "frühem", "frueh", "fruehe", "fruehen"}
_LATE = {"spät", "späte", "späten", "später", "spätem", "späteren", "späterer", "spätere",
         "spaet", "spaete", "spaeten", "spaeter", "spaeteren"}
_NUMWORDS = {"eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6,
             "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12}
_INDEF = {"ein", "eine", "einem", "einen", "einer"}
_FILLERS = {"erst", "bereits", "schon", "noch", "auch", "allein", "gleich", "insbesondere",
            "teilweise", "teils", "genau", "alle", "gleichzeitig"}
_ARTICLES = {"am", "an", "im", "in", "der", "die", "das", "den", "dem", "des", "zum", "zur", "vom",
             "für", "fuer", "diesem", "diesen", "dieser", "dieses", "diese", "ganzen", "ganze",
             "ganzer", "laufe", "laufes", "verlauf", "verlaufe", "um", "punkt", "uhr", "auf", "zu",
             "jeweils", "je", "bei", "beim"}
#: Words that relate a time to the state (one token each; "kurz vor/nach" is handled apart).
_RELATIONS = {"seit": "since", "ab": "since", "bis": "bis", "vor": "before", "nach": "after",
              "zwischen": "between", "von": "from"}
_APPROX = {"gegen", "etwa", "ca", "circa", "zirka", "rund", "ungefähr", "ungefaehr", "annähernd"}
_NOW = {"inzwischen", "mittlerweile", "derzeit", "aktuell", "zurzeit", "momentan", "jetzt"}
_WEEK_PAST = {"vergangener", "vergangenen", "letzter", "letzten", "voriger", "vorigen", "vorherigen"}
_WEEK_NEXT = {"nächster", "nächsten", "kommender", "kommenden", "naechster", "naechsten"}
_WEEK_THIS = {"dieser", "diese", "diesen"}
_OCCASION = {"start", "störung", "stoerung", "ausfall", "auftakt", "panne", "beginn"}
_EVENT = {"schulstart", "schultag", "schulwoche", "ferien", "weihnachtsferien", "osterferien",
          "sommerferien", "herbstferien", "winterferien", "weihnachten", "ostern", "silvester",
          "neujahr", "unterrichtsbeginn", "unterrichtsbeginns", "unterrichtsstunde", "unterricht",
          "unterrichts", "sitzung", "ausschusses", "lockdown", "lockdowns", "homeschooling",
          "homeschoolings", "distanzlernens", "distanzunterrichts", "distanzunterricht", "schulstarts", "absturz", "absturzes", "schulferien", "ersten",
          "zweiten", "dritten", "vierten", "erste", "zweite", "dritte", "schulbeginn", "tags",
          "gleichen", "selben", "üblichen"}
_NO_TIME = {"zeitweise", "zeitweilig", "kurzzeitig", "zunächst", "zuerst", "anfangs", "lang",
            "lange", "stundenlang", "dauerhaft", "immer", "wieder", "mal", "später", "danach",
            "dann", "vorher", "minute", "minuten", "stunde", "stunden", "sekunde", "sekunden",
            "einigen", "wenigen", "paar", "mehreren", "einige", "wenige", "mehrere"}
_VAGUE = {"knapp", "mehr", "als", "weniger", "frühjahr", "frühling", "sommer", "herbst", "winter", "irgendwann", "demnächst", "bald", "kürzlich", "neulich", "zuletzt", "damals",
          "unter", "nächsten", "nächste", "kommenden", "kommende", "vergangenen", "letzten",
          "tagen", "tage", "wochen", "monate", "monaten", "jahr", "jahre", "jahren", "monat"}
#: Words after lower-case "morgen" that make it the morning, not tomorrow.
_MORNING_CONTEXT = {"heute", "gestern", "vorgestern", "am", "den", "dem", "des", "zum", "jeden",
                    "diesen", "dieser", "diesem", "ganzen", "früh", "frühen", "frühe", "späten",
                    "späte", "der", "vom"} | set(_WEEKDAYS)

_TOKEN = re.compile(
    r"(?P<date>[0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2})?)"
    r"|(?P<hm>[0-9]{1,2}[:.][0-9]{2})"
    r"|(?P<ord>[0-9]{1,2}\.)"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<ellipsis>\.\.\.|…)"
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    low: str


class _Fail(Exception):
    """Internal: the phrase cannot be resolved. ``category`` drives :func:`parse_parts`."""

    def __init__(self, reason: str, category: str = "unknown"):
        super().__init__(reason)
        self.reason = reason
        self.category = category


# --------------------------------------------------------------------------- atoms
# Atoms are small tuples: (tag, *payload).
#   ("day", item)       item = ("wd", wd, week_shift|None) | ("rel", n) | ("date", d, m, y|None)
#                       | ("month", m, y|None, qual|None) | ("year", y) | ("week", shift)
#                       | ("weekpart", qual, shift) | ("ago", n) | ("sincedays", n)
#   ("part", name, half|None)   ("clock", h, m, explicit)   ("bare", n)   ("wholeday",)
#   ("op", name)   ("and",)   ("now",)   ("bisher",)   ("nightto",)   ("occasion", word)
#   ("ord", n)   ("monthq", qual)   ("year", y)   ("month", m)


_WEEKDAY_ABBR = re.compile(r"\b(Mo|Di|Mi|Do|Fr|Sa|So)\.")
_ABBR_FULL = {"Mo": "Montag", "Di": "Dienstag", "Mi": "Mittwoch", "Do": "Donnerstag", "Fr": "Freitag",
              "Sa": "Samstag", "So": "Sonntag"}


def _tokens(text: str) -> list[_Tok]:
    text = _WEEKDAY_ABBR.sub(lambda m: _ABBR_FULL[m.group(1)], text)  # "Do., 09.00"
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        out.append(_Tok(kind, m.group(), m.group().lower()))
    return out


def _atoms(toks: list[_Tok], notes: list[str]) -> list[tuple]:
    atoms: list[tuple] = []
    fails: list[tuple[str, str]] = []  # (category, word)
    n = len(toks)
    i = 0

    def nxt(k: int = 1) -> _Tok | None:
        return toks[i + k] if i + k < n else None

    def nxt_low(k: int = 1) -> str:
        t = nxt(k)
        return t.low if t is not None else ""

    def clock_after(k: int) -> bool:
        t = nxt(k)
        if t is None:
            return False
        return t.kind in ("hm", "num") or t.low in _NUMWORDS or t.low in ("halb", "punkt")

    while i < n:
        t = toks[i]
        w = t.low
        if t.kind == "ellipsis":
            raise _Fail("names two separate times ('…'); split the phrase", "multiple")
        if t.kind == "hm":
            h, mi = int(w[:-3]), int(w[-2:])
            if h > 24 or mi > 59 or (h == 24 and mi):
                fails.append(("unknown", t.text))
            else:
                explicit = nxt_low() == "uhr"
                atoms.append(("clock", h, mi, explicit))
                i += 1 + explicit
                continue
            i += 1
            continue
        if t.kind == "date":
            parts = w.split(".")
            d, mo = int(parts[0]), int(parts[1])
            y = int(parts[2]) if parts[2] else None
            if y is not None and y < 100:
                y += 2000
            if 1 <= mo <= 12 and _valid_day(d, mo, y):
                atoms.append(("day", ("date", d, mo, y)))
            elif not parts[2] and d <= 24 and mo <= 59:  # "8.15." at the end of a sentence
                explicit = nxt_low() == "uhr"
                atoms.append(("clock", d, mo, explicit))
                i += explicit
            else:
                fails.append(("unknown", t.text))
            i += 1
            continue
        if t.kind == "ord":
            atoms.append(("ord", int(w[:-1])))
            i += 1
            continue
        if t.kind == "num" or w in _NUMWORDS or w in _INDEF or w == "halb":
            if w == "halb":
                if nxt() is not None and (nxt().kind == "num" or nxt().low in _NUMWORDS):
                    h = int(nxt().low) if nxt().kind == "num" else _NUMWORDS[nxt().low]
                    explicit = nxt_low(2) == "uhr"
                    if 1 <= h <= 24:
                        atoms.append(("clock", h - 1, 30, explicit))
                    else:
                        fails.append(("unknown", t.text))
                    i += 2 + explicit
                    continue
                fails.append(("unknown", t.text))
                i += 1
                continue
            if t.kind == "num":
                if len(w) > 6:
                    fails.append(("unknown", t.text))
                    i += 1
                    continue
                val = int(w)
                if len(w) == 4 and 1900 <= val <= 2199:
                    atoms.append(("year", val))
                    i += 1
                    continue
            else:
                val = _NUMWORDS.get(w, 1)
            unit = nxt_low()
            if unit == "uhr" and t.low not in _INDEF:
                if val <= 24:
                    atoms.append(("clock", val, 0, True))
                else:
                    fails.append(("unknown", t.text))
                i += 2
                continue
            if unit in ("tag", "tage", "tagen", "woche", "wochen", "monat", "monate", "monaten",
                        "jahr", "jahre", "jahren", "minute", "minuten", "stunde", "stunden",
                        "sekunde", "sekunden"):
                atoms.append(("count", val, unit))
                i += 2
                continue
            if t.low in _INDEF:  # an article, not a number
                i += 1
                continue
            atoms.append(("bare", val))
            i += 1
            continue
        if t.kind != "word":
            i += 1  # punctuation and symbols carry no time
            continue
        # ---- words
        if w in _FILLERS:
            i += 1
            continue
        if w == "um" and nxt_low() == "die" and clock_after(2):
            atoms.append(("op", "approx"))
            i += 2
            continue
        if w in _WEEK_PAST | _WEEK_NEXT and nxt_low() in _WEEKDAYS:
            atoms.append(("day", ("wd", _WEEKDAYS[nxt_low()], "past" if w in _WEEK_PAST else "next")))
            i += 2
            continue
        if w in _WEEK_THIS | _WEEK_PAST | _WEEK_NEXT and nxt_low() == "woche":
            shift = 0 if w in _WEEK_THIS else (-1 if w in _WEEK_PAST else 1)
            atoms.append(("week", shift))
            i += 2
            continue
        if w in ("anfang", "mitte", "ende"):
            k = 2 if nxt_low() in ("der", "des") else 1
            if nxt_low(k) == "woche" and w == "anfang":
                atoms.append(("weekpart", "anfang"))
                i += k + 1
                continue
            if nxt_low() in _MONTHS:
                atoms.append(("monthq", w))
                i += 1
                continue
            fails.append(("vague", t.text))
            i += 1
            continue
        if w in ("wochenbeginn", "wochenanfang", "wochenstart"):
            atoms.append(("weekpart", "anfang"))
            i += 1
            continue
        if w == "wochenende":
            atoms.append(("weekpart", "wochenende"))
            i += 1
            continue
        if w == "woche":
            atoms.append(("week", 0))
            i += 1
            continue
        if w in _ARTICLES:
            i += 1
            continue
        if w in _APPROX:
            atoms.append(("op", "approx"))
            i += 1
            continue
        if w in _RELATIONS:
            atoms.append(("op", _RELATIONS[w]))
            i += 1
            continue
        if w == "kurz" and nxt_low() in ("vor", "nach"):
            atoms.append(("op", "shortly_before" if nxt_low() == "vor" else "shortly_after"))
            i += 2
            continue
        if w in ("und", "sowie"):
            atoms.append(("and",))
            i += 1
            continue
        if w in _NOW:
            atoms.append(("now",))
            i += 1
            continue
        if w == "bisher":
            atoms.append(("bisher",))
            i += 1
            continue
        if w in ("heute", "heutige", "heutigen", "heutiger", "heutiges"):
            atoms.append(("day", ("rel", 0)))
            i += 1
            continue
        if w in ("gestern", "gestrige", "gestrigen", "gestriger", "gestriges"):
            atoms.append(("day", ("rel", -1)))
            i += 1
            continue
        if w in ("vorgestern", "vorgestrige", "vorgestrigen"):
            atoms.append(("day", ("rel", -2)))
            i += 1
            continue
        if w == "übermorgen":
            atoms.append(("day", ("rel", 2)))
            i += 1
            continue
        if w in ("vortag", "vortages", "vortags"):
            atoms.append(("day", ("rel", -1)))
            notes.append("'Vortag' read as the day before the reference day")
            i += 1
            continue
        if w in ("tag", "tages"):
            atoms.append(("wholeday",))
            i += 1
            continue
        if w in _EARLY or w in _LATE:
            half = "early" if w in _EARLY else "late"
            following = nxt_low()
            if following in _PART_WORDS or _split_compound(following) is not None:
                atoms.append(("half", half))
                i += 1
                continue
            if w in ("früh", "frueh"):
                atoms.append(("part", "morgen", None))
                i += 1
                continue
            fails.append(("no_time", t.text))
            i += 1
            continue
        if w == "morgen" and t.text[0].islower():
            prev = toks[i - 1].low if i else ""
            if prev in _MORNING_CONTEXT:
                atoms.append(("part", "morgen", None))
            else:
                atoms.append(("day", ("rel", 1)))
            i += 1
            continue
        if w in _PART_WORDS:
            atoms.append(("part", _PART_WORDS[w], None))
            if w == "nacht" and nxt_low() in ("zu", "zum", "auf"):
                atoms.append(("nightto",))
                i += 2
                continue
            if w == "nacht" and nxt_low() == "von" and nxt_low(3) == "auf":
                atoms.append(("nightto",))
                i += 4  # "Nacht von Montag auf" -> the night before the day after "auf"
                notes.append("'Nacht von X auf Y' read as the night before Y")
                continue
            i += 1
            continue
        if w in _WEEKDAYS:
            atoms.append(("day", ("wd", _WEEKDAYS[w], None)))
            i += 1
            continue
        comp = _split_compound(w)
        if comp is not None:
            atoms.append(("day", ("wd", comp[0], None)))
            atoms.append(("part", comp[1], None))
            i += 1
            continue
        if w in _MONTHS:
            atoms.append(("month", _MONTHS[w]))
            i += 1
            continue
        if w in _OCCASION:
            atoms.append(("occasion", w))
            if nxt_low() in ("des", "der", "dem") and nxt() is not None:
                i += 3  # the occasion's genitive complement ("Start des Distanzunterrichts")
                continue
            i += 1
            continue
        if w in _EVENT:
            fails.append(("event", t.text))
        elif w in _NO_TIME:
            fails.append(("no_time", t.text))
        elif w in _VAGUE or w in _WEEK_PAST or w in _WEEK_NEXT:
            fails.append(("vague", t.text))
        else:
            fails.append(("unknown", t.text))
        i += 1
    if fails:
        _raise_for(fails, atoms, notes)
    return atoms


def _has_full_date(atoms: list[tuple]) -> bool:
    """True if the atoms hold a date with a year ("11.01.2021", "11. Januar 2021")."""
    for k, a in enumerate(atoms):
        if a[0] == "day" and a[1][0] == "date" and a[1][3] is not None:
            return True
        if a[0] == "ord" and k + 2 < len(atoms) and atoms[k + 1][0] == "month" and atoms[k + 2][0] == "year":
            return True
    return False


def _raise_for(fails: list[tuple[str, str]], atoms: list[tuple], notes: list[str]) -> None:
    cats = {c for c, _ in fails}
    if cats == {"event"} and _has_full_date(atoms):
        notes.append("event words " + ", ".join(repr(w) for _, w in fails) + " ignored: the phrase gives a full date")
        return

    def words(cat: str) -> str:
        return ", ".join(repr(w) for c, w in fails if c == cat)

    if "event" in cats:
        raise _Fail(f"refers to an event or a school-calendar day ({words('event')}) that the phrase does not "
                    "date (school calendars differ by Land)", "event")
    if "vague" in cats:
        raise _Fail(f"vague or open-ended ({words('vague')}): no defensible span", "vague")
    if "unknown" in cats:
        raise _Fail(f"unrecognised word(s) {words('unknown')}; not read as a time", "unknown")
    # only durations / frequencies / narrative order words
    has_anchor = any(a[0] in ("day", "part", "clock", "wholeday", "now", "bisher", "month", "year", "week",
                              "weekpart") for a in atoms)
    if not has_anchor:
        raise _Fail(f"names a duration, frequency or narrative order ({words('no_time')}), not a time", "no_time")


def _split_compound(w: str) -> tuple[int, str] | None:
    for name, wd in _WEEKDAYS.items():
        if w.startswith(name) and len(w) > len(name):
            rest = w[len(name):]
            if rest in _COMPOUND_PARTS:
                return wd, _COMPOUND_PARTS[rest]
    return None


def _valid_day(d: int, mo: int, y: int | None) -> bool:
    if d < 1:
        return False
    last = calendar.monthrange(y if y else 2020, mo)[1]  # 2020: a leap year allows 29 Feb
    return d <= last


# --------------------------------------------------------------------------- expression
@dataclass
class _Expr:
    days: list[tuple] = field(default_factory=list)  # day items (a run if more than one)
    run: bool = False  # several days joined by "und" / "von … bis"
    parts: list[tuple] = field(default_factory=list)  # ("part", name, half)
    clocks: list[tuple] = field(default_factory=list)  # ("clock", h, m) or ("range", (h,m), (h,m))
    wholeday: bool = False
    ops: list[str] = field(default_factory=list)
    now: bool = False
    bisher: bool = False
    nightto: bool = False
    days_ago: int | None = None
    since_days: int | None = None
    occasion: bool = False
    notes: list[str] = field(default_factory=list)


def _analyse(text: str) -> _Expr:
    """Turn a phrase into an unresolved expression (raises :class:`_Fail`)."""
    if len(text) > MAX_CHARS:
        raise _Fail(f"longer than {MAX_CHARS} characters; not a time phrase", "unknown")
    notes: list[str] = []
    toks = _tokens(text)
    toks = _strip_duration_complement(toks, notes)
    atoms = _atoms(toks, notes)
    ex = _Expr(notes=notes)
    # reduce: dates "11. Januar [2021]", "14. und 15. Dezember", months, years
    red: list[tuple] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if a[0] == "ord":
            # collect "ord (und ord)* month [year]"
            ords = [a[1]]
            j = i + 1
            while j + 1 < len(atoms) and atoms[j][0] == "and" and atoms[j + 1][0] == "ord":
                ords.append(atoms[j + 1][1])
                j += 2
            if j < len(atoms) and atoms[j][0] == "month":
                mo = atoms[j][1]
                y = None
                if j + 1 < len(atoms) and atoms[j + 1][0] == "year":
                    y = atoms[j + 1][1]
                    j += 1
                for k, d in enumerate(ords):
                    if not _valid_day(d, mo, y):
                        raise _Fail(f"{d}.{mo}. is not a date", "unknown")
                    if k:
                        red.append(("and",))
                    red.append(("day", ("date", d, mo, y)))
                i = j + 1
                continue
            raise _Fail(f"ordinal {a[1]}. without a month is not read as a date", "unknown")
        if a[0] == "monthq" and i + 1 < len(atoms) and atoms[i + 1][0] == "month":
            y = atoms[i + 2][1] if i + 2 < len(atoms) and atoms[i + 2][0] == "year" else None
            red.append(("day", ("month", atoms[i + 1][1], y, a[1])))
            i += 3 if y is not None else 2
            continue
        if a[0] == "month":
            y = atoms[i + 1][1] if i + 1 < len(atoms) and atoms[i + 1][0] == "year" else None
            red.append(("day", ("month", a[1], y, None)))
            i += 2 if y is not None else 1
            continue
        if a[0] == "year":
            red.append(("day", ("year", a[1])))
            i += 1
            continue
        red.append(a)
        i += 1
    atoms = red
    # week qualifiers attach to a preceding weekday; weekpart takes a following/preceding week shift
    red = []
    for a in atoms:
        if a[0] == "week" and red and red[-1][0] == "day" and red[-1][1][0] == "wd" and red[-1][1][2] is None:
            red[-1] = ("day", ("wd", red[-1][1][1], a[1]))
            # also a weekday run before it ("Donnerstag und Freitag letzter Woche")
            k = len(red) - 2
            while k >= 1 and red[k][0] == "and" and red[k - 1][0] == "day" and red[k - 1][1][0] == "wd":
                red[k - 1] = ("day", ("wd", red[k - 1][1][1], a[1]))
                k -= 2
            continue
        if a[0] == "week" and red and red[-1][0] == "weekpart":
            red[-1] = ("day", ("weekpart", red[-1][1], a[1]))
            continue
        red.append(a)
    atoms = [("day", ("weekpart", a[1], None)) if a[0] == "weekpart" else
             ("day", ("week", a[1])) if a[0] == "week" else a for a in red]
    # clock ranges: "zwischen A und B", "von A bis B"
    red = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if a[0] == "op" and a[1] in ("between", "from") and i + 3 < len(atoms) + 0:
            sep = "and" if a[1] == "between" else "bis"
            x, s, y = atoms[i + 1], atoms[i + 2], atoms[i + 3]
            sep_ok = (s[0] == "and") if sep == "and" else (s == ("op", "bis"))
            if sep_ok and x[0] in ("clock", "bare") and y[0] in ("clock", "bare"):
                if x[0] == "bare" and y[0] == "bare":
                    raise _Fail("range of bare numbers without 'Uhr'; not read as clock times", "unknown")
                hx, mx = (x[1], x[2]) if x[0] == "clock" else (x[1], 0)
                hy, my = (y[1], y[2]) if y[0] == "clock" else (y[1], 0)
                if hx > 24 or hy > 24:
                    raise _Fail("clock hour above 24", "unknown")
                red.append(("clockrange", (hx, mx), (hy, my)))
                i += 4
                continue
            if sep_ok and x[0] == "day" and y[0] == "day":
                red.extend([x, ("and",), y, ("dayrange",)])
                i += 4
                continue
            if a[1] == "between":
                raise _Fail("'zwischen' without two clock times or days", "unknown")
            i += 1  # a lone "von" ("die Störung von Montagmorgen", "vom 19. Januar")
            continue
        red.append(a)
        i += 1
    atoms = red
    # collect
    pending_half = None
    last = None
    for a in atoms:
        tag = a[0]
        if tag == "half":
            pending_half = a[1]
            continue
        if tag == "part":
            ex.parts.append(("part", a[1], pending_half or a[2]))
            pending_half = None
        elif tag == "day":
            if last == "and" and ex.days:
                ex.run = True
            elif ex.days:
                ex.days.append(("apposition",))
            ex.days.append(a[1])
        elif tag == "and":
            if last != "day":
                raise _Fail("'und' that joins no days or clock times", "unknown")
        elif tag == "dayrange":
            ex.days.append(("dayrange",))
        elif tag == "clock":
            ex.clocks.append(("clock", a[1], a[2]))
        elif tag == "clockrange":
            ex.clocks.append(("range", a[1], a[2]))
        elif tag == "bare":
            raise _Fail(f"bare number {a[1]} without 'Uhr' is not read as a time", "unknown")
        elif tag == "wholeday":
            ex.wholeday = True
        elif tag == "op":
            if a[1] == "bis":
                ex.ops.append("until")
            elif a[1] == "from":
                pass
            elif a[1] == "between":
                raise _Fail("'zwischen' without two clock times", "unknown")
            else:
                ex.ops.append(a[1])
        elif tag == "now":
            ex.now = True
        elif tag == "bisher":
            ex.bisher = True
        elif tag == "nightto":
            ex.nightto = True
        elif tag == "occasion":
            ex.occasion = True
        elif tag == "count":
            val, unit = a[1], a[2]
            if unit in ("tag", "tage", "tagen") and "before" in ex.ops and last == "op":
                ex.ops.remove("before")
                ex.days_ago = val
            elif unit in ("tag", "tage", "tagen") and "since" in ex.ops and last == "op":
                ex.since_days = val
            elif unit in ("minute", "minuten", "stunde", "stunden", "sekunde", "sekunden"):
                ex.notes.append(f"duration '{val} {unit}' is not a time; ignored")
            else:
                raise _Fail(f"relative period '{val} {unit}': no defensible span", "vague")
        last = tag if tag not in ("half",) else last
        if tag == "op":
            last = "op"
    if pending_half:
        raise _Fail("'früh'/'spät' without a part of day", "no_time")
    anchors = (ex.days or ex.parts or ex.clocks or ex.wholeday or ex.now or ex.bisher
               or ex.days_ago is not None or ex.since_days is not None)
    if ex.occasion and not any(d[0] in ("wd", "rel", "date") for d in ex.days):
        raise _Fail("names an occasion (Start, Auftakt, Störung) but no day", "event")
    if not anchors:
        if any(a[0] == "count" for a in atoms):
            raise _Fail("names a duration, not a time", "no_time")
        raise _Fail("names no day or time", "unknown")
    if len(set(ex.ops) - {"approx"}) > 1:
        raise _Fail(f"contradictory relations {sorted(set(ex.ops))}", "conflict")
    return ex


def _strip_duration_complement(toks: list[_Tok], notes: list[str]) -> list[_Tok]:
    """Drop a trailing "von [jeweils] einigen Minuten" (a duration, not a time)."""
    units = {"minute", "minuten", "stunde", "stunden", "sekunde", "sekunden"}
    if len(toks) >= 3 and toks[-1].low in units:
        for k in range(len(toks) - 2, max(len(toks) - 6, -1), -1):
            if toks[k].low == "von":
                mid = toks[k + 1:-1]
                if all(t.low in {"jeweils", "je", "einigen", "wenigen", "ein", "paar", "mehreren", "etwa",
                                 "rund", "knapp"} or t.kind == "num" or t.low in _NUMWORDS for t in mid):
                    notes.append("duration '" + " ".join(t.text for t in toks[k:]) + "' ignored")
                    return toks[:k]
                break
    return toks


# --------------------------------------------------------------------------- resolution
def _wall(d: date, minutes: int = 0) -> datetime:
    """Wall-clock time in Berlin: midnight of ``d`` plus ``minutes`` (may pass midnight)."""
    naive = datetime.combine(d, time(0)) + timedelta(minutes=minutes)
    return naive.replace(tzinfo=BERLIN)


def _need_day(ref: Reference, what: str) -> date:
    if ref.day is None:
        raise _Fail(f"{what} needs the reference day, but the reference is only known to the {ref.precision}",
                    "reference")
    return ref.day


def _latest_weekday(on_or_before: date, wd: int) -> date:
    return on_or_before - timedelta(days=(on_or_before.weekday() - wd) % 7)


def _nearest_year(ref: Reference, month: int, day: int = 1) -> int:
    """Year of the occurrence of (month, day) nearest to the reference (ties to the past)."""
    if ref.precision == "year":
        return ref.year
    anchor = ref.day if ref.day is not None else date(ref.year, ref.month, 15)
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        dd = min(day, calendar.monthrange(y, month)[1])
        dist = (date(y, month, dd) - anchor).days
        key = (abs(dist), dist > 0)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1]


def _day_span(item: tuple, ref: Reference) -> tuple[date, date]:
    """Resolve one day item to [first day, last day] (inclusive)."""
    kind = item[0]
    if kind == "wd":
        _, wd, shift = item
        d0 = _need_day(ref, "a weekday")
        if shift is None:
            d = _latest_weekday(d0, wd)
        elif shift == "past":  # "am vergangenen Montag": strictly before the reference day
            d = _latest_weekday(d0 - timedelta(days=1), wd)
        elif shift == "next":  # "am kommenden Montag": strictly after the reference day
            d = d0 + timedelta(days=(wd - d0.weekday()) % 7 or 7)
        else:
            monday = d0 - timedelta(days=d0.weekday()) + timedelta(days=7 * shift)
            d = monday + timedelta(days=wd)
        return d, d
    if kind == "rel":
        d = _need_day(ref, "a relative day (heute, gestern, morgen)") + timedelta(days=item[1])
        return d, d
    if kind == "date":
        _, d, mo, y = item
        if y is None:
            y = _nearest_year(ref, mo, d)
        if not _valid_day(d, mo, y):
            raise _Fail(f"{d}.{mo}.{y} is not a date", "unknown")
        return date(y, mo, d), date(y, mo, d)
    if kind == "month":
        _, mo, y, qual = item
        if y is None:
            y = _nearest_year(ref, mo)
        last = calendar.monthrange(y, mo)[1]
        lo, hi = {"anfang": (1, 10), "mitte": (11, 20), "ende": (21, last), None: (1, last)}[qual]
        return date(y, mo, lo), date(y, mo, hi)
    if kind == "year":
        return date(item[1], 1, 1), date(item[1], 12, 31)
    if kind == "week":
        d0 = _need_day(ref, "a week")
        monday = d0 - timedelta(days=d0.weekday()) + timedelta(days=7 * item[1])
        return monday, monday + timedelta(days=6)
    if kind == "weekpart":
        _, qual, shift = item
        d0 = _need_day(ref, "a part of the week")
        if qual == "wochenende" and shift is None:  # the latest weekend that has begun
            sat = _latest_weekday(d0, 5)
            return sat, sat + timedelta(days=1)
        monday = d0 - timedelta(days=d0.weekday()) + timedelta(days=7 * (shift or 0))
        if qual == "wochenende":
            return monday + timedelta(days=5), monday + timedelta(days=6)
        return monday, monday + timedelta(days=1)
    raise _Fail(f"unsupported day item {kind}", "unknown")  # pragma: no cover


def _days(ex: _Expr, ref: Reference) -> tuple[date, date, bool]:
    """Resolve the day part of an expression: (first, last, is_single_calendar_day)."""
    if ex.days_ago is not None:
        d = _need_day(ref, "'vor N Tagen'") - timedelta(days=ex.days_ago)
        return d, d, True
    if ex.since_days is not None:
        d = _need_day(ref, "'seit N Tagen'")
        return d - timedelta(days=ex.since_days), d - timedelta(days=max(ex.since_days - 1, 0)), False
    if not ex.days:
        d = _need_day(ref, "a phrase without a day")
        return d, d, True
    items = ex.days
    if ("dayrange",) in items:  # "von Montag bis Mittwoch"
        items = [x for x in items if x not in (("dayrange",), ("apposition",))]
        if len(items) != 2:
            raise _Fail("'von … bis' with more than two days", "multiple")
        a0, _ = _day_span(items[0], ref)
        if items[1][0] == "wd" and items[1][2] is None:
            b1 = a0 + timedelta(days=(items[1][1] - a0.weekday()) % 7)
        else:
            _, b1 = _day_span(items[1], ref)
        if b1 < a0:
            raise _Fail("range ends before it starts", "conflict")
        return a0, b1, False
    groups: list[list[tuple]] = [[]]
    for x in items:
        if x == ("apposition",):
            groups.append([])
        else:
            groups[-1].append(x)
    absolute = [g[0] for g in groups if len(g) == 1 and g[0][0] in ("date", "month", "year")]
    if absolute and len(groups) > 1:
        # "am Montag des Schulstarts, 11. Januar 2021": the date fixes the day; a weekday must agree with it
        lo, hi = _day_span(absolute[0], ref)
        for g in groups:
            if len(g) == 1 and g[0][0] == "wd" and g[0][2] is None:
                if not (lo == hi and lo.weekday() == g[0][1]):
                    raise _Fail(f"weekday and date disagree ({lo.isoformat()} is not that weekday)", "conflict")
        groups = [g for g in groups if not (len(g) == 1 and g[0][0] == "wd" and g[0][2] is None)]
    spans = []
    for g in groups:
        first = _day_span(g[0], ref)
        lo, hi = first
        for x in g[1:]:  # a run: each next weekday follows the previous day
            if x[0] == "wd" and x[2] is None:
                nd = hi + timedelta(days=(x[1] - hi.weekday()) % 7 or 7)
                nlo = nhi = nd
            else:
                nlo, nhi = _day_span(x, ref)
            if nlo != hi + timedelta(days=1):
                raise _Fail("days listed with 'und' are not consecutive; split the phrase", "multiple")
            hi = nhi
        spans.append((lo, hi, len(g) == 1 and g[0][0] in ("wd", "rel", "date")))
    lo, hi, single = spans[0]
    for olo, ohi, _ in spans[1:]:  # apposition: "am Montag (11. Januar)" must agree
        if (olo, ohi) != (lo, hi):
            if olo <= lo and hi <= ohi:
                continue
            if lo <= olo and ohi <= hi:
                lo, hi = olo, ohi
                continue
            raise _Fail(f"day words disagree ({lo.isoformat()} vs {olo.isoformat()})", "conflict")
    return lo, hi, single and lo == hi


def _tod(ex: _Expr) -> tuple[str, int, int] | None:
    """Time of day: (kind, start_min, end_min) relative to the day, or None."""
    if len(ex.parts) > 1:
        names = {p[1] for p in ex.parts}
        halves = {p[2] for p in ex.parts} - {None}
        if len(names) > 1 or len(halves) > 1:
            raise _Fail("names two different parts of the day", "multiple")
        ex.parts = [("part", ex.parts[0][1], halves.pop() if halves else None)]
    part = None
    if ex.parts:
        _, name, half = ex.parts[0]
        s, e = PARTS_OF_DAY[name]
        mid = (s + e) // 2
        if half == "early":
            e = mid
        elif half == "late":
            s = mid
        part = (name, s, e)
    if len(ex.clocks) > 1:
        raise _Fail("names more than one clock time", "multiple")
    if ex.clocks:
        c = ex.clocks[0]
        if c[0] == "clock":
            pts = [(c[1], c[2])]
        else:
            pts = [c[1], c[2]]
        mins = []
        for h, m in pts:
            v = h * 60 + m
            if part is not None and h < 12 and part[0] in ("nachmittag", "abend", "nacht"):
                if part[1] <= v + 720 <= part[2]:
                    v += 720
            if part is not None and part[0] == "nacht" and v < 12 * 60:
                v += 24 * 60  # "nachts um 2 Uhr" is 02:00 of the next morning
            mins.append(v)
        if part is not None and not all(part[1] <= v <= part[2] for v in mins):
            raise _Fail("clock time outside the named part of the day", "conflict")
        if len(mins) == 1:
            return ("exact", mins[0], mins[0])
        if mins[1] < mins[0]:
            raise _Fail("clock range ends before it starts", "conflict")
        return ("range", mins[0], mins[1])
    if part is not None:
        return ("part_of_day", part[1], part[2])
    if ex.wholeday:
        return ("day", 0, 24 * 60)
    return None


def _resolve(ex: _Expr, ref: Reference) -> tuple[datetime, datetime, str, list[str]]:
    notes = list(ex.notes)
    if ex.now or ex.bisher:
        if ex.parts or ex.clocks:
            raise _Fail("'inzwischen'/'bisher' together with another time", "multiple")
        d = _need_day(ref, "'inzwischen'/'bisher'")
        if ex.days:
            lo, hi, _ = _days(ex, ref)
            if not (lo == hi == d):
                raise _Fail("'inzwischen'/'bisher' with a day other than the reference day", "conflict")
        start_of_day = _wall(d)
        if ref.moment is not None:
            if ex.bisher:
                return start_of_day, ref.moment, "before", notes
            return ref.moment, ref.moment, "exact", notes
        notes.append("reference known to the day only; span runs to the end of that day")
        return start_of_day, _wall(d + timedelta(days=1)), ("before" if ex.bisher else "day"), notes
    lo, hi, single = _days(ex, ref)
    tod = _tod(ex)
    ops = [o for o in ex.ops if o != "approx"]
    approx = "approx" in ex.ops
    rel = ops[0] if ops else None
    if ex.since_days is not None:
        return _wall(lo), _wall(hi + timedelta(days=1)), "since", notes
    if tod is None:
        start, end = _wall(lo), _wall(hi + timedelta(days=1))
        kind = "day" if lo == hi else "range"
        if ex.nightto:
            raise _Fail("'Nacht zu' without a night", "unknown")
        if rel in ("since", "until"):
            return start, end, rel, notes
        if rel in ("before", "after", "shortly_before", "shortly_after"):
            raise _Fail("'vor'/'nach' a whole day or period: no start or end of the span is given", "vague")
        return start, end, kind, notes
    if lo != hi:
        raise _Fail("a time of day on several days (a habit, not a time)", "multiple")
    day = lo
    if not _has_day(ex) and ex.parts and ex.parts[0][1] == "nacht":
        ex.nightto = True  # a bare "in der Nacht" is the night that ends on the reference day
    if ex.nightto:
        if not ex.parts or ex.parts[0][1] != "nacht":
            raise _Fail("'zu' after a part of day other than Nacht", "unknown")
        day = day - timedelta(days=1)
    tkind, s, e = tod
    if tkind == "exact" and approx:
        delta = 30 if s % 60 == 0 else 15
        s, e, tkind = s - delta, e + delta, "approx"
    if rel == "shortly_before":
        if tkind == "day":
            raise _Fail("'kurz vor' a whole day is vague", "vague")
        s, e, tkind = s - 15, s, "approx"
    elif rel == "shortly_after":
        if tkind == "day":
            raise _Fail("'kurz nach' a whole day is vague", "vague")
        s, e, tkind = e, e + 15, "approx"
    start, end = _wall(day, s), _wall(day, e)
    if rel in ("since", "until"):
        return start, end, rel, notes
    if rel == "before":  # from the start of the day X falls on
        return _wall(start.date()), start, "before", notes
    if rel == "after":  # to the end of the day X falls on
        return end, _wall(end.date() + timedelta(days=1)), "after", notes
    return start, end, tkind, notes


# --------------------------------------------------------------------------- public API
def _unresolved(text: str, reason: str, note: str | None = None) -> TimeSpan:
    return TimeSpan(text=text, start=None, end=None, kind=None, reason=reason, note=note)


def parse(text: str, reference: datetime | date | str | Reference) -> TimeSpan:
    """Turn one German time phrase into a :class:`TimeSpan`.

    Args:
        text: The phrase, verbatim ("gegen 14 Uhr", "am Montagmorgen"). Phrases longer
            than :data:`MAX_CHARS` characters are reported as unresolvable without scanning.
        reference: Publication time of the source: timezone-aware datetime, a date, or an
            ISO 8601 string of year, month, day or minute precision (see module docstring).

    Returns:
        The span in Europe/Berlin; ``start``/``end``/``kind`` are ``None`` and ``reason``
        says why when the phrase names no point or span in time.

    Raises:
        TimeExpressionError: If ``reference`` is naive or unreadable, or ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TimeExpressionError(f"text must be a str, not {type(text).__name__}")
    ref = parse_reference(reference)
    try:
        ex = _analyse(text)
        start, end, kind, notes = _resolve(ex, ref)
    except _Fail as f:
        return _unresolved(text, f.reason)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)


def _has_day(ex: _Expr) -> bool:
    return bool(ex.days) or ex.days_ago is not None or ex.since_days is not None


def _merge(day: _Expr, tim: _Expr) -> _Expr:
    """The time phrase applied on the day the day phrase names."""
    m = _Expr()
    src = tim if _has_day(tim) else day
    m.days, m.run, m.days_ago, m.since_days = src.days, src.run, src.days_ago, src.since_days
    has_tod = bool(tim.parts or tim.clocks or tim.wholeday)
    m.parts = tim.parts if has_tod else day.parts
    m.clocks = tim.clocks if has_tod else day.clocks
    m.wholeday = tim.wholeday if has_tod else day.wholeday
    m.nightto = tim.nightto if has_tod else day.nightto
    rel_t = [o for o in tim.ops if o != "approx"]
    rel_d = [o for o in day.ops if o != "approx"]
    m.ops = rel_t or rel_d
    if "approx" in tim.ops or ("approx" in day.ops and not has_tod):
        m.ops = m.ops + ["approx"]
    m.now = tim.now or day.now
    m.bisher = tim.bisher or day.bisher
    m.notes = day.notes + tim.notes
    return m


def parse_parts(day_text: str | None, time_text: str | None,
                reference: datetime | date | str | Reference) -> TimeSpan:
    """Combine a day phrase and a time phrase of one claim ("am Montag" + "gegen 14 Uhr").

    The time phrase is applied on the day the day phrase names. If both name a day they
    must agree (the time phrase's day must lie inside the day phrase's span). The time
    phrase's time of day and relation win over those of the day phrase ("am Montagmorgen"
    + "am Mittag" = Monday 11:30–13:30). If the time phrase names no time at all (a
    duration or frequency: "eine Stunde lang", "zeitweise") the day phrase's span is
    returned with a note. Either phrase may be empty or ``None``.

    Args:
        day_text: Verbatim day phrase, or ``None``/"".
        time_text: Verbatim time phrase, or ``None``/"".
        reference: Publication time, as for :func:`parse`.

    Returns:
        The combined :class:`TimeSpan`; ``text`` is ``"<day_text> | <time_text>"`` when
        both are given, else the one given.

    Raises:
        TimeExpressionError: As for :func:`parse`.
    """
    day_text = (day_text or "").strip() if isinstance(day_text, str) or day_text is None else day_text
    time_text = (time_text or "").strip() if isinstance(time_text, str) or time_text is None else time_text
    if not isinstance(day_text, str) or not isinstance(time_text, str):
        raise TimeExpressionError("day_text and time_text must be str or None")
    ref = parse_reference(reference)
    if not day_text and not time_text:
        return _unresolved("", "no day or time phrase given")
    if not day_text:
        return parse(time_text, ref)
    if not time_text:
        return parse(day_text, ref)
    text = f"{day_text} | {time_text}"
    try:
        dex = _analyse(day_text)
    except _Fail as f:
        dex, dfail = None, f
    try:
        tex = _analyse(time_text)
    except _Fail as f:
        tex, tfail = None, f
    try:
        if tex is None:
            if dex is not None and tfail.category == "no_time":
                start, end, kind, notes = _resolve(dex, ref)
                notes.append(f"time phrase names no time ({tfail.reason}); span from the day phrase")
                return TimeSpan(text, start, end, kind, None, "; ".join(notes))
            return _unresolved(text, f"time phrase: {tfail.reason}")
        if dex is None:
            if tex.days and not (tex.now or tex.bisher):
                start, end, kind, notes = _resolve(tex, ref)
                notes.append(f"day phrase not used ({dfail.reason}); day from the time phrase")
                return TimeSpan(text, start, end, kind, None, "; ".join(notes))
            return _unresolved(text, f"day phrase: {dfail.reason}")
        if tex.days and dex.days and not (tex.now or dex.now or tex.bisher or dex.bisher):
            tlo, thi, _ = _days(tex, ref)
            dlo, dhi, _ = _days(dex, ref)
            if not (dlo <= tlo and thi <= dhi):
                return _unresolved(text, f"day phrase ({dlo.isoformat()}) and time phrase "
                                         f"({tlo.isoformat()}) name different days")
        start, end, kind, notes = _resolve(_merge(dex, tex), ref)
    except _Fail as f:
        return _unresolved(text, f.reason)
    return TimeSpan(text, start, end, kind, None, "; ".join(notes) or None)


# --------------------------------------------------------------------------- CLI
def _jsonl(lines: Iterable[str], out: TextIO) -> int:
    """Answer JSON lines; a bad line gets an ``error`` object and the run goes on."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text = None
        try:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"invalid JSON: {exc}") from None
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
            if "reference" not in obj:
                raise ValueError("missing 'reference'")
            if "text" in obj:
                text = obj["text"]
                span = parse(text, obj["reference"])
            elif "day_text" in obj or "time_text" in obj:
                text = f"{obj.get('day_text') or ''} | {obj.get('time_text') or ''}"
                span = parse_parts(obj.get("day_text"), obj.get("time_text"), obj["reference"])
            else:
                raise ValueError("missing 'text' (or 'day_text'/'time_text')")
            rec = span.to_dict()
        except (ValueError, TimeExpressionError) as exc:
            rec = {"line": n, "text": text if isinstance(text, str) else None, "start": None, "end": None,
                   "kind": None, "error": str(exc)}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: one phrase (prints one JSON object) or ``--jsonl`` on stdin.

    Args:
        argv: Arguments without the program name; ``None`` reads :data:`sys.argv`.

    Returns:
        Exit status: 0 on success; argparse exits with 2 on bad arguments or reference.
    """
    ap = argparse.ArgumentParser(prog="python -m incident.timeexpr",
                                 description="German time phrase -> time interval (Europe/Berlin).")
    ap.add_argument("text", nargs="?", help="the (time) phrase, e.g. 'gegen 14 Uhr'")
    ap.add_argument("--reference", help="publication time, ISO 8601 (2021-01-12T09:30:00+01:00, 2021-01-12, 2021-01)")
    ap.add_argument("--day", dest="day_text", help="day phrase to combine with TEXT (parse_parts)")
    ap.add_argument("--jsonl", action="store_true",
                    help='read JSON lines {"text"|"day_text","time_text", "reference"} on stdin, write one per line')
    args = ap.parse_args(argv)
    if args.jsonl:
        if args.text is not None or args.reference is not None:
            ap.error("--jsonl reads text and reference from stdin; give neither on the command line")
        return _jsonl(sys.stdin, sys.stdout)
    if args.text is None and args.day_text is None:
        ap.error("give a phrase (or --jsonl)")
    if args.reference is None:
        ap.error("--reference is required")
    try:
        ref = parse_reference(args.reference)
    except TimeExpressionError as exc:
        ap.error(f"invalid --reference: {exc}")
    if args.day_text is not None:
        span = parse_parts(args.day_text, args.text, ref)
    else:
        span = parse(args.text, ref)
    print(json.dumps(span.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
