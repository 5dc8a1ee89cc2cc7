"""TimelineJS and Datawrapper exports carry the bounds and nothing more precise.

Generated cases (labelled generated) with hand-worked answers; that the real tools read the
files is tested in tests/test_realtools.py.
"""

from __future__ import annotations

import json

import pandas as pd
from fixtures.bounds_cases import claim, evidence, incident, source

from incident.publish import exports
from incident.reconstruct import reconstruct


def _rec(sources, timeline):
    return reconstruct(evidence(sources, timeline), incident=incident())


def _disputed():
    return _rec(
        [source("a"), source("b"), source("c")],
        [
            claim("a#1", event="outage_start", time="gegen 8 Uhr"),
            claim("b#1", event="fix", stance="working", time="am Mittag"),
            claim("c#1", event="fix", stance="working", time="erst gegen 14 Uhr"),
        ],
    )


def test_timelinejs_slide_sits_at_its_hours_and_names_the_bounds_and_the_dispute():
    """Generated: onset "gegen 8 Uhr" (7:30–8:30), recovery "am Mittag" against "erst gegen 14 Uhr":
    the slide spans 8:30 (latest onset) to 11:30 (earliest recovery), not midnight."""
    doc = exports.timelinejs(_disputed(), incident=incident())
    (event,) = doc["events"]
    assert event["start_date"] == {"year": "2030", "month": "3", "day": "4", "hour": "8", "minute": "30"}
    assert event["end_date"] == {"year": "2030", "month": "3", "day": "4", "hour": "11", "minute": "30"}
    assert event["display_date"].startswith("Alpha, Mo. 4.3.: ")
    assert "Beginn zwischen 7.30 und 8.30 Uhr" in event["display_date"]
    # the end's earliest side is only the edge of "am Mittag": written in those words, never as 11.30
    assert "Ende frühestens „am Mittag“, spätestens 14.30 Uhr" in event["display_date"]
    assert event["text"]["headline"] == "Ausfall"  # short: the marker's row names the platform
    assert event["group"] == "Alpha"
    text = event["text"]["text"]
    assert "Quellen widersprechen sich" in text and "„am Mittag“" in text and "„erst gegen 14 Uhr“" in text
    for code in ("outage", "recovery", "single", "a#1"):
        assert code not in text.replace("https://example.org/gen/", "")


def test_timelinejs_count_of_independent_sources_is_the_number_listed():
    """Generated: two texts of one agency copy (same syndication group) and one own text: 2 sources, 2 entries."""
    r = _rec(
        [source("a", group="agency"), source("b", group="agency"), source("c")],
        [
            claim("a#1", event="outage_start", time="gegen 8 Uhr"),
            claim("b#1", event="outage_start", time="gegen 8 Uhr"),
            claim("c#1", event="fix", stance="working", time="gegen 14 Uhr"),
        ],
    )
    (event,) = exports.timelinejs(r, incident=incident())["events"]
    text = event["text"]["text"]
    assert "2 unabhängige Quellen:" in text
    assert text.count("<li>") == 2 == int(r.sequence["n_independent_sources"].iloc[0])


def test_timelinejs_german_locale_has_the_hour_formats_the_time_axis_uses():
    loc = exports.TIMELINEJS_LOCALE_DE
    formats = loc["dateformats"]
    for key in ("time_no_minutes_short", "time_no_seconds_short", "time_short", "full_short", "full_long"):
        assert key in formats and "TT" not in formats[key]
    assert formats["time_no_minutes_short"] == "H 'Uhr'"
    assert all(v == ["", ""] for v in loc["period_labels"].values())
    assert loc["messages"]["loading_timeline"].startswith("Zeitleiste")


def test_timelinejs_groups_are_the_articles_platforms_only():
    inc = incident(platforms=("alpha", "beta"))
    doc = exports.timelinejs(
        _rec([source("a")], [claim("a#1", platform="alpha; beta", time="gegen 8 Uhr")]), incident=inc
    )
    assert {e["group"] for e in doc["events"]} <= {p.name for p in inc.platforms if p.article}


def test_timelinejs_escapes_html_from_the_data():
    hostile = source("a")
    hostile["outlet"] = "<img src=x onerror=alert(1)>"
    doc = exports.timelinejs(_rec([hostile], [claim("a#1", time="gegen 8 Uhr")]), incident=incident())
    blob = json.dumps(doc)
    assert "<img" not in blob and "&lt;img" in blob


