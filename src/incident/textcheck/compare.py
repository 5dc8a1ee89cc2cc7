"""One sentence against the evidence: findings per checkable part, and the sentence's verdict.

A sentence has up to three checkable parts; each gives a :class:`Finding` with a verdict, the
claim ids it rests on and a German reason that quotes the deciding phrase:

* **Figures** (:func:`check_amount`): every source figure with a matching unit (and, when the
  sentence names platforms, on those platforms' families). A figure that agrees with one
  (:func:`~incident.textcheck.amounts.agrees`) is ``belegt`` — ``umstritten`` when the
  processed ``figures`` table lists its quantity as a conflict and other sources give other
  values, ``genauer als die Quellen`` when it is a plain figure finer than a hedged source
  figure; a figure that agrees with none ``widerspricht`` (the nearest source figure is named);
  no source figure of that unit at all: ``nicht belegt``.
* **Attribution and stance** (:func:`check_attribution`): the statements whose speaker
  fields contain the sentence's speaker keys (names before roles; on the sentence's platforms
  and on the day it names, or undated, when there are such statements). A reported stance of the same polarity as one of theirs
  (:data:`~incident.textcheck.lexicon.POLARITY`) is ``belegt``; only statements of the other
  polarity: ``widerspricht``; no statement of that speaker: ``nicht belegt``. A sentence that
  reports a stance is checked for that only: its event words are the speaker's, not the
  reporter's.
* **Events and times** (:func:`check_event`): onset, recovery and state against the Ablauf
  (``sequence``) of the platform's family on the day the sentence names (or on any day of the
  window): a time outside the bounds of the edge ``widerspricht``; a time inside them but narrower than every source claim
  that bounds the edge and overlaps it is ``genauer als die Quellen``; a time outside the bounds
  that a source left out of the Ablauf's consistent set supports is ``umstritten``; a state ("war gestört")
  is contradicted when it lies before the earliest onset or after the latest recovery, and more
  precise than the sources when its clock time is narrower than every claim of the episode that
  overlaps it ("um 7 Uhr" where the sources say "am frühen Morgen") or when no claim covers that
  time at all — unless the time lies between the latest onset and the earliest recovery, where
  every source agrees the platform was down.
  Attacks and normal operation are compared with the timeline claims of that kind. No episode
  and no claim of the kind on that day: ``nicht belegt``.

The sentence's verdict is the most serious finding (:data:`SEVERITY`); its claim ids and
reasons are those of the findings with that verdict. A sentence with no checkable part is
``belegt`` with no claims.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from incident import german
from incident.textcheck import lexicon as lx
from incident.textcheck.amounts import Amount, agrees, amounts, finer
from incident.textcheck.attribution import Attribution, attribution
from incident.textcheck.evidence import Evidence
from incident.textcheck.mentions import Mentions
from incident.textcheck.times import Times, When
from incident.timeexpr import conventions as cv

BELEGT, UMSTRITTEN, NICHT_BELEGT, GENAUER, WIDERSPRICHT = (
    "belegt",
    "umstritten",
    "nicht belegt",
    "genauer als die Quellen",
    "widerspricht",
)
#: Verdicts from least to most serious.
SEVERITY = (BELEGT, UMSTRITTEN, NICHT_BELEGT, GENAUER, WIDERSPRICHT)
#: Verdicts that make ``check-text`` exit with status 1.
FAILING = frozenset({GENAUER, WIDERSPRICHT})
#: Claims named per finding at most (the reason says how many more).
MAX_IDS = 6
#: A source span at least this much wider than the sentence's makes the sentence more precise (minutes).
PRECISION_MARGIN_MINUTES = 1.0
#: A source span narrower than this is a time of day, not a day.
TIMED_MAX_HOURS = 20


@dataclass
class Finding:
    """The verdict on one checkable part of a sentence."""

    verdict: str
    claim_ids: list[str]
    reason: str


@dataclass
class Checked:
    """The verdict on one sentence (the JSON object of ``check-text``)."""

    line: int
    sentence: str
    verdict: str
    claim_ids: list[str]
    reason: str
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "sentence": self.sentence,
            "verdict": self.verdict,
            "claim_ids": self.claim_ids,
            "reason": self.reason,
        }


def _ids(value: object) -> list[str]:
    return [x.strip() for x in str(value or "").replace(",", ";").split(";") if x.strip()]


def _q(text: str) -> str:
    return f"„{text}“"


def _clock(ts: pd.Timestamp, tz: str) -> str:
    t = pd.Timestamp(ts).tz_convert(tz)
    return f"{t.hour} Uhr" if t.minute == 0 else f"{t.hour}.{t.minute:02d} Uhr"


def _day(d: date) -> str:
    return german.day_long(d).rsplit(" ", 1)[0]


def _span_text(lo, hi, tz: str) -> str:
    if pd.isna(lo) and pd.isna(hi):
        return "keine Zeitangabe"
    if pd.isna(lo):
        return f"spätestens {_clock(hi, tz)}"
    if pd.isna(hi):
        return f"frühestens {_clock(lo, tz)}"
    if lo == hi:
        return _clock(lo, tz)
    return f"zwischen {_clock(lo, tz)} und {_clock(hi, tz)}"


def _minutes(a, b) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() / 60


def _overlaps(s1, e1, s2, e2) -> bool:
    return not (pd.Timestamp(e1) < pd.Timestamp(s2) or pd.Timestamp(s1) > pd.Timestamp(e2))


def _family(mentions: Mentions, platforms: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for p in platforms:
        out |= mentions.family(p)
    return frozenset(out)


# ------------------------------------------------------------------------------ figures


def _agrees(amount: Amount, row: pd.Series) -> bool:
    """A stated figure against one source figure, or against the range a source states."""
    lo, hi = row.get("lo", row["value"]), row.get("hi", row["value"])
    if pd.notna(lo) and pd.notna(hi) and lo < hi:
        tol = lx.APPROX_TOLERANCE if amount.qualifier == "approx" else lx.EXACT_TOLERANCE
        return lo * (1 - tol) <= amount.value <= hi * (1 + tol)
    return agrees(amount.value, amount.qualifier, row["value"], row["qual"])


def check_amount(amount: Amount, family: frozenset[str], ev: Evidence) -> Finding:
    """A stated figure against the source figures of its unit (see the module doc)."""
    units = ev.counts["unit"].fillna("")
    cand = ev.counts[units.map(lambda u: any(f in u for f in amount.units)).astype(bool)]
    if family:
        cand = cand[cand["platforms"].map(lambda ps: bool(ps & family)).astype(bool)]
    if cand.empty and amount.converted:  # the figure in another unit ("eine halbe Stunde" against minutes)
        unit, value = amount.converted[0]
        return check_amount(Amount(value, amount.qualifier, (unit,), amount.text), family, ev)
    if cand.empty:
        return Finding(NICHT_BELEGT, [], f"Keine Quelle nennt eine solche Zahl ({_q(amount.text)}).")
    ok = cand[[_agrees(amount, r) for _, r in cand.iterrows()]]
    if ok.empty:
        ratio = (cand["value"].astype(float) / amount.value).map(lambda r: abs(math.log(r)) if r > 0 else math.inf)
        nearest = cand.loc[ratio.sort_values().index[:3]]
        said = "; ".join(f"{_q(t)} ({c})" for t, c in zip(nearest["value_text"], nearest["claim_id"], strict=True))
        return Finding(
            WIDERSPRICHT,
            list(nearest["claim_id"])[:MAX_IDS],
            f"{_q(amount.text)} widerspricht den Quellen; die nächsten Angaben: {said}.",
        )
    closeness = (ok["value"].astype(float) / amount.value).map(lambda r: abs(math.log(r)) if r > 0 else math.inf)
    ok = ok.loc[closeness.sort_values(kind="stable").index]
    ids = list(dict.fromkeys(ok["claim_id"]))
    if all(finer(amount.value, amount.qualifier, v, q) for v, q in zip(ok["value"], ok["qual"], strict=True)):
        return Finding(
            GENAUER,
            ids[:MAX_IDS],
            f"{_q(amount.text)} ist genauer als die Quellen: {_q(ok['value_text'].iloc[0])} ({ids[0]}).",
        )
    disputed = ev.figures[ev.figures["quantity"].isin(set(ok["quantity"])) & (ev.figures["status"] == "conflict")]
    if not disputed.empty:
        others = ev.counts[ev.counts["quantity"].isin(set(disputed["quantity"])) & ~ev.counts["claim_id"].isin(ids)]
        others = others[[not _agrees(amount, r) for _, r in others.iterrows()]]
        if not others.empty:
            other_ids = list(dict.fromkeys(others["claim_id"]))
            said = "; ".join(
                f"{_q(t)} ({c})" for t, c in zip(others["value_text"][:3], others["claim_id"][:3], strict=True)
            )
            return Finding(
                UMSTRITTEN,
                ids[:MAX_IDS] + other_ids[:MAX_IDS],
                f"{_q(amount.text)} stützen {', '.join(ids[:3])}; andere Quellen nennen andere Werte: {said}.",
            )
    return Finding(
        BELEGT, ids[:MAX_IDS], f"{_q(amount.text)} stimmt mit {_q(ok['value_text'].iloc[0])} überein ({ids[0]})."
    )


# ------------------------------------------------------------------------------ attribution


def check_attribution(
    att: Attribution, family: frozenset[str], ev: Evidence, days: list[date] | None = None
) -> Finding | None:
    """The speaker and stance a sentence reports against the statements (see the module doc)."""
    st = ev.statements
    if st.empty or not att.has_speaker:
        return None
    text = st["speaker_text"]
    name_hits = text.map(lambda s: sum(k in s for k in att.names))
    if name_hits.max() > 0:
        cand = st[name_hits == name_hits.max()]
        who = ", ".join(att.names)
    else:
        role = text.map(lambda s: any(f in s for f in att.roles))
        cand = st[role]
        who = ", ".join(att.roles)
    if cand.empty:
        return Finding(NICHT_BELEGT, [], f"Keine Aussage dieser Person oder Stelle in den Quellen ({who}).")
    if family:
        on = cand[cand["platforms"].map(lambda ps: bool(ps & family)).astype(bool)]
        if not on.empty:
            cand = on
    if days:
        on_day = cand[cand["start"].map(lambda s: pd.isna(s) or s.date() in days).astype(bool)]
        if not on_day.empty:
            cand = on_day
    polarity = lx.POLARITY.get(att.stance or "")
    if polarity is None:
        ids = list(dict.fromkeys(cand["claim_id"]))
        return Finding(BELEGT, ids[:MAX_IDS], f"Aussage von {_q(cand['speaker'].iloc[0])} belegt ({ids[0]}).")
    pol = cand["fine_stance"].map(lambda s: lx.POLARITY.get(s or ""))
    same = cand[pol == polarity]
    if not same.empty:
        ids = list(dict.fromkeys(same["claim_id"]))
        return Finding(
            BELEGT,
            ids[:MAX_IDS],
            f"{_q(att.stance_text)} entspricht der Aussage von {_q(same['speaker'].iloc[0])} ({ids[0]}).",
        )
    other = cand[pol.notna()]
    if not other.empty:
        ids = list(dict.fromkeys(other["claim_id"]))
        quote = next((q for q in other["quote"] if q), "")
        said = f": {_q(quote)}" if quote else ""
        return Finding(
            WIDERSPRICHT,
            ids[:MAX_IDS],
            f"{_q(att.stance_text)} widerspricht der Aussage von {_q(other['speaker'].iloc[0])}{said} ({ids[0]}).",
        )
    ids = list(dict.fromkeys(cand["claim_id"]))
    return Finding(
        NICHT_BELEGT,
        ids[:MAX_IDS],
        f"Die Quellen zitieren {_q(cand['speaker'].iloc[0])}, aber nicht mit {_q(att.stance_text)}.",
    )


# ------------------------------------------------------------------------------ events


def _edge(kind: str, when: When | None) -> str:
    """The edge a sentence speaks of: its verb's ("fiel aus", "lief wieder"), else a state's "ab"/"bis"."""
    if kind in ("onset", "recovery"):
        return kind
    return when.edge if when is not None and when.edge else "state"


def _source_spans(
    ev: Evidence, episode: str, edge: str, *, dissenting: bool = False
) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(claim id, start, end) of the claims that bound an edge of an episode, each with a closed interval.

    With ``dissenting``, only the claims the Ablauf left out of its consistent set.
    """
    c = ev.constraints[ev.constraints["episode_id"] == episode]
    if dissenting and "in_consistent_set" in c.columns:
        c = c[c["in_consistent_set"].fillna(True).astype(bool).map(lambda x: not x)]
    out = []
    for _, r in c.iterrows():
        lo, hi = r.get(f"{edge}_lo"), r.get(f"{edge}_hi")
        if pd.isna(lo) and pd.isna(hi):
            continue
        if pd.notna(lo) and pd.notna(hi):
            out.append((r["claim_id"], lo, hi))
            continue
        own = ev.claims.loc[[r["claim_id"]]] if r["claim_id"] in ev.claims.index else None
        if own is not None and pd.notna(own["start"].iloc[0]) and pd.notna(own["end"].iloc[0]):
            out.append((r["claim_id"], own["start"].iloc[0], own["end"].iloc[0]))
    return out


