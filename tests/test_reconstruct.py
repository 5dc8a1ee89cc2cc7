"""The reconstruction stage around the bounds: claims, flags, accounts, figures, causes, copies.

Generated cases (tests/fixtures/bounds_cases.py, labelled generated) with hand-worked
answers, and the shipped incidents checked against independent counts read straight from
the raw CSV files (not from what the pipeline recorded about itself). The bounds themselves
are tested in tests/test_bounds.py.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from fixtures.bounds_cases import TZ, claim, evidence, incident, source, statement

from incident import config, generate
from incident.evidence.descriptor import load_descriptor
from incident.evidence.load import load_incident
from incident.ids import split_ids
from incident.reconstruct import reconstruct
from incident.reconstruct.independence import near_copies


def run(sources, timeline=(), statements=(), counts=None):
    ev = evidence(sources, timeline, statements)
    if counts is not None:
        ev.counts = pd.concat([ev.counts, pd.DataFrame(counts)], ignore_index=True)
    return reconstruct(ev, incident=incident())


def count(cid, value, text, *, quantity="gen_q", unit="schools", platform="alpha"):
    return {
        "claim_id": cid,
        "source_id": cid.split("#")[0],
        "platform": platform,
        "operator": "Generiert GmbH",
        "what": "generated figure",
        "kind": "count",
        "value": value,
        "value_text": text,
        "unit": unit,
        "quantity": quantity,
        "counted": "generated",
        "generated": True,
    }


# --------------------------------------------------------------------------- claims and accounts


def test_every_claim_is_resolved_or_listed_with_a_reason():
    r = run(
        [source("a"), source("b")],
        [claim("a#1", time="gegen 8 Uhr"), claim("a#2", day="", time="später"), claim("b#1", day="", time="")],
    )
    assert len(r.claims) == 3
    unresolved = r.unresolved.set_index("claim_id")
    assert set(unresolved.index) == {"a#2", "b#1"}
    assert unresolved.loc["a#2", "reason"] and unresolved.loc["b#1", "reason"] == "no day or time phrase given"


def test_month_dated_source_resolves_only_what_holds_for_every_day_of_the_window():
    src = source("m", published="2030-03-04")
    src.update(published="2030-03", published_precision="month")
    r = run([src], [claim("m#1", day="am 5. März", time="gegen 8 Uhr"), claim("m#2", day="", time="gegen 8 Uhr")])
    c = r.claims.set_index("claim_id")
    assert c.loc["m#1", "resolved"] and c.loc["m#1", "start"] == pd.Timestamp("2030-03-05T07:30", tz=TZ)
    assert not c.loc["m#2", "resolved"] and "only to 2030-03" in c.loc["m#2", "reason"]


def test_agency_copies_are_one_account_and_marked_copies_join_the_agency_text():
    srcs = [source("a", group="dpa-1"), source("b", group="dpa-1"), source("c")]
    marked = claim("c#1", time="gegen 8 Uhr")
    marked["confidence_note"] = "AGENCY COPY of a#1"
    r = run(
        srcs,
        [
            claim("a#1", time="gegen 8 Uhr"),
            claim("b#1", time="gegen 8 Uhr"),
            marked,
            claim("c#2", event="fix", stance="working", time="am Mittag"),
        ],
    )
    groups = r.claims.set_index("claim_id")["account_group"]
    assert groups["a#1"] == groups["b#1"] == groups["c#1"] == "dpa-1"
    assert groups["c#2"] == "c"
    assert int(r.sequence["n_independent_sources"].iloc[0]) == 2


def test_operator_channel_quoted_operator_authority_and_reporter_are_told_apart():
    srcs = [source("op", kind="operator_statement"), source("n")]
    st = statement("n#2")
    st.update(speaker="Ministerin", organisation="Schulministerium", role="Ministerin", stance="none_known")
    quoted = statement("n#3")
    quoted.update(speaker="Sprecher der Generiert GmbH", organisation="Generiert GmbH", role="Sprecher")
    r = run(srcs, [claim("op#1", time="gegen 8 Uhr"), claim("n#1", time="gegen 9 Uhr")], [st, quoted])
    w = r.claims.set_index("claim_id")["witness"]
    assert (w["op#1"], w["n#1"], w["n#2"], w["n#3"]) == ("operator", "reporter", "authority", "operator_quoted")


def test_a_claim_naming_two_platforms_counts_for_each():
    r = run([source("a")], [claim("a#1", platform="alpha; beta", time="gegen 8 Uhr")])
    assert sorted(r.sequence["platform"]) == ["alpha", "beta"]


def test_context_ids_make_no_episode():
    r = run([source("a")], [claim("a#1", platform="general", time="gegen 8 Uhr")])
    assert r.sequence.empty


# --------------------------------------------------------------------------- flags


def test_source_before_the_window_and_claims_outside_it_are_flagged_and_not_placed():
    early = source("dez", published="2030-02-14")
    r = run(
        [early, source("a")],
        [
            claim("dez#1", day="am Montag", time="gegen 8 Uhr"),
            claim("a#1", day="am 20. März", time="gegen 8 Uhr"),
            claim("a#2", time="gegen 8 Uhr"),
        ],
    )
    flags = r.flags.groupby("claim_id")["flag"].agg(set)
    assert "source_outside_window" in flags["dez#1"]
    assert flags["a#1"] == {"outside_window", "after_publication"}
    on = r.claims.set_index("claim_id")["on_timeline"]
    assert not on["dez#1"] and not on["a#1"] and on["a#2"]
    assert split_ids(r.sequence["claim_ids"].iloc[0]) == ["a#2"]


def test_time_only_phrase_on_a_day_the_dossier_disputes_is_not_placed():
    c = claim("a#1", day="", time="gegen 14 Uhr", event="fix", stance="working")
    c["dossier_day"] = "2030-03-05"
    r = run([source("a", published="2030-03-04")], [c])
    assert set(r.flags.loc[r.flags["claim_id"] == "a#1", "flag"]) == {"assumed_day_disputed"}
    assert r.sequence.empty


def test_a_claim_after_its_own_publication_is_flagged():
    r = run(
        [source("a", published="2030-03-04T09:00+01:00", precision="minute")],
        [claim("a#1", day="", time="gegen 14 Uhr")],
    )
    assert set(r.flags.loc[r.flags["claim_id"] == "a#1", "flag"]) == {"after_publication"}


# --------------------------------------------------------------------------- figures and causes


def test_figures_within_five_percent_agree_farther_apart_conflict():
    r = run(
        [source("a"), source("b"), source("c")],
        counts=[
            count("a#1", 4500.0, "rund 4500 Schulen"),
            count("b#1", 4502.0, "4502 Schulen"),
            count("c#1", 4100.0, "rund 4100 Schulen"),
        ],
    )
    fig = r.figures.set_index("quantity").loc["gen_q"]
    assert fig["status"] == "conflict" and int(fig["n_sources"]) == 3
    c = r.conflicts[r.conflicts["conflict_type"] == "figure"]
    assert len(c) == 1
    assert set(split_ids(c.iloc[0]["side_a_claim_ids"])) == {"c#1"}
    assert set(split_ids(c.iloc[0]["side_b_claim_ids"])) == {"a#1", "b#1"}


def test_copies_of_one_figure_are_one_source():
    r = run(
        [source("a", group="dpa"), source("b", group="dpa")],
        counts=[count("a#1", 2000.0, "etwa 2000 Schulen"), count("b#1", 2000.0, "etwa 2000 Schulen")],
    )
    fig = r.figures.set_index("quantity").loc["gen_q"]
    assert fig["status"] == "single" and int(fig["n_sources"]) == 1


def test_cause_conflicts_per_operator_and_unclear_is_no_cause():
    rows = []
    for cid, cause in (("a#1", "overload"), ("b#1", "overload"), ("c#1", "ddos"), ("d#1", "unclear")):
        c = claim(cid, event="cause_stated", time="gegen 9 Uhr")
        c["cause"] = cause
        rows.append(c)
    r = run([source(s) for s in "abcd"], rows)
    cause = r.conflicts[r.conflicts["conflict_type"] == "cause"]
    assert len(cause) == 1
    assert (cause.iloc[0]["side_a_label"], cause.iloc[0]["side_b_label"]) == ("overload", "ddos")


# --------------------------------------------------------------------------- undeclared copies


def test_near_identical_wording_across_groups_is_flagged_once_per_pair():
    text = "Wenn viele gleichzeitig drauf zugreifen, können die Plattformen dem Ansturm schwer standhalten"
    other = "Die Ministerin sagte, die Schulen hätten sich gut auf den Unterricht auf Distanz vorbereitet"
    claims = pd.DataFrame(
        {
            "claim_id": ["x#1", "x#2", "y#1", "y#2", "z#1"],
            "source_id": ["x", "x", "y", "y", "z"],
            "quote": [text, other, text + ".", other, text],
            "what": ["", "", "", "", ""],
        }
    )
    flagged = near_copies(claims, {"x": "x", "y": "y", "z": "z"})
    # x and y share two texts (a copy); z shares only the one quote (normal for a press statement)
    assert list(zip(flagged["source_a"], flagged["source_b"])) == [("x", "y")]
    assert int(flagged["n_shared"].iloc[0]) == 2
    assert near_copies(claims, {"x": "g", "y": "g", "z": "z"}).empty


# --------------------------------------------------------------------------- the shipped incidents


@pytest.fixture(scope="module")
def shipped():
    out = {}
    for name in config.incidents():
        p = config.paths(name)
        desc = load_descriptor(p)
        out[name] = (p, reconstruct(load_incident(p, incident=desc), incident=desc))
    return out


def _raw_claim_ids(p) -> list[str]:
    ids = []
    for table in ("timeline", "counts", "statements"):
        with (p.raw / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            ids += [row["claim_id"] for row in csv.DictReader(fh)]
    return ids


def test_every_raw_claim_appears_exactly_once(shipped):
    for name, (p, r) in shipped.items():
        raw = _raw_claim_ids(p)
        assert sorted(r.claims["claim_id"]) == sorted(raw), name
        assert set(r.unresolved["claim_id"]) == set(r.claims.loc[~r.claims["resolved"], "claim_id"]), name


def test_shipped_conflicts_the_reporting_describes(shipped):
    """The re-audited schulstart-2021 tables against what a reader of the sources finds (README, method.md)."""
    _, r = shipped["schulstart-2021"]
    c, seq = r.conflicts, r.sequence

    def episode(platform, day):
        rows = seq[(seq["platform"] == platform) & (seq["day"].astype(str) == day)]
        assert len(rows) == 1, (platform, day)
        return rows.iloc[0]

    # IServ's own "bis etwa 14.00 Uhr" (a Tuesday article about Monday) bounds Monday's recovery
    video = episode("iserv-video", "2021-01-11")
    assert "heise-20210112-ausfaelle-lernplattformen#2" in split_ids(video["recovery_claim_ids"])
    # dpa's "am Mittag" is a dissent, named as a time conflict with both sides
    ends = c[(c["conflict_type"] == "time") & (c["episode_id"] == video["episode_id"]) & (c["event"] == "recovery")]
    assert any("sat1regional-20210111-technikpanne#4" in split_ids(x) for x in ends["side_b_claim_ids"])
    # the one Gymnasium's "gegen 8 Uhr" (Weser-Kurier) is a local report, not the platform's onset
    assert "weserkurier-20210112-schulstart-ohne-videokonferenz#4" not in split_ids(video["claim_ids"])
    # figures: the different windows of netzwelt's counts and the registered-vs-using schools are no dispute
    fig = set(c.loc[c["conflict_type"] == "figure", "quantity"])
    assert "iserv_schools" in fig
    assert fig.isdisjoint({"netzwelt_iserv_reports_tue", "logineo_lms_schools", "logineo_lms_schools_registered"})
    # causes: one platform part on one day each; KRZN's load on Monday and the attack on Tuesday are a sequence
    causes = c[c["conflict_type"] == "cause"]
    assert (causes["day"] != "").all() and not causes["platform"].str.contains(";").any()
    assert not causes["platform"].isin(["moodle-krzn", "logineo", "iserv-video"]).any()
    # KRZN's Tuesday: short phases, never one continuous outage
    assert episode("moodle-krzn", "2021-01-12")["pattern"] == "intermittent"
    # Eledia's "Wenn morgens um acht Uhr alle …" is a condition: no Logineo LMS outage is built from it
    assert seq[seq["platform"] == "logineo-lms"].empty


def test_december_reports_of_attacks_are_kept_off_the_ablauf(shipped):
    _, r = shipped["schulstart-2021"]
    flagged = r.flags[r.flags["flag"] == "source_outside_window"]
    assert len(flagged) >= 30
    placed = {i for ids in r.sequence["claim_ids"] for i in split_ids(ids)}
    assert placed.isdisjoint(set(flagged["claim_id"]))


def test_warntag_apps_are_bounded_by_the_sources(shipped):
    _, r = shipped["warntag-2020"]
    nina = r.sequence[r.sequence["platform"] == "nina"]
    assert len(nina) >= 1
    first = nina.sort_values("day").iloc[0]
    assert str(first["day"]) == "2020-09-10"
    # the push arrived about half an hour late: recovery bounded around 11:30, in summer time
    latest = first["recovery_latest"]
    assert pd.notna(latest) and latest.utcoffset() == pd.Timedelta(hours=2)
    # KATWARN's own "erst um 11:30 Uhr" in a source dated only to the year, whose row records the day
    # (10 September 2020): read on that day, its time is kept (issue 19: a readable time is never
    # thrown away for the recorded day's whole-day placement)
    katwarn = r.sequence[r.sequence["platform"] == "katwarn"].iloc[0]
    assert katwarn["recovery_latest"] == pd.Timestamp("2020-09-10T11:30", tz="Europe/Berlin")
    assert "bgpress-2020-katwarn-stellungnahme#2" in split_ids(katwarn["recovery_claim_ids"])


def test_generated_corpus_recovers_its_truth():
    inc = generate.incident(platforms=[f"gen-p{i:02d}" for i in range(4)])
    ev = generate.corpus(n_sources=300, n_claims=3000, n_platforms=4)
    r = reconstruct(ev, incident=inc)
    truth = ev.truth.set_index("platform")
    for row in r.sequence.itertuples():
        onset = truth.loc[row.platform, "onset"]
        assert row.onset_earliest <= onset <= row.onset_latest
        recovery = truth.loc[row.platform, "recovery"]
        assert row.recovery_earliest <= recovery <= row.recovery_latest, row.platform
