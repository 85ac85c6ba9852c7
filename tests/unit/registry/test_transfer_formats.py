"""Readers of import files: row numbers as people see them, file-level errors before any row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from kervan.registry.transfer.columns import COLUMNS, EXAMPLE_ROW, REQUIRED
from kervan.registry.transfer.formats import (
    ROW_PROBLEM,
    detect_format,
    estimate_rows,
    read_rows,
)
from kervan.registry.transfer.report import ImportFileError

HEADER = ",".join(COLUMNS)


def _csv_line(row: dict[str, str], delimiter: str = ",") -> str:
    return delimiter.join(row[c] for c in COLUMNS)


def _row(**changes: str) -> dict[str, str]:
    return {**EXAMPLE_ROW, **changes}


def test_csv_rows_are_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    lines = [HEADER, _csv_line(_row()), "", _csv_line(_row(document_number="WK12345679"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(read_rows(path, "csv"))
    assert [number for number, _ in rows] == [2, 4]  # the blank row 3 is skipped, not renumbered
    assert rows[0][1] == EXAMPLE_ROW
    assert rows[1][1]["document_number"] == "WK12345679"


def test_csv_with_bom_semicolons_and_spreadsheet_header(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    header = ";".join(f" {c.upper()} " for c in COLUMNS) + ";;"
    path.write_bytes(("\ufeff" + header + "\n" + _csv_line(_row(), ";") + "\n").encode())
    assert list(read_rows(path, "csv")) == [(2, EXAMPLE_ROW)]


def test_csv_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        ",".join(REQUIRED) + "\n" + ",".join(EXAMPLE_ROW[c] for c in REQUIRED) + "\n",
        encoding="utf-8",
    )
    [(number, values)] = read_rows(path, "csv")
    assert number == 2 and "patronymic" not in values


def test_csv_row_with_wrong_number_of_cells_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "\nonly,three,cells\n", encoding="utf-8")
    [(number, values)] = read_rows(path, "csv")
    assert number == 2
    assert values[ROW_PROBLEM] == f"has 3 cells where the header has {len(COLUMNS)} columns"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER + ",shoe_size", "unknown column(s): 'shoe_size'"),
        (HEADER.replace("nationality,", ""), "missing required column(s): nationality"),
        (HEADER + ",sex", "repeated column(s): sex"),
    ],
)
def test_csv_header_problems_are_one_file_error(tmp_path: Path, header: str, expected: str) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(header + "\n" + _csv_line(_row()) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        next(read_rows(path, "csv"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "not UTF-8"),
        (HEADER.encode() + b"\n\xff\xfe\n", "not UTF-8 text \\(near row 2\\)"),
        (b"a\x00b,c\n", "not valid CSV|unknown column"),
    ],
)
def test_csv_that_is_not_csv(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=expected):
        list(read_rows(path, "csv"))


def test_json_array_is_streamed_across_read_chunks(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    objects = [_row(document_number=f"WK{n:08d}") for n in range(600)]  # ~200 KB: several reads
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = list(read_rows(path, "json"))
    assert [n for n, _ in rows] == list(range(1, 601))
    assert rows[-1][1]["document_number"] == "WK00000599"


def test_json_values_become_cell_text(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    first = {**EXAMPLE_ROW, "passport_number": 12345678, "patronymic": None}
    path.write_text(json.dumps([first, "not an object", {**EXAMPLE_ROW, "colour": "red"}]))
    rows = list(read_rows(path, "json"))
    assert rows[0][1]["passport_number"] == "12345678" and rows[0][1]["patronymic"] == ""
    assert rows[1] == (2, {ROW_PROBLEM: "is a JSON str, not an object of columns"})
    assert rows[2][1][ROW_PROBLEM] == "unknown column(s): 'colour'"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"a": 1', "not valid in object 1"),
        ('{"a": 1', "line 1 is not valid JSON"),
        ('"just a string"', "array of objects"),
        ("[", "ends early, after object 0"),
        (f"[{json.dumps(EXAMPLE_ROW)} {json.dumps(EXAMPLE_ROW)}]", "expected ',' or ']'"),
        (f"[{json.dumps(EXAMPLE_ROW)}, {{oops}}]", "not valid in object 2"),
        ('[{"name": "x"}]', "unknown column"),
        ("[1, 2]", "first row is not a JSON object"),
    ],
)
def test_json_that_is_not_an_array_of_rows(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "rows.json"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=expected):
        list(read_rows(path, "json"))


def test_json_object_too_large_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text('[{"primary_name": "' + "A" * (2 << 20) + '"}]')
    with pytest.raises(ImportFileError, match="larger than 1 MiB"):
        list(read_rows(path, "json"))


def test_empty_json_array_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text(" [ ] ")
    assert list(read_rows(path, "json")) == []


def test_json_lines_are_numbered_by_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(EXAMPLE_ROW) + "\n\n" + "{broken\n" + json.dumps(EXAMPLE_ROW) + "\n")
    rows = list(read_rows(path, "jsonl"))
    assert [n for n, _ in rows] == [1, 3, 4]
    assert rows[1][1][ROW_PROBLEM].startswith("is not valid JSON")


def test_a_json_file_of_json_lines_is_read_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(EXAMPLE_ROW) + "\n" + json.dumps(EXAMPLE_ROW) + "\n")
    assert [n for n, _ in read_rows(path, "json")] == [1, 2]


def test_json_lines_whose_first_line_is_bad_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("id,name\n1,x\n")
    with pytest.raises(ImportFileError, match="line 1 is not valid JSON"):
        list(read_rows(path, "jsonl"))


def _workbook(path: Path, rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_xlsx_first_sheet_with_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    typed: dict[str, object] = {
        **EXAMPLE_ROW,
        "valid_from": dt.datetime(2025, 1, 15),
        "valid_until": dt.date(2026, 1, 14),
        "passport_number": 1234567,
        "patronymic": None,
    }
    _workbook(
        path, [list(COLUMNS), [typed[c] for c in COLUMNS], [None] * 3, list(EXAMPLE_ROW.values())]
    )
    rows = list(read_rows(path, "xlsx"))
    assert [n for n, _ in rows] == [2, 4]
    first = rows[0][1]
    assert (first["valid_from"], first["valid_until"]) == ("2025-01-15", "2026-01-14")
    assert first["passport_number"] == "1234567" and first["patronymic"] == ""
    assert rows[1][1] == EXAMPLE_ROW


def test_xlsx_header_problem(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    _workbook(path, [["name", "born"], ["x", "y"]])
    with pytest.raises(ImportFileError, match="missing required column"):
        list(read_rows(path, "xlsx"))


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_text(HEADER)
    with pytest.raises(ImportFileError, match="not an XLSX workbook"):
        list(read_rows(path, "xlsx"))


@pytest.mark.parametrize(
    ("name", "explicit", "expected"),
    [
        ("a.CSV", None, "csv"),
        ("a.json", None, "json"),
        ("a.ndjson", None, "jsonl"),
        ("a.xlsx", None, "xlsx"),
        ("a.dat", "JSONL", "jsonl"),
    ],
)
def test_detect_format(name: str, explicit: str | None, expected: str) -> None:
    assert detect_format(name, explicit) == expected


@pytest.mark.parametrize(("name", "explicit"), [("a.dat", None), ("a.csv", "xml")])
def test_detect_format_refuses(name: str, explicit: str | None) -> None:
    with pytest.raises(ImportFileError):
        detect_format(name, explicit)


def test_estimate_rows(tmp_path: Path) -> None:
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(HEADER + "\n" + (_csv_line(_row()) + "\n") * 7)
    json_path = tmp_path / "rows.json"
    json_path.write_text(json.dumps([EXAMPLE_ROW] * 5))
    xlsx_path = tmp_path / "rows.xlsx"
    _workbook(xlsx_path, [list(COLUMNS)] + [list(EXAMPLE_ROW.values())] * 3)
    assert estimate_rows(csv_path, "csv") == 7
    assert estimate_rows(json_path, "json") == 5
    assert estimate_rows(xlsx_path, "xlsx") == 3
