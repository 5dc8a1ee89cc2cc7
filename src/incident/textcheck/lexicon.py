"""The word tables of the text check: events, stances, attribution cues, figure qualifiers, units.

Every table is a list of ``(pattern, value)`` pairs, tried in order; a pattern is a regular
expression on the sentence (case-insensitive). Separable German verbs are matched with their
particle later in the sentence ("fiel … aus", "brach … zusammen"); ``_GAP`` allows up to
eight words in between.

Event classes (what a sentence says happened to a platform):

* ``recovery`` — it worked again, or the awaited message arrived ("lief wieder", "behoben",
  "kam … an"); compared with the Ablauf's recovery edge;
* ``onset`` — it failed ("fiel aus", "brach zusammen", "ausgefallen"); the onset edge;
* ``state`` — it was down at a time ("gestört", "nicht erreichbar", "überlastet", "schwiegen");
  the span between the edges;
* ``attack`` — it was attacked ("angegriffen", "DDoS"); the timeline's attack claims;
* ``working`` — it worked as planned ("stabil", "heulten", "verbreiteten"); the timeline's
  claims of normal operation.

Stances follow the statements vocabulary of the raw tables (``stable``, ``none_known``,
``admits_problem``, ``apology``, ``fixed``, ``measure``, ``problems``); :data:`POLARITY` groups
them into what can contradict what.
"""

from __future__ import annotations

import re

_GAP = r"(?:\s+\S+){0,8}?\s+"
_W = r"[a-zäöüß]*"


