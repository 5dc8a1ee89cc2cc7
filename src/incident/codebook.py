"""The German codebook of the downloads: a title and a description for every column, the codes explained.

The processed tables keep short English column names and codes (``onset_earliest``,
``state = outage``): they are the data contract that code and tests read. A reader of the
downloads gets them explained in German, in one place: :data:`COLUMNS` gives every column a
German title and description, :func:`codes` the German meaning of every code a column can
hold (from the one label table, :mod:`incident.labels`, plus the incident's own labels).
:func:`incident.processed.descriptor` writes both into ``datapackage.json`` (Frictionless
fields ``title`` and ``description``), and the site adds ``LIESMICH.txt`` (:func:`readme`).
"""

from __future__ import annotations

from collections.abc import Mapping

from incident import labels

#: Column name → (German title, German description). Several tables share a name and a meaning.
COLUMNS: dict[str, tuple[str, str]] = {
    # sources
    "source_id": ("Quellen-Kennung", "Kennung der Quelle (Medium, Datum, Stichwort)"),
    "outlet": ("Medium", "Name des Mediums, wie im Dossier notiert (in Klammern Notizen der Datenredaktion)"),
    "url": ("Adresse", "Webadresse der Quelle"),
    "headline": ("Überschrift", "Überschrift der Quelle (in Klammern: woher sie stammt)"),
    "published": ("Erschienen", "Erscheinungsdatum, so genau wie bekannt (Jahr, Monat, Tag oder Minute)"),
    "published_precision": ("Genauigkeit des Datums", "wie genau das Erscheinungsdatum bekannt ist"),
    "published_at": ("Erschienen um", "Erscheinungszeitpunkt (ISO 8601 mit Zeitzone), leer wenn unbekannt"),
    "kind": ("Art", "Art der Quelle bzw. der Angabe"),
    "account_group": (
        "Text-Gruppe",
        "Kennung des unabhängigen Textes: Kopien einer Agenturmeldung teilen sie und zählen einmal",
    ),
    "witness": ("Zeuge", "wer die Angabe macht: Betreiber, Behörde, Betroffene, Störungsmelder oder Redaktion"),
    "verified": ("Geprüft", "ob die Quelle gegen eine gespeicherte Fassung geprüft wurde"),
    "n_claims": ("Zahl der Angaben", "wie viele Angaben aus dieser Quelle stammen"),
    "claim_ids": ("Angaben", "Kennungen der Angaben, auf denen die Zeile beruht (durch „; “ getrennt)"),
    # claims
    "claim_id": ("Angabe", "Kennung der Angabe: Quelle und laufende Nummer"),
    "table": ("Rohtabelle", "aus welcher Rohtabelle die Angabe stammt"),
    "platform": ("Plattform", "Kennung der Plattform (deutscher Name: incident.yaml, platforms)"),
    "event": ("Ereignis", "was geschah"),
    "stance": ("Zustand laut Angabe", "ob die Angabe eine Störung oder einen funktionierenden Dienst meldet"),
    "cause": (
        "Ursache",
        "genannte Ursache (mehrere durch „; “ getrennt; „a > b“: a führte laut Quelle zu b, eine Kette)",
    ),
    "quantity": ("Größe", "Kennung der gezählten Größe (deutsche Bezeichnung: incident.yaml, quantities)"),
    "value": ("Zahl", "die genannte Zahl als Zahl, ohne Tausenderpunkt (2500), Dezimalpunkt"),
    "unit": ("Einheit", "Einheit der Zahl"),
    "day_text": ("Tag im Wortlaut", "Tagesangabe der Quelle im Wortlaut"),
    "time_text": ("Uhrzeit im Wortlaut", "Zeitangabe der Quelle im Wortlaut"),
    "phrase": ("Zeitangabe", "die Zeitangabe, aus der die Zeitspanne gelesen wurde (Wortlaut)"),
    "reference": ("Bezugstag", "Tag, auf den sich die Zeitangabe bezieht (etwa das Erscheinungsdatum)"),
    "start": ("Von", "Beginn der Zeitspanne (ISO 8601 mit Zeitzone)"),
    "end": ("Bis", "Ende der Zeitspanne (ISO 8601 mit Zeitzone)"),
    "span_kind": ("Art der Zeitspanne", "wie die Zeitangabe gelesen wurde"),
    "resolved": ("Zeit gelesen", "true: die Zeitangabe ergab eine Zeitspanne; false: sie nennt keine Zeit"),
    "reason": ("Grund", "warum keine Zeitspanne gelesen wurde (englische Arbeitsnotiz)"),
    "flag": ("Datierungshinweis", "warum die Angabe nicht im Ablauf steht (mehrere durch „; “ getrennt)"),
    "speaker": ("Sprecher (englisch)", "Sprecher oder Sprecherin, englische Notiz des Dossiers; deutsch: speaker_de"),
    "quote": ("Zitat", "wörtliches Zitat aus der Quelle"),
    "value_text": ("Zahl im Wortlaut", "die Zahl, wie die Quelle sie schreibt"),
    "counted": ("Gezählt (englisch)", "was gezählt wurde, englische Notiz des Dossiers; deutsch: was"),
    "was": ("Was", "die Angabe in einem deutschen Satz, in eigenen Worten der Datenredaktion"),
    "speaker_de": (
        "Sprecher",
        "wie ein deutscher Text den Sprecher nennt, mit Funktion (leer, wo die Quelle keinen nennt)",
    ),
    "bounding": (
        "Grenzt ein",
        "true: die Angabe betrifft die ganze Plattform und meldet ein Ereignis; nur solche Angaben begrenzen "
        "Beginn und Ende oder stehen in einem Widerspruch",
    ),
    "says": ("Aussage", "was eine Stellungnahme sagt (nur Aussagen)"),
    "scope": ("Reichweite", "wofür die Angabe gilt: ganze Plattform, eine Region, eine Einrichtung oder eine Person"),
    "scope_de": ("Wo", "wo eine örtliche Angabe galt, etwa „an einer Schule in Höxter“"),
    "modality": ("Art der Aussage", "behauptet, berichtet, als Bedingung, als Erwartung oder bestritten"),
    "speaker_name": ("Name", "Name der Person, die spricht (falls genannt)"),
    "speaker_org": ("Organisation", "Organisation, die spricht (bei eigener Recherche: das Medium)"),
    "speaker_role": ("Rolle des Sprechers", "Rolle der Person oder Organisation, die spricht (nicht der Plattform)"),
    "quote_verbatim": (
        "Wörtlich",
        "yes: das Zitat steht so in der gespeicherten Quelle; no: sinngemäß; unchecked: nicht prüfbar",
    ),
    "refers_to_day": ("Gemeinter Tag", "der Tag, von dem die Angabe spricht (JJJJ-MM-TT), aus dem Text gelesen"),
    "day_basis": ("Grund für den Tag", "warum die Angabe diesen Tag meint (englische Arbeitsnotiz mit Wortlaut)"),
    "pattern": ("Verlauf", "intermittent: in getrennten Phasen; continuous: durchgehend"),
    "qualifier": ("Zusatz zur Zahl", "genau, rund, über, bis zu oder unter"),
    "window_text": ("Gezählter Zeitraum", "über welchen Zeitraum die Zahl zählt (Wortlaut)"),
    "onset_n_sources": ("Quellen zum Beginn", "wie viele unabhängige Texte den Beginn eingrenzen"),
    "recovery_n_sources": ("Quellen zum Ende", "wie viele unabhängige Texte das Ende eingrenzen"),
    "coarse": (
        "Nur Tageszeit",
        "welche Grenzen nur die Grenze einer Tageszeit sind („am Morgen“ = 6 bis 10 Uhr): sie werden mit den "
        "Worten der Quelle geschrieben, nie als Uhrzeit",
    ),
    "onset_earliest_words": ("Wortlaut früheste Grenze Beginn", "die Worte, die den frühesten Beginn setzen"),
    "onset_latest_words": ("Wortlaut späteste Grenze Beginn", "die Worte, die den spätesten Beginn setzen"),
    "recovery_earliest_words": ("Wortlaut früheste Grenze Ende", "die Worte, die das früheste Ende setzen"),
    "recovery_latest_words": ("Wortlaut späteste Grenze Ende", "die Worte, die das späteste Ende setzen"),
    # flags, unresolved, rejected
    "detail": ("Einzelheiten", "Einzelheiten zum Datierungshinweis (englische Arbeitsnotiz)"),
    "on_timeline": ("Im Ablauf", "true: die Angabe steht trotz Hinweis im Ablauf"),
    "row": ("Zeile", "Zeilennummer in der Rohtabelle"),
    # accounts, figures
    "account_id": ("Bericht", "Kennung des Berichts: Angaben eines Textes zu einer Sache an einem Tag"),
    "source_ids": ("Quellen", "Kennungen der Quellen (durch „; “ getrennt)"),
    "day": ("Tag", "Tag (JJJJ-MM-TT, Ortszeit)"),
    "phrases": ("Wortlaut", "die Zeitangaben bzw. Zahlen im Wortlaut der Quellen"),
    "quotes": ("Zitate", "wörtliche Zitate"),
    "status": ("Stand", "ob die Quellen für diese Größe dieselbe Zahl nennen"),
    "n_accounts": ("Zahl der Berichte", "wie viele unabhängige Berichte eine Zahl nennen"),
    "n_sources": ("Zahl der Quellen", "wie viele unabhängige Quellen"),
    "value_min": ("Kleinste Zahl", "die kleinste genannte Zahl"),
    "value_max": ("Größte Zahl", "die größte genannte Zahl"),
    "values": ("Zahlen", "alle genannten Zahlen (durch „; “ getrennt)"),
    "account_ids": ("Berichte", "Kennungen der Berichte (durch „; “ getrennt)"),
    # conflicts
    "conflict_id": ("Widerspruch", "Kennung des Widerspruchs"),
    "conflict_type": ("Art des Widerspruchs", "worin sich die Quellen widersprechen"),
    "episode_id": ("Störung", "Kennung der Störung (Zeile des Ablaufs)"),
    "gap_minutes": ("Abstand in Minuten", "wie weit die Zeitangaben beider Seiten auseinanderliegen"),
    "ratio": ("Verhältnis", "größte durch kleinste Zahl (bei Zahlen)"),
    "note": ("Hinweis", "Erläuterung (in conflicts.csv eine englische Arbeitsnotiz, in facts.csv deutsch)"),
    # sequence
    "episode": ("Nummer", "laufende Nummer der Störung an diesem Tag"),
    "state": ("Zustand", "Ausfall oder Störung"),
    "onset_earliest": ("Beginn frühestens", "frühester Beginn, den die Quellen zulassen; leer: keine Grenze"),
    "onset_latest": ("Beginn spätestens", "spätester Beginn, den die Quellen zulassen; leer: keine Grenze"),
    "onset_phrases": ("Beginn laut Quellen", "die Zeitangaben, die den Beginn eingrenzen (Wortlaut)"),
    "onset_claim_ids": ("Belege Beginn", "die Angaben, die den Beginn eingrenzen"),
    "recovery_earliest": ("Ende frühestens", "frühestes Ende, das die Quellen zulassen; leer: keine Grenze"),
    "recovery_latest": ("Ende spätestens", "spätestes Ende, das die Quellen zulassen; leer: keine Grenze"),
    "recovery_phrases": ("Ende laut Quellen", "die Zeitangaben, die das Ende eingrenzen (Wortlaut)"),
    "recovery_claim_ids": ("Belege Ende", "die Angaben, die das Ende eingrenzen"),
    "disputed": ("Umstritten", "welche Ränder umstritten sind (Quellen gleicher Zahl widersprechen sich)"),
    "n_independent_sources": ("Unabhängige Quellen", "wie viele unabhängige Texte die Störung eingrenzen"),
    "n_dissenting": ("Widersprechende Quellen", "wie viele unabhängige Texte den Grenzen widersprechen"),
    "conflict_ids": ("Widersprüche", "Kennungen der Widersprüche zu dieser Störung"),
    "statement_claim_ids": ("Aussagen", "Aussagen von Betreibern und Behörden zu dieser Störung"),
    # constraints
    "role": ("Rolle", "was die Angabe über Beginn und Ende sagt"),
    "onset_lo": ("Beginn ab", "frühester Beginn nach dieser Angabe"),
    "onset_hi": ("Beginn bis", "spätester Beginn nach dieser Angabe"),
    "recovery_lo": ("Ende ab", "frühestes Ende nach dieser Angabe"),
    "recovery_hi": ("Ende bis", "spätestes Ende nach dieser Angabe"),
    "in_consistent_set": ("Verträglich", "true: die Angabe gehört zur größten Menge, die zugleich wahr sein kann"),
    # copies
    "source_a": ("Quelle A", "Kennung der ersten Quelle"),
    "source_b": ("Quelle B", "Kennung der zweiten Quelle"),
    "group_a": ("Text-Gruppe A", "Text-Gruppe der ersten Quelle"),
    "group_b": ("Text-Gruppe B", "Text-Gruppe der zweiten Quelle"),
    "n_shared": ("Gleiche Angaben", "wie viele Angaben fast gleich formuliert sind"),
    "max_similarity": ("Größte Ähnlichkeit", "Ähnlichkeit der ähnlichsten Formulierungen (0 bis 1)"),
    "example": ("Beispiel", "ein Beispiel der gleichen Formulierung"),
    "reviewed": ("Geprüft", "true: im Dossier als unabhängig geprüft"),
    # anomalies
    "baseline": ("Üblicher Wert", "Median der anderen Tage zur selben Zeit"),
    "threshold": ("Schwelle", "ab diesem Wert gilt ein Wert als auffällig"),
    "anomalous": ("Auffällig", "true: der Wert liegt über der Schwelle"),
    # facts.csv
    "fact_id": ("Fakt", "laufende Nummer und Kennung des Fakts"),
    "label": ("Bezeichnung", "was der Fakt angibt"),
}
for _side, _name in (("a", "Seite A"), ("b", "Seite B")):
    for _col, (_title, _text) in {
        "claim_ids": ("Angaben", "Angaben dieser Seite"),
        "source_ids": ("Quellen", "Quellen dieser Seite"),
        "n_sources": ("Zahl der Quellen", "wie viele unabhängige Quellen diese Seite hat"),
        "witness": ("Zeuge", "wer auf dieser Seite spricht"),
        "start": ("Von", "Beginn der Zeitspanne dieser Seite"),
        "end": ("Bis", "Ende der Zeitspanne dieser Seite"),
        "value": ("Zahl", "die Zahl dieser Seite, als Zahl"),
        "label": ("Wert", "Zahl(en) oder Ursache(n) dieser Seite als Code, siehe „Codes“"),
        "phrases": ("Wortlaut", "Wortlaut dieser Seite"),
        "quotes": ("Zitate", "Zitate dieser Seite"),
    }.items():
        COLUMNS[f"side_{_side}_{_col}"] = (f"{_name}: {_title}", _text)

