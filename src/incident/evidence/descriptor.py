"""The incident descriptor: the facts of one incident, read from its folder.

Everything that makes an incident *this* incident — its title, time zone, window, the hours
that count as the working or school day, the platforms with their German names, the
quantities the article may cite, who counts as an authority or a crowd counter, calendar
anchors and chart headlines — lives in ``data/raw/<incident>/incident.yaml``. Code reads it
through :func:`load_descriptor`; nothing in ``src/`` names a shipped incident.

The file is validated against ``incident.schema.json`` (JSON Schema, beside this module)
and then for what a schema cannot say (a valid IANA zone, regular expressions that compile,
ids that are unique, exhibits that name known quantities). Every problem is reported at
once as a :class:`~incident.errors.ValidationError` naming ``incident.yaml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import yaml

from incident.config import Paths
from incident.errors import Problem, ValidationError

#: File name of the descriptor inside the incident's raw folder.
FILE = "incident.yaml"
#: Largest descriptor read (a descriptor is a page of YAML, not data).
MAX_BYTES = 1_000_000
#: Deepest nesting of the descriptor's YAML (the shipped ones nest five levels).
MAX_DEPTH = 20
#: Longest incident window in days (a window of centuries would make every day-based step crawl).
MAX_WINDOW_DAYS = 62
_SCHEMA = Path(__file__).with_name("incident.schema.json")


@dataclass(frozen=True)
class Platform:
    """One platform of the vocabulary.

    Attributes:
        id: Platform id as used in the claim tables.
        name: German display name.
        article: Whether the article follows it (a row of its charts and fact box).
        family: The platform id this one is a part of (a platform's video module of the platform), or ''.
        aliases: Other names a text may use for it (an abbreviation, "Videokonferenz von X").
    """

    id: str
    name: str
    article: bool = False
    family: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quantity:
    """A measured quantity the tables report figures for.

    Attributes:
        key: The ``quantity`` key of ``counts.csv``.
        label: German label saying what exactly is counted.
        short: Short German label for chart axes (defaults to ``label``).
        factbox: Whether the article may cite it.
    """

    key: str
    label: str
    short: str
    factbox: bool = False


@dataclass(frozen=True)
class Incident:
    """A validated incident descriptor.

    Attributes:
        id: Incident id (the folder name).
        title: German title of the publication.
        subtitle: German subtitle (may be empty).
        language: Language of the publication (``de``).
        timezone: IANA time zone every time is shown in.
        first_day: First local day of the incident window.
        last_day: Last local day of the window (inclusive).
        day_start: Start of the working or school day (chart axes only).
        day_end: End of the working or school day.
        context_ids: Platform ids that name no platform (``general`` …).
        platforms: Every platform, in display order.
        authority: Pattern that makes a speaker an authority.
        crowd: Pattern that makes a witness a crowd-report counter.
        quantities: Every quantity with its German label, in display order.
        anchors: Calendar anchors (raw mapping, read by :mod:`incident.timeexpr`).
        exhibits: Per exhibit name: ``headline`` and its inputs.
    """

    id: str
    title: str
    subtitle: str
    language: str
    timezone: str
    first_day: date
    last_day: date
    day_start: time
    day_end: time
    context_ids: frozenset[str]
    platforms: tuple[Platform, ...]
    authority: re.Pattern
    crowd: re.Pattern
    quantities: tuple[Quantity, ...]
    anchors: dict[str, Any] = field(default_factory=dict)
    exhibits: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def zone(self) -> ZoneInfo:
        """The time zone as :class:`zoneinfo.ZoneInfo`."""
        return ZoneInfo(self.timezone)

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Window as tz-aware ``(start, end)``: first day 00:00 to the day after the last, 00:00."""
        return (
            pd.Timestamp(self.first_day).tz_localize(self.timezone),
            pd.Timestamp(self.last_day + timedelta(days=1)).tz_localize(self.timezone),
        )

    @property
    def days(self) -> list[date]:
        """Every local day of the window."""
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]

    @property
    def platform_ids(self) -> tuple[str, ...]:
        """Every platform id, in display order."""
        return tuple(p.id for p in self.platforms)

    @property
    def article_platforms(self) -> tuple[str, ...]:
        """Ids of the platforms the article follows, in display order."""
        return tuple(p.id for p in self.platforms if p.article)

    def family_of(self, platform: str) -> str:
        """The platform id whose part ``platform`` is ('' for none)."""
        return next((p.family for p in self.platforms if p.id == platform), "")

    def platform_name(self, platform: str) -> str:
        """German display name of a platform id; several ids (``'a; b'``) are joined with ' / '.

        Unknown ids are shown as given (the loader refuses them in the tables).
        """
        names = {p.id: p.name for p in self.platforms}
        parts = [x.strip() for x in str(platform).split(";") if x.strip()]
        return " / ".join(names.get(x, x) for x in parts)

    def quantity(self, key: str) -> Quantity | None:
        """The quantity with this key, or ``None``."""
        return next((q for q in self.quantities if q.key == key), None)

    @property
    def factbox_quantities(self) -> dict[str, str]:
        """``{key: label}`` of the quantities the article may cite, in display order."""
        return {q.key: q.label for q in self.quantities if q.factbox}

    def headline(self, exhibit: str, default: str) -> str:
        """The headline of an exhibit from the descriptor, else ``default``."""
        return str(self.exhibits.get(exhibit, {}).get("headline") or default)

    def zone_label(self, at: datetime | pd.Timestamp) -> str:
        """German name and UTC offset of the zone at a moment, e.g. ``'MESZ, UTC+2'``."""
        from incident.german import zone_label

        return zone_label(at, self.timezone)


