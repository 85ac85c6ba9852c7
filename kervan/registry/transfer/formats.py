"""Streaming readers of import files. Each yields ``(row_number, values)`` one row at a time, so a
file of any size is read with bounded memory; ``values`` maps column names to cell text.

Row numbers are the ones a person sees: in CSV and XLSX the header is row 1 and the first data row
is row 2; in a JSON array a row is the 1-based index of its object; in JSON Lines, its line.
A problem with the file as a whole (format, encoding, header) raises ``ImportFileError`` before
the first row; a problem with one row's shape is passed on under the ``ROW_PROBLEM`` key, so that
validation reports it with the row's other problems."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TextIO, get_args

from kervan.messages import FILE_NOT_UTF8
from kervan.registry import messages
from kervan.registry.transfer.columns import COLUMNS, check_header, normalise_header
from kervan.registry.transfer.limits import (
    ImportLimits,
    cell_problem,
    check_column_count,
    check_xlsx_archive,
)
from kervan.registry.transfer.report import ImportFileError, echo

FileFormat = Literal["csv", "json", "jsonl", "xlsx"]
FORMATS: tuple[str, ...] = get_args(FileFormat)
Row = tuple[int, dict[str, str]]

#: Key under which a reader reports a problem with a row's shape (not with one of its cells).
ROW_PROBLEM = "\x00row"

_SUFFIXES: dict[str, FileFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}
_KNOWN = frozenset(COLUMNS)
_CHUNK = 1 << 16
#: One JSON object larger than this is not a row of ours; refusing it keeps memory bounded.
_MAX_OBJECT = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def detect_format(file_name: str, explicit: str | None = None) -> FileFormat:
    if explicit:
        name = explicit.strip().lower()
        if name not in FORMATS:
            expected = ", ".join(FORMATS)
            raise ImportFileError(
                f"unknown format {echo(explicit)}: expected one of {expected}",
                code=messages.IMPORT_FORMAT_UNKNOWN,
                params={"format": echo(explicit), "expected": expected},
            )
        return name  # type: ignore[return-value]
    fmt = _SUFFIXES.get(Path(file_name).suffix.lower())
    if fmt is None:
        raise ImportFileError(
            f"cannot tell the format of {echo(file_name)} from its name: name it .csv, .json, "
            ".jsonl or .xlsx, or give the format explicitly",
            code=messages.IMPORT_FORMAT_FROM_NAME,
        )
    return fmt


def read_rows(
    path: Path, file_format: FileFormat, limits: ImportLimits | None = None
) -> Generator[Row, None, None]:
    readers = {"csv": _csv_rows, "json": _json_rows, "jsonl": _jsonl_rows, "xlsx": _xlsx_rows}
    return readers[file_format](path, limits or ImportLimits())


def _bounded(values: dict[str, str], limits: ImportLimits) -> dict[str, str]:
    """A row with a cell too long (or holding a control character) keeps only the problem: no
    parser, message or audit entry ever sees (or echoes) megabytes of one cell."""
    problem = cell_problem(values, limits)
    return values if problem is None else {ROW_PROBLEM: problem}


# ----------------------------------------------------------------------------------------------
# CSV


def _sniff_delimiter(first_line: str) -> str:
    # Spreadsheets in locales with a decimal comma export ";"-separated files.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _header(cells: Iterable[Any], limits: ImportLimits) -> list[str]:
    names = [normalise_header(c) for c in itertools.islice(cells, limits.max_columns + 1)]
    while names and not names[-1]:  # spreadsheets pad the header with empty cells
        names.pop()
    check_column_count(len(names), limits)
    check_header(names)
    return names


def _shaped(header: list[str], cells: list[str]) -> dict[str, str]:
    width = len(header)
    if len(cells) == width:
        return dict(zip(header, cells, strict=True))
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        return dict(zip(header, cells[:width], strict=True))
    values = dict(zip(header, cells, strict=False))
    values[ROW_PROBLEM] = f"has {len(cells)} cells where the header has {width} columns"
    return values


def _bounded_lines(stream: TextIO, limit: int) -> Iterator[str]:
    """The stream's lines, refusing one longer than ``limit`` before it is read whole."""
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise ImportFileError(
                f"line {number} is longer than {limit:,} characters: "
                "more than a row of this register can hold",
                code=messages.IMPORT_LINE_TOO_LONG,
                params={"line": number, "limit": limit},
            )
        yield line