def _c(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


#: Negations that turn an outage word into its opposite ("keine Probleme", "nicht ausgefallen").
NEGATED_OUTAGE = _c(
    r"\b(?:keine|keinerlei|ohne)\s+(?:\w+\s+){0,2}(?:Probleme|Störung|Störungen|Ausfälle|Ausfall)\b"
    r"|\bnicht\s+(?:\w+\s+){0,1}(?:ausgefallen|gestört|überlastet)\b"
)

#: Event words → class, in order (the first class found wins; see the module doc).
EVENTS: list[tuple[re.Pattern, str]] = [
    (_c(r"\bwieder\b(?!\s+(?:aus|gestört|nicht|Probleme|überlastet))"), "recovery"),
    (_c(r"\bbehoben\b|\bbehob(?:en)?\b|\bbeseitigt\b|\bfunktionierte\w*" + _GAP + r"wieder\b"), "recovery"),
    (
        _c(r"\b(?:kam|kamen|traf|trafen)\b" + _GAP + r"(?:an|ein)\b(?!\s+\w)|\bangekommen\b|\beingetroffen\b"),
        "recovery",
    ),
    (_c(r"\b(?:erreichte|erreichten)\b(?!" + _GAP + r"nicht)"), "recovery"),
    (_c(r"\b(?:angegriffen|attackiert|Angriff\w*|Attacke\w*|DDoS\w*|Hacker\w*|Cyberangriff\w*)\b"), "attack"),
    (_c(r"\b(?:griff|griffen)\b" + _GAP + r"an\b"), "attack"),
    (_c(r"\b(?:fiel|fielen)\b" + _GAP + r"aus\b|\bausgefallen\b|\bausfiel\w*\b"), "onset"),
    (_c(r"\b(?:brach|brachen)\b" + _GAP + r"zusammen\b|\bzusammengebrochen\b|\bzusammenbrach\w*\b"), "onset"),
    (_c(r"\blahmgelegt\b|\bging(?:en)?\b" + _GAP + r"in die Knie\b|\bstreikte\w*\b"), "onset"),
    (
        _c(r"\bAusfall\w*|\bgestört\w*|\bStörung\w*|\bnicht (?:mehr )?erreichbar\b|\bnicht (?:mehr )?zu erreichen\b"),
        "state",
    ),
    (_c(r"\büberlast\w*|\bÜberlastung\w*|\bProblem\w*|\bPanne\w*|\bhakte\w*|\bstockte\w*|\bdown\b"), "state"),
    (
        _c(
            r"\bfunktionierte\w*\s+(?:\w+\s+){0,3}nicht\b|\bging"
            + _GAP
            + r"nichts\b|\bstumm\b|\bschwieg\w*|\bblieb\w*\s+still\b"
        ),
        "state",
    ),
    (_c(r"\b(?:zu spät|verspätet\w*|Verspätung\w*|verzögert\w*|Verzögerung\w*)\b"), "state"),
    (_c(r"\bstabil\w*|\breibungslos\w*|\bohne (?:größere )?Probleme\b|\bfunktionierte\w*\b"), "working"),
    (_c(r"\b(?:heulte|heulten|heulen|ertönte|ertönten|ertönen|erklang\w*)\b"), "working"),
    (
        _c(r"\b(?:verbreitet|verbreitete|verbreiteten|warnte|warnten|gewarnt|sendete|sendeten|gesendet|lief|liefen)\b"),
        "working",
    ),
]

#: Timeline ``event`` codes each class is compared with.
CLASS_EVENTS: dict[str, frozenset[str]] = {
    "onset": frozenset({"outage", "outage_start", "degraded"}),
    "state": frozenset({"outage", "outage_start", "degraded"}),
    "recovery": frozenset({"restored", "fix"}),
    "attack": frozenset({"attack"}),
    "working": frozenset({"stable", "restored"}),
}

#: Time phrase prefixes that make a time the onset ("ab 8 Uhr") or the recovery ("bis 14 Uhr").
ONSET_PREFIX = _c(r"^(?:erst\s+|schon\s+|bereits\s+)?(?:ab|seit)\b")
RECOVERY_PREFIX = _c(r"^(?:erst\s+|schon\s+|bereits\s+|noch\s+)?bis\b")

#: Stance words → stance, in order (the first found wins).
STANCES: list[tuple[re.Pattern, str]] = [
    (
        _c(
            r"\bkeine\s+(?:\w+\s+){0,3}(?:Rückmeldung\w*|Hinweis\w*|Erkenntnis\w*|Kenntnis\w*)\b"
            r"|\bkeine\s+(?:\w+\s+){0,2}Probleme\s+(?:\w+\s+){0,2}bekannt\b|\bnichts\s+bekannt\b|\bnicht bekannt\b"
        ),
        "none_known",
    ),
    (_c(r"\bentschuldigt\w*|\bEntschuldigung\w*|\bbedauer\w*"), "apology"),
    (
        _c(
            r"\b(?:räumte|räumten)\b"
            + _GAP
            + r"ein\b|\beingeräumt\b|\beinräum\w*|\bgab\w*"
            + _GAP
            + r"zu\b|\bzugegeben\b"
        ),
        "admits_problem",
    ),
    (_c(r"\bbehoben\b|\bbeseitigt\b|\blaufe\w* wieder\b|\bwieder stabil\b"), "fixed"),
    (
        _c(
            r"\bstabil\w*|\breibungslos\w*|\bohne\s+(?:größere\s+)?(?:Probleme|Störung\w*)\b|\bnicht versagt\b"
            r"|\blaufe\w*\s+(?:durchgängig\s+)?rund\b|\b(?:gut|grundsätzlich|einwandfrei|problemlos|fehlerfrei)\s+funktioniert\w*"
            r"|\beinwandfrei\b|\bproblemlos\b|\bfehlerfrei\b"
            r"|\bnicht der Fall\b|\bwies\b" + _GAP + r"zurück\b|\bzurückgewiesen\b"
            r"|\bkeine\s+(?:\w+\s+){0,2}(?:Probleme|Störung\w*|Ausfälle|Pannen)\b"
        ),
        "stable",
    ),
    (_c(r"\bKapazität\w*\s+(?:\w+\s+){0,3}(?:erhöht|verdoppelt|aufgestockt)\b|\bnachgebessert\b"), "measure"),
    (
        _c(
            r"\bfehlgeschlagen\w*|\bgescheitert\b|\bversagt\w*|\bProblem\w*|\bStörung\w*|\bPanne\w*|\büberlastet\w*"
            r"|\bÜberlastung\w*|\bAusfall\w*|\bausgefallen\b|\bFehler\w*|\bDefizit\w*|\bärgerlich\w*|\benttäuscht\w*"
            r"|\bnicht funktioniert\w*|\bverspätet\w*|\bVerzögerung\w*"
        ),
        "problems",
    ),
]

#: Stance → polarity; stances of different polarity contradict each other (``fixed`` implies a problem).
POLARITY: dict[str, str] = {
    "stable": "ok",
    "none_known": "ok",
    "working": "ok",
    "admits_problem": "problem",
    "apology": "problem",
    "problems": "problem",
    "disrupted": "problem",
    "fixed": "problem",
}

#: Cues of reported speech: a sentence with one of them attributes what it says to a speaker.
ATTRIBUTION = _c(
    r"\blaut\b|\bnach Angaben\b|\bzufolge\b|\bsagte\w*|\bsagt\b|\berklärte\w*|\berklärt\b|\bteilte\w*" + _GAP + r"mit\b"
    r"|\bmitgeteilt\b|\bbetonte\w*|\bnannte\w*|\bbezeichnete\w*|\bräumte\w*" + _GAP + r"ein\b|\beingeräumt\b"
    r"|\bwies\b" + _GAP + r"zurück\b|\bbestätigte\w*|\bberichtete\w*|\bkündigte\w*|\bentschuldigte\w*|\bbedauerte\w*"
    r"|\bversicherte\w*|\bschrieb\w*|\btwitterte\w*|\bmeldete\w*(?=\s*,)|\b,\s*so\s+(?:der|die|das)?\s*[A-ZÄÖÜ]"
)
#: Cues that name no speaker ("nach eigenen Angaben"): the subject speaks; no speaker to look up.
SELF_ATTRIBUTION = _c(r"\bnach eigenen Angaben\b|\beigenen Angaben zufolge\b")

#: Role nouns (German, as written in a text) → the fragments they match in a speaker field of the evidence.
ROLES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (_c(r"minister"), ("minist",)),
    (_c(r"sprecher"), ("sprecher", "spokes")),
    (_c(r"geschäftsführ"), ("geschäftsführer", "managing director")),
    (_c(r"betreiber"), ("betreiber", "operator")),
    (_c(r"präsident"), ("präsident", "president")),
    (_c(r"behörde"), ("behörde", "authority")),
    (_c(r"senat"), ("senat",)),
]

