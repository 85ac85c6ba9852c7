"""Stream generated batches into a register database with bounded memory.

PostgreSQL gets binary ``COPY … FROM STDIN`` through psycopg 3 (about 45% faster than text
COPY); SQLite gets ``executemany``; both one transaction per batch. Both bypass the ORM for
speed, so values are written as SQLAlchemy would write them: enums by value; on SQLite UUIDs as
32 hex digits, datetimes as naive UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``, dates as ISO text,
decimals as floats and JSON as text; on PostgreSQL each column in the binary format of its type.
Reading the rows back through the ORM gives the generated values (tested on both).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import operator
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, Engine, Enum, Numeric, Table, Uuid
from sqlalchemy.dialects import postgresql

from kervan.db.base import UTCDateTime
from kervan.db.metadata import metadata
from kervan.registry.synthetic.generator import TABLES, Batch, Row

Convert = Callable[[Any], Any]

# SQLite's page cache while loading (KiB): the index pages of a growing register stay in memory,
# which made loading about 45% faster than the default 2 MiB. The connection's value is restored.
SQLITE_LOAD_CACHE_KIB = 131_072


class LoadError(RuntimeError):
    """A batch could not be written; the batches before it are committed."""


@dataclass(slots=True)
class LoadStats:
    """What ``load`` wrote. ``seconds`` is its wall time, which includes making the batches
    when they come from a lazy ``generate``."""

    documents: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        self.documents += batch.document_count
        for name, rows in batch.tables():
            self.rows[name] += len(rows)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def _enum_value(value: enum.Enum | None) -> Any:
    return None if value is None else value.value


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sqlite_uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    # The first 26 characters are the naive part, without "+00:00": faster than replace().
    return value.isoformat(" ", "microseconds")[:26]


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# psycopg's names for the types of our columns, as SQLAlchemy compiles them for PostgreSQL.
_COPY_TYPES = {
    "UUID": "uuid",
    "VARCHAR": "text",  # the same binary format
    "TEXT": "text",
    "SMALLINT": "int2",
    "INTEGER": "int4",
    "BIGINT": "int8",
    "BOOLEAN": "bool",
    "DATE": "date",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "NUMERIC": "numeric",
    "JSON": "json",
    "JSONB": "jsonb",
}


def _copy_type(column_type: Any) -> str:
    compiled = column_type.compile(dialect=postgresql.dialect())
    name = compiled.split("(")[0].strip()
    if name not in _COPY_TYPES:
        raise TypeError(f"no binary COPY type known for a {compiled} column")
    return _COPY_TYPES[name]


def _converter(column_type: Any, sqlite: bool) -> Convert | None:
    """How to turn a generated value into what the driver is given (None: as it is)."""
    if isinstance(column_type, Enum):
        return _enum_value
    if not sqlite:
        return None  # psycopg dumps UUID, date, aware datetime, Decimal and JSON itself
    if isinstance(column_type, JSON):
        return _json_text
    if isinstance(column_type, Uuid):
        return _sqlite_uuid
    if isinstance(column_type, UTCDateTime):
        return _sqlite_datetime
    if isinstance(column_type, Date):
        return _sqlite_date
    if isinstance(column_type, Numeric):
        return _sqlite_decimal
    return None


@dataclass(frozen=True, slots=True)
class _TablePlan:
    """The columns of one table and how to convert their values, computed once per load."""

    table: Table
    names: tuple[str, ...]
    converters: tuple[tuple[int, Convert], ...]  # (column position, converter), where needed
    copy_types: tuple[str, ...]  # PostgreSQL only

    @classmethod
    def for_table(cls, table: Table, sqlite: bool) -> _TablePlan:
        names = tuple(c.name for c in table.columns)
        converters = tuple(
            (position, convert)
            for position, column in enumerate(table.columns)
            if (convert := _converter(column.type, sqlite)) is not None
        )
        copy_types = () if sqlite else tuple(_copy_type(c.type) for c in table.columns)
        return cls(table, names, converters, copy_types)

    def values(self, rows: Iterable[Row]) -> Iterator[list[Any]]:
        get = operator.itemgetter(*self.names)
        for row in rows:
            values = list(get(row))
            for position, convert in self.converters:
                values[position] = convert(values[position])
            yield values


def _plans(sqlite: bool) -> dict[str, _TablePlan]:
    return {name: _TablePlan.for_table(metadata.tables[name], sqlite) for name in TABLES}


def _write_sqlite(cursor: Any, plans: dict[str, _TablePlan], batch: Batch) -> None:
    # kervan.db.engine puts sqlite3 in autocommit mode and lets SQLAlchemy begin transactions;
    # on the raw connection we begin ourselves, else every row commits (ten times slower).
    if not cursor.connection.in_transaction:
        cursor.execute("BEGIN IMMEDIATE")
    for name, rows in batch.tables():
        plan = plans[name]
        columns = ", ".join(plan.names)
        marks = ", ".join("?" for _ in plan.names)
        cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", plan.values(rows))


def _write_postgresql(cursor: Any, plans: dict[str, _TablePlan], batch: Batch) -> None:
    for name, rows in batch.tables():
        if not rows:
            continue
        plan = plans[name]
        statement = f"COPY {name} ({', '.join(plan.names)}) FROM STDIN (FORMAT BINARY)"
        with cursor.copy(statement) as copy:
            copy.set_types(list(plan.copy_types))
            for values in plan.values(rows):
                copy.write_row(values)


class _BatchWriter:
    """Writes one batch per transaction on a raw DBAPI connection."""

    def __init__(self, connection: Any, sqlite: bool, driver_error: type[Exception]) -> None:
        self._connection = connection
        self._write = _write_sqlite if sqlite else _write_postgresql
        self._plans = _plans(sqlite)
        self._driver_error = driver_error

    def write(self, batch: Batch, number: int, loaded: int) -> None:
        cursor = self._connection.cursor()
        try:
            self._write(cursor, self._plans, batch)
            self._connection.commit()
        except self._driver_error as exc:
            self._connection.rollback()
            raise LoadError(
                f"batch {number} (documents {loaded + 1}-{loaded + batch.document_count}) "
                f"was not loaded: {exc}; the {loaded} documents before it are committed"
            ) from exc
        except BaseException:
            self._connection.rollback()
            raise
        finally:
            cursor.close()


@contextmanager
def _raw_connection(engine: Engine, sqlite: bool) -> Iterator[Any]:
    """The engine's DBAPI connection; on SQLite with a large page cache while it loads."""
    connection = engine.raw_connection()
    previous_cache = _set_sqlite_cache(connection, -SQLITE_LOAD_CACHE_KIB) if sqlite else None
    try:
        yield connection
    finally:
        if previous_cache is not None:
            _set_sqlite_cache(connection, previous_cache)
        connection.close()


