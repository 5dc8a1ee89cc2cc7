"""The reader's text, written from the data: what happened, what stays unclear, who said what.

Every sentence of the article page is built here from the processed tables and the incident
descriptor, never typed in, and keeps the reconstruction's honesty: an edge of an outage is
given as the bounds the sources allow ("zwischen 7.30 und 8.30 Uhr", "spätestens um 10 Uhr"), an edge no source bounds is said to be unknown, a disputed edge names both sides with
their outlets, and no point estimate, share or model value appears.

Sentences are :class:`markupsafe.Markup`: the words of this module are trusted, every text
from the data (platform names, outlets, phrases, quotes, labels) is escaped and isolated in
``<bdi>`` so that a right-to-left override in an outlet's name cannot reverse the text after
it. No code, id or English word of the data reaches a sentence: outlets are shortened
(:func:`incident.publish.charts.short_outlet`), platforms and causes carry their German labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup, escape

from incident import german, labels, urls
from incident.evidence.descriptor import Incident
from incident.ids import join_ids, split_ids
from incident.publish.charts import short_outlet
from incident.publish.spelling import Spelling
from incident.publish.wording import UNKNOWN, date_words, multi_day_recovery, quoted, recovery_days, row_bounds_text

#: Phrases and outlets named per side of a dispute; the rest are counted.
MAX_PHRASES, MAX_OUTLETS = 2, 3
#: Witness kinds that speak for an operator or an authority.
OFFICIAL = ("operator", "operator_quoted", "authority")
#: Episode state → (noun after a time, accusative, pronoun): "begann … ein Ausfall", "gab es einen Ausfall", "er".
NOUNS: dict[str, tuple[str, str, str]] = {
    "outage": ("ein Ausfall", "einen Ausfall", "er"),
    "degraded": ("eine Störung", "eine Störung", "sie"),
}
#: Speaker roles that are a party to the story: named as themselves ("laut dem Betreiber"), not by the outlet.
PARTIES = ("operator", "ministry", "authority", "measurement", "school", "association", "politician", "expert")
#: Data-desk notes in parentheses after a headline (where the headline was taken from), not part of it.
_HEADLINE_NOTE = re.compile(
    r"\s*\((?=[^()]*\b(?:from|slug|headline|stored|reconstructed|taken|kicker|teaser)\b)"
    r"[^()]*\)",
    flags=re.IGNORECASE,
)


_HEADLINE_BRACKET = re.compile(r"\s*\[(?=[^\[\]]*\b(?:headline|slug|excerpt|stored)\b)[^\[\]]*\]", flags=re.IGNORECASE)


def bdi(text: object) -> Markup:
    """Text from the data, escaped and isolated (``<bdi>``)."""
    return Markup("<bdi>{}</bdi>").format("" if text is None else str(text))


def join(items: Iterable[Markup | str], *, last: str = "und") -> Markup:
    """``A, B und C`` of already-safe parts (plain strings are escaped)."""
    parts = [escape(i) for i in items if i]
    if len(parts) <= 1:
        return Markup("").join(parts)
    return Markup(", ").join(parts[:-1]) + Markup(f" {last} ") + parts[-1]


def headline(text: object) -> str:
    """A source's headline without the notes the data desk put in parentheses or brackets after or instead of it
    (where the headline was taken from); a headline that is only such a note is said to be missing."""
    clean = _HEADLINE_BRACKET.sub("", _HEADLINE_NOTE.sub("", str(text or ""))).strip()
    return clean or ("Überschrift nicht überliefert" if str(text or "").strip() else "")


def display_host(url: object) -> str:
    """The real host of an address as shown next to an outlet (``'waz.de'``), ``''`` when none."""
    host = urls.host(url)
    return host[4:] if host.startswith("www.") else host


def _day(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def day_words(day: object) -> str:
    """``'Mo. 11.1.'`` (several days joined), ``''`` for none."""
    days = [d for d in split_ids(_day(day))] if isinstance(day, str) else [_day(day)]
    return german.join(german.day_short(pd.Timestamp(d).date()) for d in days if d)


def _phrases(cell: object, limit: int = MAX_PHRASES) -> Markup:
    """The German phrases of a side, quoted; those naming a time first, the rest counted."""
    seen: dict[str, str] = {}
    for p in re.split(r"\s*[|;]\s*", str(cell or "")):
        if p.strip() and p.strip().casefold() not in seen:
            seen[p.strip().casefold()] = p.strip()
    phrases = list(seen.values())
    if not phrases:
        return Markup("")
    ranked = sorted(phrases, key=lambda p: (not re.search(r"\d|Uhr|Mittag|Nachmittag|Vormittag", p), phrases.index(p)))
    # a single phrase more is named rather than counted ("und eine weitere Angabe" says less than the phrase)
    shown = [Markup("„{}“").format(bdi(p)) for p in ranked[: limit + 1 if len(ranked) == limit + 1 else limit]]
    rest = len(phrases) - len(shown)
    if rest:
        return join([*shown, Markup(german.count_words(rest, "weitere Angabe", "weitere Angaben"))])
    return join(shown, last="und")


def _more(rest: int) -> str:
    """``'einer weiteren Quelle'``, ``'zwei weiteren Quellen'``: the outlets not named (dative, words up to twelve)."""
    return "einer weiteren Quelle" if rest == 1 else german.count_words(rest, "", "weiteren Quellen")


def day_text(day: object) -> str:
    """``'Montag, 11. Januar'`` (several days joined): a day in running text; ``''`` for none."""
    days = [d for d in split_ids(_day(day))] if isinstance(day, str) else [_day(day)]
    return german.join(german.day_text(pd.Timestamp(d).date()) for d in days if d)


def _on_day(day: object) -> Markup:
    """``'am Montag, 11. Januar,'``: the day as an apposition inside a sentence (dpa sets it off by commas)."""
    text = day_text(day)
    return Markup("am {},").format(text) if text else Markup("")


def _clause(bounds: str) -> str:
    """A bound as an adverbial: ``'8 Uhr'`` → ``'um 8 Uhr'``, ``'spätestens 8 Uhr'`` → ``'spätestens um 8 Uhr'``."""
    if bounds and bounds[0].isdigit():
        return f"um {bounds}"
    return re.sub(r"^(spätestens|frühestens) (\d)", r"\1 um \2", bounds)


@dataclass
class Evidence:
    """Outlets, addresses and hosts behind claim and source ids."""

    tables: dict[str, pd.DataFrame]
    outlet: dict[str, str] = field(init=False)
    url: dict[str, str] = field(init=False)
    kind: dict[str, str] = field(init=False)
    source_of: dict[str, str] = field(init=False)
    claim: dict[str, dict] = field(init=False)
    spell: Spelling = field(init=False)

    def __post_init__(self) -> None:
        s = self.tables["sources"]
        self.spell = Spelling.from_tables(self.tables)
        self.outlet = {str(k): self.spell.display(short_outlet(str(v))) for k, v in zip(s["source_id"], s["outlet"])}
        self.url = {str(k): str(v) for k, v in zip(s["source_id"], s["url"])}
        self.kind = {str(k): str(v) for k, v in zip(s["source_id"], s["kind"])} if "kind" in s.columns else {}
        c = self.tables["claims_resolved"]
        self.source_of = dict(zip(c["claim_id"].astype(str), c["source_id"].astype(str)))
        cols = [
            x
            for x in (
                "speaker_de",
                "speaker_role",
                "speaker_name",
                "speaker_org",
                "quote_verbatim",
                "quote",
                "day_text",
                "time_text",
                "was",
                "scope_de",
            )
            if x in c.columns
        ]
        self.claim = {str(k): dict(zip(cols, v)) for k, v in zip(c["claim_id"], c[cols].itertuples(index=False))}

    def who(self, claim_ids: object, limit: int = MAX_OUTLETS, *, words: bool = False) -> Markup:
        """Who says it, joined (see :meth:`names`)."""
        names = self.names(claim_ids, words=words)
        shown = [bdi(n) for n in names[:limit]]
        rest = len(names) - len(shown)
        if rest:
            shown.append(Markup(_more(rest)))
        return join(shown)

    def names(self, claim_ids: object, *, words: bool = False) -> list[str]:
        """Who says it: the speaker the data desk named for each claim (``speaker_de``) where the speaker is
        a party (operator, ministry, authority, a counter), else the outlet; each once.

        ``words=True`` (a time phrase, not a figure or a statement): the speaker only where the phrase is in
        the speaker's own words (a verbatim quote, or the party's own channel); a time an outlet wrote
        around a quote ("erklärte am Dienstagmorgen") is the outlet's."""
        names: list[str] = []
        for i in split_ids(claim_ids):
            row = self.claim.get(i)
            if row is None:
                continue
            speaker = str(row.get("speaker_de", "") or "")
            party = str(row.get("speaker_role", "") or "") in PARTIES
            if words:
                own = self.kind.get(self.source_of.get(i, ""), "") in ("press_release", "operator_statement")
                said = str(row.get("quote", "") or "").casefold()
                phrase = str(row.get("time_text", "") or row.get("day_text", "") or "").casefold()
                in_quote = bool(phrase) and str(row.get("quote_verbatim", "")) == "yes" and phrase in said
                party = party and (own or in_quote)
            name = self.spell.fix(speaker) if party and speaker else self.outlet.get(self.source_of.get(i, ""), "")
            if name and name not in names:
                names.append(name)
        return names

    def sources_of(self, claim_ids: object) -> list[str]:
        """Source ids behind ``'; '``-separated claim ids, in id order."""
        return sorted({self.source_of[i] for i in split_ids(claim_ids) if i in self.source_of})

    def outlets(self, source_ids: Iterable[str]) -> list[str]:
        """Short outlet names of source ids, each once, sorted."""
        return sorted({self.outlet[s] for s in source_ids if s in self.outlet}, key=lambda o: (o.casefold(), o))

    def named(self, source_ids: Iterable[str], limit: int = MAX_OUTLETS) -> Markup:
        """``WAZ, WDR und 3 weiteren Quellen`` (dative, after "laut" or in parentheses)."""
        names = self.outlets(source_ids)
        shown = [bdi(n) for n in names[:limit]]
        rest = len(names) - len(shown)
        if rest:
            return join([*shown, Markup(_more(rest))])
        return join(shown)