def _rounding(ts: pd.Timestamp) -> pd.Timedelta:
    """How much a clock time in running text is taken to be rounded: a full hour ± 30 minutes, a quarter
    hour ± 15 (the conventions of :mod:`incident.timeexpr` for "gegen"), any other minute not at all."""
    if ts.minute == 0:
        return pd.Timedelta(minutes=cv.APPROX_FULL_HOUR_MINUTES)
    if ts.minute % 15 == 0:
        return pd.Timedelta(minutes=cv.APPROX_OTHER_MINUTES)
    return pd.Timedelta(0)


def _check_state(
    row: pd.Series, t0: pd.Timestamp, t1: pd.Timestamp, has_clock: bool, said: str, where: str, ev: Evidence, tz: str
) -> Finding:
    lo, hi = row["onset_earliest"], row["recovery_latest"]
    ids = _ids(row["onset_claim_ids"]) + _ids(row["recovery_claim_ids"])
    if pd.notna(lo) and t1 < lo:
        return Finding(
            WIDERSPRICHT,
            _ids(row["onset_claim_ids"])[:MAX_IDS],
            f"{said} liegt vor dem frühesten Beginn laut Quellen ({_span_text(lo, row['onset_latest'], tz)}; "
            f"{_q(row['onset_phrases'])}; {where}).",
        )
    if pd.notna(hi) and t0 > hi:
        return Finding(
            WIDERSPRICHT,
            _ids(row["recovery_claim_ids"])[:MAX_IDS],
            f"{said} liegt nach dem spätesten Ende laut Quellen ({_span_text(row['recovery_earliest'], hi, tz)}; "
            f"{_q(row['recovery_phrases'])}; {where}).",
        )
    ids = ids or _ids(row["claim_ids"])
    certain = pd.notna(row["onset_latest"]) and pd.notna(row["recovery_earliest"])
    certain = certain and row["onset_latest"] <= t0 and t1 <= row["recovery_earliest"]
    if has_clock and not certain:
        sources = [
            (c, s, e)
            for edge_ in ("onset", "recovery")
            for c, s, e in _source_spans(ev, row["episode_id"], edge_)
            if _overlaps(s, e, t0, t1)
        ]
        if not sources:
            return Finding(GENAUER, ids[:MAX_IDS], f"{said}: keine Quelle nennt für diese Zeit einen Ausfall; {where}.")
        if _minutes(t0, t1) + PRECISION_MARGIN_MINUTES < min(_minutes(s, e) for _, s, e in sources):
            best = min(sources, key=lambda x: _minutes(x[1], x[2]))
            return Finding(
                GENAUER,
                list(dict.fromkeys(c for c, _, _ in sources))[:MAX_IDS],
                f"{said} ist genauer als jede Quelle; genaueste Angabe: {_span_text(best[1], best[2], tz)} "
                f"({best[0]}); {where}.",
            )
    return Finding(BELEGT, ids[:MAX_IDS], f"{said} passt zum Ablauf ({where}).")


