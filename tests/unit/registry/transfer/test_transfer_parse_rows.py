"""``parse_rows`` (column by column) gives what ``parse_row`` gives row by row: the same valid
rows and the same problems in the same order, whatever the mix of good and bad cells."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.registry.transfer.columns import COLUMNS, EXAMPLE_ROW
from kervan.registry.transfer.formats import ROW_PROBLEM
from kervan.registry.transfer.report import RowError
from kervan.registry.transfer.validation import ParsedRow, parse_row, parse_rows

# Cells of each column: good ones, wrong ones, and ones only a check between columns refuses
# (a number of another kind's form, a document ending before it begins).
CELLS: dict[str, list[str]] = {
    "primary_name": ["Каримов", " Smith ", "", "  ", "X" * 201, "=A1", "O\\'Brien\t"],
    "secondary_name": ["Шерзод", "", "Y" * 201, "a\nb"],
    "patronymic": ["", "Бахтиёрович", "Z" * 201],
    "primary_identifier": ["KARIMOV", "", "Каримов", "KARIMOV2", "-"],
    "secondary_identifier": ["SHERZOD", "", "sh3rzod", "!"],
    "nationality": ["UZB", "uzb", "", "XYZ", "UZ"],
    "birth_date": ["1990-XX-XX", "1990-05-17", "", "1990-13-01", "1990-XX-01", "2999-01-01"],
    "sex": ["M", "f", "", "male"],
    "passport_number": ["AA1234567", "aa1234567", "", "AA 123", "A" * 21],
    "passport_issuing_state": ["UZB", "", "QQQ"],
    "passport_expiry": ["2030-05-31", "", "2030-02-30", "soon"],
    "document_kind": ["work_permit", "visa", "residence_permit", "", "permit"],
    "document_number": ["WK12345678", "V1234567", "", "-", "W" * 33, "wk 1234-5678"],
    "purpose": ["work", "study", "", "holiday"],
    "valid_from": ["2025-01-15", "2026-06-01", "", "2025-02-29"],
    "valid_until": ["2026-01-14", "2025-01-01", "", "tomorrow"],
    "status": ["", "active", "expired"],
    "region": ["", "KZ-75", "KZ-99", "Almaty"],
}


def _row(data: st.DataObject) -> dict[str, str]:
    row = dict(EXAMPLE_ROW)
    for column in data.draw(st.sets(st.sampled_from(COLUMNS), max_size=5)):
        choice = data.draw(st.sampled_from([*CELLS[column], None]))
        if choice is None:
            row.pop(column)  # a column the file leaves out
        else:
            row[column] = choice
    shape = data.draw(st.sampled_from(["ok", "ok", "ok", "problem", "unread"]))
    if shape == "problem":
        row[ROW_PROBLEM] = "has 20 cells where the header has 18 columns"
    elif shape == "unread":
        row = {ROW_PROBLEM: "cell(s) longer than 1000 characters: primary_name"}
    return row


def _row_by_row(
    rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[ParsedRow], list[RowError]]:
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for number, raw in rows:
        result = parse_row(number, raw)
        if isinstance(result, ParsedRow):
            parsed.append(result)
        else:
            errors += result
    return parsed, errors


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_column_by_column_is_row_by_row(data: st.DataObject) -> None:
    count = data.draw(st.integers(min_value=0, max_value=12))
    rows = [(number, _row(data)) for number in range(2, 2 + count)]
    assert parse_rows(rows) == _row_by_row(rows)


def test_a_clean_chunk_is_all_parsed_and_a_bad_cell_is_worded_on_its_row() -> None:
    rows = [(n, dict(EXAMPLE_ROW)) for n in range(2, 7)]
    rows[2] = (4, {**EXAMPLE_ROW, "sex": "male", "valid_until": "2020-01-01"})
    parsed, errors = parse_rows(rows)
    assert [p.row for p in parsed] == [2, 3, 5, 6]
    assert [(e.row, e.column) for e in errors] == [(4, "sex"), (4, "valid_until")]