def test_datawrapper_backwards_bounds_draw_only_the_window_and_say_so():
    """Generated: "am Montagmorgen" bounds onset by 10:00 and recovery from 6:00 — the end's lower bound
    lies before the start's upper bound, says nothing and is left out (reconstruct/said.py), and the 10:00
    is only the edge of "Morgen". The row draws 6:00–10:00 and says it is only the window."""
    r = _rec([source("a")], [claim("a#1", day="am Montagmorgen")])
    row = exports.datawrapper(r, incident=incident())["datawrapper_sequence.csv"].iloc[0]
    assert (row["Beginn"], row["Ende"]) == ("spätestens „am Montagmorgen“", "unbekannt")
    assert (row["Von"], row["Bis"], row["Von_Uhr"], row["Bis_Uhr"]) == (
        "2030-03-04 06:00",
        "2030-03-04 10:00",
        6.0,
        10.0,
    )
    assert row["Gezeigt"] == exports.SPAN_WINDOW
    assert (row["Beginn_offen"], row["Ende_offen"]) == ("ja", "ja")
    assert row["Bezeichnung"] == "Alpha, Mo. 4.3." and row["Zustand"] == "Ausfall"


def test_datawrapper_draws_the_certain_outage_between_latest_onset_and_earliest_recovery():
    """Generated: onset 7:30–8:30 ("gegen 8 Uhr"), recovery 13:30–14:30 ("gegen 14 Uhr"): 8:30 to 13:30."""
    r = _rec(
        [source("a"), source("b")],
        [
            claim("a#1", event="outage_start", time="gegen 8 Uhr"),
            claim("b#1", event="fix", stance="working", time="gegen 14 Uhr"),
        ],
    )
    row = exports.datawrapper(r, incident=incident())["datawrapper_sequence.csv"].iloc[0]
    assert (row["Von"], row["Bis"]) == ("2030-03-04 08:30", "2030-03-04 13:30")
    assert (row["Von_Uhr"], row["Bis_Uhr"]) == (8.5, 13.5)
    assert row["Gezeigt"] == exports.SPAN_CERTAIN and (row["Beginn_offen"], row["Ende_offen"]) == ("nein", "nein")


def test_datawrapper_one_known_moment_is_a_point_with_the_open_edge_named():
    """Generated: only "gegen 8 Uhr" for the onset, nothing about the end: one moment, the end open."""
    r = _rec([source("a")], [claim("a#1", event="outage_start", time="um 8 Uhr")])
    row = exports.datawrapper(r, incident=incident())["datawrapper_sequence.csv"].iloc[0]
    assert row["Von"] == row["Bis"] and row["Von_Uhr"] == row["Bis_Uhr"]
    assert row["Gezeigt"] == exports.SPAN_MOMENT and row["Ende_offen"] == "ja"


def test_datawrapper_conflicts_name_both_sides_in_german():
    dw = exports.datawrapper(_disputed(), incident=incident())["datawrapper_conflicts.csv"]
    row = dw[dw["Art"] == "Zeitangaben"].iloc[0]
    assert row["Worum"] == "Ende"
    sides = {row["Seite_A"], row["Seite_B"]}
    assert any("„am Mittag“" in s and "14 Uhr" not in s for s in sides)
    assert any("„erst gegen 14 Uhr“" in s and "Mittag" not in s for s in sides)
    assert row["Anzahl_Quellen_A"] == 1 and row["Anzahl_Quellen_B"] == 1


def test_datawrapper_text_cells_hold_no_delimiter_datawrapper_counts_and_no_formula():
    hostile = source("a")
    hostile["outlet"] = '=HYPERLINK("http://evil.example";"x")|\tA; B'
    r = _rec(
        [hostile, source("b")],
        [
            claim("a#1", event="fix", stance="working", time="am Mittag"),
            claim("b#1", event="fix", stance="working", time="gegen 14 Uhr"),
        ],
    )
    for name, df in exports.datawrapper(r, incident=incident()).items():
        for col in df.columns:
            if df[col].dtype == object:
                cells = df[col].astype(str)
                assert not cells.str.contains(r"[;|\t]").any(), (name, col)
                assert not cells.str.match(r"[=+\-@]").any(), (name, col)


def test_exports_hold_no_point_estimate_or_model_word():
    r = _disputed()
    blob = json.dumps(exports.timelinejs(r, incident=incident()), ensure_ascii=False)
    blob += "".join(df.to_csv() for df in exports.datawrapper(r, incident=incident()).values())
    for word in ("rekonstruiert", "90 %", "Bootstrap", "Bruchstelle", "Anteil"):
        assert word not in blob
    assert not pd.isna(r.sequence["recovery_latest"].iloc[0])
