"""Readers: one small function per construction, each turning tokens at the cursor into atoms.

A reader gets the :class:`Cursor` and its current token; if it recognises its construction it
emits atoms (or records a failure), advances the cursor and returns ``True``, else it returns
``False`` and the next reader is tried. Word readers are offered a word in the order of
:data:`WORD_READERS` (the order of the conventions), each only for the words it declares.
"""

from __future__ import annotations

from collections.abc import Callable

from incident.timeexpr import conventions as cv
from incident.timeexpr import lexicon as lx
from incident.timeexpr.anchors import Anchors
from incident.timeexpr.atoms import (
    AndAtom,
    Atom,
    BareNumber,
    BisherAtom,
    ClockAtom,
    CountAtom,
    DateRef,
    DayAtom,
    HalfAtom,
    MonthAtom,
    MonthQualifierAtom,
    NightToAtom,
    NowAtom,
    OccasionAtom,
    OpAtom,
    OrdinalAtom,
    PartAtom,
    RelativeDay,
    WeekAtom,
    WeekdayRef,
    WeekPartAtom,
    WholeDayAtom,
    YearAtom,
)
from incident.timeexpr.expression import Unresolvable
from incident.timeexpr.tokens import Tok


class Cursor:
    """A cursor over the tokens of one phrase, collecting atoms, failures and notes.

    ``anchors`` and ``place`` are read by the anchor readers (:mod:`~incident.timeexpr.anchor_readers`)."""

    def __init__(self, toks: list[Tok], anchors: Anchors | None, place: str | None):
        self.toks = toks
        self.lows = [t.low for t in toks]
        self.i = 0
        self.atoms: list[Atom] = []
        self.fails: list[tuple[str, str]] = []  # (category, word)
        self.notes: list[str] = []
        self.anchors = anchors
        self.place = place

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def low(self, k: int = 1) -> str:
        """Lower-case text of the token ``k`` ahead ("" past the end)."""
        j = self.i + k
        return self.lows[j] if j < len(self.lows) else ""

    def emit(self, *atoms: Atom, advance: int = 1) -> bool:
        self.atoms.extend(atoms)
        self.i += advance
        return True

    def skip(self, advance: int = 1) -> bool:
        self.i += advance
        return True

    def fail(self, category: str, advance: int = 1) -> bool:
        self.fails.append((category, self.tok.text))
        self.i += advance
        return True

    def clock_after(self, k: int) -> bool:
        t = self.peek(k)
        return t is not None and (t.kind in ("hm", "num") or t.low in lx.NUMWORDS or t.low in (lx.HALF_HOUR, "punkt"))

    def run(self, first: tuple[Reader, ...] = ()) -> None:
        """Offer each token to ``first``, then to the readers of its kind, in order; a word no reader
        takes is a failure."""
        while self.i < len(self.toks):
            t = self.tok
            readers = _BY_WORD.get(t.low, _OTHER_WORD) if t.kind == "word" else _READERS[t.kind]
            for reader in first + readers:
                if reader(self, t):
                    break
            else:
                self.fail(_fallback_category(t.low))


Reader = Callable[[Cursor, Tok], bool]


def split_compound(w: str) -> tuple[int, str] | None:
    """ "montagmorgen" -> (0, "morgen"); ``None`` when ``w`` is no weekday compound."""
    for name, wd in lx.WEEKDAYS.items():
        if w.startswith(name) and len(w) > len(name):
            rest = w[len(name) :]
            if rest in lx.COMPOUND_PARTS:
                return wd, lx.COMPOUND_PARTS[rest]
    return None


# --------------------------------------------------------------------------- readers by token kind
def _read_ellipsis(r: Cursor, t: Tok) -> bool:
    if t.kind != "ellipsis":
        return False
    raise Unresolvable("names two separate times ('…'); split the phrase", "multiple")


def _read_hm(r: Cursor, t: Tok) -> bool:
    """ "8.45", "08:30" (+ "Uhr")."""
    if t.kind != "hm":
        return False
    h, mi = int(t.low[:-3]), int(t.low[-2:])
    if h > cv.MAX_CLOCK_HOUR or mi > cv.MAX_CLOCK_MINUTE or (h == cv.MAX_CLOCK_HOUR and mi):
        return r.fail("unknown")
    explicit = r.low() == lx.UHR
    return r.emit(ClockAtom(h, mi, explicit), advance=1 + explicit)


