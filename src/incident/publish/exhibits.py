"""Chart inputs from the processed tables: one function per published exhibit.

The chart functions in :mod:`incident.publish.charts` draw tidy frames; the functions here
build those frames from ``data/processed/<incident>/`` (read typed by
:func:`incident.processed.read`) and the incident descriptor, so the notebooks stay thin.
Every row keeps the evidence columns of :data:`incident.publish.charts.EVIDENCE`
(``claim_ids``, ``sources``, ``phrase``, ``quote``) that lead back to the raw claims; times
are converted explicitly to the incident's wall clock.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from incident import german, labels
from incident.evidence.descriptor import Incident
from incident.ids import split_ids
from incident.publish.charts import short_outlet
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
    """Hours after the episode day's midnight (a moment at the next midnight is 24; a later day goes on counting)."""
    if ts is None or pd.isna(ts):
        return None
    t = pd.Timestamp(ts).tz_convert(tz)
    midnight = pd.Timestamp(day).tz_localize(tz)
    return round((t - midnight).total_seconds() / 3600.0, 4)


def edge_text(edge: str, bounds: str, *, open_: bool, disputed: bool, short: bool = False) -> str:
    """The first line of an Ablauf edge label: ``'Beginn 7:30–8:30 Uhr'``, ``'Ende unbekannt, frühestens
    14:00 Uhr'``, ``'Ende um 12:00 Uhr, umstritten'``.

    ``short=True`` gives the bounds alone (``'7:30–8:30 Uhr'``, ``'unbekannt'`` for an open edge,
    ``'umstritten'`` kept).
    """
    if short:
        words = UNKNOWN if open_ else re.sub(r"^zwischen (\S+) und (\S+) Uhr", r"\1–\2 Uhr", bounds)
        return words + (", umstritten" if disputed else "")
    words = re.sub(r"^zwischen (\S+) und (\S+) Uhr", r"\1–\2 Uhr", bounds)
    if words and words[0].isdigit() and "–" not in words:
        words = f"um {words}"
    # "unbekannt" only before a one-sided bound; "im Laufe des Tages" or a day already says when
    if open_ and words.startswith(("frühestens", "spätestens")):
        words = f"{UNKNOWN}, {words}"
    return f"{edge} {words}" + (", umstritten" if disputed else "")


#: Speaker roles that speak for a party (operator, ministry, …): a phrase in their own words is theirs.
PARTY_ROLES = ("operator", "ministry", "authority", "measurement", "school", "association", "politician", "expert")
#: Source kinds that are a party's own channel.
OWN_CHANNELS = ("press_release", "operator_statement")
#: Attributions written under an Ablauf edge; the rest are counted (all are in the tooltip and the CSV).
MAX_ATTRIBUTIONS = 2
#: Articles that open a speaker's German description ("ein Sprecher des …"): written as is, without "laut".
_ARTICLES = ("der ", "die ", "das ", "den ", "dem ", "ein ", "eine ", "einer ", "eines ")


def _who(claim: pd.Series, outlet: str, kinds: dict[str, str]) -> str:
    """Who a claim's time phrase belongs to: ``'laut Betreiber A'`` / ``'Ein Sprecher des Rechenzentrums'`` where the phrase
    is in a party's own words (its own channel, or a verbatim quote that holds the phrase), else the outlet."""
    speaker = str(claim.get("speaker_de", "") or "").strip()
    party = str(claim.get("speaker_role", "") or "") in PARTY_ROLES and bool(speaker)
    own = kinds.get(str(claim.get("source_id", "")), "") in OWN_CHANNELS
    phrase = str(claim.get("time_text", "") or claim.get("day_text", "") or "").casefold()
    in_quote = (
        str(claim.get("quote_verbatim", "")) == "yes"
        and bool(phrase)
        and phrase in str(claim.get("quote", "") or "").casefold()
    )
    if party and (own or in_quote):
        if speaker.casefold().startswith(_ARTICLES):
            return speaker[0].upper() + speaker[1:]
        return f"laut {speaker}"
    return outlet


