"""German time phrases to time intervals, with their uncertainty kept.

Reporters write "gegen 14 Uhr", "um die Mittagszeit", "seit dem frühen Nachmittag",
"Montagmorgen" or "zwischen 8 und 10 Uhr". :func:`parse` turns one such phrase into a
:class:`TimeSpan` (start, end, kind) relative to the publication time of its source;
:func:`parse_parts` combines a day phrase and a time phrase ("am Montag" + "gegen 14 Uhr").
A phrase that names no point or span in time gives ``start = end = None`` and a ``reason``,
never a guess. The conventions are in ``docs/timeexpr.md``; every number they rest on is named
in :mod:`incident.timeexpr.conventions`.

    >>> parse("gegen 14 Uhr", "2030-03-12T09:30:00+01:00").start.isoformat()
    '2030-03-12T13:30:00+01:00'

Calendar anchors ("zum Schulstart", "am zweiten Tag nach den Ferien") are resolved only with
:class:`Anchors` from the caller (:func:`anchors_from_descriptor` reads them from an incident
descriptor); the package names no incident.

Modules, one concept each:

* :mod:`~incident.timeexpr.lexicon` — the word tables;
* :mod:`~incident.timeexpr.conventions` — the numbers of the conventions, named;
* :mod:`~incident.timeexpr.tokens` — normalisation and tokens;
* :mod:`~incident.timeexpr.atoms` — typed atoms and day references;
* :mod:`~incident.timeexpr.grammar` — tokens -> atoms -> :class:`~incident.timeexpr.expression.Expr`;
* :mod:`~incident.timeexpr.resolve` — expression + reference -> span;
* :mod:`~incident.timeexpr.anchors` — calendar anchors from the caller;
* :mod:`~incident.timeexpr.reference`, :mod:`~incident.timeexpr.span` — input and result types;
* :mod:`~incident.timeexpr.api` — :func:`parse`, :func:`parse_parts`; :mod:`~incident.timeexpr.cli` — the CLI.

CLI::

    python -m incident.timeexpr --reference 2030-03-12T09:30:00+01:00 "gegen 14 Uhr"
    python -m incident.timeexpr --reference 2030-03-12 --day "am Montag" "gegen 14 Uhr"
    python -m incident.timeexpr --jsonl < phrases.jsonl   # {"text"|"day_text"+"time_text", "reference"}
"""

from __future__ import annotations

from incident.timeexpr.anchors import Anchors, DayAnchor, TimeAnchor, anchors_from_descriptor
from incident.timeexpr.api import parse, parse_parts
from incident.timeexpr.cli import main
from incident.timeexpr.conventions import KINDS, MAX_CHARS, PARTS_OF_DAY
from incident.timeexpr.reference import BERLIN, Reference, parse_reference
from incident.timeexpr.span import TimeSpan

__all__ = [
    "BERLIN",
    "KINDS",
    "MAX_CHARS",
    "PARTS_OF_DAY",
    "Anchors",
    "DayAnchor",
    "Reference",
    "TimeAnchor",
    "TimeSpan",
    "anchors_from_descriptor",
    "main",
    "parse",
    "parse_parts",
    "parse_reference",
]
