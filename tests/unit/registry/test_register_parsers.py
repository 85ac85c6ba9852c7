"""Properties of the register's small parsers: dates of birth, cursors, document numbers."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.errors import InvalidInput
from kervan.registry.enums import StayKind
from kervan.registry.messages import NUMBER_FORM
from kervan.registry.numbers import NUMBER_EXAMPLES, normalise_number, number_problem
from kervan.registry.queries import decode_cursor, encode_cursor
from kervan.registry.schemas import BirthDate

birth_dates = st.builds(
    lambda year, month, day: BirthDate(year=year, month=month, day=day if month else None),
    st.integers(1900, 2025),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)


@given(birth_dates)
def test_birth_date_text_round_trips(birth: BirthDate) -> None:
    assert BirthDate.parse(birth.text()) == birth


@given(st.text(max_size=20))
def test_birth_date_parse_fails_only_with_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        BirthDate.parse(text)


def test_birth_date_unknown_parts() -> None:
    assert BirthDate.parse("1975-06-XX") == BirthDate(year=1975, month=6)
    assert BirthDate.parse("1975-XX-XX") == BirthDate(year=1975)
    assert BirthDate.parse("1975") == BirthDate(year=1975)
    with pytest.raises(ValueError):
        BirthDate.parse("1975-XX-04")


@given(st.dates(), st.uuids())
def test_cursor_round_trips(day: dt.date, ident: uuid.UUID) -> None:
    assert decode_cursor(encode_cursor([day, ident]), 2) == [day.isoformat(), str(ident)]


@given(st.text(max_size=40))
def test_garbage_cursor_is_invalid_input(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        decode_cursor(text, 2)


@pytest.mark.parametrize("kind", list(StayKind))
def test_examples_fit_their_kind_and_no_other(kind: StayKind) -> None:
    example = NUMBER_EXAMPLES[kind]
    assert number_problem(kind, example) is None
    for other in StayKind:
        if other is not kind:
            assert number_problem(other, example) is not None


@given(st.sampled_from(list(StayKind)), st.text(alphabet="ABCXYZ0123456789 -", max_size=14))
def test_number_check_is_a_pure_verdict(kind: StayKind, typed: str) -> None:
    number = normalise_number(typed)
    assert " " not in number and "-" not in number
    problem = number_problem(kind, number)
    assert problem is None or (kind.value in problem.text and problem.code == NUMBER_FORM)