#: Characters of a phrase quoted under an Ablauf edge; a longer one is cut at a word with „…“ (the whole
#: phrase is in the tooltip and the exhibit's CSV).
PHRASE_CHARS = 40


def _clip(phrase: str, limit: int = PHRASE_CHARS) -> str:
    """``'Erst etwa eine halbe Stunde nach dem für 11 Uhr geplanten Alarm'`` → ``'Erst etwa eine halbe Stunde
    nach dem für …'``: a quoted phrase shortened at a word, the omission marked."""
    if len(phrase) <= limit:
        return phrase
    cut = phrase[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut} …"


def attribution(tables: dict[str, pd.DataFrame], ids: list[str], words: list[str]) -> str:
    """The second line of an Ablauf edge label: who gives the phrases that set the edge, with the phrase.

    ``'laut Betreiber A: „bis etwa 14.00 Uhr“ · WAZ: „Erst gegen 14 Uhr“'``; a phrase several sources give
    names up to two of them; more phrases than :data:`MAX_ATTRIBUTIONS` are counted.
    """
    claims = tables["claims_resolved"]
    claims = claims[claims["claim_id"].isin(ids)].sort_values("claim_id")
    outlets = {s: short_outlet(str(o)) for s, o in zip(tables["sources"]["source_id"], tables["sources"]["outlet"])}
    kinds = dict(zip(tables["sources"]["source_id"], tables["sources"]["kind"])) if "kind" in tables["sources"] else {}
    wanted = [w.strip() for w in words if w and w.strip()]
    if not wanted:  # no phrase named as setting the edge: the phrases of its claims
        wanted = [str(p).split(" | ")[-1] for p in claims["phrase"] if p]
    wanted = list(dict.fromkeys(wanted))
    said: dict[str, list[str]] = {}  # who → their phrases, in order
    for phrase in wanted:
        key = phrase.casefold()
        mine = claims[[key in str(p).casefold() for p in claims["phrase"]]]
        names = list(dict.fromkeys(_who(c, outlets.get(c["source_id"], ""), kinds) for _, c in mine.iterrows()))
        names = [n for n in names if n][:2]
        if names:
            said.setdefault(", ".join(names), []).append(phrase)
    parts = [f"{who}: " + ", ".join(f"„{_clip(p)}“" for p in phrases) for who, phrases in said.items()]
    shown = parts[:MAX_ATTRIBUTIONS]
    rest = len(parts) - len(shown)
    if rest:
        shown.append(german.count_words(rest, "weitere Angabe", "weitere Angaben"))
    return " · ".join(shown)


def _words(cell: object) -> list[str]:
    """The phrases of a ``*_words`` cell (``' | '``-joined)."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [x.strip() for x in str(cell).split("|") if x.strip()]


def _midnight(h: float | None) -> bool:
    """A bound at a day's own midnight bounds nothing within the day (as in the words, :mod:`wording`)."""
    return h is not None and abs(h / 24 - round(h / 24)) < 1e-9


def _pieces(start: float, end: float) -> list[tuple[int, float, float, bool, bool]]:
    """Split a span in hours after the episode day's midnight at midnights: ``(day offset, start, end,
    holds the span's start, holds the span's end)`` per day, hours relative to that day's midnight."""
    first = math.floor(start / 24)
    last = max(first, math.ceil(end / 24) - 1)
    out = []
    for k in range(first, last + 1):
        lo, hi = max(start, 24 * k), min(end, 24 * k + 24)
        out.append((k, round(lo - 24 * k, 4), round(hi - 24 * k, 4), k == first, k == last))
    return out


