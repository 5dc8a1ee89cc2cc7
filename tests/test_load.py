"""Tests for incident.evidence.load: the real tables load; every kind of breakage is named with file, row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fixtures.rawcopy import REAL, copy_incident, rows, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident import config
from incident.errors import ValidationError
from incident.evidence import load


@pytest.fixture()
def incident_copy(tmp_path: Path) -> config.Paths:
    """A writable copy of the shipped incident's raw folder under a temporary INCIDENT_HOME."""
    return copy_incident(tmp_path)


_rows, _write = rows, write_rows


def _problems(p: config.Paths) -> list:
    with pytest.raises(ValidationError) as info:
        load.load_incident(p)
    return info.value.problems


# --------------------------------------------------------------------------- the shipped evidence


def test_shipped_tables_are_valid_and_large_enough():
    ev = load.load_incident(REAL)
    claims = ev.claims()
    assert len(ev.sources) >= 60
    assert len(claims) >= 400
    platforms = " ".join(claims["platform"].dropna())
    for needed in ("iserv", "moodle-krzn", "logineo", "padlet"):
        assert needed in platforms, needed
    # every claim's source exists and has a URL and a publication date
    merged = claims.merge(ev.sources, on="source_id", how="left", validate="many_to_one")
    assert merged["url"].notna().all() and merged["published"].notna().all()
    assert ev.raw_rows["sources"] == len(ev.sources)


def test_published_time_is_berlin_and_day_precision_is_noon():
    ev = load.load_incident(REAL)
    src = ev.sources.set_index("source_id")
    assert str(src["published_at"].dt.tz) == "Europe/Berlin"
    day = src[src["published_precision"] == "day"].iloc[0]
    assert (day["published_at"].hour, day["published_at"].minute) == (12, 0)
    month = src[src["published_precision"] == "month"]
    if len(month):
        assert month["published_at"].isna().all()
        assert (month["published_end"] > month["published_start"]).all()


def test_counts_values_are_float_and_none_is_lost():
    """Every figure cell of the raw CSV arrives as a float (counted here with the csv module)."""
    ev = load.load_incident(REAL)
    raw = [r["value"] for r in _rows(REAL.raw / "counts.csv") if r["value"].strip()]
    assert ev.counts["value"].dtype == "float64"
    assert sorted(ev.counts["value"].dropna().tolist()) == sorted(float(v) for v in raw)


# --------------------------------------------------------------------------- German figures


@pytest.mark.parametrize(
    "text, expected",
    [
        ("100.000 Anfragen", [100000.0]),
        ("rund 4500 Schulen", [4500.0]),
        ("2,5 Millionen Teilnehmer", [2500000.0]),
        ("über 2,3 Mio. Schülerinnen", [2300000.0]),
        ("für sechs Monate", [6.0]),
        ("2500 Konferenzen mit 25.000 Teilnehmenden", [2500.0, 25000.0]),
        ("höchstens 170 000 gleichzeitig", [170000.0]),
        ("keine Zahl", []),
    ],
)
def test_german_numbers(text, expected):
    assert load.german_numbers(text) == expected


def test_figure_agrees_detects_disagreement():
    assert load.figure_agrees(100000, "100.000 Anfragen") is True
    assert load.figure_agrees(10000, "100.000 Anfragen") is False
    assert load.figure_agrees(5, "einige") is None


# --------------------------------------------------------------------------- broken copies


def test_every_problem_is_named_with_file_row_and_column(incident_copy):
    p = incident_copy
    sources = _rows(p.raw / "sources.csv")
    timeline = _rows(p.raw / "timeline.csv")
    counts = _rows(p.raw / "counts.csv")
    sources[1]["source_id"] = sources[0]["source_id"]  # duplicate id (row 2)
    sources[2]["url"] = ""  # missing URL (row 3)
    sources[3]["url"] = "javascript:alert(1)"  # not http(s) (row 4)
    sources[4]["published"] = "11. Januar 2021"  # unparseable time (row 5)
    timeline[0]["source_id"] = "no-such-source"  # unknown id (row 1)
    timeline[1]["what"] = "IServ f\u00c3\u00bcr Schulen"  # mojibake 'Ã¼' (row 2)
    i = next(i for i, r in enumerate(counts) if r["value"] and r["value_text"])
    counts[i]["value"] = str(float(counts[i]["value"]) * 10 + 1)  # disagrees with figure text
    _write(p.raw / "sources.csv", sources)
    _write(p.raw / "timeline.csv", timeline)
    _write(p.raw / "counts.csv", counts)
    problems = _problems(p)
    found = {(x.file, x.row, x.column) for x in problems}
    expected = {
        ("sources.csv", 2, "source_id"),
        ("sources.csv", 3, "url"),
        ("sources.csv", 4, "url"),
        ("sources.csv", 5, "published"),
        ("timeline.csv", 1, "source_id"),
        ("timeline.csv", 2, "what"),
        ("counts.csv", i + 1, "value"),
    }
    assert expected <= found, expected - found
    for x in problems:
        assert x.reason and x.file.endswith(".csv")


