"""Exports for the newsroom's tools: TimelineJS 3 JSON and Datawrapper CSVs of the Ablauf.

Both carry the same bounds as ``sequence.csv`` and nothing more precise: a TimelineJS slide
is dated to its day (TimelineJS places a slide at one moment, and the sources give
intervals), with the German bounds in ``display_date`` and the text; a Datawrapper row has
the earliest and latest moment of each edge as hours after the day's midnight (7.5 = 7:30),
empty where no source bounds it, next to the bound in German words.

Datawrapper guesses the delimiter by counting tabs, semicolons, pipes and commas in the
whole file, so text cells here hold none of the first three, and lists are joined with
commas. Cells are made safe for spreadsheets (:func:`incident.publish.spreadsheet.safe`).
TimelineJS cannot carry everything the reconstruction knows; :data:`TIMELINEJS_LIMITS` lists
what it loses and goes onto the title slide.
"""

from __future__ import annotations

import html

import pandas as pd

from incident import german, labels
from incident import urls as urls_mod
from incident.evidence.descriptor import Incident
from incident.ids import split_ids
from incident.publish.charts import short_outlet
from incident.publish.spreadsheet import safe
from incident.publish.wording import quoted, row_bounds_text

#: What the TimelineJS format cannot carry (shown on the title slide and documented).
TIMELINEJS_LIMITS = (
    "Unsicherheit: TimelineJS setzt eine Folie an einen Zeitpunkt. Die Quellen geben für Beginn und Ende "
    "nur Zeiträume an, deshalb steht jede Folie am Tag der Störung; die Zeiträume stehen im Text.",
    "Widersprüche: Beide Seiten stehen im Text, nicht als eigene Folien.",
    "Nicht datierbare und falsch datierte Angaben fehlen auf der Zeitleiste; sie stehen in den Tabellen.",
)

DW_SEQUENCE = [
    "Plattform",
    "Tag",
    "Zustand",
    "Beginn",
    "Beginn_frühestens_Uhr",
    "Beginn_spätestens_Uhr",
    "Beginn_laut_Quellen",
    "Ende",
    "Ende_frühestens_Uhr",
    "Ende_spätestens_Uhr",
    "Ende_laut_Quellen",
    "Umstritten",
    "Unabhängige_Quellen",
    "Belege",
]
#: Columns of bounds as decimal hours after the day's local midnight (7.5 = 7:30; empty = unbekannt):
#: Datawrapper's parser reads these as numbers even with gaps, where it would give up on a date column.
DW_HOURS = ("Beginn_frühestens_Uhr", "Beginn_spätestens_Uhr", "Ende_frühestens_Uhr", "Ende_spätestens_Uhr")
DW_CONFLICTS = [
    "Plattform",
    "Tag",
    "Art",
    "Worum",
    "Seite_A",
    "Quellen_A",
    "Anzahl_Quellen_A",
    "Seite_B",
    "Quellen_B",
    "Anzahl_Quellen_B",
    "Belege",
]


def _no_delimiters(text: object) -> str:
    """A text cell without the characters Datawrapper counts as delimiters (tab, ';', '|')."""
    return str(text).replace("\t", " ").replace(";", ",").replace("|", "/").replace("\r", " ").replace("\n", " ")


def _outlets(ids: str, claims: pd.DataFrame, outlets: dict[str, str]) -> list[str]:
    src = claims["source_id"]
    names = [outlets.get(src.get(i, ""), "") for i in split_ids(ids)]
    return sorted({n for n in names if n}, key=str.casefold)


def _day_text(day: str) -> str:
    days = [d for d in split_ids(day)]
    return german.join(german.day_short(pd.Timestamp(d).date()) for d in days)


def _hours(ts, day: str, tz: str) -> float | None:
    """Decimal hours of a moment after the day's local midnight (a bound at the next midnight is 24)."""
    if ts is None or pd.isna(ts):
        return None
    t = pd.Timestamp(ts).tz_convert(tz)
    return round((t - pd.Timestamp(day).tz_localize(tz)).total_seconds() / 3600.0, 4)


def _article(rec, incident: Incident) -> pd.DataFrame:
    seq = rec.sequence
    keep = seq["platform"].isin(incident.article_platforms)
    order = {p: i for i, p in enumerate(incident.platform_ids)}
    return seq[keep].assign(_o=seq["platform"].map(order)).sort_values(["day", "_o", "episode"])


