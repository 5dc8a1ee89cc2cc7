"""Outages over several days, and claims whose time cannot be read (issue 19), on GENERATED evidence.

The incident is the generated ``gen-2030`` week of tests/fixtures/bounds_cases.py (Monday 4 to
Friday 8 March 2030, Europe/Berlin, no DST change); every expected bound below is worked out by
hand from docs/timeexpr.md and the roles of incident/reconstruct/roles.py, never read from the code.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.bounds_cases import at, claim, evidence, incident, source, statement, tables_of

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

    tables = tables_of(r)
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


# --------------------------------------------------------------------------- "seit <Tag>" read against a later publication


def test_since_a_day_published_later_is_one_episode_from_that_day_to_the_publication():
    """Hand-worked: "seit Montag gestört" (outage, since) in a source of Thursday 7 March (day precision).
    "seit Montag" = [Mon 00:00, Tue 00:00) (docs/timeexpr.md: the day the state began), so the onset lies in
    Monday; the platform was still disrupted when the source was published, at the earliest Thursday 00:00,
    so the recovery is not before Thursday 00:00; no source bounds it from above ("unbekannt")."""
    r = run([source("a", published="2030-03-07")], [claim("a#1", day="seit Montag")])
    assert len(r.sequence) == 1
    row = r.sequence.iloc[0]
    assert row["day"] == "2030-03-04"
    assert edge(row, "onset") == (at(0, day=0), at(0, day=1))
    assert edge(row, "recovery") == (at(0, day=3), None)
    cons = r.constraints.set_index("claim_id")
    assert cons.loc["a#1", "role"] == "A"


def test_since_a_day_published_at_a_minute_bounds_the_recovery_by_that_minute():
    """The same claim in a source published Wednesday 6 March 10:05 (minute precision): recovery >= 10:05."""
    r = run(
        [source("a", published="2030-03-06T10:05+01:00", precision="minute")],
        [claim("a#1", day="seit dem 4. März")],
    )
    row = r.sequence.iloc[0]
    assert row["day"] == "2030-03-04"
    assert edge(row, "recovery") == (at(10, 5, day=2), None)


def test_since_today_is_no_span_over_days():
    """ "seit heute gestört" published Monday: the span is the publication day itself, an onset as before."""
    r = run([source("a")], [claim("a#1", day="seit heute")])
    cons = r.constraints.set_index("claim_id")
    assert cons.loc["a#1", "role"] == "O"
    assert edge(r.sequence.iloc[0], "recovery") == (None, None)


def test_later_reports_inside_the_span_join_it_and_a_day_level_recovery_closes_it():
    """Hand-worked: a#1 "seit Montag gestört" published Wednesday (recovery >= Wed 00:00); b#1 "am Dienstag
    gestört" and c#1 "am Mittwoch gestört" lie inside Monday..Wednesday: they join Monday's episode (each a
    day-level report: recovery >= its day's start, Tue / Wed 00:00). d#1 "läuft seit Freitag wieder" published
    Friday (restored + since = R, [Fri 00:00, Sat 00:00)) closes it: it opens no Friday episode. One episode:
    onset in Monday, recovery in [Fri 00:00, Sat 00:00)."""
    r = run(
        [
            source("a", published="2030-03-06"),
            source("b", published="2030-03-05"),
            source("c", published="2030-03-06"),
            source("d", published="2030-03-08"),
        ],
        [
            claim("a#1", day="seit Montag"),
            claim("b#1", day="am Dienstag"),
            claim("c#1", day="am Mittwoch"),
            claim("d#1", event="restored", stance="working", day="seit Freitag"),
        ],
    )
    assert list(r.sequence["day"]) == ["2030-03-04"], r.sequence[["episode_id", "day"]]
    row = r.sequence.iloc[0]
    assert edge(row, "onset") == (at(0, day=0), at(0, day=1))
    assert edge(row, "recovery") == (at(0, day=4), at(0, day=5))
    assert set(row["claim_ids"].split("; ")) == {"a#1", "b#1", "c#1", "d#1"}


def test_a_report_after_the_publication_day_stays_its_own_episode():
    """ "seit Montag gestört" published Tuesday reaches Tuesday only: a Thursday report is a new episode."""
    r = run(
        [source("a", published="2030-03-05"), source("b", published="2030-03-07")],
        [claim("a#1", day="seit Montag"), claim("b#1", day="am Donnerstag")],
    )
    assert list(r.sequence["day"]) == ["2030-03-04", "2030-03-07"]


def test_a_next_day_report_without_a_span_or_continuation_does_not_join_an_open_episode():
    """Monday's episode has no known end; a Tuesday "Störung" without "seit" or a continuation word is its
    own episode (no source says the Monday trouble lasted)."""
    r = run(
        [source("a"), source("b", published="2030-03-05")],
        [claim("a#1", event="outage_start", day="am Montag", time="gegen 8 Uhr"), claim("b#1", day="heute")],
    )
    assert list(r.sequence["day"]) == ["2030-03-04", "2030-03-05"]


def test_a_continuation_word_in_the_german_paraphrase_joins_the_earlier_episode():
    """Tuesday's report has no quote; its paraphrase (`was`) says "weiterhin nicht erreichbar": it joins
    Monday's episode and bounds the recovery from below (Tue 00:00)."""
    r = run(
        [source("a"), source("b", published="2030-03-05")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute", was="Laut Blatt b ist die Plattform weiterhin nicht erreichbar."),
        ],
    )
    assert list(r.sequence["day"]) == ["2030-03-04"]
    assert edge(r.sequence.iloc[0], "recovery") == (at(0, day=1), None)