def numeric_date(t: Tok) -> DateRef | None:
    """The day a numeric date token names ("11.01.2021", "11.1.", "11.1.21"), ``None`` when it names none."""
    parts = t.low.split(".")
    d, mo = int(parts[0]), int(parts[1])
    y = int(parts[2]) if parts[2] else None
    if y is not None and y < 100:
        y += cv.TWO_DIGIT_YEAR_BASE
    return DateRef(d, mo, y) if 1 <= mo <= 12 and cv.valid_day(d, mo, y) else None


def _read_date(r: Cursor, t: Tok) -> bool:
    """ "11.01.2021", "11.1.", or "8.15." read as a clock at the end of a sentence."""
    if t.kind != "date":
        return False
    if (ref := numeric_date(t)) is not None:
        return r.emit(DayAtom(ref))
    parts = t.low.split(".")
    d, mo = int(parts[0]), int(parts[1])
    if not parts[2] and d <= cv.MAX_CLOCK_HOUR and mo <= cv.MAX_CLOCK_MINUTE:
        explicit = r.low() == lx.UHR
        return r.emit(ClockAtom(d, mo, explicit), advance=1 + explicit)
    return r.fail("unknown")


def _read_ordinal(r: Cursor, t: Tok) -> bool:
    """ "11." (a day of a month, combined later)."""
    if t.kind != "ord":
        return False
    return r.emit(OrdinalAtom(int(t.low[:-1])))


def _read_half_hour(r: Cursor, t: Tok) -> bool:
    """ "halb neun" = 08:30."""
    if t.low != lx.HALF_HOUR:
        return False
    nx = r.peek()
    if nx is not None and (nx.kind == "num" or nx.low in lx.NUMWORDS):
        h = int(nx.low) if nx.kind == "num" else lx.NUMWORDS[nx.low]
        explicit = r.low(2) == lx.UHR
        if 1 <= h <= cv.MAX_CLOCK_HOUR:
            return r.emit(ClockAtom(h - 1, 30, explicit), advance=2 + explicit)
        return r.fail("unknown", advance=2 + explicit)
    return r.fail("unknown")


def _read_number(r: Cursor, t: Tok) -> bool:
    """Digits, number words and "ein(e)": a year, a clock hour ("8 Uhr"), a count ("2 Tagen") or bare."""
    w = t.low
    if not (t.kind == "num" or w in lx.NUMWORDS or w in lx.INDEF):
        return False
    if t.kind == "num":
        if len(w) > cv.MAX_NUMBER_DIGITS:
            return r.fail("unknown")
        val = int(w)
        if len(w) == 4 and cv.YEAR_MIN <= val <= cv.YEAR_MAX:
            return r.emit(YearAtom(val))
    else:
        val = lx.NUMWORDS.get(w, 1)
    unit = r.low()
    if unit == lx.UHR and w not in lx.INDEF:
        if val <= cv.MAX_CLOCK_HOUR:
            return r.emit(ClockAtom(val, 0, True), advance=2)
        return r.fail("unknown", advance=2)
    if unit in lx.COUNT_UNITS:
        return r.emit(CountAtom(val, unit), advance=2)
    if w in lx.INDEF:  # an article, not a number
        return r.skip()
    return r.emit(BareNumber(val))


# --------------------------------------------------------------------------- readers of words
def _read_filler(r: Cursor, t: Tok) -> bool:
    return r.skip() if t.low in lx.FILLERS else False


def _read_within(r: Cursor, t: Tok) -> bool:
    """ "innerhalb weniger Minuten", "innerhalb von zwei Stunden": a duration (no time), read as one."""
    if t.low != lx.WITHIN:
        return False
    k = 1
    while r.peek(k) is not None and (r.low(k) in lx.WITHIN_WORDS or r.low(k) in lx.NUMWORDS or r.peek(k).kind == "num"):
        k += 1
    if r.low(k) in lx.COUNT_UNITS:
        return r.fail("no_time", advance=k + 1)
    if r.peek() is None:  # "innerhalb" left by a stripped duration complement ("von zwei Stunden")
        return r.fail("no_time")
    return False


def _read_um_die(r: Cursor, t: Tok) -> bool:
    """ "um die 8 Uhr" is approximate."""
    if (t.low, r.low()) == lx.APPROX_UM_DIE and r.clock_after(2):
        return r.emit(OpAtom("approx"), advance=2)
    return False


def _read_qualified_weekday(r: Cursor, t: Tok) -> bool:
    """ "am vergangenen Montag", "am kommenden Montag"."""
    w = t.low
    if w in lx.WEEK_PAST | lx.WEEK_NEXT and r.low() in lx.WEEKDAYS:
        return r.emit(DayAtom(WeekdayRef(lx.WEEKDAYS[r.low()], "past" if w in lx.WEEK_PAST else "next")), advance=2)
    return False