def datawrapper(rec, *, incident: Incident) -> dict[str, pd.DataFrame]:
    """Datawrapper CSVs: the Ablauf of the article's platforms, and every conflict.

    Args:
        rec: The :class:`incident.reconstruct.Reconstruction`.
        incident: The descriptor.

    Returns:
        ``{"datawrapper_sequence.csv": frame, "datawrapper_conflicts.csv": frame}``.
    """
    tz = incident.timezone
    claims = rec.claims.set_index("claim_id")
    outlets = {s: short_outlet(o) for s, o in zip(rec.sources["source_id"], rec.sources["outlet"])}
    rows = []
    for w in _article(rec, incident).itertuples():
        disputed = split_ids(w.disputed)
        day = str(w.day)
        rows.append(
            {
                "Plattform": incident.platform_name(w.platform),
                "Tag": day,
                "Zustand": labels.STATES.get(w.state, w.state),
                "Beginn": row_bounds_text(w, "onset", tz=tz, day=day),
                "Beginn_frühestens_Uhr": _hours(w.onset_earliest, day, tz),
                "Beginn_spätestens_Uhr": _hours(w.onset_latest, day, tz),
                "Beginn_laut_Quellen": quoted(w.onset_phrases),
                "Ende": row_bounds_text(w, "recovery", tz=tz, day=day),
                "Ende_frühestens_Uhr": _hours(w.recovery_earliest, day, tz),
                "Ende_spätestens_Uhr": _hours(w.recovery_latest, day, tz),
                "Ende_laut_Quellen": quoted(w.recovery_phrases),
                "Umstritten": german.join(labels.EDGES[e] for e in disputed if e in labels.EDGES),
                "Unabhängige_Quellen": int(w.n_independent_sources),
                "Belege": ", ".join(split_ids(w.claim_ids)),
            }
        )
    seq = pd.DataFrame(rows, columns=DW_SEQUENCE)
    crow = []
    for c in rec.conflicts.itertuples():
        crow.append(
            {
                "Plattform": incident.platform_name(c.platform),
                "Tag": _day_text(c.day),
                "Art": labels.CONFLICT_TYPES.get(c.conflict_type, c.conflict_type),
                "Worum": _topic(c, incident),
                "Seite_A": _side_text(c, "a", incident),
                "Quellen_A": ", ".join(_outlets(c.side_a_claim_ids, claims, outlets)),
                "Anzahl_Quellen_A": int(c.side_a_n_sources),
                "Seite_B": _side_text(c, "b", incident),
                "Quellen_B": ", ".join(_outlets(c.side_b_claim_ids, claims, outlets)),
                "Anzahl_Quellen_B": int(c.side_b_n_sources),
                "Belege": ", ".join(split_ids(c.claim_ids)),
            }
        )
    conf = pd.DataFrame(crow, columns=DW_CONFLICTS)
    out = {}
    for name, df, numeric in (
        ("datawrapper_sequence.csv", seq, {"Unabhängige_Quellen", *DW_HOURS}),
        ("datawrapper_conflicts.csv", conf, {"Anzahl_Quellen_A", "Anzahl_Quellen_B"}),
    ):
        text_cols = [c for c in df.columns if c not in numeric]
        for c in text_cols:
            df[c] = df[c].map(_no_delimiters)
        out[name] = safe(df, text_columns=text_cols)
    return out


def _topic(c, incident: Incident) -> str:
    if c.conflict_type == "figure":
        q = incident.quantity(c.quantity)
        return q.label if q else "eine Zahl"
    if c.conflict_type == "cause":
        return "die Ursache"
    return labels.EDGES.get(c.event, "Zeitangaben")


def _side_text(c, side: str, incident: Incident) -> str:
    kind = c.conflict_type
    phrases = quoted(getattr(c, f"side_{side}_phrases"))
    label = getattr(c, f"side_{side}_label")
    if kind == "figure":
        values = [german.number(float(v)) for v in str(label).split(";") if v.strip()]
        return german.join(values, last="oder")
    if kind == "cause":
        return labels.label(labels.CAUSES, label, extra=incident.labels.get("causes")) if label else ""
    if kind == "statement":
        return ("Aussage, es laufe stabil: " if side == "b" else "Störung gemeldet: ") + phrases
    return phrases