def test_a_recovery_on_the_publication_day_closes_the_span_and_shows_no_disruption_that_day():
    """a#1 "seit Montag gestört" and b#1 "seit heute wieder erreichbar" (restored, since, R [Thu 00:00, Fri
    00:00)), both published Thursday: one Monday episode; recovery in [Thu 00:00, Fri 00:00); no Thursday
    episode."""
    r = run(
        [source("a", published="2030-03-07"), source("b", published="2030-03-07")],
        [claim("a#1", day="seit Montag"), claim("b#1", event="restored", stance="working", day="seit heute")],
    )
    assert list(r.sequence["day"]) == ["2030-03-04"]
    assert edge(r.sequence.iloc[0], "recovery") == (at(0, day=3), at(0, day=4))


def test_seit_n_tagen_places_the_episode_in_its_two_day_window():
    """ "seit 3 Tagen gestört" published Thursday 7 March: since [Mon 4, Wed 6) (docs/timeexpr.md: [day − N,
    day − N + 2)); the onset lies in Monday..Tuesday, the recovery is not before Thursday 00:00."""
    r = run([source("a", published="2030-03-07")], [claim("a#1", day="seit 3 Tagen")])
    assert len(r.sequence) == 1
    row = r.sequence.iloc[0]
    assert row["day"] == "2030-03-04"
    assert edge(row, "onset") == (at(0, day=0), at(0, day=2))
    assert edge(row, "recovery") == (at(0, day=3), None)


def test_bereits_seit_tagen_gives_no_start_day():
    """ "bereits seit Tagen" names no day: no span over days is made up (no episode from it)."""
    r = run([source("a", published="2030-03-07")], [claim("a#1", day="bereits seit Tagen")])
    assert len(r.sequence) == 0


def test_an_onset_on_a_later_day_inside_the_span_is_a_time_conflict():
    """a#1 "seit Montag gestört" published Thursday (onset in Monday); b#1 "am Mittwoch gegen 8 Uhr fiel die
    Plattform aus" (outage_start: onset in [Wed 07:30, 08:30]). Both belong to one episode and cannot both
    hold: the conflict code finds an onset conflict naming both."""
    r = run(
        [source("a", published="2030-03-07"), source("b", published="2030-03-06")],
        [claim("a#1", day="seit Montag"), claim("b#1", event="outage_start", day="am Mittwoch", time="gegen 8 Uhr")],
    )
    assert list(r.sequence["day"]) == ["2030-03-04"]
    time = r.conflicts[r.conflicts["conflict_type"] == "time"]
    assert len(time) == 1, r.conflicts
    assert set(time.iloc[0]["claim_ids"].split("; ")) == {"a#1", "b#1"}
    assert time.iloc[0]["event"] == "onset"