def sequence_data(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    platforms: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.sequence_chart`: the bounds of every episode, by day row.

    Per episode (platform × day) in hours after a row's midnight:

    - ``sicher`` from the latest onset to the earliest recovery (the known span: disrupted by every bound);
    - ``beginn`` / ``ende`` over the onset's / recovery's interval (a whisker with hard stops, ``cap_start``,
      ``cap_end``); an edge bounded on one side only is a stop at that side with ``unknown`` saying where
      the word „unbekannt“ goes (``before``/``after``); an edge bounded on neither side draws nothing;
    - ``text_beginn`` / ``text_ende``: the edge's label, ``text`` (the bounds in words) and ``said`` (who
      gives which phrase), anchored over the edge's drawn extent (``start``/``end``; empty where nothing is
      drawn).

    An episode whose recovery lies on a later day than its onset is drawn across days: every part is
    split at midnight into one row per day, and the rows in between say where the episode goes on. A bound
    at a day's own midnight bounds nothing (as in the words) and is not drawn.

    Args:
        tables: Processed tables (``sequence``, ``claims_resolved``, ``sources``).
        incident: The descriptor (platform names, the article's platforms, zone).
        platforms: Platform ids to show (default: the article's); the article's come first.
        days: Local days to show (default: every day with an episode).

    Returns:
        One row per drawn part (``row, date, day, platform, state, part, start, end, cap_start, cap_end,
        unknown, text, said, label, open`` + evidence), rows in display order.
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    shown = platforms or incident.article_platforms
    article = set(incident.article_platforms)
    seq = tables["sequence"]
    seq = seq[seq["platform"].isin(shown)]
    rank = {p: (0 if p in article else len(shown)) + i for i, p in enumerate(shown)}
    seq = seq.assign(_r=seq["platform"].map(rank)).sort_values(["day", "_r", "episode"])
    keep = None if days is None else {str(d) for d in days}
    rows: list[dict] = []
    for w in seq.itertuples():
        day = w.day.isoformat() if hasattr(w.day, "isoformat") else str(w.day)
        name = incident.platform_name(w.platform)
        # separate phases ("zwei Störungsphasen … und eine um die Mittagszeit"): never one continuous bar
        broken = getattr(w, "pattern", "") == "intermittent"
        state = labels.STATES.get(w.state, w.state) + (" mit Unterbrechungen" if broken else "")
        a, b = _hours(w.onset_earliest, day, tz), _hours(w.onset_latest, day, tz)
        c, d = _hours(w.recovery_earliest, day, tz), _hours(w.recovery_latest, day, tz)
        # a side at the day's own midnights ("am Montag", "im Laufe des Tages") bounds nothing within the
        # day; a later day's midnight does ("bis zum 23. September": the span reaches that day)
        # ("am Montag" as the onset of an outage still going on later days ends the day certain: kept)
        later = c is not None and c > 24
        a, b, c, d = (
            None if _midnight(h) and round(h) in (0, 24) and not (h == b and later) else h for h in (a, b, c, d)
        )
        disputed = split_ids(w.disputed)
        on_ids, re_ids = split_ids(w.onset_claim_ids), split_ids(w.recovery_claim_ids)
        all_ids = split_ids(w.claim_ids)
        # the day each edge's words refer to (a recovery on a later day is written for that day)
        known_re = [h for h in (c, d) if h is not None]
        re_k = math.floor((min(known_re) if c is not None else max(known_re) - 1e-6) / 24) if known_re else 0
        re_day = (pd.Timestamp(day) + pd.Timedelta(days=re_k)).date().isoformat()
        on_text = row_bounds_text(w, "onset", tz=tz, day=day)
        re_text = row_bounds_text(w, "recovery", tz=tz, day=re_day)
        if re_text == UNKNOWN:  # a bound at that day's own midnight says the day: named from the onset day
            re_text = row_bounds_text(w, "recovery", tz=tz, day=day)
        parts: list[tuple[str, float, float, str, list[str]]] = []  # part, start, end, unknown, ids
        if b is not None and c is not None and c > b and not broken:
            parts.append(("sicher", b, c, "", all_ids))
        # an onset "by the end of the day" kept for the certain span is drawn on its own day's row
        b_edge = b - 1e-6 if b is not None and round(b, 6) == 24 else b
        for part, lo, hi, ids in (("beginn", a, b_edge, on_ids), ("ende", c, d, re_ids)):
            if lo is not None and hi is not None:
                parts.append((part, lo, max(lo, hi), "", ids or all_ids))
            elif lo is not None or hi is not None:
                at = lo if lo is not None else hi
                parts.append((part, at, at, "before" if hi is not None else "after", ids or all_ids))
        base = {"platform": name, "state": state}
        drawn: list[dict] = []
        for part, lo, hi, unknown, ids in parts:
            for k, s, e, has_start, has_end in _pieces(lo, hi):
                drawn.append(
                    {
                        **base,
                        "_k": k,
                        "part": part,
                        "start": s,
                        "end": e,
                        "cap_start": bool(has_start and part != "sicher"),
                        "cap_end": bool(has_end and part != "sicher"),
                        # the word goes where the edge is open: before the stop of an onset bounded from
                        # above, after the stop of a recovery bounded from below (only on the stop's row)
                        "unknown": unknown if (has_start if unknown == "before" else has_end) else "",
                        "text": "",
                        "said": "",
                        "label": "nach allen Angaben gestört" if part == "sicher" else "",
                        "open": bool(unknown),
                        "_ids": ids,
                    }
                )
        # labels: each edge on the row where it is drawn (the onset's day, the recovery's day)
        on_k = min((r["_k"] for r in drawn if r["part"] == "beginn"), default=0)
        last_k = max([re_k, on_k, *(r["_k"] for r in drawn)])
        texts: list[dict] = []
        for edge, part, key, text, ids, k in (
            ("Beginn", "beginn", "onset", on_text, on_ids, on_k),
            ("Ende", "ende", "recovery", re_text, re_ids, re_k),
        ):
            words = [x for col in (f"{key}_earliest_words", f"{key}_latest_words") for x in _words(getattr(w, col, ""))]
            open_ = a is None if part == "beginn" else d is None
            dispute = key in disputed
            extent = [r for r in drawn if r["part"] == part and r["_k"] == k]
            texts.append(
                {
                    **base,
                    "_k": k,
                    "part": f"text_{part}",
                    "start": min((r["start"] for r in extent), default=None),
                    "end": max((r["end"] for r in extent), default=None),
                    "cap_start": False,
                    "cap_end": False,
                    "unknown": "",
                    "text": edge_text(edge, text, open_=open_, disputed=dispute),
                    "said": attribution(tables, ids, words) if ids else "",
                    "label": f"{edge}: {text}" + (" (umstritten)" if dispute else ""),
                    "open": open_,
                    "_ids": ids or all_ids,
                }
            )
        # the rows an episode goes on over say so: where it comes from and where it goes on
        first_day = pd.Timestamp(day)
        for k in range(last_k + 1):
            for part, words, skip in (
                ("text_beginn", f"seit {german.day_short(first_day.date())}", k == on_k),
                (
                    "text_ende",
                    f"weiter am {german.day_short((first_day + pd.Timedelta(days=k + 1)).date())}",
                    k == re_k,
                ),
            ):
                if skip or (part == "text_beginn" and k < on_k) or (part == "text_ende" and k > re_k):
                    continue
                texts.append(
                    {
                        **base,
                        "_k": k,
                        "part": part,
                        "start": None,
                        "end": None,
                        "cap_start": False,
                        "cap_end": False,
                        "unknown": "",
                        "text": words,
                        "said": "",
                        "label": words,
                        "open": False,
                        "_ids": all_ids,
                    }
                )
        for r in drawn + texts:
            date = (first_day + pd.Timedelta(days=r.pop("_k"))).date()
            r.update(date=date.isoformat(), day=german.day_long(date), row=f"{name}\n{german.day_short(date)}")
            r["_rank"] = rank[w.platform]
            rows.append(r)
    if keep is not None:
        rows = [r for r in rows if r["date"] in keep]
    # days in order, the article's platforms first within a day (a stable sort keeps the parts' order)
    rows.sort(key=lambda r: (r["date"], r.pop("_rank")))
    return _with_evidence(
        rows,
        lookup,
        [
            "row",
            "date",
            "day",
            "platform",
            "state",
            "part",
            "start",
            "end",
            "cap_start",
            "cap_end",
            "unknown",
            "text",
            "said",
            "label",
            "open",
        ],
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


def _dative(name: str) -> str:
    """``'das NRW-Schulministerium'`` → ``'dem NRW-Schulministerium'`` (after "laut")."""
    for nom, dat in (("der ", "dem "), ("die ", "der "), ("das ", "dem "), ("ein ", "einem "), ("eine ", "einer ")):
        if name.startswith(nom):
            return dat + name[len(nom) :]
    return name


def figure_said(claims: pd.DataFrame, outlets: dict[str, str]) -> tuple[str, bool]:
    """Who gives a figure: ``('laut Sprecher A (Betreiber), berichtet von WAZ', True)``
    for a party's figure (an operator's is marked as such), ``('laut WAZ', False)`` for the outlet's own."""
    role = claims["speaker_role"] if "speaker_role" in claims else pd.Series("", index=claims.index)
    name = claims["speaker_de"] if "speaker_de" in claims else pd.Series("", index=claims.index)
    parties = claims[role.isin(PARTY_ROLES) & name.fillna("").astype(str).ne("")]
    papers = [o for o in dict.fromkeys(outlets.get(s, "") for s in claims["source_id"]) if o]
    if parties.empty:
        return "laut " + german.join(papers[:2]) + (
            f" und {len(papers) - 2} weiteren" if len(papers) > 2 else ""
        ), False
    first = parties.iloc[0]
    operator = str(first["speaker_role"]) == "operator"
    who = f"laut {_dative(str(first['speaker_de']))}" + (" (Betreiber)" if operator else "")
    own = [o for o in papers if o not in str(first["speaker_de"])]
    return who + (f", berichtet von {german.join(own[:2])}" if own else ""), operator


def quantity_data(tables: dict[str, pd.DataFrame], *, incident: Incident, quantities: list[str]) -> pd.DataFrame:
    """Input of :func:`incident.publish.charts.quantities_chart`: each reported figure of some quantities.

    Args:
        tables: Processed tables.
        incident: The descriptor (German labels and units).
        quantities: Quantity keys, in display order.

    Returns:
        One row per quantity and distinct figure (``quantity, unit, value, value_text, time, said, operator``
        + evidence); ``said`` names who gives the figure, ``operator`` marks an operator's own figure.
    """
    tz = incident.timezone
    lookup = ClaimLookup(tables)
    claims = tables["claims_resolved"]
    outlets = {s: short_outlet(str(o)) for s, o in zip(tables["sources"]["source_id"], tables["sources"]["outlet"])}
    rows = []
    for key in quantities:
        q = incident.quantity(key)
        sub = claims[(claims["quantity"] == key) & claims["value"].notna()]
        for value, grp in sub.groupby("value", sort=True):
            grp = grp.sort_values("claim_id")
            first = grp.iloc[0]
            unit = (
                labels.label(labels.UNITS, first["unit"], extra=incident.labels.get("units")) if first["unit"] else ""
            )
            said, operator = figure_said(grp, outlets)
            rows.append(
                {
                    "quantity": q.short if q else key,
                    "unit": unit,
                    "value": float(value),
                    "value_text": " | ".join(dict.fromkeys(grp["value_text"])),
                    "time": when(first["start"], first["end"], tz),
                    "said": said,
                    "operator": operator,
                    "_ids": list(grp["claim_id"]),
                }
            )
    return _with_evidence(rows, lookup, ["quantity", "unit", "value", "value_text", "time", "said", "operator"])


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
        mine = claims[claims["platform"].map(lambda s, plat=plat: plat in split_ids(s)).astype(bool)]
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
    """``'Mo. 11.1. vorm.'`` / ``'Mo. 11.1. nachm.'`` for a half-day starting at ``h``: with its date, so
    two Mondays of a window longer than a week never share a column."""
    t = h.tz_convert(tz)
    return f"{german.day_short(t.date())} {'vorm.' if t.hour < 12 else 'nachm.'}"


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


def _counted(n: int, one: str, many: str) -> str:
    """A count in a chart description, up to twelve in words: ``'zehn Zeilen'``; ``one`` is the singular
    with its article in the case the sentence needs (``'einer Zeile'``, ``'ein Zeitraum'``)."""
    if n == 0:
        return f"keine {many}"
    return one if n == 1 else german.count_words(n, "", many).replace("  ", " ")


def describe_sequence(data: pd.DataFrame) -> str:
    """German alt text of the Ablauf chart, from its data."""
    rows = list(dict.fromkeys(data["row"]))
    certain = data[data["part"] == "sicher"]
    labels_ = data[data["part"].astype(str).str.startswith("text_")]
    opened = int(labels_["open"].astype(bool).sum()) if len(labels_) else 0
    days = list(dict.fromkeys(data["day"])) if "day" in data else []
    return (
        f"Zeitleiste mit {_counted(len(rows), 'einer Zeile', 'Zeilen')} (Plattform und Tag) an "
        f"{_counted(len(days), 'einem Tag', 'Tagen')}. Volle Balken: {_counted(len(certain), 'ein Zeitraum', 'Zeiträume')}, "
        "in denen die Plattform nach allen Angaben gestört war. Striche mit Endmarken: die Spanne, in der Beginn "
        "oder Ende der Störung liegen. Unter jeder Zeile stehen die Grenzen in Worten und wer sie nennt; "
        f"{_counted(opened, 'ein Rand ist', 'Ränder sind')} von keiner Quelle begrenzt und als „unbekannt“ beschriftet."
    )


def describe_quantities(data: pd.DataFrame) -> str:
    """German alt text of the quantities chart."""
    parts = [f"{q}: {german.number(v)}" for q, v in zip(data["quantity"], data["value"])]
    return (
        "Punkte auf einer gemeinsamen logarithmischen Achse, je Größe ein Feld; Angaben von Betreibern als Raute. "
        + german.join(parts)
        + "."
    )


def describe_statements(data: pd.DataFrame) -> str:
    """German alt text of the statements chart."""
    official = int((data["kind"] != "Meldung").sum())
    return (
        f"Zeitleiste je Plattform: {_counted(official, 'eine Aussage', 'Aussagen')} von Betreibern und Behörden "
        f"und {_counted(len(data) - official, 'eine Meldung', 'Meldungen')} über Störungen, jeweils über die "
        "ganze Zeitspanne gezeichnet, die ihre Zeitangabe nennt; gefärbt nach dem Inhalt."
    )


def describe_figures(data: pd.DataFrame) -> str:
    """German alt text of the figures chart."""
    spans = data.groupby("quantity")["factor"].max().sort_values(ascending=False)
    if spans.empty:
        return "Keine Größe, für die Quellen verschiedene Zahlen nennen."
    top = spans.index[0]
    return (
        f"Punktdiagramm mit {_counted(len(spans), 'einer Größe', 'Größen')}, für die Quellen verschiedene Zahlen "
        f"nennen, jede Zahl als Vielfaches der kleinsten. Am weitesten auseinander: „{top}“ "
        f"(größte Angabe das {german.number(round(float(spans.iloc[0]), 2))}-Fache der kleinsten)."
    )


def describe_coverage(data: pd.DataFrame) -> str:
    """German alt text of the coverage chart."""
    best = data.loc[data["n_sources"].astype(int).idxmax()]
    # the axis' short "vorm."/"nachm." written out: no abbreviation (and no double full stop) in a sentence
    half = str(best["half_day"]).replace(" vorm.", " vormittags").replace(" nachm.", " nachmittags")
    return (
        f"Rasterdiagramm Plattformen mal Halbtage; {_counted(len(data), 'ein Feld ist', 'Felder sind')} durch "
        f"mindestens eine Quelle belegt. Die meisten unabhängigen Quellen ({int(best['n_sources'])}) gibt es "
        f"für {best['platform']} ({half})."
    )
