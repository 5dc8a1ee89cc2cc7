"""Tokens -> atoms -> the analysed expression (:class:`~incident.timeexpr.expression.Expr`).

:func:`analyse` runs four steps:

1. :func:`read_atoms`: each token is offered to the readers of :mod:`~incident.timeexpr.readers` in order
   (one small function per construction, in the order of the conventions: the first that accepts it
   consumes one or more tokens and emits atoms). Words that name no time are collected as failures by
   category (event, vague, no_time, unknown) and reported together. With caller
   :class:`~incident.timeexpr.anchors.Anchors`, the readers of :mod:`~incident.timeexpr.anchor_readers`
   are offered every token first.
2. :func:`reduce_dates`: "11. Januar 2021", "14. und 15. Dezember", "Anfang Dezember", years.
3. :func:`attach_week_qualifiers`, :func:`read_ranges`: "Donnerstag und Freitag letzter Woche",
   "zwischen 8 und 10 Uhr", "von Montag bis Mittwoch".
4. :func:`collect`: the atoms into an :class:`Expr`, with the checks that need the whole phrase.
"""

from __future__ import annotations

from incident.timeexpr import conventions as cv
from incident.timeexpr import lexicon as lx
from incident.timeexpr.anchor_readers import ANCHOR_READERS, bind_anchors, place_named
from incident.timeexpr.anchors import Anchors
from incident.timeexpr.atoms import (
    SINGLE_DAYS,
    TIME_ATOMS,
    AnchorRefAtom,
    AndAtom,
    Apposition,
    Atom,
    BareNumber,
    BisherAtom,
    ClockAtom,
    ClockRangeAtom,
    CountAtom,
    DateRef,
    DayAtom,
    DayOfMonthRef,
    DayRangeAtom,
    DayRangeMark,
    HalfAtom,
    MonthAtom,
    MonthQualifierAtom,
    MonthRef,
    NightToAtom,
    NowAtom,
    OccasionAtom,
    OpAtom,
    OrdinalAtom,
    PartAtom,
    TimeAnchorAtom,
    WeekAtom,
    WeekdayRef,
    WeekPartAtom,
    WeekPartRef,
    WeekRef,
    WholeDayAtom,
    YearAtom,
    YearRef,
)
from incident.timeexpr.expression import Expr, Unresolvable
from incident.timeexpr.readers import Cursor, numeric_date
from incident.timeexpr.span import SENTENCE_NOTE
from incident.timeexpr.tokens import Tok, normalise, tokenize


def analyse(text: str, anchors: Anchors | None = None) -> Expr:
    """Turn a phrase into an unresolved expression.

    Raises:
        Unresolvable: When the phrase names no defensible span (with the reason).
    """
    if len(text) > cv.MAX_CHARS:  # checked before any scan of the text
        raise Unresolvable(f"longer than {cv.MAX_CHARS} characters; not a time phrase", "unknown")
    notes: list[str] = []
    toks = strip_duration_complement(tokenize(normalise(text)), notes)
    atoms = read_atoms(toks, notes, anchors)
    atoms = read_ranges(attach_week_qualifiers(reduce_dates(atoms)))
    return collect(atoms, Expr(notes=notes))


#: What separates two times in one phrase ("mittags … innerhalb weniger Minuten").
ELLIPSES = ("…", "...")


def split_times(text: str) -> list[str] | None:
    """The parts of a phrase that names several times, split at "…" / "..."; ``None`` without one.

    Phrases longer than :data:`~incident.timeexpr.conventions.MAX_CHARS` are not split (they are refused)."""
    if len(text) > cv.MAX_CHARS or not any(e in text for e in ELLIPSES):
        return None
    for e in ELLIPSES[1:]:
        text = text.replace(e, ELLIPSES[0])
    return [p.strip() for p in text.split(ELLIPSES[0]) if p.strip()] or None


