"""Resolved claims, independent accounts, consensus, conflicts, misdated flags and the sequence.

From the raw claim tables (``timeline``, ``counts``, ``statements``) this module builds:

* **resolved claims** — every claim's German day/time phrase resolved with
  :func:`incident.timeexpr.parse_parts` against its source's publication time; unresolved
  claims keep the reason;
* **misdating flags** — claims whose resolved time lies outside the incident window, after
  their own source's publication, from a source published before the incident, or on
  another day than the dossier's reading;
* **independent accounts** — claims grouped per platform × event × day × independent
  source (``syndication_group``: copies of one agency text are one account) × witness kind
  (operator, operator quoted, authority, affected, crowd reports, reporter);
* **consensus and conflicts** — per platform × event × day the overlap of the accounts,
  or a conflict record naming both sides (times, causes, figures);
* **episodes** — per account × platform × day, the onset and recovery edges that
  :mod:`incident.series.changepoints` turns into the disruption state;
* **sequence** — the ordered outage windows ("Ablauf") from the change points.

All heavy steps are pandas/numpy group operations; phrases are resolved once per
distinct (day phrase, time phrase, reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from incident.series.changepoints import DAY_END_HOUR, WINDOW, episode_probabilities
from incident.config import TIMEZONE
from incident.errors import ReconstructionError

#: Platform ids of the vocabulary that are not platforms (kept in claims, left out of the state).
NON_PLATFORMS = frozenset({"general", "context", "unknown", "network", "school-network"})
#: Events that happen once per episode: accounts that do not overlap contradict each other.
POINT_EVENTS = ("outage_start", "fix", "restored")
#: Accounts with a span longer than this (hours) are too vague to contradict a time.
PRECISE_HOURS = 6.0
#: Figures within this relative distance agree (about 4,500 vs 4,502).
FIGURE_TOLERANCE = 0.05
#: Cause labels that name no cause (never in a cause conflict).
NO_CAUSE = frozenset({"", "unclear", "unknown"})
#: Start of the school day: an account that reports only a fix says the outage began after this hour.
DAY_START_HOUR = 6
#: Witness kinds, from the most to the least direct.
WITNESSES = ("operator", "operator_quoted", "authority", "affected", "crowd_reports", "reporter")
#: Days tried as reference for sources dated only to the month/year (the incident week and weekend).
WEEK_REFERENCES = tuple(pd.date_range("2021-01-11", "2021-01-17", freq="D").strftime("%Y-%m-%d"))

_AUTHORITY = re.compile(
    r"minist|behörde|senat|regierung|landeshauptstadt|stadt\b|stadt |schulamt|bezirksregierung|kreis\b|citeq|"
    r"city|school authority|municipal|landtag", re.IGNORECASE)
_CROWD = re.compile(r"netzwelt|downdetector|allestörungen|störungsmelder", re.IGNORECASE)
_REPORTER_ROLE = re.compile(r"^reporter\b", re.IGNORECASE)
#: Operator texts that name nobody (the platform is used to group causes instead).
_NO_OPERATOR = re.compile(r"^(unknown|various|not stated|not named|provider not named|unbekannt)\b", re.IGNORECASE)

CLAIM_COLUMNS = ["claim_id", "claim_ids", "table", "kind", "source_id", "account_group", "witness", "platform",
                 "event", "stance", "cause", "quantity", "value", "unit", "day_text", "time_text", "phrase",
                 "reference", "start", "end", "span_kind", "resolved", "reason", "flag", "speaker", "quote",
                 "value_text", "counted"]


def _s(df: pd.DataFrame, col: str) -> pd.Series:
    """Column as str with '' for missing (absent columns → all '')."""
    if col not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    return df[col].astype(object).where(df[col].notna(), "").astype(str)


def _join(values) -> str:
    """Sorted, de-duplicated '; '-join of non-empty strings (cells may hold '; '-lists)."""
    out = set()
    for v in values:
        if isinstance(v, str) and v:
            out.update(x for x in v.split("; ") if x)
    return "; ".join(sorted(out))


def group_join(codes: np.ndarray, values, n_groups: int, sep: str = "; ") -> list[str]:
    """Sorted, de-duplicated join of non-empty strings per group, vectorised.

    Args:
        codes: Group number per row (0 … n_groups - 1), shape (n,).
        values: Strings per row, shape (n,).
        n_groups: Number of groups.
        sep: Separator.

    Returns:
        One joined string per group (``""`` when it has no non-empty value).
    """
    v = np.asarray(values, dtype=object).astype(str)
    codes = np.asarray(codes)
    keep = v != ""
    v, codes = v[keep], codes[keep]
    order = np.lexsort((v, codes))
    v, codes = v[order], codes[order]
    if len(v):
        first = np.ones(len(v), bool)
        first[1:] = (codes[1:] != codes[:-1]) | (v[1:] != v[:-1])
        v, codes = v[first], codes[first]
    out = [""] * n_groups
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], bounds]) if len(v) else np.array([], int)
    ends = np.concatenate([bounds, [len(v)]]) if len(v) else np.array([], int)
    vl = v.tolist()
    for g, a, b in zip(codes[starts].tolist() if len(v) else [], starts.tolist(), ends.tolist()):
        out[g] = sep.join(vl[a:b])
    return out


# --------------------------------------------------------------------------- claims


def stack_claims(evidence) -> pd.DataFrame:
    """Stack the three claim tables into one frame with derived ``event`` and ``stance``.

    Statements: stance problems → event ``acknowledged`` (stance disrupted), stable →
    ``stable`` (working), none_known → ``none_known`` (unknown), other → ``statement``;
    advice → ``advice``. Counts: event ``figure``.

    Args:
        evidence: Object with ``timeline``, ``counts``, ``statements`` frames (raw contract).

    Returns:
        Frame with one row per claim, sorted by ``claim_id``.
    """
    parts = []
    for table in ("timeline", "counts", "statements"):
        df = getattr(evidence, table)
        out = pd.DataFrame({"claim_id": _s(df, "claim_id"), "table": table})
        for col in ("source_id", "platform", "operator", "what", "day_text", "time_text", "speaker", "quote",
                    "dossier_day", "kind", "cause", "unit", "value_text", "counted", "quantity", "role", "organisation"):
            out[col] = _s(df, col).to_numpy()
        out["value"] = pd.to_numeric(df["value"], errors="coerce").to_numpy() if "value" in df.columns else np.nan
        if table == "timeline":
            out["event"] = _s(df, "event").to_numpy()
            out["stance"] = _s(df, "stance").to_numpy()
        elif table == "counts":
            out["event"] = "figure"
            out["stance"] = "unknown"
        else:
            st = _s(df, "stance").to_numpy()
            adv = _s(df, "kind").to_numpy() == "advice"
            out["event"] = np.where(adv, "advice", np.select(
                [st == "problems", st == "stable", st == "none_known"], ["acknowledged", "stable", "none_known"], "statement"))
            out["stance"] = np.where(adv, "unknown", np.select(
                [st == "problems", st == "stable"], ["disrupted", "working"], "unknown"))
        parts.append(out)
    claims = pd.concat(parts, ignore_index=True)
    if claims["claim_id"].duplicated().any():
        dup = claims.loc[claims["claim_id"].duplicated(), "claim_id"].iloc[0]
        raise ReconstructionError(f"claim id {dup!r} appears in more than one row")
    return claims.sort_values("claim_id", ignore_index=True)


def witness_kind(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Kind of witness behind each claim.

    Rules, first match wins: the operator's own channel (source kind press_release or
    operator_statement) → ``operator``; a speaker/organisation naming the claim's operator →
    ``operator_quoted``; a ministry, school authority or city → ``authority``; crowd
    error-report counters (netzwelt, Downdetector) → ``crowd_reports``; any other named
    speaker (head teachers, unions, parents) → ``affected``; no speaker → ``reporter``.

    Args:
        claims: Output of :func:`stack_claims`.
        sources: Sources with ``source_id`` and ``kind``.

    Returns:
        Series aligned with ``claims``.
    """
    skind = claims["source_id"].map(dict(zip(sources["source_id"], _s(sources, "kind")))).fillna("")
    who = (claims["speaker"] + " | " + claims["organisation"] + " | " + claims["role"]).str.strip(" |")
    op_token = claims["operator"].str.lower().str.extract(r"^\W*([a-zäöüß0-9]+)", expand=False).fillna("")
    names_op = pd.Series([bool(t) and len(t) > 2 and t in w.lower() for t, w in zip(op_token, who)], index=claims.index)
    crowd = (claims["unit"] == "error_reports") | who.str.contains(_CROWD) | claims["what"].str.contains(_CROWD)
    own = skind.isin(["press_release", "operator_statement"])
    authority = who.str.contains(_AUTHORITY) | (skind == "ministry")
    reporter_role = claims["role"].str.contains(_REPORTER_ROLE)
    return pd.Series(np.select(
        [own & (names_op | (who == "")), names_op, authority & ~reporter_role, crowd, (who != "") & ~reporter_role],
        ["operator", "operator_quoted", "authority", "crowd_reports", "affected"], "reporter"), index=claims.index)


