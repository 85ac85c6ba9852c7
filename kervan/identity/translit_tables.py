"""The transliteration tables, kept as JSON data in ``kervan/identity/tables/`` and loaded once.

The tables are data so that a reviewer can compare them with ICAO Doc 9303 line by line, and so
that adding a letter is a data change with a test that picks it up automatically.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Order matters: a later table wins, so Kervan's extension can correct an ICAO entry (U+04BA).
MRZ_TABLES = ("icao_latin", "icao_cyrillic", "icao_arabic", "kervan_extension")
NATIONAL_LANGUAGES = ("uz", "kk", "az", "tr", "ru", "ky", "tg")


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One row of an MRZ transliteration table."""

    table: str
    code: str
    char: str
    mrz: str
    name: str
    alternatives: tuple[str, ...] = ()
    final: str | None = None  # Arabic teh marbuta: the form at the end of a name component
    double: bool = False  # Arabic shadda: repeat the preceding letter
    note: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class NationalTable:
    """Cyrillic to a national Latin alphabet, both letter cases given explicitly."""

    lang: str
    name: str
    letters: Mapping[str, str]
    ye_rule: bool
    apostrophe: str
    turned_apostrophe: str
    turned_after: str


def _read(name: str) -> Any:
    path = resources.files("kervan.identity") / "tables" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def mrz_table(name: str) -> tuple[TableEntry, ...]:
    """The rows of one MRZ table (``icao_latin``, ``icao_cyrillic``, ``icao_arabic`` or
    ``kervan_extension``), checked against their declared code points."""
    if name not in MRZ_TABLES:
        raise ValueError(f"unknown MRZ table {name!r}")
    rows = []
    for row in _read(name)["letters"]:
        char = chr(int(row["code"], 16))
        # A glyph pasted from a PDF can be a look-alike; the code point is what ICAO specifies.
        if row["char"] != char:
            raise ValueError(f"{name}: U+{row['code']} is {char!r}, not {row['char']!r}")
        rows.append(
            TableEntry(
                table=name,
                code=row["code"],
                char=char,
                mrz=row["mrz"],
                name=row["name"],
                alternatives=tuple(row.get("alternatives", ())),
                final=row.get("final"),
                double=bool(row.get("double", False)),
                note=row.get("note", ""),
                reason=row.get("reason", ""),
            )
        )
    return tuple(rows)


@functools.cache
def mrz_entries() -> Mapping[str, TableEntry]:
    """Every letter Kervan transliterates by table, in both cases, to the entry that applies."""
    merged: dict[str, TableEntry] = {}
    for name in MRZ_TABLES:
        for entry in mrz_table(name):
            merged[entry.char] = entry
    # Tables list capitals; add the small letters unless a table lists them itself (ı).
    for char, entry in list(merged.items()):
        small = char.lower()
        if len(small) == 1 and small != char and small not in merged:
            merged[small] = entry
    return merged


@functools.cache
def national_table(lang: str) -> NationalTable:
    """The Cyrillic-to-national-Latin table for ``lang`` (one of NATIONAL_LANGUAGES)."""
    if lang not in NATIONAL_LANGUAGES:
        raise ValueError(f"no national Latin table for {lang!r}; known: {NATIONAL_LANGUAGES}")
    data = _read(f"national_{lang}")
    return NationalTable(
        lang=lang,
        name=data["name"],
        letters=dict(data["letters"]),
        ye_rule=bool(data["ye_rule"]),
        apostrophe=data["apostrophe"],
        turned_apostrophe=data.get("turned_apostrophe", data["apostrophe"]),
        turned_after=data.get("turned_after", ""),
    )