def date_in_sentence(text: str) -> Expr | None:
    """The one date written in a longer text ("Am Dienstag, 12.1.2021, meldete die Stadt …").

    Read are numeric dates ("12.1.2021", "12. 1.") and a day with a month name ("12. Januar [2021]");
    weekdays and relative days are not. ``None`` when the text holds no date, two different ones, or is
    longer than :data:`~incident.timeexpr.conventions.MAX_CHARS`.
    """
    if len(text) > cv.MAX_CHARS:
        return None
    toks = tokenize(normalise(text))
    found: set[DateRef] = set()
    for k, t in enumerate(toks):
        if t.kind == "date":
            if (ref := numeric_date(t)) is not None:
                found.add(ref)
        elif t.kind == "ord" and k + 1 < len(toks) and toks[k + 1].low in lx.MONTHS:
            d, mo = int(t.low[:-1]), lx.MONTHS[toks[k + 1].low]
            nxt = toks[k + 2] if k + 2 < len(toks) else None
            y = int(nxt.low) if nxt is not None and nxt.kind == "num" and len(nxt.low) == 4 else None
            if y is not None and not cv.YEAR_MIN <= y <= cv.YEAR_MAX:
                y = None
            if cv.valid_day(d, mo, y):
                found.add(DateRef(d, mo, y))
    if len(found) != 1:
        return None
    ref = found.pop()
    return Expr(days=[ref], notes=[f"the day phrase is a sentence; {SENTENCE_NOTE} ({text!r})"])


def strip_duration_complement(toks: list[Tok], notes: list[str]) -> list[Tok]:
    """Drop a trailing "von [jeweils] einigen Minuten" (a duration, not a time), with a note."""
    if len(toks) >= 3 and toks[-1].low in lx.DURATION_UNITS:
        for k in range(len(toks) - 2, max(len(toks) - cv.DURATION_COMPLEMENT_LOOKBACK, -1), -1):
            if toks[k].low == lx.DURATION_COMPLEMENT_START:
                mid = toks[k + 1 : -1]
                if all(t.low in lx.DURATION_COMPLEMENT_WORDS or t.kind == "num" or t.low in lx.NUMWORDS for t in mid):
                    notes.append("duration '" + " ".join(t.text for t in toks[k:]) + "' ignored")
                    return toks[:k]
                break
    return toks


# =========================================================================== 1. tokens -> atoms
def read_atoms(toks: list[Tok], notes: list[str], anchors: Anchors | None = None) -> list[Atom]:
    """The atoms of the tokens; failures are raised as one :class:`Unresolvable` (see :func:`raise_for`)."""
    if anchors is None:
        r = Cursor(toks, None, None)
        r.run()
    else:
        r = Cursor(toks, anchors, place_named(toks, anchors))
        r.run(ANCHOR_READERS)
        if r.place is not None and not any(isinstance(a, AnchorRefAtom) for a in r.atoms):
            r = Cursor(toks, anchors, None)  # the place qualifies no anchor: read the words as without it
            r.run(ANCHOR_READERS)
    notes.extend(r.notes)
    if r.fails:
        raise_for(r.fails, r.atoms, notes)
    return bind_anchors(r.atoms, anchors, r.place) if anchors is not None else r.atoms


# --------------------------------------------------------------------------- failures
def has_full_date(atoms: list[Atom]) -> bool:
    """True if the atoms hold a date with a year ("11.01.2021", "11. Januar 2021")."""
    for k, a in enumerate(atoms):
        if isinstance(a, DayAtom) and isinstance(a.ref, DateRef) and a.ref.year is not None:
            return True
        if (
            isinstance(a, OrdinalAtom)
            and k + 2 < len(atoms)
            and isinstance(atoms[k + 1], MonthAtom)
            and isinstance(atoms[k + 2], YearAtom)
        ):
            return True
    return False


