"""Cells of the CSV and XLSX files the node writes, safe to open in a spreadsheet.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice (``=HYPERLINK(...)`` sends whoever clicks it elsewhere;
``-@SUM(1)`` is one too). Such a cell is written with a leading apostrophe, as OWASP's
CSV-injection guidance advises, in every export: the register's and the audit log's. An import
reads the apostrophe off again, so a register exported and imported back is unchanged."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value`` as an export writes it: quoted with an apostrophe if it would be a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def read_cell(value: str) -> str:
    """A cell as an import reads it: the apostrophe ``safe_cell`` added is taken off."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
