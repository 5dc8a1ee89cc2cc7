"""The German words the parser knows, as data (lower-case, as the tokenizer yields them).

Each table says what a word contributes; :mod:`incident.timeexpr.grammar` reads them in a
fixed order (see there). Words that name something of the incident (a school-calendar day, a
lesson start) are not listed here as meanings: they come from the caller as
:class:`~incident.timeexpr.anchors.Anchors`. :data:`EVENT` only lists words that make a phrase
unresolvable when no anchor covers them.
"""

from __future__ import annotations

#: Weekday names -> ``date.weekday()`` (Monday = 0).
WEEKDAYS: dict[str, int] = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
}
#: Weekday abbreviations with their dot ("Do., 09.00"), case-sensitive as newsrooms write them.
WEEKDAY_ABBREVIATIONS: dict[str, str] = {
    "Mo": "Montag",
    "Di": "Dienstag",
    "Mi": "Mittwoch",
    "Do": "Donnerstag",
    "Fr": "Freitag",
    "Sa": "Samstag",
    "So": "Sonntag",
}
#: Month names -> month number.
MONTHS: dict[str, int] = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
#: Words for a part of the day -> its name in :data:`incident.timeexpr.conventions.PARTS_OF_DAY`.
PART_WORDS: dict[str, str] = {
    "morgen": "morgen",
    "morgens": "morgen",
    "morgenstunden": "morgen",
    "frühmorgens": "morgen",
    "vormittag": "vormittag",
    "vormittags": "vormittag",
    "vormittagsstunden": "vormittag",
    "mittag": "mittag",
    "mittags": "mittag",
    "mittagszeit": "mittag",
    "mittagsstunde": "mittag",
    "mittagsstunden": "mittag",
    "nachmittag": "nachmittag",
    "nachmittags": "nachmittag",
    "nachmittagsstunden": "nachmittag",
    "abend": "abend",
    "abends": "abend",
    "abendstunden": "abend",
    "nacht": "nacht",
    "nachts": "nacht",
    "nachtstunden": "nacht",
}
#: Suffixes of weekday compounds ("Montagmorgen", "Montagfrüh") -> part of day.
COMPOUND_PARTS: dict[str, str] = {
    "morgen": "morgen",
    "vormittag": "vormittag",
    "mittag": "mittag",
    "nachmittag": "nachmittag",
    "abend": "abend",
    "nacht": "nacht",
    "früh": "morgen",
    "frueh": "morgen",
}
#: "früh/frühen …": the first half of the following part of day.
EARLY: frozenset[str] = frozenset({"früh", "frühe", "frühen", "früher", "frühem", "frueh", "fruehe", "fruehen"})
#: "spät/späten …": the second half of the following part of day.
LATE: frozenset[str] = frozenset(
    {
        "spät",
        "späte",
        "späten",
        "später",
        "spätem",
        "späteren",
        "späterer",
        "spätere",
        "spaet",
        "spaete",
        "spaeten",
        "spaeter",
        "spaeteren",
    }
)
#: "früh" alone after a day ("Montagfrüh", "heute früh") is the Morgen.
EARLY_ALONE: frozenset[str] = frozenset({"früh", "frueh"})
#: Number words (clock hours, "Tag zwei").
NUMWORDS: dict[str, int] = {
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "fuenf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "zwoelf": 12,
}
#: Indefinite articles: "ein" before a unit is the number 1, otherwise an article.
INDEF: frozenset[str] = frozenset({"ein", "eine", "einem", "einen", "einer"})
#: "halb neun" = 08:30.
HALF_HOUR = "halb"
#: Clock marker: "8 Uhr".
UHR = "uhr"
#: Words that do not change the span (the issue's list, then ours).
FILLERS: frozenset[str] = frozenset(
    {
        "erst",
        "bereits",
        "schon",
        "noch",
        "auch",
        "allein",
        "gleich",
        "insbesondere",
        "teilweise",
        "teils",
        "genau",
        "alle",
        "gleichzeitig",
        "einschließlich",  # "bis einschließlich 21. Januar": the day itself, as "bis 21. Januar"
        "einschliesslich",
        "inklusive",
    }
)
#: Articles, prepositions and frame words that carry no time of their own.
ARTICLES: frozenset[str] = frozenset(
    {
        "am",
        "an",
        "im",
        "in",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "zum",
        "zur",
        "vom",
        "für",
        "fuer",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "diese",
        "ganzen",
        "ganze",
        "ganzer",
        "laufe",
        "laufes",
        "verlauf",
        "verlaufe",
        "um",
        "punkt",
        "uhr",
        "auf",
        "zu",
        "jeweils",
        "je",
        "bei",
        "beim",
        "zeit",  # "in der Zeit vom 19. bis 21. Januar"
    }
)
#: Words that relate a time to the state (one token each; "kurz vor/nach" is read apart).
RELATIONS: dict[str, str] = {
    "seit": "since",
    "ab": "since",
    "bis": "bis",
    "vor": "before",
    "nach": "after",
    "zwischen": "between",
    "von": "from",
}
#: "kurz vor X" / "kurz nach X".
SHORTLY = "kurz"
SHORTLY_RELATIONS: dict[str, str] = {"vor": "shortly_before", "nach": "shortly_after"}
#: Approximation words: "gegen 14 Uhr", "etwa", "ca.".
APPROX: frozenset[str] = frozenset(
    {"gegen", "etwa", "ca", "circa", "zirka", "rund", "ungefähr", "ungefaehr", "annähernd"}
)
#: "um die 8 Uhr" is approximate too.
APPROX_UM_DIE = ("um", "die")
#: Words that name the reference moment.
NOW: frozenset[str] = frozenset({"inzwischen", "mittlerweile", "derzeit", "aktuell", "zurzeit", "momentan", "jetzt"})
#: "bisher": from the start of the reference day to the reference moment.
BISHER = "bisher"
#: Joins days or clock times.
AND_WORDS: frozenset[str] = frozenset({"und", "sowie"})
#: Week qualifiers: "vergangener Woche", "am vergangenen Montag".
WEEK_PAST: frozenset[str] = frozenset(
    {"vergangener", "vergangenen", "letzter", "letzten", "voriger", "vorigen", "vorherigen"}
)
WEEK_NEXT: frozenset[str] = frozenset({"nächster", "nächsten", "kommender", "kommenden", "naechster", "naechsten"})
WEEK_THIS: frozenset[str] = frozenset({"dieser", "diese", "diesen"})
#: The week itself; "Woche" alone is the reference's week.
WEEK = "woche"
#: "Anfang / Mitte / Ende Dezember", "Anfang der Woche".
MONTH_QUALIFIERS: frozenset[str] = frozenset({"anfang", "mitte", "ende"})
WEEK_START_QUALIFIER = "anfang"
#: Genitive articles between "Anfang" and "Woche".
GENITIVE_ARTICLES: frozenset[str] = frozenset({"der", "des"})
#: "zu Wochenbeginn": Monday and Tuesday.
WEEK_START_WORDS: frozenset[str] = frozenset({"wochenbeginn", "wochenanfang", "wochenstart"})
WEEKEND = "wochenende"
#: Relative days -> offset from the reference day.
RELATIVE_DAYS: dict[str, int] = {
    **dict.fromkeys(("heute", "heutige", "heutigen", "heutiger", "heutiges"), 0),
    **dict.fromkeys(("gestern", "gestrige", "gestrigen", "gestriger", "gestriges"), -1),
    **dict.fromkeys(("vorgestern", "vorgestrige", "vorgestrigen"), -2),
    "übermorgen": 2,
    **dict.fromkeys(("vortag", "vortages", "vortags"), -1),
}
#: Relative-day words whose reading is worth a note.
RELATIVE_DAY_NOTES: dict[str, str] = dict.fromkeys(
    ("vortag", "vortages", "vortags"), "'Vortag' read as the day before the reference day"
)
#: Lower-case "morgen" (tomorrow) is +1 day.
TOMORROW = "morgen"
TOMORROW_OFFSET = 1
#: "im Laufe des Tages", "den ganzen Tag": the whole day.
WHOLE_DAY: frozenset[str] = frozenset({"tag", "tages"})
#: The plain day noun, as in "am zweiten Tag nach den Ferien".
DAY_NOUN = "tag"
#: "Nacht zu Dienstag", "Nacht auf Dienstag": the night before that day.
NIGHT = "nacht"
NIGHT_TO: frozenset[str] = frozenset({"zu", "zum", "auf"})
NIGHT_FROM, NIGHT_FROM_TO = "von", "auf"
#: Units after a number: "vor 2 Tagen", "eine Stunde".
DAY_UNITS: frozenset[str] = frozenset({"tag", "tage", "tagen"})
DURATION_UNITS: frozenset[str] = frozenset({"minute", "minuten", "stunde", "stunden", "sekunde", "sekunden"})
COUNT_UNITS: frozenset[str] = (
    DAY_UNITS | DURATION_UNITS | frozenset({"woche", "wochen", "monat", "monate", "monaten", "jahr", "jahre", "jahren"})
)
#: "innerhalb weniger Minuten", "innerhalb von zwei Stunden": a duration, not a time.
WITHIN = "innerhalb"
#: Words between "innerhalb" and its unit.
WITHIN_WORDS: frozenset[str] = frozenset(
    {"von", "weniger", "wenigen", "einiger", "einigen", "kurzer", "ein", "eine", "einer", "einem", "paar"}
)
#: Words of a trailing duration complement: "von jeweils einigen Minuten".
DURATION_COMPLEMENT_START = "von"
DURATION_COMPLEMENT_WORDS: frozenset[str] = frozenset(
    {"jeweils", "je", "einigen", "wenigen", "ein", "paar", "mehreren", "etwa", "rund", "knapp"}
)
#: Occasion nouns: transparent when the phrase fixes the day ("der heutige Start").
OCCASION: frozenset[str] = frozenset({"start", "störung", "stoerung", "ausfall", "auftakt", "panne", "beginn"})
#: Articles that introduce an occasion's genitive complement ("Start des Distanzunterrichts").
OCCASION_COMPLEMENT: frozenset[str] = frozenset({"des", "der", "dem"})
#: Events and school-calendar days the phrase does not date (unresolvable unless an anchor covers them).
EVENT: frozenset[str] = frozenset(
    {
        "schulstart",
        "schultag",
        "schulwoche",
        "ferien",
        "weihnachtsferien",
        "osterferien",
        "sommerferien",
        "herbstferien",
        "winterferien",
        "weihnachten",
        "ostern",
        "silvester",
        "neujahr",
        "unterrichtsbeginn",
        "unterrichtsbeginns",
        "unterrichtsstunde",
        "unterricht",
        "unterrichts",
        "sitzung",
        "ausschusses",
        "lockdown",
        "lockdowns",
        "homeschooling",
        "homeschoolings",
        "distanzlernens",
        "distanzunterrichts",
        "distanzunterricht",
        "schulstarts",
        "absturz",
        "absturzes",
        "schulferien",
        "ersten",
        "zweiten",
        "dritten",
        "vierten",
        "erste",
        "zweite",
        "dritte",
        "schulbeginn",
        "tags",
        "gleichen",
        "selben",
        "üblichen",
    }
)
#: Durations, frequencies and narrative order: no time.
NO_TIME: frozenset[str] = frozenset(
    {
        "zeitweise",
        "zeitweilig",
        "kurzzeitig",
        "zunächst",
        "zuerst",
        "anfangs",
        "lang",
        "lange",
        "stundenlang",
        "dauerhaft",
        "immer",
        "wieder",
        "mal",
        "später",
        "danach",
        "dann",
        "vorher",
        "minute",
        "minuten",
        "stunde",
        "stunden",
        "sekunde",
        "sekunden",
        "einigen",
        "wenigen",
        "paar",
        "mehreren",
        "einige",
        "wenige",
        "mehrere",
    }
)
#: Vague or open-ended words: no defensible span.
VAGUE: frozenset[str] = frozenset(
    {
        "knapp",
        "mehr",
        "als",
        "weniger",
        "frühjahr",
        "frühling",
        "sommer",
        "herbst",
        "winter",
        "irgendwann",
        "demnächst",
        "bald",
        "kürzlich",
        "neulich",
        "zuletzt",
        "damals",
        "unter",
        "nächsten",
        "nächste",
        "kommenden",
        "kommende",
        "vergangenen",
        "letzten",
        "tagen",
        "tage",
        "wochen",
        "monate",
        "monaten",
        "jahr",
        "jahre",
        "jahren",
        "monat",
    }
)
#: Words before lower-case "morgen" that make it the morning, not tomorrow.
MORNING_CONTEXT: frozenset[str] = frozenset(
    {
        "heute",
        "gestern",
        "vorgestern",
        "am",
        "den",
        "dem",
        "des",
        "zum",
        "jeden",
        "diesen",
        "dieser",
        "diesem",
        "ganzen",
        "früh",
        "frühen",
        "frühe",
        "späten",
        "späte",
        "der",
        "vom",
    }
) | frozenset(WEEKDAYS)

