"""The article's fact box: only what a reporter may print, each with the claims behind it.

Two kinds of fact:

* **attested figures** — per quantity the descriptor marks ``factbox: true``, every distinct
  figure the sources report: ``value`` the number as a number (``2500``), ``value_text`` the
  German wording ("2500 Konferenzen"), with the verbatim German figure text in ``phrases``;
  quantities whose sources disagree say so;
* **bounds of times** — per outage episode of the article's platforms, each edge that a
  source bounds, written as a bound ("zwischen 7.30 und 8.30 Uhr", "spätestens 10 Uhr")
  with the German phrases that set it and how it was derived; a disputed edge names both
  sides. An episode whose recovery lies on a later day than its onset is written with its days
  ("Ende der Störung" on the day it ended, and "vom 19. bis 21. Januar" for the episode).

No model output enters: no shares, change points, point estimates or rates. An edge no
source bounds is not a fact and is left out (the Ablauf shows it as "unbekannt").
:mod:`incident.publish.provenance` checks every row before the site is built.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incident import atomic, german, labels
from incident.evidence.descriptor import Incident
from incident.ids import join_ids, split_ids
from incident.publish.charts import short_outlet
from incident.publish.spelling import Spelling
from incident.publish.wording import (
    UNKNOWN,
    date_words,
    days_text,
    multi_day_recovery,
    quoted,
    recovery_days,
    row_bounds_text,
)

FACT_COLUMNS = ("fact_id", "kind", "label", "value_text", "value", "phrases", "claim_ids", "note")


def plain_number(value: float) -> int | float:
    """A figure as a number any tool reads the same: ``2500``, ``2.5`` (no thousands separator, no comma).

    The German wording ("2500 Konferenzen") stays in ``value_text``; ``facts.csv`` once stored
    "2.500" here, which a tool in another locale reads as two and a half.
    """
    v = float(value)
    return int(v) if v.is_integer() else v


def _figures(tables: dict[str, pd.DataFrame], incident: Incident, quantities: dict[str, str]) -> list[dict]:
    claims = tables["claims_resolved"]
    disputed = set(tables["conflicts"].loc[tables["conflicts"]["conflict_type"] == "figure", "quantity"])
    rows = []
    for key, label in quantities.items():
        sub = claims[(claims["quantity"] == key) & claims["value"].notna()]
        values = sorted(sub["value"].astype(float).unique())
        for n, value in enumerate(values, start=1):
            grp = sub[sub["value"].astype(float) == value].sort_values("claim_id")
            unit = grp["unit"].iloc[0]
            unit_de = labels.label(labels.UNITS, unit, extra=incident.labels.get("units")) if unit else ""
            texts = list(dict.fromkeys(grp["value_text"]))
            note = ""
            if key in disputed and len(values) > 1:
                others = german.join([german.number(v) for v in values if v != value], last="und")
                note = f"Quellen widersprechen sich: andere Quellen nennen {others}"
            rows.append(
                {
                    "fact_id": f"{key}-{n}",
                    "kind": "zahl",
                    "label": label,
                    "value_text": f"{german.number(value)} {unit_de}".strip(),
                    "value": plain_number(value),
                    "phrases": quoted(" | ".join(texts)),
                    "claim_ids": join_ids(grp["claim_id"]),
                    "note": note,
                }
            )
    return rows


def _dissenting(tables: dict[str, pd.DataFrame], episode_id: str, edge: str) -> int:
    """Independent sources that contradict the published bounds of one edge of an episode (its time conflicts)."""
    c = tables["conflicts"]
    mine = c[(c["conflict_type"] == "time") & (c["episode_id"] == episode_id) & (c["event"] == edge)]
    # copies of one text (one account group) are one source, as everywhere else on the page
    group = dict(zip(tables["sources"]["source_id"], tables["sources"]["account_group"]))
    return len({group.get(s) or s for ids in mine["side_b_source_ids"] for s in split_ids(ids)})


def _conflict_sides(tables: dict[str, pd.DataFrame], conflict_ids: str, edge: str) -> str:
    conflicts = tables["conflicts"].set_index("conflict_id")
    spell = Spelling.from_tables(tables)
    outlets = {
        k: spell.display(short_outlet(str(v)))
        for k, v in zip(tables["sources"]["source_id"], tables["sources"]["outlet"])
    }
    source_of = dict(zip(tables["claims_resolved"]["claim_id"], tables["claims_resolved"]["source_id"]))
    parts = []
    for cid in split_ids(conflict_ids):
        if cid not in conflicts.index or conflicts.loc[cid, "event"] != edge:
            continue
        c = conflicts.loc[cid]
        for s in ("a", "b"):
            names = sorted(
                {outlets.get(source_of.get(i, ""), "") for i in split_ids(c[f"side_{s}_claim_ids"])} - {""},
                key=str.casefold,
            )
            parts.append(f"{quoted(c[f'side_{s}_phrases'])} ({', '.join(names)})")
    return " / ".join(dict.fromkeys(parts))


def _cell(value) -> str:
    return value if isinstance(value, str) else ""


def _times(
    tables: dict[str, pd.DataFrame], incident: Incident, platforms: tuple[str, ...], days: tuple | None
) -> list[dict]:
    tz = incident.timezone
    seq = tables["sequence"]
    seq = seq[seq["platform"].isin(platforms)]
    if days is not None:
        seq = seq[seq["day"].map(str).isin({str(d) for d in days})]
    rank = {p: i for i, p in enumerate(platforms)}
    rows = []
    for w in seq.assign(_r=seq["platform"].map(rank)).sort_values(["day", "_r", "episode"]).itertuples():
        day = w.day.isoformat() if hasattr(w.day, "isoformat") else str(w.day)
        when = f"am {german.day_text(pd.Timestamp(day).date())}"
        ended = recovery_days(w, tz, day)  # an episode over several days: its end on a later day
        for edge, what in (("onset", "Beginn der Störung"), ("recovery", "Ende der Störung")):
            if edge == "recovery" and ended is not None:
                text = multi_day_recovery(w, tz, *ended)
                edge_when = (
                    f"ab {german.day_text(ended[0])}"
                    if ended[1] is None
                    else f"am {german.day_text(ended[0])}"
                    if ended[0] == ended[1]
                    else days_text(*ended)
                )
            else:
                text = row_bounds_text(w, edge, tz=tz, day=day)
                edge_when = when
            if text == UNKNOWN:
                continue
            disputed = edge in split_ids(w.disputed)
            how = (
                "Schnittmenge der Zeitangaben unabhängiger Quellen"
                if not disputed
                else "Quellen widersprechen sich, gezeigt ist der Rahmen beider Seiten: "
                + _conflict_sides(tables, w.conflict_ids, edge)
            )
            # a dissent is named at the edge it concerns (a source that disputes the end, not the start)
            dissent = _dissenting(tables, w.episode_id, edge)
            if not disputed and dissent:
                how += f"; {german.count_words(dissent, 'Quelle widerspricht', 'Quellen widersprechen')}"
            rows.append(
                {
                    "fact_id": f"{w.episode_id}-{edge}",
                    "kind": "zeit",
                    "label": f"{incident.platform_name(w.platform)} {edge_when}: {what}",
                    "value_text": text,
                    "value": "",
                    "phrases": quoted(getattr(w, f"{edge}_phrases")),
                    "claim_ids": getattr(w, f"{edge}_claim_ids"),
                    "note": how,
                }
            )
        if ended is not None:  # the episode in words: "vom 19. bis 21. Januar"
            first_day = pd.Timestamp(day).date()
            span = (
                f"{days_text(first_day, first_day).replace('am ', 'ab ', 1)}, Ende frühestens am "
                f"{date_words(ended[0])}, wann genau, sagt keine Quelle"
                if ended[1] is None
                else days_text(first_day, ended[1])
                if ended[0] == ended[1]
                else (
                    f"{days_text(first_day, first_day).replace('am ', 'ab ', 1)}, Ende zwischen "
                    f"{date_words(ended[0])} und {date_words(ended[1])}"
                )
            )
            rows.append(
                {
                    "fact_id": f"{w.episode_id}-tage",
                    "kind": "zeit",
                    "label": f"{incident.platform_name(w.platform)}: Störung über mehrere Tage",
                    "value_text": span,
                    "value": "",
                    "phrases": quoted(" | ".join((_cell(w.onset_phrases), _cell(w.recovery_phrases)))),
                    # every claim of the episode: those that place its first day ("am Montag gestört") too
                    "claim_ids": join_ids(split_ids(_cell(w.claim_ids))),
                    "note": "Beginn und Ende an verschiedenen Tagen: die Tage, die die Quellen nennen",
                }
            )
    return rows


def fact_box(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    platforms: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Build the fact box from the processed tables and the descriptor.

    Args:
        tables: Processed tables (``claims_resolved``, ``sequence``, ``conflicts``, ``sources``).
        incident: The descriptor (quantities marked ``factbox``, the article's platforms).
        platforms: Platforms whose time bounds are cited (default: the article's).
        days: Days whose time bounds are cited (default: all).

    Returns:
        Frame with :data:`FACT_COLUMNS`; ``fact_id`` starts with a running number so the
        published order is: figures (in the descriptor's order, then by value), then times
        (by day and platform).
    """
    rows = _figures(tables, incident, incident.factbox_quantities)
    rows += _times(tables, incident, platforms or incident.article_platforms, days)
    out = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    out["fact_id"] = [f"{i:02d}-{fid}" for i, fid in enumerate(out["fact_id"], start=1)]
    return out


def save_fact_box(box: pd.DataFrame, *, folder: Path) -> Path:
    """Write the fact box as ``<folder>/facts.csv`` atomically (the site publishes the exhibits' one).

    The exact text is kept here; the copy in the site's downloads is made spreadsheet-safe.
    """
    text = box[list(FACT_COLUMNS)].to_csv(index=False, lineterminator="\n")
    return atomic.write_text(Path(folder) / "facts.csv", text)
