"""The one table of German labels for the codes of the data vocabulary.

Reader pages, charts and exports never show a code (``outage_start``, ``overload``); they
show the label from here. An incident may add or override labels of its own in its
descriptor (``labels`` → ``causes`` / ``units``); the loader refuses a cause or unit in the
tables that has no label, so an unlabelled code cannot reach a page.
"""

from __future__ import annotations

from collections.abc import Mapping

#: What happened (``timeline.csv`` event, and the events derived for statements and counts).
EVENTS: dict[str, str] = {
    "outage_start": "Beginn der Störung",
    "outage": "Ausfall",
    "degraded": "Störung",
    "acknowledged": "Störung eingeräumt",
    "cause_stated": "Ursache genannt",
    "fix": "Fehler behoben",
    "restored": "läuft wieder",
    "stable": "läuft stabil",
    "attack": "Angriff",
    "other": "Meldung",
    "none_known": "keine Probleme bekannt",
    "fixed": "meldet, der Fehler sei behoben",
    "measure": "nennt eine Maßnahme",
    "statement": "Aussage",
    "advice": "Rat",
    "figure": "Zahl",
}

#: Causes named in ``timeline.csv`` (``cause``).
CAUSES: dict[str, str] = {
    "overload": "Überlastung",
    "bottleneck": "Engpass",
    "code_error": "Fehler im Programmcode",
    "config_error": "fehlerhafte Einstellung",
    "ddos": "Angriff (DDoS)",
    "external_server_failure": "Ausfall externer Server",
    "firewall_false_positive": "Firewall sperrte irrtümlich",
    "mediation_error": "Fehler in der Vermittlung",
    "network": "Netzwerkproblem",
    "network_capacity": "zu wenig Netzkapazität",
    "provider_network": "Netz des Anbieters",
    "provider_side": "Problem beim Anbieter",
    "school_hardware": "veraltete Schultechnik",
    "server_scaling": "Server nicht rechtzeitig erweitert",
    "software_fault": "Softwarefehler",
    "staggered_access": "alle meldeten sich gleichzeitig an",
    "untested_under_load": "unter Last nicht getestet",
    "unclear": "unklar",
    "unknown": "unbekannt",
}

#: Cause codes of one kind of explanation: two sources that give codes of one family describe the same
#: explanation at different grain ("Softwarefehler", "Fehler im Programmcode", "fehlerhafte Einstellung")
#: and never dispute each other. A code of no family is a family of its own.
CAUSE_FAMILIES: dict[str, str] = {
    "overload": "load",
    "bottleneck": "load",
    "network_capacity": "load",
    "server_scaling": "load",
    "staggered_access": "load",
    "untested_under_load": "load",
    "code_error": "software",
    "config_error": "software",
    "mediation_error": "software",
    "software_fault": "software",
    "firewall_false_positive": "software",
    "ddos": "attack",
    "external_server_failure": "infrastructure",
    "network": "infrastructure",
    "provider_network": "infrastructure",
    "school_hardware": "infrastructure",
}
#: Cause codes that place a failure without explaining it ("beim Anbieter", "unklar"): no side of a dispute.
UNSPECIFIC_CAUSES = frozenset({"provider_side", "unclear", "unknown"})

#: States of an outage episode.
STATES: dict[str, str] = {"outage": "Ausfall", "degraded": "Störung"}

#: Edges of an episode.
EDGES: dict[str, str] = {
    "onset": "Beginn",
    "recovery": "Ende",
    "within_source": "Angaben einer Quelle",
    "stable": "Aussage, es laufe stabil",
    "figure": "Zahl",
    "cause_stated": "Ursache",
}

#: Conflict types.
CONFLICT_TYPES: dict[str, str] = {
    "time": "Zeitangaben",
    "statement": "Aussage gegen Meldungen",
    "figure": "Zahlen",
    "cause": "Ursachen",
}

#: Witness kinds.
WITNESSES: dict[str, str] = {
    "operator": "Betreiber",
    "operator_quoted": "Betreiber (zitiert)",
    "authority": "Behörde oder Ministerium",
    "affected": "Betroffene",
    "crowd_reports": "Störungsmelder",
    "reporter": "Redaktion",
}

#: What an official statement says (statements chart); never in quotation marks, since these are
#: the data desk's words, not the speaker's.
STATEMENTS: dict[str, str] = {
    "stable": "sagt, es laufe stabil",
    "acknowledged": "räumt Probleme ein",
    "none_known": "keine Probleme bekannt",
}

#: The stance of a statement as recorded in ``statements.csv`` (a speaker's words are never quoted here).
SAYS: dict[str, str] = {
    "stable": "sagt, es laufe stabil",
    "none_known": "sagt, Probleme seien nicht bekannt",
    "admits_problem": "räumt Probleme ein",
    "apology": "bittet um Entschuldigung",
    "fixed": "meldet, der Fehler sei behoben",
    "measure": "nennt eine Maßnahme",
    "problems": "berichtet von Problemen",
    "other": "sonstige Aussage",
}

#: Units of figures (``counts.csv``).
UNITS: dict[str, str] = {
    "accesses": "Zugriffe",
    "accesses_per_day": "Zugriffe pro Tag",
    "active_users": "aktive Nutzer",
    "attacks": "Angriffe",
    "cities": "Städte",
    "concurrent_participants": "gleichzeitig Teilnehmende",
    "concurrent_users": "gleichzeitig Nutzende",
    "conferences": "Konferenzen",
    "districts_and_cities": "Kreise und Städte",
    "error_reports": "Störungsmeldungen",
    "factor": "Faktor",
    "hours": "Stunden",
    "joins": "Beitritte",
    "participants": "Teilnehmende",
    "participants_per_day": "Teilnehmende pro Tag",
    "percent": "Prozent",
    "percent_per_day": "Prozent pro Tag",
    "phone_calls": "Anrufe",
    "pupil_accounts": "Schülerkonten",
    "pupils": "Schülerinnen und Schüler",
    "requests": "Anfragen",
    "schools": "Schulen",
    "server_units": "Servereinheiten",
    "servers": "Server",
    "teacher_accounts": "Lehrerkonten",
    "teachers": "Lehrkräfte",
    "usage_hours": "Nutzungsstunden",
    "users": "Nutzende",
    "users_per_day": "Nutzende pro Tag",
    "video_conferences": "Videokonferenzen",
    "video_conferences_per_day": "Videokonferenzen pro Tag",
    "minutes": "Minuten",
}

#: Source kinds.
SOURCE_KINDS: dict[str, str] = {
    "news": "Bericht",
    "press_release": "Pressemitteilung",
    "ministry": "Ministerium",
    "operator_statement": "Stellungnahme des Betreibers",
    "interview": "Interview",
    "blog": "Blog",
}


def label(table: Mapping[str, str], code: str, *, extra: Mapping[str, str] | None = None) -> str:
    """German label of a code (``'; '``-lists are labelled item by item and joined with ', ').

    Args:
        table: One of the tables above.
        code: The code, or several separated by ``'; '``; a chain is written ``'a > b'``.
        extra: The incident's own labels (take precedence).

    Raises:
        KeyError: For a code without label (the loader prevents this for real data).
    """
    merged = {**table, **(extra or {})}
    parts = [c.strip() for c in str(code).split(";") if c.strip()]
    # a chain a source states ("overload > mediation_error") reads "Überlastung → Fehler in der Vermittlung"
    return ", ".join(" → ".join(merged[x.strip()] for x in c.split(">")) for c in parts)
