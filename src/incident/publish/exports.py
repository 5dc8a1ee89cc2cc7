"""Exports for the newsroom's tools: TimelineJS 3 JSON and Datawrapper CSVs of the Ablauf.

Both carry the same bounds as ``sequence.csv`` and nothing more precise.

Datawrapper (``datawrapper_sequence.csv``) is chartable as it is: one row per outage episode
with a label ("Alpha, Mo. 4.3.": platform and day), the span to draw as local wall time (``Von``/``Bis``,
"2030-03-04 08:30", read by Datawrapper as dates) and as hours of the day (``Von_Uhr``/``Bis_Uhr``,
for range and arrow plots, which take numbers), what the span is (``Gezeigt``: the time the
platform was certainly down, or only the window the sources name, or one moment), whether an
edge is open (``Beginn_offen``/``Ende_offen``), the bounds in German words and the sources'
phrases. A span never runs backwards (:func:`drawn_span`). The README's desk section says
which chart to pick and which columns.

TimelineJS: one slide per episode at the moment the span starts, with the German bounds in
``display_date`` and the text; :data:`TIMELINEJS_LOCALE_DE` is the complete German locale
(TimelineJS's own ``de`` lacks the hour format of the time axis and some messages).

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
    "Unsicherheit: Die Quellen geben für Beginn und Ende nur Zeiträume an. Jede Folie steht auf der "
    "Zeitleiste über der Spanne, in der die Plattform sicher gestört war, oder, wo die Angaben dafür nicht "
    "reichen, über dem Zeitraum, den die Quellen nennen; die Grenzen stehen im Text.",
    "Widersprüche: Beide Seiten stehen im Text, nicht als eigene Folien.",
    "Nicht datierbare und falsch datierte Angaben fehlen auf der Zeitleiste; sie stehen in den Tabellen.",
)

#: TimelineJS's German locale, complete: its own ``de.json`` lacks the hour format of the time axis
#: ("1 PM" without it), the period labels and several messages, which then fall back to English.
#: Published as ``timelinejs-de.json``; an embed passes its address as ``language``.
TIMELINEJS_LOCALE_DE: dict = {
    "lang": "de",
    "date": {
        "month": [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        "month_abbr": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
        "day": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        "day_abbr": ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."],
    },
    "api": {"wikipedia": "de"},
    "messages": {
        "loading": "Wird geladen",
        "wikipedia": "Wikipedia, die freie Enzyklopädie",
        "error": "Fehler",
        "return_to_title": "Zurück zum Anfang",
        "go_to_end": "Zur letzten Folie",
        "loading_content": "Inhalt wird geladen",
        "loading_timeline": "Zeitleiste wird geladen …",
        "swipe_to_navigate": "Wischen zum Blättern<br><span class='tl-button'>OK</span>",
        "zoom_in": "Vergrößern",
        "zoom_out": "Verkleinern",
        "unknown_read_err": "Beim Lesen der Daten ist ein unerwarteter Fehler aufgetreten",
        "invalid_url_err": "Die Daten der Zeitleiste konnten nicht gelesen werden.",
        "network_err": "Die Daten konnten nicht geladen werden.",
        "missing_start_date_err": "Startdatum fehlt",
        "invalid_start_time_without_date": "Ungültig: Uhrzeit ohne Datum.",
        "invalid_end_time_without_date": "Ungültig: Enduhrzeit ohne Enddatum.",
        "date_compare_err": "Daten verschiedener Skalen sind nicht vergleichbar",
        "invalid_scale_err": "Ungültige Skala",
        "invalid_date_err": "Ungültiges Datum: Monat, Tag und Jahr müssen Zahlen sein.",
        "invalid_separator_error": "Ungültige Uhrzeit: „:“ oder „.“ falsch verwendet.",
        "invalid_hour_err": "Ungültige Uhrzeit (Stunde)",
        "invalid_minute_err": "Ungültige Uhrzeit (Minute)",
        "invalid_second_err": "Ungültige Uhrzeit (Sekunde)",
        "invalid_fractional_err": "Ungültige Uhrzeit (Sekundenbruchteile)",
        "invalid_second_fractional_err": "Ungültige Uhrzeit (Sekunden und Bruchteile)",
        "invalid_year_err": "Ungültiges Jahr",
        "wikipedia_load_err": "Wikipedia-Eintrag konnte nicht geladen werden",
        "invalid_rgb_err": "Ungültige RGB-Angabe",
        "time_scale_scale_err": "Für diese Skala lässt sich kein Datum bestimmen",
        "axis_helper_no_options_err": "Achse ohne Einstellungen",
        "axis_helper_scale_err": "Keine Achse für diese Skala",
        "invalid_integer_option": "Ungültiger Wert: nur ganze Zahlen.",
    },
    "era_labels": {"positive_year": {"prefix": "", "suffix": ""}, "negative_year": {"prefix": "", "suffix": "v. Chr."}},
    "period_labels": {"t": ["", ""], "tt": ["", ""], "T": ["", ""], "TT": ["", ""]},
    "dateformats": {
        "year": "yyyy",
        "month_short": "mmm",
        "month": "mmmm yyyy",
        "full_short": "d. mmm",
        "full": "d. mmmm yyyy",
        "time": "H:MM:ss 'Uhr'' <small>'d. mmmm yyyy'</small>'",
        "time_short": "H:MM:ss",
        "time_no_seconds_short": "H:MM 'Uhr'",
        "time_no_minutes_short": "H 'Uhr'",
        "time_no_seconds_small_date": "H:MM 'Uhr''<br/><small>'dddd, d. mmmm yyyy'</small>'",
        "time_milliseconds": "l",
        "full_long": "dddd, d. mmm yyyy, H:MM 'Uhr'",
        "full_long_small_date": "H:MM 'Uhr''<br/><small>'dddd, d. mmm yyyy'</small>'",
    },
    "bigdateformats": {
        "fallback": [
            [1000000000, "vor %.2f Milliarden Jahren"],
            [1000000, "vor %.1f Millionen Jahren"],
            [1000, "vor %.1f Tausend Jahren"],
            [1, "vor %f Jahren"],
        ],
        "compact": [
            [1000000000, "vor %.2f Mrd. J."],
            [1000000, "vor %.1f Mio. J."],
            [1000, "vor %.1f Tsd. J."],
            [1, "vor %f J."],
        ],
        "verbose": [
            [1000000000, "vor %.2f Milliarden Jahren"],
            [1000000, "vor %.1f Millionen Jahren"],
            [1000, "vor %.1f Tausend Jahren"],
            [1, "vor %f Jahren"],
        ],
    },
}

DW_SEQUENCE = [
    "Bezeichnung",
    "Von",
    "Bis",
    "Von_Uhr",
    "Bis_Uhr",
    "Gezeigt",
    "Beginn_offen",
    "Ende_offen",
    "Plattform",
    "Tag",
    "Zustand",
    "Beginn",
    "Beginn_laut_Quellen",
    "Ende",
    "Ende_laut_Quellen",
    "Umstritten",
    "Unabhängige_Quellen",
    "Belege",
]
#: The span each Ablauf row draws, as local wall time ("2030-03-04 08:30", a date column in
#: Datawrapper: never empty, so its parser reads the whole column as dates) and as hours after
#: the day's midnight rounded to the minute's hundredth (8.5 = 8:30; range and arrow plots take numbers).
DW_SPAN = ("Von", "Bis", "Von_Uhr", "Bis_Uhr")
#: What the drawn span is (column ``Gezeigt``); a row never runs backwards.
SPAN_CERTAIN = "sicher gestört (spätester Beginn bis frühestes Ende)"
SPAN_WINDOW = "Zeitraum der Angaben: irgendwann darin gestört, Beginn und Ende nicht genauer bekannt"
SPAN_MOMENT = "nur ein Zeitpunkt bekannt, zu dem die Plattform gestört war"
SPAN_DAY = "keine Uhrzeit bekannt: irgendwann an diesem Tag gestört"
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


def _bound(ts, day: str, tz: str, *, upper: bool) -> pd.Timestamp | None:
    """A bound in local time, ``None`` when there is none (the day's own midnights bound nothing)."""
    if ts is None or pd.isna(ts):
        return None
    t = pd.Timestamp(ts).tz_convert(tz)
    midnight = pd.Timestamp(day).tz_localize(tz) + (pd.Timedelta(days=1) if upper else pd.Timedelta(0))
    return None if t == midnight else t


def drawn_span(w, *, tz: str, day_start, day_end) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The span an Ablauf row draws: ``(from, to, what it is)``, never backwards.

    * latest onset ≤ earliest recovery: the outage certainly lasted from the one to the other;
    * only the latest onset: the window from the earliest onset (else the start of the day hours) to it,
      in which the outage began;
    * only the earliest recovery, or both equal: that moment;
    * earliest recovery before latest onset (the sources' phrases overlap, e.g. both say
      "am Morgen"): the window between them, in which the outage lay — not its duration;
    * neither: the window from the earliest onset to the latest recovery that is known, else
      the descriptor's day hours.
    """
    day = str(w.day)
    on_lo = _bound(w.onset_earliest, day, tz, upper=False)
    on_hi = _bound(w.onset_latest, day, tz, upper=True)
    re_lo = _bound(w.recovery_earliest, day, tz, upper=False)
    re_hi = _bound(w.recovery_latest, day, tz, upper=True)
    if on_hi is not None and re_lo is not None:
        if on_hi < re_lo:
            return on_hi, re_lo, SPAN_CERTAIN
        if on_hi == re_lo:
            return on_hi, on_hi, SPAN_MOMENT
        return re_lo, on_hi, SPAN_WINDOW
    midnight = pd.Timestamp(day).tz_localize(tz)
    start = midnight + pd.Timedelta(hours=day_start.hour, minutes=day_start.minute)
    if on_hi is not None and re_lo is None:
        # only "begun by then" ("spätestens am Montagmorgen"): it began, so was disrupted, some time before
        lo = on_lo if on_lo is not None else min(start, on_hi)
        return (lo, on_hi, SPAN_WINDOW) if lo < on_hi else (on_hi, on_hi, SPAN_MOMENT)
    if re_lo is not None:
        return re_lo, re_lo, SPAN_MOMENT
    lo = on_lo if on_lo is not None else re_lo
    hi = re_hi if re_hi is not None else on_hi
    if lo is not None and hi is not None and lo < hi:
        return lo, hi, SPAN_WINDOW
    end = midnight + pd.Timedelta(hours=day_end.hour, minutes=day_end.minute)
    return start, end, SPAN_DAY


def _wall(t: pd.Timestamp) -> str:
    """``'2030-03-04 08:30'``: local wall time, a format Datawrapper's parser reads as a date."""
    return t.strftime("%Y-%m-%d %H:%M")


def _hour(t: pd.Timestamp, day: str, tz: str) -> float:
    """Hours after the day's local midnight (8:30 → 8.5; the next midnight is 24)."""
    return round((t - pd.Timestamp(day).tz_localize(tz)).total_seconds() / 3600.0, 2)


def _open(earliest, latest, day: str, tz: str) -> str:
    """``'ja'`` when a side of the edge has no bound (the sources say only "spätestens" or nothing)."""
    lo = _bound(earliest, day, tz, upper=False)
    hi = _bound(latest, day, tz, upper=True)
    return "nein" if lo is not None and hi is not None else "ja"


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
        name = incident.platform_name(w.platform)
        start, end, what = drawn_span(w, tz=tz, day_start=incident.day_start, day_end=incident.day_end)
        # Datawrapper's clock axis shows one day per row: an outage going on into later days is drawn to
        # its day's last minute and says so; its end stays in words in "Ende"
        last = pd.Timestamp(day).tz_localize(tz) + pd.Timedelta(hours=23, minutes=59)
        if end > last:
            start, end = min(start, last), last
            what = f"{what}; dauerte über diesen Tag hinaus"
        rows.append(
            {
                "Bezeichnung": f"{name}, {german.day_short(pd.Timestamp(day).date())}",
                "Von": _wall(start),
                "Bis": _wall(end),
                "Von_Uhr": _hour(start, day, tz),
                "Bis_Uhr": _hour(end, day, tz),
                "Gezeigt": what,
                "Beginn_offen": _open(w.onset_earliest, w.onset_latest, day, tz),
                "Ende_offen": _open(w.recovery_earliest, w.recovery_latest, day, tz),
                "Plattform": name,
                "Tag": day,
                "Zustand": labels.STATES.get(w.state, w.state),
                "Beginn": row_bounds_text(w, "onset", tz=tz, day=day),
                "Beginn_laut_Quellen": quoted(w.onset_phrases),
                "Ende": row_bounds_text(w, "recovery", tz=tz, day=day),
                "Ende_laut_Quellen": quoted(w.recovery_phrases),
                "Umstritten": german.join(labels.EDGES[e] for e in disputed if e in labels.EDGES),
                "Unabhängige_Quellen": int(w.n_independent_sources),
                "Belege": ", ".join(split_ids(w.claim_ids)),
            }
        )
    # two episodes of one platform on one day get a running number, so every label is one row
    seen: dict[str, int] = {}
    for row in rows:
        seen[row["Bezeichnung"]] = seen.get(row["Bezeichnung"], 0) + 1
    repeat: dict[str, int] = {}
    for row in rows:
        label = row["Bezeichnung"]
        if seen[label] > 1:
            repeat[label] = repeat.get(label, 0) + 1
            row["Bezeichnung"] = f"{label} ({repeat[label]}. Störung)"
    seq = pd.DataFrame(rows, columns=DW_SEQUENCE)
    crow = []
    for c in rec.conflicts.itertuples():
        crow.append(
            {
                # a conflict about no platform (a context id) names none rather than the code
                "Plattform": ""
                if all(p in incident.context_ids for p in split_ids(c.platform))
                else incident.platform_name(c.platform),
                "Tag": _day_text(c.day),
                "Art": labels.CONFLICT_TYPES.get(c.conflict_type, c.conflict_type),
                "Worum": _topic(c, incident),
                "Seite_A": _side_text(c, "a", incident, claims),
                "Quellen_A": ", ".join(_outlets(c.side_a_claim_ids, claims, outlets)),
                "Anzahl_Quellen_A": int(c.side_a_n_sources),
                "Seite_B": _side_text(c, "b", incident, claims),
                "Quellen_B": ", ".join(_outlets(c.side_b_claim_ids, claims, outlets)),
                "Anzahl_Quellen_B": int(c.side_b_n_sources),
                "Belege": ", ".join(split_ids(c.claim_ids)),
            }
        )
    conf = pd.DataFrame(crow, columns=DW_CONFLICTS)
    out = {}
    for name, df, numeric in (
        ("datawrapper_sequence.csv", seq, {"Unabhängige_Quellen", "Von_Uhr", "Bis_Uhr"}),
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


def _side_text(c, side: str, incident: Incident, claims: pd.DataFrame) -> str:
    kind = c.conflict_type
    phrases = quoted(getattr(c, f"side_{side}_phrases"))
    label = getattr(c, f"side_{side}_label")
    if kind == "figure":
        values = german.join([german.number(float(v)) for v in str(label).split(";") if v.strip()], last="oder")
        # the sources' own wording after the figure: a bare "30" makes Datawrapper read a number column
        ids = set(split_ids(getattr(c, f"side_{side}_claim_ids")))
        texts = [t for t in dict.fromkeys(claims.loc[claims.index.isin(ids), "value_text"]) if str(t).strip()]
        return f"{values} ({quoted(' | '.join(texts))})" if texts else f"{values} laut Quellen"
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


def _independent_sources(w, rec, claims: pd.DataFrame, outlets: dict[str, str], urls: dict[str, str]) -> str:
    """The paragraph "N unabhängige Quellen:" with exactly N entries, one per independent text.

    The count is the episode's ``n_independent_sources``: the texts (account groups) whose claims
    bound or place the episode (not statements). Each entry names the outlets that printed that
    text, the first linked; operators' and authorities' statements follow, uncounted.
    """
    esc = html.escape
    ids = split_ids(w.claim_ids)
    cons = rec.constraints
    cons = cons[cons["episode_id"] == w.episode_id]
    counted = list(dict.fromkeys(cons.loc[cons["role"] != "S", "account_group"]))
    group_of = claims["account_group"]
    source_of = claims["source_id"]

    def entry(sources: list[str]) -> str:
        names: dict[str, str] = {}  # one name per outlet (two pages of one paper are one name)
        for s in sorted(sources):
            names.setdefault(outlets.get(s, s), urls.get(s, ""))
        shown = []
        for i, (o, u) in enumerate(sorted(names.items(), key=lambda x: x[0].casefold())):
            text = f'<a href="{esc(u)}">{esc(o)}</a>' if urls_mod.is_safe(u) else esc(o)
            shown.append(text if i == 0 else esc(o))
        return shown[0] + (f" (auch {', '.join(shown[1:])})" if len(shown) > 1 else "")

    items, firsts = [], {}
    for g in counted:
        sources = sorted({source_of.get(i, "") for i in ids if group_of.get(i, "") == g} - {""})
        if sources:
            text = entry(sources)
            first = min((outlets.get(s, s) for s in sources), key=str.casefold)
            firsts[first] = firsts.get(first, 0) + 1
            # one outlet with two texts is two sources: say so, or the list looks like a double count
            items.append(text + (" (ein weiterer eigener Text)" if firsts[first] > 1 else ""))
    head = german.count(len(items), "unabhängige Quelle", "unabhängige Quellen")
    out = f'<p>{head}:</p><ul class="unabhaengige-quellen">' + "".join(f"<li>{x}</li>" for x in items) + "</ul>"
    said = sorted(
        {source_of.get(i, "") for i in ids if group_of.get(i, "") not in set(counted)} - {""},
        key=lambda s: outlets.get(s, s).casefold(),
    )
    if said:
        out += f"<p>Dazu, nicht mitgezählt: {', '.join(esc(x) for x in dict.fromkeys(outlets.get(s, s) for s in said))}.</p>"
    return out


def timelinejs(rec, *, incident: Incident) -> dict:
    """TimelineJS 3 JSON of the Ablauf of the article's platforms.

    One slide per outage episode (group = the platform's German name) placed at its hours:
    from the start to the end of the span :func:`drawn_span` gives (what that span is stands
    first in the text). The headline is the state ("Ausfall"), short enough for the marker;
    ``display_date`` names platform, day and the German bounds; the text gives the phrases,
    disputes with both sides, and the independent sources, as many entries as counted. All
    text is HTML-escaped. Show it with :data:`TIMELINEJS_LOCALE_DE` (``timelinejs-de.json``).

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
        parts.append(_independent_sources(w, rec, claims, outlets, urls))
        start, end, what = drawn_span(w, tz=tz, day_start=incident.day_start, day_end=incident.day_end)
        event = {
            "start_date": _date(start, tz, clock=True),
            "display_date": esc(f"{name}, {german.day_short(day.date())}: Beginn {onset}, Ende {recovery}"),
            "group": esc(name),
            "unique_id": w.episode_id,
            # short: the marker in the navigation shows it on one line, and its row already names the platform
            "text": {"headline": esc(state), "text": f"<p><em>{esc(what)}.</em></p>" + "".join(parts)},
        }
        if end > start:
            event["end_date"] = _date(end, tz, clock=True)
        events.append(event)
    return {"title": title, "events": events}
