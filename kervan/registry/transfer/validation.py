"""Checks of one import row, with plain functions rather than a pydantic model per row: at a
million rows the difference is minutes. Every problem of a row is reported, not just the first.

Each column has a parser that returns the typed value or raises ``ValueError`` whose message is
the reason shown to the user; parsers of values that repeat across rows (dates, codes) are cached.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from kervan.errors import CodedValueError
from kervan.registry.codes import SECRETARIAT, state_codes, validate_region_code
from kervan.registry.enums import Sex, StayKind, StayPurpose, StayStatus
from kervan.registry.messages import BIRTH_DATE, DOCUMENT_ENDS_BEFORE_START
from kervan.registry.numbers import normalise_number, number_problem
from kervan.registry.transfer.formats import ROW_PROBLEM
from kervan.registry.transfer.report import RowError, echo
from kervan.spreadsheet import read_cell

Birth = tuple[int, int | None, int | None]

_NAME_MAX = 200
_PASSPORT = re.compile(r"[A-Z0-9]{1,20}")
# The ICAO 9303 Latin form: capitals, with spaces (or the MRZ filler) between name parts.
_IDENTIFIER = re.compile(r"[A-Z][A-Z<' -]*")
_BIRTH = re.compile(r"(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?")
_EARLIEST_BIRTH_YEAR = 1880


class ParsedRow(NamedTuple):
    """One valid row, its values typed and normalised (enum values kept as their text). A named
    tuple: built a million times, it must be cheap to make."""

    row: int
    primary_name: str
    secondary_name: str
    patronymic: str
    primary_identifier: str | None
    secondary_identifier: str | None
    nationality: str
    birth: Birth
    sex: str
    passport_number: str
    passport_issuing_state: str
    passport_expiry: dt.date | None
    document_kind: str
    document_number: str
    purpose: str
    valid_from: dt.date
    valid_until: dt.date
    status: str | None  # None: not given (new documents are active; existing keep theirs)
    region: str | None  # None: not given (existing documents keep theirs)


@lru_cache(maxsize=65536)
def birth_text(birth: Birth) -> str:
    """As ``BirthDate.text()`` writes it: ``1990-05-XX``."""
    year, month, day = birth
    month_text = f"{month:02d}" if month else "XX"
    day_text = f"{day:02d}" if day else "XX"
    return f"{year:04d}-{month_text}-{day_text}"


# ----------------------------------------------------------------------------------------------
# Column parsers


def _primary_name(text: str) -> str:
    value = read_cell(text.strip())
    if not value:
        raise ValueError("is empty: every person needs a primary name (family name)")
    return _name(value)


def _name(text: str) -> str:
    # Names are the free text of a row: the only cells an export quotes (kervan.spreadsheet).
    value = read_cell(text.strip())
    if len(value) > _NAME_MAX:
        raise ValueError(f"is {len(value)} characters long; at most {_NAME_MAX} are allowed")
    return value


@lru_cache(maxsize=16384)
def _identifier(text: str) -> str | None:
    value = text.strip().upper()
    if not value:
        return None
    if len(value) > _NAME_MAX or not _IDENTIFIER.fullmatch(value):
        raise ValueError(
            f"{echo(text.strip())} is not an ICAO 9303 Latin name (capital letters A-Z and spaces)"
        )
    return value


@lru_cache(maxsize=1024)
def _state(text: str) -> str:
    value = text.strip().upper()
    if not value:
        raise ValueError("is empty: a three-letter state code is required")
    if value != SECRETARIAT and value not in state_codes():
        raise ValueError(f"{echo(value)} is not an ISO 3166-1 alpha-3 or ICAO 9303 state code")
    return value


@lru_cache(maxsize=65536)
def _birth(text: str) -> Birth:
    value = text.strip().upper()
    match = _BIRTH.fullmatch(value)
    if not match:
        raise CodedValueError(
            f"{echo(value)} is not a date of birth: expected YYYY-MM-DD, XX for unknown", BIRTH_DATE
        )
    year = int(match[1])
    month = None if match[2] in (None, "XX", "00") else int(match[2])
    day = None if match[3] in (None, "XX", "00") else int(match[3])
    if day is not None and month is None:
        raise ValueError(f"{echo(value)} gives a day of birth without a month")
    today = dt.date.today()
    if year < _EARLIEST_BIRTH_YEAR:
        raise ValueError(f"{echo(value)} has no plausible year of birth")
    if year > today.year:
        raise ValueError(f"{echo(value)} is in the future")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{echo(value)} has no month {month}")
    if month is not None and day is None and (year, month) > (today.year, today.month):
        raise ValueError(f"{echo(value)} is in the future")
    if day is not None and month is not None:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{echo(value)} is not a calendar date") from None
        if born > today:
            raise ValueError(f"{echo(value)} is in the future")
    return year, month, day


def _choice(values: frozenset[str], what: str) -> Callable[[str], str]:
    listed = ", ".join(sorted(values))

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value in values:
            return value
        raise ValueError(f"{echo(text.strip())} is not {what}: expected one of {listed}")

    return parse


_SEXES = frozenset(s.value for s in Sex)


def _sex(text: str) -> str:
    value = text.strip().upper()
    if value in _SEXES:
        return value
    raise ValueError(f"{echo(text.strip())} is not a sex: expected F, M or X")


def _passport_number(text: str) -> str:
    value = text.strip().upper()
    if value.isascii() and value.isalnum() and len(value) <= 20:
        return value  # the common case, without the regular expression
    if not _PASSPORT.fullmatch(value):
        raise ValueError(
            f"{echo(text.strip())} is not a travel document number: 1 to 20 letters A-Z and digits"
        )
    return value


@lru_cache(maxsize=16384)
def _date(text: str) -> dt.date:
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{echo(value)} is not a date: expected YYYY-MM-DD")


def _optional_date(text: str) -> dt.date | None:
    return _date(text) if text.strip() else None


def _document_number(text: str) -> str:
    # Most numbers come clean (A-Z and digits): skip the normalising substitution for them.
    value = text if text.isascii() and text.isalnum() and text.isupper() else normalise_number(text)
    if not value:
        raise ValueError("is empty: every stay document has a number")
    if len(value) > 32:
        raise ValueError(f"{echo(value)} is longer than 32 characters")
    return value


_KINDS = {k.value: k for k in StayKind}
_kind = _choice(frozenset(_KINDS), "a stay document kind")
_purpose = _choice(frozenset(p.value for p in StayPurpose), "a purpose of stay")
_status_value = _choice(frozenset(s.value for s in StayStatus), "a document status")


def _status(text: str) -> str | None:
    return _status_value(text) if text.strip() else None


@lru_cache(maxsize=4096)
def _region(text: str) -> str | None:
    value = text.strip().upper()
    return validate_region_code(value) if value else None


#: In ``ParsedRow`` field order.
PARSERS: tuple[tuple[str, Callable[[str], Any]], ...] = (
    ("primary_name", _primary_name),
    ("secondary_name", _name),
    ("patronymic", _name),
    ("primary_identifier", _identifier),
    ("secondary_identifier", _identifier),
    ("nationality", _state),
    ("birth_date", _birth),
    ("sex", _sex),
    ("passport_number", _passport_number),
    ("passport_issuing_state", _state),
    ("passport_expiry", _optional_date),
    ("document_kind", _kind),
    ("document_number", _document_number),
    ("purpose", _purpose),
    ("valid_from", _date),
    ("valid_until", _date),
    ("status", _status),
    ("region", _region),
)


# ----------------------------------------------------------------------------------------------
# Rows


def _number_problem(row: int, kind: str, number: str) -> RowError | None:
    problem = number_problem(_KINDS[kind], number)
    if problem is None:
        return None
    return RowError(row, "document_number", problem.text, problem.code, problem.params)


def _dates_problem(row: int, valid_from: dt.date, valid_until: dt.date) -> RowError | None:
    if valid_until >= valid_from:
        return None
    return RowError(
        row,
        "valid_until",
        f"the document ends ({valid_until}) before it begins ({valid_from})",
        DOCUMENT_ENDS_BEFORE_START,
        {"until": valid_until.isoformat(), "start": valid_from.isoformat()},
    )


def _cross_checks(row: int, values: list[Any], problems: list[RowError]) -> None:
    """Checks between columns, made only when both columns are valid on their own (a bad cell
    is reported once, in its own column)."""
    kind, number = values[11], values[12]
    if kind is not None and number is not None:
        problem = _number_problem(row, kind, number)
        if problem is not None:
            problems.append(problem)
    valid_from, valid_until = values[14], values[15]
    if valid_from is not None and valid_until is not None:
        problem = _dates_problem(row, valid_from, valid_until)
        if problem is not None:
            problems.append(problem)


def parse_row(row: int, raw: Mapping[str, str]) -> ParsedRow | list[RowError]:
    """The row's typed values, or every problem found in it."""
    problems: list[RowError] = []
    if ROW_PROBLEM in raw:
        problems.append(RowError(row, None, raw[ROW_PROBLEM]))
        if len(raw) == 1:  # the reader kept nothing else of the row (its cells were unreadable)
            return problems
    values: list[Any] = []
    for column, parse in PARSERS:
        try:
            values.append(parse(raw.get(column) or ""))
        except CodedValueError as exc:
            values.append(None)
            problems.append(RowError(row, column, str(exc), exc.code, exc.params))
        except ValueError as exc:
            values.append(None)
            problems.append(RowError(row, column, str(exc)))
    _cross_checks(row, values, problems)
    if problems:
        return problems
    return ParsedRow(row, *values)