def _read_qualified_week(r: Cursor, t: Tok) -> bool:
    """ "dieser / vergangener / nächster Woche"."""
    w = t.low
    if w in lx.WEEK_THIS | lx.WEEK_PAST | lx.WEEK_NEXT and r.low() == lx.WEEK:
        shift = 0 if w in lx.WEEK_THIS else (-1 if w in lx.WEEK_PAST else 1)
        return r.emit(WeekAtom(shift), advance=2)
    return False


def _read_month_qualifier(r: Cursor, t: Tok) -> bool:
    """ "Anfang/Mitte/Ende Dezember", "Anfang der Woche"."""
    w = t.low
    if w not in lx.MONTH_QUALIFIERS:
        return False
    k = 2 if r.low() in lx.GENITIVE_ARTICLES else 1
    if r.low(k) == lx.WEEK and w == lx.WEEK_START_QUALIFIER:
        return r.emit(WeekPartAtom(lx.WEEK_START_QUALIFIER), advance=k + 1)
    if r.low() in lx.MONTHS:
        return r.emit(MonthQualifierAtom(w))
    return r.fail("vague")


def _read_week_word(r: Cursor, t: Tok) -> bool:
    """ "Wochenbeginn", "Wochenende", "Woche"."""
    w = t.low
    if w in lx.WEEK_START_WORDS:
        return r.emit(WeekPartAtom(lx.WEEK_START_QUALIFIER))
    if w == lx.WEEKEND:
        return r.emit(WeekPartAtom(lx.WEEKEND))
    if w == lx.WEEK:
        return r.emit(WeekAtom(0))
    return False


def _read_article(r: Cursor, t: Tok) -> bool:
    return r.skip() if t.low in lx.ARTICLES else False


def _read_approx(r: Cursor, t: Tok) -> bool:
    return r.emit(OpAtom("approx")) if t.low in lx.APPROX else False


def _read_relation(r: Cursor, t: Tok) -> bool:
    return r.emit(OpAtom(lx.RELATIONS[t.low])) if t.low in lx.RELATIONS else False


def _read_shortly(r: Cursor, t: Tok) -> bool:
    """ "kurz vor X", "kurz nach X"."""
    if t.low == lx.SHORTLY and r.low() in lx.SHORTLY_RELATIONS:
        return r.emit(OpAtom(lx.SHORTLY_RELATIONS[r.low()]), advance=2)
    return False


def _read_and(r: Cursor, t: Tok) -> bool:
    return r.emit(AndAtom()) if t.low in lx.AND_WORDS else False


def _read_now(r: Cursor, t: Tok) -> bool:
    if t.low in lx.NOW:
        return r.emit(NowAtom())
    if t.low == lx.BISHER:
        return r.emit(BisherAtom())
    return False


def _read_relative_day(r: Cursor, t: Tok) -> bool:
    """heute, gestern, vorgestern, übermorgen, Vortag."""
    if t.low not in lx.RELATIVE_DAYS:
        return False
    if t.low in lx.RELATIVE_DAY_NOTES:
        r.notes.append(lx.RELATIVE_DAY_NOTES[t.low])
    return r.emit(DayAtom(RelativeDay(lx.RELATIVE_DAYS[t.low])))


def _read_whole_day(r: Cursor, t: Tok) -> bool:
    """ "im Laufe des Tages"."""
    return r.emit(WholeDayAtom()) if t.low in lx.WHOLE_DAY else False


def _read_half(r: Cursor, t: Tok) -> bool:
    """ "am frühen Nachmittag", "späten Abend"; "früh" alone after a day is the Morgen."""
    w = t.low
    if w not in lx.EARLY and w not in lx.LATE:
        return False
    following = r.low()
    if following in lx.PART_WORDS or split_compound(following) is not None:
        return r.emit(HalfAtom(cv.HALF_EARLY if w in lx.EARLY else cv.HALF_LATE))
    if w in lx.EARLY_ALONE:
        return r.emit(PartAtom("morgen"))
    return r.fail("no_time")


def _read_tomorrow(r: Cursor, t: Tok) -> bool:
    """Lower-case "morgen" is tomorrow, except after a day word or an article ("heute morgen")."""
    if t.low != lx.TOMORROW or not t.text[0].islower():
        return False
    prev = r.lows[r.i - 1] if r.i else ""
    if prev in lx.MORNING_CONTEXT:
        return r.emit(PartAtom("morgen"))
    return r.emit(DayAtom(RelativeDay(lx.TOMORROW_OFFSET)))


