"""What a reporter distinguishes, used by the rules: scope, modality, recorded day, figure windows and
qualifiers, cause chains, phases, and the sources that bound each edge.

Every case is GENERATED evidence (tests/fixtures/bounds_cases.py: Monday 4 March 2030, made-up platform
"alpha") with its answer worked out by hand from the rules in docs/method.md.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.bounds_cases import at, claim, count, descriptor, evidence, incident, source, tables_of

from incident.errors import ValidationError
from incident.evidence.descriptor import parse_descriptor
from incident.ids import split_ids
from incident.publish import exhibits
from incident.publish.summary import summary
from incident.reconstruct import reconstruct
from incident.reconstruct.conflicts import cause_links, value_interval
from incident.reconstruct.said import coarse_claims


def run(sources, timeline=(), statements=(), counts=()):
    return reconstruct(evidence(sources, timeline, statements, counts), incident=incident(("alpha", "beta")))


def only_row(r):
    assert len(r.sequence) == 1, r.sequence[["platform", "day"]]
    return r.sequence.iloc[0]


def edge(row, name):
    lo, hi = row[f"{name}_earliest"], row[f"{name}_latest"]
    return (None if pd.isna(lo) else lo, None if pd.isna(hi) else hi)


def start(cid, time, **extra):
    return {**claim(cid, event="outage_start", time=time), **extra}


def fix(cid, time, **extra):
    return {**claim(cid, event="fix", stance="working", time=time), **extra}


# --------------------------------------------------------------------------- scope and modality


def test_one_schools_recovery_does_not_bound_the_platform():
    # platform: down from about 8; one school in a small town: "um 12.30 Uhr lief es wieder"
    r = run(
        [source("a"), source("b")],
        [start("a#1", "gegen 8 Uhr"), fix("b#1", "um 12.30 Uhr", scope="institution", scope_de="an einer Schule")],
    )
    row = only_row(r)
    assert edge(row, "onset") == (at(7, 30), at(8, 30))
    assert edge(row, "recovery") == (None, None)
    assert "b#1" not in split_ids(row["claim_ids"])
    assert not bool(r.claims.set_index("claim_id").loc["b#1", "bounding"])


def test_a_condition_is_no_evidence_of_an_outage():
    # "Wenn morgens um acht Uhr alle sich einloggen …": no Ablauf row at all
    r = run([source("a")], [start("a#1", "um acht Uhr", modality="conditional")])
    assert len(r.sequence) == 0


def test_reported_and_asserted_events_bound():
    r = run(
        [source("a"), source("b")],
        [start("a#1", "gegen 8 Uhr", modality="reported"), fix("b#1", "gegen 14 Uhr", modality="asserted")],
    )
    row = only_row(r)
    assert edge(row, "recovery") == (at(13, 30), at(14, 30))


def test_an_expectation_sides_no_cause_conflict():
    r = run(
        [source("a", group="a"), source("b", group="b")],
        [
            {**claim("a#1", event="cause_stated", time="gegen 8 Uhr"), "cause": "overload"},
            {**claim("b#1", event="cause_stated", time="gegen 8 Uhr"), "cause": "ddos", "modality": "expected"},
        ],
    )
    assert (r.conflicts["conflict_type"] != "cause").all()


# --------------------------------------------------------------------------- the recorded day


def test_a_time_without_a_day_goes_on_the_recorded_day():
    # Tuesday's article quotes the operator: "bis etwa 14 Uhr behoben" – about Monday (recorded with its basis)
    r = run(
        [source("a"), source("b", published="2030-03-05")],
        [
            start("a#1", "gegen 8 Uhr"),
            {
                **claim("b#1", event="fix", stance="working", day="", time="bis etwa 14 Uhr"),
                "refers_to_day": "2030-03-04",
                "day_basis": "'am Montag' earlier in the paragraph",
            },
        ],
    )
    row = only_row(r)
    assert str(row["day"]) == "2030-03-04"
    lo, hi = edge(row, "recovery")
    assert hi is not None and hi.date() == at(14).date() and hi <= at(14, 30)
    assert "b#1" in split_ids(row["recovery_claim_ids"])
    resolved = r.claims.set_index("claim_id").loc["b#1"]
    assert "recorded day" in resolved["reference"]
    assert bool(resolved["on_timeline"])


def test_a_phrase_that_names_its_day_is_never_moved():
    r = run(
        [source("a", published="2030-03-05")],
        [{**claim("a#1", day="am Dienstag", time="gegen 8 Uhr", event="outage_start"), "refers_to_day": "2030-03-04"}],
    )
    row = only_row(r)
    assert str(row["day"]) == "2030-03-05"


# --------------------------------------------------------------------------- figures


def test_figures_over_different_windows_never_conflict():
    r = run(
        [source("a"), source("b")],
        counts=[
            count("a#1", 4000, "4.000", window_text="zwischen 8 und 10 Uhr"),
            count("b#1", 5000, "5.000", window_text="zwischen 9 und 11 Uhr"),
        ],
    )
    assert (r.conflicts["conflict_type"] != "figure").all()


def test_figures_over_one_window_that_exclude_each_other_conflict():
    r = run(
        [source("a"), source("b")],
        counts=[
            count("a#1", 4000, "4.000", window_text="zwischen 8 und 10 Uhr"),
            count("b#1", 5000, "5.000", window_text="zwischen 8  und 10 Uhr"),
        ],
    )
    fig = r.conflicts[r.conflicts["conflict_type"] == "figure"]
    assert len(fig) == 1
    assert {fig.iloc[0]["side_a_claim_ids"], fig.iloc[0]["side_b_claim_ids"]} == {"a#1", "b#1"}


def test_a_figure_conflict_reaches_datawrapper_as_text_with_the_sources_wording():
    from incident.publish import exports

    r = run(
        [source("a"), source("b")],
        counts=[
            count("a#1", 4000, "4.000", window_text="zwischen 8 und 10 Uhr"),
            count("b#1", 5000, "5.000", window_text="zwischen 8 und 10 Uhr"),
        ],
    )
    dw = exports.datawrapper(r, incident=incident(("alpha", "beta")))["datawrapper_conflicts.csv"]
    row = dw[dw["Art"] == "Zahlen"].iloc[0]
    # a bare "4.000" would make Datawrapper read the column as numbers; the wording keeps it text
    assert {row["Seite_A"], row["Seite_B"]} == {"4000 („4.000“)", "5000 („5.000“)"}


def test_compatible_qualifiers_do_not_conflict():
    # "rund 2.000" allows 1.500–2.500; "über 4.500" is compatible with "4.800"
    r = run(
        [source("a"), source("b"), source("c"), source("d")],
        counts=[
            count("a#1", 2000, "rund 2.000", qualifier="rund"),
            count("b#1", 2080, "2.080"),
            count("c#1", 4500, "über 4.500", quantity="q2", qualifier="über"),
            count("d#1", 4800, "4.800", quantity="q2"),
        ],
    )
    assert (r.conflicts["conflict_type"] != "figure").all()


def test_at_least_against_a_smaller_exact_figure_conflicts():
    r = run(
        [source("a"), source("b")],
        counts=[count("a#1", 4500, "über 4.500", qualifier="über"), count("b#1", 4100, "4.100")],
    )
    assert (r.conflicts["conflict_type"] == "figure").sum() == 1


def test_value_intervals_by_hand():
    # "rund 4.100": rounded to the hundred, but at least ±2.5 % → ±102.5; "etwa 2.000": to the thousand → ±500
    assert value_interval(4100, "rund") == (3997.5, 4202.5)
    assert value_interval(2000, "rund") == (1500, 2500)
    assert value_interval(4500, "über") == (4500, float("inf"))
    assert value_interval(100, "bis zu") == (0, 100)
    lo, hi = value_interval(2500, "")
    assert lo < 2500 < hi and hi / lo < 1.06


def test_a_syndicated_copy_counts_once_on_a_figure_side():
    r = run(
        [source("a", group="g"), source("a2", group="g"), source("b")],
        counts=[count("a#1", 4000, "4.000"), count("a2#1", 4000, "4.000"), count("b#1", 5000, "5.000")],
    )
    fig = r.conflicts[r.conflicts["conflict_type"] == "figure"].iloc[0]
    sides = {fig["side_a_claim_ids"]: fig["side_a_n_sources"], fig["side_b_claim_ids"]: fig["side_b_n_sources"]}
    assert sides == {"a#1; a2#1": 1, "b#1": 1}


# --------------------------------------------------------------------------- causes


def cause(cid, label, *, day="am Montag", time="gegen 8 Uhr", **extra):
    return {**claim(cid, event="cause_stated", day=day, time=time), "cause": label, **extra}


def test_a_chain_never_conflicts_with_its_own_links():
    r = run(
        [source("a"), source("b"), source("c")],
        [cause("a#1", "overload > mediation_error"), cause("b#1", "overload"), cause("c#1", "mediation_error")],
    )
    assert (r.conflicts["conflict_type"] != "cause").all()


def test_causes_on_different_days_are_a_sequence_not_a_dispute():
    r = run(
        [source("a"), source("b", published="2030-03-05")],
        [cause("a#1", "overload"), cause("b#1", "ddos", day="am Dienstag")],
    )
    assert (r.conflicts["conflict_type"] != "cause").all()


def test_incompatible_causes_of_one_failure_conflict_and_a_copy_counts_once():
    r = run(
        [source("a", group="g"), source("a2", group="g"), source("b")],
        [cause("a#1", "overload"), cause("a2#1", "overload"), cause("b#1", "ddos")],
    )
    c = r.conflicts[r.conflicts["conflict_type"] == "cause"]
    assert len(c) == 1
    row = c.iloc[0]
    # one independent source each (the copy counts once): a tie, ordered alphabetically
    sides = {row["side_a_label"]: int(row["side_a_n_sources"]), row["side_b_label"]: int(row["side_b_n_sources"])}
    assert sides == {"ddos": 1, "overload": 1}
    assert str(row["day"]) == "2030-03-04"


def test_cause_links_by_hand():
    assert cause_links("overload > mediation_error; code_error") == [["overload", "mediation_error"], ["code_error"]]
    assert cause_links("unclear") == []


# --------------------------------------------------------------------------- phases and edge sources


def test_separate_phases_mark_the_episode_intermittent():
    r = run(
        [source("a")],
        [{**claim("a#1", time="am Vormittag"), "pattern": "intermittent"}],
    )
    assert only_row(r)["pattern"] == "intermittent"


def test_edge_sources_count_only_those_that_bound_the_edge():
    # four sources report the outage that day, one of them binds the onset, none the recovery
    r = run(
        [source("a"), source("b"), source("c"), source("d")],
        [start("a#1", "gegen 8 Uhr"), claim("b#1"), claim("c#1"), claim("d#1")],
    )
    row = only_row(r)
    assert int(row["n_independent_sources"]) == 4
    assert int(row["onset_n_sources"]) == 1 and int(row["recovery_n_sources"]) == 0


def test_a_source_whose_own_claims_put_the_end_before_the_start_is_a_conflict():
    # source a says both "gegen 14 Uhr behoben" and "am Vormittag lief es wieder":
    # its own recovery would lie after 13:30 and before noon. It contradicts itself: its larger consistent
    # part is used (a tie of one claim each: the first in id order's box order) and the rest is a conflict
    # within one source naming both claims; source b's onset stands.
    r = run(
        [source("a"), source("b")],
        [
            fix("a#1", "gegen 14 Uhr"),
            claim("a#2", event="restored", stance="working", time="am Vormittag"),
            start("b#1", "gegen 8 Uhr"),
        ],
    )
    row = only_row(r)
    assert edge(row, "onset") == (at(7, 30), at(8, 30))
    assert edge(row, "recovery") in ((None, at(12)), (at(13, 30), at(14, 30)))
    assert edge(row, "recovery") != (at(13, 30), at(12))
    within = r.conflicts[r.conflicts["event"] == "within_source"]
    assert len(within) == 1
    assert set(split_ids(within.iloc[0]["claim_ids"])) == {"a#1", "a#2"}
    used = set(split_ids(row["recovery_claim_ids"]))
    assert len(used) == 1 and used < {"a#1", "a#2"}


# --------------------------------------------------------------------------- platform families


def test_a_claim_naming_a_part_and_its_family_counts_for_the_part_only():
    # "beta" is a part of "alpha" (alpha's video module, say): "beta; alpha" names the part and the family
    doc = descriptor(("alpha", "beta"))
    doc["platforms"][1]["family"] = "alpha"
    inc = parse_descriptor(doc, folder=doc["id"])
    ev = evidence([source("a"), source("b")], [start("a#1", "gegen 8 Uhr"), claim("b#1")])
    ev.timeline.loc[0, "platform"] = "beta; alpha"
    ev.timeline.loc[1, "platform"] = "alpha"
    r = reconstruct(ev, incident=inc)
    rows = {row.platform: set(split_ids(row.claim_ids)) for row in r.sequence.itertuples()}
    assert rows == {"beta": {"a#1"}, "alpha": {"b#1"}}


def test_a_family_must_be_another_platform_of_the_descriptor():
    doc = descriptor(("alpha", "beta"))
    doc["platforms"][1]["family"] = "gamma"
    with pytest.raises(ValidationError, match="gamma"):
        parse_descriptor(doc, folder=doc["id"])


def test_a_part_of_the_day_is_coarse_a_clock_time_or_a_short_span_is_not():
    """Coarse = no clock time in the words AND a span of an hour or more (by hand, docs/method.md)."""
    cases = [
        ("am Morgen", at(6), at(10), True),  # a part of the day: the edges are the parser's convention
        ("am Mittag", at(11, 30), at(13, 30), True),
        ("zwischen 8 Uhr und 10 Uhr", at(8), at(10), False),  # the source's own clock times
        ("um 9 Uhr", at(9), at(9), False),
        ("mittlerweile", at(12), at(12), False),  # no clock time, but a moment, not a part of the day
        ("kurz nach dem Start", at(8), at(8, 30), False),
        (None, at(6), at(10), True),  # no phrase recorded: nothing in the words sets a clock time
    ]
    claims = pd.DataFrame(
        {
            "phrase": [c[0] for c in cases],
            "start": pd.Series([c[1] for c in cases]),
            "end": pd.Series([c[2] for c in cases]),
        }
    )
    assert coarse_claims(claims).tolist() == [c[3] for c in cases]


def test_separate_phases_are_never_drawn_as_one_continuous_bar():
    # KRZN's Tuesday: "zwei Störungsphasen am Morgen … und eine um die Mittagszeit": bounded on both sides,
    # but the Ablauf draws no "nach allen Angaben gestört" bar and says "mit Unterbrechungen"
    r = run(
        [source("a"), source("b")],
        [start("a#1", "gegen 8 Uhr"), {**claim("b#1", time="um 11 Uhr"), "pattern": "intermittent"}],
    )
    tables = {"sequence": r.sequence, "claims_resolved": r.claims, "sources": r.sources}
    data = exhibits.sequence_data(tables, incident=incident(("alpha", "beta")), platforms=("alpha",))
    assert "sicher" not in set(data["part"])
    assert set(data["state"]) == {"Ausfall mit Unterbrechungen"}


def _summary(r, inc):
    tables = tables_of(r)
    return summary(tables, inc)


def test_an_end_only_a_contradicted_source_names_is_said_with_its_words_never_unknown():
    # a: down from early morning, works again "inzwischen" (11:22); b: down only from about 9 – a tie of
    # one against one on the onset, so no end is published, but a's end is said, not "sagt keine Quelle"
    inc = incident(("alpha", "beta"))
    r = run(
        [source("a", published="2030-03-04T11:22+01:00", precision="minute"), source("b")],
        [
            start("a#1", "gleich am frühen Morgen"),
            claim("a#2", event="restored", stance="working", day="", time="inzwischen"),
            start("b#1", "gegen 9 Uhr"),
        ],
    )
    text = " ".join(str(s) for _, sentences in _summary(r, inc).happened for s in sentences)
    assert "sagt keine Quelle" not in text.split("endete")[-1][:40]
    assert "Ein Ende nennt nur" in text and "inzwischen" in text
