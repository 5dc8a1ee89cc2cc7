"""``make validate`` says, before a build, which claims the Ablauf will miss or only place at day level.

A GENERATED week (tests/fixtures/bounds_cases.py) with hand-chosen phrases, and the shipped
Warntag tables counted straight from the raw CSV (not from what the pipeline recorded).
"""

from __future__ import annotations

import csv

from fixtures.bounds_cases import claim, evidence, incident, source

from incident import cli, config
from incident.reconstruct.preview import placement, report


def test_the_report_counts_and_names_missing_and_day_level_claims():
    ev = evidence(
        [source("a", published="2030-03-06")],
        [
            claim("a#1", day="am Dienstag", time="gegen 9 Uhr"),  # read: not reported
            claim("a#2", day="am Dienstag", time="nach der ersten Stunde"),  # time unreadable: day level
            claim("a#3", day="", time=""),  # nothing to read: missing
            claim("a#4", day="kurz vor Weihnachten"),  # an event the phrase does not date: missing
        ],
    )
    p = placement(ev, incident=incident()).set_index("claim_id")
    assert p["status"].to_dict() == {"a#1": "", "a#2": "day", "a#3": "missing", "a#4": "missing"}
    lines = report(ev, incident=incident())
    text = "\n".join(lines)
    assert "timeline: 2 von 4 fehlen im Ablauf, 1 nur auf Tagesebene platziert" in text
    assert "fehlt: a#3 (ohne Angabe) (keine Tages- oder Zeitangabe)" in text
    assert "fehlt: a#4 „kurz vor Weihnachten“ (Ereignis oder Schultag, den die Angabe nicht datiert)" in text
    assert "nur Tag: a#2 „am Dienstag | nach der ersten Stunde“ (Uhrzeit nicht lesbar; nur der Tag der Angabe)" in text
    assert "a#1" not in text


def test_validate_prints_the_report_for_a_shipped_incident(capsys):
    assert cli.main(["validate", "--incident", "warntag-2020"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("warntag-2020: valid")
    # statements without any day or time phrase and without a recorded day: counted from the raw CSV
    raw = config.paths("warntag-2020").raw / "statements.csv"
    with raw.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bare = [r for r in rows if not r["day_text"] and not r["time_text"] and not r.get("refers_to_day")]
    assert len(bare) > 0
    assert f"statements: {len(bare)} von {len(rows)} fehlen im Ablauf" in out
    assert f"keine Tages- oder Zeitangabe {len(bare)}" in out
    # at most three examples per table and kind
    assert sum(line.strip().startswith("fehlt: ") for line in out.splitlines() if "statements" not in line) <= 9