def _reference(sources: pd.DataFrame) -> pd.DataFrame:
    """Reference per source: ISO text at the source's precision (minute → tz-aware ISO)."""
    prec = _s(sources, "published_precision")
    at = pd.to_datetime(sources["published_at"]) if "published_at" in sources.columns else pd.Series(pd.NaT, index=sources.index)
    ref = np.where(prec == "minute", [t.isoformat() if not pd.isna(t) else "" for t in at], _s(sources, "published"))
    return pd.DataFrame({"source_id": sources["source_id"].to_numpy(), "reference": ref, "precision": prec.to_numpy()})


def resolve(claims: pd.DataFrame, sources: pd.DataFrame, *, resolver: Callable | None = None) -> pd.DataFrame:
    """Resolve every claim's day/time phrase against its source's publication time.

    Distinct (day phrase, time phrase, reference) triples are resolved once. Sources dated
    only to the month or year: a relative phrase is tried against every day of the
    incident week and weekend (:data:`WEEK_REFERENCES`) and counts as resolved only when
    all of them give the same span (``reference`` then reads ``2021-01 (any of …)``).

    Args:
        claims: Output of :func:`stack_claims`.
        sources: Sources with ``source_id, published, published_precision, published_at``.
        resolver: ``(day_text, time_text, reference) -> TimeSpan``; default
            :func:`incident.timeexpr.parse_parts`.

    Returns:
        ``claims`` plus ``phrase, reference, start, end, span_kind, resolved, reason``
        (``start``/``end`` tz-aware Europe/Berlin, NaT when unresolved).
    """
    if resolver is None:
        from incident.timeexpr import parse_parts as resolver  # noqa: N813
    ref = _reference(sources)
    df = claims.merge(ref, on="source_id", how="left", validate="many_to_one")
    if df["reference"].isna().any():
        missing = df.loc[df["reference"].isna(), "claim_id"].iloc[0]
        raise ReconstructionError(f"claim {missing!r} refers to an unknown source")
    keys = df[["day_text", "time_text", "reference", "precision"]].drop_duplicates()
    out = []
    for d, t, r, p in keys.itertuples(index=False):
        if not d and not t:
            out.append((d, t, r, p, None, None, None, "no day or time phrase given", r))
            continue
        span = resolver(d or None, t or None, r)
        shown = r
        if span.start is None and p in ("month", "year"):
            tries = [resolver(d or None, t or None, w) for w in WEEK_REFERENCES if w.startswith(r)]
            if tries and all(x.start is not None for x in tries) and len({(x.start, x.end) for x in tries}) == 1:
                span = tries[0]
                shown = f"{r} (any of {WEEK_REFERENCES[0]}..{WEEK_REFERENCES[-1]})"
            elif tries:
                span = type("S", (), {"start": None, "end": None, "kind": None,
                                      "reason": f"{span.reason}; source dated only to {r} and no single reading "
                                                f"holds for every day of the incident week"})()
        out.append((d, t, r, p, span.start, span.end, span.kind, span.reason if span.start is None else None, shown))
    res = pd.DataFrame(out, columns=["day_text", "time_text", "reference", "precision", "start", "end", "span_kind",
                                     "reason", "reference_shown"])
    for c in ("start", "end"):
        res[c] = pd.to_datetime(res[c], utc=True).dt.tz_convert(TIMEZONE)
    df = df.merge(res, on=["day_text", "time_text", "reference", "precision"], how="left", validate="many_to_one")
    df["reference"] = df.pop("reference_shown")
    df["phrase"] = np.where((df["day_text"] != "") & (df["time_text"] != ""),
                            df["day_text"] + " | " + df["time_text"], df["day_text"] + df["time_text"])
    df["resolved"] = df["start"].notna()
    df["span_kind"] = df["span_kind"].fillna("")
    df["reason"] = df["reason"].fillna("")
    return df.drop(columns=["precision"]).sort_values("claim_id", ignore_index=True)


