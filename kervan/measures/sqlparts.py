"""Dialect-aware SQL pieces the set-based apply needs: UUIDv7 ids made by the database, JSON
objects built in SQL, and date arithmetic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, func, literal, literal_column
from sqlalchemy.engine import Dialect

# PostgreSQL 13+ (no uuidv7() before 18): a random v4 with its first 48 bits replaced by the
# Unix time in ms and the version nibble turned from 4 into 7 (bits 52 and 53 set).
_PG_UUID7 = (
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) "
    "from 1 for 6), 52, 1), 53, 1), 'hex')::uuid"
)


def uuid7_sql(dialect: Dialect, at: dt.datetime) -> ColumnElement[Any]:
    """A fresh UUIDv7 per row. On SQLite (ids stored as 32 hex digits) the time part is the
    run's time, the rest random bits from ``randomblob``: ids of one run share their
    millisecond, which is all the ordering history needs (a run's rows are one change)."""
    if dialect.name == "postgresql":
        return literal_column(_PG_UUID7)
    ms = int(at.timestamp() * 1000)
    return func.lower(
        func.printf("%012x", ms)
        + literal("7")
        + func.substr(func.hex(func.randomblob(2)), 1, 3)
        + func.substr("89ab", func.abs(func.random()) % 4 + 1, 1)
        + func.substr(func.hex(func.randomblob(8)), 1, 15)
    )


def json_object_sql(dialect: Dialect, *pairs: Any) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return func.json_build_object(*pairs)
    return func.json_object(*pairs)


def json_array_agg_sql(dialect: Dialect, value: Any) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return func.json_agg(value)
    return func.json_group_array(func.json(value))


def add_days_sql(dialect: Dialect, day: Any, days: int) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return day + literal(days)  # date + integer is a date in PostgreSQL
    return func.date(day, f"+{days} days")
