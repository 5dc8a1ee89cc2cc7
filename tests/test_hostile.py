"""Hostile input (issue 10) and the evidence checks of issues 9 and 13.

Every test works on a temporary copy of the shipped incident and changes one cell (or one
file) at a time; each case was written to fail on the loader before Frictionless, NFC
normalisation, the URL rule, strict German figures and the capped messages were added.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fixtures.rawcopy import REAL, copy_incident, rows, write_rows
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from incident import config
from incident.errors import Problem, ValidationError
from incident.evidence import load

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = ZERO_WIDTH + BIDI
FUNCTION_SCOPED = [HealthCheck.function_scoped_fixture]


@pytest.fixture()
def copy(tmp_path: Path) -> config.Paths:
    """A writable copy of the shipped incident's raw folder under a temporary INCIDENT_HOME."""
    return copy_incident(tmp_path)


_rows, _write = rows, write_rows


def _set(p: config.Paths, table: str, row: int, column: str, value: str) -> None:
    """Set one cell (``row`` is the 1-based data row) of a fresh copy of the shipped table."""
    rows = _rows(REAL.raw / f"{table}.csv")
    rows[row - 1][column] = value
    _write(p.raw / f"{table}.csv", rows)


def _problems(p: config.Paths) -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        load.load_incident(p)
    return info.value.problems


def _row_where(table: str, **match) -> int:
    for i, r in enumerate(_rows(REAL.raw / f"{table}.csv"), start=1):
        if all(r[k] == v for k, v in match.items()):
            return i
    raise LookupError(match)


def _own_group_sources() -> list[int]:
    return [
        i for i, r in enumerate(_rows(REAL.raw / "sources.csv"), start=1) if r["syndication_group"] == r["source_id"]
    ]


def _cli(p: config.Paths) -> subprocess.CompletedProcess:
    env = {**os.environ, "INCIDENT_HOME": str(p.home)}
    return subprocess.run(
        [sys.executable, "-m", "incident", "validate", "--incident", p.incident],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --------------------------------------------------------------------------- Unicode: NFC, invisible characters


def test_nfd_cell_compares_equal_to_nfc_after_load(copy):
    i = _own_group_sources()[0]
    _set(copy, "sources", i, "region", unicodedata.normalize("NFD", "Baden-Württemberg"))
    ev = load.load_incident(copy)
    sid = _rows(REAL.raw / "sources.csv")[i - 1]["source_id"]
    assert ev.sources.set_index("source_id").loc[sid, "region"] == "Baden-Württemberg"


def test_syndication_group_in_nfc_and_nfd_is_one_group(copy):
    a, b = _own_group_sources()[:2]
    rows = _rows(REAL.raw / "sources.csv")
    rows[a - 1]["syndication_group"] = unicodedata.normalize("NFC", "dpa-württemberg-20210111")
    rows[b - 1]["syndication_group"] = unicodedata.normalize("NFD", "dpa-württemberg-20210111")
    _write(copy.raw / "sources.csv", rows)
    ev = load.load_incident(copy)
    ids = {rows[a - 1]["source_id"], rows[b - 1]["source_id"]}
    assert ev.sources[ev.sources["source_id"].isin(ids)]["syndication_group"].nunique() == 1


def test_zero_width_space_at_end_of_quantity_is_refused(copy):
    """It silently dropped "100.000 Anfragen" from the fact box (a key that matches nothing)."""
    i = _row_where("counts", value_text="weitere 100.000 Anfragen")
    key = _rows(REAL.raw / "counts.csv")[i - 1]["quantity"]
    _set(copy, "counts", i, "quantity", key + "\u200b")
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("counts.csv", i, "quantity") and "U+200B" in x.reason for x in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(
    ch=st.sampled_from(INVISIBLE),
    where=st.floats(0, 1),
    column=st.sampled_from([("counts", "quantity"), ("sources", "syndication_group"), ("sources", "outlet")]),
)
def test_invisible_characters_are_refused_in_keys_groups_and_names(copy, ch, where, column):
    table, col = column
    rows = _rows(REAL.raw / f"{table}.csv")
    i = next(k for k, r in enumerate(rows, start=1) if r[col])
    value = rows[i - 1][col]
    pos = round(where * len(value))
    _set(copy, table, i, col, value[:pos] + ch + value[pos:])
    problems = _problems(copy)
    assert any(
        (x.file, x.row, x.column) == (f"{table}.csv", i, col) and f"U+{ord(ch):04X}" in x.reason for x in problems
    ), problems


@pytest.mark.parametrize(
    "column, ch", [("what", "\u202e"), ("quote", "\u200b"), ("headline", "\u2067"), ("confidence_note", "\u200f")]
)
def test_invisible_characters_in_free_text_are_flagged(copy, column, ch):
    table = "sources" if column == "headline" else "statements"
    rows = _rows(REAL.raw / f"{table}.csv")
    i = next(k for k, r in enumerate(rows, start=1) if r[column])
    value = rows[i - 1][column]
    _set(copy, table, i, column, value[:3] + ch + value[3:])
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == (f"{table}.csv", i, column) and "free text" in x.reason for x in problems)


