"""UUIDv7 made by the database, one per row of a set-based ``INSERT … SELECT``: the rows never
pass through Python, so their ids cannot come from ``kervan.db.ids.uuid7``.

Both forms put the Unix time in milliseconds in the top 48 bits, the version 7 and the RFC 9562
variant where they belong, and random bits elsewhere, so the ids sort after older ones in
b-tree indexes like every other id of the node."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Uuid, literal_column
from sqlalchemy.engine import Dialect

# PostgreSQL: a random v4 with its first 6 bytes overwritten by the time, then the version
# nibble turned from 4 (0100) into 7 (0111) by setting bits 52 and 53.
_POSTGRES = (
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) "
    "from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid"
)
# SQLite stores a ``Uuid`` as 32 lower-case hex digits (SQLAlchemy's non-native form).
_SQLITE = (
    "lower(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) || '7' "
    "|| substr(hex(randomblob(2)), 2, 3) || substr('89ab', 1 + abs(random()) % 4, 1) "
    "|| substr(hex(randomblob(8)), 2, 15))"
)


def uuid7_sql(dialect: Dialect) -> ColumnElement[Any]:
    text = _POSTGRES if dialect.name == "postgresql" else _SQLITE
    return literal_column(text, type_=Uuid())
