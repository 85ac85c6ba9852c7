"""kervan/errors.py: every domain error carries a code; pydantic's errors keep a coded value's
code and params; the collector reports every problem at once."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from kervan.errors import (
    CodedValueError,
    ErrorCollector,
    Forbidden,
    InvalidInput,
    KervanError,
    NotFound,
    pydantic_field_errors,
)


def test_an_error_without_a_code_is_coded_by_its_problem_type() -> None:
    assert KervanError("x").code == "bad-request"
    assert NotFound("x").code == "not-found"
    coded = Forbidden("x", code="accounts.role-may-not", params={"role": "admin"})
    assert (coded.code, coded.status) == ("accounts.role-may-not", 403)
    assert coded.params == {"role": "admin"}
    assert KervanError("x", locked_until="later").extra == {"locked_until": "later"}


def _even(value: int) -> int:
    if value % 2:
        raise CodedValueError("odd", "test.odd", value=value)
    return value


class Pair(BaseModel):
    even: Annotated[int, AfterValidator(_even)]
    name: str


def test_pydantic_errors_keep_a_coded_value_error_and_code_the_others() -> None:
    with pytest.raises(ValidationError) as caught:
        Pair.model_validate({"even": 3})
    found = {e.field: e for e in pydantic_field_errors(caught.value, prefix="body.")}
    assert found["body.even"].code == "test.odd" and found["body.even"].params == {"value": 3}
    assert found["body.name"].code == "input.missing" and found["body.name"].params == {}


def test_the_collector_raises_once_with_every_problem() -> None:
    collector = ErrorCollector()
    collector.raise_if_any()  # nothing gathered: nothing raised
    collector.add("a", "first", "test.a", limit=1)
    collector.add("b", "second")
    with pytest.raises(InvalidInput) as caught:
        collector.raise_if_any(code="test.form")
    assert caught.value.code == "test.form"
    assert [e.as_dict() for e in caught.value.errors] == [
        {"field": "a", "message": "first", "code": "test.a", "params": {"limit": 1}},
        {"field": "b", "message": "second"},
    ]