# ----------------------------------------------------------------------------------------------
# Many rows at once, column by column

#: Where a problem sorts among a row's others: the reader's first, then the columns, then the
#: checks between columns, as ``parse_row`` lists them.
_SHAPE_ORDER = -1
_CROSS_ORDER = len(PARSERS)
#: Columns whose texts rarely repeat: parsed cell by cell rather than value by distinct value.
_UNIQUE = frozenset({"passport_number", "document_number"})


class ParsedColumns(NamedTuple):
    """The valid rows of a chunk column by column: ``rows`` their numbers, ``columns`` their
    values in ``PARSERS`` order (a column per ``ParsedRow`` field after ``row``)."""

    rows: list[int]
    columns: list[list[Any]]

    def as_rows(self) -> list[ParsedRow]:
        return list(map(ParsedRow, self.rows, *self.columns))


def parse_rows(
    rows: Sequence[tuple[int, Mapping[str, str]]],
) -> tuple[list[ParsedRow], list[RowError]]:
    """``parse_row`` of each row, made column by column (``parse_columns``): the valid rows,
    in order, and every problem, in row order and within a row in ``parse_row``'s order."""
    parsed, errors = parse_columns(rows)
    return parsed.as_rows(), errors


def parse_columns(
    rows: Sequence[tuple[int, Mapping[str, str]]],
) -> tuple[ParsedColumns, list[RowError]]:
    """The checks of ``parse_row`` made one column at a time: each column's cells go through
    its parser in one ``map`` (a loop in C), and only a column holding a bad cell is walked
    again cell by cell to word its problems."""
    numbers = [number for number, _ in rows]
    raws = [raw for _, raw in rows]
    found: list[tuple[int, int, RowError]] = []  # (index of the row, order, problem)
    # A row the reader kept nothing of but its problem: no column of it is checked.
    unread: set[int] = set()
    for index, raw in enumerate(raws):
        if ROW_PROBLEM in raw:
            found.append((index, _SHAPE_ORDER, RowError(numbers[index], None, raw[ROW_PROBLEM])))
            if len(raw) == 1:
                unread.add(index)
    columns = [
        _parsed_column(order, column, parse, numbers, raws, found)
        for order, (column, parse) in enumerate(PARSERS)
    ]
    _cross_check_columns(numbers, columns, found)
    found = [f for f in found if f[0] not in unread or f[1] == _SHAPE_ORDER]
    found.sort(key=lambda f: (f[0], f[1]))
    errors = [problem for _, _, problem in found]
    bad = {index for index, _, _ in found}
    if not bad:
        return ParsedColumns(numbers, columns), errors
    keep = [index for index in range(len(numbers)) if index not in bad]
    return ParsedColumns(
        [numbers[index] for index in keep],
        [list(map(column.__getitem__, keep)) for column in columns],
    ), errors


