"""Stream generated batches into a register database with bounded memory.

PostgreSQL gets ``COPY … FROM STDIN`` through psycopg 3; SQLite gets ``executemany`` with one
transaction per batch. Both bypass the ORM for speed, so values are written as SQLAlchemy would
write them: on SQLite, UUIDs as 32 hex digits, datetimes as naive UTC text
``YYYY-MM-DD HH:MM:SS.ffffff``, dates as ISO text, decimals as floats; on both, enums by value and
JSON as text. Reading the rows back through the ORM gives the generated values (tested).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import operator
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, Engine, Enum, Numeric, Table, Uuid

from kervan.db.base import UTCDateTime
from kervan.db.metadata import metadata
from kervan.registry.synthetic.generator import TABLES, Batch, Row

Convert = Callable[[Any], Any]

# SQLite's page cache for the load (KiB): index pages of a growing register stay in memory, which
# made loading about 45% faster than the default 2 MiB. The connection's value is restored after.
SQLITE_LOAD_CACHE_KIB = 131_072


class LoadError(RuntimeError):
    """A batch could not be written; the batches before it are committed."""


@dataclass(slots=True)
class LoadStats:
    documents: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    seconds: float = 0.0

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


def _converter(column_type: Any, sqlite: bool) -> Convert | None:
    """How to turn a generated value into what the driver is given (None: as it is)."""
    if isinstance(column_type, Enum):
        return _enum_value
    if isinstance(column_type, JSON):
        return _json_text
    if not sqlite:
        return None  # psycopg adapts UUID, date, aware datetime and Decimal itself
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

    @classmethod
    def for_table(cls, table: Table, sqlite: bool) -> _TablePlan:
        names = tuple(c.name for c in table.columns)
        converters = tuple(
            (position, convert)
            for position, column in enumerate(table.columns)
            if (convert := _converter(column.type, sqlite)) is not None
        )
        return cls(table, names, converters)

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
        with cursor.copy(f"COPY {name} ({', '.join(plan.names)}) FROM STDIN") as copy:
            for values in plan.values(rows):
                copy.write_row(values)


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
    write = _write_sqlite if sqlite else _write_postgresql
    plans = _plans(sqlite)
    stats = LoadStats()
    started = time.perf_counter()
    connection = engine.raw_connection()
    restore_cache = _enlarge_sqlite_cache(connection) if sqlite else None
    try:
        for number, batch in enumerate(batches, start=1):
            _write_batch(connection, write, plans, batch, number, stats, engine)
            stats.documents += batch.document_count
            for name, rows in batch.tables():
                stats.rows[name] += len(rows)
            if progress is not None:
                progress(stats.documents)
    finally:
        if restore_cache is not None:
            connection.cursor().execute(f"PRAGMA cache_size={restore_cache}")
        connection.close()
    stats.seconds = time.perf_counter() - started
    return stats


def _enlarge_sqlite_cache(connection: Any) -> int:
    """Set the load's page cache; return the connection's own setting to restore."""
    cursor = connection.cursor()
    try:
        (previous,) = cursor.execute("PRAGMA cache_size").fetchone()
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_LOAD_CACHE_KIB}")
    finally:
        cursor.close()
    return int(previous)


def _write_batch(
    connection: Any,
    write: Callable[[Any, dict[str, _TablePlan], Batch], None],
    plans: dict[str, _TablePlan],
    batch: Batch,
    number: int,
    stats: LoadStats,
    engine: Engine,
) -> None:
    cursor = connection.cursor()
    try:
        write(cursor, plans, batch)
        connection.commit()
    except engine.dialect.loaded_dbapi.Error as exc:
        connection.rollback()
        raise LoadError(
            f"batch {number} (documents {stats.documents + 1}-"
            f"{stats.documents + batch.document_count}) was not loaded: {exc}; "
            f"the {stats.documents} documents before it are committed"
        ) from exc
    except BaseException:
        connection.rollback()
        raise
    finally:
        cursor.close()
