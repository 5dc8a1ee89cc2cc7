"""Typed atoms: what the words of a phrase contribute, before they are combined.

:mod:`~incident.timeexpr.grammar` reads tokens into atoms, then combines them into an
:class:`~incident.timeexpr.expression.Expr`. Day atoms carry a *day reference* (one of the
``…Ref`` classes); :mod:`~incident.timeexpr.resolve` turns those into calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


# ---------------------------------------------------------------- day references
@dataclass(frozen=True)
class WeekdayRef:
    """A weekday. ``shift``: ``None`` (latest on or before the reference day), ``"past"`` / ``"next"``
    (strictly before / after it: "am vergangenen Montag"), or a week offset (0 = the reference's week)."""

    weekday: int
    shift: str | int | None = None


@dataclass(frozen=True)
class RelativeDay:
    """heute (0), gestern (−1), morgen (+1) …"""

    offset: int


@dataclass(frozen=True)
class DateRef:
    """A calendar date; ``year`` is ``None`` when the phrase gives none."""

    day: int
    month: int
    year: int | None = None


@dataclass(frozen=True)
class DayOfMonthRef:
    """A day number without a month ("seit dem 21."): the nearest such day to the reference day."""

    day: int


@dataclass(frozen=True)
class MonthRef:
    """A month, or a third of it (``qualifier`` "anfang" / "mitte" / "ende")."""

    month: int
    year: int | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class YearRef:
    """A calendar year."""

    year: int


@dataclass(frozen=True)
class WeekRef:
    """An ISO week relative to the reference's (0 = this week, −1 = the week before)."""

    shift: int


@dataclass(frozen=True)
class WeekPartRef:
    """ "Anfang der Woche" (``qualifier`` "anfang") or "Wochenende"; ``shift`` as in :class:`WeekRef`."""

    qualifier: str
    shift: int | None = None


@dataclass(frozen=True)
class AnchorDayRef:
    """A day the caller's anchors give: day ``ordinal`` counted from the anchor ``name`` (1 = the anchor)."""

    name: str
    ordinal: int
    day: date


DayRef = WeekdayRef | RelativeDay | DateRef | DayOfMonthRef | MonthRef | YearRef | WeekRef | WeekPartRef | AnchorDayRef
#: Day references that name days of the calendar without the reference day.
ABSOLUTE_DAYS = (DateRef, MonthRef, YearRef, AnchorDayRef)
#: Day references that name exactly one calendar day.
SINGLE_DAYS = (WeekdayRef, RelativeDay, DateRef, DayOfMonthRef, AnchorDayRef)


@dataclass(frozen=True)
class Apposition:
    """Separator between two readings of the same day ("am Montag (11. Januar)")."""


@dataclass(frozen=True)
class DayRangeMark:
    """Marks a "von … bis" range of days."""


# ---------------------------------------------------------------- atoms
@dataclass(frozen=True)
class DayAtom:
    """A day, week, month or year."""

    ref: DayRef


@dataclass(frozen=True)
class PartAtom:
    """A part of the day; ``half`` is "early", "late" or ``None``."""

    name: str
    half: str | None = None


@dataclass(frozen=True)
class HalfAtom:
    """ "früh"/"spät" before a part of the day."""

    half: str


@dataclass(frozen=True)
class ClockAtom:
    """A clock time; ``explicit`` when "Uhr" follows."""

    hour: int
    minute: int
    explicit: bool = False


@dataclass(frozen=True)
class ClockRangeAtom:
    """ "zwischen 8 und 10 Uhr": two (hour, minute) pairs."""

    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True)
class TimeAnchorAtom:
    """A time of day the caller's anchors give ("zu Unterrichtsbeginn"), in minutes after midnight."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class BareNumber:
    """A number without "Uhr" or a unit (not read as a time)."""

    value: int


@dataclass(frozen=True)
class CountAtom:
    """A number with a unit: "2 Tagen", "eine Stunde"."""

    value: int
    unit: str


@dataclass(frozen=True)
class WholeDayAtom:
    """ "im Laufe des Tages", "den ganzen Tag"."""


@dataclass(frozen=True)
class OpAtom:
    """A relation or approximation: approx, since, bis, before, after, between, from, shortly_before/after."""

    name: str


@dataclass(frozen=True)
class AndAtom:
    """ "und" / "sowie"."""


@dataclass(frozen=True)
class NowAtom:
    """ "inzwischen", "derzeit" …: the reference moment."""


@dataclass(frozen=True)
class BisherAtom:
    """ "bisher": the reference day up to the reference moment."""


@dataclass(frozen=True)
class NightToAtom:
    """ "Nacht zu/auf X": the night that ends on day X."""


@dataclass(frozen=True)
class OccasionAtom:
    """An occasion noun ("Start", "Störung"): transparent when the phrase fixes the day."""

    word: str


@dataclass(frozen=True)
class OrdinalAtom:
    """ "11." before a month."""

    value: int


@dataclass(frozen=True)
class MonthQualifierAtom:
    """ "Anfang" / "Mitte" / "Ende" before a month."""

    qualifier: str


@dataclass(frozen=True)
class MonthAtom:
    """A month name (combined with ordinals and years into day references)."""

    month: int


@dataclass(frozen=True)
class YearAtom:
    """A four-digit year."""

    year: int


@dataclass(frozen=True)
class WeekAtom:
    """ "Woche", "dieser / vergangener / nächster Woche" (``shift`` 0 / −1 / +1)."""

    shift: int


@dataclass(frozen=True)
class WeekPartAtom:
    """ "Wochenbeginn", "Anfang der Woche", "Wochenende"."""

    qualifier: str


@dataclass(frozen=True)
class DayRangeAtom:
    """Closes a "von <day> bis <day>" range."""


@dataclass(frozen=True)
class AnchorRefAtom:
    """A day anchor named in the phrase, before the place decides its date."""

    name: str
    ordinal: int
    text: str


@dataclass(frozen=True)
class PlaceAtom:
    """ "in <place>": the place whose anchor days apply."""

    name: str
    text: str


Atom = (
    DayAtom
    | PartAtom
    | HalfAtom
    | ClockAtom
    | ClockRangeAtom
    | TimeAnchorAtom
    | BareNumber
    | CountAtom
    | WholeDayAtom
    | OpAtom
    | AndAtom
    | NowAtom
    | BisherAtom
    | NightToAtom
    | OccasionAtom
    | OrdinalAtom
    | MonthQualifierAtom
    | MonthAtom
    | YearAtom
    | WeekAtom
    | WeekPartAtom
    | DayRangeAtom
    | AnchorRefAtom
    | PlaceAtom
)
#: Clock-like time-of-day entries of an expression.
Clock = ClockAtom | ClockRangeAtom | TimeAnchorAtom
#: Atoms that name some time (used to tell a duration phrase from a time phrase with a duration).
TIME_ATOMS = (
    DayAtom,
    PartAtom,
    ClockAtom,
    TimeAnchorAtom,
    WholeDayAtom,
    NowAtom,
    BisherAtom,
    MonthAtom,
    YearAtom,
    WeekAtom,
    WeekPartAtom,
    AnchorRefAtom,
)
