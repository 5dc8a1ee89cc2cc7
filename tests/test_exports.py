"""Exports: TimelineJS JSON (German phrase in display_date, escaped, limits stated) and Datawrapper CSVs."""

import json

import pandas as pd

from incident.publish import exports
from incident.config import TIMEZONE

T = lambda s: pd.Timestamp(s, tz=TIMEZONE)  # noqa: E731


def _frames(platform="iserv-video"):
    consensus = pd.DataFrame([{
        "platform": platform, "event": "fix", "day": "2021-01-11", "quantity": "", "status": "conflict", "n_accounts": 3,
        "n_sources": 3, "witness_kinds": "operator_quoted; reporter", "start": pd.NaT, "end": pd.NaT,
        "hull_start": T("2021-01-11 11:30"), "hull_end": T("2021-01-11 14:30"), "value": float("nan"),
        "claim_ids": "dpa#1; om#1; waz#1", "source_ids": "dpa; om; waz", "account_ids": "A1; A2",
    }])
    accounts = pd.DataFrame({"account_id": ["A1", "A2"], "phrases": ["am Montag | am Mittag", "am Montag | Erst gegen 14 Uhr"]})
    conflicts = pd.DataFrame([{
        "conflict_id": "C001", "claim_ids": "dpa#1; waz#1", "platform": platform, "event": "fix; restored",
        "day": "2021-01-11", "conflict_type": "time", "quantity": "",
        "side_a_claim_ids": "dpa#1", "side_a_source_ids": "dpa", "side_a_witness": "reporter",
        "side_a_start": T("2021-01-11 11:30"), "side_a_end": T("2021-01-11 13:30"), "side_a_value": float("nan"),
        "side_a_label": "fix", "side_a_phrases": "am Montag | am Mittag", "side_a_quotes": "",
        "side_b_claim_ids": "waz#1", "side_b_source_ids": "waz", "side_b_witness": "operator_quoted",
        "side_b_start": T("2021-01-11 13:30"), "side_b_end": T("2021-01-11 14:30"), "side_b_value": float("nan"),
        "side_b_label": "fix", "side_b_phrases": "am Montag | Erst gegen 14 Uhr", "side_b_quotes": "",
        "gap_minutes": 0.0, "ratio": float("nan"), "note": "",
    }])
    sequence = pd.DataFrame([{
        "window_id": "W001", "platform": platform, "onset": T("2021-01-11 08:00"), "onset_lo": T("2021-01-11 07:50"),
        "onset_hi": T("2021-01-11 08:10"), "recovery": T("2021-01-11 14:00"), "recovery_lo": T("2021-01-11 12:00"),
        "recovery_hi": T("2021-01-11 14:30"), "duration_minutes": 360.0, "regime": "down", "peak_share": 0.9,
        "n_sources": 5, "n_accounts": 6, "claim_ids": "dpa#1; waz#1",
    }])
    return consensus, accounts, conflicts, sequence


def test_timelinejs_structure_and_display_date():
    c, a, k, s = _frames()
    tl = exports.timelinejs(c, a, k, s, title="Ablauf")
    json.dumps(tl)  # serialisable
    assert tl["title"]["text"]["headline"] == "Ablauf"
    for limit in exports.TIMELINEJS_LIMITS[:2]:
        assert limit.split(":")[0] in tl["title"]["text"]["text"]
    ev = {e["unique_id"]: e for e in tl["events"]}
    fix = ev["iserv-video-fix-2021-01-11"]
    assert "am Mittag" in fix["display_date"] and "Erst gegen 14 Uhr" in fix["display_date"]
    assert fix["start_date"] == {"year": "2021", "month": "1", "day": "11", "hour": "11", "minute": "30"}
    assert fix["end_date"]["hour"] == "14"
    assert "Quellen widersprechen sich" in fix["text"]["text"] and "C001" in fix["text"]["text"]
    w = ev["W001"]
    assert w["display_date"].startswith("Montag, 11. Januar 2021, 8:00 Uhr")
    assert "7:50" in w["text"]["text"] or "07:50" in w["text"]["text"]
    assert "dpa#1" in w["text"]["text"]
    starts = [tuple(int(e["start_date"][x]) for x in ("year", "month", "day", "hour", "minute")) for e in tl["events"]]
    assert starts == sorted(starts)


def test_timelinejs_escapes_html():
    c, a, k, s = _frames(platform="<script>x</script>")
    text = json.dumps(exports.timelinejs(c, a, k, s, title="<b>t</b>"))
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;" in text


def test_datawrapper_sequence_columns_and_local_times():
    *_, s = _frames()
    dw = exports.datawrapper_sequence(s)
    assert list(dw.columns) == ["Plattform", "Beginn", "Ende", "Beginn_frühestens", "Beginn_spätestens", "Ende_frühestens",
                                "Ende_spätestens", "Dauer_Minuten", "Zustand", "Quellen", "claim_ids"]
    row = dw.iloc[0]
    assert row["Beginn"] == "2021-01-11 08:00" and row["Ende_spätestens"] == "2021-01-11 14:30"
    assert row["Zustand"] == "Ausfall" and row["Dauer_Minuten"] == 360 and row["claim_ids"] == "dpa#1; waz#1"


def test_datawrapper_conflicts_name_both_sides():
    _, _, k, _ = _frames()
    dw = exports.datawrapper_conflicts(k)
    row = dw.iloc[0]
    assert row["Art"] == "Zeit"
    assert "am Mittag" in row["Seite_A"] and "11:30–13:30" in row["Seite_A"] and row["Quellen_A"] == "dpa"
    assert "gegen 14 Uhr" in row["Seite_B"] and row["Quellen_B"] == "waz"
    assert row["claim_ids"] == "dpa#1; waz#1"
