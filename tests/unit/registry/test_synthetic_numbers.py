"""Synthetic document numbers: a permutation of each number space, never a repeat."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.enums import StayKind, TravelDocumentType
from kervan.registry.numbers import number_problem
from kervan.registry.synthetic.numbers import (
    IDENTITY_CARD_FORMATS,
    PASSPORT_FORMATS,
    DocumentNumbers,
    NumberFormat,
    NumberSpaceExhausted,
)


@given(size=st.integers(min_value=1, max_value=3_000), salt=st.integers(0, 2**32 - 1))
def test_every_number_of_a_space_is_handed_out_once(size: int, salt: int) -> None:
    numbers = DocumentNumbers("K", salt)
    values = [numbers._take(("test", "space"), size) for _ in range(size)]
    assert sorted(values) == list(range(size))
    with pytest.raises(NumberSpaceExhausted):
        numbers._take(("test", "space"), size)


def test_stay_numbers_follow_the_register_rules() -> None:
    numbers = DocumentNumbers("U", salt=7)
    issued = dt.date(2025, 3, 1)
    for kind in StayKind:
        number = numbers.stay(kind, issued)
        assert number_problem(kind, number) is None, number
        assert number[1] == "U"
    assert numbers.stay(StayKind.REGISTRATION, issued)[2:4] == "25"


def test_travel_numbers_have_the_issuing_state_layout() -> None:
    numbers = DocumentNumbers("K", salt=7)
    for state, number_format in PASSPORT_FORMATS.items():
        number = numbers.travel(TravelDocumentType.PASSPORT, state)
        assert len(number) == len(number_format.series[0]) + number_format.digits <= 9
        assert number.startswith(number_format.series)
    for state in IDENTITY_CARD_FORMATS:
        assert numbers.travel(TravelDocumentType.IDENTITY_CARD, state).isalnum()


def test_a_format_renders_series_then_digits() -> None:
    number_format = NumberFormat(("AA", "FA"), 7)
    assert number_format.size == 20_000_000
    assert number_format.render(0) == "AA0000000"
    assert number_format.render(10_000_001) == "FA0000001"
