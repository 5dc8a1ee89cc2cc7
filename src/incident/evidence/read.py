"""Bytes on disk → rows of text: the part of loading that must survive any file.

A raw table may arrive as anything: missing, empty, unreadable (permissions, a folder in
its place, an I/O error), not a regular file (a named pipe that would block a read for ever, a
symbolic link to ``/dev/zero`` or to a file outside the tree: refused from ``lstat`` alone,
never opened), far too large, in Latin-1 or with a byte order mark, with NUL
bytes, semicolon-separated, with broken quoting, with columns missing, unknown or twice.
:func:`read_table` names each of these as a :class:`~incident.errors.Problem` and returns
``None`` instead of rows; it never raises for a bad file.

Text is normalised to Unicode NFC here, once, for the whole file: an ``ü`` written as
``u`` + combining diaeresis (NFD, as macOS file names and some editors produce) compares
equal to the precomposed ``ü`` everywhere after loading — in keys, groups and free text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from incident.errors import Problem

#: Largest table we read; a bigger file is refused with a clear message, not read into memory.
MAX_BYTES = 200 * 1024 * 1024
#: Largest ``datapackage.json`` read (a descriptor is a few pages of JSON, not data).
MAX_DESCRIPTOR_BYTES = 5 * 1024 * 1024

_LATIN1_HINTS = (b"\xe4", b"\xf6", b"\xfc", b"\xdf", b"\xc4", b"\xd6", b"\xdc", b"\x84", b"\x93", b"\x96")


@dataclass
class Table:
    """The rows of one raw table, as text.

    Attributes:
        name: Resource name (``"sources"`` …).
        header: Column names in file order.
        rows: One ``{column: text}`` per data row (NFC-normalised).
        row_numbers: The 1-based data row number of each row (the header is row 0; blank
            lines keep their number, so numbers match what a spreadsheet shows minus one).
    """

    name: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    @property
    def file(self) -> str:
        """File name, e.g. ``"sources.csv"``."""
        return f"{self.name}.csv"

    def numbered(self):
        """``(row number, row)`` pairs."""
        return zip(self.row_numbers, self.rows)


def io_reason(exc: OSError) -> str:
    """Plain-words reason for an operating-system error while reading."""
    if isinstance(exc, FileNotFoundError):
        return "file is missing"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied (check the file's and the folder's permissions)"
    detail = exc.strerror or type(exc).__name__
    return f"cannot be read: {detail}"


def special_file(path: Path) -> str | None:
    """Why ``path`` is no regular file to read (``None`` when it is one), from ``lstat`` alone.

    Raw inputs are regular files inside the incident's folder. A symbolic link (to
    ``/dev/zero``, to a file outside the tree), a named pipe (a read would wait for ever), a
    device or a socket is refused without being opened.

    Raises:
        OSError: When the entry cannot be inspected (``FileNotFoundError`` when it is missing).
    """
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return "is a symbolic link; raw inputs must be regular files in the incident's folder"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        kind = "named pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        return f"is a {kind}, not a regular file; refused without reading"
    return None


def read_bytes(path: Path, fname: str, limit: int, problems: list[Problem]) -> bytes | None:
    """The bytes of a regular file, or None with a problem (missing, special, unreadable, too large)."""
    try:
        reason = special_file(path)
        if reason:
            problems.append(Problem(fname, None, None, None, reason))
            return None
        size = path.stat().st_size
        if size > limit:
            problems.append(Problem(fname, None, None, f"{size} bytes", f"file larger than {limit} bytes; refused"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(fname, None, None, None, io_reason(exc)))
        return None
    if len(data) > limit:  # grew while we looked
        problems.append(Problem(fname, None, None, f"{len(data)} bytes", f"file larger than {limit} bytes; refused"))
        return None
    return data


def _decode(data: bytes, fname: str, problems: list[Problem]) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM from spreadsheet exports is harmless: drop it
        data = data[3:]
    if not data.strip():
        problems.append(Problem(fname, None, None, None, "file is empty (no header row)"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n")
        bad = data[exc.start : exc.start + 4]
        guess = "Latin-1/Windows-1252" if any(b in bad[:1] for b in _LATIN1_HINTS) else "not text or another encoding"
        problems.append(
            Problem(
                fname,
                line or None,
                None,
                repr(bad),
                f"not valid UTF-8 at byte {exc.start} (looks like {guess}); save the table as UTF-8",
            )
        )
        return None
    if "\x00" in text:
        problems.append(Problem(fname, None, None, None, "file contains NUL bytes; not a text table"))
        return None
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def read_table(path: Path, name: str, fields: list[str], problems: list[Problem]) -> Table | None:
    """Decode and split one CSV table.

    Args:
        path: The file.
        name: Resource name (the file is ``<name>.csv``).
        fields: Column names the schema declares (every one must be in the header, no other).
        problems: Problems are appended here.

    Returns:
        The :class:`Table`, or None when the file cannot be read as a table at all.
    """
    fname = f"{name}.csv"
    data = read_bytes(path, fname, MAX_BYTES, problems)
    if data is None:
        return None
    text = _decode(data, fname, problems)
    if text is None:
        return None
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if "," not in header_line:
        for delim, label in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if delim in header_line:
                problems.append(
                    Problem(
                        fname,
                        0,
                        None,
                        header_line[:80],
                        f"wrong delimiter: header is {label}-separated; tables must be comma-separated "
                        "(and numbers use a decimal point)",
                    )
                )
                return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        problems.append(Problem(fname, None, None, None, f"not a well-formed CSV file: {exc}"))
        return None
    if not records:
        problems.append(Problem(fname, None, None, None, "file is empty (no header row)"))
        return None
    header = [h.strip() for h in records[0]]
    bad = False
    first: dict[str, int] = {}
    for pos, col in enumerate(header, start=1):
        if col in first:
            problems.append(
                Problem(fname, 0, col, None, f"duplicate column name {col!r} (columns {first[col]} and {pos})")
            )
            bad = True
        else:
            first[col] = pos
    for col in fields:
        if col not in first:
            problems.append(Problem(fname, 0, col, None, "column missing from header"))
            bad = True
    for col in first:
        if col not in fields:
            problems.append(Problem(fname, 0, col, None, "column not in datapackage.json schema"))
            bad = True
    if bad:
        return None
    table = Table(name, header)
    for i, row in enumerate(records[1:], start=1):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if len(row) != len(header):
            problems.append(
                Problem(
                    fname,
                    i,
                    None,
                    ",".join(row)[:80],
                    f"has {len(row)} fields, header has {len(header)} (delimiter or quoting broken)",
                )
            )
            continue
        table.rows.append(dict(zip(header, row)))
        table.row_numbers.append(i)
    return table


def read_json(path: Path, fname: str, problems: list[Problem]) -> object | None:
    """A small JSON document (the data package descriptor), or None with a problem."""
    data = read_bytes(path, fname, MAX_DESCRIPTOR_BYTES, problems)
    if data is None:
        return None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(fname, None, None, None, f"not valid UTF-8 at byte {exc.start}"))
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(fname, None, None, None, f"not valid JSON: {exc}"))
    return None