def _check_edge(
    row: pd.Series,
    edge: str,
    t0: pd.Timestamp,
    t1: pd.Timestamp,
    has_clock: bool,
    said: str,
    where: str,
    ev: Evidence,
    tz: str,
) -> Finding:
    disputed = str(row.get("disputed", "") or "")
    name = "Beginn" if edge == "onset" else "Ende"
    the, for_the = ("der", "den") if edge == "onset" else ("das", "das")
    lo, hi = row[f"{edge}_earliest"], row[f"{edge}_latest"]
    ids = _ids(row[f"{edge}_claim_ids"]) or _ids(row["claim_ids"])
    bounds = f"{name} laut Quellen: {_span_text(lo, hi, tz)}"
    phrases = row[f"{edge}_phrases"]
    if phrases:
        bounds += f" ({_q(phrases)})"
    outside = (pd.notna(hi) and t0 > hi) or (pd.notna(lo) and t1 < lo)
    if outside:
        backing = [
            c for c, s, e in _source_spans(ev, row["episode_id"], edge, dissenting=True) if _overlaps(s, e, t0, t1)
        ]
        if edge in disputed and backing:
            return Finding(
                UMSTRITTEN,
                backing[:MAX_IDS] + ids[:MAX_IDS],
                f"{said} stützen nur einzelne Quellen ({', '.join(backing[:3])}); {bounds}; {where}.",
            )
        return Finding(WIDERSPRICHT, ids[:MAX_IDS], f"{said} liegt außerhalb der Grenzen; {bounds}; {where}.")
    if has_clock:
        sources = [(c, s, e) for c, s, e in _source_spans(ev, row["episode_id"], edge) if _overlaps(s, e, t0, t1)]
        width = _minutes(t0, t1)
        if not sources:
            return Finding(
                GENAUER,
                ids[:MAX_IDS],
                f"{said}: keine Quelle nennt diese Zeit für {for_the} {name}; {bounds}; {where}.",
            )
        if sources and width + PRECISION_MARGIN_MINUTES < min(_minutes(s, e) for _, s, e in sources):
            best = min(sources, key=lambda x: _minutes(x[1], x[2]))
            return Finding(
                GENAUER,
                [c for c, _, _ in sources][:MAX_IDS],
                f"{said} ist genauer als jede Quelle; {bounds}; genaueste Angabe: "
                f"{_span_text(best[1], best[2], tz)} ({best[0]}); {where}.",
            )
    if edge in disputed:
        conflicts = _ids(row.get("conflict_ids", ""))
        return Finding(
            UMSTRITTEN,
            ids[:MAX_IDS],
            f"{said}: {the} {name} ist unter den Quellen umstritten ({', '.join(conflicts) or 'Konflikt'}); {bounds}; {where}.",
        )
    return Finding(BELEGT, ids[:MAX_IDS], f"{said} passt zum {name}; {bounds}; {where}.")