def _problem(reason: str, value: object = None) -> Problem:
    text = None if value is None else str(value)
    return Problem(FILE, None, None, text, reason)


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases, without a key given twice, nested at most :data:`MAX_DEPTH` deep.

    An alias (``*name``) lets a page of YAML expand into gigabytes ("billion laughs"); a key
    given twice silently keeps the last value; deep nesting exhausts Python's stack.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"alias *{event.anchor} refused (a descriptor repeats no part of itself)", event.start_mark
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line + 1)
                except TypeError:
                    continue  # an unhashable key: the constructor itself names it
                if first != key_node.start_mark.line + 1:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} given twice (first at line {first})", key_node.start_mark
                    )
        return super().construct_mapping(node, deep=deep)


def _read(path: Path, problems: list[Problem]) -> dict | None:
    from incident.evidence.read import read_bytes

    if not (path.exists() or path.is_symlink()):
        problems.append(_problem("file is missing; every incident needs a descriptor (see docs/architecture.md)"))
        return None
    data = read_bytes(path, FILE, MAX_BYTES, problems)
    if data is None:
        return None
    try:
        doc = yaml.load(data.decode("utf-8"), Loader=_StrictLoader)  # a SafeLoader, stricter
    except UnicodeDecodeError as exc:
        problems.append(_problem(f"not valid UTF-8 at byte {exc.start}; save the descriptor as UTF-8"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problems.append(_problem(f"not valid YAML{where}: {getattr(exc, 'problem', None) or exc}"))
        return None
    except RecursionError:
        problems.append(_problem(f"not valid YAML: nested deeper than {MAX_DEPTH} levels"))
        return None
    if not isinstance(doc, dict):
        problems.append(_problem("not a mapping of keys to values", type(doc).__name__))
        return None
    # YAML reads unquoted dates as dates; the schema speaks of ISO strings.
    return json.loads(json.dumps(doc, default=str))


def _schema_problems(doc: dict) -> list[Problem]:
    """Every schema problem of the descriptor (empty when it is valid).

    fastjsonschema checks a valid descriptor in milliseconds; only when it finds a problem is
    jsonschema (which takes about a second to import) asked for the full list, so every
    problem is still reported at once.
    """
    import fastjsonschema

    schema = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    try:
        fastjsonschema.compile(schema)(doc)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        out.append(Problem(FILE, None, where, None, err.message[:300]))
    return out


def _anchor_problems(block: object) -> list[Problem]:
    """The anchors block read as the parser will read it, so a mistake is named at validation."""
    from incident.errors import TimeExpressionError
    from incident.timeexpr import anchors_from_descriptor

    try:
        anchors_from_descriptor(block, None)
    except TimeExpressionError as exc:
        return [Problem(FILE, None, "anchors", None, str(exc)[:300])]
    except (TypeError, ValueError, AttributeError) as exc:
        return [Problem(FILE, None, "anchors", None, f"not a valid anchors block: {str(exc)[:200]}")]
    return []


def _clock(text: str) -> time:
    h, m = map(int, text.split(":"))
    return time(23, 59, 59) if h == 24 else time(h, m)


def parse_descriptor(doc: dict, *, folder: str) -> Incident:
    """Validate a descriptor mapping and build the :class:`Incident`.

    Args:
        doc: The parsed YAML.
        folder: Name of the incident's folder (the descriptor's ``id`` must equal it).

    Returns:
        The incident.

    Raises:
        ValidationError: Listing every problem.
    """
    problems = _schema_problems(doc)
    if problems:
        raise ValidationError(problems)
    if doc["id"] != folder:
        problems.append(Problem(FILE, None, "id", doc["id"], f"must equal the folder name {folder!r}"))
    try:
        ZoneInfo(doc["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(FILE, None, "timezone", doc["timezone"], "not an IANA time zone"))
    first, last = date.fromisoformat(doc["window"]["first_day"]), date.fromisoformat(doc["window"]["last_day"])
    if last < first:
        problems.append(Problem(FILE, None, "window", f"{first}..{last}", "last_day is before first_day"))
    elif (last - first).days + 1 > MAX_WINDOW_DAYS:
        problems.append(
            Problem(
                FILE,
                None,
                "window",
                f"{first}..{last}",
                f"{(last - first).days + 1} days; a window holds at most {MAX_WINDOW_DAYS} days",
            )
        )
    problems.extend(_anchor_problems(doc.get("anchors")))
    if doc["day_hours"]["end"] <= doc["day_hours"]["start"]:
        problems.append(Problem(FILE, None, "day_hours", str(doc["day_hours"]), "end must be after start"))
    patterns = {}
    for kind in ("authority", "crowd"):
        try:
            patterns[kind] = re.compile(doc["witnesses"][kind], re.IGNORECASE)
        except re.error as exc:
            problems.append(
                Problem(FILE, None, f"witnesses/{kind}", doc["witnesses"][kind], f"not a regular expression: {exc}")
            )
    ids = [p["id"] for p in doc["platforms"]]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(FILE, None, "platforms", dup, "platform id listed twice"))
    for p in doc["platforms"]:
        fam = p.get("family", "")
        if fam and (fam not in ids or fam == p["id"]):
            problems.append(
                Problem(FILE, None, f"platforms/{p['id']}/family", fam, "not another platform of this descriptor")
            )
    context = set(doc.get("context_ids", []))
    for both in sorted(context & set(ids)):
        problems.append(Problem(FILE, None, "context_ids", both, "listed both as platform and as context id"))
    keys = [q["key"] for q in doc["quantities"]]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(Problem(FILE, None, "quantities", dup, "quantity key listed twice"))
    for name, ex in (doc.get("exhibits") or {}).items():
        for key in ex.get("quantities", []):
            if key not in keys:
                problems.append(
                    Problem(FILE, None, f"exhibits/{name}/quantities", key, "not a quantity of this descriptor")
                )
        for pid in ex.get("platforms", []):
            if pid not in ids:
                problems.append(
                    Problem(FILE, None, f"exhibits/{name}/platforms", pid, "not a platform of this descriptor")
                )
    if problems:
        raise ValidationError(problems)
    return Incident(
        id=doc["id"],
        title=doc["title"],
        subtitle=doc.get("subtitle", ""),
        language=doc["language"],
        timezone=doc["timezone"],
        first_day=first,
        last_day=last,
        day_start=_clock(doc["day_hours"]["start"]),
        day_end=_clock(doc["day_hours"]["end"]),
        context_ids=frozenset(context),
        platforms=tuple(
            Platform(
                p["id"],
                p["name"],
                bool(p.get("article", False)),
                family=str(p.get("family", "")),
                aliases=tuple(p.get("aliases") or ()),
            )
            for p in doc["platforms"]
        ),
        authority=patterns["authority"],
        crowd=patterns["crowd"],
        quantities=tuple(
            Quantity(q["key"], q["label"], q.get("short") or q["label"], bool(q.get("factbox", False)))
            for q in doc["quantities"]
        ),
        anchors=dict(doc.get("anchors") or {}),
        exhibits=dict(doc.get("exhibits") or {}),
        labels={k: dict(v) for k, v in (doc.get("labels") or {}).items()},
    )


def load_descriptor(paths: Paths) -> Incident:
    """Read and validate ``data/raw/<incident>/incident.yaml``.

    Args:
        paths: The incident's paths.

    Returns:
        The :class:`Incident`.

    Raises:
        ValidationError: Listing every problem of the descriptor.
    """
    problems: list[Problem] = []
    doc = _read(paths.raw / FILE, problems)
    if doc is None:
        raise ValidationError(problems)
    return parse_descriptor(doc, folder=paths.incident)
