"""Row validation: every problem of a row, by column, with a reason a clerk can act on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.transfer.columns import COLUMNS, EXAMPLE_ROW, OPTIONAL
from kervan.registry.transfer.formats import ROW_PROBLEM
from kervan.registry.transfer.report import RowError
from kervan.registry.transfer.validation import ParsedRow, birth_text, parse_row


def _parse(**changes: str) -> ParsedRow | list[RowError]:
    return parse_row(17, {**EXAMPLE_ROW, **changes})


def _problems(**changes: str) -> list[tuple[str | None, str]]:
    result = _parse(**changes)
    assert isinstance(result, list), "expected the row to be refused"
    return [(e.column, e.message) for e in result]


def test_example_row_is_valid_and_typed() -> None:
    row = _parse()
    assert isinstance(row, ParsedRow)
    assert row.row == 17
    assert row.birth == (1990, None, None)
    assert row.valid_from == dt.date(2025, 1, 15)
    assert (row.document_kind, row.purpose, row.status, row.sex) == (
        "work_permit",
        "work",
        "active",
        "M",
    )


def test_values_are_normalised() -> None:
    row = _parse(
        nationality=" uzb ",
        sex="m",
        document_kind="Work_Permit",
        document_number="wk 1234-5678",
        passport_number=" aa1234567",
        primary_identifier="karimov",
        status="",
    )
    assert isinstance(row, ParsedRow)
    assert (row.nationality, row.sex, row.document_kind) == ("UZB", "M", "work_permit")
    assert (row.document_number, row.passport_number) == ("WK12345678", "AA1234567")
    assert (row.primary_identifier, row.status) == ("KARIMOV", None)


def test_the_issue_example_message() -> None:
    [error] = _parse(nationality="XYZ")  # type: ignore[misc]
    assert error.text() == (
        "row 17, column nationality: 'XYZ' is not an ISO 3166-1 alpha-3 or ICAO 9303 state code"
    )


def test_every_problem_of_a_row_is_reported() -> None:
    assert [c for c, _ in _problems(sex="Q", purpose="holiday", valid_from="15.01.2025")] == [
        "sex",
        "purpose",
        "valid_from",
    ]


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [
        ("1990-XX-XX", (1990, None, None)),
        ("1990-05-XX", (1990, 5, None)),
        ("1990-05-17", (1990, 5, 17)),
        ("1990", (1990, None, None)),
        ("1990-00-00", (1990, None, None)),
    ],
)
def test_birth_dates_with_unknown_parts(birth_date: str, expected: tuple[int, int, int]) -> None:
    row = _parse(birth_date=birth_date)
    assert isinstance(row, ParsedRow) and row.birth == expected


@pytest.mark.parametrize(
    ("birth_date", "reason"),
    [
        ("1990-XX-05", "a day of birth without a month"),
        ("1990-02-30", "not a calendar date"),
        ("1990-13-XX", "no month 13"),
        ("1790-01-01", "no plausible year"),
        (f"{dt.date.today().year + 1}-XX-XX", "in the future"),
        ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "in the future"),
        ("17.05.1990", "expected YYYY-MM-DD"),
    ],
)
def test_bad_birth_dates(birth_date: str, reason: str) -> None:
    [(column, message)] = _problems(birth_date=birth_date)
    assert column == "birth_date" and reason in message


def test_birth_text_round_trips() -> None:
    assert birth_text((1990, None, None)) == "1990-XX-XX"
    assert birth_text((1990, 5, None)) == "1990-05-XX"
    assert birth_text((1990, 5, 7)) == "1990-05-07"


def test_document_number_must_fit_its_kind() -> None:
    [(column, message)] = _problems(document_kind="visa")
    assert column == "document_number"
    assert "'WK12345678' is not a visa number" in message


def test_document_that_ends_before_it_begins() -> None:
    assert _problems(valid_until="2025-01-14") == [
        ("valid_until", "the document ends (2025-01-14) before it begins (2025-01-15)")
    ]


def test_cross_checks_are_skipped_when_a_column_is_bad_on_its_own() -> None:
    assert [c for c, _ in _problems(document_kind="permit")] == ["document_kind"]
    assert [c for c, _ in _problems(valid_from="never")] == ["valid_from"]


def test_row_shape_problem_is_reported_with_the_cells() -> None:
    problems = _problems(**{ROW_PROBLEM: "has 3 cells where the header has 17 columns"})
    assert problems == [(None, "has 3 cells where the header has 17 columns")]


def test_missing_optional_columns_are_not_given() -> None:
    row = parse_row(2, {c: v for c, v in EXAMPLE_ROW.items() if c not in OPTIONAL})
    assert isinstance(row, ParsedRow)
    assert (row.patronymic, row.primary_identifier, row.passport_expiry, row.status) == (
        "",
        None,
        None,
        None,
    )


# Values that are wrong on their own in each column (never valid-but-inconsistent).
BAD_VALUES: dict[str, list[str]] = {
    "primary_name": ["", "  ", "X" * 201],
    "secondary_name": ["Y" * 201],
    "patronymic": ["Z" * 201],
    "primary_identifier": ["Каримов", "KARIMOV2", "-"],
    "secondary_identifier": ["sh3rzod", "!"],
    "nationality": ["", "XYZ", "UZ", "Uzbekistan"],
    "birth_date": ["", "1990-13-01", "yesterday", "1990-XX-01"],
    "sex": ["", "male", "?"],
    "passport_number": ["", "AA 123", "AA-1234567", "A" * 21],
    "passport_issuing_state": ["", "QQQ", "1"],
    "passport_expiry": ["2030-02-30", "soon", "31/05/2030"],
    "document_kind": ["", "permit", "VISA!"],
    "document_number": ["", "-", "W" * 33],
    "purpose": ["", "holiday"],
    "valid_from": ["", "2025-1-15", "2025-02-29"],
    "valid_until": ["", "tomorrow"],
    "status": ["expired", "1"],
    "region": ["KZ-99", "KZ75", "Almaty", "KAZ-75"],
}


def test_bad_values_cover_every_column() -> None:
    assert set(BAD_VALUES) == set(COLUMNS)


@given(st.data())
def test_corrupted_cells_are_reported_exactly(data: st.DataObject) -> None:
    columns = data.draw(st.sets(st.sampled_from(COLUMNS), min_size=1, max_size=4))
    corrupted = {c: data.draw(st.sampled_from(BAD_VALUES[c])) for c in columns}
    result = parse_row(5, {**EXAMPLE_ROW, **corrupted})
    assert isinstance(result, list)
    assert {(e.row, e.column) for e in result} == {(5, c) for c in columns}


def test_region_is_optional_normalised_and_checked_against_iso_3166_2() -> None:
    assert _parse().region == "KZ-75"
    assert _parse(region="").region is None
    assert _parse(region=" uz-tk ").region == "UZ-TK"
    result = _parse(region="KZ-99")
    assert isinstance(result, list)
    [error] = result
    assert (error.row, error.column, error.code, error.params) == (
        17,
        "region",
        "register.region-code",
        {"region": "KZ-99"},
    )
