"""kervan/identity/problems.py: an MRZ that does not parse becomes the problem an officer
reads — the code and params of the check that failed, on the field it concerns."""

from __future__ import annotations

import pytest

from kervan.identity import parse_mrz
from kervan.identity.mrz import MRZError
from kervan.identity.problems import invalid_mrz

PASSPORT = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _error(lines: list[str]) -> MRZError:
    with pytest.raises(MRZError) as caught:
        parse_mrz("\n".join(lines))
    return caught.value


def test_a_failed_check_digit_is_the_problem_of_its_field() -> None:
    wrong_birth = [PASSPORT[0], PASSPORT[1][:19] + "3" + PASSPORT[1][20:]]
    error = _error(wrong_birth)
    problem = invalid_mrz(error)
    assert problem.status == 422 and problem.code == error.code and problem.params == error.params
    [field] = problem.errors
    assert (field.field, field.code, field.params) == (error.field, error.code, error.params)
    assert problem.detail == f"invalid MRZ: {error}"


def test_a_problem_without_a_field_is_put_on_the_whole_mrz() -> None:
    error = MRZError("", "2 lines", "1 line")
    assert invalid_mrz(error).errors[0].field == "mrz"