#: Per table, columns whose meaning there differs from :data:`COLUMNS` (facts.csv, the Datawrapper files).
TABLE_COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "facts": {
        "kind": ("Art", "zahl: eine belegte Zahl; zeit: die Grenzen von Beginn oder Ende einer Störung"),
        "value_text": (
            "Wert im Wortlaut",
            "der Wert auf Deutsch, wie ihn der Artikel schreiben darf (2500 Konferenzen)",
        ),
        "value": ("Zahl", "die Zahl als Zahl, ohne Tausenderpunkt (2500); leer bei Zeiten"),
        "phrases": ("Im Original", "der Wortlaut der Quellen"),
        "note": ("Hinweis", "wie der Wert entstand und ob Quellen widersprechen"),
    },
    "datawrapper_sequence": {
        "Bezeichnung": ("Bezeichnung", "Plattform und Tag, Beschriftung der Zeile"),
        "Von": ("Von", "Anfang der gezeigten Spanne, Ortszeit (JJJJ-MM-TT HH:MM)"),
        "Bis": ("Bis", "Ende der gezeigten Spanne, Ortszeit; nie vor Von"),
        "Von_Uhr": ("Von (Uhr)", "Anfang der gezeigten Spanne in Stunden des Tages (8,5 = 8:30 Uhr)"),
        "Bis_Uhr": ("Bis (Uhr)", "Ende der gezeigten Spanne in Stunden des Tages"),
        "Gezeigt": ("Gezeigt", "was die Spanne ist: sicher gestört, Zeitraum der Angaben oder ein Zeitpunkt"),
        "Beginn_offen": ("Beginn offen", "ja: für den Beginn fehlt eine frühere oder spätere Grenze"),
        "Ende_offen": ("Ende offen", "ja: für das Ende fehlt eine frühere oder spätere Grenze"),
        "Plattform": ("Plattform", "deutscher Name der Plattform"),
        "Tag": ("Tag", "Tag (JJJJ-MM-TT)"),
        "Zustand": ("Zustand", "Ausfall oder Störung"),
        "Beginn": ("Beginn", "Grenzen des Beginns in Worten"),
        "Beginn_laut_Quellen": ("Beginn laut Quellen", "Wortlaut der Quellen zum Beginn"),
        "Ende": ("Ende", "Grenzen des Endes in Worten"),
        "Ende_laut_Quellen": ("Ende laut Quellen", "Wortlaut der Quellen zum Ende"),
        "Umstritten": ("Umstritten", "welche Ränder umstritten sind"),
        "Unabhängige_Quellen": ("Unabhängige Quellen", "wie viele unabhängige Texte die Störung eingrenzen"),
        "Belege": ("Belege", "Kennungen der Angaben (durch Komma getrennt)"),
    },
    "datawrapper_conflicts": {
        "Plattform": ("Plattform", "deutscher Name der Plattform"),
        "Tag": ("Tag", "Tag(e) in Worten, leer bei Zahlen ohne Tag"),
        "Art": ("Art", "worin sich die Quellen widersprechen"),
        "Worum": ("Worum", "Beginn, Ende, Größe oder Ursache"),
        "Seite_A": ("Seite A", "was die eine Seite sagt"),
        "Quellen_A": ("Quellen A", "Medien der einen Seite"),
        "Anzahl_Quellen_A": ("Anzahl Quellen A", "unabhängige Quellen der einen Seite"),
        "Seite_B": ("Seite B", "was die andere Seite sagt"),
        "Quellen_B": ("Quellen B", "Medien der anderen Seite"),
        "Anzahl_Quellen_B": ("Anzahl Quellen B", "unabhängige Quellen der anderen Seite"),
        "Belege": ("Belege", "Kennungen der Angaben (durch Komma getrennt)"),
    },
}

