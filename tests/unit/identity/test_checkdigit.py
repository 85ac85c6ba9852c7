"""kervan/identity/checkdigit.py: ICAO 9303's 7-3-1 check digit — its values, its known
examples, and which single changes it does and does not detect."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.identity.checkdigit import MRZ_CHARACTERS, character_value, check_digit

MRZ_TEXT = st.text(alphabet=sorted(MRZ_CHARACTERS), min_size=1, max_size=30)


def test_values_of_the_mrz_characters() -> None:
    assert [character_value(c) for c in "0<9AZ"] == [0, 0, 9, 10, 35]
    with pytest.raises(ValueError):
        character_value("a")


@pytest.mark.parametrize(
    ("data", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("ZE184226B<<<<<", 1), ("", 0)],
)
def test_the_examples_of_icao_9303(data: str, digit: int) -> None:
    assert check_digit(data) == digit


@given(MRZ_TEXT, st.data())
def test_one_changed_character_is_caught_unless_values_differ_by_ten(
    text: str, data: st.DataObject
) -> None:
    where = data.draw(st.integers(0, len(text) - 1))
    other = data.draw(st.sampled_from(sorted(MRZ_CHARACTERS - {text[where]})))
    changed = text[:where] + other + text[where + 1 :]
    blind = (character_value(other) - character_value(text[where])) % 10 == 0
    assert (check_digit(changed) == check_digit(text)) == blind


@given(MRZ_TEXT)
def test_filler_at_the_end_does_not_change_the_digit(text: str) -> None:
    assert check_digit(text + "<<<") == check_digit(text)
