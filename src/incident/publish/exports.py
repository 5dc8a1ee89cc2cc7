"""Exports for the newsroom's tools: TimelineJS 3 JSON and Datawrapper-ready CSVs.

TimelineJS cannot carry everything the reconstruction knows; what it loses is listed in
:data:`TIMELINEJS_LIMITS` (and in ``docs/method.md``) and written onto the title slide.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from incident.config import TIMEZONE

#: What the TimelineJS format cannot carry (shown on the title slide and documented).
TIMELINEJS_LIMITS = (
    "Unsicherheit: TimelineJS kennt nur Zeitpunkte/Zeiträume, keine Intervalle für Beginn und Ende "
    "(die 90-%-Intervalle stehen nur im Text).",
    "Zeitzone: Datumsfelder haben keinen UTC-Versatz; alle Zeiten sind Ortszeit Berlin (MEZ, UTC+1).",
    "Offene Zeitangaben ('bis etwa 14 Uhr', 'seit dem Morgen') werden als Zeitraum gezeigt; die Formulierung steht in display_date.",
    "Mehrere Quellen und Widersprüche: pro Ereignis nur ein Text; beide Seiten eines Widerspruchs und die "
    "claim_ids stehen im Text, nicht als Struktur.",
    "Nicht datierbare Angaben (unresolved) und falsch datierte Berichte (flags) erscheinen nicht auf der Zeitleiste.",
)

_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"]
_EVENT_DE = {
    "outage_start": "Beginn der Störung", "outage": "Ausfall", "degraded": "Störung", "acknowledged": "Störung bestätigt",
    "cause_stated": "Ursache genannt", "fix": "Fehler behoben", "restored": "läuft wieder", "stable": "läuft stabil",
    "attack": "Angriff", "other": "Meldung", "none_known": "keine Probleme bekannt", "statement": "Aussage",
    "advice": "Rat", "figure": "Zahl",
}
_TYPE_DE = {"time": "Zeit", "cause": "Ursache", "figure": "Zahl"}


def _tjs_date(ts: pd.Timestamp, display: str | None = None) -> dict:
    t = ts.tz_convert(TIMEZONE)
    d = {"year": str(t.year), "month": str(t.month), "day": str(t.day), "hour": str(t.hour), "minute": str(t.minute)}
    if display:
        d["display_date"] = display
    return d


def _slug(text: str) -> str:
    """An id TimelineJS accepts in URLs (letters, digits, '-', '_')."""
    return re.sub(r"[^A-Za-z0-9_-]+", "", text.replace(";", "_"))


def german_time(ts: pd.Timestamp) -> str:
    """``Montag, 11. Januar 2021, 8:05 Uhr`` (local time)."""
    t = ts.tz_convert(TIMEZONE)
    return f"{_WEEKDAYS[t.weekday()]}, {t.day}. {_MONTHS[t.month - 1]} {t.year}, {t.hour}:{t.minute:02d} Uhr"


def timelinejs(consensus: pd.DataFrame, accounts: pd.DataFrame, conflicts: pd.DataFrame, sequence: pd.DataFrame, *,
               title: str) -> dict:
    """TimelineJS 3 JSON of the reconstruction.

    One slide per dated platform × event × day of ``consensus`` (the German phrases of the
    accounts in ``display_date``; conflicts named in the text with both sides) and one per
    reconstructed outage window of ``sequence`` (group = platform).

    Args:
        consensus: ``consensus.csv`` frame (tz-aware ``hull_start``/``hull_end``/``start``/``end``).
        accounts: ``accounts.csv`` frame (the German phrases behind each consensus row).
        conflicts: ``conflicts.csv`` frame.
        sequence: ``sequence.csv`` frame.
        title: Headline of the title slide.

    Returns:
        Dict ready for ``json.dumps`` (``title`` and ``events``); all text HTML-escaped.
    """
    esc = html.escape
    limits = "".join(f"<li>{esc(x)}</li>" for x in TIMELINEJS_LIMITS)
    out = {"title": {"text": {"headline": esc(title), "text": f"<p>Was das Format nicht abbilden kann:</p><ul>{limits}</ul>"}},
           "events": []}
    conf_by_key: dict[tuple, list[str]] = {}
    for _, c in conflicts.iterrows():
        for ev in str(c["event"]).split("; "):
            for pl in str(c["platform"]).split("; "):
                conf_by_key.setdefault((pl, ev, c["day"]), []).append(
                    f"{c['conflict_id']}: {c['side_a_label'] or c['side_a_phrases']} ({c['side_a_source_ids']}) "
                    f"vs. {c['side_b_label'] or c['side_b_phrases']} ({c['side_b_source_ids']})")
    consensus = consensus.assign(phrases=consensus_phrases(consensus, accounts))
    dated = consensus[consensus["hull_start"].notna() & (consensus["day"].astype(str).str.len() == 10)
                      & (consensus["event"] != "figure")]
    for _, r in dated.iterrows():
        s = r["start"] if pd.notna(r["start"]) else r["hull_start"]
        e = r["end"] if pd.notna(r["end"]) else r["hull_end"]
        display = r["phrases"] or german_time(s)
        text = [f"<p>{esc(_EVENT_DE.get(r['event'], r['event']))} – {esc(r['platform'])}; "
                f"{int(r['n_sources'])} unabhängige Quelle(n), Status: {esc(r['status'])}.</p>"]
        for k in conf_by_key.get((r["platform"], r["event"], r["day"]), []):
            text.append(f"<p>Quellen widersprechen sich: {esc(k)}</p>")
        text.append(f"<p>claim_ids: {esc(r['claim_ids'])}</p>")
        ev = {"start_date": _tjs_date(s), "display_date": esc(display), "group": esc(r["platform"]),
              "unique_id": _slug(f"{r['platform']}-{r['event']}-{r['day']}"),
              "text": {"headline": esc(f"{r['platform']}: {_EVENT_DE.get(r['event'], r['event'])}"), "text": "".join(text)}}
        if pd.notna(e) and e > s:
            ev["end_date"] = _tjs_date(e)
        out["events"].append(ev)
    for _, w in sequence.iterrows():
        rec = w["recovery"]
        display = f"{german_time(w['onset'])} bis {german_time(rec) if pd.notna(rec) else 'offen'}"
        iv = []
        if pd.notna(w["onset_lo"]):
            iv.append(f"Beginn zwischen {w['onset_lo'].tz_convert(TIMEZONE):%H:%M} und {w['onset_hi'].tz_convert(TIMEZONE):%H:%M} Uhr")
        if pd.notna(w["recovery_lo"]):
            iv.append(f"Ende zwischen {w['recovery_lo'].tz_convert(TIMEZONE):%H:%M} und {w['recovery_hi'].tz_convert(TIMEZONE):%H:%M} Uhr")
        ev = {"start_date": _tjs_date(w["onset"]), "display_date": esc(display), "group": esc(w["platform"]),
              "unique_id": _slug(w["window_id"]),
              "text": {"headline": esc(f"{w['platform']}: rekonstruierte Störung ({w['regime']})"),
                       "text": f"<p>{esc('; '.join(iv) or 'ohne Intervall')} (90 %, Bootstrap über Quellen). "
                               f"{int(w['n_sources'])} unabhängige Quelle(n).</p><p>claim_ids: {esc(w['claim_ids'])}</p>"}}
        if pd.notna(rec):
            ev["end_date"] = _tjs_date(rec)
        out["events"].append(ev)
    out["events"].sort(key=lambda e: (tuple(int(e["start_date"][k]) for k in ("year", "month", "day", "hour", "minute")),
                                      e["unique_id"]))
    return out


def _local(ts) -> str:
    return "" if pd.isna(ts) else pd.Timestamp(ts).tz_convert(TIMEZONE).strftime("%Y-%m-%d %H:%M")


def datawrapper_sequence(sequence: pd.DataFrame) -> pd.DataFrame:
    """Datawrapper table/range-plot CSV of the sequence (local times ``YYYY-MM-DD HH:MM``).

    Returns:
        Frame with ``Plattform, Beginn, Ende, Beginn_frühestens, Beginn_spätestens,
        Ende_frühestens, Ende_spätestens, Dauer_Minuten, Zustand, Quellen, claim_ids``.
    """
    return pd.DataFrame({
        "Plattform": sequence["platform"], "Beginn": sequence["onset"].map(_local), "Ende": sequence["recovery"].map(_local),
        "Beginn_frühestens": sequence["onset_lo"].map(_local), "Beginn_spätestens": sequence["onset_hi"].map(_local),
        "Ende_frühestens": sequence["recovery_lo"].map(_local), "Ende_spätestens": sequence["recovery_hi"].map(_local),
        "Dauer_Minuten": sequence["duration_minutes"].round(0).astype("Int64"),
        "Zustand": sequence["regime"].map({"down": "Ausfall", "degraded": "gestört"}).fillna(sequence["regime"]),
        "Quellen": sequence["n_sources"].astype(int), "claim_ids": sequence["claim_ids"],
    })


def _side_text(c: pd.Series, side: str) -> str:
    kind = c["conflict_type"]
    phrases = c[f"side_{side}_phrases"] or ""
    if kind == "time":
        s, e = c[f"side_{side}_start"], c[f"side_{side}_end"]
        span = f"{_local(s)[-5:]}–{_local(e)[-5:]} Uhr" if pd.notna(s) else ""
        return f"{phrases} ({span})" if span else phrases
    if kind == "figure":
        return f"{c[f'side_{side}_label']}" + (f" ({phrases})" if phrases else "")
    return str(c[f"side_{side}_label"])


def datawrapper_conflicts(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Datawrapper table CSV of the conflicts: both sides with their sources.

    Returns:
        Frame with ``Plattform, Art, Tag, Seite_A, Quellen_A, Seite_B, Quellen_B,
        Unterschied, claim_ids``.
    """
    rows = []
    for _, c in conflicts.iterrows():
        if c["conflict_type"] == "time" and pd.notna(c["gap_minutes"]):
            diff = f"{c['gap_minutes']:.0f} Minuten Abstand"
        elif c["conflict_type"] == "figure" and pd.notna(c["ratio"]):
            diff = f"Faktor {c['ratio']:.2f}".replace(".", ",")
        else:
            diff = "verschiedene Ursachen"
        rows.append({"Plattform": c["platform"], "Art": _TYPE_DE.get(c["conflict_type"], c["conflict_type"]),
                     "Tag": c["day"], "Seite_A": _side_text(c, "a"), "Quellen_A": c["side_a_source_ids"],
                     "Seite_B": _side_text(c, "b"), "Quellen_B": c["side_b_source_ids"], "Unterschied": diff,
                     "claim_ids": c["claim_ids"]})
    return pd.DataFrame(rows, columns=["Plattform", "Art", "Tag", "Seite_A", "Quellen_A", "Seite_B", "Quellen_B",
                                       "Unterschied", "claim_ids"])


def consensus_phrases(consensus: pd.DataFrame, accounts: pd.DataFrame) -> pd.Series:
    """The German phrases of each consensus row's accounts (for ``display_date``)."""
    ph = accounts.set_index("account_id")["phrases"].to_dict()
    return consensus["account_ids"].map(
        lambda ids: "; ".join(sorted({p for a in str(ids).split("; ") for p in str(ph.get(a, "")).split("; ") if p})))


__all__ = ["TIMELINEJS_LIMITS", "timelinejs", "datawrapper_sequence", "datawrapper_conflicts", "german_time",
           "consensus_phrases"]