def test_quote_made_only_of_a_zero_width_space_is_not_a_quote(copy):
    rows = _rows(REAL.raw / "statements.csv")
    i = next(k for k, r in enumerate(rows, start=1) if not r["quote"])
    _set(copy, "statements", i, "quote", "\u200b")
    problems = _problems(copy)
    assert any(
        (x.file, x.row, x.column) == ("statements.csv", i, "quote") and "no visible text" in x.reason for x in problems
    )


def test_zero_width_joiner_inside_an_emoji_is_allowed_in_free_text():
    from incident.evidence.checks import hidden_character

    assert hidden_character("Wir arbeiten dran \U0001f468\u200d\U0001f4bb", free_text=True) is None
    assert hidden_character("Wir\u200darbeiten", free_text=True) is not None
    assert hidden_character("iserv\u00a0video", free_text=False) is not None  # a no-break space in a key


# --------------------------------------------------------------------------- URLs


HOSTILE_URLS = [
    "http://[::1",  # ValueError in urlsplit
    "https://a\u2100b.de/seite",  # ValueError under NFKC
    "https://www.waz.de@evil.example/staedte/x.html",  # user info: leads to evil.example
    "https://h\u0435ise.de/news/x.html",  # Cyrillic е: an IDN look-alike
    "https://www.waz.de/x.html\u200b",  # zero-width space
    "https://www.waz.de:99999/x.html",  # port out of range
    "https://www.waz.de\\.evil.example/x",  # backslash in the host
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_are_named_problems_not_tracebacks(copy, url):
    _set(copy, "sources", 1, "url", url)
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("sources.csv", 1, "url") for x in problems), problems


def test_url_rule_reasons_and_real_host():
    from incident import urls

    assert urls.check("https://www.waz.de/staedte/essen/x.html") is None
    assert urls.is_safe("http://www.iserv.de/")
    for bad in HOSTILE_URLS + [
        "ftp://www.waz.de/x",
        "https:///x",
        "https://",
        "javascript:alert(1)",
        "",
        "//www.waz.de/x",
        "https://www.waz.de/a b",
        "https://www.waz.de/\u202ex",
    ]:
        reason = urls.check(bad)
        assert isinstance(reason, str) and reason, bad
        assert not urls.is_safe(bad)
    assert "evil.example" in urls.check("https://www.waz.de@evil.example/x")
    assert "xn--hise-v4d.de" in urls.check("https://h\u0435ise.de/")
    assert urls.host("https://WWW.WAZ.DE/x") == "www.waz.de"
    assert urls.host("https://www.waz.de@evil.example/x") == "evil.example"
    assert urls.host("https://h\u0435ise.de/") == "xn--hise-v4d.de"
    assert urls.host("http://[::1") == ""


@settings(max_examples=300, deadline=None)
@given(
    url=st.one_of(
        st.text(max_size=80), st.builds(lambda a, b: f"https://{a}/{b}", st.text(max_size=30), st.text(max_size=30))
    )
)
def test_url_rule_never_raises_and_safe_means_plain_http_host(url):
    from incident import urls

    reason = urls.check(url)
    host = urls.host(url)
    assert isinstance(host, str)
    if reason is None:
        assert url.lower().startswith(("http://", "https://"))
        assert host and host.isascii() and "@" not in url.split("/")[2]
        assert not any(unicodedata.category(c)[0] in "CZ" for c in url)


# --------------------------------------------------------------------------- figures


def _count_row_with_value() -> int:
    return _row_where("counts", value_text="weitere 100.000 Anfragen")


def test_declared_minimum_of_counts_value_is_enforced(copy):
    i = _count_row_with_value()
    _set(copy, "counts", i, "value", "-3")
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("counts.csv", i, "value") and "minimum" in x.reason for x in problems)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "Infinity"])
def test_non_finite_values_are_refused_as_such(copy, value):
    i = _count_row_with_value()
    _set(copy, "counts", i, "value", value)
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("counts.csv", i, "value") and "finite" in x.reason for x in problems), (
        problems
    )


