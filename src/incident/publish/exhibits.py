"""Chart inputs from the processed tables: one function per published exhibit.

The chart functions in :mod:`incident.publish.charts` draw tidy frames; the functions here
build those frames from ``data/processed/<incident>/`` so the notebooks stay thin.
Every row keeps the evidence columns of :data:`incident.publish.charts.EVIDENCE`
(``claim_ids``, ``sources``, ``phrase``, ``quote``) that lead back to the raw claims;
times are converted explicitly to Europe/Berlin wall-clock strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from incident.publish.charts import platform_label, wall_clock
from incident.config import Paths
from incident.publish.provenance import split_ids

#: Platforms the article follows, in the order of its rows.
ARTICLE_PLATFORMS: tuple[str, ...] = (
    "iserv-video", "iserv-login", "iserv", "moodle-krzn", "logineo-lms", "logineo", "padlet",
)
#: The incident's week (Monday 11 January 00:00 to Saturday 16 January 00:00 2021, local time).
WEEK = ("2021-01-11", "2021-01-16")


def _window(week: tuple[str, str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(week[0], tz="Europe/Berlin"), pd.Timestamp(week[1], tz="Europe/Berlin")
#: "binnen/in wenigen Sekunden": the window we assume for a rate (seconds, lower and upper bound).
SECONDS_WINDOW = (1.0, 10.0)

_TIME_COLUMNS = ("start", "end", "published_at", "time", "breakpoint", "lo90", "hi90", "onset",
                 "onset_lo", "onset_hi", "recovery", "recovery_lo", "recovery_hi", "claimed_time",
                 "side_a_start", "side_a_end", "side_b_start", "side_b_end", "hull_start", "hull_end")


def read_processed(paths: Paths) -> dict[str, pd.DataFrame]:
    """Read every processed CSV of an incident, time columns parsed as Europe/Berlin.

    Args:
        paths: The incident's paths.

    Returns:
        ``{table name: frame}`` for every ``*.csv`` in ``paths.processed``.
    """
    out = {}
    for f in sorted(paths.processed.glob("*.csv")):
        df = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""])
        for col in df.columns:
            if col in _TIME_COLUMNS:
                df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601").dt.tz_convert("Europe/Berlin")
        out[f.stem] = df
    return out


@dataclass
class Evidence:
    """Look-up from claim ids to outlets, German phrases and quotes."""

    claims: pd.DataFrame

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> "Evidence":
        claims = tables["claims_resolved"].merge(
            tables["sources"][["source_id", "outlet"]], on="source_id", how="left", validate="many_to_one")
        return cls(claims.set_index(claims["claim_id"].rename(None)))

    def columns(self, ids: list[str]) -> dict[str, str]:
        """The evidence columns for a set of claim ids.

        Args:
            ids: Claim ids behind one chart row.

        Returns:
            ``claim_ids``, ``sources`` (outlets), ``phrase`` (German phrases) and ``quote`` (first quote).
        """
        ids = sorted(set(ids))
        rows = self.claims.loc[[i for i in ids if i in self.claims.index]]
        outlets = sorted(set(rows["outlet"].dropna()), key=str.casefold)
        phrases = list(dict.fromkeys(rows["phrase"].dropna()))
        quotes = list(dict.fromkeys(rows["quote"].dropna()))
        return {
            "claim_ids": "; ".join(ids),
            "sources": "; ".join(outlets),
            "phrase": " | ".join(phrases[:3]),
            "quote": quotes[0] if quotes else "",
        }


def _with_evidence(rows: list[dict], ev: Evidence) -> pd.DataFrame:
    out = []
    for r in rows:
        r = dict(r)
        ids = r.pop("_ids")  # pop before unpacking: the helper key must not reach the chart data
        out.append({**r, **ev.columns(ids)})
    return pd.DataFrame(out)


def _on(platform_cell: object, platforms: tuple[str, ...]) -> bool:
    return any(p in platforms for p in split_ids(platform_cell))


def sequence_data(tables: dict[str, pd.DataFrame], *, platforms: tuple[str, ...] = ARTICLE_PLATFORMS) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.sequence_chart`: windows, uncertain edges, conflict markers.

    Args:
        tables: Processed tables (needs ``sequence``, ``conflicts``, ``claims_resolved``, ``sources``).
        platforms: Platform ids to show (a conflict naming several platforms shows on the first shown one).

    Returns:
        One row per drawn element (``platform, part, start, end, label, n_sources`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    rows: list[dict] = []
    sequence = tables["sequence"]
    for w in sequence[sequence["platform"].isin(platforms)].itertuples():
        base = {"platform": platform_label(w.platform), "n_sources": int(w.n_sources), "_ids": split_ids(w.claim_ids)}
        label = f"{platform_label(w.platform)}: {w.regime}"
        rows.append({**base, "part": "kern", "start": wall_clock(w.onset), "end": wall_clock(w.recovery), "label": label})
        for lo, hi, what in ((w.onset_lo, w.onset_hi, "Beginn"), (w.recovery_lo, w.recovery_hi, "Ende")):
            if pd.notna(lo) and pd.notna(hi) and hi > lo:
                rows.append({**base, "_ids": list(base["_ids"]), "part": "unsicher", "start": wall_clock(lo),
                             "end": wall_clock(hi), "label": f"{what} unsicher"})
    conflicts = tables["conflicts"]
    for c in conflicts[conflicts["conflict_type"] == "time"].itertuples():
        t = c.side_a_start if pd.notna(c.side_a_start) else c.side_b_start
        shown = [x for x in split_ids(c.platform) if x in platforms]
        if pd.isna(t) or not shown:
            continue
        rows.append({"platform": platform_label(shown[0]), "part": "konflikt", "start": wall_clock(t), "end": "",
                     "label": f"Widerspruch: {c.side_a_phrases} gegen {c.side_b_phrases}", "n_sources": 0,
                     "_ids": split_ids(c.claim_ids)})
    return _with_evidence(rows, ev)


def surge_data(tables: dict[str, pd.DataFrame], *, quantities: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.surge_chart`: the load before 8:00 against the surge at 8:00.

    Args:
        tables: Processed tables.
        quantities: ``{quantity key: (German measure label, phase)}``, phase ``'vor 8 Uhr'`` or ``'um 8 Uhr'``.

    Returns:
        One row per quantity and distinct figure (``measure, phase, value, value_text, unit, time`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    claims = tables["claims_resolved"]
    rows = []
    for key, (measure, phase) in quantities.items():
        sub = claims[(claims["quantity"] == key) & claims["value"].notna()]
        for value, grp in sub.groupby("value", sort=True):
            first = grp.sort_values("claim_id").iloc[0]
            rows.append({"measure": measure, "phase": phase, "value": float(value),
                         "value_text": first["value_text"] if "value_text" in grp else "",
                         "unit": first["unit"], "time": wall_clock(first["start"]), "_ids": list(grp["claim_id"])})
    return _with_evidence(rows, ev)


def figures_data(tables: dict[str, pd.DataFrame], *, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.figures_chart`: every quantity that sources give different figures for.

    Args:
        tables: Processed tables (needs ``conflicts`` with ``conflict_type == 'figure'``).
        labels: German labels per quantity key (default: the key).

    Returns:
        One row per quantity and figure (``quantity, value, value_text, unit, counted`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    claims = tables["claims_resolved"].set_index(tables["claims_resolved"]["claim_id"].rename(None))
    figure = tables["conflicts"][tables["conflicts"]["conflict_type"] == "figure"]
    rows = []
    for key in sorted(set(figure["quantity"].dropna())):
        ids = sorted({i for c in figure[figure["quantity"] == key]["claim_ids"] for i in split_ids(c)})
        sub = claims.loc[[i for i in ids if i in claims.index]]
        sub = sub[sub["value"].notna()]
        for value, grp in sub.groupby("value", sort=True):
            first = grp.sort_values("claim_id").iloc[0]
            rows.append({"quantity": (labels or {}).get(key, key), "value": float(value),
                         "value_text": first.get("value_text", ""), "unit": first["unit"],
                         "counted": first.get("counted", ""), "_ids": list(grp["claim_id"])})
    return _with_evidence(rows, ev)


#: Witness kinds whose statements speak for an operator or an authority (see docs/method.md).
OFFICIAL_WITNESSES = ("operator", "operator_quoted", "authority")
#: Witness kinds whose accounts are observations of users, reporters or crowd reports.
REPORT_WITNESSES = ("affected", "reporter", "crowd_reports")
#: German labels of what an official statement says.
STATEMENT_DE = {"stable": "„läuft stabil“", "acknowledged": "räumt Probleme ein", "none_known": "keine Probleme bekannt"}


def statements_data(tables: dict[str, pd.DataFrame], *, platforms: tuple[str, ...] = ARTICLE_PLATFORMS,
                    week: tuple[str, str] = WEEK) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.statements_chart`: official statements against reports of trouble.

    Official statements are statements by operators (own or quoted) and authorities that the
    platform runs stably, that there are problems, or that none are known; reports are
    accounts by users, reporters and crowd-report sites that the platform was disrupted.
    Each is placed at the middle of its resolved span; misdated claims are left out.

    Args:
        tables: Processed tables.
        platforms: Platform ids to keep (a claim naming several platforms counts for each).
        week: First day and the day after the last (local dates) of the period shown.

    Returns:
        One row per claim and platform (``platform, time, kind, stance`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    claims = tables["claims_resolved"]
    claims = claims[(claims["resolved"] == "true") & claims["start"].between(*_window(week))]
    off = set(tables["flags"].loc[tables["flags"]["on_timeline"] == "false", "claim_id"]) if len(tables["flags"]) else set()
    rows = []
    for c in claims[~claims["claim_id"].isin(off)].itertuples():
        official = c.table == "statements" and c.witness in OFFICIAL_WITNESSES and c.event in STATEMENT_DE
        report = c.stance == "disrupted" and c.witness in REPORT_WITNESSES
        if not (official or report):
            continue
        mid = c.start + (c.end - c.start) / 2
        for plat in split_ids(c.platform):
            if plat in platforms:
                rows.append({"platform": platform_label(plat), "time": wall_clock(mid),
                             "kind": "Betreiber-Aussage" if official else "Meldung",
                             "stance": STATEMENT_DE[c.event] if official else "Störung gemeldet", "_ids": [c.claim_id]})
    return _with_evidence(rows, ev)


def coverage_data(tables: dict[str, pd.DataFrame], *, platforms: tuple[str, ...] = ARTICLE_PLATFORMS,
                  week: tuple[str, str] = WEEK) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.coverage_chart`: independent sources per platform and half-day.

    A source group counts for a half-day when one of its resolved, on-timeline claims about the
    platform has a span that overlaps the half-day; copies of one agency text count once.

    Args:
        tables: Processed tables.
        platforms: Platform ids to show.
        week: First day and the day after the last (local dates) of the half-days shown.

    Returns:
        One row per platform and half-day with ≥ 1 source (``platform, half_day, n_sources`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    claims = tables["claims_resolved"]
    claims = claims[claims["resolved"] == "true"]
    off = set(tables["flags"].loc[tables["flags"]["on_timeline"] == "false", "claim_id"]) if len(tables["flags"]) else set()
    claims = claims[~claims["claim_id"].isin(off)]
    halves = pd.date_range(*_window(week), freq="12h", inclusive="left")
    rows = []
    for plat in platforms:
        mine = claims[claims["platform"].map(lambda s: plat in split_ids(s))]
        for h in halves:
            hit = mine[(mine["start"] < h + pd.Timedelta(hours=12)) & (mine["end"] > h)]
            # a point in time (start == end) at the half-day's start belongs to it
            hit = pd.concat([hit, mine[(mine["start"] == mine["end"]) & (mine["start"] == h)]]).drop_duplicates("claim_id")
            if len(hit):
                rows.append({"platform": platform_label(plat), "half_day": wall_clock(h),
                             "n_sources": int(hit["account_group"].nunique()), "_ids": list(hit["claim_id"])})
    return _with_evidence(rows, ev)


def changepoint_data(tables: dict[str, pd.DataFrame], *, platforms: tuple[str, ...] = ("iserv-video", "iserv-login", "moodle-krzn"),
                     resample: str = "30min", span: tuple[str, str] = ("2021-01-11T05:00", "2021-01-12T20:00")) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.changepoint_chart`: share disrupted, regimes and breakpoints.

    Args:
        tables: Processed tables (``disruption_state``, ``changepoints``).
        platforms: Platform ids to show (those with at least one breakpoint are kept).
        resample: Resolution of the share line in the exhibit (pandas frequency; the analysis keeps 5 min).
        span: Local wall-clock window shown (the rest of the week is in disruption_state.csv).

    Returns:
        Long table (``platform, layer, time, start, end, value`` + evidence).
    """
    ev = Evidence.from_tables(tables)
    state, cps = tables["disruption_state"], tables["changepoints"]
    keep = [p for p in platforms if p in set(cps["platform"])]
    rows: list[dict] = []
    lo, hi = (pd.Timestamp(t, tz="Europe/Berlin") for t in span)
    state = state[state["time"].between(lo, hi)]
    cps = cps[cps["breakpoint"].between(lo, hi)]
    for plat in keep:
        s = state[state["platform"] == plat].sort_values("time")
        ids = sorted({i for c in s["claim_ids"] for i in split_ids(c)})
        # the share line at ``resample`` resolution (mean share, union of the claims behind the bins),
        # only where it changes: the exhibit stays small enough to publish with its data
        binned = s.assign(share=s["share"].astype(float)).groupby(pd.Grouper(key="time", freq=resample))
        line = binned.agg(share=("share", "mean"), claim_ids=("claim_ids", lambda c: "; ".join(sorted({i for x in c for i in split_ids(x)}))))
        line = line.reset_index()
        vals = line["share"].round(4)
        changed = vals.ne(vals.shift()) | vals.ne(vals.shift(-1))
        for r in line[changed].itertuples():
            rows.append({"platform": platform_label(plat), "layer": "anteil", "time": wall_clock(r.time),
                         "start": "", "end": "", "value": round(float(r.share), 4), "_ids": split_ids(r.claim_ids) or ids})
        b = cps[cps["platform"] == plat].sort_values("breakpoint")
        edges = [s["time"].min(), *b["breakpoint"], s["time"].max()]
        levels = [*b["level_before"].astype(float), float(b["level_after"].astype(float).iloc[-1])] if len(b) else []
        for (lo, hi), level in zip(zip(edges[:-1], edges[1:]), levels):
            rows.append({"platform": platform_label(plat), "layer": "regime", "time": "", "start": wall_clock(lo),
                         "end": wall_clock(hi), "value": level, "_ids": list(ids)})
        for r in b.itertuples():
            rows.append({"platform": platform_label(plat), "layer": "bruch", "time": wall_clock(r.breakpoint),
                         "start": wall_clock(r.lo90), "end": wall_clock(r.hi90), "value": math.nan,
                         "_ids": split_ids(r.claim_ids) or list(ids)})
    return _with_evidence(rows, ev)


def implied_rate(value: float, *, seconds: tuple[float, float] = SECONDS_WINDOW) -> tuple[float, float]:
    """The request rate a count "within seconds" implies, as a range.

    Args:
        value: Requests counted in the window.
        seconds: Shortest and longest reading of the window, in seconds (default 1–10 s for
            "binnen/in wenigen Sekunden").

    Returns:
        (lowest, highest) rate in requests per second.

    Example:
        >>> implied_rate(100_000)
        (10000.0, 100000.0)
    """
    lo, hi = seconds
    if not 0 < lo <= hi:
        raise ValueError("seconds must be 0 < shortest <= longest")
    return value / hi, value / lo
