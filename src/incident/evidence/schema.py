"""Validate the raw tables against their ``datapackage.json`` with Frictionless.

The descriptor is the single source of truth for field types, required fields, enums,
patterns, ``minimum``/``maximum`` and length constraints, unique fields, primary keys and
foreign keys. :func:`check_descriptor` validates the descriptor itself (Frictionless'
profile, then what the loader needs: a resource per table with named fields);
:func:`validate` hands the rows already decoded and NFC-normalised by
:mod:`incident.evidence.read` to Frictionless as inline data (so keys are compared after
normalisation and the byte-level checks stay in one place) and translates every
Frictionless error into a :class:`~incident.errors.Problem` with file, data row (header =
row 0), column, value and reason.
"""

from __future__ import annotations

import copy
import re

from incident.errors import Problem
from incident.evidence.read import Table

#: Errors Frictionless may report per table (more are cut; the loader reports every other problem).
LIMIT_ERRORS = 100_000

_FILE = "datapackage.json"
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)
_POSITION = re.compile(r"row at position (\d+)")
_DECIMAL_COMMA = re.compile(r"-?[\d.]+,\d+|-?\d{1,3}(\.\d{3})+")


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def check_descriptor(desc: object, tables: tuple[str, ...], problems: list[Problem]) -> dict[str, dict] | None:
    """The resources of a data package descriptor by name, or None with problems.

    Args:
        desc: The parsed ``datapackage.json``.
        tables: Resource names that must be present.
        problems: Problems are appended here (file ``datapackage.json``).
    """
    from frictionless import FrictionlessException, Package, Schema

    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        problems.append(Problem(_FILE, None, None, None, "not a data package: needs a 'resources' list"))
        return None
    before = len(problems)
    try:
        normal = copy.deepcopy(desc)
        Package.metadata_transform(normal)  # as Package.from_descriptor does (v1 string keys → lists)
        for err in Package.metadata_validate(normal):
            problems.append(Problem(_FILE, None, None, None, f"not a valid data package: {err.note}"))
    except Exception as exc:
        problems.append(Problem(_FILE, None, None, None, f"not a valid data package: {_short(exc)}"))
    resources = {r.get("name"): r for r in desc["resources"] if isinstance(r, dict)}
    for name in tables:
        res = resources.get(name)
        fields = (
            res.get("schema", {}).get("fields")
            if isinstance(res, dict) and isinstance(res.get("schema"), dict)
            else None
        )
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            problems.append(
                Problem(_FILE, None, None, name, f"resource {name!r} with a schema of named fields is missing")
            )
            continue
        for f in fields:
            pattern = (f.get("constraints") or {}).get("pattern") if isinstance(f.get("constraints"), dict) else None
            if isinstance(pattern, str):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(
                        Problem(
                            _FILE,
                            None,
                            f["name"],
                            pattern,
                            f"pattern of field {f['name']!r} in {name!r} is not a regular expression: {exc}",
                        )
                    )
        for fk in res["schema"].get("foreignKeys") or []:
            ref = (
                fk.get("reference", {}).get("resource", "")
                if isinstance(fk, dict) and isinstance(fk.get("reference"), dict)
                else None
            )
            if ref is not None and ref != "" and ref not in tables:
                problems.append(
                    Problem(_FILE, None, None, str(ref), f"foreign key of {name!r} refers to unknown resource {ref!r}")
                )
        try:
            Schema.from_descriptor(copy.deepcopy(res["schema"]))
        except FrictionlessException as exc:
            reasons = "; ".join(e.note for e in (exc.reasons or [exc.error]))
            problems.append(Problem(_FILE, None, None, name, f"schema of {name!r} is not valid: {reasons}"))
        except Exception as exc:
            problems.append(Problem(_FILE, None, None, name, f"schema of {name!r} is not valid: {_short(exc)}"))
    return None if len(problems) > before else {n: resources[n] for n in tables}


def _reason(err, field: dict | None) -> str:
    etype = err.type
    note = err.note or ""
    if etype == "type-error":
        ftype = (field or {}).get("type", "string")
        if ftype in ("number", "integer") and _DECIMAL_COMMA.fullmatch(str(getattr(err, "cell", "") or "")):
            return "decimal comma or thousands separator; numbers use a decimal point"
        return f"not a valid {ftype}" + (f" ({note})" if note and "type is" not in note else "")
    if etype == "constraint-error":
        m = _CONSTRAINT.fullmatch(note)
        if m:
            name, value = m.groups()
            return {
                "required": "required value is empty",
                "enum": f"not one of {value}",
                "pattern": f"does not match pattern {value}",
                "minimum": f"below the declared minimum {value}",
                "maximum": f"above the declared maximum {value}",
                "exclusiveMinimum": f"not above the declared exclusive minimum {value}",
                "exclusiveMaximum": f"not below the declared exclusive maximum {value}",
                "minLength": f"shorter than {value} characters",
                "maxLength": f"longer than {value} characters",
            }.get(name, f"violates constraint {name} = {value}")
        return f"violates a constraint: {note}"
    return f"{err.title}: {note}" if note else err.message