def _parsed_column(
    order: int,
    column: str,
    parse: Callable[[str], Any],
    numbers: list[int],
    raws: list[Mapping[str, str]],
    found: list[tuple[int, int, RowError]],
) -> list[Any]:
    cells = [raw.get(column) or "" for raw in raws]
    try:
        if column in _UNIQUE:
            return list(map(parse, cells))
        # Most columns hold few distinct texts (codes, dates, common names): each is parsed
        # once, and the column is looked up in C.
        distinct = {cell: parse(cell) for cell in set(cells)}
        return list(map(distinct.__getitem__, cells))
    except ValueError:
        pass  # a bad cell in the column: walked again, cell by cell, to word each problem
    values: list[Any] = []
    for index, cell in enumerate(cells):
        try:
            values.append(parse(cell))
        except CodedValueError as exc:
            values.append(None)
            found.append(
                (index, order, RowError(numbers[index], column, str(exc), exc.code, exc.params))
            )
        except ValueError as exc:
            values.append(None)
            found.append((index, order, RowError(numbers[index], column, str(exc))))
    return values


def _cross_check_columns(
    numbers: list[int], columns: list[list[Any]], found: list[tuple[int, int, RowError]]
) -> None:
    """``_cross_checks`` of every row, a pair of columns at a time (in ``parse_row``'s order)."""
    checks = (
        (_number_problem, columns[11], columns[12], 0),
        (_dates_problem, columns[14], columns[15], 1),
    )
    for check, firsts, seconds, order in checks:
        for index, (first, second) in enumerate(zip(firsts, seconds, strict=True)):
            if first is not None and second is not None:
                problem = check(numbers[index], first, second)
                if problem is not None:
                    found.append((index, _CROSS_ORDER + order, problem))
