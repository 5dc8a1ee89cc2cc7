"""Readers of the caller's calendar anchors ("zum Schulstart", "am zweiten Tag nach den Ferien").

Offered every token before the other readers, and only when the caller gives
:class:`~incident.timeexpr.anchors.Anchors`. A reader takes its construction only when the
anchor it names has a day for the phrase's source (or the place the phrase names); otherwise
the words are read as without anchors and the phrase keeps its reason.
"""

from __future__ import annotations

from datetime import timedelta

from incident.timeexpr import conventions as cv
from incident.timeexpr import lexicon as lx
from incident.timeexpr.anchors import Anchors, match
from incident.timeexpr.atoms import AnchorDayRef, AnchorRefAtom, Atom, DayAtom, PlaceAtom, TimeAnchorAtom
from incident.timeexpr.expression import Unresolvable
from incident.timeexpr.readers import Cursor, Reader
from incident.timeexpr.tokens import Tok


def place_named(toks: list[Tok], anchors: Anchors) -> str | None:
    """The one place of the anchors the phrase names with "in <place>" (``None``: none, or several)."""
    lows = [t.low for t in toks]
    found = set()
    for i, w in enumerate(lows):
        if w == lx.PLACE_PREPOSITION:
            m = match(anchors.index.places, lows, i + 1)
            if m is not None:
                found.add(m[0])
    return found.pop() if len(found) == 1 else None


def _read_place(r: Cursor, t: Tok) -> bool:
    """ "in <place>" (only when the place gives a day to an anchor the phrase names)."""
    if r.place is None or t.low != lx.PLACE_PREPOSITION:
        return False
    m = match(r.anchors.index.places, r.lows, r.i + 1)
    if m is None or m[0] != r.place:
        return False
    return r.emit(PlaceAtom(m[0], " ".join(x.text for x in r.toks[r.i : r.i + 1 + m[1]])), advance=1 + m[1])


def _ordinal_value(t: Tok) -> int | None:
    if t.kind == "ord":
        return int(t.low[:-1])
    return lx.ORDINALS.get(t.low)


def _day_noun(r: Cursor, j: int) -> tuple[str | None, int] | None:
    """At token ``j``: a counted day noun of an anchor (name, words) or the plain "Tag" (None, 1)."""
    m = match(r.anchors.index.counted, r.lows, j)
    if m is not None:
        return m
    if j < len(r.lows) and r.lows[j] == lx.DAY_NOUN:
        return None, 1
    return None


def _after_anchor(r: Cursor, j: int, own: bool) -> tuple[str, int] | None:
    """ "nach [den] <anchor word>" at ``j``: (anchor, index after it). ``own``: only the anchor's follows words."""
    if j >= len(r.lows) or r.lows[j] != lx.ANCHOR_AFTER:
        return None
    k = j + 1 + (j + 1 < len(r.lows) and r.lows[j + 1] in lx.ANCHOR_ARTICLES)
    idx = r.anchors.index
    m = match(idx.follows, r.lows, k) or (None if own else match(idx.day_names, r.lows, k))
    return None if m is None else (m[0], k + m[1])


def _read_counted_day(r: Cursor, t: Tok) -> bool:
    """ "am zweiten Tag nach dem Schulstart", "am ersten Schultag", "An Tag zwei nach den Ferien"."""
    n = _ordinal_value(t)
    if n is not None:
        noun = _day_noun(r, r.i + 1)
        if noun is None:
            return False
        j = r.i + 1 + noun[1]
    else:
        noun = _day_noun(r, r.i)
        nx = r.peek(noun[1]) if noun is not None else None
        if nx is None or not (nx.low in lx.NUMWORDS or (nx.kind == "num" and len(nx.low) <= 2)):
            return False
        if r.low(noun[1] + 1) == lx.UHR:  # "Tag 8 Uhr" is no count
            return False
        n = lx.NUMWORDS[nx.low] if nx.low in lx.NUMWORDS else int(nx.low)
        j = r.i + noun[1] + 1
    if n < 1:
        return False
    after = _after_anchor(r, j, own=False)
    if after is not None:
        name, j = after
        if noun[0] is not None and noun[0] != name:
            return False
    elif noun[0] is None or (j < len(r.lows) and r.lows[j] in lx.COUNTED_DAY_COMPLEMENT):
        return False  # a plain "Tag" the caller did not count, or "am ersten Tag des Lockdowns"
    else:
        name = noun[0]
    if r.anchors.day_of(name, r.place) is None:
        return False
    return r.emit(AnchorRefAtom(name, n, " ".join(x.text for x in r.toks[r.i : j])), advance=j - r.i)


def _read_anchor_day(r: Cursor, t: Tok) -> bool:
    """ "zum Schulstart", "beim Schulstart", "zum Schulstart nach den Ferien"."""
    m = match(r.anchors.index.day_names, r.lows, r.i)
    if m is None or r.anchors.day_of(m[0], r.place) is None:
        return False
    j = r.i + m[1]
    after = _after_anchor(r, j, own=True)
    if after is not None and after[0] == m[0]:
        j = after[1]
    return r.emit(AnchorRefAtom(m[0], 1, " ".join(x.text for x in r.toks[r.i : j])), advance=j - r.i)


def _read_time_anchor(r: Cursor, t: Tok) -> bool:
    """ "zu Unterrichtsbeginn", "vor Unterrichtsbeginn", "zur üblichen Zeit des Unterrichtsbeginns"."""
    j = r.i
    if r.lows[j] in lx.USUAL and r.low() == lx.TIME_NOUN:
        j += 1
    if r.lows[j] == lx.TIME_NOUN and j + 1 < len(r.lows) and r.lows[j + 1] in lx.GENITIVE_ARTICLES:
        j += 2
    elif j != r.i:
        return False
    m = match(r.anchors.index.times, r.lows, j)
    if m is None:
        return False
    span = r.anchors.times[m[0]]
    start = span.start.hour * cv.MINUTES_PER_HOUR + span.start.minute
    end = span.end.hour * cv.MINUTES_PER_HOUR + span.end.minute
    return r.emit(TimeAnchorAtom(m[0], start, end), advance=j + m[1] - r.i)


#: With anchors, the anchor readers are offered every token first.
ANCHOR_READERS: tuple[Reader, ...] = (_read_place, _read_counted_day, _read_anchor_day, _read_time_anchor)


def bind_anchors(atoms: list[Atom], anchors: Anchors, place: str | None) -> list[Atom]:
    """Anchor day atoms -> day atoms with their date (the place's, if the phrase names one)."""
    out: list[Atom] = []
    for a in atoms:
        if isinstance(a, PlaceAtom):
            continue
        if isinstance(a, AnchorRefAtom):
            first = anchors.day_of(a.name, place)
            if a.ordinal > 1 and first.weekday() + a.ordinal - 1 > cv.LAST_SCHOOL_WEEKDAY:
                raise Unresolvable(
                    f"'{a.text}' is day {a.ordinal} counted from {first.isoformat()} (anchor {a.name!r}), past the "
                    "Friday of that week: school days skip weekends and holidays, which needs the school calendar",
                    "event",
                )
            a = DayAtom(AnchorDayRef(a.name, a.ordinal, first + timedelta(days=a.ordinal - 1)))
        out.append(a)
    return out