@pytest.mark.parametrize("value", ["2", "2500000"])
def test_point_as_decimal_mark_is_ambiguous_not_read_as_two(copy, value):
    i = _count_row_with_value()
    rows = _rows(REAL.raw / "counts.csv")
    rows[i - 1].update(value=value, value_text="2.5 Mio. Anfragen")
    _write(copy.raw / "counts.csv", rows)
    problems = _problems(copy)
    assert any(
        (x.file, x.row, x.column) == ("counts.csv", i, "value_text") and "ambiguous" in x.reason for x in problems
    )
    assert load.german_numbers("2.5 Mio.") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("zweieinhalb Millionen", 2_500_000),
        ("zwei Millionen", 2_000_000),
        ("anderthalb Millionen", 1_500_000),
        ("eine halbe Million", 500_000),
        ("dreieinhalb Tausend", 3_500),
        ("einundzwanzig Schulen", 21),
        ("zweihundertfünfzig Schulen", 250),
        ("siebenfach höhere Last", 7),
        ("verzehnfacht", 10),
        ("Erst jede fünfte Schule", 20),
        ("nur zur Hälfte ausgelastet", 50),
    ],
)
def test_number_words_are_read_and_checked_like_digits(copy, text, value):
    assert load.figure_agrees(value, text) is True
    assert load.figure_agrees(value + 1, text) is False
    i = _count_row_with_value()
    rows = _rows(REAL.raw / "counts.csv")
    rows[i - 1].update(value=str(value + 1), value_text=text)
    _write(copy.raw / "counts.csv", rows)
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("counts.csv", i, "value") and "disagrees" in x.reason for x in problems)


def test_a_range_shares_its_scale():
    text = "1,5 bis 1,7 Millionen"
    assert load.german_numbers(text) == [1_500_000.0, 1_700_000.0]
    assert load.figure_agrees(1_700_000, text) and load.figure_agrees(1_500_000, text)
    assert load.figure_agrees(1_600_000, text) is False
    assert load.figure_agrees(1.5, text) is False
    assert load.figure_agrees(1284, "2999 Nennungen … (1284)") is True


_UNITS = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
_TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]


def _spell(n: int) -> str:
    """German number word for 1 <= n < 1,000,000 (test oracle, written from the grammar)."""

    def below_hundred(k: int, final: bool) -> str:
        if k == 0:
            return ""
        if k < 10:
            return "eins" if (k == 1 and final) else _UNITS[k]
        if k < 20:
            return _TEENS[k - 10]
        unit = _UNITS[k % 10]
        return (unit + "und" if unit else "") + _TENS[k // 10]

    def below_thousand(k: int, final: bool) -> str:
        h, rest = divmod(k, 100)
        return (_UNITS[h] + "hundert" if h else "") + below_hundred(rest, final)

    th, rest = divmod(n, 1000)
    return (below_thousand(th, False) + "tausend" if th else "") + below_thousand(rest, True)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 999_999), scale=st.sampled_from([("", 1), (" Millionen", 1_000_000)]))
def test_spelled_numbers_are_read(n, scale):
    word = _spell(n)
    assume(not (scale[1] > 1 and n == 1))  # "eins Millionen" is not German
    text = f"rund {word}{scale[0]} Nutzer"
    assert load.german_numbers(text) == [float(n * scale[1])], text
    assert load.figure_agrees(n * scale[1], text) is True


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 10**11))
def test_grouped_digits_are_read_and_other_values_disagree(n):
    grouped = f"{n:,}".replace(",", ".")
    assert load.german_numbers(f"über {grouped} Zugriffe") == [float(n)]
    assert load.figure_agrees(n + 1, f"über {grouped} Zugriffe") is False


def test_non_ascii_digits_in_a_value_are_refused_not_a_traceback(copy):
    i = _count_row_with_value()
    _set(copy, "counts", i, "value", "\u0661\u0660\u0660\u0660\u0660\u0660")  # Arabic-Indic 100000
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("counts.csv", i, "value") for x in problems)


# --------------------------------------------------------------------------- messages and unreadable files


def test_problem_lines_are_capped():
    p = Problem("counts.csv", 3, "x" * 10_000, "v" * 10_000_000, "r" * 10_000_000)
    line = str(p)
    assert len(line) < 2_000
    assert "counts.csv, row 3" in line


