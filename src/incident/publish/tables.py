"""Tables built for reading: few columns, German headers, phrases and outlets instead of ids.

The notebooks show these (and the site renders them), so an editor and a reader see the
same German table: times as "Mo. 11.1., 8:00 Uhr", numbers in de-DE, platforms under their
German names, codes replaced by labels (:mod:`incident.labels`), outlets under their short
name (the data desk's English notes after a name are left out), speakers and claims in
their German wording (``speaker_de``, ``was``) where the raw tables give it and otherwise
as a German label, never the English working notes (``what``, ``speaker``, ``counted``,
``confidence_note``).

:func:`show_whole_tables` makes a notebook display every table whole: all rows and columns,
no index, no "… rows × … columns" line (what the desk pages publish).
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from babel.dates import format_datetime

from incident import german, labels
from incident.evidence.descriptor import Incident
from incident.ids import split_ids
from incident.publish.charts import short_outlet
from incident.publish.wording import quoted, row_bounds_text


def whole_html(frame: pd.DataFrame) -> str:
    """A frame as one HTML table: every row and column, no index (unless it names rows), no size line."""
    named = not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None
    return frame.to_html(
        index=named,
        border=0,
        na_rep="",
        max_rows=None,
        max_cols=None,
        show_dimensions=False,
        classes="dataframe",
        escape=True,
    )


def show_whole_tables() -> bool:
    """Make the running IPython kernel display every frame with :func:`whole_html`.

    pandas would cut a long table to ten rows plus "…" and add "104 rows × 6 columns";
    the desk pages are made from what the notebook displayed, so they would too.

    Returns:
        Whether a kernel was there to configure (``False`` outside IPython).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kernel
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, whole_html)
    return True


def platform_label(incident: Incident, platform: str) -> str:
    """German name of a platform id (or ``'; '``-list); an id that names no platform reads "allgemein"."""
    parts = [p.strip() for p in str(platform).split(";") if p.strip()]
    named = [incident.platform_name(p) for p in parts if p not in incident.context_ids]
    if not named:
        return "allgemein, keine bestimmte Plattform" if parts else ""
    return " / ".join(dict.fromkeys(named))


def speaker(row) -> str:
    """Who said it, in German: ``speaker_de`` where the raw table gives it, else the kind of witness."""
    german_name = str(getattr(row, "speaker_de", "") or "").strip()
    return german_name or labels.WITNESSES.get(str(row.witness), "Quelle")


def claim_text(row) -> str:
    """A claim in one German sentence (``was``), ``''`` where the raw table has none yet."""
    return str(getattr(row, "was", "") or "").strip()


def _outlet_map(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    return {s: short_outlet(o) for s, o in zip(tables["sources"]["source_id"], tables["sources"]["outlet"])}


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
    if re.fullmatch(r"\d{4}-\d{2}", text):  # a month: "Juni 2020"
        return format_datetime(datetime(int(text[:4]), int(text[5:]), 1), "MMMM y", locale=german.LOCALE)
    return text


def source_catalogue(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every source: outlet, headline, kind, publication date, and which text it copies."""
    from incident.publish.summary import headline

    s = tables["sources"].sort_values(["published", "source_id"])
    return pd.DataFrame(
        {
            "Medium": s["outlet"].map(short_outlet),
            "Überschrift": s["headline"].map(headline),
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
        {
            "Text": multi["account_group"],
            "Medium": multi["outlet"].map(short_outlet),
            "Erschienen": [_published(r) for _, r in multi.iterrows()],
        }
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
        seq = seq[seq["day"].map(lambda d: d.isoformat() in keep).astype(bool)]
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
                "Beginn laut Quellen": quoted(w.onset_phrases),
                "Ende": row_bounds_text(w, "recovery", tz=tz, day=day),
                "Ende laut Quellen": quoted(w.recovery_phrases),
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
                "Plattform": platform_label(incident, x.platform),
                "Art": labels.CONFLICT_TYPES.get(x.conflict_type, ""),
                "Worum": topic,
                "Seite A": a,
                "Quellen Seite A": _outlets_of(x.side_a_claim_ids, tables),
                "Seite B": b,
                "Quellen Seite B": _outlets_of(x.side_b_claim_ids, tables),
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
    said = said[
        said["platform"]
        .map(lambda p: any(x in platforms or x in incident.context_ids for x in split_ids(p)))
        .astype(bool)
    ]
    said = said.sort_values(["start", "claim_id"], na_position="last")
    outlets = _outlet_map(tables)
    out = pd.DataFrame(
        {
            "Wer": [speaker(r) for r in said.itertuples()],
            "Plattform": said["platform"].map(lambda p: platform_label(incident, p)),
            "Sagt": said["event"].map(lambda e: labels.EVENTS.get(e, e)),
            "Was": [claim_text(r) for r in said.itertuples()],
            "Wann": said["phrase"].map(lambda p: quoted(p) if p else "ohne Zeitangabe"),
            "Zitat": said["quote"],
            "Quelle": said["source_id"].map(outlets),
        }
    ).reset_index(drop=True)
    return out if (out["Was"] != "").any() else out.drop(columns="Was")


def figures(tables: dict[str, pd.DataFrame], *, incident: Incident, platforms: tuple[str, ...]) -> pd.DataFrame:
    """Every reported figure of the shown platforms: what it counts, the original words, the outlet."""
    c = tables["claims_resolved"]
    f = c[c["value"].notna() & c["platform"].map(lambda p: any(x in platforms for x in split_ids(p)))]
    f = f.sort_values(["quantity", "value", "claim_id"])
    outlets = _outlet_map(tables)
    units = incident.labels.get("units")
    return pd.DataFrame(
        {
            "Größe": [
                incident.quantity(q).label if incident.quantity(q) else (claim_text(r) or "ohne Bezeichnung im Dossier")
                for q, r in zip(f["quantity"], f.itertuples())
            ],
            "Plattform": f["platform"].map(lambda p: platform_label(incident, p)),
            "Zahl": f["value"].map(german.number),
            "Einheit": f["unit"].map(lambda u: labels.label(labels.UNITS, u, extra=units) if u else ""),
            "Im Original": f["value_text"].map(lambda t: f"„{t}“" if t else ""),
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
            "Plattform": f["platform"].map(lambda p: platform_label(incident, p)),
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
            "Plattform": u["platform"].map(lambda p: platform_label(incident, p)),
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
