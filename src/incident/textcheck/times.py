"""Day and time phrases found in a sentence, resolved through :mod:`incident.timeexpr`.

The finder only locates candidate phrases (weekdays with their parts, "am 10. September",
clock times with their prepositions and hedges, parts of the day, ranges, the descriptor's
calendar anchors); what a phrase means is decided by :func:`incident.timeexpr.parse_parts`
with the conventions of ``docs/timeexpr.md`` ("gegen 8 Uhr" = 7.30–8.30 Uhr). A leading "ab"
or "seit" marks the time as the start of what the sentence reports, "bis" as its end; the
marker is taken off before the phrase is parsed, so "bis 12.47 Uhr" is the point 12.47 Uhr.

A draft has no publication time: weekdays are read relative to the incident window (the
latest such weekday not after its last day), and a time without a day is tried on every day
of the window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from incident.evidence.descriptor import Incident
from incident.textcheck.lexicon import ONSET_PREFIX, RECOVERY_PREFIX
from incident.timeexpr import Anchors, TimeSpan, anchors_from_descriptor, parse_parts

_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
_PART = r"(?:morgen|vormittag|mittag|nachmittag|abend|früh|nacht)"
_MONTH = (
    r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|Jan\.|Feb\.|Sept?\.|Okt\.|Nov\.|Dez\.)"
)
_NUMWORD = r"(?:eins|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf)"
_CLOCK = rf"(?:\d{{1,2}}(?:[.:]\d{{2}})?|{_NUMWORD})\s+Uhr(?:\s+\d{{1,2}}\b(?!\s*(?:Minuten|Prozent|%)))?"
_HEDGE = r"(?:(?:erst|schon|bereits|noch|kurz|etwa|ungefähr|genau|Punkt|pünktlich|spätestens|frühestens)\s+)*"
_PREP = r"(?:(?:um|gegen|ab|seit|bis|vor|nach)\s+)?(?:(?:etwa|ungefähr|kurz|spätestens)\s+)?(?:(?:vor|nach|um)\s+)?"

_DAY = re.compile(
    rf"\b(?:(?:am|an diesem|diesen|vom|seit|bis|ab)\s+)?(?:(?:vergangenen|gestrigen|heutigen|folgenden|nächsten)\s+)?"
    rf"{_WEEKDAY}{_PART}?s?\b"
    rf"|\b(?:(?:am|vom|seit|bis)\s+)?\d{{1,2}}\.\s*{_MONTH}(?:\s+\d{{4}})?"
    rf"|\b(?:(?:am|vom|seit|bis)\s+)?\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})?",
    re.IGNORECASE,
)
_TIME = re.compile(
    rf"\b(?:zwischen|von)\s+(?:\d{{1,2}}(?:[.:]\d{{2}})?|{_NUMWORD})(?:\s+Uhr)?\s+(?:und|bis)\s+{_CLOCK}"
    rf"|\b{_HEDGE}{_PREP}{_CLOCK}"
    rf"|\b{_HEDGE}(?:(?:am|im Laufe des|gegen|bis zum|bis zur|ab dem|seit dem|zur|um die|den ganzen)\s+)?"
    rf"(?:(?:frühen|späten)\s+)?(?:Morgen|Vormittag|Mittagszeit|Mittag|Nachmittag|Abend)\b"
    rf"|\b{_HEDGE}(?:morgens|vormittags|mittags|nachmittags|abends)\b",
    re.IGNORECASE,
)
_STRIP = re.compile(r"^(?:(?:erst|schon|bereits|noch)\s+)?(?:ab|seit|bis)\s+(?:(?:dem|zum|zur)\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    """A day or time phrase of a sentence: ``kind`` is ``day`` or ``time``; offsets into the sentence."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class When:
    """What a sentence says about time.

    Attributes:
        day: The day phrase, or None.
        time: The time phrase, or None.
        edge: ``onset`` ("ab …", "seit …"), ``recovery`` ("bis …") or None.
        spans: Resolved span per local day of the window (one day when the sentence names it).
        phrase: The words as written ("am Montag gegen 8 Uhr").
    """

    day: Phrase | None
    time: Phrase | None
    edge: str | None
    spans: dict[date, TimeSpan]

    @property
    def phrase(self) -> str:
        return " ".join(p.text for p in (self.day, self.time) if p is not None)

    @property
    def has_clock(self) -> bool:
        return self.time is not None


class Times:
    """Finds and resolves the day and time phrases of sentences for one incident."""

    def __init__(self, incident: Incident):
        self.incident = incident
        self.anchors: Anchors | None = anchors_from_descriptor(incident.anchors, None) if incident.anchors else None
        names = []
        for spec in (incident.anchors or {}).get("days", {}).values():
            names += list(spec.get("names", []))
        self._anchor = (
            re.compile(r"\b(?:zum|am|beim|nach dem|seit dem)\s+(?:" + "|".join(map(re.escape, names)) + r")\b", re.I)
            if names
            else None
        )
        self.days = incident.days
        self.zone = incident.timezone  # phrases are read on the incident's wall clock

    def find(self, text: str) -> list[Phrase]:
        """Candidate phrases, in order; a time phrase never overlaps a day phrase."""
        found: list[Phrase] = []
        for m in _DAY.finditer(text):
            found.append(Phrase("day", m.group(0), m.start(), m.end()))
        if self._anchor is not None:
            for m in self._anchor.finditer(text):
                found.append(Phrase("day", m.group(0), m.start(), m.end()))
        for m in _TIME.finditer(text):
            if not any(m.start() < p.end and p.start < m.end() for p in found):
                found.append(Phrase("time", m.group(0).strip(), m.start(), m.end()))
        return sorted(found, key=lambda p: p.start)

    def when(self, text: str) -> When | None:
        """The sentence's first day and time phrase, resolved; None when it has neither or neither resolves."""
        phrases = self.find(text)
        day = next((p for p in phrases if p.kind == "day"), None)
        time = next((p for p in phrases if p.kind == "time"), None)
        if day is None and time is None:
            return None
        edge = None
        core = None
        if time is not None:
            edge = (
                "onset" if ONSET_PREFIX.match(time.text) else "recovery" if RECOVERY_PREFIX.match(time.text) else None
            )
            core = _STRIP.sub("", time.text) if edge else time.text
        spans: dict[date, TimeSpan] = {}
        if day is not None:
            span = self._on_named_day(day.text, core)
            if span is not None and span.resolved:
                spans[span.start.date()] = span
        else:
            for d in self.days:
                span = parse_parts(None, core, d, anchors=self.anchors, zone=self.zone)
                if span.resolved and span.start.date() == d:
                    spans[d] = span
        if not spans:
            return None
        return When(day, time, edge, spans)

    def _on_named_day(self, day_text: str, time_text: str | None) -> TimeSpan | None:
        first, last = self.days[0], self.days[-1]
        for ref in (last, last + timedelta(days=1), first):
            span = parse_parts(day_text, time_text, ref, anchors=self.anchors, zone=self.zone)
            if span.resolved and first - timedelta(days=7) <= span.start.date() <= last + timedelta(days=7):
                return span
        return None