#: Codes without a label table of their own: column → code → German meaning.
_OTHER_CODES: dict[str, dict[str, str]] = {
    "verified": {"yes": "ja", "partial": "teilweise", "no": "nein"},
    "published_precision": {
        "minute": "auf die Minute",
        "day": "auf den Tag",
        "month": "auf den Monat",
        "year": "auf das Jahr",
    },
    "table": {
        "timeline": "Ereignisse (timeline.csv)",
        "counts": "Zahlen (counts.csv)",
        "statements": "Aussagen (statements.csv)",
    },
    "stance": {"disrupted": "gestört", "working": "funktioniert", "unknown": "unbestimmt"},
    "says": dict(labels.SAYS),
    "scope": {
        "platform": "die ganze Plattform",
        "region": "eine Region oder ein Ort",
        "institution": "eine Einrichtung, etwa eine Schule",
        "person": "eine Person, etwa ein Tweet",
    },
    "modality": {
        "asserted": "behauptet",
        "reported": "berichtet (andere melden es)",
        "conditional": "als Bedingung („wenn …“)",
        "expected": "als Erwartung oder Befürchtung",
        "denied": "bestritten",
    },
    "speaker_role": {
        "operator": "Betreiber",
        "ministry": "Ministerium",
        "authority": "Behörde",
        "school": "Schule",
        "user": "Nutzerin oder Nutzer",
        "association": "Verband",
        "reporter": "Redaktion",
        "measurement": "Störungsmelder",
        "politician": "Politik",
        "expert": "Fachleute",
        "other": "andere",
    },
    "quote_verbatim": {"yes": "wörtlich", "no": "sinngemäß", "unchecked": "nicht prüfbar"},
    "pattern": {"intermittent": "in getrennten Phasen", "continuous": "durchgehend"},
    "qualifier": {"genau": "genau", "rund": "rund", "über": "mehr als", "bis zu": "höchstens", "unter": "weniger als"},
    "coarse": {
        "onset_earliest": "früheste Grenze des Beginns",
        "onset_latest": "späteste Grenze des Beginns",
        "recovery_earliest": "früheste Grenze des Endes",
        "recovery_latest": "späteste Grenze des Endes",
    },
    "span_kind": {
        "exact": "genaue Uhrzeit",
        "approx": "ungefähre Uhrzeit („gegen 8 Uhr“)",
        "range": "Zeitraum („zwischen 8 und 10 Uhr“)",
        "part_of_day": "Tageszeit („am Morgen“)",
        "day": "nur der Tag",
        "since": "seit einem Zeitpunkt",
        "until": "bis zu einem Zeitpunkt",
        "before": "vor einem Zeitpunkt",
        "after": "nach einem Zeitpunkt",
    },
    "flag": {
        "outside_window": "Zeitangabe liegt außerhalb des Vorfalls",
        "source_outside_window": "Quelle erschien vor dem Vorfall",
        "after_publication": "Zeitangabe liegt nach dem Erscheinen der Quelle",
        "assumed_day_disputed": "Tag nicht genannt und umstritten",
        "dossier_day_differs": "Tag weicht von der Lesart des Dossiers ab",
    },
    "status": {
        "agree": "alle nennen dieselbe Zahl",
        "conflict": "Quellen nennen verschiedene Zahlen",
        "single": "nur eine Quelle",
        "no_figure": "keine Zahl genannt",
    },
    "role": {
        "O": "Beginn: die Störung begann in dieser Spanne",
        "R": "Ende: die Plattform lief in dieser Spanne wieder",
        "D": "gestört zu einem Zeitpunkt der Spanne",
        "W": "lief spätestens am Ende der Spanne wieder",
        "P": "gestört an diesem Tag, ohne Uhrzeit",
        "M": "gestört über mehrere Tage („vom … bis …“): Beginn am ersten, Ende am letzten Tag",
        "A": "gestört seit diesem Tag bis zur Veröffentlichung („seit dem …“): Beginn in der Spanne, "
        "Ende nicht vor der Veröffentlichung",
        "S": "Aussage „läuft stabil“: keine Grenze, gegen die Meldungen gestellt",
    },
    "claim_kind": {
        "event": "Ereignis",
        "cause": "Ursache",
        "count": "Zahl",
        "capacity": "Kapazität",
        "statement": "Aussage",
        "advice": "Rat",
    },
}


