"""Seeded generators of synthetic data for tests and benchmarks, always with the ground truth.

Nothing here is evidence. Every frame carries a ``generated`` column set to ``True`` and
every generated source id starts with ``gen-`` so that generated rows can never be mistaken
for reporting. Generators return the data *and* what the analysis should recover from it.

Example:
    >>> signal, bkps = step_signal(n=200, breakpoints=[50, 120], seed=1)
    >>> signal.shape, bkps
    ((200,), [50, 120, 200])
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from incident.config import SEED, TIMEZONE

#: Monday 11 March 2030, 00:00 local: start of every generated week (no real incident is dated then).
WEEK_START = pd.Timestamp("2030-03-11", tz=TIMEZONE)


def step_signal(
    *,
    n: int,
    breakpoints: list[int],
    levels: list[float] | None = None,
    noise: float = 0.05,
    seed: int = SEED,
) -> tuple[np.ndarray, list[int]]:
    """Piecewise-constant signal with Gaussian noise and known breakpoints.

    Args:
        n: Number of samples.
        breakpoints: Sorted change positions, each in ``(0, n)`` (index of the first sample
            of the new regime, as in ruptures).
        levels: Mean of each of the ``len(breakpoints) + 1`` regimes; default alternates
            0 and 1.
        noise: Standard deviation of the added noise (same unit as the levels).
        seed: Random seed.

    Returns:
        ``(signal, true_bkps)``: signal of shape (n,), float64; ``true_bkps`` the
        breakpoints in ruptures convention (sorted, ending with ``n``).

    Raises:
        ValueError: If breakpoints are not strictly increasing inside ``(0, n)`` or the
            number of levels does not fit.
    """
    bk = [int(b) for b in breakpoints]
    if any(b <= 0 or b >= n for b in bk) or any(a >= b for a, b in zip(bk, bk[1:])):
        raise ValueError(f"breakpoints must be strictly increasing inside (0, {n}): {bk}")
    if levels is None:
        levels = [float(i % 2) for i in range(len(bk) + 1)]
    if len(levels) != len(bk) + 1:
        raise ValueError(f"need {len(bk) + 1} levels, got {len(levels)}")
    rng = np.random.default_rng(seed)
    edges = [0, *bk, n]
    signal = np.concatenate([np.full(b - a, float(lv)) for a, b, lv in zip(edges, edges[1:], levels)])
    signal = signal + rng.normal(0.0, noise, size=n)
    return signal, [*bk, n]


def count_series(
    *,
    days: int = 7,
    bin_minutes: int = 15,
    base: float = 40.0,
    anomalies: list[tuple[int, int, float]] | None = None,
    seed: int = SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dense count series (e.g. crowd error reports per bin) with a daily rhythm and known anomalies.

    The typical level follows a school-day rhythm (low at night, peak late morning);
    counts are Poisson around it. Each anomaly multiplies the level over a bin range.

    Args:
        days: Number of days, starting at :data:`WEEK_START`.
        bin_minutes: Bin width in minutes (must divide 1440).
        base: Typical count per bin at the daily peak.
        anomalies: ``(start_bin, end_bin, factor)`` triples (end exclusive); default one
            anomaly on day 4 from 08:00 to 11:00 with factor 8.
        seed: Random seed.

    Returns:
        ``(series, truth)``: ``series`` with columns ``start``, ``end`` (tz-aware),
        ``value`` (int), ``generated`` (True), shape (days * 1440 / bin_minutes, 4);
        ``truth`` with columns ``start_bin``, ``end_bin``, ``factor``, ``start``, ``end``,
        ``generated``.
    """
    if 1440 % bin_minutes:
        raise ValueError("bin_minutes must divide 1440")
    per_day = 1440 // bin_minutes
    n = days * per_day
    if anomalies is None:
        s = 3 * per_day + (8 * 60) // bin_minutes
        anomalies = [(s, s + (3 * 60) // bin_minutes, 8.0)]
    rng = np.random.default_rng(seed)
    hour = (np.arange(n) % per_day) * bin_minutes / 60.0
    rhythm = 0.1 + 0.9 * np.exp(-0.5 * ((hour - 10.5) / 3.0) ** 2)
    level = base * rhythm
    for a, b, f in anomalies:
        level[a:b] *= f
    values = rng.poisson(level)
    starts = WEEK_START + pd.to_timedelta(np.arange(n) * bin_minutes, unit="min")
    series = pd.DataFrame(
        {
            "start": starts,
            "end": starts + pd.Timedelta(minutes=bin_minutes),
            "value": values.astype(int),
            "generated": True,
        }
    )
    truth = pd.DataFrame(anomalies, columns=["start_bin", "end_bin", "factor"])
    truth["start"] = WEEK_START + pd.to_timedelta(truth["start_bin"] * bin_minutes, unit="min")
    truth["end"] = WEEK_START + pd.to_timedelta(truth["end_bin"] * bin_minutes, unit="min")
    truth["generated"] = True
    return series, truth


@dataclass
class GeneratedEvidence:
    """Evidence-like frames of a generated corpus (same columns as the raw contract).

    Attributes:
        incident: The generated incident id.
        sources, timeline, counts, statements: Frames as in ``docs/architecture.md`` plus
            ``published_at``/``published_start``/``published_end`` (sources) and
            ``generated`` (all True).
        truth: Ground truth per platform: ``platform``, ``onset``, ``recovery``.
        raw_rows: Rows per table.
    """

    incident: str
    sources: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    statements: pd.DataFrame
    truth: pd.DataFrame
    raw_rows: dict[str, int] = field(default_factory=dict)


def descriptor_doc(
    *,
    incident: str = "gen-2030",
    platforms: list[str] | None = None,
    first_day: str = "2030-03-11",
    last_day: str = "2030-03-15",
    timezone: str = TIMEZONE,
) -> dict:
    """A generated incident descriptor (the mapping of an ``incident.yaml``), labelled generated."""
    platforms = platforms or [f"gen-p{i:02d}" for i in range(3)]
    return {
        "id": incident,
        "title": f"Generiert: {incident}",
        "subtitle": "Generierte Testdaten, keine Berichterstattung.",
        "language": "de",
        "timezone": timezone,
        "window": {"first_day": first_day, "last_day": last_day},
        "day_hours": {"start": "06:00", "end": "20:00"},
        "context_ids": ["general"],
        "platforms": [
            {"id": p, "name": f"Plattform {p[-2:].upper()}", "article": i < 8} for i, p in enumerate(platforms)
        ],
        "witnesses": {"authority": "behörde|ministerium", "crowd": "störungsmelder"},
        "quantities": [{"key": "gen_schools", "label": "Schulen (generiert)", "factbox": True}],
    }


def incident(**kwargs):
    """A validated generated :class:`~incident.evidence.descriptor.Incident` (see :func:`descriptor_doc`)."""
    from incident.evidence.descriptor import parse_descriptor

    doc = descriptor_doc(**kwargs)
    return parse_descriptor(doc, folder=doc["id"])


#: Phrases of the generated corpus (day phrase, time phrase); resolved by the real parser.
GENERATED_TIMES = {
    "outage_start": ("gegen 8 Uhr", "ab 8 Uhr"),
    "degraded": ("am Vormittag",),
    "restored": ("am Mittag", "gegen 14 Uhr"),
}


def corpus(
    *, n_sources: int, n_claims: int, n_platforms: int = 20, syndication: float = 0.2, seed: int = SEED
) -> GeneratedEvidence:
    """Generated evidence corpus with the raw-table columns, for scale tests and benchmarks.

    Each platform has one true outage on the Monday of :data:`WEEK_START` (onset 08:00,
    recovery around midday or 14:00); claims are outage starts, degradations and fixes with
    German phrases the real parser resolves, spread over sources; a share of sources are
    agency copies (shared ``syndication_group``); 10 % of fixes give the other time (generated
    time conflicts); counts carry two competing figures per platform.

    Args:
        n_sources: Number of sources (>= 1).
        n_claims: Number of claims, split 80 % timeline, 10 % counts, 10 % statements.
        n_platforms: Number of platforms ``gen-p00`` …
        syndication: Share of sources that are copies of one of 50 agency texts.
        seed: Random seed.

    Returns:
        :class:`GeneratedEvidence` with ``generated`` = True on every row.
    """
    rng = np.random.default_rng(seed)
    sid = np.char.add("gen-s", np.char.zfill(np.arange(n_sources).astype(str), 6))
    agency = rng.random(n_sources) < syndication
    group = np.where(agency, np.char.add("gen-agentur-", (rng.integers(0, 50, n_sources)).astype(str)), sid)
    pub_day = rng.integers(0, 3, n_sources)  # Mon..Wed
    published = (WEEK_START + pd.to_timedelta(pub_day, unit="D")).strftime("%Y-%m-%d")
    kind = np.where(rng.random(n_sources) < 0.05, "operator_statement", "news")
    day_start = WEEK_START + pd.to_timedelta(pub_day, unit="D")
    sources = pd.DataFrame(
        {
            "source_id": sid,
            "outlet": np.char.add("Generierte Zeitung ", (np.arange(n_sources) % 97).astype(str)),
            "url": np.char.add("https://example.org/generated/", sid),
            "headline": "generiert",
            "published": published,
            "published_precision": "day",
            "published_basis": "generated",
            "kind": kind,
            "syndication_group": group,
            "syndication_note": None,
            "region": None,
            "verified": "no",
            "verification_note": "generated",
            "published_at": day_start + pd.Timedelta(hours=12),
            "published_start": day_start,
            "published_end": day_start + pd.Timedelta(days=1),
            "generated": True,
        }
    )
    platforms = np.array([f"gen-p{i:02d}" for i in range(n_platforms)])
    n_tl = int(n_claims * 0.8)
    n_ct = int(n_claims * 0.1)
    n_st = n_claims - n_tl - n_ct
    # repeated values are one string each (as a CSV reader keeps them): columns hold references
    sid_text = sid.astype(object)
    platform_text = platforms.astype(object)
    claim_src = rng.integers(0, n_sources, n_claims)
    cid = np.empty(n_claims, dtype=object)
    cid[:] = [f"{s}#{i}" for i, s in enumerate(sid_text[claim_src].tolist(), start=1)]
    plat_idx = rng.integers(0, n_platforms, n_claims)

    def base(sl: slice) -> dict:
        return {
            "claim_id": cid[sl],
            "source_id": sid_text[claim_src[sl]],
            "platform": platform_text[plat_idx[sl]],
            "platform_text": None,
            "operator": "Generierter Betreiber",
            "what": "generated claim",
            "speaker": None,
            "quote": None,
            "dossier_day": None,
            "confidence_note": None,
        }

    def pick(choices: tuple[str, ...], index: np.ndarray) -> np.ndarray:
        return np.array(choices, dtype=object)[index]

    events = ("outage_start", "degraded", "fix")
    tl = slice(0, n_tl)
    ev = rng.choice(len(events), n_tl, p=[0.35, 0.35, 0.30])
    early = rng.random(n_tl) < 0.5  # "gegen 8 Uhr", else "ab 8 Uhr"
    # copies of an agency text repeat that text's claims: they take platform, event and phrase
    # from a template per agency text instead of drawing their own
    copy = agency[claim_src[tl]]
    agency_of_source = np.array(
        [int(g[len("gen-agentur-") :]) if a else 0 for g, a in zip(group.tolist(), agency)], dtype=np.int64
    )
    slot = rng.integers(0, 40, n_tl)
    tmpl_rng = np.random.default_rng(seed + 1)
    tmpl_plat = tmpl_rng.integers(0, n_platforms, (50, 40))
    tmpl_ev = tmpl_rng.choice(len(events), (50, 40), p=[0.35, 0.35, 0.30])
    tmpl_early = tmpl_rng.random((50, 40)) < 0.5
    a_idx = np.where(copy, agency_of_source[claim_src[tl]], 0)
    plat_idx[tl] = np.where(copy, tmpl_plat[a_idx, slot], plat_idx[tl])
    ev = np.where(copy, tmpl_ev[a_idx, slot], ev)
    early = np.where(copy, tmpl_early[a_idx, slot], early)
    late_fix = plat_idx[tl] % 2 == 0  # platform-level truth: even platforms recover ~14:00
    # own reporting gets the other time in 10 % of fixes: generated time conflicts
    flip = (ev == 2) & ~copy & (rng.random(n_tl) < 0.1)
    late_text = late_fix != flip  # "gegen 14 Uhr", else "am Mittag"
    time_text = np.where(
        ev == 0,
        pick(("ab 8 Uhr", "gegen 8 Uhr"), early.astype(int)),
        np.where(ev == 1, "am Vormittag", pick(("am Mittag", "gegen 14 Uhr"), late_text.astype(int))),
    )
    timeline = pd.DataFrame(
        {
            **base(tl),
            "day_text": "am Montag",
            "time_text": time_text,
            "kind": "event",
            "event": pick(events, ev),
            "stance": pick(("disrupted", "working"), (ev == 2).astype(int)),
            "cause": None,
            "generated": True,
        }
    )
    cs = slice(n_tl, n_tl + n_ct)
    many = rng.random(n_ct) < 0.7
    value = np.where(many, 4500.0, 4100.0)
    counts = pd.DataFrame(
        {
            **base(cs),
            "day_text": None,
            "time_text": None,
            "kind": "count",
            "value": value,
            "value_text": pick(("rund 4100 Schulen", "rund 4500 Schulen"), many.astype(int)),
            "unit": "schools",
            "quantity": "gen_schools",
            "counted": "schools using the platform (generated)",
            "duration_text": None,
            "generated": True,
        }
    )
    ss = slice(n_tl + n_ct, n_claims)
    statements = pd.DataFrame(
        {
            **base(ss),
            "day_text": "am Montag",
            "time_text": None,
            "kind": "statement",
            "role": "spokesperson",
            "organisation": "Generierter Betreiber",
            "stance": "problems",
            "said_text": None,
            "generated": True,
        }
    )
    truth = pd.DataFrame({"platform": platforms})
    lf = np.arange(n_platforms) % 2 == 0
    truth["onset"] = WEEK_START + pd.Timedelta(hours=8)
    truth["recovery"] = WEEK_START + pd.to_timedelta(np.where(lf, 14.0, 12.5), unit="h")
    truth["generated"] = True
    return GeneratedEvidence(
        incident="gen-2030",
        sources=sources,
        timeline=timeline,
        counts=counts,
        statements=statements,
        truth=truth,
        raw_rows={"sources": n_sources, "timeline": n_tl, "counts": n_ct, "statements": n_st},
    )


# --------------------------------------------------------------------------- a whole generated incident


#: The third incident of the test suite: other dates (summer time), other weekday, other words.
SUMMER_ID = "gen-sommer-2030"
#: The same generated incident read in another zone (America/New_York, EDT = UTC−4 in June).
NEW_YORK_ID = "gen-newyork-2030"
NEW_YORK = "America/New_York"


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    return buf.getvalue()


def write_incident(home: Path, *, schema_from: Path, incident_id: str = SUMMER_ID, zone: str = TIMEZONE) -> Path:
    """Write a complete generated incident folder under ``home/data/raw/<incident_id>/``.

    A Wednesday in June 2030 (summer time: UTC+2 in Berlin; with ``zone`` another zone's local
    clock, e.g. :data:`NEW_YORK`, UTC−4), two made-up platforms ("Lernwolke",
    "Klassenfunk"), phrases the shipped incidents do not use ("gegen halb zehn", "kurz nach
    11 Uhr", "am Nachmittag", "seit dem frühen Abend"), an operator saying all is stable, two
    disagreeing figures and a December copy of an agency text. Every row is generated: ids
    start with ``gen-``, outlets are "Generierte …", URLs point to example.org, and every
    source's ``verification_note`` says "generated".

    Args:
        home: Tree to write into (a test's temporary folder).
        schema_from: A shipped incident's raw folder whose ``datapackage.json`` is copied.
        incident_id: Folder name and descriptor id.
        zone: The descriptor's ``timezone``; the minute-precise publication times are the same local
            wall-clock times in it (10:05 local is ``-04:00`` in New York, ``+02:00`` in Berlin).

    Returns:
        The incident's raw folder.
    """
    raw = Path(home) / "data" / "raw" / incident_id

    def local(wall: str) -> str:
        return pd.Timestamp(wall).tz_localize(zone).isoformat(timespec="minutes")

    raw.mkdir(parents=True, exist_ok=True)
    package = json.loads((Path(schema_from) / "datapackage.json").read_text(encoding="utf-8"))
    package["name"] = f"{incident_id}-raw"
    package["title"] = "Generated test incident (no reporting)"
    (raw / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}

    def src(n: int, published: str, precision: str, group: str | None = None, kind: str = "news") -> dict:
        sid = f"gen-q{n:02d}-sommer"
        return {
            "source_id": sid,
            "outlet": f"Generierte Zeitung {n}",
            "url": f"https://example.org/gen/{sid}",
            "headline": "Generierte Meldung",
            "published": published,
            "published_precision": precision,
            "published_basis": "generated",
            "kind": kind,
            "syndication_group": group or sid,
            "region": "Generien",
            "verified": "no",
            "verification_note": "generated",
        }

    sources = [
        src(1, local("2030-06-19T10:05"), "minute"),
        src(2, "2030-06-19", "day"),
        src(3, "2030-06-19", "day", group="gen-agentur-1"),
        src(4, "2030-06-19", "day", group="gen-agentur-1"),
        src(5, "2030-06-20", "day", kind="operator_statement"),
        src(6, local("2030-06-19T17:40"), "minute"),
    ]
    s = [r["source_id"] for r in sources]
    common = {
        "platform_text": "",
        "operator": "Generierter Betreiber",
        "speaker": "",
        "quote": "",
        "dossier_day": "",
        "confidence_note": "generated",
    }

    def tl(cid: str, platform: str, event: str, stance: str, day: str, time: str, cause: str = "") -> dict:
        return {
            **common,
            "claim_id": cid,
            "source_id": cid.split("#")[0],
            "platform": platform,
            "what": f"generated {event}",
            "day_text": day,
            "time_text": time,
            "kind": "event" if not cause else "cause",
            "event": event,
            "stance": stance,
            "cause": cause,
        }

    timeline = [
        tl(f"{s[0]}#1", "lernwolke", "outage_start", "disrupted", "am Mittwoch", "gegen halb zehn"),
        tl(f"{s[1]}#1", "lernwolke", "outage", "disrupted", "am Mittwoch", "kurz nach 11 Uhr"),
        tl(f"{s[2]}#1", "lernwolke", "fix", "working", "am Mittwoch", "am Nachmittag"),
        tl(f"{s[3]}#1", "lernwolke", "fix", "working", "am Mittwoch", "am Nachmittag"),
        tl(f"{s[5]}#1", "lernwolke", "restored", "working", "", "inzwischen"),
        tl(f"{s[1]}#2", "klassenfunk", "outage", "disrupted", "am Mittwoch", ""),
        tl(f"{s[5]}#2", "klassenfunk", "outage_start", "disrupted", "", "seit dem frühen Abend"),
        tl(f"{s[1]}#3", "lernwolke", "cause_stated", "disrupted", "am Mittwoch", "", cause="overload"),
    ]
    counts = [
        {
            **common,
            "claim_id": f"{s[0]}#2",
            "source_id": s[0],
            "platform": "lernwolke",
            "what": "generated figure",
            "kind": "count",
            "value": "1200",
            "value_text": "rund 1200 Schulen",
            "unit": "schools",
            "quantity": "gen_lernwolke_schools",
            "counted": "schools using the platform (generated)",
        },
        {
            **common,
            "claim_id": f"{s[1]}#4",
            "source_id": s[1],
            "platform": "lernwolke",
            "what": "generated figure",
            "kind": "count",
            "value": "1500",
            "value_text": "über 1.500 Schulen",
            "unit": "schools",
            "quantity": "gen_lernwolke_schools",
            "counted": "schools using the platform (generated)",
        },
    ]
    statements = [
        {
            **common,
            "claim_id": f"{s[4]}#1",
            "source_id": s[4],
            "platform": "lernwolke",
            "what": "generated operator statement",
            "day_text": "am Mittwoch",
            "kind": "statement",
            "role": "Sprecher",
            "organisation": "Generierter Betreiber",
            "stance": "stable",
            "speaker": "Generierter Betreiber",
            "quote": "Die Lernwolke läuft stabil.",
        },
    ]
    for name, rows in (("sources", sources), ("timeline", timeline), ("counts", counts), ("statements", statements)):
        (raw / f"{name}.csv").write_text(_csv(rows, fields[name]), encoding="utf-8")
    desc = descriptor_doc(
        incident=incident_id,
        platforms=["lernwolke", "klassenfunk"],
        first_day="2030-06-19",
        last_day="2030-06-20",
        timezone=zone,
    )
    desc["platforms"] = [
        {"id": "lernwolke", "name": "Lernwolke", "article": True},
        {"id": "klassenfunk", "name": "Klassenfunk", "article": True},
    ]
    desc["quantities"] = [
        {"key": "gen_lernwolke_schools", "label": "Schulen mit der Lernwolke (generiert)", "factbox": True}
    ]
    desc["day_hours"] = {"start": "07:00", "end": "22:00"}
    import yaml

    (raw / "incident.yaml").write_text(
        "# GENERATED test incident: no reporting, made up for the test suite.\n"
        + yaml.safe_dump(desc, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    (raw / "README.md").write_text(
        "# Generated test incident\n\nMade up by incident.generate.write_incident for the "
        "test suite. Nothing here is reporting.\n",
        encoding="utf-8",
    )
    return raw


def copy_incident(src: Path, home: Path) -> Path:
    """Copy a raw incident folder into another tree (tests run on copies, never on data/raw)."""
    dst = Path(home) / "data" / "raw" / Path(src).name
    shutil.copytree(src, dst, dirs_exist_ok=True)
    return dst