def _check_episode(row: pd.Series, kind: str, when: When, d: date, ev: Evidence, tz: str) -> Finding:
    """A sentence's event on one day against one episode of the Ablauf.

    A state over a clock range ("zwischen 9 und 9.40 Uhr gestört") is also checked at both ends:
    its start against the onset, its end against the recovery, each end as rounded as it is
    written (:func:`_rounding`).
    """
    span = when.spans[d]
    t0, t1 = pd.Timestamp(span.start), pd.Timestamp(span.end)
    edge = _edge(kind, when)
    said = _q(when.phrase)
    where = f"{_day(d)}, Ablauf {row['episode_id']}"
    if edge != "state":
        return _check_edge(row, edge, t0, t1, when.has_clock, said, where, ev, tz)
    found = [_check_state(row, t0, t1, when.has_clock, said, where, ev, tz)]
    if when.has_clock and span.kind == "range":
        for edge_, at in (("onset", t0), ("recovery", t1)):
            r = _rounding(at)
            found.append(_check_edge(row, edge_, at - r, at + r, True, said, where, ev, tz))
    return max(found, key=lambda f: SEVERITY.index(f.verdict))


def _claims_of_kind(ev: Evidence, kind: str, family: frozenset[str], days: list[date] | None) -> pd.DataFrame:
    tl = ev.timeline
    rows = tl[tl["event"].isin(lx.CLASS_EVENTS[kind]) & tl["platforms"].map(lambda ps: bool(ps & family)).astype(bool)]
    if days is not None:
        on = rows["start"].map(lambda s: pd.notna(s) and s.date() in days)
        rows = rows[on]
    return rows