def raise_for(fails: list[tuple[str, str]], atoms: list[Atom], notes: list[str]) -> None:
    """Raise the failure of the words no reader took: event > vague > unknown > no_time.

    Event words next to a full date are ignored with a note ("am Montag des Schulstarts, 11. Januar 2021").
    Duration and frequency words alone make the phrase a "no_time" failure; next to a time they are not.
    """
    cats = {c for c, _ in fails}
    if cats == {"event"} and has_full_date(atoms):
        notes.append("event words " + ", ".join(repr(w) for _, w in fails) + " ignored: the phrase gives a full date")
        return

    def words(cat: str) -> str:
        return ", ".join(repr(w) for c, w in fails if c == cat)

    if "event" in cats:
        raise Unresolvable(
            f"refers to an event or a school-calendar day ({words('event')}) that the phrase does "
            "not date (school calendars differ by Land)",
            "event",
        )
    if "vague" in cats:
        raise Unresolvable(f"vague or open-ended ({words('vague')}): no defensible span", "vague")
    if "unknown" in cats:
        raise Unresolvable(f"unrecognised word(s) {words('unknown')}; not read as a time", "unknown")
    if not any(isinstance(a, TIME_ATOMS) for a in atoms):
        raise Unresolvable(
            f"names a duration, frequency or narrative order ({words('no_time')}), not a time", "no_time"
        )


# =========================================================================== 2.–3. combine atoms
def reduce_dates(atoms: list[Atom]) -> list[Atom]:
    """Ordinals, months, month thirds and years into day atoms ("14. und 15. Dezember 2020")."""
    red: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if isinstance(a, OrdinalAtom):
            i = _reduce_ordinals(atoms, i, red)
            continue
        if isinstance(a, MonthQualifierAtom) and isinstance(nxt, MonthAtom):
            y = _year_at(atoms, i + 2)
            red.append(DayAtom(MonthRef(nxt.month, y, a.qualifier)))
            i += 3 if y is not None else 2
            continue
        if isinstance(a, MonthAtom):
            y = _year_at(atoms, i + 1)
            red.append(DayAtom(MonthRef(a.month, y, None)))
            i += 2 if y is not None else 1
            continue
        if isinstance(a, YearAtom):
            red.append(DayAtom(YearRef(a.year)))
        else:
            red.append(a)
        i += 1
    return red


def _year_at(atoms: list[Atom], i: int) -> int | None:
    return atoms[i].year if i < len(atoms) and isinstance(atoms[i], YearAtom) else None


def _reduce_ordinals(atoms: list[Atom], i: int, red: list[Atom]) -> int:
    """ "ord ((und|bis) ord)* month [year]" at ``i`` into dates appended to ``red`` ("4. und 5. Januar",
    "19. bis 21. Januar": the month and year of the last apply to all); returns the next index."""
    ords = [atoms[i].value]
    seps: list[Atom] = []
    j = i + 1
    while (
        j + 1 < len(atoms)
        and (isinstance(atoms[j], AndAtom) or atoms[j] == OpAtom("bis"))
        and isinstance(atoms[j + 1], OrdinalAtom)
    ):
        seps.append(atoms[j])
        ords.append(atoms[j + 1].value)
        j += 2
    if j < len(atoms) and isinstance(atoms[j], MonthAtom):
        mo = atoms[j].month
        y = _year_at(atoms, j + 1)
        if y is not None:
            j += 1
        for k, d in enumerate(ords):
            if not cv.valid_day(d, mo, y):
                raise Unresolvable(f"{d}.{mo}. is not a date", "unknown")
            if k:
                red.append(seps[k - 1])
            red.append(DayAtom(DateRef(d, mo, y)))
        return j + 1
    # "seit dem 21.", "vom 19. bis 21.": days of a month the phrase does not name
    for k, d in enumerate(ords):
        if not 1 <= d <= cv.MAX_DAY_OF_MONTH:
            raise Unresolvable(f"ordinal {d}. is no day of a month", "unknown")
        if k:
            red.append(seps[k - 1])
        red.append(DayAtom(DayOfMonthRef(d)))
    return j