#: Words that are capitalised but name no speaker (sentence starts, days, common nouns of the topic).
NOT_SPEAKERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "am",
        "im",
        "in",
        "um",
        "vor",
        "nach",
        "auch",
        "laut",
        "so",
        "zum",
        "zur",
        "bei",
        "mit",
        "von",
        "für",
        "über",
        "unter",
        "seit",
        "ab",
        "bis",
        "es",
        "er",
        "sie",
        "wir",
        "man",
        "nun",
        "doch",
        "dass",
        "weil",
        "wenn",
        "als",
        "wie",
        "aber",
        "und",
        "oder",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
        "uhr",
        "morgen",
        "vormittag",
        "mittag",
        "nachmittag",
        "abend",
        "nacht",
        "tag",
        "tage",
        "woche",
        "angaben",
        "problem",
        "probleme",
        "störung",
        "störungen",
        "ausfall",
        "meldung",
        "meldungen",
    ]
)

#: Figure qualifiers before a number → kind: ``approx`` (±10 %), ``more`` (at least), ``less`` (at most).
QUALIFIERS: list[tuple[re.Pattern, str]] = [
    (_c(r"(?:mehr als|über|weit über|gut|mindestens|knapp über|über\s+\w+|more than)\s*$"), "more"),
    (_c(r"(?:bis zu|höchstens|weniger als|unter|knapp unter|maximal|fast|beinahe|knapp)\s*$"), "less"),
    (_c(r"(?:rund|etwa|ungefähr|circa|ca\.|zirka|annähernd|gegen|schätzungsweise|um die|an die)\s*$"), "approx"),
]
#: Units a figure is also compared in, with the factor ("eine halbe Stunde" = 30 minutes).
CONVERSIONS: dict[str, tuple[str, float]] = {"hours": ("minutes", 60.0)}
#: Durations written with the article ("eine Stunde"): the article counts 1 before these unit nouns.
ARTICLE_ONE = _c(r"\b(?:eine|einer)\s+(?=(?:Stunde|Minute)\b)")

#: Relative tolerance of a plain figure (rounding) and of an approximate one.
EXACT_TOLERANCE = 0.02
APPROX_TOLERANCE = 0.10

#: Unit nouns (German, start of the word after the figure) → fragments of the evidence ``unit`` codes.
UNITS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (_c(r"^(?:video)?konferenz"), ("conferences",)),
    (_c(r"^schüler"), ("pupils", "users")),
    (_c(r"^schul"), ("schools",)),
    (_c(r"^(?:nutzer|anwender|benutzer|user)"), ("users",)),
    (_c(r"^teilnehm"), ("participants", "users")),
    (_c(r"^anfrage"), ("requests",)),
    (_c(r"^(?:zugriff)"), ("accesses",)),
    (_c(r"^beitritt"), ("joins",)),
    (_c(r"^minute"), ("minutes",)),
    (_c(r"^stunde"), ("hours",)),
    (_c(r"^sirene"), ("sirens",)),
    (_c(r"^(?:meldung|nachricht|warnmeldung)"), ("messages", "reports", "warnings")),
    (_c(r"^störungsmeldung"), ("error_reports", "reports")),
    (_c(r"^(?:prozent|%)"), ("percent",)),
    (_c(r"^server"), ("servers", "server_units")),
    (_c(r"^(?:angriff|attacke)"), ("attacks",)),
    (_c(r"^(?:orte|standort)"), ("sites",)),
    (_c(r"^(?:städte|kommunen)"), ("cities",)),
    (_c(r"^lehr"), ("teachers",)),
]
