"""Who a sentence says said something, and what stance it reports.

A sentence attributes when it has a cue of reported speech
(:data:`~incident.textcheck.lexicon.ATTRIBUTION`: "laut", "nach Angaben von", "sagte",
"räumte … ein", "nannte", ", so …"). Its speaker keys are its capitalised words that are not
ordinary words of the topic (:data:`~incident.textcheck.lexicon.NOT_SPEAKERS`), split at
hyphens ("Firmen-Geschäftsführer" → "Firmen", "Geschäftsführer"); role nouns (kept as keys too,
so "Bundesinnenministerium" finds a speaker written that way) ("Ministerin",
"Sprecherin") add the fragments they match in the evidence's English or German speaker fields
(:data:`~incident.textcheck.lexicon.ROLES`). A key that names someone (a name, an
organisation) weighs more than a role.

The stance is the first of :data:`~incident.textcheck.lexicon.STANCES` found, with the words
that decided it; "nach eigenen Angaben" names no one and gives no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incident.textcheck.lexicon import ATTRIBUTION, NOT_SPEAKERS, ROLES, SELF_ATTRIBUTION, STANCES

_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\wÄÖÜäöüß]*(?:-[\wÄÖÜäöüß]+)*")
#: Shortest key compared with a speaker field (shorter words match too much).
MIN_KEY = 3


@dataclass(frozen=True)
class Attribution:
    """The reported speech of a sentence.

    Attributes:
        cue: The words that make it reported speech ("sagte", "räumte … ein").
        names: Keys that name someone (lower case).
        roles: Fragments of role nouns (lower case).
        stance: The stance reported, or None.
        stance_text: The words that decided the stance.
    """

    cue: str
    names: tuple[str, ...]
    roles: tuple[str, ...]
    stance: str | None
    stance_text: str

    @property
    def has_speaker(self) -> bool:
        return bool(self.names or self.roles)


def stance(text: str) -> tuple[str | None, str]:
    """The first stance the text reports and the words that show it, or ``(None, "")``."""
    for pattern, kind in STANCES:
        m = pattern.search(text)
        if m:
            return kind, m.group(0)
    return None, ""


def attribution(text: str, *, skip: list[tuple[int, int]] = ()) -> Attribution | None:
    """The reported speech of a sentence, or None when it has no cue of it.

    Args:
        text: The sentence.
        skip: Spans (platform mentions that are not speakers, day and time phrases) left out of the keys.
    """
    cue = ATTRIBUTION.search(text)
    if cue is None:
        return None
    names: list[str] = []
    roles: list[str] = []
    for m in _CAPITALISED.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        for part in m.group(0).split("-"):
            low = part.lower()
            role = [frag for pattern, frags in ROLES if pattern.search(low) for frag in frags]
            if role:
                roles += role
            if len(low) >= MIN_KEY and low not in NOT_SPEAKERS:
                names.append(low)
    if SELF_ATTRIBUTION.search(text) and not names and not roles:
        return None
    kind, words = stance(text)
    return Attribution(cue.group(0), tuple(dict.fromkeys(names)), tuple(dict.fromkeys(roles)), kind, words)