def _data_row(numbers: list[int], position: int | None) -> int | None:
    """Our data row for a Frictionless row position (Frictionless counts the header as row 1)."""
    if position is None or not 2 <= position <= len(numbers) + 1:
        return None
    return numbers[position - 2]


def validate(resources: dict[str, dict], tables: dict[str, Table | None], problems: list[Problem]) -> None:
    """Validate the readable tables with Frictionless; append a problem per error.

    Tables that could not be read (None) are left out, and foreign keys pointing at them
    are dropped (their rows would all fail, hiding the real problem).

    Args:
        resources: Resource descriptors by name (from :func:`check_descriptor`).
        tables: The tables read by :func:`incident.evidence.read.read_table`.
        problems: Problems are appended here.
    """
    from frictionless import Package, Resource, Schema

    present = {n for n, t in tables.items() if t is not None}
    built, fields_of = [], {}
    try:
        for name in sorted(present, key=list(resources).index):
            table = tables[name]
            schema = copy.deepcopy(resources[name]["schema"])
            fks = schema.get("foreignKeys") or []
            schema["foreignKeys"] = [
                fk
                for fk in fks
                if isinstance(fk, dict) and (fk.get("reference") or {}).get("resource", "") in present | {""}
            ]
            if not schema["foreignKeys"]:
                del schema["foreignKeys"]
            fields = [f["name"] for f in schema["fields"]]
            fields_of[name] = {f["name"]: f for f in schema["fields"]}
            data = [fields] + [[row[f] for f in fields] for row in table.rows]
            built.append(Resource(name=name, data=data, schema=Schema.from_descriptor(schema)))
        report = Package(resources=built).validate(limit_errors=LIMIT_ERRORS)
    except Exception as exc:
        problems.append(Problem(_FILE, None, None, None, f"Frictionless could not validate the tables: {_short(exc)}"))
        return
    for task in report.tasks:
        name = task.name
        table = tables.get(name)
        if table is None:
            continue
        numbers = table.row_numbers
        fname = table.file

        unique_rows: set[int] = set()
        for err in task.errors:
            row = _data_row(numbers, getattr(err, "row_number", None))
            if err.type == "unique-error":
                m = _POSITION.search(err.note or "")
                first = _data_row(numbers, int(m.group(1))) if m else None
                col = err.field_name
                problems.append(
                    Problem(
                        fname,
                        row,
                        col,
                        str(err.cell),
                        f"duplicate id (first in row {first})" if first else "duplicate value of a unique field",
                    )
                )
                unique_rows.add(row)
            elif err.type == "primary-key":
                if row in unique_rows:
                    continue  # the unique-field error already names it
                m = _POSITION.search(err.note or "")
                first = _data_row(numbers, int(m.group(1))) if m else None
                problems.append(
                    Problem(
                        fname,
                        row,
                        None,
                        ", ".join(map(str, err.cells or []))[:200],
                        f"duplicate primary key (first in row {first})",
                    )
                )
            elif err.type == "foreign-key":
                cols = list(getattr(err, "field_names", []) or [])
                vals = list(getattr(err, "field_cells", []) or [])
                ref = getattr(err, "reference_name", "") or "?"
                problems.append(
                    Problem(
                        fname,
                        row,
                        ", ".join(cols) or None,
                        ", ".join(map(str, vals)),
                        f"unknown {' / '.join(cols) or 'key'} (not in {ref}.csv)",
                    )
                )
            elif hasattr(err, "field_name"):
                problems.append(
                    Problem(
                        fname,
                        row,
                        err.field_name,
                        None if err.cell is None else str(err.cell),
                        _reason(err, fields_of.get(name, {}).get(err.field_name)),
                    )
                )
            else:
                problems.append(Problem(fname, row, None, None, _reason(err, None)))
        if getattr(task, "warnings", None):
            for w in task.warnings:
                if "limit" in str(w).lower():
                    problems.append(Problem(fname, None, None, None, f"Frictionless stopped early: {w}"))
