"""``generate`` streams: its memory is one batch's worth, however many documents are asked for.

The register here is 40,000 documents in 20 batches of 2,000 (it was 200,000 in 40 batches of
5,000, 70 s of the suite): what it shows is the same. The peak of a batch is bounded per
document of the batch, and anything kept from one batch to the next (one memory block per
document would be 34,000 blocks between the third batch and the last) shows as growth far above
the bound, which only allows for the interpreter's own noise. Both counts of blocks are taken
while the generator holds one batch (the one just yielded), so the batch itself, some 25 blocks
per document, is in both and hides nothing."""

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
COUNT = 40_000
BATCH = 2_000
# Two batches of 5,000 peaked at 22.8 MiB and of 2,000 at 8.9 MiB: 6 KiB per document of a
# batch bounds both with room (30 MiB for 5,000, as this test allowed before).
PEAK_PER_BATCH_DOCUMENT = 6 * 2**10
# One block per document kept would be 34,000 from the third batch to the last; the interpreter's
# noise is a few hundred either way.
GROWTH_BOUND = 5_000


def _blocks_after_each(batches: Iterator[Batch]) -> tuple[int, list[int]]:
    """The documents of the batches, and the memory blocks in use after each batch (while the
    generator, and this loop, hold that batch)."""
    documents, blocks = 0, []
    for batch in batches:
        documents += batch.document_count
        gc.collect()
        blocks.append(sys.getallocatedblocks())
    return documents, blocks


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


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    # What the process holds before the test (in a suite's worker, every earlier test's
    # leftovers: over a million objects) is moved out of the collector's sight, so that each of
    # the test's twenty collections walks the generator's objects only (25 s instead of 4 s
    # after a hundred functional tests). The blocks counted are the same either way.
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.mark.slow  # about 7 s of CPU: `make test` (and CI) run it, `make test-fast` not
@pytest.mark.usefixtures("quick_name_columns")
def test_generating_many_batches_keeps_memory_bounded(frozen_heap: None) -> None:
    batches = generate(COUNT, seed=1, host_state="KAZ", today=TODAY, batch_documents=BATCH)
    # The peak of two batches under tracemalloc (tracing all 20 would take ten times longer) …
    tracemalloc.start()
    try:
        documents = _consume(batches, limit=2)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # … and no growth over the other 18: together, the peak of the whole run.
    rest, blocks = _blocks_after_each(batches)
    documents += rest
    grown = blocks[-1] - blocks[0]

    assert documents == COUNT
    assert peak < PEAK_PER_BATCH_DOCUMENT * BATCH, f"peak {peak / 2**20:.1f} MiB"
    assert grown < GROWTH_BOUND, f"{grown} memory blocks more after {COUNT} documents"
