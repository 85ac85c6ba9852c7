"""Bulk insert of many rows through the database's fastest path, on the caller's connection
(so it joins the caller's transaction): ``COPY FROM STDIN`` on PostgreSQL, one ``executemany``
on SQLite. Used where row counts scale with the register (imports, generated data)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Table


def _sqlite_value(value: Any) -> Any:
    # The storage forms SQLAlchemy itself uses on SQLite, so the ORM reads these rows back.
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _postgres_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


_STORED_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})


def bulk_insert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (dicts keyed by column name, every row with the same keys)."""
    if not rows:
        return 0
    columns = list(rows[0].keys())

    # Rows that arrive already in storage form (plain str/int/…) skip the per-value conversion:
    # at a million rows that is seconds of CPU.
    def values_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(row[c] for c in columns)

    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for values in map(values_of, rows):
                if not _STORED_AS_IS.issuperset(map(type, values)):
                    values = tuple(_postgres_value(v) for v in values)
                copy.write_row(values)
        return len(rows)
    placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders})'
    connection.exec_driver_sql(
        sql,
        [
            values
            if _STORED_AS_IS.issuperset(map(type, values))
            else tuple(_sqlite_value(v) for v in values)
            for values in map(values_of, rows)
        ],
    )
    return len(rows)