# --------------------------------------------------------------------------- flags


def flag_misdated(claims: pd.DataFrame, sources: pd.DataFrame, *, window: tuple = WINDOW) -> pd.DataFrame:
    """Misdating flags: one row per claim × flag.

    Flags (``on_timeline`` false for all but ``dossier_day_differs``):

    * ``source_outside_window`` — the source was published before the incident window
      began (e.g. December 2020 reports of attacks on KRZN): none of its claims can be
      about the incident, whatever its phrases say;
    * ``outside_window`` — the resolved span does not touch the window (Mon 11 – Fri 15
      January 2021);
    * ``after_publication`` — the resolved span starts after the source's publication
      (a report cannot describe what had not happened yet);
    * ``assumed_day_disputed`` — the phrase names no day (only a time), so the source's
      publication day was assumed, and the dossier's reading puts it on another day: the
      day is doubtful, the claim is not placed;
    * ``dossier_day_differs`` — the phrase names a day and the dossier's unchecked reading
      does not overlap the resolved span (kept on the timeline; a hint to re-read the source).

    Args:
        claims: Output of :func:`resolve`.
        sources: Sources with ``published_start``/``published_end`` (or ``published_at``).
        window: ``(start, end)`` tz-aware.

    Returns:
        Frame with ``claim_id, flag, detail, on_timeline``.
    """
    src = sources.set_index("source_id")
    p_start = claims["source_id"].map(src["published_start"] if "published_start" in src else src["published_at"])
    p_end = claims["source_id"].map(src["published_end"] if "published_end" in src else src["published_at"])
    published = claims["source_id"].map(_s(src.reset_index(), "published").set_axis(src.index))
    w0, w1 = window
    res = claims["resolved"].to_numpy(dtype=bool)
    start, end = claims["start"], claims["end"]
    rows = []

    def add(mask, flag, detail, on_timeline):
        idx = np.flatnonzero(mask)
        for i in idx:
            rows.append((claims["claim_id"].iat[i], flag, detail(i), on_timeline))

    pend = pd.to_datetime(p_end)
    add((pend <= w0).to_numpy(), "source_outside_window",
        lambda i: f"source published {published.iat[i]}, before the incident window ({w0.date()} to {(w1 - pd.Timedelta(days=1)).date()})", False)
    out_w = res & ((end < w0) | (start >= w1)).fillna(False).to_numpy()
    add(out_w, "outside_window",
        lambda i: f"resolved to {start.iat[i].isoformat()}..{end.iat[i].isoformat()}, outside {w0.date()}..{(w1 - pd.Timedelta(days=1)).date()}", False)
    pstart = pd.to_datetime(p_start)
    after = res & ((start > pend) | ((pstart < pend) & (start >= pend))).fillna(False).to_numpy()
    add(after, "after_publication",
        lambda i: f"resolved start {start.iat[i].isoformat()} is after the source's publication ({published.iat[i]})", False)
    dd = claims["dossier_day"]
    has = (dd != "") & res
    if has.any():
        uniq = pd.Series(dd[has].unique())
        parsed = {}
        for text in uniq:
            a, _, b = text.partition("/")
            try:
                s0 = pd.Timestamp(a).tz_localize(TIMEZONE)
                e0 = pd.Timestamp(b or a).tz_localize(TIMEZONE)
            except ValueError:
                continue
            parsed[text] = (s0, e0 + (pd.DateOffset(months=1) if len(b or a) == 7 else pd.Timedelta(days=1)))
        keys_ = list(parsed)
        dstart = dd.map(pd.Series([parsed[k][0] for k in keys_], index=keys_, dtype=f"datetime64[ns, {TIMEZONE}]"))
        dend = dd.map(pd.Series([parsed[k][1] for k in keys_], index=keys_, dtype=f"datetime64[ns, {TIMEZONE}]"))
        overlap = (start < dend) & ((end > dstart) | ((start == end) & (end >= dstart)))
        differs = has & dstart.notna() & ~overlap.fillna(False)
        no_day = (claims["day_text"] == "").to_numpy()
        differs = differs.to_numpy()
        add(differs & ~no_day, "dossier_day_differs",
            lambda i: f"dossier reads {dd.iat[i]}; phrase resolves to {start.iat[i].isoformat()}..{end.iat[i].isoformat()}", True)
        add(differs & no_day, "assumed_day_disputed",
            lambda i: f"the phrase names no day, so the source's publication day was assumed "
                      f"({start.iat[i].isoformat()}..{end.iat[i].isoformat()}); the dossier reads {dd.iat[i]}", False)
    flags = pd.DataFrame(rows, columns=["claim_id", "flag", "detail", "on_timeline"])
    return flags.sort_values(["claim_id", "flag"], ignore_index=True)


# --------------------------------------------------------------------------- accounts


def _day_of(start: pd.Series, end: pd.Series) -> pd.Series:
    """Local date (ISO) of a span lying within one calendar day, else ''."""
    d0 = start.dt.normalize()
    d1 = (end - pd.Timedelta(seconds=1)).where(end > start, end).dt.normalize()
    same = (d0 == d1).fillna(False).to_numpy()
    names = {d: d.strftime("%Y-%m-%d") for d in pd.unique(d0[same])}
    return pd.Series([names[d] if ok else "" for d, ok in zip(d0, same)], index=start.index, dtype=object)


def quantity_key(claims: pd.DataFrame) -> pd.Series:
    """Key of the quantity a figure measures (figure conflicts are found per key).

    The raw ``quantity`` when given; otherwise ``<platform>|<unit>``, plus ``|<day>`` for
    figures counted in a time-of-day window (a ``time_text`` is given: a flow such as
    error reports between 8 and 10, not a stock such as schools using a platform).
    """
    day = _day_of(claims["start"], claims["end"])
    derived = claims["platform"] + "|" + claims["unit"] + np.where((claims["time_text"] != "") & (day != ""), "|" + day, "")
    q = claims["quantity"].where(claims["quantity"] != "", derived)
    return q.where(claims["table"] == "counts", "")