def _csv_rows(path: Path, limits: ImportLimits) -> Generator[Row, None, None]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        row = 1
        try:
            lines = _bounded_lines(stream, limits.max_line_chars)
            first = next(lines, "")
            if not first.strip():
                raise ImportFileError(
                    "the file is empty: expected a header row of column names",
                    code=messages.IMPORT_FILE_EMPTY,
                )
            reader = csv.reader(itertools.chain([first], lines), delimiter=_sniff_delimiter(first))
            header = _header(next(reader), limits)
            for row, cells in enumerate(reader, start=2):
                if cells and any(cells):
                    yield row, _bounded(_shaped(header, cells), limits)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"the file is not UTF-8 text (near row {row + 1})",
                code=messages.IMPORT_NOT_UTF8_NEAR,
                params={"row": row + 1},
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(
                f"the file is not valid CSV (near row {row + 1}): {echo(exc, 120)}",
                code=messages.IMPORT_CSV_INVALID,
                params={"row": row + 1},
            ) from exc


# ----------------------------------------------------------------------------------------------
# JSON and JSON Lines


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _object_values(value: Any, limits: ImportLimits) -> dict[str, str]:
    """A row of a JSON file: one flat object of columns. A nested object or array in a cell is
    a row problem (the depth limit of JSON imports: an array of objects of scalars)."""
    if not isinstance(value, dict):
        return {ROW_PROBLEM: f"is a JSON {type(value).__name__}, not an object of columns"}
    if len(value) > limits.max_columns:
        return {ROW_PROBLEM: f"has more than {limits.max_columns} columns"}
    nested = [k for k, v in value.items() if isinstance(v, dict | list)]
    if nested:
        names = ", ".join(echo(k) for k in nested[:5])
        return {ROW_PROBLEM: f"column(s) {names} hold a JSON object or array, not a value"}
    values = {
        (k if k in _KNOWN else normalise_header(k)): (v if type(v) is str else _cell(v))
        for k, v in value.items()
    }
    unknown = [k for k in values if k not in _KNOWN]
    if unknown:
        values[ROW_PROBLEM] = "unknown column(s): " + ", ".join(echo(k) for k in unknown[:10])
    return _bounded(values, limits)


def _check_first_object(value: Any, limits: ImportLimits) -> None:
    if not isinstance(value, dict):
        raise ImportFileError(
            "the first row is not a JSON object of columns", code=messages.IMPORT_JSON_FIRST_ROW
        )
    _header(value, limits)


def _too_deep(where: str) -> ImportFileError:
    return ImportFileError(
        f"{where} is nested too deeply: a row is one JSON object of column values"
    )