def _check_claims(
    kind: str, family: frozenset[str], when: When | None, ev: Evidence, tz: str, names: str, said: str
) -> Finding:
    days = sorted(when.spans) if (when is not None and when.day is not None) else None
    rows = _claims_of_kind(ev, kind, family, days)
    words = {"attack": "einen Angriff", "working": "einen normalen Betrieb"}.get(kind, "eine Störung")
    if rows.empty:
        on = f" am {', '.join(_day(d) for d in days)}" if days else ""
        return Finding(NICHT_BELEGT, [], f"{said}: keine Quelle berichtet {words} bei {names}{on}.")
    ids = list(dict.fromkeys(rows["claim_id"]))
    if when is None or not when.has_clock:
        return Finding(
            BELEGT,
            ids[:MAX_IDS],
            f"Belegt durch {', '.join(ids[:3])} ({_q(rows['phrase'].iloc[0] or rows['claim_id'].iloc[0])}).",
        )
    timed = rows[rows["start"].notna() & rows["end"].notna()]
    timed = timed[[_minutes(s, e) < TIMED_MAX_HOURS * 60 for s, e in zip(timed["start"], timed["end"], strict=True)]]
    best: Finding | None = None
    for d, span in when.spans.items():
        t0, t1 = pd.Timestamp(span.start), pd.Timestamp(span.end)
        that_day = timed[timed["start"].map(lambda s, d=d: s.date() == d).astype(bool)]
        hit = that_day[[_overlaps(s, e, t0, t1) for s, e in zip(that_day["start"], that_day["end"], strict=True)]]
        if not hit.empty:
            narrow = min(_minutes(s, e) for s, e in zip(hit["start"], hit["end"], strict=True))
            hid = list(dict.fromkeys(hit["claim_id"]))
            if _minutes(t0, t1) + PRECISION_MARGIN_MINUTES < narrow:
                f = Finding(
                    GENAUER,
                    hid[:MAX_IDS],
                    f"{_q(when.phrase)} ist genauer als die Quellen ({_q(hit['phrase'].iloc[0])}).",
                )
            else:
                f = Finding(
                    BELEGT, hid[:MAX_IDS], f"{_q(when.phrase)} passt zu {_q(hit['phrase'].iloc[0])} ({hid[0]})."
                )
        elif not that_day.empty:
            near = that_day.iloc[0]
            f = Finding(
                WIDERSPRICHT,
                list(dict.fromkeys(that_day["claim_id"]))[:MAX_IDS],
                f"{_q(when.phrase)} passt zu keiner Zeitangabe der Quellen; dort z. B. {_q(near['phrase'])} ({near['claim_id']}).",
            )
        else:
            f = Finding(
                GENAUER, ids[:MAX_IDS], f"{_q(when.phrase)}: die Quellen nennen dafür keine Uhrzeit ({ids[0]})."
            )
        if best is None or SEVERITY.index(f.verdict) < SEVERITY.index(best.verdict):
            best = f
    return (
        best if best is not None else Finding(NICHT_BELEGT, [], f"{said}: keine Quelle berichtet {words} bei {names}.")
    )