def _date(ts: pd.Timestamp, tz: str, *, clock: bool) -> dict:
    t = ts.tz_convert(tz)
    d = {"year": str(t.year), "month": str(t.month), "day": str(t.day)}
    if clock:
        d.update({"hour": str(t.hour), "minute": str(t.minute)})
    return d


def timelinejs(rec, *, incident: Incident) -> dict:
    """TimelineJS 3 JSON of the Ablauf of the article's platforms.

    One slide per outage episode (group = the platform's German name), dated to its day;
    ``display_date`` and the text give the bounds of onset and recovery with the German
    phrases and outlets that set them, disputes with both sides, and the statements set
    against the reports. All text is HTML-escaped.

    Args:
        rec: The :class:`incident.reconstruct.Reconstruction`.
        incident: The descriptor.

    Returns:
        Dict ready for ``json.dumps`` (``title`` and ``events``).
    """
    tz = incident.timezone
    esc = html.escape
    claims = rec.claims.set_index("claim_id")
    outlets = {s: short_outlet(o) for s, o in zip(rec.sources["source_id"], rec.sources["outlet"])}
    urls = dict(zip(rec.sources["source_id"], rec.sources["url"]))
    limits = "".join(f"<li>{esc(x)}</li>" for x in TIMELINEJS_LIMITS)
    first = pd.Timestamp(incident.first_day).tz_localize(tz)
    title = {
        "text": {
            "headline": esc(incident.title),
            "text": (f"<p>{esc(incident.subtitle)}</p>" if incident.subtitle else "")
            + f"<p>Alle Zeiten {esc(incident.zone_label(first))}. Was das Format nicht abbilden kann:</p>"
            f"<ul>{limits}</ul>",
        }
    }
    conflicts = rec.conflicts.set_index("conflict_id") if len(rec.conflicts) else None
    events = []
    for w in _article(rec, incident).itertuples():
        name = incident.platform_name(w.platform)
        day = pd.Timestamp(w.day).tz_localize(tz)
        onset = row_bounds_text(w, "onset", tz=tz, day=w.day)
        recovery = row_bounds_text(w, "recovery", tz=tz, day=w.day)
        state = labels.STATES.get(w.state, w.state)
        parts = [
            f"<p><strong>Beginn:</strong> {esc(onset)}"
            + (f" ({esc(quoted(w.onset_phrases))})" if w.onset_phrases else "")
            + "</p>",
            f"<p><strong>Ende:</strong> {esc(recovery)}"
            + (f" ({esc(quoted(w.recovery_phrases))})" if w.recovery_phrases else "")
            + "</p>",
        ]
        for cid in split_ids(w.conflict_ids):
            if conflicts is None or cid not in conflicts.index:
                continue
            c = conflicts.loc[cid]
            a = ", ".join(_outlets(c["side_a_claim_ids"], claims, outlets))
            b = ", ".join(_outlets(c["side_b_claim_ids"], claims, outlets))
            what = labels.EDGES.get(c["event"], "Angaben")
            parts.append(
                f"<p>Quellen widersprechen sich ({esc(what)}): {esc(quoted(c['side_a_phrases']))} "
                f"({esc(a)}) gegen {esc(quoted(c['side_b_phrases']))} ({esc(b)}).</p>"
            )
        sources = sorted({claims["source_id"].get(i, "") for i in split_ids(w.claim_ids)} - {""})
        by_outlet: dict[str, str] = {}  # one link per outlet name (two pages of one paper are one name)
        for s in sources:
            if urls_mod.is_safe(urls.get(s, "")):
                by_outlet.setdefault(outlets.get(s, s), urls[s])
        links = ", ".join(
            f'<a href="{esc(u)}">{esc(o)}</a>' for o, u in sorted(by_outlet.items(), key=lambda x: x[0].casefold())
        )
        parts.append(
            f"<p>{german.count(int(w.n_independent_sources), 'unabhängige Quelle', 'unabhängige Quellen')}: {links}</p>"
        )
        events.append(
            {
                "start_date": _date(day, tz, clock=False),
                "display_date": esc(f"{german.day_short(day.date())}: Beginn {onset}, Ende {recovery}"),
                "group": esc(name),
                "unique_id": w.episode_id,
                "text": {"headline": esc(f"{name}: {state}"), "text": "".join(parts)},
            }
        )
    return {"title": title, "events": events}
