"""Outages over several days, and claims whose time cannot be read (issue 19), on GENERATED evidence.

The incident is the generated ``gen-2030`` week of tests/fixtures/bounds_cases.py (Monday 4 to
Friday 8 March 2030, Europe/Berlin, no DST change); every expected bound below is worked out by
hand from docs/timeexpr.md and the roles of incident/reconstruct/roles.py, never read from the code.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.bounds_cases import at, claim, evidence, incident, source, statement

from incident.reconstruct import reconstruct


def run(sources, timeline=(), statements=()):
    return reconstruct(evidence(sources, timeline, statements), incident=incident())


def edge(row, name: str) -> tuple:
    lo, hi = row[f"{name}_earliest"], row[f"{name}_latest"]
    return (None if pd.isna(lo) else lo, None if pd.isna(hi) else hi)


def test_down_on_monday_still_down_on_tuesday_back_since_thursday_is_one_episode():
    """Hand-worked: Monday "am Montag gestört" (P: places the episode on Monday); Tuesday's source
    "noch immer gestört" (P on Tuesday, a continuation: joins Monday's episode and says the recovery came
    after Tuesday 00:00); Friday's source "läuft wieder seit dem 7." (restored + since = R, the 7th is
    Thursday: recovery in [Thu 00:00, Fri 00:00)). One episode, day Monday, recovery on Thursday."""
    r = run(
        [source("a"), source("b", published="2030-03-05"), source("c", published="2030-03-08")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute", quote="Die Plattform ist noch immer gestört."),
            claim("c#1", event="restored", stance="working", day="", time="seit dem 7."),
        ],
    )
    assert len(r.sequence) == 1, r.sequence[["episode_id", "day"]]
    row = r.sequence.iloc[0]
    assert row["day"] == "2030-03-04"
    assert edge(row, "recovery") == (at(0, day=3), at(0, day=4))
    assert set(row["claim_ids"].split("; ")) == {"a#1", "b#1", "c#1"}


def test_without_the_continuation_tuesday_is_its_own_episode():
    """The same Tuesday report without "noch immer": two episodes (Monday, Tuesday); the Thursday
    recovery closes the latest, Tuesday's."""
    r = run(
        [source("a"), source("b", published="2030-03-05"), source("c", published="2030-03-08")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute"),
            claim("c#1", event="restored", stance="working", day="", time="seit dem 7."),
        ],
    )
    assert list(r.sequence["day"]) == ["2030-03-04", "2030-03-05"]
    tuesday = r.sequence.iloc[1]
    assert edge(tuesday, "recovery") == (at(0, day=3), at(0, day=4))


def test_a_day_level_recovery_report_alone_opens_no_episode():
    """ "läuft wieder seit dem 7." alone says the platform works by Thursday, not that it failed then."""
    r = run(
        [source("c", published="2030-03-08")],
        [claim("c#1", event="restored", stance="working", day="", time="seit dem 7.")],
    )
    assert len(r.sequence) == 0


def test_a_fix_at_a_time_of_day_alone_still_opens_the_episode_it_ends():
    """ "gegen 9 Uhr behoben" alone on Friday: the trouble it ends was on Friday (as before issue 19)."""
    r = run(
        [source("c", published="2030-03-08")],
        [claim("c#1", event="fix", stance="working", day="heute", time="gegen 9 Uhr")],
    )
    assert list(r.sequence["day"]) == ["2030-03-08"]


def test_a_run_of_days_is_one_episode_from_its_first_to_its_last_day():
    """ "vom 5. bis 7. März gestört" (published Friday): onset in Tuesday, recovery in Thursday."""
    r = run([source("a", published="2030-03-08")], [claim("a#1", day="vom 5. bis 7. März")])
    assert len(r.sequence) == 1
    row = r.sequence.iloc[0]
    assert row["day"] == "2030-03-05"
    assert edge(row, "onset") == (at(0, day=1), at(0, day=2))
    assert edge(row, "recovery") == (at(0, day=3), at(0, day=4))


def test_a_list_of_days_says_when_not_how_long():
    """ "am 5. und 6. März gestört" is no run ("bis" is not named): not one two-day episode."""
    r = run([source("a", published="2030-03-08")], [claim("a#1", day="am 5. und 6. März")])
    assert len(r.sequence) == 0
    assert r.claims.set_index("claim_id").loc["a#1", "resolved"]


def test_an_apology_on_a_later_day_makes_no_outage_there():
    """Tuesday's outage; Wednesday: an apology and "läuft heute wieder einwandfrei". One episode
    (Tuesday), its recovery by Wednesday's end at the latest; no Wednesday "Störung"."""
    r = run(
        [source("a", published="2030-03-05"), source("b", published="2030-03-06")],
        [
            claim("a#1", event="outage_start", day="heute", time="gegen 8 Uhr"),
            claim("b#1", event="restored", stance="working", day="heute", quote="läuft heute wieder einwandfrei"),
        ],
        [statement("b#2", stance="apology", day="heute")],
    )
    assert list(r.sequence["day"]) == ["2030-03-05"]
    row = r.sequence.iloc[0]
    assert edge(row, "onset") == (at(7, 30, day=1), at(8, 30, day=1))
    assert edge(row, "recovery") == (None, at(0, day=3))


