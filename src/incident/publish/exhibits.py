"""Chart inputs from the processed tables: one function per published exhibit.

The chart functions in :mod:`incident.publish.charts` draw tidy frames; the functions here
build those frames from ``data/processed/<incident>/`` (read typed by
:func:`incident.processed.read`) and the incident descriptor, so the notebooks stay thin.
Every row keeps the evidence columns of :data:`incident.publish.charts.EVIDENCE`
(``claim_ids``, ``sources``, ``phrase``, ``quote``) that lead back to the raw claims; times
are converted explicitly to the incident's wall clock.
"""

from __future__ import annotations

import re

import pandas as pd

from incident import german, labels
from incident.evidence.descriptor import Incident
from incident.ids import split_ids
from incident.publish.charts import short_outlet
from incident.publish.facts import _recovery_days
from incident.publish.wording import UNKNOWN, bounds_text, quoted, row_bounds_text

#: "binnen/in wenigen Sekunden": the window we assume for a rate (seconds, lower and upper bound).
SECONDS_WINDOW = (1.0, 10.0)
#: A rate is only a reading of a phrase: it never goes into the fact box.


class ClaimLookup:
    """Look-up from claim ids to outlets, German phrases and quotes (the evidence columns)."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        claims = tables["claims_resolved"].merge(
            tables["sources"][["source_id", "outlet"]], on="source_id", how="left", validate="many_to_one"
        )
        self.claims = claims.set_index(claims["claim_id"].rename(None))

    def columns(self, ids: list[str]) -> dict[str, str]:
        """``claim_ids``, ``sources`` (outlets), ``phrase`` (German phrases) and ``quote`` of a set of claims."""
        ids = sorted(set(ids))
        rows = self.claims.loc[[i for i in ids if i in self.claims.index]]
        # an outlet name may hold ';' ("… ; copy on …"): the list separator must stay unambiguous
        outlets = sorted({short_outlet(str(o)).replace(";", ",") for o in rows["outlet"] if o}, key=str.casefold)
        phrases = list(dict.fromkeys(p for p in rows["phrase"] if p))
        quotes = list(dict.fromkeys(q for q in rows["quote"] if q))
        return {
            "claim_ids": "; ".join(ids),
            "sources": "; ".join(outlets),
            "phrase": " | ".join(phrases[:3]),
            "quote": quotes[0] if quotes else "",
        }


def _with_evidence(rows: list[dict], lookup: ClaimLookup, columns: list[str]) -> pd.DataFrame:
    out = []
    for r in rows:
        r = dict(r)
        ids = r.pop("_ids")  # the helper key must not reach the chart data
        out.append({**r, **lookup.columns(ids)})
    return pd.DataFrame(out, columns=[*columns, "claim_ids", "sources", "phrase", "quote"])


def _hours(ts, day: str, tz: str) -> float | None:
    """Hours after the episode day's midnight (a moment at the next midnight is 24)."""
    if ts is None or pd.isna(ts):
        return None
    t = pd.Timestamp(ts).tz_convert(tz)
    midnight = pd.Timestamp(day).tz_localize(tz)
    return round((t - midnight).total_seconds() / 3600.0, 4)


def _rows_label(platform_name: str, day: str) -> str:
    return f"{platform_name}\n{german.day_short(pd.Timestamp(day).date())}"


def _later_end_text(w, tz: str, ended: tuple) -> str:
    """The end of an episode that lasted into a later day, with that day: ``'Mi. 23.9., im Laufe des Tages'``,
    ``'frühestens Di. 22.9.'`` (no source bounds it from above), ``'zwischen Di. 22.9. und Mi. 23.9.'``."""
    first, last = ended
    if last is None:
        return f"frühestens {german.day_short(first)}"
    if first == last:
        return f"{german.day_short(first)}, {row_bounds_text(w, 'recovery', tz=tz, day=first.isoformat())}"
    return f"zwischen {german.day_short(first)} und {german.day_short(last)}"