# ---------------------------------------------------------------------------- the summary


@dataclass
class Summary:
    """Everything the article page says in words.

    Attributes:
        happened: ``(day heading, sentences)`` per day: what happened to the article's platforms.
        unclear: What stays unclear (open and disputed edges, figures that disagree, claims left out).
        said: ``(day heading, sentences)``: operators' and authorities' statements set against the reports
            (statements that name no day last).
        conflicts: Every dispute as a sentence with both sides' outlets.
        statements: Rows of the statements table (Wann, Plattform, Aussage, Quelle).
        figures: Rows of the figures table (Was gezählt wurde, Zahl, Quellen).
        numbers: Counts for the method text.
        local: ``(day heading, sentences)``: reports of one school, one place or one user about the article's
            platforms: beside the Ablauf, never an edge of it.
    """

    happened: list[tuple[str, list[Markup]]]
    unclear: list[Markup]
    said: list[tuple[str, list[Markup]]]
    conflicts: list[Markup]
    statements: list[dict[str, Markup]]
    figures: list[dict[str, Markup]]
    numbers: dict[str, str]
    local: list[tuple[str, list[Markup]]] = field(default_factory=list)


def _episodes(tables: dict[str, pd.DataFrame], incident: Incident) -> pd.DataFrame:
    seq = tables["sequence"]
    seq = seq[seq["platform"].isin(incident.article_platforms)]
    rank = {p: i for i, p in enumerate(incident.article_platforms)}
    return seq.assign(_r=seq["platform"].map(rank), _d=seq["day"].map(_day)).sort_values(["_d", "_r", "episode"])