def check_event(
    kind: str, platforms: list[str], when: When | None, mentions: Mentions, ev: Evidence, tz: str, *, words: str = ""
) -> Finding:
    """What the sentence says happened to its platforms, and when (see the module doc).

    ``words`` are the sentence's event words, quoted in the reason.
    """
    family = _family(mentions, platforms)
    names = " / ".join(dict.fromkeys(mentions.name(p) for p in platforms))
    said = _q(" ".join(x for x in (words, when.phrase if when is not None else "") if x))
    if kind in ("attack", "working"):
        return _check_claims(kind, family, when, ev, tz, names, said)
    seq = ev.sequence[ev.sequence["platforms"].map(lambda ps: bool(ps & family)).astype(bool)]
    if when is not None:
        seq = seq[seq["day"].isin(list(when.spans))]
    if seq.empty:
        return _check_claims(kind, family, when, ev, tz, names, said)
    if when is None:
        ids = list(dict.fromkeys(i for v in seq["claim_ids"] for i in _ids(v)))
        return Finding(
            BELEGT,
            ids[:MAX_IDS],
            f"Die Quellen berichten eine Störung bei {names} (Ablauf {', '.join(seq['episode_id'])}).",
        )
    findings = [_check_episode(r, kind, when, r["day"], ev, tz) for _, r in seq.iterrows()]
    return min(findings, key=lambda f: SEVERITY.index(f.verdict))