def _is_weekday(a: Atom, unshifted: bool = False) -> bool:
    return isinstance(a, DayAtom) and isinstance(a.ref, WeekdayRef) and (not unshifted or a.ref.shift is None)


def attach_week_qualifiers(atoms: list[Atom]) -> list[Atom]:
    """A week after weekdays shifts them ("Donnerstag und Freitag letzter Woche"); after "Anfang der"
    it shifts that part of the week. Remaining weeks and week parts become day atoms."""
    red: list[Atom] = []
    for a in atoms:
        if isinstance(a, WeekAtom) and red and _is_weekday(red[-1], unshifted=True):
            red[-1] = DayAtom(WeekdayRef(red[-1].ref.weekday, a.shift))
            k = len(red) - 2
            while k >= 1 and isinstance(red[k], AndAtom) and _is_weekday(red[k - 1]):
                red[k - 1] = DayAtom(WeekdayRef(red[k - 1].ref.weekday, a.shift))
                k -= 2
            continue
        if isinstance(a, WeekAtom) and red and isinstance(red[-1], WeekPartAtom):
            red[-1] = DayAtom(WeekPartRef(red[-1].qualifier, a.shift))
            continue
        red.append(a)
    return [
        DayAtom(WeekPartRef(a.qualifier, None))
        if isinstance(a, WeekPartAtom)
        else DayAtom(WeekRef(a.shift))
        if isinstance(a, WeekAtom)
        else a
        for a in red
    ]


def read_ranges(atoms: list[Atom]) -> list[Atom]:
    """ "zwischen A und B", "von A bis B": clock ranges and day ranges; a lone "von" is dropped."""
    red: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if isinstance(a, OpAtom) and a.name in ("between", "from") and i + 3 < len(atoms):
            x, sep, y = atoms[i + 1], atoms[i + 2], atoms[i + 3]
            sep_ok = isinstance(sep, AndAtom) if a.name == "between" else sep == OpAtom("bis")
            if sep_ok and isinstance(x, (ClockAtom, BareNumber)) and isinstance(y, (ClockAtom, BareNumber)):
                red.append(_clock_range(x, y))
                i += 4
                continue
            if sep_ok and isinstance(x, DayAtom) and isinstance(y, DayAtom):
                red.extend([x, AndAtom(), y, DayRangeAtom()])
                i += 4
                continue
            if a.name == "between":
                raise Unresolvable("'zwischen' without two clock times or days", "unknown")
            i += 1  # a lone "von" ("die Störung von Montagmorgen", "vom 19. Januar")
            continue
        if (
            isinstance(a, DayAtom)
            and i + 2 < len(atoms)
            and atoms[i + 1] == OpAtom("bis")
            and isinstance(atoms[i + 2], DayAtom)
        ):  # "vom 19. bis 21. Januar" ("vom" is read as an article), "seit dem 19. bis 21.": a range of days
            if red and red[-1] == OpAtom("since"):
                red.pop()
            red.extend([a, AndAtom(), atoms[i + 2], DayRangeAtom()])
            i += 3
            continue
        red.append(a)
        i += 1
    return red


def _clock_range(x: ClockAtom | BareNumber, y: ClockAtom | BareNumber) -> ClockRangeAtom:
    if isinstance(x, BareNumber) and isinstance(y, BareNumber):
        raise Unresolvable("range of bare numbers without 'Uhr'; not read as clock times", "unknown")
    hx, mx = (x.hour, x.minute) if isinstance(x, ClockAtom) else (x.value, 0)
    hy, my = (y.hour, y.minute) if isinstance(y, ClockAtom) else (y.value, 0)
    if hx > cv.MAX_CLOCK_HOUR or hy > cv.MAX_CLOCK_HOUR:
        raise Unresolvable("clock hour above 24", "unknown")
    return ClockRangeAtom((hx, mx), (hy, my))