def _sides(c, ev: Evidence) -> Markup:
    return Markup("{} ({}) gegen {} ({})").format(
        _phrases(c.side_a_phrases),
        ev.named(split_ids(c.side_a_source_ids)),
        _phrases(c.side_b_phrases),
        ev.named(split_ids(c.side_b_source_ids)),
    )


def _reports(ev: Evidence, c, side: str) -> Markup:
    """``'WAZ und WDR: „am Montag“'``: the outlets of a side of a statement conflict and its phrases, if any."""
    named = ev.named(split_ids(getattr(c, f"side_{side}_source_ids")))
    phrases = _phrases(getattr(c, f"side_{side}_phrases"))
    return Markup("{}: {}").format(named, phrases) if phrases else named


def _edge_conflicts(tables: dict[str, pd.DataFrame], w, edge: str) -> list:
    c = tables["conflicts"]
    mine = c["conflict_id"].isin(set(split_ids(w.conflict_ids))) | (c["episode_id"] == w.episode_id)
    return [x for x in c[mine & (c["event"] == edge)].itertuples()]


def _bounding_claims(tables: dict[str, pd.DataFrame], episode_id: str, edge: str) -> dict[str, str]:
    """``{claim id: phrase}`` of every claim that names an edge of an episode (an end by then, a start from
    then on) in the constraints table, whether or not it is in the published consistent set."""
    k = tables.get("constraints")
    if k is None or not len(k) or "episode_id" not in k.columns:
        return {}
    mine = k[k["episode_id"] == episode_id]
    # the side that names the edge itself: an end by then ("inzwischen behoben"), a start from then on
    side = f"{edge}_hi" if edge == "recovery" else f"{edge}_lo"
    if side not in mine.columns:
        return {}
    mine = mine[mine[side].notna()]
    return {str(c): str(p or "") for c, p in zip(mine["claim_id"], mine["phrase"])}


def _laut(ev: Evidence, claim_ids: object, *, style: int = 0, bound: str = "", phrases: object = "") -> Markup:
    """Who set a bound, in the nominative the data desk wrote: ``' (so <Sprecher> und <Medium>)'`` or, for a
    second sentence in a row, ``', so <Sprecher> und <Medium>'`` (a reporter varies the attribution).

    A clock time the page derived from a source's words ("spätestens um 9.30 Uhr" from „gegen 9 Uhr“) is
    not what the source said: its words come first, ``' („gegen 9 Uhr“, so NRZ)'``.
    """
    who = ev.who(claim_ids, words=True)
    if not who:
        return Markup("")
    words = quoted(str(phrases or "")) if bound and "„" not in bound and re.search(r"\d", bound) else ""
    if words:
        return Markup(" ({}, so {})").format(words, who)
    return Markup(" (so {})").format(who) if style % 2 == 0 else Markup(", so {}").format(who)


def _cap(text: Markup | str) -> Markup:
    """The first letter upper-case (a sentence that starts with a bound: "Spätestens um 11 Uhr …")."""
    text = Markup(text) if isinstance(text, Markup) else escape(text)
    tag = "<bdi>" if text.startswith("<bdi>") else ""
    body = text[len(tag) :]
    return Markup(tag) + Markup(body[:1].upper()) + Markup(body[1:]) if body else text


def _definite(noun: str) -> str:
    """``'ein Ausfall'`` → ``'der Ausfall'``, ``'eine Störung'`` → ``'die Störung'`` (the thing already named)."""
    return noun.replace("ein Ausfall", "der Ausfall", 1).replace("eine Störung", "die Störung", 1)


def _counted(n: int, n_on: int, n_off: int, dissent: int, *, variant: int) -> Markup:
    """How many independent sources report an episode and how many give a time for each edge, varied from
    one sentence to the next: "Zehn unabhängige Quellen berichten davon; …" / "Davon berichten …"."""
    sources = german.count_words(n, "unabhängige Quelle", "unabhängige Quellen")
    verb = "berichtet" if n == 1 else "berichten"
    head = (
        Markup("{} {} davon").format(_cap(sources), verb)
        if variant % 2 == 0
        else Markup("Davon {} {}").format(verb, sources)
    )
    parts = [(k, edge) for k, edge in ((n_on, "den Beginn"), (n_off, "das Ende")) if k]
    if n == 1 and parts and all(k == 1 for k, _ in parts) and not dissent:  # the one source gives the times
        return Markup("Eine unabhängige Quelle berichtet davon und nennt eine Zeit für {}.").format(
            join([edge for _, edge in parts])
        )
    said = []
    for j, (k, edge) in enumerate(parts):
        word, verb = german.count_words(k, "", "").strip(), "nennt" if k == 1 else "nennen"
        if j:
            said.append(
                Markup("{} für {}").format(word, edge) if variant % 2 == 0 else Markup("für {} {}").format(edge, word)
            )
        elif variant % 2 == 0:
            said.append(Markup("{} {} eine Zeit für {}").format(word, verb, edge))
        else:
            said.append(Markup("eine Zeit für {} {} {}").format(edge, verb, word))
    if said:
        head += Markup("; ") + Markup(", ").join(said)
    if dissent:
        head += Markup("; {} (unter „Widersprüche“)").format(
            german.count_words(dissent, "Quelle widerspricht", "Quellen widersprechen")
        )
    return head + Markup(".")