def accounts(claims: pd.DataFrame) -> pd.DataFrame:
    """Independent accounts: claims grouped per platform × event × quantity × day × source group × witness.

    Copies of one text share an ``account_group`` and so make one account; an operator
    statement and a reporter's observation in one article are two accounts of different
    witness kinds. The account's span is the hull of its claims' spans.

    Args:
        claims: Resolved claims with ``account_group``, ``witness``, ``quantity`` and
            ``on_timeline``; claims off the timeline are left out.

    Returns:
        Frame with the ``accounts.csv`` columns, sorted by ``account_id``.
    """
    c = claims[claims["on_timeline"]].copy()
    c["day"] = _day_of(c["start"], c["end"])
    keys = ["platform", "event", "quantity", "day", "account_group", "witness"]
    g = c.groupby(keys, sort=True, dropna=False)
    codes = g.ngroup().to_numpy()
    acc = g.agg(n_claims=("claim_id", "size"), start=("start", "min"), end=("end", "max"),
                value=("value", "median")).reset_index()
    n = len(acc)
    for col, src, sep in (("claim_ids", "claim_id", "; "), ("source_ids", "source_id", "; "), ("stance", "stance", "; "),
                          ("cause", "cause", "; "), ("phrases", "phrase", "; "), ("quotes", "quote", " / ")):
        acc[col] = group_join(codes, c[src].to_numpy(), n, sep)
    acc["account_id"] = (acc["platform"] + "|" + acc["event"] + "|" + acc["quantity"] + "|" + acc["day"] + "|"
                         + acc["account_group"] + "|" + acc["witness"])
    cols = ["account_id", "claim_ids", "platform", "event", "quantity", "account_group", "witness", "source_ids",
            "n_claims", "day", "start", "end", "stance", "cause", "value", "phrases", "quotes"]
    return acc[cols].sort_values("account_id", ignore_index=True)


# --------------------------------------------------------------------------- consensus and conflicts


