"""Validate the raw tables with the project's own Table Schemas, using Frictionless.

The project ships the schema of each raw table (``raw-tables.schema.json`` beside this module:
field types, required fields, enums, patterns, ``minimum``/``maximum`` and length constraints,
unique fields, primary keys and foreign keys). An incident's ``datapackage.json`` must declare
exactly these schemas; it is documentation, never an authority. :func:`check_descriptor` names
every way a contributed descriptor departs from them — a ``profile`` or ``$schema`` the project
did not ship (a remote one would be fetched over the network), a path other than the table's
own file, a pattern, key or constraint that differs — without compiling or fetching anything
from it. :func:`validate` then always validates with the project's schemas, whatever the
package says, so a package that drops a primary key cannot let a duplicate id through.

The rows handed to Frictionless are the ones already decoded and NFC-normalised by
:mod:`incident.evidence.read` (inline data, so keys are compared after normalisation and the
byte-level checks stay in one place); every Frictionless error becomes a
:class:`~incident.errors.Problem` with file, data row (header = row 0), column, value and reason.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path

from incident.errors import Problem
from incident.evidence.read import Table

#: Errors Frictionless may report per table (more are cut; the loader reports every other problem).
LIMIT_ERRORS = 100_000
#: The project's Table Schemas of the raw tables.
PROJECT_SCHEMAS = Path(__file__).with_name("raw-tables.schema.json")
#: The only profiles a descriptor may name (Frictionless' built-in ones; never a URL).
PROFILES = {"package": {"data-package", "tabular-data-package"}, "resource": {"data-resource", "tabular-data-resource"}}
#: Keys that document a schema without changing what it checks.
_DOC_KEYS = {"description", "title", "example", "examples", "$comment"}

_FILE = "datapackage.json"
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)
_POSITION = re.compile(r"row at position (\d+)")
_DECIMAL_COMMA = re.compile(r"-?[\d.]+,\d+|-?\d{1,3}(\.\d{3})+")


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


@cache
def _project_schemas() -> dict[str, dict]:
    doc = json.loads(PROJECT_SCHEMAS.read_text(encoding="utf-8"))
    return {name: schema for name, schema in doc.items() if not name.startswith("$")}


def project_resources(tables: tuple[str, ...]) -> dict[str, dict]:
    """The project's resource of each table: ``{"name", "path", "schema"}`` (a deep copy)."""
    schemas = _project_schemas()
    return {t: {"name": t, "path": f"{t}.csv", "schema": copy.deepcopy(schemas[t])} for t in tables}


def _checked(value: object) -> object:
    """A schema part without its documentation keys (what it checks, not what it says)."""
    if isinstance(value, dict):
        return {k: _checked(v) for k, v in value.items() if k not in _DOC_KEYS}
    if isinstance(value, list):
        return [_checked(v) for v in value]
    return value


def _clip(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)[:120]


def _foreign(desc: dict) -> list[Problem]:
    """Profiles, ``$schema`` and references the project did not ship (nothing is fetched)."""
    out = []
    if "$schema" in desc:
        out.append(
            Problem(
                _FILE, None, "$schema", _clip(desc["$schema"]), "refused: the project validates with its own schemas"
            )
        )
    if "profile" in desc and desc["profile"] not in PROFILES["package"]:
        out.append(
            Problem(
                _FILE,
                None,
                "profile",
                _clip(desc["profile"]),
                f"refused: only {', '.join(sorted(PROFILES['package']))} (the project validates with its own schemas)",
            )
        )
    for res in desc["resources"]:
        if not isinstance(res, dict):
            continue
        name = str(res.get("name"))[:60]
        if "$schema" in res or (isinstance(res.get("schema"), dict) and "$schema" in res["schema"]):
            out.append(Problem(_FILE, None, "$schema", name, "refused: the project validates with its own schemas"))
        for key in ("profile",):
            if key in res and res[key] not in PROFILES["resource"]:
                out.append(
                    Problem(
                        _FILE,
                        None,
                        key,
                        _clip(res[key]),
                        f"profile of resource {name!r} refused: only {', '.join(sorted(PROFILES['resource']))}",
                    )
                )
        if isinstance(res.get("schema"), dict) and "profile" in res["schema"]:
            out.append(Problem(_FILE, None, "profile", name, f"schema of {name!r}: a profile is refused"))
        if "path" in res and res["path"] != f"{res.get('name')}.csv":
            out.append(
                Problem(_FILE, None, "path", _clip(res["path"]), f"resource {name!r} must be its own file {name}.csv")
            )
        for key in ("schema", "dialect"):
            if key in res and not isinstance(res[key], dict):
                out.append(
                    Problem(_FILE, None, key, _clip(res[key]), f"{key} of {name!r} must be written out, not referenced")
                )
    return out


def _differences(name: str, theirs: dict, ours: dict) -> list[Problem]:
    """Where a contributed table schema checks something else than the project's."""
    out = []
    mine, given = _checked(ours), _checked(theirs)
    own_fields = {f["name"]: f for f in mine["fields"]}
    their_fields = [f for f in given.get("fields", []) if isinstance(f, dict)]
    names = [f.get("name") for f in their_fields]
    if names != list(own_fields):
        out.append(
            Problem(
                _FILE,
                None,
                None,
                _clip(names),
                f"fields of {name!r} differ from the project's schema (expected {', '.join(own_fields)})",
            )
        )
    for f in their_fields:
        own = own_fields.get(f.get("name"))
        if own is None:
            continue
        for key in sorted(set(f) | set(own), key=str):
            if f.get(key) != own.get(key):
                out.append(
                    Problem(
                        _FILE,
                        None,
                        str(f["name"])[:60],
                        _clip(f.get(key)),
                        f"{key} of field {f['name']!r} in {name!r} is not the project's ({_clip(own.get(key))}); "
                        "the project validates with its own schema",
                    )
                )
    for key in sorted((set(given) | set(mine)) - {"fields"}, key=str):
        if given.get(key) != mine.get(key):
            out.append(
                Problem(
                    _FILE,
                    None,
                    str(key)[:60],
                    _clip(given.get(key)),
                    f"{key} of {name!r} is not the project's ({_clip(mine.get(key))}); "
                    "the project checks keys with its own schema",
                )
            )
    return out


def check_descriptor(desc: object, tables: tuple[str, ...], problems: list[Problem]) -> dict[str, dict]:
    """Check a contributed ``datapackage.json`` against the project's schemas; return the project's resources.

    Every departure is appended to ``problems`` (file ``datapackage.json``). The returned
    resources are always the project's own (:func:`project_resources`): the tables are
    validated with them whatever the descriptor says.

    Args:
        desc: The parsed ``datapackage.json`` (None when it could not be read).
        tables: Resource names that must be present.
        problems: Problems are appended here.
    """
    ours = project_resources(tables)
    if desc is None:
        return ours
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        problems.append(Problem(_FILE, None, None, None, "not a data package: needs a 'resources' list"))
        return ours
    foreign = _foreign(desc)
    problems.extend(foreign)
    if not foreign:  # Frictionless' own profile only; nothing it could fetch is left in the descriptor
        from frictionless import Package

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
        schema = res.get("schema") if isinstance(res, dict) else None
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            problems.append(
                Problem(_FILE, None, None, name, f"resource {name!r} with a schema of named fields is missing")
            )
            continue
        problems.extend(_differences(name, schema, ours[name]["schema"]))
    return ours


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