def edge_text(edge: str, bounds: str, *, open_: bool, disputed: bool, short: bool = False) -> str:
    """The label drawn at an Ablauf edge: ``'Beginn 7:30–8:30 Uhr'``, ``'Ende unbekannt, frühestens 14:00 Uhr'``,
    ``'Ende um 12:00 Uhr, umstritten'``; an interval is written short to fit beside its band.

    ``short=True`` gives the form drawn where the full one does not fit: the bounds alone
    (``'7:30–8:30 Uhr'``), ``'unbekannt'`` for an open edge, ``'umstritten'`` kept.
    """
    if short:
        words = UNKNOWN if open_ else re.sub(r"^zwischen (\S+) und (\S+) Uhr", r"\1–\2 Uhr", bounds)
        return words + (", umstritten" if disputed else "")
    words = re.sub(r"^zwischen (\S+) und (\S+) Uhr", r"\1–\2 Uhr", bounds)
    if words and words[0].isdigit() and "–" not in words:
        words = f"um {words}"
    if open_ and words != UNKNOWN:
        words = f"{UNKNOWN}, {words}"
    return f"{edge} {words}" + (", umstritten" if disputed else "")


def sequence_data(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    platforms: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.sequence_chart`: the bounds of every episode.

    Per episode (platform × day) up to three parts, in hours after the day's midnight:
    ``sicher`` from the latest onset to the earliest recovery (the platform was certainly
    disrupted then), ``beginn`` over the onset's interval and ``ende`` over the recovery's
    interval (uncertain edges). An edge no source bounds is drawn from / to the end of
    the descriptor's day hours and labelled ``unbekannt``.

    Args:
        tables: Processed tables (``sequence``, ``claims_resolved``, ``sources``).
        incident: The descriptor (platform names, day hours, zone).
        platforms: Platform ids to show (default: the article's).
        days: Local days to show (default: every day with an episode).

    Returns:
        One row per drawn part (``row, platform, day, part, start, end, label, open``
        + evidence), rows in display order.
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    shown = platforms or incident.article_platforms
    seq = tables["sequence"]
    seq = seq[seq["platform"].isin(shown)]
    if days is not None:
        keep = {str(d) for d in days}
        seq = seq[seq["day"].map(str).isin(keep)]
    rank = {p: i for i, p in enumerate(shown)}
    seq = seq.assign(_r=seq["platform"].map(rank)).sort_values(["day", "_r", "episode"])
    lo_h = incident.day_start.hour + incident.day_start.minute / 60
    hi_h = incident.day_end.hour + incident.day_end.minute / 60 + (1 / 60 if incident.day_end.second else 0)
    rows: list[dict] = []
    for w in seq.itertuples():
        day = w.day.isoformat() if hasattr(w.day, "isoformat") else str(w.day)
        row = _rows_label(incident.platform_name(w.platform), day)
        # separate phases ("zwei Störungsphasen … und eine um die Mittagszeit"): never one continuous bar
        broken = getattr(w, "pattern", "") == "intermittent"
        base = {
            "row": row,
            "platform": incident.platform_name(w.platform),
            "day": german.day_short(pd.Timestamp(day).date()),
            "state": labels.STATES.get(w.state, w.state) + (" mit Unterbrechungen" if broken else ""),
        }
        on0, on1 = _hours(w.onset_earliest, day, tz), _hours(w.onset_latest, day, tz)
        re0, re1 = _hours(w.recovery_earliest, day, tz), _hours(w.recovery_latest, day, tz)
        on_text = row_bounds_text(w, "onset", tz=tz, day=day)
        re_text = row_bounds_text(w, "recovery", tz=tz, day=day)
        ended = _recovery_days(w, tz, day)  # the end on a later day: said with its day, drawn at the day's end
        if ended is not None:
            re_text = _later_end_text(w, tz, ended)
        on_ids, re_ids = split_ids(w.onset_claim_ids), split_ids(w.recovery_claim_ids)
        all_ids = split_ids(w.claim_ids)
        disputed = split_ids(w.disputed)
        a = on0 if on0 is not None else lo_h
        b = on1 if on1 is not None else None
        c = re0 if re0 is not None else None
        d = re1 if re1 is not None else hi_h
        # certainly disrupted: after the latest onset and before the earliest recovery (not for separate phases)
        if b is not None and c is not None and c > b and not broken:
            rows.append(
                {
                    **base,
                    "part": "sicher",
                    "start": b,
                    "end": c,
                    "label": "nach allen Angaben gestört",
                    "text": "",
                    "short": "",
                    "open": False,
                    "_ids": all_ids,
                }
            )
        onset_end = b if b is not None else (c if c is not None else d)
        if onset_end > a or (b is not None and on0 is not None and onset_end == a):
            on_disputed = "onset" in disputed
            rows.append(
                {
                    **base,
                    "part": "beginn",
                    "start": a,
                    "end": max(onset_end, a),
                    "label": f"Beginn: {on_text}" + (" (umstritten)" if on_disputed else ""),
                    "text": edge_text("Beginn", on_text, open_=on0 is None, disputed=on_disputed),
                    "short": edge_text("", on_text, open_=on0 is None, disputed=on_disputed, short=True),
                    "open": on0 is None,
                    "_ids": on_ids or all_ids,
                }
            )
        recovery_start = c if c is not None else (b if b is not None else a)
        if ended is not None:  # beyond this day's axis: a mark at its end, the day named in the label
            recovery_start = d = 24.0
        if ended is not None or d > recovery_start or (c is not None and re1 is not None and d == recovery_start):
            re_disputed = "recovery" in disputed
            rows.append(
                {
                    **base,
                    "part": "ende",
                    "start": min(recovery_start, d),
                    "end": d,
                    "label": f"Ende: {re_text}" + (" (umstritten)" if re_disputed else ""),
                    "text": edge_text("Ende", re_text, open_=re1 is None, disputed=re_disputed),
                    "short": edge_text("", re_text, open_=re1 is None, disputed=re_disputed, short=True),
                    "open": re1 is None,
                    "_ids": re_ids or all_ids,
                }
            )
    return _with_evidence(
        rows, lookup, ["row", "platform", "day", "state", "part", "start", "end", "label", "text", "short", "open"]
    )


def when(start, end, tz: str) -> str:
    """The day and the bounds a claim's span gives, in words (``'Mo. 11.1.'``,
    ``'Mo. 11.1., zwischen 8:00 und 10:00 Uhr'``); never a moment the phrase does not name."""
    if start is None or pd.isna(start):
        return ""
    s = pd.Timestamp(start).tz_convert(tz)
    e = s if end is None or pd.isna(end) else pd.Timestamp(end).tz_convert(tz)
    day = s.date().isoformat()
    if (e - s) > pd.Timedelta(days=1) or e.date() > s.date() + pd.Timedelta(days=1):
        return f"{german.day_short(s.date())} bis {german.day_short((e - pd.Timedelta(seconds=1)).date())}"
    text = bounds_text(s, e, tz=tz, day=day)
    head = german.day_short(s.date())
    return head if text in (UNKNOWN, "im Laufe des Tages") else f"{head}, {text}"


def quantity_data(tables: dict[str, pd.DataFrame], *, incident: Incident, quantities: list[str]) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.quantities_chart`: each reported figure of some quantities.

    Args:
        tables: Processed tables.
        incident: The descriptor (German labels and units).
        quantities: Quantity keys, in display order.

    Returns:
        One row per quantity and distinct figure (``quantity, unit, value, value_text, time`` + evidence).
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    claims = tables["claims_resolved"]
    rows = []
    for key in quantities:
        q = incident.quantity(key)
        sub = claims[(claims["quantity"] == key) & claims["value"].notna()]
        for value, grp in sub.groupby("value", sort=True):
            first = grp.sort_values("claim_id").iloc[0]
            unit = (
                labels.label(labels.UNITS, first["unit"], extra=incident.labels.get("units")) if first["unit"] else ""
            )
            rows.append(
                {
                    "quantity": q.short if q else key,
                    "unit": unit,
                    "value": float(value),
                    "value_text": " | ".join(dict.fromkeys(grp.sort_values("claim_id")["value_text"])),
                    "time": when(first["start"], first["end"], tz),
                    "_ids": list(grp["claim_id"]),
                }
            )
    return _with_evidence(rows, lookup, ["quantity", "unit", "value", "value_text", "time"])


def figures_data(tables: dict[str, pd.DataFrame], *, incident: Incident) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.figures_chart`: quantities whose sources disagree.

    Each figure is given as a multiple of the smallest figure for its quantity, so one axis
    carries one unit (the factor) whatever each quantity counts.

    Returns:
        One row per quantity and figure (``quantity, value, factor, value_text, unit, counted`` + evidence).
    """
    lookup = ClaimLookup(tables)
    claims = tables["claims_resolved"].set_index(tables["claims_resolved"]["claim_id"].rename(None))
    figure = tables["conflicts"][tables["conflicts"]["conflict_type"] == "figure"]
    rows = []
    for key in sorted(set(figure["quantity"])):
        ids = sorted({i for c in figure[figure["quantity"] == key]["claim_ids"] for i in split_ids(c)})
        sub = claims.loc[[i for i in ids if i in claims.index]]
        sub = sub[sub["value"].notna() & (sub["value"] > 0)]
        if sub.empty:
            continue
        smallest = float(sub["value"].min())
        q = incident.quantity(key)
        for value, grp in sub.groupby("value", sort=True):
            first = grp.sort_values("claim_id").iloc[0]
            rows.append(
                {
                    "quantity": q.label if q else key,
                    "value": float(value),
                    "factor": round(float(value) / smallest, 4),
                    "value_text": " | ".join(dict.fromkeys(grp["value_text"])),
                    "unit": labels.label(labels.UNITS, first["unit"], extra=incident.labels.get("units"))
                    if first["unit"]
                    else "",
                    "counted": first["counted"],
                    "_ids": list(grp["claim_id"]),
                }
            )
    return _with_evidence(rows, lookup, ["quantity", "value", "factor", "value_text", "unit", "counted"])


#: Witness kinds whose statements speak for an operator or an authority.
OFFICIAL_WITNESSES = ("operator", "operator_quoted", "authority")
#: Witness kinds whose accounts are observations of users, reporters or crowd reports.
REPORT_WITNESSES = ("affected", "reporter", "crowd_reports")


def statements_data(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    platforms: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.statements_chart`: official statements against reports.

    Official statements are statements by operators (own channel or quoted) and by
    ministries and authorities that the platform runs stably, that there are problems, or
    that none are known; reports are accounts of users, reporters and crowd-report counters
    that the platform was disrupted. Each is drawn over its whole resolved span (a phrase
    that names only a day covers that day), never at an invented moment; claims kept off
    the timeline are left out.

    ``days`` (local days; default: the whole window) keeps the claims whose span touches one of them.

    Returns:
        One row per claim and platform (``platform, start, end, kind, stance, span`` + evidence),
        ``start``/``end`` as wall-clock ISO strings.
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    shown = platforms or incident.article_platforms
    claims = tables["claims_resolved"]
    w0, w1 = incident.window
    claims = claims[claims["resolved"].astype(bool) & (claims["start"] < w1) & (claims["end"] >= w0)]
    if days is not None:
        claims = claims[touches_days(claims, incident=incident, days=days)]
    off = set(tables["flags"].loc[~tables["flags"]["on_timeline"].astype(bool), "claim_id"])
    rows = []
    for c in claims[~claims["claim_id"].isin(off)].itertuples():
        official = c.table == "statements" and c.witness in OFFICIAL_WITNESSES and c.event in labels.STATEMENTS
        report = c.stance == "disrupted" and c.witness in REPORT_WITNESSES
        if not (official or report):
            continue
        for plat in split_ids(c.platform):
            if plat in shown:
                # a span reaching beyond the window is drawn to its edge; the phrase keeps the words
                rows.append(
                    {
                        "platform": incident.platform_name(plat),
                        "start": _wall(max(c.start, w0), tz),
                        "end": _wall(min(c.end, w1), tz),
                        "kind": "Betreiber oder Behörde" if official else "Meldung",
                        "stance": labels.STATEMENTS[c.event] if official else "Störung gemeldet",
                        "span": c.phrase,
                        "_ids": [c.claim_id],
                    }
                )
    return _with_evidence(rows, lookup, ["platform", "start", "end", "kind", "stance", "span"])


def touches_days(claims: pd.DataFrame, *, incident: Incident, days: tuple) -> pd.Series:
    """Whether each claim's resolved span (``start``, ``end``) touches one of the local ``days``."""
    hit = pd.Series(False, index=claims.index)
    for d in days:
        first = pd.Timestamp(str(d))
        a, b = first.tz_localize(incident.timezone), (first + pd.Timedelta(days=1)).tz_localize(incident.timezone)
        hit |= (claims["start"] < b) & (claims["end"] > a)
    return hit


def _wall(ts, tz: str) -> str:
    if ts is None or pd.isna(ts):
        return ""
    return pd.Timestamp(ts).tz_convert(tz).tz_localize(None).strftime("%Y-%m-%dT%H:%M:%S")


def coverage_data(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    platforms: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.coverage_chart`: independent sources per platform and half-day.

    A source group counts for a half-day of the incident window when one of its resolved,
    on-timeline claims about the platform has a span that overlaps the half-day; copies of
    one agency text count once.

    Returns:
        One row per platform and half-day with ≥ 1 source (``platform, half_day, order, n_sources`` + evidence).
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    shown = platforms or incident.article_platforms
    claims = tables["claims_resolved"]
    claims = claims[claims["resolved"].astype(bool)]
    off = set(tables["flags"].loc[~tables["flags"]["on_timeline"].astype(bool), "claim_id"])
    claims = claims[~claims["claim_id"].isin(off)]
    halves = pd.date_range(*incident.window, freq="12h", inclusive="left")
    if days is not None:
        keep = {str(d) for d in days}
        halves = [h for h in halves if h.date().isoformat() in keep]
    rows = []
    for plat in shown:
        mine = claims[claims["platform"].map(lambda s, plat=plat: plat in split_ids(s))]
        for i, h in enumerate(halves):
            hit = mine[
                ((mine["start"] < h + pd.Timedelta(hours=12)) & (mine["end"] > h))
                | ((mine["start"] == mine["end"]) & (mine["start"] == h))
            ]
            if len(hit):
                rows.append(
                    {
                        "platform": incident.platform_name(plat),
                        "half_day": half_day_label(h, tz),
                        "order": i,
                        "n_sources": int(hit["account_group"].nunique()),
                        "_ids": list(hit["claim_id"]),
                    }
                )
    return _with_evidence(rows, lookup, ["platform", "half_day", "order", "n_sources"])


def half_day_label(h: pd.Timestamp, tz: str) -> str:
    """``'Mo. vorm.'`` / ``'Mo. nachm.'`` for a half-day starting at ``h``."""
    t = h.tz_convert(tz)
    return f"{german.day_short(t.date()).split(' ')[0]} {'vorm.' if t.hour < 12 else 'nachm.'}"


def half_days(incident: Incident, days: tuple | None = None) -> list[str]:
    """Labels of the half-days of the incident window (or of ``days``), in order."""
    halves = pd.date_range(*incident.window, freq="12h", inclusive="left")
    keep = None if days is None else {str(d) for d in days}
    return [half_day_label(h, incident.timezone) for h in halves if keep is None or h.date().isoformat() in keep]


def implied_rate(value: float, *, seconds: tuple[float, float] = SECONDS_WINDOW) -> tuple[float, float]:
    """The request rate a count "within seconds" implies, as a range (a reading, never a fact).

    Args:
        value: Requests counted in the window.
        seconds: Shortest and longest reading of the window, in seconds (default 1–10 s for
            "binnen/in wenigen Sekunden").

    Returns:
        (lowest, highest) rate in requests per second.

    Example:
        >>> implied_rate(1_000)
        (100.0, 1000.0)
    """
    lo, hi = seconds
    if not 0 < lo <= hi:
        raise ValueError("seconds must be 0 < shortest <= longest")
    return value / hi, value / lo


__all__ = [
    "ClaimLookup",
    "coverage_data",
    "figures_data",
    "half_days",
    "implied_rate",
    "quantity_data",
    "quoted",
    "sequence_data",
    "statements_data",
]


# --------------------------------------------------------------------------- alt texts


def describe_sequence(data: pd.DataFrame) -> str:
    """German alt text of the Ablauf chart, from its data."""
    rows = list(dict.fromkeys(data["row"]))
    certain = data[data["part"] == "sicher"]
    opened = int(data["open"].astype(bool).sum()) if len(data) else 0
    return (
        f"Balkendiagramm mit {german.count(len(rows), 'Zeile', 'Zeilen')} (Plattform und Tag). "
        f"Dunkle Balken: {german.count(len(certain), 'Zeitraum', 'Zeiträume')}, in denen die Plattform nach "
        "allen Angaben gestört war. Helle Balken: die Spanne, in der Beginn oder Ende der Störung liegen. "
        f"{german.count(opened, 'Rand ist', 'Ränder sind')} von keiner Quelle begrenzt und als „unbekannt“ "
        "auslaufend gezeichnet."
    )


def describe_quantities(data: pd.DataFrame) -> str:
    """German alt text of the quantities chart."""
    parts = [f"{q}: {german.number(v)}" for q, v in zip(data["quantity"], data["value"])]
    return "Balken je genannter Zahl, jede Größe mit eigener Achse. " + german.join(parts) + "."


def describe_statements(data: pd.DataFrame) -> str:
    """German alt text of the statements chart."""
    official = int((data["kind"] != "Meldung").sum())
    return (
        f"Zeitleiste je Plattform: {german.count(official, 'Aussage', 'Aussagen')} von Betreibern und Behörden "
        f"und {german.count(len(data) - official, 'Meldung', 'Meldungen')} über Störungen, jeweils über die "
        "ganze Zeitspanne gezeichnet, die ihre Zeitangabe nennt; gefärbt nach dem Inhalt."
    )


def describe_figures(data: pd.DataFrame) -> str:
    """German alt text of the figures chart."""
    spans = data.groupby("quantity")["factor"].max().sort_values(ascending=False)
    if spans.empty:
        return "Keine Größe, für die Quellen verschiedene Zahlen nennen."
    top = spans.index[0]
    return (
        f"Punktdiagramm mit {german.count(len(spans), 'Größe', 'Größen')}, für die Quellen verschiedene Zahlen "
        f"nennen, jede Zahl als Vielfaches der kleinsten. Am weitesten auseinander: „{top}“ "
        f"(größte Angabe das {german.number(round(float(spans.iloc[0]), 2))}-Fache der kleinsten)."
    )


def describe_coverage(data: pd.DataFrame) -> str:
    """German alt text of the coverage chart."""
    best = data.loc[data["n_sources"].astype(int).idxmax()]
    return (
        f"Rasterdiagramm Plattformen mal Halbtage; {german.count(len(data), 'Feld ist', 'Felder sind')} durch "
        f"mindestens eine Quelle belegt. Die meisten unabhängigen Quellen ({int(best['n_sources'])}) gibt es "
        f"für {best['platform']} am {best['half_day']}."
    )
