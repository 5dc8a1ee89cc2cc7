"""Platforms named in a sentence, from the descriptor's names and ``aliases``.

A name matches case-insensitively as whole words; each word may carry a German inflection
ending ("Lernwolkes", "des Zentralen Meldesystems"), and a hyphen matches a hyphen or a space.
A display name with a parenthesis ("ZMS (Zentrales Meldesystem)") counts as both of its parts.
Longer names win over the shorter names inside them ("Lern-App Eule" over "Lern-App"), and a
span of text names at most one platform.

A platform's *family* is the platform and the platforms whose id extends its id by a hyphen
(the platform ``a`` covers ``a-video`` and ``a-login``): a sentence about the whole platform is
supported by what the sources say about any of its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incident.evidence.descriptor import Incident

_ENDING = r"(?:e|en|er|es|em|n|s|'s)?"


@dataclass(frozen=True)
class Mention:
    """A platform named in a sentence: its id, the words as written, and where."""

    platform: str
    text: str
    start: int
    end: int


def _names(name: str) -> list[str]:
    outside = re.sub(r"\([^)]*\)", " ", name).strip()
    inside = re.findall(r"\(([^)]*)\)", name)
    return [n for n in (outside, *inside) if n.strip()]


def _pattern(name: str) -> str:
    words = re.split(r"[\s\-]+", name.strip())
    body = r"[\s\-]+".join(re.escape(w) + _ENDING for w in words if w)
    return rf"(?<![\w-]){body}(?![\w])"


class Mentions:
    """Finds the platforms of one incident in text."""

    def __init__(self, incident: Incident):
        self.incident = incident
        names: list[tuple[str, str]] = []
        for p in incident.platforms:
            for n in (*_names(p.name), *p.aliases):
                names.append((n, p.id))
        names.sort(key=lambda x: -len(x[0]))
        self._patterns = [(re.compile(_pattern(n), re.IGNORECASE), pid) for n, pid in names]
        ids = incident.platform_ids
        self._family = {pid: frozenset(x for x in ids if x == pid or x.startswith(pid + "-")) for pid in ids}

    def find(self, text: str) -> list[Mention]:
        """Every platform mention, in order of appearance, overlapping mentions resolved to the longest."""
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for pattern, pid in self._patterns:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(Mention(pid, m.group(0), m.start(), m.end()))
        return sorted(found, key=lambda x: x.start)

    def family(self, platform: str) -> frozenset[str]:
        """The platform and its parts (ids that extend its id by a hyphen)."""
        return self._family.get(platform, frozenset({platform}))

    def name(self, platform: str) -> str:
        """German display name."""
        return self.incident.platform_name(platform)


def platforms_of(value: str) -> set[str]:
    """The platform ids of a table cell (``"a; b"`` → ``{"a", "b"}``)."""
    return {x.strip() for x in str(value or "").split(";") if x.strip()}
