"""UUIDv7 (RFC 9562): time-ordered ids, so that new rows land at the end of b-tree indexes."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = (0, 0)  # (milliseconds, 12-bit sequence) of the last id made in this process


def uuid7() -> uuid.UUID:
    """A UUIDv7 that is strictly increasing within this process (counter in ``rand_a``)."""
    global _last
    with _lock:
        ms = time.time_ns() // 1_000_000
        last_ms, seq = _last
        if ms <= last_ms:
            ms, seq = last_ms, seq + 1
            if seq > 0xFFF:  # counter exhausted within one millisecond: borrow the next one
                ms, seq = ms + 1, 0
        else:
            seq = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave headroom for the counter
        _last = (ms, seq)
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | seq << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def uuid7_at(ms: int, counter: int, random_bits: int) -> uuid.UUID:
    """A UUIDv7 from given parts: lets the data generator be deterministic by seed."""
    value = (
        (ms & ((1 << 48) - 1)) << 80
        | 0x7 << 76
        | (counter & 0xFFF) << 64
        | 0b10 << 62
        | random_bits & ((1 << 62) - 1)
    )
    return uuid.UUID(int=value)
