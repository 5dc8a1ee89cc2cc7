"""Calendar anchors: days and times of day that only the caller knows ("zum Schulstart").

A phrase such as "am zweiten Tag nach den Ferien" names a day of a school calendar, which
differs by German state: the parser cannot date it. The caller (the incident descriptor) can:
it passes :class:`Anchors` for the phrase's source, and the parser reads the constructions of
``docs/timeexpr.md`` ("Calendar anchors") against them. Both the dates and the words that name
them come from the caller, so the parser names no incident. Without anchors (or when a phrase
names an anchor the caller did not give) the phrase is refused exactly as before.

Example (a generated calendar)::

    Anchors(days={"term": DayAnchor(date(2030, 3, 11), names=("Schulstart",), counted=("Schultag",),
                                    follows=("Ferien",))},
            times={"lessons": TimeAnchor(time(8, 0), time(8, 15), names=("Unterrichtsbeginn",))})
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import MappingProxyType

from incident.errors import TimeExpressionError
from incident.timeexpr.tokens import word_key

WordKey = tuple[str, ...]


@dataclass(frozen=True)
class DayAnchor:
    """A calendar day the caller knows, with the words that name it.

    Attributes:
        day: The day for the phrase's source (e.g. the first school day after the holidays in the
            source's state); ``None`` when the caller knows the words but not the day for this
            source: then only a phrase naming a place of :attr:`Anchors.places` can use it.
        names: Words that name the day itself: "Schulstart" ("zum Schulstart", "beim Schulstart").
        counted: Day nouns counted from the day, day 1 being the anchor: "Schultag" ("am ersten
            Schultag" = the day, "am zweiten Schultag" = the next day). A plain "Tag" listed here
            makes "am zweiten Tag" a day of this anchor.
        follows: Words of the period the day is the first day after: "Ferien" ("am ersten Tag nach
            den Ferien" = the day, "am dritten Tag nach den Ferien" = two days later).
    """

    day: date | None
    names: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimeAnchor:
    """A time of day the caller knows ("Unterrichtsbeginn"), as a span of the wall clock.

    Attributes:
        start: Earliest time it can mean.
        end: Latest time it can mean (``start <= end``).
        names: Words that name it ("zu Unterrichtsbeginn", "zur üblichen Zeit des Unterrichtsbeginns").
    """

    start: time
    end: time
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Index:
    """Word keys of the anchors, for the grammar (built once per :class:`Anchors`)."""

    day_names: dict[WordKey, str]
    counted: dict[WordKey, str]
    follows: dict[WordKey, str]
    times: dict[WordKey, str]
    places: dict[WordKey, str]


@dataclass(frozen=True)
class Anchors:
    """What the caller knows about the calendar of one phrase's source.

    Attributes:
        days: Anchor name -> :class:`DayAnchor`.
        times: Anchor name -> :class:`TimeAnchor`.
        places: Place name -> {day anchor name: day there}: "beim Schulstart in <place>" uses that
            place's day instead of :attr:`DayAnchor.day`. Place names are matched word by word,
            case-insensitively ("Schleswig-Holstein" matches "Schleswig-Holstein").

    Words are matched case-insensitively after NFC normalisation, word by word (hyphenated
    words are several words). A word may belong to one anchor and role only.

    Raises:
        TimeExpressionError: On a word given twice, a time span that ends before it starts, or a
            place naming an unknown anchor.
    """

    days: Mapping[str, DayAnchor] = field(default_factory=dict)
    times: Mapping[str, TimeAnchor] = field(default_factory=dict)
    places: Mapping[str, Mapping[str, date]] = field(default_factory=dict)
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))
        object.__setattr__(self, "times", MappingProxyType(dict(self.times)))
        object.__setattr__(
            self, "places", MappingProxyType({p: MappingProxyType(dict(d)) for p, d in self.places.items()})
        )
        for name, t in self.times.items():
            if t.end < t.start:
                raise TimeExpressionError(f"time anchor {name!r} ends before it starts")
        for place, days in self.places.items():
            unknown = set(days) - set(self.days)
            if unknown:
                raise TimeExpressionError(f"place {place!r} gives a day for unknown anchor(s) {sorted(unknown)}")
        seen: dict[WordKey, str] = {}
        index = _Index(
            day_names=_keys(((n, a.names) for n, a in self.days.items()), "day", seen),
            counted=_keys(((n, a.counted) for n, a in self.days.items()), "counted", seen),
            follows=_keys(((n, a.follows) for n, a in self.days.items()), "follows", seen),
            times=_keys(((n, a.names) for n, a in self.times.items()), "time", seen),
            places=_keys(((p, (p,)) for p in self.places), "place", {}),
        )
        object.__setattr__(self, "_index", index)

    @property
    def index(self) -> _Index:
        """The anchors' words as token keys, for the grammar."""
        return self._index

    def day_of(self, name: str, place: str | None = None) -> date | None:
        """The day of anchor ``name``: at ``place`` when given, else for the phrase's source."""
        if place is not None:
            return self.places.get(place, {}).get(name)
        anchor = self.days.get(name)
        return None if anchor is None else anchor.day


def _keys(groups: Iterable[tuple[str, tuple[str, ...]]], role: str, seen: dict[WordKey, str]) -> dict[WordKey, str]:
    out: dict[WordKey, str] = {}
    for name, words in groups:
        if isinstance(words, str):
            raise TimeExpressionError(f"words of anchor {name!r} must be a list of words, not one string")
        for w in words:
            key = word_key(w)
            if not key:
                raise TimeExpressionError(f"anchor {name!r}: {w!r} has no word")
            if key in seen:
                raise TimeExpressionError(f"anchor word {w!r} is given twice ({seen[key]} and {role} of {name!r})")
            seen[key] = f"{role} of {name!r}"
            out[key] = name
    return out


def match(table: Mapping[WordKey, str], lows: list[str], i: int) -> tuple[str, int] | None:
    """The longest key of ``table`` that starts at ``lows[i]``: (name, number of words), or ``None``."""
    best = None
    for key, name in table.items():
        n = len(key)
        if tuple(lows[i : i + n]) == key and (best is None or n > best[1]):
            best = (name, n)
    return best


# ---------------------------------------------------------------- from the incident descriptor
_DAY_KEYS = {"names", "counted", "follows", "by_region", "about", "evidence"}
_TIME_KEYS = {"names", "span", "about", "evidence"}
_PARENTHESIS = re.compile(r"\s*\(.*\)\s*$")


def anchors_from_descriptor(block: Mapping | None, region: str | None) -> Anchors:
    """The :class:`Anchors` of one source, from the ``anchors`` block of an incident descriptor.

    Block layout (YAML; dates ``YYYY-MM-DD``, times quoted ``"HH:MM"``)::

        days:
          <name>:
            names: [...]      # see DayAnchor
            counted: [...]
            follows: [...]
            by_region: {<region>: <date>, ...}
            about: ..., evidence: ...   # free text, ignored
        times:
          <name>: {names: [...], span: ["08:00", "08:15"], about: ..., evidence: ...}

    Args:
        block: The ``anchors`` mapping, or ``None`` (no anchors).
        region: The source's ``region`` cell. It matches a ``by_region`` key exactly (case-insensitive),
            or after dropping a trailing parenthesis ("<region> (<district>)"); a cell naming several
            regions with "/" gets a day only when every one of them is a key and all give the same day.
            Anything else (``None``, "bundesweit") gets no day: phrases naming the anchor stay
            unresolved unless they name a place ("beim Schulstart in <region>").

    Returns:
        The anchors: every day anchor (``day`` ``None`` where the region has none), every time
        anchor, and every ``by_region`` key as a place.

    Raises:
        TimeExpressionError: On an unknown key, a bad date or time, or a word given twice.
    """
    if not block:
        return Anchors()
    if not isinstance(block, Mapping) or set(block) - {"days", "times"}:
        raise TimeExpressionError("anchors block: expected a mapping with keys 'days' and/or 'times'")
    days: dict[str, DayAnchor] = {}
    places: dict[str, dict[str, date]] = {}
    for name, spec in (block.get("days") or {}).items():
        _check_keys(spec, _DAY_KEYS, f"day anchor {name!r}")
        by_region = {
            str(k): _as_date(v, f"day anchor {name!r}, region {k!r}") for k, v in (spec.get("by_region") or {}).items()
        }
        for place, day in by_region.items():
            places.setdefault(place, {})[name] = day
        days[name] = DayAnchor(
            day=_region_day(by_region, region),
            names=_words(spec, "names"),
            counted=_words(spec, "counted"),
            follows=_words(spec, "follows"),
        )
    times: dict[str, TimeAnchor] = {}
    for name, spec in (block.get("times") or {}).items():
        _check_keys(spec, _TIME_KEYS, f"time anchor {name!r}")
        span = spec.get("span")
        if not isinstance(span, (list, tuple)) or len(span) != 2:
            raise TimeExpressionError(f"time anchor {name!r}: 'span' must be [start, end]")
        times[name] = TimeAnchor(_as_time(span[0], name), _as_time(span[1], name), names=_words(spec, "names"))
    return Anchors(days=days, times=times, places=places)


def _check_keys(spec: object, allowed: set[str], what: str) -> None:
    if not isinstance(spec, Mapping):
        raise TimeExpressionError(f"{what}: expected a mapping")
    unknown = set(spec) - allowed
    if unknown:
        raise TimeExpressionError(f"{what}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _words(spec: Mapping, key: str) -> tuple[str, ...]:
    words = spec.get(key) or ()
    if isinstance(words, str) or not all(isinstance(w, str) for w in words):
        raise TimeExpressionError(f"anchor words {key!r} must be a list of strings")
    return tuple(words)


def _as_date(value: object, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TimeExpressionError(f"{what}: {value!r} is not a date YYYY-MM-DD") from None


def _as_time(value: object, name: str) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str):  # YAML 1.1 reads an unquoted 08:00 as the number 480
        raise TimeExpressionError(f'time anchor {name!r}: {value!r} is not a quoted time "HH:MM"')
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise TimeExpressionError(f"time anchor {name!r}: {value!r} is not a time HH:MM") from None


def _region_day(by_region: Mapping[str, date], region: str | None) -> date | None:
    if not region or not region.strip():
        return None
    keys = {k.casefold(): d for k, d in by_region.items()}
    exact = keys.get(region.strip().casefold())
    if exact is not None:
        return exact
    parts = [p.strip().casefold() for p in _PARENTHESIS.sub("", region.strip()).split("/")]
    found = {keys.get(p) for p in parts}
    if None in found or len(found) != 1:
        return None
    return found.pop()