def test_huge_datapackage_json_gives_a_short_message(copy):
    desc = json.loads(REAL.datapackage.read_text(encoding="utf-8"))
    desc["resources"][0]["schema"]["fields"].append({"name": "x" * (50 * 1024 * 1024), "type": "string"})
    copy.datapackage.write_text(json.dumps(desc), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load.load_incident(copy)
    assert len(str(info.value)) < 20_000
    assert all(x.file == "datapackage.json" for x in info.value.problems)


def test_large_field_name_in_datapackage_is_capped_in_every_line(copy):
    desc = json.loads(REAL.datapackage.read_text(encoding="utf-8"))
    desc["resources"][0]["schema"]["fields"].append({"name": "y" * 2_000_000, "type": "string"})
    copy.datapackage.write_text(json.dumps(desc), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load.load_incident(copy)
    assert len(str(info.value)) < 50_000
    assert any(x.file in ("datapackage.json", "sources.csv") for x in info.value.problems)


@pytest.mark.parametrize("change", ["bad pattern", "unknown foreign resource", "minimum not a number"])
def test_hostile_datapackage_is_named_not_a_traceback(copy, change):
    desc = json.loads(REAL.datapackage.read_text(encoding="utf-8"))
    sources, timeline, counts = (
        desc["resources"][0]["schema"],
        desc["resources"][1]["schema"],
        desc["resources"][2]["schema"],
    )
    if change == "bad pattern":
        sources["fields"][0]["constraints"]["pattern"] = "(["
    elif change == "unknown foreign resource":
        timeline["foreignKeys"][0]["reference"]["resource"] = "no-such-table"
    else:
        next(f for f in counts["fields"] if f["name"] == "value")["constraints"]["minimum"] = "null"
    copy.datapackage.write_text(json.dumps(desc), encoding="utf-8")
    problems = _problems(copy)
    assert problems and all(x.file == "datapackage.json" for x in problems), problems


def test_duplicate_column_name_is_named(copy):
    path = copy.raw / "statements.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    header[header.index("said_text")] = "what"
    lines[0] = ",".join(header)
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = _problems(copy)
    assert any(
        x.file == "statements.csv" and x.row == 0 and x.column == "what" and "duplicate" in x.reason for x in problems
    )


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(5, "Input/output error")])
@pytest.mark.parametrize("name", ["timeline.csv", "datapackage.json", "incident.yaml"])
def test_unreadable_files_are_named_errors(copy, monkeypatch, name, error):
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def refuse(self, *a, **k):
        if self.name == name:
            raise error
        return (real_read_bytes if refuse.kind == "bytes" else real_read_text)(self, *a, **k)

    def read_bytes(self):
        refuse.kind = "bytes"
        return refuse(self)

    def read_text(self, *a, **k):
        refuse.kind = "text"
        return refuse(self, *a, **k)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    problems = _problems(copy)
    assert any(x.file == name and "cannot be read" in x.reason for x in problems), problems


def test_a_folder_in_place_of_a_table_is_named(copy):
    (copy.raw / "counts.csv").unlink()
    (copy.raw / "counts.csv").mkdir()
    problems = _problems(copy)
    assert any(x.file == "counts.csv" and "folder" in x.reason for x in problems)


@pytest.mark.parametrize("case", ["url", "quantity", "folder"])
def test_command_line_exits_1_with_a_readable_message(copy, case):
    if case == "url":
        _set(copy, "sources", 1, "url", "http://[::1")
        expect = "sources.csv, row 1, column 'url'"
    elif case == "quantity":
        i = _count_row_with_value()
        _set(copy, "counts", i, "quantity", _rows(REAL.raw / "counts.csv")[i - 1]["quantity"] + "\u200b")
        expect = f"counts.csv, row {i}, column 'quantity'"
    else:
        (copy.raw / "counts.csv").unlink()
        (copy.raw / "counts.csv").mkdir()
        expect = "counts.csv: ist ein Ordner, keine Datei / is a folder"  # German beside English
    res = _cli(copy)
    assert res.returncode == 1, res.stdout
    assert "Traceback" not in res.stderr
    assert expect in res.stderr
    assert len(res.stderr) < 20_000


# --------------------------------------------------------------------------- issue 9: notes and quantity keys


def test_claim_id_named_in_a_note_must_exist(copy):
    rows = _rows(REAL.raw / "timeline.csv")
    i = next(k for k, r in enumerate(rows, start=1) if r["confidence_note"])
    note = rows[i - 1]["confidence_note"] + " Compare waz-20210112-zweiter-schultag#999."
    _set(copy, "timeline", i, "confidence_note", note)
    problems = _problems(copy)
    assert any(
        (x.file, x.row, x.column, x.value)
        == ("timeline.csv", i, "confidence_note", "waz-20210112-zweiter-schultag#999")
        for x in problems
    )


