"""``generate`` streams: its memory is one batch's worth, however many documents are asked for."""

from __future__ import annotations

import datetime as dt
import gc
import sys
import tracemalloc
from collections.abc import Iterator

import pytest

from kervan.registry.naming import NameColumns
from kervan.registry.synthetic import Batch, generate, generator

TODAY = dt.date(2025, 6, 1)
COUNT = 200_000
BATCH = 5_000


def _consume(batches: Iterator[Batch], limit: int | None = None) -> int:
    documents = 0
    for number, batch in enumerate(batches, start=1):
        documents += batch.document_count
        if number == limit:
            break
    return documents


@pytest.fixture
def quick_name_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # kervan.identity derives the name columns and takes about three quarters of the run time;
    # they are short strings like these, so a stand-in keeps this test quick without changing
    # what it measures: whether anything piles up from one batch to the next.
    columns = NameColumns("KARIMOV", "ALISHER", "Latn", "KARIMOV ALISER", "KRMB", "ALSR")
    monkeypatch.setattr(generator, "name_columns", lambda *_args: columns)


@pytest.mark.slow  # about 70 s on two cores: `make test` (and CI) run it, `make test-fast` not
@pytest.mark.usefixtures("quick_name_columns")
def test_generating_200k_documents_keeps_memory_bounded() -> None:
    batches = generate(COUNT, seed=1, host_state="KAZ", today=TODAY, batch_documents=BATCH)
    # The peak of two batches under tracemalloc (tracing all 40 would take minutes) …
    tracemalloc.start()
    try:
        documents = _consume(batches, limit=2)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # … and no growth over the other 38: together, the peak of the whole run.
    gc.collect()
    blocks = sys.getallocatedblocks()
    documents += _consume(batches)
    gc.collect()
    grown = sys.getallocatedblocks() - blocks

    assert documents == COUNT
    assert peak < 30 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert grown < 20_000, f"{grown} memory blocks more after {COUNT} documents"
