"""``Prefetched``: the importer's reader thread gives every item in order, raises the reader's
errors where they happened, and stops when the import stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import closing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.transfer.pipeline import Prefetched, ProcessPrefetched
from kervan.registry.transfer.report import ImportFileError


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=3))
def test_every_item_arrives_in_order(items: list[int], depth: int) -> None:
    with closing(Prefetched(iter(items), depth)) as prefetched:
        assert list(prefetched) == items


def test_an_error_of_the_reader_is_raised_after_the_items_before_it() -> None:
    def rows() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("row 3 is not UTF-8")

    seen: list[int] = []
    with closing(Prefetched(rows())) as prefetched, pytest.raises(ValueError, match="row 3"):
        for item in prefetched:
            seen.append(item)
    assert seen == [1, 2]


def test_closing_early_stops_the_reader_thread() -> None:
    produced: list[int] = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    before = threading.active_count()
    prefetched = Prefetched(endless(), depth=1)
    for item in prefetched:
        if item == 3:
            break
    prefetched.close()
    assert threading.active_count() == before
    assert len(produced) <= 6  # the reader stayed at most a chunk or two ahead


def test_a_reader_process_gives_every_item_in_order_and_its_coded_errors() -> None:
    def rows() -> Iterator[int]:
        yield from range(5)
        raise ImportFileError("row 6 is not UTF-8", code="import.not-utf8-near", params={"row": 6})

    seen: list[int] = []
    with (
        closing(ProcessPrefetched(rows)) as prefetched,
        pytest.raises(ImportFileError, match="row 6") as raised,
    ):
        for item in prefetched:
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]
    assert (raised.value.code, raised.value.params) == ("import.not-utf8-near", {"row": 6})


def test_closing_a_reader_process_early_ends_it() -> None:
    def endless() -> Iterator[int]:
        number = 0
        while True:
            yield number
            number += 1

    prefetched = ProcessPrefetched(endless, depth=1)
    for item in prefetched:
        if item == 3:
            break
    prefetched.close()
    assert not prefetched._process.is_alive()