def test_one_measured_thing_under_two_keys_is_flagged(copy):
    # three WAZ rows say "Schools using IServ, according to the company (as reported by WAZ)"; one gets its own key
    i = _row_where("counts", claim_id="waz-20210111-iserv-nicht-erreichbar#3")
    _set(copy, "counts", i, "quantity", "iserv_schools_waz")
    problems = _problems(copy)
    assert any(x.file == "counts.csv" and x.column == "quantity" and "two keys" in x.reason for x in problems)


def test_the_two_keys_for_iservs_2020_growth_would_have_been_found(copy):
    """The data audit merged iserv_users_growth_2020_pct into iserv_users_growth_2020 (factor vs percent)."""
    rows = _rows(REAL.raw / "counts.csv")
    a = _row_where("counts", claim_id="haz-202101-iserv-praesenzunterricht#7")
    b = _row_where("counts", claim_id="wolfsburger-202101-so-funktioniert-iserv#2")
    rows[a - 1]["counted"] = "Growth factor of IServ user numbers during 2020"
    rows[b - 1]["quantity"] = "iserv_users_growth_2020_pct"
    rows[b - 1]["counted"] = (
        "Growth of IServ user numbers in 2020 in percent (HAZ: user numbers 'verdoppelt' – "
        "different figure for a similar quantity)"
    )
    _write(copy.raw / "counts.csv", rows)
    problems = _problems(copy)
    assert any(x.file == "counts.csv" and x.column == "quantity" and "two keys" in x.reason for x in problems)


# --------------------------------------------------------------------------- undeclared copies


def _copycat(p: config.Paths, *, independent_of: str = "", agency_copy: bool = False) -> str:
    """Add a source in its own group whose two statements copy two quotes of another source."""
    original = "heise-20210111-schulstart-wie-schnee"
    sources = _rows(REAL.raw / "sources.csv")
    new = dict(next(r for r in sources if r["source_id"] == original))
    new.update(
        source_id="copycat-20210112-abgeschrieben",
        syndication_group="copycat-20210112-abgeschrieben",
        url="https://www.example.org/abgeschrieben.html",
        syndication_note="",
        verification_note="",
        independent_of=independent_of,
    )
    _write(p.raw / "sources.csv", sources + [new])
    statements = _rows(REAL.raw / "statements.csv")
    copied = [r for r in statements if r["source_id"] == original and len(r["quote"].split()) >= 8][:2]
    assert len(copied) == 2
    for n, r in enumerate(copied, start=1):
        statements.append(
            {
                **r,
                "claim_id": f"{new['source_id']}#{n}",
                "source_id": new["source_id"],
                "confidence_note": f"AGENCY COPY of {r['claim_id']}" if agency_copy else "",
            }
        )
    _write(p.raw / "statements.csv", statements)
    return original


def test_undeclared_copy_is_refused(copy):
    original = _copycat(copy)
    problems = _problems(copy)
    pair = {original, "copycat-20210112-abgeschrieben"}
    assert any(
        x.file == "sources.csv" and x.column == "independent_of" and x.value in pair and "undeclared copy" in x.reason
        for x in problems
    ), problems


def test_reviewed_pair_and_declared_agency_copy_pass(tmp_path):
    for n, kwargs in enumerate([{"independent_of": "heise-20210111-schulstart-wie-schnee"}, {"agency_copy": True}]):
        p = config.paths(REAL.incident, home=tmp_path / str(n))
        shutil.copytree(REAL.raw, p.raw)
        _copycat(p, **kwargs)
        ev = load.load_incident(p)
        assert "copycat-20210112-abgeschrieben" in set(ev.sources["source_id"])


def test_independent_of_must_name_a_known_source(copy):
    _set(copy, "sources", 1, "independent_of", "no-such-source")
    problems = _problems(copy)
    assert any((x.file, x.row, x.column) == ("sources.csv", 1, "independent_of") for x in problems)


def test_shipped_incidents_have_no_flagged_pairs_or_quantities():
    from incident.evidence import checks

    for incident in sorted(d.name for d in (REAL.home / "data" / "raw").iterdir() if (d / "datapackage.json").exists()):
        p = config.paths(incident, home=REAL.home)
        _, tables, problems = load.validate_tables(p)
        assert not problems, (incident, problems[:5])
        assert checks.undeclared_copies(tables).empty, incident