def _read_part_of_day(r: Cursor, t: Tok) -> bool:
    """ "Morgen", "mittags", "Nacht zu Dienstag", "Nacht von Montag auf Dienstag"."""
    w = t.low
    if w not in lx.PART_WORDS:
        return False
    part = PartAtom(lx.PART_WORDS[w])
    if w == lx.NIGHT and r.low() in lx.NIGHT_TO:
        return r.emit(part, NightToAtom(), advance=2)
    if w == lx.NIGHT and r.low() == lx.NIGHT_FROM and r.low(3) == lx.NIGHT_FROM_TO:
        r.notes.append("'Nacht von X auf Y' read as the night before Y")
        return r.emit(part, NightToAtom(), advance=4)  # the night before the day after "auf"
    return r.emit(part)


def _read_weekday(r: Cursor, t: Tok) -> bool:
    """ "Montag", "Montagmorgen"."""
    if t.low in lx.WEEKDAYS:
        return r.emit(DayAtom(WeekdayRef(lx.WEEKDAYS[t.low])))
    comp = split_compound(t.low)
    if comp is not None:
        return r.emit(DayAtom(WeekdayRef(comp[0])), PartAtom(comp[1]))
    return False


def _read_month(r: Cursor, t: Tok) -> bool:
    return r.emit(MonthAtom(lx.MONTHS[t.low])) if t.low in lx.MONTHS else False


def _read_occasion(r: Cursor, t: Tok) -> bool:
    """ "der heutige Start", "Start des Distanzunterrichts" (the genitive complement is skipped)."""
    if t.low not in lx.OCCASION:
        return False
    if r.low() in lx.OCCASION_COMPLEMENT and r.peek() is not None:
        return r.emit(OccasionAtom(t.low), advance=3)
    return r.emit(OccasionAtom(t.low))


def _fallback_category(w: str) -> str:
    """Why a word that no reader took names no time."""
    if w in lx.EVENT:
        return "event"
    if w in lx.NO_TIME:
        return "no_time"
    if w in lx.VAGUE or w in lx.WEEK_PAST or w in lx.WEEK_NEXT:
        return "vague"
    return "unknown"


#: Word readers in the order they are offered a word (the order of the conventions), each with the words
#: it can take (``None``: any word, it decides itself).
WORD_READERS: tuple[tuple[Reader, frozenset[str] | None], ...] = (
    (_read_half_hour, frozenset({lx.HALF_HOUR})),
    (_read_number, frozenset(lx.NUMWORDS) | lx.INDEF),
    (_read_filler, lx.FILLERS),
    (_read_within, frozenset({lx.WITHIN})),
    (_read_um_die, frozenset({lx.APPROX_UM_DIE[0]})),
    (_read_qualified_weekday, lx.WEEK_PAST | lx.WEEK_NEXT),
    (_read_qualified_week, lx.WEEK_THIS | lx.WEEK_PAST | lx.WEEK_NEXT),
    (_read_month_qualifier, lx.MONTH_QUALIFIERS),
    (_read_week_word, lx.WEEK_START_WORDS | {lx.WEEKEND, lx.WEEK}),
    (_read_article, lx.ARTICLES),
    (_read_approx, lx.APPROX),
    (_read_relation, frozenset(lx.RELATIONS)),
    (_read_shortly, frozenset({lx.SHORTLY})),
    (_read_and, lx.AND_WORDS),
    (_read_now, lx.NOW | {lx.BISHER}),
    (_read_relative_day, frozenset(lx.RELATIVE_DAYS)),
    (_read_whole_day, lx.WHOLE_DAY),
    (_read_half, lx.EARLY | lx.LATE),
    (_read_tomorrow, frozenset({lx.TOMORROW})),
    (_read_part_of_day, frozenset(lx.PART_WORDS)),
    (_read_weekday, None),  # weekdays and compounds ("Montagmorgen")
    (_read_month, frozenset(lx.MONTHS)),
    (_read_occasion, lx.OCCASION),
)


def _readers_for(word: str | None) -> tuple[Reader, ...]:
    return tuple(reader for reader, words in WORD_READERS if words is None or word in words)


#: Readers by token kind; word tokens are looked up in :data:`_BY_WORD` (else only the open readers).
_READERS: dict[str, tuple[Reader, ...]] = {
    "ellipsis": (_read_ellipsis,),
    "hm": (_read_hm,),
    "date": (_read_date,),
    "ord": (_read_ordinal,),
    "num": (_read_number,),
}
_BY_WORD: dict[str, tuple[Reader, ...]] = {
    w: _readers_for(w) for _, words in WORD_READERS if words is not None for w in words
}
_OTHER_WORD = _readers_for(None)
