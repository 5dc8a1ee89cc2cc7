"""Downloads with a German codebook: every CSV described column by column in German, codes explained,
numbers written as numbers, and a LIESMICH.txt.

The site is built from the generated fixture incident (tests/fixtures/incident, invented data) with
the real exhibit and fact functions; the processed package of the real incidents is checked in
tests/test_realtools.py's temporary tree by ``incident.process`` itself (Frictionless).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from fixtures.sitekit import make_home

from incident import codebook, labels, processed
from incident.publish import facts
from incident.publish.site import FACT_FIELDS, build_site

GERMAN_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return build_site(make_home(tmp_path_factory.mktemp("codebook"), "fixture-2021")) / "downloads"


def test_every_column_of_every_table_and_export_has_a_german_title_and_description():
    tables = {**processed.TABLES, **processed.EXPORTS, "facts": list(FACT_FIELDS)}
    for table, fields in tables.items():
        for name, _ in fields:
            title, text = codebook.column(table, name)
            assert title and text and GERMAN_WORD.search(title), (table, name)
            assert title != name or table.startswith("datawrapper"), f"{table}.{name}: title is the code"


def test_codes_are_explained_in_german_from_the_label_table():
    assert "outage = Ausfall" in codebook.describe("sequence", "state")
    assert "degraded = Störung" in codebook.describe("sequence", "state")
    assert "onset = Beginn" in codebook.describe("sequence", "disputed")
    assert "overload = Überlastung" in codebook.describe("claims_resolved", "cause")
    own = codebook.describe("claims_resolved", "cause", extra={"causes": {"gen_cause": "generierte Ursache"}})
    assert "gen_cause = generierte Ursache" in own
    for code in labels.WITNESSES:
        assert f"{code} = {labels.WITNESSES[code]}" in codebook.describe("sources", "witness")


def test_downloads_package_describes_every_csv_in_german_and_validates(downloads):
    from frictionless import Package, system

    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in package["resources"]}
    csvs = sorted(p.name for p in downloads.glob("*.csv"))
    assert "facts.csv" in csvs and sorted(described) == csvs
    for name in csvs:
        with (downloads / name).open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        fields = described[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == header, name
        for f in fields:
            assert GERMAN_WORD.search(f["title"]) and len(f["description"]) > 5, (name, f)
    with system.use_context(trusted=True):
        report = Package(str(downloads / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_every_code_in_the_downloads_is_explained(downloads):
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    missing = []
    for res in package["resources"]:
        frame = pd.read_csv(downloads / res["path"], dtype=str, keep_default_na=False)
        stem = res["path"].removesuffix(".csv")
        for f in res["schema"]["fields"]:
            known = codebook.codes(stem, f["name"])
            if not known:
                continue
            for cell in frame[f["name"]]:
                for code in (c.strip() for c in cell.split(";") if c.strip()):
                    if f"{code} = " not in f["description"]:
                        missing.append(f"{res['path']}.{f['name']}: {code}")
    assert missing == []


def test_liesmich_names_every_file_and_how_numbers_are_written(downloads):
    text = (downloads / "LIESMICH.txt").read_text(encoding="utf-8")
    for p in downloads.iterdir():
        if p.name != "LIESMICH.txt":
            assert f"  {p.name}: " in text, p.name
    assert "ohne Tausenderpunkt" in text and "datapackage.json" in text


def test_facts_figures_are_numbers_and_the_german_wording_stays_beside_them(downloads):
    box = pd.read_csv(downloads / "facts.csv", dtype=str, keep_default_na=False)
    figures = box[box["kind"] == "zahl"]
    assert len(figures)
    for value, text in zip(figures["value"], figures["value_text"]):
        assert re.fullmatch(r"-?\d+(\.\d+)?", value), f"{value!r} is not a plain number"
        # the German wording: "2500", "25\u202f000" (thin space), "2,5 Millionen"
        first, *rest = text.split(" ")
        german = float(first.replace("\u202f", "").replace(".", "").replace(",", "."))
        if rest and rest[0] in ("Million", "Millionen"):
            german *= 1_000_000
        assert german == float(value), (value, text)
    assert (box.loc[box["kind"] == "zeit", "value"] == "").all()
    # read the way a tool in another locale would: the number is the same
    typed = pd.read_csv(downloads / "facts.csv", keep_default_na=False)
    assert typed.loc[typed["kind"] == "zahl", "value"].astype(float).min() >= 1


def test_plain_number_never_uses_a_thousands_separator():
    assert facts.plain_number(2500.0) == 2500 and str(facts.plain_number(2500.0)) == "2500"
    assert facts.plain_number(2.5) == 2.5 and str(facts.plain_number(2300000)) == "2300000"
