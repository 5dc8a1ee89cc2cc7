"""The contract of the processed tables: their columns and types, written as a data package.

``incident.process`` writes ``data/processed/<incident>/datapackage.json`` from
:data:`TABLES` and validates the folder with Frictionless before it is swapped in; readers
call :func:`read` and get typed columns (times tz-aware in the incident's zone, booleans as
``bool``, numbers as ``float``), so nothing downstream compares strings such as ``"true"``.
The meaning of every column is documented in ``docs/method.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incident.errors import Problem, ValidationError

S, N, INT, B, T, D = "string", "number", "integer", "boolean", "datetime", "date"

#: What a reporter distinguishes, recorded per raw claim row and carried into the resolved claims
#: (``docs/method.md``, the incident READMEs): scope and modality of the claim, who speaks (name,
#: organisation, role, German naming), whether its quote is verbatim, the day it refers to and why,
#: a German paraphrase, the pattern of an outage, a figure's qualifier and counted window.
#: Empty where a table lacks the column.
DISTINCTIONS = (
    "scope",
    "scope_de",
    "modality",
    "speaker_name",
    "speaker_org",
    "speaker_role",
    "speaker_de",
    "quote_verbatim",
    "refers_to_day",
    "day_basis",
    "was",
    "pattern",
    "qualifier",
    "window_text",
)

#: Table name → ordered ``(column, type)``; every table carries ``claim_ids``.
TABLES: dict[str, list[tuple[str, str]]] = {
    "sources": [
        ("source_id", S),
        ("outlet", S),
        ("url", S),
        ("headline", S),
        ("published", S),
        ("published_precision", S),
        ("published_at", T),
        ("kind", S),
        ("account_group", S),
        ("witness", S),
        ("verified", S),
        ("n_claims", INT),
        ("claim_ids", S),
    ],
    "claims_resolved": [
        ("claim_id", S),
        ("claim_ids", S),
        ("table", S),
        ("kind", S),
        ("source_id", S),
        ("account_group", S),
        ("witness", S),
        ("platform", S),
        ("event", S),
        ("stance", S),
        ("cause", S),
        ("quantity", S),
        ("value", N),
        ("unit", S),
        ("day_text", S),
        ("time_text", S),
        ("phrase", S),
        ("reference", S),
        ("start", T),
        ("end", T),
        ("span_kind", S),
        ("resolved", B),
        ("reason", S),
        ("flag", S),
        ("speaker", S),
        ("quote", S),
        ("value_text", S),
        ("counted", S),
        ("bounding", B),
        ("says", S),
        *((name, S) for name in DISTINCTIONS),
    ],
    "unresolved": [
        ("claim_id", S),
        ("claim_ids", S),
        ("table", S),
        ("source_id", S),
        ("platform", S),
        ("event", S),
        ("phrase", S),
        ("reference", S),
        ("reason", S),
    ],
    "flags": [
        ("claim_id", S),
        ("claim_ids", S),
        ("source_id", S),
        ("platform", S),
        ("event", S),
        ("phrase", S),
        ("published", S),
        ("start", T),
        ("end", T),
        ("flag", S),
        ("detail", S),
        ("on_timeline", B),
    ],
    "accounts": [
        ("account_id", S),
        ("claim_ids", S),
        ("platform", S),
        ("event", S),
        ("quantity", S),
        ("account_group", S),
        ("witness", S),
        ("source_ids", S),
        ("n_claims", INT),
        ("day", S),
        ("start", T),
        ("end", T),
        ("stance", S),
        ("cause", S),
        ("value", N),
        ("phrases", S),
        ("quotes", S),
    ],
    "figures": [
        ("quantity", S),
        ("platform", S),
        ("status", S),
        ("n_accounts", INT),
        ("n_sources", INT),
        ("value_min", N),
        ("value_max", N),
        ("values", S),
        ("claim_ids", S),
        ("source_ids", S),
        ("account_ids", S),
    ],
    "conflicts": [
        ("conflict_id", S),
        ("claim_ids", S),
        ("platform", S),
        ("event", S),
        ("day", S),
        ("conflict_type", S),
        ("quantity", S),
        ("episode_id", S),
        *[
            (f"side_{s}_{k}", t)
            for s in "ab"
            for k, t in (
                ("claim_ids", S),
                ("source_ids", S),
                ("n_sources", INT),
                ("witness", S),
                ("start", T),
                ("end", T),
                ("value", N),
                ("label", S),
                ("phrases", S),
                ("quotes", S),
            )
        ],
        ("gap_minutes", N),
        ("ratio", N),
        ("note", S),
    ],
    "sequence": [
        ("episode_id", S),
        ("platform", S),
        ("day", D),
        ("episode", INT),
        ("state", S),
        ("onset_earliest", T),
        ("onset_latest", T),
        ("onset_phrases", S),
        ("onset_claim_ids", S),
        ("recovery_earliest", T),
        ("recovery_latest", T),
        ("recovery_phrases", S),
        ("recovery_claim_ids", S),
        ("disputed", S),
        ("n_independent_sources", INT),
        ("onset_n_sources", INT),
        ("recovery_n_sources", INT),
        ("coarse", S),
        ("onset_earliest_words", S),
        ("onset_latest_words", S),
        ("recovery_earliest_words", S),
        ("recovery_latest_words", S),
        ("pattern", S),
        ("n_dissenting", INT),
        ("conflict_ids", S),
        ("statement_claim_ids", S),
        ("claim_ids", S),
    ],
    "constraints": [
        ("episode_id", S),
        ("claim_id", S),
        ("claim_ids", S),
        ("account_group", S),
        ("role", S),
        ("onset_lo", T),
        ("onset_hi", T),
        ("recovery_lo", T),
        ("recovery_hi", T),
        ("phrase", S),
        ("in_consistent_set", B),
        ("platform", S),
        ("day", D),
    ],
    "copies": [
        ("source_a", S),
        ("source_b", S),
        ("group_a", S),
        ("group_b", S),
        ("n_shared", INT),
        ("max_similarity", N),
        ("claim_ids", S),
        ("example", S),
        ("reviewed", B),
    ],
    "anomalies": [
        ("quantity", S),
        ("platform", S),
        ("start", T),
        ("end", T),
        ("value", N),
        ("baseline", N),
        ("threshold", N),
        ("anomalous", B),
        ("episode", INT),
        ("claim_ids", S),
    ],
    "rejected": [("claim_id", S), ("claim_ids", S), ("table", S), ("row", INT), ("reason", S)],
}


#: The newsroom exports beside the tables (German columns; built by incident.publish.exports):
#: described and validated in the same package, never read back typed.
EXPORTS: dict[str, list[tuple[str, str]]] = {
    "datawrapper_sequence": [
        ("Bezeichnung", S),
        ("Von", S),
        ("Bis", S),
        ("Von_Uhr", N),
        ("Bis_Uhr", N),
        ("Gezeigt", S),
        ("Beginn_offen", S),
        ("Ende_offen", S),
        ("Plattform", S),
        ("Tag", D),
        ("Zustand", S),
        ("Beginn", S),
        ("Beginn_laut_Quellen", S),
        ("Ende", S),
        ("Ende_laut_Quellen", S),
        ("Umstritten", S),
        ("Unabhängige_Quellen", INT),
        ("Belege", S),
    ],
    "datawrapper_conflicts": [
        ("Plattform", S),
        ("Tag", S),
        ("Art", S),
        ("Worum", S),
        ("Seite_A", S),
        ("Quellen_A", S),
        ("Anzahl_Quellen_A", INT),
        ("Seite_B", S),
        ("Quellen_B", S),
        ("Anzahl_Quellen_B", INT),
        ("Belege", S),
    ],
}


def resource(name: str, fields: list[tuple[str, str]], *, labels: dict | None = None) -> dict:
    """One tabular resource with every field titled and described in German (:mod:`incident.codebook`).

    Args:
        name: File stem (``sequence``).
        fields: Ordered ``(column, type)``.
        labels: The incident's own labels (``causes``, ``units``), explained beside the shared ones.
    """
    from incident import codebook

    return {
        "name": name.replace("_", "-"),
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
        "schema": {
            "fields": [
                {
                    "name": f,
                    "type": t,
                    "title": codebook.column(name, f)[0],
                    "description": codebook.describe(name, f, extra=labels),
                    **({"format": "any"} if t == T else {}),
                }
                for f, t in fields
            ],
            "missingValues": [""],
        },
    }


def descriptor(incident: str, *, labels: dict | None = None) -> dict:
    """The Frictionless data package descriptor of an incident's processed tables and exports.

    Every field carries a German ``title`` and ``description`` with its codes explained.
    """
    resources = [resource(name, fields, labels=labels) for name, fields in {**TABLES, **EXPORTS}.items()]
    return {
        "profile": "tabular-data-package",
        "name": f"{incident}-processed",
        "title": f"Processed tables of {incident}, derived from data/raw/{incident} by incident.process",
        "description": (
            f"Die Tabellen der Rekonstruktion von {incident}. Jede Spalte hat einen deutschen Titel (title) "
            "und eine Beschreibung (description) mit der Bedeutung ihrer Codes; siehe auch LIESMICH.txt."
        ),
        "resources": resources,
    }


def validate(folder: Path) -> None:
    """Validate the processed tables in ``folder`` against ``datapackage.json`` with Frictionless.

    Raises:
        ValidationError: Listing every problem Frictionless reports (file, row, column).
    """
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    if report.valid:
        return
    problems = []
    for task in report.tasks:
        for err in task.errors:
            problems.append(
                Problem(
                    Path(task.place).name if task.place else "datapackage.json",
                    getattr(err, "row_number", None),
                    getattr(err, "field_name", None),
                    getattr(err, "cell", None),
                    err.message[:300],
                )
            )
    raise ValidationError(problems)


def _typed(df: pd.DataFrame, fields: list[tuple[str, str]], tz: str) -> pd.DataFrame:
    for col, kind in fields:
        if col not in df.columns:
            continue
        if kind == T:
            df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601").dt.tz_convert(tz)
        elif kind == D:
            df[col] = pd.to_datetime(df[col], format="%Y-%m-%d").dt.date
        elif kind in (N, INT):
            df[col] = pd.to_numeric(df[col], errors="raise").astype("float64" if kind == N else "Int64")
        elif kind == B:
            df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
        else:
            df[col] = df[col].fillna("")
    return df


def read(folder: Path, *, tz: str) -> dict[str, pd.DataFrame]:
    """Read every processed CSV with typed columns.

    Args:
        folder: ``data/processed/<incident>/``.
        tz: The incident's time zone (times are converted to it).

    Returns:
        ``{table name: frame}`` for every table of :data:`TABLES` present, plus any other
        ``*.csv`` in the folder as strings.
    """
    out = {}
    for f in sorted(Path(folder).glob("*.csv")):
        df = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""])
        out[f.stem] = _typed(df, TABLES[f.stem], tz) if f.stem in TABLES else df.fillna("")
    return out