def _set_sqlite_cache(connection: Any, cache_size: int) -> int:
    """Set ``PRAGMA cache_size``; return the value it had."""
    cursor = connection.cursor()
    try:
        (previous,) = cursor.execute("PRAGMA cache_size").fetchone()
        cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
    finally:
        cursor.close()
    return int(previous)


def load(
    engine: Engine,
    batches: Iterable[Batch],
    *,
    progress: Callable[[int], None] | None = None,
) -> LoadStats:
    """Insert every batch, committing after each; ``progress`` gets the documents loaded so far.

    One transaction per batch keeps the SQLite WAL and PostgreSQL's memory bounded and was no
    slower than one transaction overall (measured: docs/synthetic-data.md). If a batch fails,
    it is rolled back, the batches before it stay committed, and ``LoadError`` says which."""
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise ValueError(f"cannot bulk-load into {dialect}: only SQLite and PostgreSQL")
    sqlite = dialect == "sqlite"
    stats = LoadStats()
    started = time.perf_counter()
    with _raw_connection(engine, sqlite) as connection:
        writer = _BatchWriter(connection, sqlite, engine.dialect.loaded_dbapi.Error)
        for number, batch in enumerate(batches, start=1):
            writer.write(batch, number, stats.documents)
            stats.add(batch)
            if progress is not None:
                progress(stats.documents)
    stats.seconds = time.perf_counter() - started
    return stats