def _closed(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closed intervals that encode the agreement rule (seconds).

    Spans of positive length are shrunk by 1 s at both ends (touching spans such as
    11:30–13:30 and 13:30–14:30 do not agree); points are widened by 2 s (an exact 08:00
    agrees with 06:00–08:00 and with another 08:00).
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    pos = end > start
    shrink = np.minimum(1.0, (end - start) / 3.0)  # never inverts a very short span
    return np.where(pos, start + shrink, start - 2.0), np.where(pos, end - shrink, end + 2.0)


def stab_clusters(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Partition spans into the fewest groups that each share a common instant (greedy stabbing).

    Agreement rule: two spans agree when they overlap for a positive time, or when an
    exact time lies inside (or on the edge of) the other span (see :func:`_closed`).
    Repeatedly take the end of the span that ends first and put every span containing it
    into one group; spans of different groups cannot all be true for a one-off event.

    Args:
        start: Span starts in seconds, shape (n,).
        end: Span ends in seconds, shape (n,).

    Returns:
        Group number per span (0, 1, … in time order), shape (n,).
    """
    s, e = _closed(start, end)
    group = np.full(len(s), -1)
    k = 0
    while (group < 0).any():
        free = group < 0
        p = e[free].min()
        hit = free & (s <= p) & (p <= e)
        if not hit.any():  # cannot happen for s <= e; guard against NaN
            raise ReconstructionError("span with missing or inverted times in stab_clusters")
        group[hit] = k
        k += 1
    return group


def _side(acc: pd.DataFrame, label: str = "", value: float = np.nan) -> dict:
    return {
        "claim_ids": _join(acc["claim_ids"]), "source_ids": _join(acc["source_ids"]), "witness": _join(acc["witness"]),
        "start": acc["start"].min(), "end": acc["end"].max(), "value": value, "label": label,
        "phrases": _join(acc["phrases"]), "quotes": " / ".join(sorted({q for q in acc["quotes"] if q})),
    }


def _conflict_row(kind: str, platform: str, event: str, day: str, quantity: str, a: dict, b: dict,
                  gap: float, ratio: float, note: str) -> dict:
    row = {"platform": platform, "event": event, "day": day, "conflict_type": kind, "quantity": quantity,
           "gap_minutes": gap, "ratio": ratio, "note": note}
    for side, d in (("a", a), ("b", b)):
        for k, v in d.items():
            row[f"side_{side}_{k}"] = v
    row["claim_ids"] = _join([a["claim_ids"], b["claim_ids"]])
    return row


CONFLICT_COLUMNS = ["conflict_id", "claim_ids", "platform", "event", "day", "conflict_type", "quantity",
                    *[f"side_{s}_{k}" for s in "ab" for k in ("claim_ids", "source_ids", "witness", "start", "end",
                                                               "value", "label", "phrases", "quotes")],
                    "gap_minutes", "ratio", "note"]
CONSENSUS_COLUMNS = ["platform", "event", "day", "quantity", "status", "n_accounts", "n_sources", "witness_kinds",
                     "start", "end", "hull_start", "hull_end", "value", "claim_ids", "source_ids", "account_ids"]


def _secs(ts: pd.Series) -> np.ndarray:
    return (pd.to_datetime(ts, utc=True) - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy()


#: Events compared with each other for time conflicts (a fix and a restoration are one moment).
TIME_CLASSES = {"outage_start": "outage_start", "fix": "fix; restored", "restored": "fix; restored"}


def _agree(start: pd.Series, end: pd.Series) -> bool:
    s, e = _closed(_secs(start), _secs(end))
    return bool(s.max() <= e.min())


def time_consensus(acc: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Consensus rows and time conflicts of timeline/statement accounts.

    Per platform × event × day the consensus window is the overlap of all accounts'
    spans (agreement rule of :func:`stab_clusters`). Time conflicts are looked for per
    platform × day among one-off events (:data:`TIME_CLASSES`: outage start; fix and
    restoration together) using the precise accounts (span ≤ :data:`PRECISE_HOURS`):
    more than one group of :func:`stab_clusters` is a ``time`` conflict between
    consecutive groups. For other events non-overlapping accounts are ``disjoint`` (an
    outage in the morning and one at midday can both be true), not a conflict.

    Args:
        acc: Accounts (``event`` != figure).

    Returns:
        ``(consensus rows, conflict rows)``.
    """
    rows, conflicts = [], []
    a = acc[acc["event"] != "figure"].copy()
    a["_class"] = a["event"].map(TIME_CLASSES).fillna("")
    in_conflict = set()
    dated_all = a[(a["day"] != "") & a["start"].notna() & (a["_class"] != "") & ~a["platform"].isin(NON_PLATFORMS)]
    for (platform, cls, day), g in dated_all.groupby(["platform", "_class", "day"], sort=True):
        width = (g["end"] - g["start"]).dt.total_seconds() / 3600.0
        precise = g[width <= PRECISE_HOURS].sort_values("account_id")
        if len(precise) < 2:
            continue
        grp = stab_clusters(_secs(precise["start"]), _secs(precise["end"]))
        if grp.max() == 0:
            continue
        in_conflict.update((platform, ev, day) for ev in precise["event"].unique())
        sides = [precise[grp == k] for k in range(grp.max() + 1)]
        for x, y in zip(sides, sides[1:]):
            gap = (y["start"].min() - x["end"].max()).total_seconds() / 60.0
            conflicts.append(_conflict_row(
                "time", platform, cls, day, "", _side(x, _join(x["event"])), _side(y, _join(y["event"])), gap, np.nan,
                f"{x['account_group'].nunique()} vs {y['account_group'].nunique()} independent source(s) "
                f"give non-overlapping times"))
    for (platform, event, day), g in a.groupby(["platform", "event", "day"], sort=True):
        base = {"platform": platform, "event": event, "day": day, "quantity": "", "n_accounts": len(g),
                "n_sources": int(g["account_group"].nunique()), "witness_kinds": _join(g["witness"]),
                "claim_ids": _join(g["claim_ids"]), "source_ids": _join(g["source_ids"]),
                "account_ids": _join(g["account_id"]), "value": np.nan}
        dated = g[g["start"].notna()]
        hull = (dated["start"].min(), dated["end"].max()) if len(dated) else (pd.NaT, pd.NaT)
        if day == "" or len(dated) == 0:
            rows.append({**base, "status": "undated", "start": pd.NaT, "end": pd.NaT,
                         "hull_start": hull[0], "hull_end": hull[1]})
            continue
        agree = _agree(dated["start"], dated["end"])
        if (platform, event, day) in in_conflict:
            status = "conflict"
        else:
            status = "single" if len(dated) == 1 else ("consensus" if agree else "disjoint")
        ok = status in ("consensus", "single")
        rows.append({**base, "status": status, "start": dated["start"].max() if ok else pd.NaT,
                     "end": dated["end"].min() if ok else pd.NaT, "hull_start": hull[0], "hull_end": hull[1]})
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS), conflicts


def figure_consensus(acc: pd.DataFrame, *, tolerance: float = FIGURE_TOLERANCE) -> tuple[pd.DataFrame, list[dict]]:
    """Consensus rows and figure conflicts per quantity key.

    Figures are sorted and grouped: a figure more than ``tolerance`` (relative) above the
    smallest of the current group opens a new group; consecutive groups are a ``figure``
    conflict. Accounts without a figure are listed but never conflict.

    Args:
        acc: Accounts with ``event == "figure"``.
        tolerance: Relative tolerance.

    Returns:
        ``(consensus rows, conflict rows)``.
    """
    rows, conflicts = [], []
    a = acc[(acc["event"] == "figure") & (acc["quantity"] != "")]
    for q, g in a.groupby("quantity", sort=True):
        platform = _join(g["platform"])
        v = g[g["value"].notna()].sort_values(["value", "account_id"])
        base = {"platform": platform, "event": "figure", "day": _join(g["day"]), "quantity": q,
                "n_accounts": len(g), "n_sources": len(_join(g["source_ids"]).split("; ")),
                "witness_kinds": _join(g["witness"]), "claim_ids": _join(g["claim_ids"]),
                "source_ids": _join(g["source_ids"]), "account_ids": _join(g["account_id"]),
                "start": pd.NaT, "end": pd.NaT, "hull_start": g["start"].min(), "hull_end": g["end"].max()}
        if len(v) == 0:
            rows.append({**base, "status": "undated", "value": np.nan})
            continue
        vals = v["value"].to_numpy()
        grp = np.zeros(len(vals), dtype=int)
        anchor = vals[0]
        for i in range(1, len(vals)):
            if vals[i] > anchor * (1 + tolerance) + 1e-12:
                grp[i] = grp[i - 1] + 1
                anchor = vals[i]
            else:
                grp[i] = grp[i - 1]
        if grp.max() == 0:
            rows.append({**base, "status": "single" if len(v) == 1 else "consensus", "value": float(np.median(vals))})
            continue
        rows.append({**base, "status": "conflict", "value": np.nan})
        sides = [v[grp == k] for k in range(grp.max() + 1)]
        for x, y in zip(sides, sides[1:]):
            lx = _join(x["phrases"]) if False else _label_figures(x)
            ly = _label_figures(y)
            conflicts.append(_conflict_row(
                "figure", platform, "figure", _join(g["day"]), q, _side(x, lx, float(x["value"].median())),
                _side(y, ly, float(y["value"].median())), np.nan, float(y["value"].median() / x["value"].median())
                if x["value"].median() else np.nan,
                f"figures differ by more than {tolerance:.0%} for one quantity"))
    return pd.DataFrame(rows, columns=CONSENSUS_COLUMNS), conflicts


def _label_figures(acc: pd.DataFrame) -> str:
    return "; ".join(sorted({f"{v:g}" for v in acc["value"]}))


def cause_conflicts(claims: pd.DataFrame) -> list[dict]:
    """Cause conflicts: different cause labels given for one operator's failures.

    Claims with event ``cause_stated`` on the timeline (dated or not) are grouped by
    operator (its name before any parenthesis; the platform when the operator is not named
    or only "unknown"/"various"; groups of non-platforms such as ``general`` are skipped).
    When more than one cause label is given (``unclear`` is no cause), the most cited
    label (most independent sources; ties alphabetical) is side A and every other label
    is side B of one ``cause`` conflict each. Whether two causes exclude each other or both happened (on
    different days) is for the reader; the record gives each side's days.

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.

    Returns:
        Conflict rows.
    """
    c = claims[(claims["event"] == "cause_stated") & claims["on_timeline"] & ~claims["cause"].isin(NO_CAUSE)].copy()
    if len(c) == 0:
        return []
    op = c["operator"].str.replace(r"\s*\(.*$", "", regex=True).str.strip()
    vague = op.str.match(_NO_OPERATOR) | (op == "")
    c["_who"] = op.where(~vague, c["platform"])
    c = c[~c["_who"].isin(NON_PLATFORMS)]
    c["_q"] = c["quote"]
    out = []
    for who, g in c.groupby("_who", sort=True):
        support = g.groupby("cause")["account_group"].nunique()
        labels = sorted(support.index, key=lambda lab: (-support[lab], lab))
        lead = labels[0]
        x = g[g["cause"] == lead]
        for lb in labels[1:]:
            y = g[g["cause"] == lb]
            out.append(_conflict_row(
                "cause", _join(g["platform"]), "cause_stated", _join(_day_of(g["start"], g["end"])), "",
                _side(_as_acc(x), lead), _side(_as_acc(y), lb), np.nan, np.nan,
                f"{who}: {lead} ({support[lead]} independent source(s), most cited) vs {lb} ({support[lb]})"))
    return out


def _as_acc(c: pd.DataFrame) -> pd.DataFrame:
    """Claims viewed as single-claim accounts (for :func:`_side`)."""
    return pd.DataFrame({"claim_ids": c["claim_id"], "source_ids": c["source_id"], "witness": c["witness"],
                         "start": c["start"], "end": c["end"], "phrases": c["phrase"], "quotes": c["quote"]})


def consensus_and_conflicts(acc: pd.DataFrame, claims: pd.DataFrame, *,
                            tolerance: float = FIGURE_TOLERANCE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All consensus rows and conflict records (time, figure, cause).

    Args:
        acc: Output of :func:`accounts`.
        claims: Resolved claims (for cause conflicts).
        tolerance: Relative tolerance of figures.

    Returns:
        ``(consensus, conflicts)`` with the columns of ``consensus.csv`` / ``conflicts.csv``;
        conflict ids ``C001`` … in the sorted order.
    """
    c1, k1 = time_consensus(acc)
    c2, k2 = figure_consensus(acc, tolerance=tolerance)
    k3 = cause_conflicts(claims)
    consensus = pd.concat([c1, c2], ignore_index=True).sort_values(["platform", "event", "day", "quantity"], ignore_index=True)
    conflicts = pd.DataFrame(k1 + k2 + k3)
    if len(conflicts) == 0:
        return consensus, pd.DataFrame(columns=CONFLICT_COLUMNS)
    conflicts = conflicts.sort_values(["conflict_type", "platform", "event", "day", "quantity", "side_a_claim_ids",
                                       "side_b_claim_ids"], ignore_index=True)
    conflicts["conflict_id"] = [f"C{i + 1:03d}" for i in range(len(conflicts))]
    return consensus, conflicts[CONFLICT_COLUMNS]


# --------------------------------------------------------------------------- episodes


def explode_platforms(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per claim × platform id (``"moodle-krzn; logineo"`` → two rows), non-platforms dropped."""
    e = claims.assign(platform=claims["platform"].str.split(r"\s*;\s*")).explode("platform")
    e = e[(e["platform"] != "") & ~e["platform"].isin(NON_PLATFORMS)]
    return e.reset_index(drop=True)


def episodes(claims: pd.DataFrame) -> pd.DataFrame:
    """Outage episodes per platform × account (source group × witness) × day, with edge spans.

    Only dated claims on the timeline whose span lies within one day and is at most
    :data:`PRECISE_HOURS` long are used ("am Montag" alone locates no edge); claims
    with stance ``disrupted`` (D) or ``working`` with event restored/fix/stable (W).

    * Onset edge: the earliest ``outage_start``/``since`` claim's span; else the first half
      of the earliest disrupted claim's span (the account says "disrupted somewhere in
      this span", so the edges are spread evenly over its two halves).
    * Recovery edge: the earliest W claim starting at or after the onset; else (the account
      gives no end) spread evenly from the middle of its latest disrupted report (for a
      lone outage start: from the start) to the end of the school day
      (:data:`incident.series.changepoints.DAY_END_HOUR`).
    * W without D: restored/fix → onset spread from :data:`DAY_START_HOUR` to the fix;
      stable only → never disrupted that day (probability 0, still counted).

    Args:
        claims: Resolved claims with ``on_timeline``, ``account_group``, ``witness``.

    Returns:
        Frame with ``platform, day, account_group, witness, account, onset_start,
        onset_end, recovery_start, recovery_end, claim_ids, source_ids``, sorted.
    """
    c = claims[claims["on_timeline"] & claims["resolved"] & claims["table"].isin(["timeline", "statements"])]
    c = explode_platforms(c)
    c = c.assign(day=_day_of(c["start"], c["end"]))
    width_h = (c["end"] - c["start"]).dt.total_seconds() / 3600.0
    c = c[(c["day"] != "") & (width_h <= PRECISE_HOURS)]
    d_mask = c["stance"] == "disrupted"
    w_mask = (c["stance"] == "working") & c["event"].isin(["restored", "fix", "stable"])
    c = c[d_mask | w_mask].copy()
    if len(c) == 0:
        return pd.DataFrame(columns=["platform", "day", "account_group", "witness", "account", "onset_start", "onset_end",
                                     "recovery_start", "recovery_end", "claim_ids", "source_ids"])
    c["account"] = c["account_group"] + "|" + c["witness"]
    keys = ["platform", "day", "account"]
    mid = c["start"] + (c["end"] - c["start"]) / 2
    c["is_d"] = c["stance"] == "disrupted"
    c["is_start"] = c["is_d"] & ((c["event"] == "outage_start") | (c["span_kind"] == "since"))
    c["is_fix"] = ~c["is_d"] & c["event"].isin(["restored", "fix"])
    c["_mid"] = mid

    # onset from outage starts, else from the earliest disrupted claim's first half
    on_cand = c[c["is_d"]].copy()
    on_cand["a0"] = on_cand["start"]
    on_cand["a1"] = np.where(on_cand["is_start"], on_cand["end"], on_cand["_mid"])
    on_cand["prio"] = np.where(on_cand["is_start"], 0, 1)
    on_cand = on_cand.sort_values(keys + ["prio", "start", "claim_id"]).drop_duplicates(keys)
    gb = c.groupby(keys, sort=True)
    ep = gb.agg(account_group=("account_group", "first"), witness=("witness", "first"),
                has_d=("is_d", "any"), has_fix=("is_fix", "any")).reset_index()
    codes = gb.ngroup().to_numpy()
    ep["claim_ids"] = group_join(codes, c["claim_id"].to_numpy(), len(ep))
    ep["source_ids"] = group_join(codes, c["source_id"].to_numpy(), len(ep))
    ep = ep.merge(on_cand[keys + ["a0", "a1"]], on=keys, how="left")
    # recovery: earliest W at/after onset
    w = c[~c["is_d"]].merge(ep[keys + ["a0"]], on=keys, how="left")
    w = w[w["a0"].isna() | (w["start"] >= w["a0"])].sort_values(keys + ["start", "claim_id"]).drop_duplicates(keys)
    ep = ep.merge(w[keys + ["start", "end"]].rename(columns={"start": "b0", "end": "b1"}), on=keys, how="left")
    # else (no end given): spread the end from the middle of the latest disrupted report (a lone
    # outage start: from the start) to the end of the school day
    last_d = c[c["is_d"]].sort_values(keys + ["end", "claim_id"]).drop_duplicates(keys, keep="last")
    last_d = last_d.assign(l0=np.where(last_d["is_start"], last_d["end"], last_d["_mid"]))
    ep = ep.merge(last_d[keys + ["l0", "end"]].rename(columns={"end": "l1"}), on=keys, how="left")
    ep["l0"] = pd.to_datetime(ep["l0"], utc=True).dt.tz_convert(TIMEZONE)
    school_end = pd.to_datetime(ep["day"]).dt.tz_localize(TIMEZONE) + pd.Timedelta(hours=DAY_END_HOUR)
    open_end = ep["b0"].isna() & ep["l0"].notna() & ep["has_d"]
    ep["b0"] = ep["b0"].where(~open_end, ep["l0"])
    ep["b1"] = ep["b1"].where(~open_end, pd.concat([school_end, ep["l1"]], axis=1).max(axis=1))
    # fix without disruption: onset spread from the school-day start to the fix
    d0 = pd.to_datetime(ep["day"]).dt.tz_localize(TIMEZONE)
    fix_only = ~ep["has_d"] & ep["has_fix"]
    ep.loc[fix_only, "a0"] = d0[fix_only] + pd.Timedelta(hours=DAY_START_HOUR)
    ep.loc[fix_only, "a1"] = ep.loc[fix_only, "b0"]
    ep["a1"] = ep[["a0", "a1"]].max(axis=1) if len(ep) else ep["a1"]
    # stable only: never disrupted (onset at the end of the day)
    never = ep["a0"].isna()
    ep.loc[never, "a0"] = d0[never] + pd.Timedelta(days=1)
    ep.loc[never, "a1"] = d0[never] + pd.Timedelta(days=1)
    out = pd.DataFrame({
        "platform": ep["platform"], "day": ep["day"], "account_group": ep["account_group"], "witness": ep["witness"],
        "account": ep["account"], "onset_start": ep["a0"], "onset_end": ep["a1"], "recovery_start": ep["b0"],
        "recovery_end": ep["b1"], "claim_ids": ep["claim_ids"], "source_ids": ep["source_ids"],
    })
    for col in ("onset_start", "onset_end", "recovery_start", "recovery_end"):
        out[col] = pd.to_datetime(out[col], utc=True).dt.tz_convert(TIMEZONE)
    return out.sort_values(["platform", "day", "account"], ignore_index=True)


def claimed_times(claims: pd.DataFrame) -> pd.DataFrame:
    """Times claimed by spokespeople (operator, operator quoted, authority) for onset and recovery.

    Returns:
        Frame with ``platform, direction (up/down), time (span midpoint), event, phrase,
        claim_id, witness`` (platforms exploded).
    """
    c = claims[claims["on_timeline"] & claims["resolved"] & claims["witness"].isin(["operator", "operator_quoted", "authority"])]
    c = c[(c["time_text"] != "") | (c["span_kind"].isin(["exact", "approx", "since", "until", "range", "part_of_day"]))]
    up = (c["stance"] == "disrupted") & c["event"].isin(["outage_start", "outage", "degraded", "acknowledged"])
    down = (c["stance"] == "working") & c["event"].isin(["restored", "fix", "stable"])
    c = c[up | down].assign(direction=np.where(up[up | down], "up", "down"))
    c = explode_platforms(c)
    return pd.DataFrame({"platform": c["platform"], "direction": c["direction"],
                         "time": c["start"] + (c["end"] - c["start"]) / 2, "event": c["event"], "phrase": c["phrase"],
                         "claim_id": c["claim_id"], "witness": c["witness"]})


# --------------------------------------------------------------------------- sequence


SEQUENCE_COLUMNS = ["window_id", "platform", "onset", "onset_lo", "onset_hi", "recovery", "recovery_lo", "recovery_hi",
                    "duration_minutes", "regime", "peak_share", "n_sources", "n_accounts", "claim_ids"]


def sequence(results, bins: pd.DatetimeIndex, eps: pd.DataFrame) -> pd.DataFrame:
    """The "Ablauf": every run of non-working segments as one outage window, across platforms.

    Args:
        results: :class:`incident.series.changepoints.PlatformResult` per platform.
        bins: Grid bin starts.
        eps: Output of :func:`episodes` (for the sources and claims behind each window).

    Returns:
        Frame with :data:`SEQUENCE_COLUMNS`, ordered by onset then platform.
    """
    step = bins[1] - bins[0]
    rows = []
    for r in results:
        seg = r.segments
        iv = r.intervals.set_index("bkp") if len(r.intervals) else pd.DataFrame(columns=["lo", "hi"])
        bad = (seg["regime"] != "working").to_numpy()
        ep_p = eps[eps["platform"] == r.platform]
        prob = episode_probabilities(ep_p, bins)
        k = 0
        while k < len(seg):
            if not bad[k]:
                k += 1
                continue
            j = k
            while j + 1 < len(seg) and bad[j + 1]:
                j += 1
            a, b = int(seg["start"].iat[k]), int(seg["end"].iat[j])
            t_on, t_off = bins[0] + a * step, bins[0] + b * step

            def edge(x):
                if x in iv.index and np.isfinite(iv.loc[x, "lo"]):
                    return bins[0] + iv.loc[x, "lo"] * step, bins[0] + iv.loc[x, "hi"] * step
                return pd.NaT, pd.NaT
            on_lo, on_hi = edge(float(a))
            off_lo, off_hi = edge(float(b))
            e = ep_p[prob[:, a:b].max(axis=1) > 0] if b > a else ep_p.iloc[:0]
            worst = seg.iloc[k:j + 1]
            regime = "down" if (worst["regime"] == "down").any() else "degraded"
            rows.append({
                "platform": r.platform, "onset": t_on, "onset_lo": on_lo, "onset_hi": on_hi,
                "recovery": t_off if b < len(bins) else pd.NaT, "recovery_lo": off_lo, "recovery_hi": off_hi,
                "duration_minutes": (t_off - t_on).total_seconds() / 60.0, "regime": regime,
                "peak_share": float(np.max(r.share[a:b])) if b > a else 0.0,
                "n_sources": int(e["account_group"].nunique()), "n_accounts": len(e),
                "claim_ids": _join(e["claim_ids"]),
            })
            k = j + 1
    df = pd.DataFrame(rows, columns=[c for c in SEQUENCE_COLUMNS if c != "window_id"])
    df = df.sort_values(["onset", "platform"], ignore_index=True)
    df.insert(0, "window_id", [f"W{i + 1:03d}" for i in range(len(df))])
    return df[SEQUENCE_COLUMNS]


# --------------------------------------------------------------------------- all together


@dataclass
class Reconstruction:
    """Every table of the reconstruction (before change points)."""

    sources: pd.DataFrame
    claims: pd.DataFrame
    unresolved: pd.DataFrame
    flags: pd.DataFrame
    accounts: pd.DataFrame
    consensus: pd.DataFrame
    conflicts: pd.DataFrame
    episodes: pd.DataFrame
    claimed: pd.DataFrame


def source_table(sources: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """``sources.csv``: sources with account group, default witness kind and their claims."""
    s = sources.copy()
    kind = _s(s, "kind")
    s["account_group"] = _s(s, "syndication_group").where(_s(s, "syndication_group") != "", s["source_id"])
    s["witness"] = np.select([kind.isin(["press_release", "operator_statement"]), kind == "ministry"],
                             ["operator", "authority"], "reporter")
    ids = claims.groupby("source_id")["claim_id"].agg(_join)
    n = claims.groupby("source_id").size()
    s["claim_ids"] = s["source_id"].map(ids).fillna("")
    s["n_claims"] = s["source_id"].map(n).fillna(0).astype(int)
    cols = ["source_id", "outlet", "url", "headline", "published", "published_precision", "published_at", "kind",
            "account_group", "witness", "verified", "n_claims", "claim_ids"]
    for c in cols:
        if c not in s.columns:
            s[c] = ""
    return s[cols].sort_values("source_id", ignore_index=True)


def reconstruct(evidence, *, resolver: Callable | None = None, window: tuple = WINDOW,
                tolerance: float = FIGURE_TOLERANCE) -> Reconstruction:
    """Resolve, flag, group into accounts, and find consensus and conflicts.

    Args:
        evidence: Object with ``sources, timeline, counts, statements`` frames
            (:class:`incident.evidence.load.Evidence` or a generated corpus).
        resolver: Phrase resolver (default :func:`incident.timeexpr.parse_parts`).
        window: Incident window ``(start, end)``, tz-aware.
        tolerance: Relative tolerance of figures.

    Returns:
        :class:`Reconstruction`.

    Raises:
        ReconstructionError: When claims refer to unknown sources or claim ids repeat.
    """
    sources = evidence.sources
    claims = stack_claims(evidence)
    claims = resolve(claims, sources, resolver=resolver)
    group = dict(zip(sources["source_id"], _s(sources, "syndication_group").where(_s(sources, "syndication_group") != "",
                                                                                  sources["source_id"])))
    claims["account_group"] = claims["source_id"].map(group)
    claims["witness"] = witness_kind(claims, sources).to_numpy()
    claims["quantity"] = quantity_key(claims)
    flags = flag_misdated(claims, sources, window=window)
    off = set(flags.loc[~flags["on_timeline"], "claim_id"])
    claims["on_timeline"] = ~claims["claim_id"].isin(off)
    fl = flags.groupby("claim_id")["flag"].agg(_join)
    fl = fl.to_dict()
    claims["flag"] = [fl.get(c, "") for c in claims["claim_id"]]
    claims["claim_ids"] = claims["claim_id"]
    acc = accounts(claims)
    consensus, conflicts = consensus_and_conflicts(acc, claims, tolerance=tolerance)
    unresolved = claims.loc[~claims["resolved"], ["claim_id", "claim_ids", "table", "source_id", "platform", "event",
                                                  "phrase", "reference", "reason"]].reset_index(drop=True)
    fmeta = claims.set_index("claim_id")
    flags_out = flags.assign(
        claim_ids=flags["claim_id"], source_id=flags["claim_id"].map(fmeta["source_id"]),
        platform=flags["claim_id"].map(fmeta["platform"]), event=flags["claim_id"].map(fmeta["event"]),
        phrase=flags["claim_id"].map(fmeta["phrase"]),
        published=flags["claim_id"].map(fmeta["source_id"]).map(dict(zip(sources["source_id"], _s(sources, "published")))),
        start=flags["claim_id"].map(fmeta["start"]), end=flags["claim_id"].map(fmeta["end"]),
    )[["claim_id", "claim_ids", "source_id", "platform", "event", "phrase", "published", "start", "end", "flag",
       "detail", "on_timeline"]]
    return Reconstruction(
        sources=source_table(sources, claims), claims=claims, unresolved=unresolved, flags=flags_out, accounts=acc,
        consensus=consensus, conflicts=conflicts, episodes=episodes(claims), claimed=claimed_times(claims),
    )
