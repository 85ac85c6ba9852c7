"""kervan/exchange/worker.py, its pure part: a batch is cut to what the receiver's body limit
takes — the longest first part of the queue that fits, and never nothing (a single envelope
over the limit is sent alone, to get its signed refusal). Delivery rounds against real peers:
tests/functional/test_exchange_delivery.py."""

from __future__ import annotations

import uuid

import httpx
from hypothesis import given
from hypothesis import strategies as st

from kervan.exchange.worker import BATCH_OVERHEAD_BYTES, _within

envelope_texts = st.lists(st.text(alphabet="abc.-_", min_size=1, max_size=300), max_size=80)


def _request_size(envelopes: list[str]) -> int:
    """The body as the transport's HTTP client encodes it, as the receiver counts it."""
    return len(httpx.Request("POST", "http://peer/", json={"envelopes": envelopes}).content)


@given(envelope_texts, st.integers(min_value=1, max_value=2000))
def test_the_batch_is_the_longest_first_part_that_fits(texts: list[str], limit: int) -> None:
    ids = [uuid.uuid4() for _ in texts]
    envelopes = dict(zip(ids, texts, strict=True))
    kept = _within(ids, envelopes, limit)
    assert kept == ids[: len(kept)]
    if not ids:
        assert kept == []
        return
    assert kept, "a batch always sends at least one envelope"
    if len(kept) > 1:
        assert _request_size([envelopes[i] for i in kept]) <= limit
    if len(kept) < len(ids):  # the next one would not fit by the worker's own estimate
        estimate = BATCH_OVERHEAD_BYTES + sum(len(envelopes[i]) + 3 for i in ids[: len(kept) + 1])
        assert estimate > limit


def test_an_envelope_over_the_limit_goes_alone() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    envelopes = {ids[0]: "x" * 500, ids[1]: "y"}
    assert _within(ids, envelopes, 100) == [ids[0]]
