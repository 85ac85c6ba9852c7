"""How large an import may be, and the checks that hold a file to it while it is read.

An import comes from a spreadsheet someone filled in, or from a hostile client: every dimension
of it is bounded — the file's bytes, its rows, its columns, each cell, one line or JSON object,
and for XLSX what the zip holds once inflated (a 300 KB workbook may inflate to gigabytes).
The limits are settings (``KERVAN_IMPORT_*``, docs/import-export.md); the readers check them as
they stream, so a file that breaks one is refused after reading at most a limit's worth of it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kervan.messages import FILE_TOO_LARGE
from kervan.registry import messages
from kervan.registry.transfer.report import ImportTooLarge, echo


@dataclass(frozen=True, slots=True)
class ImportLimits:
    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 64
    max_cell_chars: int = 1_000
    xlsx_max_uncompressed_bytes: int = 256 * 1024 * 1024
    xlsx_max_shared_strings_bytes: int = 32 * 1024 * 1024

    @property
    def max_line_chars(self) -> int:
        """One CSV line or JSON object: every column at its longest, quoted and separated."""
        return self.max_columns * (self.max_cell_chars * 2 + 3)


def check_file_size(size: int, limits: ImportLimits) -> None:
    if size > limits.max_bytes:
        raise ImportTooLarge(
            f"the file is larger than {limits.max_bytes:,} bytes (KERVAN_IMPORT_MAX_BYTES); "
            "split it into several files",
            code=FILE_TOO_LARGE,
            params={"limit": limits.max_bytes},
        )


def save_bounded(source: BinaryIO, path: Path, limits: ImportLimits) -> None:
    """Copy an upload to ``path``, refusing it as soon as it passes the size limit (the part
    written so far is left for the caller's temporary folder to remove)."""
    written = 0
    with path.open("wb") as out:
        while block := source.read(1 << 20):
            written += len(block)
            check_file_size(written, limits)
            out.write(block)


def check_row_count(rows: int, limits: ImportLimits) -> None:
    if rows > limits.max_rows:
        raise ImportTooLarge(
            f"the file has more than {limits.max_rows:,} rows (KERVAN_IMPORT_MAX_ROWS); "
            "split it into several files",
            code=messages.IMPORT_TOO_MANY_ROWS,
            params={"limit": limits.max_rows},
        )


def check_column_count(columns: int, limits: ImportLimits) -> None:
    if columns > limits.max_columns:
        raise ImportTooLarge(
            f"the header has more than {limits.max_columns} columns (KERVAN_IMPORT_MAX_COLUMNS)",
            code=messages.IMPORT_TOO_MANY_COLUMNS,
            params={"limit": limits.max_columns},
        )


#: Control characters a cell may not hold (tab, line feed and carriage return may: a quoted CSV
#: cell can span lines). PostgreSQL cannot store NUL at all, and none belongs in a register.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_problem(values: dict[str, str], limits: ImportLimits) -> str | None:
    """A row problem naming the cells that are too long or hold control characters (never
    their text), or None."""
    cells = values.values()
    # The common case in two passes in C: no cell too long, and no control character in the
    # cells joined by a tab (which a cell may hold).
    if max(map(len, cells), default=0) <= limits.max_cell_chars and not _CONTROL.search(
        "\t".join(cells)
    ):
        return None
    long = [name for name, value in values.items() if len(value) > limits.max_cell_chars]
    if long:
        names = ", ".join(echo(name) for name in long[:5])
        return f"cell(s) longer than {limits.max_cell_chars} characters: {names}"
    control = [name for name, value in values.items() if _CONTROL.search(value)]
    if control:
        names = ", ".join(echo(name) for name in control[:5])
        return f"cell(s) holding a control character (such as NUL): {names}"
    return None


def check_xlsx_archive(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook whose parts would inflate past the limits, before anything is inflated.

    The sizes are those the zip's central directory declares; Python's ``zipfile`` never
    inflates an entry past its declared size, so the sum bounds what any reader can get out."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the workbook reader says so in its own words
    total = sum(e.file_size for e in entries)
    if total > limits.xlsx_max_uncompressed_bytes:
        raise ImportTooLarge(
            f"the workbook holds {total:,} bytes once uncompressed, more than "
            f"{limits.xlsx_max_uncompressed_bytes:,} (KERVAN_IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES); "
            "save it as CSV",
            code=messages.IMPORT_XLSX_TOO_LARGE,
            params={"limit": limits.xlsx_max_uncompressed_bytes},
        )
    strings = sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))
    if strings > limits.xlsx_max_shared_strings_bytes:
        raise ImportTooLarge(
            f"the workbook's shared strings take {strings:,} bytes, more than "
            f"{limits.xlsx_max_shared_strings_bytes:,} "
            "(KERVAN_IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES); save it as CSV",
            code=messages.IMPORT_XLSX_TOO_LARGE,
            params={"limit": limits.xlsx_max_shared_strings_bytes},
        )
