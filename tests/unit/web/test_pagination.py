"""One cursor and one page-size rule for every list: a cursor round-trips, anything else is a
coded 422, and a page larger than the node's ``page_size_max`` is refused, not cut."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.errors import InvalidInput
from kervan.messages import CURSOR_UNKNOWN, PAGE_TOO_LARGE
from kervan.web.pagination import decode_cursor, encode_cursor, page_size


@given(st.lists(st.one_of(st.text(max_size=40), st.dates(), st.uuids()), max_size=4))
def test_a_cursor_gives_back_its_values_as_text(values: list[object]) -> None:
    expected = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values]
    assert decode_cursor(encode_cursor(values)) == expected


@given(st.text(max_size=300))
def test_anything_else_is_a_coded_refusal_never_a_crash(text: str) -> None:
    try:
        decoded = decode_cursor(text, 2)
    except InvalidInput as exc:
        assert exc.code == CURSOR_UNKNOWN
    else:  # by chance a valid encoding of two strings
        assert len(decoded) == 2 and all(isinstance(v, str) for v in decoded)


def test_wrong_size_numbers_and_long_cursors_are_refused() -> None:
    for cursor in (encode_cursor(["a"]), "WzEsMl0", "x" * 5000):  # WzEsMl0 = [1,2]
        with pytest.raises(InvalidInput) as refused:
            decode_cursor(cursor, 2)
        assert refused.value.code == CURSOR_UNKNOWN
    assert decode_cursor(encode_cursor([dt.date(2026, 1, 2), uuid.UUID(int=1)]), 2)[0] == (
        "2026-01-02"
    )


def _request(largest: int) -> SimpleNamespace:
    settings = SimpleNamespace(page_size_max=largest)
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=settings)))


def test_the_page_size_is_held_to_the_nodes_setting() -> None:
    assert page_size(_request(500), 500) == 500  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        page_size(_request(100), 101)  # type: ignore[arg-type]
    assert refused.value.code == PAGE_TOO_LARGE and refused.value.params == {"largest": 100}
    assert refused.value.errors[0].field == "limit"
