"""The article's fact box: every number and time the text may use, each with its claim ids.

Figures come from the raw counts (one fact per quantity and distinct figure, verbatim
German figure text beside the value), times from the reconstructed sequence and from
the conflicts between sources. Nothing is typed in: a fact exists only where the
processed tables hold claims for it, and :mod:`incident.publish.provenance` checks every row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incident.publish.charts import platform_label
from incident.config import Paths
from incident.publish.exhibits import ARTICLE_PLATFORMS
from incident.publish.provenance import split_ids

#: Quantities the article may cite, with their German labels (what exactly is counted).
ARTICLE_QUANTITIES: dict[str, str] = {
    "iserv_video_conferences_pre0800": "IServ-Videokonferenzen vor 8 Uhr am Montag",
    "iserv_video_participants_pre0800": "Teilnehmende dieser Konferenzen vor 8 Uhr",
    "iserv_video_requests_0800": "Anfragen an IServs Videovermittlung binnen Sekunden um 8 Uhr",
    "iserv_video_participants_tue": "IServ-Video am Dienstag „in der Spitze“ (Nutzer über den Tag, nicht gleichzeitig)",
    "iserv_video_concurrent_peak_week": "IServ-Video: höchstens gleichzeitig Teilnehmende in der ersten Woche",
    "iserv_video_joins_wed": "Beitritte zu IServ-Videoräumen am Mittwoch (Summe über den Tag)",
    "iserv_video_users_per_day_dec2020": "IServ-Video-Nutzer pro Tag vor Weihnachten 2020",
    "netzwelt_iserv_reports_peak_mon": "IServ-Störungsmeldungen bei netzwelt.de, Spitze am Montag",
    "netzwelt_iserv_reports_tue": "IServ-Störungsmeldungen bei netzwelt.de am Dienstag",
    "moodle_reports_peak_mon": "Moodle-Störungsmeldungen bundesweit am Montag (zeitweise)",
    "iserv_schools": "Schulen, die IServ nutzen (Firmenangabe)",
    "logineo_lms_schools": "NRW-Schulen mit Logineo NRW LMS",
    "krzn_schools": "Schulen, die das KRZN betreut",
    "nrw_pupils": "Schülerinnen und Schüler in NRW zum Start des Distanzunterrichts",
}
FACT_COLUMNS = ("fact_id", "label", "value_text", "value", "claim_ids", "note")


def _time_de(ts: pd.Timestamp) -> str:
    days = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    ts = ts.tz_convert("Europe/Berlin")
    return f"{days[ts.weekday()]} {ts.day}.{ts.month}., {ts:%H:%M} Uhr"


#: German names of the timeline's event types.
EVENT_DE = {"outage_start": "Beginn der Störung", "outage": "Ausfall", "degraded": "Einschränkung",
            "acknowledged": "Störung eingeräumt", "cause_stated": "Ursache", "fix": "Behebung",
            "restored": "wieder erreichbar", "stable": "stabiler Betrieb", "attack": "Angriff"}


def _event_de(event: str) -> str:
    return " / ".join(dict.fromkeys(EVENT_DE.get(e, e) for e in split_ids(event)))


def fact_box(tables: dict[str, pd.DataFrame], *, quantities: dict[str, str] = ARTICLE_QUANTITIES,
             platforms: tuple[str, ...] = ARTICLE_PLATFORMS, min_sources: int = 2) -> pd.DataFrame:
    """Build the fact box from the processed tables.

    Args:
        tables: Processed tables as read by :func:`incident.publish.exhibits.read_processed`
            (needs ``claims_resolved``, ``sequence``, ``conflicts``).
        quantities: Quantity keys to cite and their German labels.
        platforms: Platforms whose reconstructed windows and time conflicts are cited.
        min_sources: Fewest independent sources behind a reconstructed window for it to be
            cited as a time (a single source's "am Montag" spreads over the whole day).

    Returns:
        Frame with :data:`FACT_COLUMNS`, one row per fact. ``fact_id`` starts with a running
        number so the published order is: figures (in the order of ``quantities``, then by
        value), time conflicts, reconstructed windows (by onset).
    """
    claims = tables["claims_resolved"]
    conflicts = tables["conflicts"]
    disputed = set(conflicts.loc[conflicts["conflict_type"] == "figure", "quantity"].dropna())
    rows = []
    for key, label in quantities.items():
        sub = claims[(claims["quantity"] == key) & claims["value"].notna()]
        for n, (value, grp) in enumerate(sub.groupby(sub["value"].astype(float), sort=True), start=1):
            texts = list(dict.fromkeys(grp.sort_values("claim_id")["value_text"].dropna()))
            rows.append({
                "fact_id": f"{key}-{n}", "label": label, "value_text": " | ".join(texts), "value": f"{value:g}",
                "claim_ids": "; ".join(sorted(grp["claim_id"])),
                "note": "Quellen nennen verschiedene Zahlen" if key in disputed and sub["value"].nunique() > 1 else "",
            })
    times = conflicts[(conflicts["conflict_type"] == "time") & conflicts["platform"].map(lambda c: any(x in platforms for x in split_ids(c)))]
    for c in times.sort_values("conflict_id").itertuples():
        side_a, side_b = split_ids(c.side_a_claim_ids), split_ids(c.side_b_claim_ids)
        rows.append({
            "fact_id": c.conflict_id,
            "label": f"{platform_label(c.platform)}, {_event_de(c.event)}: Quellen widersprechen sich",
            "value_text": f"{c.side_a_phrases} – gegen – {c.side_b_phrases}",
            "value": "", "claim_ids": "; ".join(sorted(set(side_a) | set(side_b))),
            "note": f"Zeitangaben überschneiden sich nicht ({len(set(split_ids(c.side_a_source_ids)))} gegen "
                    f"{len(set(split_ids(c.side_b_source_ids)))} Quelle(n))",
        })
    sequence = tables["sequence"]
    sequence = sequence[sequence["platform"].isin(platforms) & (sequence["n_sources"].astype(int) >= min_sources)]
    for w in sequence.sort_values(["onset", "window_id"]).itertuples():
        name = platform_label(w.platform)
        for what, at, lo, hi in (("Beginn", w.onset, w.onset_lo, w.onset_hi), ("Ende", w.recovery, w.recovery_lo, w.recovery_hi)):
            if pd.isna(at):
                continue
            span = f" (90 %: {lo:%H:%M}–{hi:%H:%M} Uhr)" if pd.notna(lo) and pd.notna(hi) else ""
            rows.append({
                "fact_id": f"{w.window_id}-{what.lower()}", "label": f"{name}: {what} der Störung (rekonstruiert)",
                "value_text": _time_de(at) + span, "value": at.isoformat(), "claim_ids": w.claim_ids,
                "note": f"{int(w.n_sources)} unabhängige Quellen; Zustand: {w.regime}",
            })
    out = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    out["fact_id"] = [f"{i:02d}-{fid}" for i, fid in enumerate(out["fact_id"], start=1)]
    return out


def save_fact_box(box: pd.DataFrame, paths: Paths) -> Path:
    """Write the fact box as ``build/<incident>/exhibits/facts.csv`` (the site publishes it).

    Written byte-for-byte deterministically (LF line ends, fixed column order) so two
    builds give identical files.

    Args:
        box: The fact box (:data:`FACT_COLUMNS`).
        paths: The incident's paths.

    Returns:
        The written file.
    """
    paths.exhibits.mkdir(parents=True, exist_ok=True)
    target = paths.exhibits / "facts.csv"
    tmp = target.with_suffix(".csv.tmp")
    tmp.write_text(box[list(FACT_COLUMNS)].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    tmp.replace(target)
    return target
