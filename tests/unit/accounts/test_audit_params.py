"""kervan/accounts/audit_params.py: the audit log's parameters never fail the request with
a 500: cursors within a BIGINT, times clamped to what a datetime holds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.accounts.audit_params import (
    FIRST_INSTANT,
    LAST_INSTANT,
    MAX_SEQ,
    before_seq,
    day_start,
    utc_instant,
)
from kervan.errors import InvalidInput
from kervan.messages import CURSOR_UNKNOWN


@given(st.integers(0, MAX_SEQ))
def test_a_cursor_is_its_sequence_number(seq: int) -> None:
    assert before_seq(str(seq)) == seq


@pytest.mark.parametrize("cursor", ["", "-1", "1.5", "²", "١٢", str(MAX_SEQ + 1), "abc"])
def test_any_other_cursor_is_refused_with_its_code(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        before_seq(cursor)
    assert caught.value.code == CURSOR_UNKNOWN and caught.value.errors[0].field == "cursor"


def test_times_are_utc_and_the_ends_are_clamped() -> None:
    assert utc_instant(dt.datetime(2026, 1, 1, 12)) == dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    east = dt.timezone(dt.timedelta(hours=14))
    assert utc_instant(dt.datetime.min.replace(tzinfo=east)) == FIRST_INSTANT
    west = dt.timezone(dt.timedelta(hours=-12))
    assert utc_instant(dt.datetime.max.replace(tzinfo=west)) == LAST_INSTANT


def test_a_typed_day_is_the_instant_it_starts_or_the_next_starts() -> None:
    assert day_start(" 2026-03-01 ") == dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert day_start("2026-03-01", end=True) == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert day_start("9999-12-31", end=True) == LAST_INSTANT
    assert day_start("yesterday") is None
