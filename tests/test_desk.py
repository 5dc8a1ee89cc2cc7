"""The desk pages ("Für die Redaktion") read German and show every table whole.

* In a notebook kernel, :func:`incident.publish.tables.show_whole_tables` makes IPython display a
  long frame with all rows, no index and no "… rows × … columns" line; pandas' own display
  (kept as the counter-example) cuts it to ten rows.
* The site refuses a table pandas cut, and keeps no text outside the table.
* Every desk table of every incident under ``data/raw/`` (processed fresh in a temporary tree)
  has German column labels and no English working note in a cell: no outlet note ("app/webview
  copy"), no English speaker or role ("spokesman", "minister"), no English ``counted`` prose,
  no platform code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from incident.config import paths as make_paths
from incident.errors import SiteError
from incident.evidence.descriptor import load_descriptor
from incident.processed import read
from incident.publish import facts, site, tables

ROOT = Path(__file__).resolve().parents[1]
#: English words of the raw tables' working notes; none may be a word of a desk table cell.
ENGLISH = {
    "the",
    "and",
    "of",
    "copy",
    "webview",
    "slug",
    "spokesman",
    "spokesperson",
    "minister",
    "ministry",
    "company",
    "release",
    "reported",
    "paraphrased",
    "indirect",
    "speech",
    "head",
    "teacher",
    "chair",
    "schools",
    "pupils",
    "users",
    "daily",
    "growth",
    "rate",
    "number",
    "access",
    "figure",
    "unnamed",
    "statement",
    "context",
    "unknown",
}
#: Columns that hold the sources' own German words (quotes), checked for codes only.
VERBATIM = {
    "Zitat",
    "Im Original",
    "Beginn laut Quellen",
    "Ende laut Quellen",
    "Zeitangabe",
    "Seite A",
    "Seite B",
    "Überschrift",  # a source's own title, in its own language
}


def _long_frame(n: int = 104) -> pd.DataFrame:
    return pd.DataFrame({"Medium": [f"Zeitung {i}" for i in range(n)], "Zahl": range(n)})


def _body_rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_pandas_alone_cuts_a_long_table():
    """Counter-example: what a notebook showed before (the issue's "104 rows × 6 columns")."""
    html = _long_frame()._repr_html_()
    assert "104 rows × 2 columns" in html and len(_body_rows(html)) < 104


def test_kernel_displays_every_row_without_index():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert tables.show_whole_tables()
        data, _ = shell.display_formatter.format(_long_frame())
    finally:
        shell.display_formatter.formatters["text/html"].pop(pd.DataFrame, None)
        InteractiveShell.clear_instance()
    html = data["text/html"]
    rows = _body_rows(html)
    assert len(rows) == 104
    assert "rows ×" not in html and "…" not in html and "..." not in html
    assert all(not r.strip().startswith("<th") for r in rows), "no index column"
    assert rows[-1].count("<td>") == 2 and "Zeitung 103" in rows[-1]


def test_outside_a_kernel_nothing_is_configured():
    assert tables.show_whole_tables() is False


def test_site_refuses_a_cut_table_and_drops_text_outside_tables(tmp_path):
    charts = site.Charts(tmp_path, {}, prefix="t")
    cut = nbformat.v4.new_output("execute_result", data={"text/html": _long_frame()._repr_html_()}, execution_count=1)
    with pytest.raises(SiteError, match="gekürzt"):
        site.render_output(cut, charts)
    whole = nbformat.v4.new_output(
        "execute_result", data={"text/html": tables.whole_html(_long_frame()) + "<p>104 rows × 2 columns</p>"}
    )
    out = str(site.render_output(whole, charts))
    assert "rows ×" not in out and len(_body_rows(out)) == 104 and 'class="table-box desk-table"' in out


@pytest.fixture(scope="module")
def real_tables(tmp_path_factory) -> list[tuple[str, object, dict]]:
    """Processed tables of every real incident, made fresh from data/raw in a temporary tree."""
    home = tmp_path_factory.mktemp("desk-home")
    out = []
    for raw in sorted((ROOT / "data" / "raw").iterdir()):
        if not (raw / "datapackage.json").exists():
            continue
        shutil.copytree(raw, home / "data" / "raw" / raw.name)
        env = {**os.environ, "INCIDENT_HOME": str(home), "INCIDENT": raw.name}
        res = subprocess.run(
            [sys.executable, "-m", "incident", "process", "--incident", raw.name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert res.returncode == 0, res.stderr
        paths = make_paths(raw.name, home=str(home))
        incident = load_descriptor(paths)
        out.append((raw.name, incident, read(paths.processed, tz=incident.timezone)))
    assert out
    return out


def _desk_tables(incident, t) -> dict[str, pd.DataFrame]:
    shown = tuple(incident.article_platforms)
    every = tuple(p.id for p in incident.platforms)
    return {
        "Quellenkatalog": tables.source_catalogue(t),
        "Quellen je Art": tables.source_kinds(t),
        "Kopien": tables.copies(t),
        "Ablauf": tables.sequence(t, incident=incident, platforms=shown),
        "Widersprüche": tables.conflicts(t, incident=incident),
        "Nicht im Ablauf": tables.left_out(t, incident=incident),
        "Ohne Zeit": tables.unresolved(t, incident=incident),
        "Aussagen": tables.statements(t, incident=incident, platforms=every),
        "Zahlen": tables.figures(t, incident=incident, platforms=every),
        "Fakten": tables.facts(facts.fact_box(t, incident=incident), t),
    }


def test_desk_tables_have_german_labels_and_no_english_cells(real_tables):
    problems = []
    for name, incident, t in real_tables:
        codes = ({p.id for p in incident.platforms} | set(incident.context_ids)) - {p.name for p in incident.platforms}
        outlets = sorted({str(o) for o in t["sources"]["outlet"]} - {""}, key=len, reverse=True)
        for title, frame in _desk_tables(incident, t).items():
            assert len(frame.columns), title
            for col in frame.columns:
                assert re.fullmatch(r"[A-ZÄÖÜ][\wäöüß ]*", col), f"{title}: column {col!r} is not a German label"
            for col in frame.columns:
                for value in frame[col].astype(str):
                    # an outlet's name is a proper name in its own language ("The Times"), not desk English
                    bare = value
                    for outlet in outlets:
                        bare = bare.replace(outlet, " ")
                    words = set(re.findall(r"[A-Za-zÄÖÜäöüß]+", bare.lower()))
                    if col not in VERBATIM and words & ENGLISH:
                        problems.append(f"{name} {title}/{col}: {value[:80]!r} ({sorted(words & ENGLISH)})")
                    if value.strip() in codes and col != "Text":
                        problems.append(f"{name} {title}/{col}: code {value!r}")
    assert problems == [], "\n".join(problems[:25])


def test_statements_show_german_speakers_and_claims_when_the_raw_tables_give_them(real_tables):
    name, incident, t = real_tables[0]
    c = t["claims_resolved"].copy()
    said = c["table"] == "statements"
    c.loc[said, "speaker_de"] = "Sprecherin des Ministeriums"
    c.loc[said, "was"] = "Das Ministerium sagt, alles laufe stabil."
    out = tables.statements({**t, "claims_resolved": c}, incident=incident, platforms=tuple(incident.platform_ids))
    assert set(out["Wer"]) == {"Sprecherin des Ministeriums"}
    assert set(out["Was"]) == {"Das Ministerium sagt, alles laufe stabil."}
    english = set(t["claims_resolved"]["speaker"]) - {""}
    assert not english & set(tables.statements(t, incident=incident, platforms=tuple(incident.platform_ids))["Wer"])


def test_every_code_of_the_real_processed_tables_is_explained_in_german(real_tables):
    """The downloads' codebook (datapackage.json) explains every code the real tables hold."""
    from incident import codebook

    missing = set()
    for _name, incident, t in real_tables:
        for table, frame in t.items():
            for col in frame.columns:
                known = codebook.codes(table, col, extra=dict(incident.labels))
                if not known:
                    continue
                for cell in frame[col].dropna().astype(str):
                    # a chain of causes ("overload > mediation_error") is explained link by link
                    codes = [x.strip() for c in cell.split(";") for x in c.split(">")]
                    missing |= {f"{table}.{col}: {c}" for c in codes if c and c not in known}
    assert sorted(missing) == []


def test_validation_messages_are_german_beside_english():
    from incident.errors import Problem, ValidationError, german_reason

    p = Problem("counts.csv", 3, "value", "2.500", "decimal comma or thousands separator; numbers use a decimal point")
    assert str(p).startswith("counts.csv, row 3, column 'value': Dezimalkomma oder Tausenderpunkt")
    assert "/ decimal comma" in str(p)
    assert (
        p.german
        == "counts.csv, Zeile 3, Spalte 'value': Dezimalkomma oder Tausenderpunkt; Zahlen mit Dezimalpunkt schreiben (Wert '2.500')"
    )
    assert german_reason("longer than 80 characters") == "länger als 80 Zeichen"
    assert german_reason("something nobody translated") == ""
    message = str(ValidationError([p, Problem("sources.csv", None, None, None, "file is missing")]))
    assert message.startswith("2 Problem(e) in den Rohdaten / problem(s) in the raw tables:")
    assert "sources.csv: Datei fehlt / file is missing" in message


def test_the_checks_real_messages_have_german(tmp_path):
    """A copy of a real incident with typical editor mistakes: every message the validator gives has German."""
    import csv as csv_mod

    from incident.errors import ValidationError, german_reason
    from incident.evidence.load import load_incident

    raw = next(p for p in sorted((ROOT / "data" / "raw").iterdir()) if (p / "datapackage.json").exists())
    home = tmp_path / "home"
    shutil.copytree(raw, home / "data" / "raw" / raw.name)
    counts = home / "data" / "raw" / raw.name / "counts.csv"
    rows = list(csv_mod.DictReader(counts.open(encoding="utf-8", newline="")))
    fields = list(rows[0])
    rows[0]["value"] = "2.500,5"  # German number format
    rows[1]["source_id"] = " " + rows[1]["source_id"]  # white space
    rows[2]["claim_id"] = rows[3]["claim_id"]  # duplicate id
    with counts.open("w", encoding="utf-8", newline="") as fh:
        w = csv_mod.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(ValidationError) as info:
        load_incident(make_paths(raw.name, home=str(home)))
    problems = info.value.problems
    assert len(problems) >= 3
    untranslated = [p.reason for p in problems if not german_reason(p.reason)]
    assert untranslated == []
