"""kervan.whole_numbers: a body's count reads what int reads, except a boolean."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kervan.whole_numbers import WholeNumber


class Body(BaseModel):
    count: WholeNumber


class Lax(BaseModel):
    count: int


@given(st.integers() | st.integers().map(str) | st.floats(allow_nan=False) | st.text(max_size=5))
def test_it_reads_what_int_reads(value: object) -> None:
    try:
        expected: object = Lax(count=value).count
    except ValidationError as error:
        expected = error.errors()[0]["type"]
    try:
        found: object = Body(count=value).count
    except ValidationError as error:
        found = error.errors()[0]["type"]
    assert found == expected


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_whole_number(value: bool) -> None:
    assert Lax(count=value).count == int(value)  # what the lax int let through
    with pytest.raises(ValidationError) as refused:
        Body(count=value)
    assert refused.value.errors()[0]["type"] == "int_type"


def test_the_json_schema_is_still_an_integer() -> None:
    assert Body.model_json_schema()["properties"]["count"]["type"] == "integer"