def test_an_unreadable_time_keeps_the_day():
    """Day "am Dienstag", time "nach der ersten Stunde" (an event the phrase does not date): the claim is
    a day-level report on Tuesday (kind day, 00:00 to Wednesday 00:00), not dropped to unresolved."""
    r = run([source("a", published="2030-03-06")], [claim("a#1", day="am Dienstag", time="nach der ersten Stunde")])
    c = r.claims.set_index("claim_id").loc["a#1"]
    assert c["resolved"] and c["span_kind"] == "day"
    assert (c["start"], c["end"]) == (at(0, day=1), at(0, day=2))
    assert "day level" in c["reference"]
    assert len(r.unresolved) == 0
    assert list(r.sequence["day"]) == ["2030-03-05"]


def test_a_sentence_as_the_day_phrase_gives_its_date():
    r = run(
        [source("a", published="2030-03-06")],
        [claim("a#1", day="Laut Schulträger war die Plattform am 5. März stundenlang nicht erreichbar")],
    )
    c = r.claims.set_index("claim_id").loc["a#1"]
    assert c["resolved"] and (c["start"], c["end"]) == (at(0, day=1), at(0, day=2))


def _facts(r):
    from incident.publish.facts import fact_box

    tables = {
        "claims_resolved": r.claims,
        "sequence": r.sequence,
        "conflicts": r.conflicts,
        "sources": r.sources,
    }
    return fact_box(tables, incident=incident(), platforms=("alpha",)).set_index("label")


def test_the_fact_box_states_a_multi_day_episode_in_words():
    """The hand-worked case above: Monday to Thursday; the end is written on Thursday, not as a clock
    time on Monday."""
    r = run(
        [source("a"), source("b", published="2030-03-05"), source("c", published="2030-03-08")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute", quote="Die Plattform ist noch immer gestört."),
            claim("c#1", event="restored", stance="working", day="", time="seit dem 7."),
        ],
    )
    box = _facts(r)
    assert box.loc["Alpha: Störung über mehrere Tage", "value_text"] == "vom 4. bis 7. März"
    assert box.loc["Alpha am Donnerstag, 7. März: Ende der Störung", "value_text"] == "im Laufe des Tages"
    assert set(box.loc["Alpha: Störung über mehrere Tage", "claim_ids"].split("; ")) == {"a#1", "b#1", "c#1"}


def test_the_fact_box_of_a_run_of_days():
    r = run([source("a", published="2030-03-08")], [claim("a#1", day="vom 5. bis 7. März")])
    box = _facts(r)
    assert box.loc["Alpha: Störung über mehrere Tage", "value_text"] == "vom 5. bis 7. März"
    assert "Alpha am Dienstag, 5. März: Beginn der Störung" in box.index


def test_days_in_words():
    from datetime import date

    from incident.publish.facts import days_text

    assert days_text(date(2021, 1, 19), date(2021, 1, 21)) == "vom 19. bis 21. Januar"
    assert days_text(date(2021, 1, 28), date(2021, 2, 2)) == "vom 28. Januar bis 2. Februar"
    assert days_text(date(2020, 12, 28), date(2021, 1, 3)) == "vom 28. Dezember 2020 bis 3. Januar 2021"
    assert days_text(date(2021, 1, 21), date(2021, 1, 21)) == "am 21. Januar"


@pytest.mark.parametrize(
    ("earliest", "latest", "text"),
    [
        # still disrupted on Saturday (a day-level report): it ended not before Sunday; never "0 Uhr"
        ("2030-03-13", None, "nicht vor Mittwoch, 13. März"),
        # a recovery reported for a whole later day
        ("2030-03-14", "2030-03-15", "am Donnerstag, 14. März"),
        ("2030-03-14", "2030-03-14 10:00", "am Donnerstag, 14. März, spätestens 10 Uhr"),
        (None, "2030-03-14 10:00", "spätestens Donnerstag, 14. März, 10 Uhr"),
        ("2030-03-13 09:00", "2030-03-15", "frühestens Mittwoch, 13. März, 9 Uhr, spätestens am Donnerstag, 14. März"),
        # on the episode's own day nothing changes
        ("2030-03-11 14:00", None, "frühestens 14 Uhr"),
    ],
)
def test_a_bound_on_another_day_names_its_day(earliest, latest, text):
    from incident.publish.wording import bounds_text

    tz = "Europe/Berlin"
    stamp = lambda v: None if v is None else pd.Timestamp(v, tz=tz)  # noqa: E731
    assert bounds_text(stamp(earliest), stamp(latest), tz=tz, day="2030-03-11") == text


def test_copies_of_one_text_dissent_as_one_source_in_the_fact_box():
    """Generated: two copies of one text say "am Mittag" against three independent "gegen 14 Uhr"."""
    r = run(
        [source("a"), source("b", group="g"), source("b2", group="g"), source("c"), source("d"), source("e")],
        [
            claim("a#1", event="outage_start", time="gegen 8 Uhr"),
            claim("b#1", event="fix", stance="working", time="am Mittag"),
            claim("b2#1", event="fix", stance="working", time="am Mittag"),
            claim("c#1", event="fix", stance="working", time="erst gegen 14 Uhr"),
            claim("d#1", event="fix", stance="working", time="gegen 14 Uhr"),
            claim("e#1", event="fix", stance="working", time="gegen 14 Uhr"),
        ],
    )
    note = _facts(r).loc["Alpha am Montag, 4. März: Ende der Störung", "note"]
    assert note.endswith("eine Quelle widerspricht")