def column(table: str, name: str) -> tuple[str, str]:
    """German ``(title, description)`` of a column of a download (``table`` = file stem).

    Raises:
        KeyError: For a column the codebook does not know (a test keeps every download covered).
    """
    return TABLE_COLUMNS.get(table, {}).get(name) or COLUMNS[name]


def codes(table: str, name: str, *, extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
    """The German meaning of each code a column can hold (``{}`` for a column of free text or numbers).

    Args:
        table: File stem of the download (``sequence``, ``sources`` …).
        name: Column name.
        extra: The incident's own labels (``incident.labels``: ``causes``, ``units``).
    """
    extra = extra or {}
    if table.startswith("datawrapper") or table == "facts":
        return {}
    if name in ("state",):
        return dict(labels.STATES)
    if name == "event":
        return dict(labels.EDGES) if table == "conflicts" else dict(labels.EVENTS)
    if name in ("cause",):
        return {**labels.CAUSES, **extra.get("causes", {})}
    if name == "unit":
        return {**labels.UNITS, **extra.get("units", {})}
    if name in ("witness", "side_a_witness", "side_b_witness"):
        return dict(labels.WITNESSES)
    if name == "conflict_type":
        return dict(labels.CONFLICT_TYPES)
    if name == "disputed":
        return {k: labels.EDGES[k] for k in ("onset", "recovery")}
    if name == "kind":
        return dict(labels.SOURCE_KINDS) if table == "sources" else dict(_OTHER_CODES["claim_kind"])
    return dict(_OTHER_CODES.get(name, {}))


def describe(table: str, name: str, *, extra: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The German description of a column with its codes explained (``Codes: outage = Ausfall, …``)."""
    _, text = column(table, name)
    known = codes(table, name, extra=extra)
    if known:
        text += ". Codes: " + ", ".join(f"{k} = {v}" for k, v in known.items())
    return text


def readme(*, title: str, files: Mapping[str, str]) -> str:
    """``LIESMICH.txt`` of the downloads: what the files are and how to read them.

    Args:
        title: The incident's title.
        files: File name → German one-line description, in the order shown.
    """
    lines = [
        f"{title}: die Daten zum Herunterladen",
        "",
        "Alle Tabellen sind CSV-Dateien in UTF-8, durch Komma getrennt, mit Kopfzeile.",
        "Zahlen stehen als Zahlen, ohne Tausenderpunkt und mit Dezimalpunkt (2500, 2.5).",
        "Zeiten stehen in ISO 8601 mit Zeitzone (2030-03-04T08:30:00+01:00); leer heißt: nicht bekannt.",
        "Listen in einer Zelle sind durch „; “ getrennt. true/false heißt ja/nein.",
        "Die Spaltennamen und Codes sind kurz und englisch (sie sind die Schnittstelle der Auswertung).",
        "Was jede Spalte bedeutet und was jeder Code heißt, steht auf Deutsch in datapackage.json",
        "(bei jeder Spalte: title und description; Codes als „outage = Ausfall“).",
        "Eine Zelle, die mit =, +, - oder @ beginnt, trägt ein vorangestelltes ', damit eine",
        "Tabellenkalkulation sie nicht als Formel ausführt.",
        "",
        "Die Dateien:",
    ]
    for name, text in files.items():
        lines.append(f"  {name}: {text}")
    lines += [
        "",
        "Für Datawrapper und TimelineJS sind datawrapper_sequence.csv, datawrapper_conflicts.csv,",
        "timeline.json und timelinejs-de.json gedacht; wie man sie verwendet, steht in der README",
        "des Projekts (Abschnitt „Für die Redaktion“).",
        "",
    ]
    return "\n".join(lines)