def _happened(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> list[tuple[str, list[Markup]]]:
    """One paragraph per episode of the article's platforms, under its day's heading: the onset and the end
    as the sources bound them, with who says so; a side that is only a part of the day in the source's
    words; what no source bounds said to be unknown; how many independent sources report it and bound
    each edge. The day is the heading and is not repeated; the sentences vary from one paragraph to the
    next as a reporter's would, with every bound and every name kept. The platforms the article does not
    follow come last, named in one sentence per day."""
    tz = incident.timezone
    out: dict[str, list[Markup]] = {}
    for w in _episodes(tables, incident).itertuples():
        day = _day(w.day)
        i = len(out.get(day, []))  # the paragraph's place under its day: the wording varies with it
        name = bdi(incident.platform_name(w.platform))
        on = row_bounds_text(w, "onset", tz=tz, day=day)
        off = row_bounds_text(w, "recovery", tz=tz, day=day)
        disputed = split_ids(w.disputed)
        # "Bei X begann … ein Ausfall": right whatever the platform's name, its gender or number (a plural name)
        noun, acc, pron = NOUNS[w.state if w.state in NOUNS else "degraded"]
        if getattr(w, "pattern", "") == "intermittent":
            noun, acc = f"{noun} mit Unterbrechungen", f"{acc} mit Unterbrechungen"
        no_start = False
        if "onset" in disputed:
            sides = join(_sides(c, ev) for c in _edge_conflicts(tables, w, "onset"))
            if sides:
                head = Markup("Bei {} gab es {}. Wann {} begann, ist umstritten: {}").format(name, acc, pron, sides)
            else:  # equally large sets of sources that agree among themselves, with no single dissent to name
                head = Markup(
                    "Bei {} gab es {}. Wann {} begann, lässt sich aus den Quellen nicht eindeutig sagen: {}"
                ).format(name, acc, pron, on)
        elif on == UNKNOWN:
            head = Markup("Bei {} gab es {}").format(name, acc)
            no_start = True
        elif on.startswith("„"):  # one phrase of the source sets both sides: it is the bound
            head = Markup("Bei {} gab es {} {}{}").format(
                name, acc, on, _laut(ev, w.onset_claim_ids, style=i, bound=on, phrases=w.onset_phrases)
            )
        elif i % 3 == 1:
            head = Markup("{} begann bei {} {}{}").format(
                _cap(_clause(on)), name, noun, _laut(ev, w.onset_claim_ids, style=i, bound=on, phrases=w.onset_phrases)
            )
        elif i % 3 == 2:
            head = Markup("{} bei {} begann {}{}").format(
                _cap(_definite(noun)),
                name,
                _clause(on),
                _laut(ev, w.onset_claim_ids, style=i, bound=on, phrases=w.onset_phrases),
            )
        else:
            head = Markup("Bei {} begann {} {}{}").format(
                name, _clause(on), noun, _laut(ev, w.onset_claim_ids, style=i, bound=on, phrases=w.onset_phrases)
            )
        if "recovery" in disputed:
            sides = join(_sides(c, ev) for c in _edge_conflicts(tables, w, "recovery"))
            bounded = _bounding_claims(tables, w.episode_id, "recovery")
            if sides:
                tail = Markup("Wann {} endete, ist umstritten: {}").format(pron, sides)
            elif off != UNKNOWN:
                tail = Markup("Wann {} endete, lässt sich aus den Quellen nicht eindeutig sagen: {}").format(pron, off)
            elif bounded:  # only sources that others contradict name an end: said, with their words
                tail = Markup(
                    "Wann {} endete, ist umstritten: Ein Ende nennt nur {} ({}), und deren Angaben widersprechen "
                    "anderen Quellen"
                ).format(pron, ev.who("; ".join(bounded), words=True), _phrases(" | ".join(bounded.values())))
            else:
                tail = Markup("Wann {} endete, sagt keine Quelle").format(pron)
        elif off == UNKNOWN and no_start:
            tail = Markup("Wann {} begann und wann {} endete, sagt keine Quelle").format(pron, pron)
        elif (ended := recovery_days(w, tz, day)) is not None:  # the end on a later day: its day named
            if ended[1] is None:
                tail = Markup("{} dauerte mindestens bis zum {}{}; wann {} endete, sagt keine Quelle").format(
                    _cap(pron), date_words(ended[0]), _laut(ev, w.recovery_claim_ids), pron
                )
            elif ended[0] == ended[1]:
                tail = Markup("{} endete am {} {}{}").format(
                    _cap(pron),
                    date_words(ended[0]),
                    _clause(row_bounds_text(w, "recovery", tz=tz, day=ended[0].isoformat())),
                    _laut(ev, w.recovery_claim_ids),
                )
            else:
                tail = Markup("{} endete {}{}").format(
                    _cap(pron), multi_day_recovery(w, tz, *ended), _laut(ev, w.recovery_claim_ids)
                )
        elif off == UNKNOWN:
            tail = (
                Markup("Wann {} endete, sagt keine Quelle").format(pron)
                if i % 2 == 0
                else Markup("Ein Ende nennt keine Quelle")
            )
        elif off.startswith("frühestens „") and "spätestens" not in off:  # still disrupted then, in its words
            tail = Markup("{} hielt noch {} an{}; wann {} endete, sagt keine Quelle").format(
                _cap(pron),
                off.removeprefix("frühestens "),
                _laut(ev, w.recovery_claim_ids, style=i, bound=off, phrases=w.recovery_phrases),
                pron,
            )
        elif off.startswith("frühestens") and "spätestens" not in off:
            tail = Markup("{} dauerte mindestens bis {}{}; wann {} endete, sagt keine Quelle").format(
                _cap(pron),
                off.removeprefix("frühestens "),
                _laut(ev, w.recovery_claim_ids, style=i, bound=off, phrases=w.recovery_phrases),
                pron,
            )
        else:
            tail = Markup("{} endete {}{}").format(
                _cap(pron),
                _clause(off),
                _laut(ev, w.recovery_claim_ids, style=i, bound=off, phrases=w.recovery_phrases),
            )
        if no_start and "recovery" not in disputed and off != UNKNOWN:
            tail = Markup("Seit wann, sagt keine Quelle. ") + tail
        n = int(w.n_independent_sources)
        n_on, n_off = int(getattr(w, "onset_n_sources", 0)), int(getattr(w, "recovery_n_sources", 0))
        dissent = int(w.n_dissenting) if not disputed else 0
        sentence = Markup("{}. {}. {}").format(head, tail, _counted(n, n_on, n_off, dissent, variant=i))
        out.setdefault(day, []).append(sentence)
    # then the rest: the platforms the article does not follow, named once per day after its own
    for day, names in _other_platforms(tables, incident).items():
        lead = "Gemeldet wurden außerdem" if out.get(day) else "Gemeldet wurden"
        out.setdefault(day, []).append(
            Markup("{} Störungen bei {}; ihre Zeiten stehen in den Daten zum Herunterladen.").format(
                lead, join(bdi(n) for n in names)
            )
        )
    return [(german.day_long(pd.Timestamp(d).date()), out[d]) for d in sorted(out)]


def _other_platforms(tables: dict[str, pd.DataFrame], incident: Incident) -> dict[str, list[str]]:
    """``{day: [German names]}`` of the platforms with an episode that the article does not follow, in the
    descriptor's order."""
    seq = tables["sequence"]
    article = set(incident.article_platforms)
    order = {p.id: i for i, p in enumerate(incident.platforms)}
    rest = seq[~seq["platform"].isin(article) & ~seq["platform"].isin(incident.context_ids)]
    out: dict[str, list[str]] = {}
    for day, grp in rest.assign(_d=rest["day"].map(_day)).groupby("_d", sort=True):
        ids = sorted(set(grp["platform"]), key=lambda p: (order.get(p, len(order)), p))
        out[str(day)] = list(dict.fromkeys(incident.platform_name(p) for p in ids))
    return out


def _relevant(tables: dict[str, pd.DataFrame], incident: Incident) -> pd.DataFrame:
    """Conflicts about an article platform, or about a figure the article may cite."""
    c = tables["conflicts"]
    article = set(incident.article_platforms)
    on_platform = c["platform"].map(lambda p: bool(set(split_ids(p)) & article))
    cited = c["quantity"].isin(set(incident.factbox_quantities)) & (c["conflict_type"] == "figure")
    return c[(on_platform | cited).astype(bool)]  # an empty object mask would select columns


def _figure_groups(rows: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """``[(label of the figures, source ids)]`` of a quantity's conflicts, in value order."""
    groups: dict[str, set[str]] = {}
    order: dict[str, float] = {}
    for c in rows.itertuples():
        for s in "ab":
            values = [float(v) for v in str(getattr(c, f"side_{s}_label")).split(";") if v.strip()]
            if not values:
                continue
            text = german.join([german.number(v) for v in values], last="oder")
            groups.setdefault(text, set()).update(split_ids(getattr(c, f"side_{s}_source_ids")))
            order[text] = min(values)
    return [(t, sorted(groups[t])) for t in sorted(groups, key=lambda t: order[t])]


def _cause(code: str, incident: Incident) -> str:
    return labels.label(labels.CAUSES, code, extra=incident.labels.get("causes")) if code else ""


def _conflicts(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> tuple[list[Markup], dict]:
    rel = _relevant(tables, incident)
    out: list[Markup] = []
    seq = tables["sequence"].set_index("episode_id") if len(tables["sequence"]) else None
    counts = {"time": 0, "statement": 0, "figure": 0, "cause": 0}
    for c in rel[rel["conflict_type"] == "time"].itertuples():
        counts["time"] += 1
        name = bdi(incident.platform_name(c.platform))
        when = _on_day(c.day)
        state = seq.loc[c.episode_id, "state"] if seq is not None and c.episode_id in seq.index else "outage"
        noun = NOUNS[state if state in NOUNS else "degraded"][1].replace("einen ", "der ").replace("eine ", "die ")
        if c.event == "recovery":
            lead = Markup("Wann {} bei {} {} endete, ist umstritten").format(noun, name, when)
        else:
            lead = Markup("Wann {} bei {} {} begann, ist umstritten").format(noun, name, when)
        out.append(Markup("{}: {}.").format(lead, _sides(c, ev)))
    for c in rel[rel["conflict_type"] == "statement"].itertuples():
        counts["statement"] += 1
        stable_side = "b" if "stabil" in str(c.side_b_label) else "a"
        report_side = "a" if stable_side == "b" else "b"
        out.append(
            Markup(
                "Ob bei {} {} alles stabil lief, ist umstritten: Stabilen Betrieb {} {}; dagegen stehen "
                "Meldungen von Störungen ({})."
            ).format(
                bdi(incident.platform_name(c.platform)),
                _on_day(c.day),
                "meldete" if len(ev.names(getattr(c, f"side_{stable_side}_claim_ids"))) == 1 else "meldeten",
                ev.who(getattr(c, f"side_{stable_side}_claim_ids")),
                _reports(ev, c, report_side),
            )
        )
    figures = rel[rel["conflict_type"] == "figure"]
    for key in dict.fromkeys(figures["quantity"]):
        counts["figure"] += 1
        q = incident.quantity(key)
        groups = _figure_groups(figures[figures["quantity"] == key])
        parts = [Markup("{} ({})").format(text, ev.named(ids)) for text, ids in groups]
        out.append(
            Markup("Für dieselbe Größe, {}, nennen die Quellen Zahlen, die sich ausschließen: {}.").format(
                bdi(q.label if q else key), Markup(" gegen ").join(parts)
            )
        )
    causes = rel[rel["conflict_type"] == "cause"]
    for c in causes.itertuples():
        counts["cause"] += 1
        out.append(
            Markup(
                "Als Ursache der Störung bei {} {} nennen die Quellen Erklärungen, die keine von ihnen "
                "verbindet: {} ({}) und {} ({})."
            ).format(
                bdi(incident.platform_name(c.platform)),
                _on_day(c.day),
                bdi(_cause(c.side_a_label, incident)),
                ev.named(split_ids(c.side_a_source_ids)),
                bdi(_cause(c.side_b_label, incident)),
                ev.named(split_ids(c.side_b_source_ids)),
            )
        )
    return out, counts


def _unclear(tables: dict[str, pd.DataFrame], incident: Incident, counts: dict) -> list[Markup]:
    tz = incident.timezone
    ep = _episodes(tables, incident)
    out: list[Markup] = []

    def names(rows) -> Markup:
        """``'Alpha und Beta am Montag, 4. März, sowie …'``: the platforms, grouped by their day."""
        by_day: dict[str, list] = {}
        for w in rows:
            by_day.setdefault(_day(w.day), []).append(bdi(incident.platform_name(w.platform)))
        groups = [Markup("{} am {}").format(join(names), day_text(d)) for d, names in by_day.items()]
        if len(groups) == 1:
            return groups[0]
        return Markup(", ").join(groups[:-1]) + Markup(", sowie ") + groups[-1]

    no_end = [w for w in ep.itertuples() if pd.isna(w.recovery_latest) and "recovery" not in split_ids(w.disputed)]
    if no_end:
        out.append(
            Markup("Für {} der {} Störungen nennt keine Quelle, bis wann sie {}: {}.").format(
                german.count_words(len(no_end), "", "").strip(),
                german.count_words(len(ep), "", "").strip(),
                "dauerte" if len(no_end) == 1 else "dauerten",
                names(no_end),
            )
        )
    only_latest = [
        w
        for w in ep.itertuples()
        if pd.isna(w.onset_earliest) and not pd.isna(w.onset_latest) and "onset" not in split_ids(w.disputed)
    ]
    if only_latest:
        out.append(
            Markup("Bei {} sagen die Quellen nur, wann sie spätestens begonnen hatten, nicht seit wann: {}.").format(
                german.count_words(len(only_latest), "Störung", "Störungen"), names(only_latest)
            )
        )
    no_onset = [w for w in ep.itertuples() if pd.isna(w.onset_earliest) and pd.isna(w.onset_latest)]
    if no_onset:
        out.append(Markup("Keinen Beginn nennt eine Quelle bei: {}.").format(names(no_onset)))
    disputed: list[Markup] = []
    sides_named = False
    for w in ep.itertuples():
        for edge, word in (("onset", "der Beginn"), ("recovery", "das Ende")):
            if edge not in split_ids(w.disputed):
                continue
            bounds = row_bounds_text(w, edge, tz=tz, day=_day(w.day))
            named = bool(_edge_conflicts(tables, w, edge))
            sides_named = sides_named or named
            disputed.append(
                Markup("Umstritten ist {}{} bei {} am {}: {}{}.").format(
                    "auch " if disputed else "",
                    word,
                    bdi(incident.platform_name(w.platform)),
                    day_text(w.day),
                    Markup("Alle Angaben zusammen: {}").format(bounds)
                    if bounds != UNKNOWN
                    else Markup("Zusammen setzen die Angaben keine Grenze"),
                    "" if named else Markup(", weil sich die Angaben einer Quelle mit anderen nicht vertragen"),
                )
            )
    if disputed:
        if sides_named:
            disputed.append(Markup("Die Seiten stehen unter „Widersprüche“."))
        out.append(Markup(" ").join(disputed))
    if counts["figure"] or counts["cause"]:
        parts = []
        if counts["figure"]:
            parts.append(
                Markup("für {} Zahlen, die sich ausschließen").format(
                    german.count_words(counts["figure"], "Größe", "Größen")
                )
            )
        if counts["cause"]:
            parts.append(
                Markup("für {} Ursachen, die keine Quelle verbindet").format(
                    german.count_words(counts["cause"], "Störung", "Störungen")
                )
            )
        out.append(Markup("Die Quellen nennen {} (Einzelheiten unter „Widersprüche“).").format(join(parts)))
    unresolved = tables.get("unresolved", pd.DataFrame(columns=["phrase"]))
    flags = tables.get("flags", pd.DataFrame(columns=["claim_id", "on_timeline"]))
    off = flags.loc[~flags["on_timeline"].astype(bool), "claim_id"].nunique() if len(flags) else 0
    if len(unresolved) or off:
        phrases = unresolved.loc[unresolved["phrase"] != "", "phrase"] if len(unresolved) else pd.Series(dtype=str)
        example = ""
        if len(phrases):
            top = phrases.value_counts()
            example = Markup(" (etwa „{}“)").format(bdi(sorted(top[top == top.max()].index)[0]))
        out.append(
            Markup(
                "{} keine Zeit, die sich auf die Uhr legen lässt{}; {} andere Tage. Sie fehlen im Ablauf, "
                "stehen aber in den Daten zum Herunterladen."
            ).format(
                _cap(german.count_words(len(unresolved), "Angabe nennt", "Angaben nennen")),
                example,
                german.count_words(
                    int(off), "Angabe ist falsch datiert oder betrifft", "Angaben sind falsch datiert oder betreffen"
                ),
            )
        )
    return out


def _statement_claims(tables: dict[str, pd.DataFrame], incident: Incident) -> pd.DataFrame:
    """Official statements about the article's platforms, with the day their phrase names (``sday``, '' when
    none); statements about days outside the incident window are left out."""
    c = tables["claims_resolved"]
    article = set(incident.article_platforms)
    said = c[(c["table"] == "statements") & c["witness"].isin(OFFICIAL) & c["event"].isin(labels.STATEMENTS)]
    if "on_timeline" in said.columns:  # a statement from before the incident (December 2020) is not about it
        said = said[said["on_timeline"].astype(bool)]
    # (a boolean mask even when nothing is left: an empty object Series would select columns)
    said = said[said["platform"].map(lambda p: bool(set(split_ids(p)) & article)).astype(bool)]
    said = said.assign(
        sday=[
            (
                s.tz_convert(incident.timezone).date().isoformat()
                if not pd.isna(s) and not pd.isna(e) and (e - s) <= pd.Timedelta(days=1)
                else ""
            )
            for s, e in zip(said["start"], said["end"])
        ]
    )
    window = {d.isoformat() for d in incident.days}
    # a statement whose span lies outside the window, or whose row records a day outside it (a December
    # remark), is not about the incident
    w0 = pd.Timestamp(incident.days[0]).tz_localize(incident.timezone)
    w1 = pd.Timestamp(incident.days[-1]).tz_localize(incident.timezone) + pd.Timedelta(days=1)
    said = said[~((said["end"] <= w0) | (said["start"] >= w1)).fillna(False)]
    recorded = said["refers_to_day"].fillna("") if "refers_to_day" in said.columns else pd.Series("", index=said.index)
    inside = (recorded == "") | recorded.isin(window)
    return said[((said["sday"] == "") | said["sday"].isin(window)) & inside]


def _verbatim(c, ev: Evidence) -> str:
    """The claim's quote when the data desk found it verbatim on the stored page, else ''."""
    row = ev.claim.get(str(c.claim_id), {})
    return str(c.quote or "").strip() if str(row.get("quote_verbatim", "")) == "yes" else ""


def _quote_end(quotes: list[str]) -> Markup:
    """``': „…“.'`` with the first verbatim quote, or ``'.'``; no second full stop after a quote that ends a sentence."""
    if not quotes:
        return Markup(".")
    quote = quotes[0].strip()
    return Markup(": „{}“{}").format(bdi(quote), "" if quote.endswith((".", "!", "?", "…")) else ".")


def _by_day(items: list[tuple[str, Markup]]) -> list[tuple[str, list[Markup]]]:
    """``[(day heading, sentences)]`` in day order; what names no day last, under "Ohne Tagesangabe"."""
    groups: dict[str, list[Markup]] = {}
    for day, sentence in sorted(items, key=lambda x: (x[0] == "", x[0])):
        groups.setdefault(day, []).append(sentence)
    return [(german.day_long(pd.Timestamp(d).date()) if d else "Ohne Tagesangabe", s) for d, s in groups.items()]


def _said(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> list[tuple[str, list[Markup]]]:
    """Who said what about the article's platforms, under the day it was said for: every distinct statement
    once, in the data desk's German words naming the speaker, with the outlets that printed it; quotation
    marks only for verbatim words. A statement that the platform ran stably is set against the reports of
    trouble on that day."""
    out: list[tuple[str, Markup]] = []
    rel = _relevant(tables, incident)
    for c in rel[rel["conflict_type"] == "statement"].itertuples():
        stable_side = "b" if "stabil" in str(c.side_b_label) else "a"
        report_side = "a" if stable_side == "b" else "b"
        out.append(
            (
                _day(c.day).split(";")[0].strip(),
                Markup("Dass {} stabil lief, {} {}; dagegen stehen Meldungen von Störungen ({}).").format(
                    bdi(incident.platform_name(c.platform)),
                    "sagte" if len(ev.names(getattr(c, f"side_{stable_side}_claim_ids"))) == 1 else "sagten",
                    ev.who(getattr(c, f"side_{stable_side}_claim_ids")),
                    _reports(ev, c, report_side),
                ),
            )
        )
    said = _statement_claims(tables, incident)
    # one sentence per text, speaker, stance and day: copies of one agency text (one account group) that
    # print the same statement are one statement with every outlet named; different texts stay apart,
    # so a paraphrase is never credited to an outlet that did not print it
    seen: dict[tuple, list] = {}
    for c in said.sort_values(["sday", "platform", "claim_id"]).itertuples():
        info = ev.claim.get(str(c.claim_id), {})
        if not str(info.get("was", "") or "").strip():
            continue
        speaker = str(info.get("speaker_name") or info.get("speaker_org") or info.get("speaker_de") or "")
        group = str(getattr(c, "account_group", "") or c.source_id)
        seen.setdefault((c.sday, group, speaker, getattr(c, "says", "") or c.event, _verbatim(c, ev)), []).append(c)
    for (day, _, _, _, _), grp in seen.items():
        was = str(ev.claim[str(grp[0].claim_id)]["was"]).strip()
        quotes = [q for q in (_verbatim(c, ev) for c in grp) if q]
        sentence = Markup("{} ({}){}").format(
            bdi(ev.spell.fix(was).rstrip(".")),
            ev.named(sorted({c.source_id for c in grp})),
            _quote_end(quotes),
        )
        out.append((day or "", sentence))
    return _by_day(out)


def _statement_rows(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> list[dict[str, Markup]]:
    """One row per statement; the same words of the same speaker about the same platform on the same day once,
    with every outlet that printed them. A statement whose phrase names no day is dated by its report."""
    said = _statement_claims(tables, incident)
    sources = tables["sources"].set_index("source_id")
    published = {}
    for sid in sources.index:
        at = sources.loc[sid, "published_at"] if "published_at" in sources.columns else None
        published[sid] = (
            "" if at is None or pd.isna(at) else pd.Timestamp(at).tz_convert(incident.timezone).date().isoformat()
        )
    said = said.assign(report=said["source_id"].map(published).fillna(""))
    said = said.assign(order=[d or r or "9999" for d, r in zip(said["sday"], said["report"])])
    groups: dict[tuple, dict] = {}
    for c in said.sort_values(["order", "start", "claim_id"], na_position="last").itertuples():
        if c.sday:
            when = Markup("{}").format(day_words(c.sday))
            if c.phrase:
                when += Markup(" ({})").format(bdi(quoted(c.phrase)))
        elif c.report:
            when = Markup("ohne Zeitangabe; Bericht vom {}").format(day_words(c.report))
        else:
            when = Markup("ohne Zeitangabe")
        info = ev.claim.get(str(c.claim_id), {})
        who = ev.spell.fix(info.get("speaker_de", ""))
        quote = _verbatim(c, ev)
        key = (str(when), c.platform, who, getattr(c, "says", "") or c.event, quote)
        if key not in groups:
            what = Markup("{}: {}").format(bdi(who), labels.label(labels.SAYS, getattr(c, "says", "") or "other"))
            if quote:
                what += Markup(" – „{}“").format(bdi(quote))
            groups[key] = {
                "Wann": when,
                "Plattform": join(bdi(incident.platform_name(p)) for p in split_ids(c.platform)),
                "Aussage": what,
                "_sources": [],
            }
        groups[key]["_sources"].append(c.source_id)
    rows = []
    for row in groups.values():
        rows.append(
            {
                **{k: v for k, v in row.items() if not k.startswith("_")},
                "Quelle": ev.named(sorted(set(row["_sources"])), limit=3),
            }
        )
    return rows


def _figure_rows(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> list[dict[str, Markup]]:
    """Every figure the article may cite, with its qualifier and window in the source's words and who
    gives it: a party's own figure says so ("laut <Betreiber>")."""
    c = tables["claims_resolved"]
    rows = []
    for key, label in incident.factbox_quantities.items():
        sub = c[(c["quantity"] == key) & c["value"].notna()]
        for value, grp in sub.groupby("value", sort=True):
            unit = grp["unit"].iloc[0]
            unit_de = labels.label(labels.UNITS, unit, extra=incident.labels.get("units")) if unit else ""
            texts = list(dict.fromkeys(t for t in grp["value_text"] if t))
            windows = list(dict.fromkeys(t for t in grp.get("window_text", pd.Series(dtype=str)) if t))
            number = Markup("{} {}").format(german.number(float(value)), unit_de)
            if texts:
                number += Markup(" ({})").format(bdi(quoted(" | ".join(texts[:2]))))
            if windows:
                number += Markup(", gezählt {}").format(bdi(quoted(" | ".join(windows[:2]))))
            rows.append(
                {
                    "Was gezählt wurde": bdi(label),
                    "Zahl": number,
                    "Laut": ev.who(join_ids(grp["claim_id"]), limit=4),
                }
            )
    return rows


def _local(tables: dict[str, pd.DataFrame], incident: Incident, ev: Evidence) -> list[tuple[str, list[Markup]]]:
    """Reports that hold for one school, one place or one person (``scope``), about the article's
    platforms on a day of the window, under their day: each in the desk's German words, with where it
    held and the outlet."""
    c = tables["claims_resolved"]
    if "scope" not in c.columns:
        return []
    article = set(incident.article_platforms)
    window = {d.isoformat() for d in incident.days}
    mine = c[
        c["scope"].isin(["institution", "person", "region"])
        & c["table"].isin(["timeline", "statements"])
        & c["platform"].map(lambda p: bool(set(split_ids(p)) & article))
        & c["refers_to_day"].fillna("").isin(window)
    ]
    out = []
    for day, grp in mine.sort_values(["refers_to_day", "claim_id"]).groupby("refers_to_day", sort=True):
        seen: set[str] = set()
        for r in grp.itertuples():
            was = str(r.was or "").strip()
            if not was or was in seen:
                continue
            seen.add(was)
            where = ev.spell.fix(r.scope_de).strip()
            out.append(
                (
                    _day(day),
                    Markup("{}: {} ({})").format(
                        _cap(bdi(where)) if where else Markup("Örtlich"),
                        bdi(ev.spell.fix(was).rstrip(".")),
                        ev.named([r.source_id]),
                    ),
                )
            )
    return _by_day(out)


def summary(tables: dict[str, pd.DataFrame], incident: Incident) -> Summary:
    """Write the article page's text from the processed tables.

    Args:
        tables: Processed tables, typed (:func:`incident.processed.read`): ``sources``,
            ``claims_resolved``, ``sequence``, ``conflicts``; ``flags`` and ``unresolved`` when present.
        incident: The descriptor (German names, article platforms, quantities, zone).

    Returns:
        The :class:`Summary`.
    """
    ev = Evidence(tables)
    conflicts, counts = _conflicts(tables, incident, ev)
    sources = tables["sources"]
    first = pd.Timestamp(incident.first_day).tz_localize(incident.timezone)
    numbers = {
        "sources": german.count_words(len(sources), "", "").strip(),
        "independent": (
            german.count_words(sources["account_group"].nunique(), "", "").strip() if "account_group" in sources else ""
        ),
        "zone": incident.zone_label(first),
        "episodes": german.number(len(_episodes(tables, incident))),
    }
    return Summary(
        happened=[(d, _flat(s)) for d, s in _happened(tables, incident, ev)],
        unclear=_flat(_unclear(tables, incident, counts)),
        said=[(d, _flat(s)) for d, s in _said(tables, incident, ev)],
        conflicts=_flat(conflicts),
        statements=[{k: _flat([v])[0] for k, v in r.items()} for r in _statement_rows(tables, incident, ev)],
        figures=[{k: _flat([v])[0] for k, v in r.items()} for r in _figure_rows(tables, incident, ev)],
        numbers=numbers,
        local=[(d, _flat(s)) for d, s in _local(tables, incident, ev)],
    )


def _flat(sentences: list[Markup]) -> list[Markup]:
    """No parentheses inside parentheses: the inner ones become brackets (:func:`incident.german.flat_parentheses`)."""
    return [Markup(german.flat_parentheses(str(s))) for s in sentences]