def test_wrong_delimiter_and_decimal_comma_are_named(incident_copy):
    p = incident_copy
    rows = _rows(p.raw / "statements.csv")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (p.raw / "statements.csv").write_text(buf.getvalue(), encoding="utf-8")
    counts = _rows(p.raw / "counts.csv")
    i = next(i for i, r in enumerate(counts) if r["value"])
    counts[i]["value"] = "2,5"
    _write(p.raw / "counts.csv", counts)
    problems = _problems(p)
    assert any(x.file == "statements.csv" and "delimiter" in x.reason for x in problems)
    assert any(
        x.file == "counts.csv" and x.row == i + 1 and x.column == "value" and "decimal" in x.reason for x in problems
    )


def test_cross_table_duplicate_claim_and_foreign_prefix(incident_copy):
    p = incident_copy
    timeline = _rows(p.raw / "timeline.csv")
    statements = _rows(p.raw / "statements.csv")
    statements[0]["claim_id"] = timeline[0]["claim_id"]
    statements[0]["source_id"] = timeline[0]["source_id"]
    timeline[2]["claim_id"] = "other-source#999"
    _write(p.raw / "timeline.csv", timeline)
    _write(p.raw / "statements.csv", statements)
    problems = _problems(p)
    assert any(
        x.file == "statements.csv" and x.row == 1 and x.column == "claim_id" and "duplicate" in x.reason
        for x in problems
    )
    assert any(x.file == "timeline.csv" and x.row == 3 and x.column == "claim_id" for x in problems)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_export_is_a_clear_error_not_a_wrong_value(incident_copy, encoding):
    p = incident_copy
    text = (p.raw / "timeline.csv").read_text(encoding="utf-8")
    assert any(ch in text for ch in "äöüß")
    (p.raw / "timeline.csv").write_bytes(text.encode(encoding, errors="replace"))
    problems = _problems(p)
    assert any(x.file == "timeline.csv" and "UTF-8" in x.reason for x in problems)


def test_byte_order_mark_loads_correctly(incident_copy):
    p = incident_copy
    path = p.raw / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ev = load.load_incident(p)
    assert "source_id" in ev.sources.columns
    assert ev.sources["source_id"].notna().all()


def test_empty_and_missing_files(incident_copy):
    p = incident_copy
    (p.raw / "counts.csv").write_bytes(b"")
    (p.raw / "statements.csv").unlink()
    problems = _problems(p)
    assert any(x.file == "counts.csv" and "empty" in x.reason for x in problems)
    assert any(x.file == "statements.csv" and "missing" in x.reason for x in problems)


def test_nothing_is_written_when_validation_fails(incident_copy):
    """The whole raw → processed step refuses to write on invalid input."""
    import subprocess
    import sys

    p = incident_copy
    sources = _rows(p.raw / "sources.csv")
    sources[0]["url"] = ""
    _write(p.raw / "sources.csv", sources)
    env = {**__import__("os").environ, "INCIDENT_HOME": str(p.home)}
    res = subprocess.run(
        [sys.executable, "-m", "incident", "process", "--incident", p.incident],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode != 0
    assert "sources.csv, row 1, column 'url'" in res.stderr
    assert "Traceback" not in res.stderr
    assert not p.processed.exists() or not any(p.processed.iterdir())
    assert not p.build.exists()


# --------------------------------------------------------------------------- hostile input


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=2000))
def test_random_bytes_give_a_clear_error(incident_copy, blob):
    p = incident_copy
    (p.raw / "timeline.csv").write_bytes(blob)
    try:
        load.load_incident(p)
    except ValidationError as exc:
        assert exc.problems and all(x.reason for x in exc.problems)
    else:  # only possible if the bytes happen to form a valid table
        pytest.fail("random bytes loaded as a valid timeline")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(max_size=200))
def test_arbitrary_text_in_a_cell_never_crashes(incident_copy, cell):
    p = incident_copy
    rows = _rows(REAL.raw / "counts.csv")
    rows[0]["value"] = cell
    _write(p.raw / "counts.csv", rows)
    try:
        ev = load.load_incident(p)
    except ValidationError as exc:
        assert all(x.reason for x in exc.problems)
    else:  # loaded: then the cell was a number that agrees with the figure text, or empty
        v = ev.counts.set_index("claim_id").loc[rows[0]["claim_id"], "value"]
        assert (cell.strip() == "" and v != v) or float(cell) == v


def test_large_table_loads(incident_copy):
    """A 50 MB generated timeline (labelled generated in its rows) loads without error."""
    p = incident_copy
    rows = _rows(REAL.raw / "timeline.csv")
    base = rows[0]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(base), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)  # the real rows stay: notes of other tables name them
    n = 0
    while out.tell() < 50 * 1024 * 1024:
        r = dict(base)
        r["claim_id"] = f"{base['source_id']}#{900000 + n}"
        r["what"] = f"generated row {n} for a load test " + "x" * 300
        w.writerow(r)
        n += 1
    (p.raw / "timeline.csv").write_text(out.getvalue(), encoding="utf-8")
    for name in ("counts", "statements"):  # keep claim ids unique across tables
        _write(p.raw / f"{name}.csv", [r for r in _rows(REAL.raw / f"{name}.csv")])
    ev = load.load_incident(p)
    assert len(ev.timeline) == n + len(rows)