# ------------------------------------------------------------------------------ sentence


class Comparer:
    """Checks sentences of one incident against its evidence."""

    def __init__(self, *, incident, evidence: Evidence):
        self.incident = incident
        self.evidence = evidence
        self.mentions = Mentions(incident)
        self.times = Times(incident)
        self.tz = incident.timezone

    def check(self, text: str, *, line: int) -> Checked:
        """The verdict on one sentence."""
        findings = self.findings(text)
        if not findings:
            return Checked(
                line, text, BELEGT, [], "Nichts zu prüfen: keine Plattform mit Ereignis, Zahl oder Zuschreibung."
            )
        worst = max(findings, key=lambda f: SEVERITY.index(f.verdict))
        deciding = [f for f in findings if f.verdict == worst.verdict]
        ids = list(dict.fromkeys(i for f in deciding for i in f.claim_ids))
        return Checked(line, text, worst.verdict, ids, " ".join(f.reason for f in deciding), findings)

    def findings(self, text: str) -> list[Finding]:
        """The findings of every checkable part of a sentence."""
        found = self.mentions.find(text)
        platforms = list(dict.fromkeys(m.platform for m in found))
        family = _family(self.mentions, platforms)
        phrases = self.times.find(text)
        blank = [(p.start, p.end) for p in phrases]
        when = self.times.when(text)
        out: list[Finding] = []
        figures = amounts(text, blank)
        for amount in figures:
            out.append(check_amount(amount, family, self.evidence))
        att = attribution(text, skip=blank)
        if att is not None and att.has_speaker and (att.stance or not (figures or platforms)):
            days = sorted(when.spans) if when is not None and when.day is not None else None
            f = check_attribution(att, family, self.evidence, days)
            if f is not None:
                out.append(f)
            if att.stance:
                return out
        kind, words = self._event(text)
        if kind and platforms and not (kind == "working" and figures):
            out.append(check_event(kind, platforms, when, self.mentions, self.evidence, self.tz, words=words))
        return out

    @staticmethod
    def _event(text: str) -> tuple[str | None, str]:
        negated = lx.NEGATED_OUTAGE.search(text)
        for pattern, kind in lx.EVENTS:
            m = pattern.search(text)
            if m is None:
                continue
            if negated and m.start() < negated.end() and negated.start() < m.end():
                continue
            return kind, m.group(0)
        return None, ""