# ---------------------------------------------------------------- words read only with anchors
#: Ordinal words: "am zweiten Tag nach den Ferien" (read only when the caller gives anchors).
ORDINALS: dict[str, int] = {
    f"{stem}{ending}": n
    for stem, n in (
        ("erst", 1),
        ("zweit", 2),
        ("dritt", 3),
        ("viert", 4),
        ("fünft", 5),
        ("fuenft", 5),
        ("sechst", 6),
        ("siebt", 7),
        ("acht", 8),
        ("neunt", 9),
        ("zehnt", 10),
    )
    for ending in ("e", "en", "er", "es", "em")
}
#: "am zweiten Tag nach dem Schulstart": counted from the anchor the following words name.
ANCHOR_AFTER = "nach"
#: Articles between "nach" and the anchor: "nach den Ferien", "nach dem Schulstart".
ANCHOR_ARTICLES: frozenset[str] = frozenset({"dem", "den", "der"})
#: Words after a counted day that attach it to something else ("am ersten Tag des Lockdowns"):
#: the count is then not read as a day of an anchor.
COUNTED_DAY_COMPLEMENT: frozenset[str] = frozenset(
    {"des", "der", "eines", "einer", "dieses", "dieser", "nach", "vor", "seit", "im", "in", "von", "vom"}
)
#: "zur üblichen Zeit des Unterrichtsbeginns": the time anchor itself.
USUAL: frozenset[str] = frozenset({"üblichen", "gewohnten", "normalen"})
TIME_NOUN = "zeit"
#: "in <Ort>": the place whose anchor days apply ("beim Schulstart in <Land>").
PLACE_PREPOSITION = "in"
