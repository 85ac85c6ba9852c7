"""kervan/db/ids.py: UUIDv7 ids are version 7, RFC 9562 variant, strictly increasing in one
process, and carry the time they were made."""

from __future__ import annotations

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from kervan.db.ids import uuid7, uuid7_at


def test_ids_are_v7_and_strictly_increasing() -> None:
    made = [uuid7() for _ in range(5_000)]  # several share a millisecond: the counter orders them
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in made)
    assert made == sorted(made) and len(set(made)) == len(made)


def test_an_id_carries_the_millisecond_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= made.int >> 80 <= after + 1


@given(st.integers(0, (1 << 48) - 1), st.integers(0, 0xFFF), st.integers(0, (1 << 62) - 1))
def test_parts_round_trip_and_order_by_time_then_counter(ms: int, counter: int, bits: int) -> None:
    made = uuid7_at(ms, counter, bits)
    assert made.version == 7 and made.variant == uuid.RFC_4122
    parts = (made.int >> 80, made.int >> 64 & 0xFFF, made.int & ((1 << 62) - 1))
    assert parts == (ms, counter, bits)
    if counter < 0xFFF:
        assert uuid7_at(ms, counter + 1, 0) > made
