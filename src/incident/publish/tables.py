"""Tables built for reading: few columns, German headers, phrases and outlets instead of ids.

The notebooks show these (and the site renders them), so an editor and a reader see the
same German table: times as "Mo. 11.1., 8:00 Uhr", numbers in de-DE, platforms under their
German names, codes replaced by labels (:mod:`incident.labels`).
"""

from __future__ import annotations

import pandas as pd

from incident import german, labels
from incident.evidence.descriptor import Incident
from incident.ids import split_ids
from incident.publish.wording import quoted, row_bounds_text


def _outlet_map(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    return dict(zip(tables["sources"]["source_id"], tables["sources"]["outlet"]))


def _outlets_of(ids: str, tables: dict[str, pd.DataFrame]) -> str:
    source_of = dict(zip(tables["claims_resolved"]["claim_id"], tables["claims_resolved"]["source_id"]))
    outlets = _outlet_map(tables)
    names = sorted({outlets.get(source_of.get(i, ""), "") for i in split_ids(ids)} - {""}, key=str.casefold)
    return ", ".join(names)


def _published(row) -> str:
    text = str(row["published"])
    if row["published_precision"] == "minute" and not pd.isna(row["published_at"]):
        return german.moment(row["published_at"], str(row["published_at"].tz))
    if row["published_precision"] == "day":
        return german.day_long(pd.Timestamp(text).date())
    return text


def source_catalogue(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every source: outlet, headline, kind, publication date, and which text it copies."""
    s = tables["sources"].sort_values(["published", "source_id"])
    return pd.DataFrame(
        {
            "Medium": s["outlet"],
            "Überschrift": s["headline"],
            "Art": s["kind"].map(labels.SOURCE_KINDS).fillna(s["kind"]),
            "Erschienen": [_published(r) for _, r in s.iterrows()],
            "Zählt als Quelle": [
                ("eigene" if g == sid else "Kopie einer Agenturmeldung")
                for g, sid in zip(s["account_group"], s["source_id"])
            ],
            "Geprüft": s["verified"].map({"yes": "ja", "partial": "teilweise", "no": "nein"}),
        }
    ).reset_index(drop=True)


def source_kinds(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sources per kind, and how many independent texts they are."""
    s = tables["sources"]
    g = s.groupby("kind").agg(Quellen=("source_id", "size"), Unabhängig=("account_group", "nunique"))
    g.index = g.index.map(lambda k: labels.SOURCE_KINDS.get(k, k))
    return g.rename_axis("Art").sort_values("Quellen", ascending=False).reset_index()


def copies(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Copies of one text (syndication groups with more than one member): they count once."""
    s = tables["sources"]
    multi = s.groupby("account_group").filter(lambda g: len(g) > 1).sort_values(["account_group", "source_id"])
    return pd.DataFrame(
        {"Text": multi["account_group"], "Medium": multi["outlet"], "Erschienen": multi["published"]}
    ).reset_index(drop=True)


def sequence(
    tables: dict[str, pd.DataFrame], *, incident: Incident, platforms: tuple[str, ...], days: tuple | None = None
) -> pd.DataFrame:
    """The Ablauf as a table: per platform and day the bounds of onset and recovery, with the phrases."""
    tz = incident.timezone
    seq = tables["sequence"]
    seq = seq[seq["platform"].isin(platforms)]
    if days is not None:
        keep = {d.isoformat() for d in days}
        seq = seq[seq["day"].map(lambda d: d.isoformat() in keep)]
    rank = {p: i for i, p in enumerate(platforms)}
    seq = seq.assign(_r=seq["platform"].map(rank)).sort_values(["day", "_r", "episode"])
    rows = []
    for w in seq.itertuples():
        day = w.day.isoformat()
        rows.append(
            {
                "Tag": german.day_short(w.day),
                "Plattform": incident.platform_name(w.platform),
                "Zustand": labels.STATES.get(w.state, w.state),
                "Beginn": row_bounds_text(w, "onset", tz=tz, day=day),
                "laut": quoted(w.onset_phrases),
                "Ende": row_bounds_text(w, "recovery", tz=tz, day=day),
                "laut ": quoted(w.recovery_phrases),
                "Umstritten": german.join(labels.EDGES[e] for e in split_ids(w.disputed)) or "nein",
                "Quellen": int(w.n_independent_sources),
            }
        )
    return pd.DataFrame(rows)


def conflicts(
    tables: dict[str, pd.DataFrame],
    *,
    incident: Incident,
    kinds: tuple[str, ...] | None = None,
    days: tuple | None = None,
) -> pd.DataFrame:
    """Every conflict in German: what it is about, each side's words and outlets.

    ``days`` keeps the conflicts of those local days (and those bound to no day)."""
    c = tables["conflicts"]
    if kinds is not None:
        c = c[c["conflict_type"].isin(kinds)]
    if days is not None:
        keep = {str(d) for d in days}
        c = c[c["day"].isna() | (c["day"].astype(str) == "") | c["day"].astype(str).isin(keep)]
    rows = []
    for x in c.itertuples():
        if x.conflict_type == "figure":
            q = incident.quantity(x.quantity)
            topic = q.label if q else "eine Zahl"
            a = german.join([german.number(float(v)) for v in str(x.side_a_label).split(";") if v.strip()], last="oder")
            b = german.join([german.number(float(v)) for v in str(x.side_b_label).split(";") if v.strip()], last="oder")
        elif x.conflict_type == "cause":
            topic = "Ursache"
            a = labels.label(labels.CAUSES, x.side_a_label, extra=incident.labels.get("causes"))
            b = labels.label(labels.CAUSES, x.side_b_label, extra=incident.labels.get("causes"))
        else:
            topic = labels.EDGES.get(x.event, x.event)
            a, b = quoted(x.side_a_phrases), quoted(x.side_b_phrases)
        rows.append(
            {
                "Plattform": incident.platform_name(x.platform),
                "Art": labels.CONFLICT_TYPES.get(x.conflict_type, ""),
                "Worum": topic,
                "Die einen": a,
                "laut": _outlets_of(x.side_a_claim_ids, tables),
                "Die anderen": b,
                "laut ": _outlets_of(x.side_b_claim_ids, tables),
            }
        )
    return pd.DataFrame(rows)


def statements(
    tables: dict[str, pd.DataFrame], *, incident: Incident, platforms: tuple[str, ...], days: tuple | None = None
) -> pd.DataFrame:
    """What operators, ministries and authorities said, in time order, with the quote where there is one.

    ``days`` keeps the statements whose time touches one of those local days, and those without a time."""
    from incident.publish.exhibits import OFFICIAL_WITNESSES, touches_days

    c = tables["claims_resolved"]
    said = c[(c["table"] == "statements") & c["witness"].isin(OFFICIAL_WITNESSES)]
    if days is not None:
        said = said[said["start"].isna() | touches_days(said, incident=incident, days=days)]
    said = said[said["platform"].map(lambda p: any(x in platforms or x in incident.context_ids for x in split_ids(p)))]
    said = said.sort_values(["start", "claim_id"], na_position="last")
    outlets = _outlet_map(tables)
    return pd.DataFrame(
        {
            "Wer": [s or labels.WITNESSES.get(w, w) for s, w in zip(said["speaker"], said["witness"])],
            "Plattform": said["platform"].map(incident.platform_name),
            "Sagt": said["event"].map(lambda e: labels.EVENTS.get(e, e)),
            "Wann": said["phrase"].map(lambda p: quoted(p) if p else "ohne Zeitangabe"),
            "Zitat": said["quote"],
            "Quelle": said["source_id"].map(outlets),
        }
    ).reset_index(drop=True)


def figures(tables: dict[str, pd.DataFrame], *, incident: Incident, platforms: tuple[str, ...]) -> pd.DataFrame:
    """Every reported figure of the shown platforms: what it counts, the original words, the outlet."""
    c = tables["claims_resolved"]
    f = c[c["value"].notna() & c["platform"].map(lambda p: any(x in platforms for x in split_ids(p)))]
    f = f.sort_values(["quantity", "value", "claim_id"])
    outlets = _outlet_map(tables)
    return pd.DataFrame(
        {
            "Größe": [
                (incident.quantity(q).label if incident.quantity(q) else k) for q, k in zip(f["quantity"], f["counted"])
            ],
            "Zahl": f["value"].map(german.number),
            "Im Original": f["value_text"].map(lambda t: f"„{t}“" if t else ""),
            "Gezählt wurde": f["counted"],
            "Quelle": f["source_id"].map(outlets),
        }
    ).reset_index(drop=True)


def left_out(tables: dict[str, pd.DataFrame], *, incident: Incident) -> pd.DataFrame:
    """Claims kept off the Ablauf: misdated ones (with the reason) and phrases that name no time."""
    reasons = {
        "source_outside_window": "Quelle erschien vor dem Vorfall",
        "outside_window": "Zeitangabe liegt außerhalb des Vorfalls",
        "after_publication": "Zeitangabe liegt nach dem Erscheinen der Quelle",
        "assumed_day_disputed": "Tag nicht genannt und umstritten",
        "dossier_day_differs": "Tag weicht von der Lesart des Dossiers ab",
    }
    f = tables["flags"]
    f = f[~f["on_timeline"].astype(bool)]
    outlets = _outlet_map(tables)
    return pd.DataFrame(
        {
            "Plattform": f["platform"].map(incident.platform_name),
            "Zeitangabe": f["phrase"].map(quoted),
            "Grund": f["flag"].map(lambda x: reasons.get(x, x)),
            "Quelle": f["source_id"].map(outlets),
        }
    ).reset_index(drop=True)


def unresolved(tables: dict[str, pd.DataFrame], *, incident: Incident) -> pd.DataFrame:
    """Claims whose time phrase names no time (they are listed, not dropped)."""
    u = tables["unresolved"]
    u = u[u["phrase"] != ""]
    outlets = _outlet_map(tables)
    return pd.DataFrame(
        {
            "Plattform": u["platform"].map(incident.platform_name),
            "Zeitangabe": u["phrase"].map(quoted),
            "Quelle": u["source_id"].map(outlets),
        }
    ).reset_index(drop=True)


def facts(box: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The fact box as a table: each fact with its original words and outlets."""
    return pd.DataFrame(
        {
            "Fakt": box["label"],
            "Wert": box["value_text"],
            "Im Original": box["phrases"],
            "Hinweis": box["note"],
            "Quellen": box["claim_ids"].map(lambda i: _outlets_of(i, tables)),
        }
    )
