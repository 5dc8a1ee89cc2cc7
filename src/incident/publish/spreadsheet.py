"""CSV cells that a spreadsheet will not run: neutralise formula starts (OWASP "CSV injection").

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(…)``, ``@SUM(1)``,
``+cmd|' /C calc'!A0``). Files made to be opened in a spreadsheet — the site's downloads,
the exhibit CSVs, the Datawrapper exports — pass their text columns through :func:`safe`,
which puts a single quote in front of such a cell, as OWASP recommends. Numeric columns are
never touched (a negative number stays a number). The processed tables in
``data/processed/`` keep the exact text; they are data, not spreadsheets.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: First characters that make a spreadsheet cell a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """One text cell made safe (non-strings are returned unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_rows(rows: list[list[str]], *, text_columns: Iterable[int]) -> list[list[str]]:
    """Rows read from a CSV with the cells of the ``text_columns`` (positions) made safe."""
    text = set(text_columns)
    return [[cell(v) if i in text else v for i, v in enumerate(r)] for r in rows]


def safe(df: pd.DataFrame, *, text_columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` whose text columns cannot start a formula.

    Args:
        df: The table.
        text_columns: Columns holding text (default: every column of object or string dtype).

    Returns:
        The neutralised copy.
    """
    out = df.copy()
    cols = (
        list(text_columns)
        if text_columns is not None
        else [c for c in out.columns if out[c].dtype == object or pd.api.types.is_string_dtype(out[c])]
    )
    for c in cols:
        if c in out.columns:
            out[c] = out[c].map(cell)
    return out
