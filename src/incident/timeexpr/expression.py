"""The analysed expression of one phrase (:class:`Expr`) and the internal failure (:class:`Unresolvable`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from incident.timeexpr.atoms import Apposition, Clock, DayRangeMark, DayRef, PartAtom

#: Failure categories; :func:`~incident.timeexpr.parse_parts` falls back to the day phrase on ``no_time``.
CATEGORIES = ("unknown", "event", "vague", "no_time", "multiple", "conflict", "reference")


class Unresolvable(Exception):
    """Internal: the phrase names no defensible span. ``reason`` is shown to the user."""

    def __init__(self, reason: str, category: str = "unknown"):
        super().__init__(reason)
        self.reason = reason
        self.category = category


@dataclass
class Expr:
    """What a phrase says about time, before it is read against a reference.

    Attributes:
        days: Day references, with :class:`Apposition` between two readings of the same day and a
            trailing :class:`DayRangeMark` for "von … bis".
        run: Several days joined by "und" (a run of consecutive days).
        parts: Parts of the day named.
        clocks: Clock times, clock ranges and time anchors named.
        wholeday: "im Laufe des Tages".
        ops: Relations ("since", "until", "before", "after", "shortly_before", "shortly_after") and "approx".
        now: "inzwischen" and the like.
        bisher: "bisher".
        nightto: "Nacht zu X" (the night that ends on the day).
        clock_on_day: A clock time after midnight "nachts" belongs to the day named (set by
            :func:`merge` when a day phrase names a plain day and the time phrase the clock):
            "am Donnerstag" | "um 3 Uhr nachts" is 03:00 on Thursday, not on Friday.
        days_ago: "vor N Tagen".
        since_days: "seit N Tagen".
        occasion: An occasion noun was named.
        notes: What was ignored or assumed.
    """

    days: list[DayRef | Apposition | DayRangeMark] = field(default_factory=list)
    run: bool = False
    parts: list[PartAtom] = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)
    wholeday: bool = False
    ops: list[str] = field(default_factory=list)
    now: bool = False
    bisher: bool = False
    nightto: bool = False
    clock_on_day: bool = False
    days_ago: int | None = None
    since_days: int | None = None
    occasion: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def has_day(self) -> bool:
        """True when the expression names a day of its own."""
        return bool(self.days) or self.days_ago is not None or self.since_days is not None

    @property
    def has_time_of_day(self) -> bool:
        """True when the expression names a time of day (part, clock, anchor or the whole day)."""
        return bool(self.parts or self.clocks or self.wholeday)

    @property
    def relations(self) -> list[str]:
        """The relations named, without "approx"."""
        return [o for o in self.ops if o != "approx"]

    @property
    def approx(self) -> bool:
        """True when an approximation word was named."""
        return "approx" in self.ops


def merge(day: Expr, tim: Expr) -> Expr:
    """The time phrase's expression applied on the day the day phrase names (for ``parse_parts``)."""
    m = Expr()
    src = tim if tim.has_day else day
    m.days, m.run, m.days_ago, m.since_days = src.days, src.run, src.days_ago, src.since_days
    has_tod = tim.has_time_of_day
    m.parts = tim.parts if has_tod else day.parts
    m.clocks = tim.clocks if has_tod else day.clocks
    m.wholeday = tim.wholeday if has_tod else day.wholeday
    m.nightto = tim.nightto if has_tod else day.nightto
    # a plain day from the day phrase and "nachts um 3" from the time phrase: the clock reading is
    # on that date (the night that ends on it), as a clock time names a moment of a date
    m.clock_on_day = bool(has_tod and not tim.has_day and day.has_day and not day.has_time_of_day and tim.clocks)
    m.ops = tim.relations or day.relations
    if tim.approx or (day.approx and not has_tod):
        m.ops = m.ops + ["approx"]
    m.now = tim.now or day.now
    m.bisher = tim.bisher or day.bisher
    m.notes = day.notes + tim.notes
    return m
