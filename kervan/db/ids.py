"""UUIDv7 (RFC 9562): time-ordered ids, so that new rows land at the end of b-tree indexes."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Integer, Uuid, cast, func, literal, literal_column
from sqlalchemy.engine import Dialect

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


# The same ids made by the database, one per row of a set-based ``INSERT … SELECT`` (those rows
# never pass through Python). PostgreSQL 13+ has no uuidv7() before 18: a random v4 with its
# first 48 bits replaced by the Unix time in ms and the version nibble turned from 4 into 7
# (bits 52 and 53 set).
_PG_UUID7 = (
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) "
    "from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid"
)


def uuid7_sql(dialect: Dialect, at: dt.datetime | None = None) -> ColumnElement[Any]:
    """A fresh UUIDv7 per row. On SQLite (ids stored as 32 hex digits) the time part is ``at``
    when given — ids of one run then share their millisecond, all the ordering a run's rows
    need — else the statement's time; the rest are random bits from ``randomblob``."""
    if dialect.name == "postgresql":
        return literal_column(_PG_UUID7, type_=Uuid())
    if at is not None:
        millis: Any = func.printf("%012x", int(at.timestamp() * 1000))
    else:
        now_ms = cast((func.julianday("now") - 2440587.5) * 86400000, Integer)
        millis = func.printf("%012x", now_ms)
    return func.lower(
        millis
        + literal("7")
        + func.substr(func.hex(func.randomblob(2)), 1, 3)
        + func.substr("89ab", func.abs(func.random()) % 4 + 1, 1)
        + func.substr(func.hex(func.randomblob(8)), 1, 15),
        type_=Uuid(),
    )