class _ArrayReader:
    """Reads the elements of one top-level JSON array from a text stream, one at a time, holding
    at most one element (plus a read-ahead chunk) in memory."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.decoder = json.JSONDecoder()
        self.count = 0

    def _fill(self) -> bool:
        more = self.stream.read(_CHUNK)
        self.buffer = self.buffer[self.pos :] + more
        self.pos = 0
        return bool(more)

    def _next_char(self) -> str:
        while True:
            match = _WHITESPACE.match(self.buffer, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                raise ImportFileError(
                    f"the JSON array ends early, after object {self.count}",
                    code=messages.IMPORT_JSON_ENDS_EARLY,
                    params={"count": self.count},
                )

    def _value(self) -> Any:
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                raise _too_deep(f"object {self.count + 1}") from None
            except json.JSONDecodeError as exc:
                error: json.JSONDecodeError | None = exc
            else:
                error = None
                # A scalar cut by the chunk boundary parses too; only a container is surely whole.
                if end < len(self.buffer) or isinstance(value, dict | list):
                    self.pos = end
                    return value
            if len(self.buffer) - self.pos > _MAX_OBJECT:
                raise ImportFileError(
                    f"object {self.count + 1} is larger than 1 MiB",
                    code=messages.IMPORT_JSON_OBJECT_TOO_LARGE,
                    params={"number": self.count + 1},
                )
            if not self._fill():
                reason = error.msg if error else "the file ends inside it"
                raise ImportFileError(
                    f"the JSON is not valid in object {self.count + 1}: {reason}",
                    code=messages.IMPORT_JSON_INVALID,
                    params={"number": self.count + 1},
                ) from error

    def __iter__(self) -> Iterator[Any]:
        if self._next_char() != "[":
            raise ImportFileError(
                "a JSON import is an array of objects ([{...}, ...]); for one object per line, "
                "use JSON Lines (.jsonl)",
                code=messages.IMPORT_JSON_NOT_ARRAY,
            )
        self.pos += 1
        if self._next_char() == "]":
            return
        while True:
            self._next_char()
            yield self._value()
            self.count += 1
            separator = self._next_char()
            self.pos += 1
            if separator == "]":
                return
            if separator != ",":
                raise ImportFileError(
                    f"the JSON is not valid after object {self.count}: expected ',' or ']'",
                    code=messages.IMPORT_JSON_INVALID,
                    params={"number": self.count + 1},
                )


def _json_rows(path: Path, limits: ImportLimits) -> Generator[Row, None, None]:
    with path.open(encoding="utf-8-sig") as stream:
        try:
            head = stream.read(_CHUNK).lstrip()
            stream.seek(0)
            if head.startswith("{"):  # a .json file that is really JSON Lines
                yield from _lines(stream, limits)
                return
            for index, value in enumerate(_ArrayReader(stream), start=1):
                if index == 1:
                    _check_first_object(value, limits)
                yield index, _object_values(value, limits)
        except UnicodeDecodeError as exc:
            raise ImportFileError("the file is not UTF-8 text", code=FILE_NOT_UTF8) from exc


def _lines(stream: TextIO, limits: ImportLimits) -> Iterator[Row]:
    first = True
    lines = _bounded_lines(stream, min(limits.max_line_chars, _MAX_OBJECT))
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except RecursionError:
            raise _too_deep(f"line {line_number}") from None
        except json.JSONDecodeError as exc:
            if first:
                raise ImportFileError(
                    f"line {line_number} is not valid JSON: {exc.msg}",
                    code=messages.IMPORT_JSON_LINE_INVALID,
                    params={"line": line_number},
                ) from exc
            yield line_number, {ROW_PROBLEM: f"is not valid JSON: {exc.msg}"}
            continue
        if first:
            _check_first_object(value, limits)
            first = False
        yield line_number, _object_values(value, limits)


def _jsonl_rows(path: Path, limits: ImportLimits) -> Generator[Row, None, None]:
    with path.open(encoding="utf-8-sig") as stream:
        try:
            yield from _lines(stream, limits)
        except UnicodeDecodeError as exc:
            raise ImportFileError("the file is not UTF-8 text", code=FILE_NOT_UTF8) from exc


# ----------------------------------------------------------------------------------------------
# XLSX


def _xlsx_cell(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _cell(value)


@contextmanager
def _workbook(path: Path, limits: ImportLimits) -> Iterator[Any]:
    import openpyxl  # imported here: only XLSX imports pay for it

    check_xlsx_archive(path, limits)
    # Opened as a stream, not by name: openpyxl refuses a name without an .xlsx suffix, and an
    # upload is saved under a name of our own.
    with path.open("rb") as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            detail = f"the file is not an XLSX workbook ({type(exc).__name__})"
            raise ImportFileError(detail, code=messages.IMPORT_NOT_XLSX) from exc
        try:
            yield workbook
        finally:
            workbook.close()


def _xlsx_rows(path: Path, limits: ImportLimits) -> Generator[Row, None, None]:
    with _workbook(path, limits) as workbook:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheet", code=messages.IMPORT_XLSX_NO_SHEET)
        cells_by_row = workbook.worksheets[0].iter_rows(
            values_only=True, max_col=limits.max_columns + 1
        )
        first = next(cells_by_row, None)
        if first is None:
            raise ImportFileError(
                "the first sheet is empty: expected a header row", code=messages.IMPORT_XLSX_EMPTY
            )
        header = _header(first, limits)
        for row, cells in enumerate(cells_by_row, start=2):
            texts = [_xlsx_cell(c) for c in cells]
            if any(t.strip() for t in texts):
                yield row, _bounded(_shaped(header, texts), limits)


# ----------------------------------------------------------------------------------------------
# Estimates for progress bars


def estimate_rows(path: Path, file_format: FileFormat) -> int | None:
    """About how many rows the file has, cheaply (a byte scan, or the sheet's dimension)."""
    if file_format == "xlsx":
        try:
            with _workbook(path, ImportLimits()) as workbook:
                max_row = workbook.worksheets[0].max_row if workbook.worksheets else None
        except ImportFileError:
            return None
        return max_row - 1 if max_row else None
    # JSON rows are flat objects, one "{" each; CSV has a header line, JSON Lines none.
    needle = b"{" if file_format == "json" else b"\n"
    offset = -1 if file_format == "csv" else 0
    count = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            count += block.count(needle)
    return max(count + offset, 0)