# =========================================================================== 4. atoms -> expression
def collect(atoms: list[Atom], ex: Expr) -> Expr:
    """Fill ``ex`` from the combined atoms and check the phrase as a whole."""
    pending_half = None
    last: Atom | None = None
    for a in atoms:
        if isinstance(a, HalfAtom):
            pending_half = a.half
            continue
        if isinstance(a, PartAtom):
            ex.parts.append(PartAtom(a.name, pending_half or a.half))
            pending_half = None
        elif isinstance(a, DayAtom):
            _collect_day(ex, a, last)
        elif isinstance(a, AndAtom):
            if not isinstance(last, DayAtom):
                raise Unresolvable("'und' that joins no days or clock times", "unknown")
        elif isinstance(a, DayRangeAtom):
            ex.days.append(DayRangeMark())
        elif isinstance(a, (ClockAtom, ClockRangeAtom, TimeAnchorAtom)):
            ex.clocks.append(a)
        elif isinstance(a, BareNumber):
            raise Unresolvable(f"bare number {a.value} without 'Uhr' is not read as a time", "unknown")
        elif isinstance(a, OpAtom):
            _collect_op(ex, a)
        elif isinstance(a, CountAtom):
            _collect_count(ex, a, last)
        else:
            _collect_flag(ex, a)
        last = a
    if pending_half:
        raise Unresolvable("'früh'/'spät' without a part of day", "no_time")
    _check(ex, atoms)
    return ex


def _collect_day(ex: Expr, a: DayAtom, last: Atom | None) -> None:
    """A day joins a run after "und", else it is another reading of the same day (apposition)."""
    if isinstance(last, AndAtom) and ex.days:
        ex.run = True
    elif ex.days:
        ex.days.append(Apposition())
    ex.days.append(a.ref)


def _collect_op(ex: Expr, a: OpAtom) -> None:
    if a.name == "bis":
        ex.ops.append("until")
    elif a.name == "between":
        raise Unresolvable("'zwischen' without two clock times", "unknown")
    elif a.name != "from":
        ex.ops.append(a.name)


def _collect_count(ex: Expr, a: CountAtom, last: Atom | None) -> None:
    """ "vor 2 Tagen", "seit 3 Tagen"; a duration ("zwei Stunden") is ignored with a note."""
    after_op = isinstance(last, OpAtom)
    if a.unit in lx.DAY_UNITS and "before" in ex.ops and after_op:
        ex.ops.remove("before")
        ex.days_ago = a.value
    elif a.unit in lx.DAY_UNITS and "since" in ex.ops and after_op:
        ex.since_days = a.value
    elif a.unit in lx.DURATION_UNITS:
        ex.notes.append(f"duration '{a.value} {a.unit}' is not a time; ignored")
    else:
        raise Unresolvable(f"relative period '{a.value} {a.unit}': no defensible span", "vague")


def _collect_flag(ex: Expr, a: Atom) -> None:
    if isinstance(a, WholeDayAtom):
        ex.wholeday = True
    elif isinstance(a, NowAtom):
        ex.now = True
    elif isinstance(a, BisherAtom):
        ex.bisher = True
    elif isinstance(a, NightToAtom):
        ex.nightto = True
    elif isinstance(a, OccasionAtom):
        ex.occasion = True


def _check(ex: Expr, atoms: list[Atom]) -> None:
    names_time = (
        ex.days
        or ex.parts
        or ex.clocks
        or ex.wholeday
        or ex.now
        or ex.bisher
        or ex.days_ago is not None
        or ex.since_days is not None
    )
    if ex.occasion and not any(isinstance(d, SINGLE_DAYS) for d in ex.days):
        raise Unresolvable("names an occasion (Start, Auftakt, Störung) but no day", "event")
    if not names_time:
        if any(isinstance(a, CountAtom) for a in atoms):
            raise Unresolvable("names a duration, not a time", "no_time")
        raise Unresolvable("names no day or time", "unknown")
    if len(set(ex.ops) - {"approx"}) > 1:
        raise Unresolvable(f"contradictory relations {sorted(set(ex.ops))}", "conflict")