def _happened(r) -> str:
    from incident.publish.summary import summary

    tables = tables_of(r)
    return " ".join(str(s) for _, sentences in summary(tables, incident()).happened for s in sentences)


def test_an_open_end_after_a_held_span_is_written_as_open():
    """ "seit Montag gestört" published Thursday, no end reported: the recovery is not before Thursday 00:00
    and has no upper bound. The fact box says from Monday, the end at the earliest on Thursday, and that no
    source says when (never "vom 4. bis 7. März", which would say it ended on Thursday); the page text says
    it lasted at least until Thursday ("er": ein Ausfall)."""
    r = run([source("a", published="2030-03-07")], [claim("a#1", day="seit Montag")])
    box = _facts(r)
    assert box.loc["Alpha: Störung über mehrere Tage", "value_text"] == (
        "ab 4. März, Ende frühestens am 7. März, wann genau, sagt keine Quelle"
    )
    assert box.loc["Alpha ab Donnerstag, 7. März: Ende der Störung", "value_text"] == "frühestens am 7. März"
    text = _happened(r)
    assert "Er dauerte mindestens bis zum 7. März" in text and "wann er endete, sagt keine Quelle" in text, text
    assert "0:00 und 0:00" not in text


def test_an_end_on_a_later_day_names_that_day_in_the_page_text():
    """The hand-worked Monday..Thursday case above (recovery in [Thu 00:00, Fri 00:00)): the page text says
    the outage ended on 7 March in the course of the day, never "zwischen 0:00 und 0:00 Uhr"."""
    r = run(
        [source("a"), source("b", published="2030-03-05"), source("c", published="2030-03-08")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute", quote="Die Plattform ist noch immer gestört."),
            claim("c#1", event="restored", stance="working", day="", time="seit dem 7."),
        ],
    )
    text = _happened(r)
    assert "endete am 7. März im Laufe des Tages" in text, text
    assert "0:00 und 0:00" not in text


def test_the_ablauf_names_the_later_day_an_episode_ended_on():
    """An end on a later day is written with that day, never a clock time read on the onset day
    ("0:00–0:00 Uhr") and never the onset's part-of-day words."""
    from incident.publish.exhibits import sequence_data

    def ende(r) -> str:
        tables = tables_of(r)
        data = sequence_data(tables, incident=incident())
        # the rows in between say "weiter am …"; the edge's own label is on the row of its day
        rows = data[(data["part"] == "text_ende") & data["text"].str.startswith("Ende")]
        return str(rows["date"].iloc[0]), rows["text"].iloc[0]

    r = run([source("a", published="2030-03-07")], [claim("a#1", day="seit Montag")])
    assert ende(r) == ("2030-03-07", "Ende nicht vor Donnerstag, 7. März")
    r = run(
        [source("a"), source("b", published="2030-03-05"), source("c", published="2030-03-08")],
        [
            claim("a#1", day="am Montag"),
            claim("b#1", day="heute", quote="Die Plattform ist noch immer gestört."),
            claim("c#1", event="restored", stance="working", day="", time="seit dem 7."),
        ],
    )
    assert ende(r) == ("2030-03-07", "Ende im Laufe des Tages")  # on Thursday's own row


def test_the_ablauf_draws_the_certain_span_of_a_day_level_multi_day_episode_across_days():
    """Generated: "seit Montag" published Thursday. The outage began on Monday and went on until at least
    Thursday 00:00, so Tuesday and Wednesday are certainly disrupted: a solid bar on both days' rows."""
    from incident.publish.exhibits import sequence_data

    r = run([source("a", published="2030-03-07")], [claim("a#1", day="seit Montag")])
    tables = tables_of(r)
    data = sequence_data(tables, incident=incident())
    solid = data[data["part"] == "sicher"]
    assert {(str(d), float(s), float(e)) for d, s, e in zip(solid["date"], solid["start"], solid["end"])} >= {
        ("2030-03-05", 0.0, 24.0),
        ("2030-03-06", 0.0, 24.0),
    }
