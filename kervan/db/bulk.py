"""Bulk insert of many rows through the database's fastest path: binary ``COPY FROM STDIN`` on
PostgreSQL, one ``executemany`` on SQLite. Used where row counts scale with the register
(imports, generated data, the outbox's fan-out).

Both bypass SQLAlchemy's per-value processing, so a plan, made once per (table, columns,
database) and cached, converts each column to what SQLAlchemy itself would store, and reading
the rows back through the ORM gives the values written:

- enums by value, checked against the column's values; JSON as text;
- on SQLite: UUIDs as 32 hex digits, timestamps as naive UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``,
  dates as ISO text, decimals as floats;
- on PostgreSQL: each column in its type's binary form (a uuid as its 16 bytes);
- any other column type through its SQLAlchemy bind processor (on PostgreSQL then in text COPY).

Values may also arrive already in storage form (``kervan.registry.transfer.storage``: hex ids,
ISO dates, timestamp text, JSON text, enum values), so each converter takes None, the Python
value or the storage form, and raises on anything else. Strings are parsed and normalised, or
refused; a timestamp without an offset is UTC, as SQLite stores it. A string given for a JSON
column is JSON text, never a JSON string value; an object or array is taken without parsing
(that would cost a few per cent of an import), anything else must parse.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    Enum,
    Float,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Uuid,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeEngine

from kervan.db.base import UTCDateTime

Convert = Callable[[Any], Any]
Rows = Sequence[Mapping[str, Any]]

_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}


def _refused(value: Any, kind: str) -> TypeError:
    return TypeError(f"cannot store {value!r} ({type(value).__name__}) in a {kind} column")


def _enum_values(column_type: Enum, dialect: Dialect) -> Convert:
    # The members and the stored values themselves, each to what SQLAlchemy stores for it.
    stored: dict[Any, Any] = {value: value for value in column_type.enums}
    if column_type.enum_class is not None:
        to_stored = column_type.dialect_impl(dialect).bind_processor(dialect)
        assert to_stored is not None
        stored.update((m, to_stored(m)) for m in column_type.enum_class.__members__.values())

    def enum_value(value: Any) -> Any:
        if value is None:
            return None
        try:
            return stored[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not one of {column_type.enums}") from None

    return enum_value


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        # JSON text already (history snapshots): an object or array is taken as it is, anything
        # else must parse, so that a bare word is refused rather than stored as broken JSON.
        if not value.startswith(("{", "[")):
            json.loads(value)
        return value
    return json.dumps(value, ensure_ascii=False)


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value} given where a UTC time is required")
    # In UTC, as UTCDateTime binds it: a local time a DST change skips (02:00 on the day
    # clocks go forward) would otherwise reach COPY as an instant Python and PostgreSQL read
    # differently.
    return value.astimezone(dt.UTC)


def _uuid_bytes(value: Any) -> bytes | None:
    # Hex text first, the form an import gives a million times: bytes.fromhex checks it in a
    # tenth of the time UUID() takes.
    if isinstance(value, str):
        if len(value) == 32 and len(raw := bytes.fromhex(value)) == 16:
            return raw
        return uuid.UUID(value).bytes
    if isinstance(value, uuid.UUID):
        return value.bytes
    if value is None:
        return None
    raise _refused(value, "UUID")


def _sqlite_utc_text(value: dt.datetime) -> str:
    value = _aware(value)
    # The first 26 characters are the naive part, without "+00:00": faster than replace().
    return value.isoformat(" ", "microseconds")[:26]


# Timestamp and date text repeats (an import stamps a whole chunk with one time, and documents
# share their dates): each distinct text is parsed once.
@lru_cache(maxsize=4096)
def _parsed_timestamp(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


@lru_cache(maxsize=4096)
def _sqlite_timestamp_text(text: str) -> str:
    return _sqlite_utc_text(_parsed_timestamp(text))


@lru_cache(maxsize=4096)
def _parsed_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@lru_cache(maxsize=4096)
def _sqlite_date_text(text: str) -> str:
    return dt.date.fromisoformat(text).isoformat()


def _sqlite_uuid(value: Any) -> str | None:
    if isinstance(value, uuid.UUID):
        return value.hex
    raw = _uuid_bytes(value)
    return None if raw is None else raw.hex()


def _sqlite_timestamp(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return _sqlite_utc_text(value)
    if isinstance(value, str):
        return _sqlite_timestamp_text(value)
    if value is None:
        return None
    raise _refused(value, "timestamp")


def _sqlite_date(value: Any) -> str | None:
    if value.__class__ is dt.date:  # not a datetime, which is a date too
        return value.isoformat()
    if isinstance(value, str):
        return _sqlite_date_text(value)
    if value is None:
        return None
    raise _refused(value, "date")


def _sqlite_decimal(value: Any) -> float | None:
    if isinstance(value, Decimal | int | float | str) and not isinstance(value, bool):
        return float(value)
    if value is None:
        return None
    raise _refused(value, "decimal")


def _postgres_timestamp(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, str):
        return _parsed_timestamp(value)
    if value is None:
        return None
    raise _refused(value, "timestamp")


def _postgres_date(value: Any) -> dt.date | None:
    if value.__class__ is dt.date:
        return value
    if isinstance(value, str):
        return _parsed_date(value)
    if value is None:
        return None
    raise _refused(value, "date")


def _postgres_decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:  # decimal's InvalidOperation
            raise ValueError(f"{value!r} is not a decimal number") from None
    if isinstance(value, float):
        return Decimal(repr(value))
    if value is None:
        return None
    raise _refused(value, "decimal")


# Per column kind: the SQLite converter, the PostgreSQL converter and psycopg's name for the
# binary form the PostgreSQL converter gives (None: as it is). Enum before String, its base.
_KINDS: tuple[tuple[type[TypeEngine[Any]], Convert | None, Convert | None, str], ...] = (
    (JSON, _json_text, _json_text, "text"),  # json's binary form is its text
    (Uuid, _sqlite_uuid, _uuid_bytes, "bytea"),  # a uuid's binary form is its 16 bytes
    (UTCDateTime, _sqlite_timestamp, _postgres_timestamp, "timestamptz"),
    (Date, _sqlite_date, _postgres_date, "date"),
    (String, None, None, "text"),
    (Boolean, None, None, "bool"),
    (SmallInteger, None, None, "int2"),
    (BigInteger, None, None, "int8"),
    (Integer, None, None, "int4"),
)


def _column_form(
    column_type: TypeEngine[Any], dialect: Dialect
) -> tuple[Convert | None, str | None]:
    """How to convert a column's values on ``dialect``, and the psycopg name of the binary form
    the converted values take (None: unknown, the column goes through text COPY)."""
    postgres = dialect.name == "postgresql"
    if isinstance(column_type, Enum):
        return _enum_values(column_type, dialect), "text"
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float):
        return (_postgres_decimal, "numeric") if postgres else (_sqlite_decimal, None)
    for kind, sqlite_convert, postgres_convert, binary in _KINDS:
        if isinstance(column_type, kind):
            return (postgres_convert, binary) if postgres else (sqlite_convert, None)
    return column_type.dialect_impl(dialect).bind_processor(dialect), None


@cache
def _dialect(name: str) -> Dialect:
    if name not in _DRIVERS:
        raise ValueError(f"cannot bulk-insert into {name}: only SQLite and PostgreSQL")
    dialect: Dialect = make_url(f"{_DRIVERS[name]}://").get_dialect()()
    return dialect


@dataclass(frozen=True, slots=True)
class BulkPlan:
    """How to write rows of some columns of one table on one database: the statement, and per
    column a converter (None: as it is) and, for PostgreSQL's binary COPY, the binary form."""

    dialect: str
    statement: str
    names: tuple[str, ...]
    converters: tuple[Convert | None, ...]
    binary_forms: tuple[str, ...] | None  # None on SQLite and for text COPY

    def values(self, rows: Rows) -> Iterator[tuple[Any, ...]]:
        """Each row as a tuple in storage form, converted column by column: the loops run in
        C, only the converters in Python."""
        columns: list[Iterator[Any]] = []
        for name, convert in zip(self.names, self.converters, strict=True):
            column = map(itemgetter(name), rows)
            columns.append(column if convert is None else map(convert, column))
        return zip(*columns, strict=True)

    def values_of_tuples(self, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """``values`` for rows given as tuples in the order of ``names`` rather than dicts:
        rows a caller builds by the million need not pay for a dict each."""
        if not rows:
            return []
        converted = [
            column if convert is None else map(convert, column)
            for column, convert in zip(zip(*rows, strict=True), self.converters, strict=True)
        ]
        return list(zip(*converted, strict=True))

    def write(self, cursor: Any, values: Iterable[tuple[Any, ...]]) -> None:
        """Write rows made by ``values`` on a DBAPI cursor, in the transaction it is in."""
        if self.dialect == "sqlite":
            cursor.executemany(self.statement, values)
            return
        with cursor.copy(self.statement) as copy:
            if self.binary_forms is not None:
                copy.set_types(list(self.binary_forms))
            for row in values:
                copy.write_row(row)


@lru_cache(maxsize=256)
def bulk_plan(table: Table, names: tuple[str, ...], dialect_name: str) -> BulkPlan:
    """The plan for writing the columns ``names`` of ``table`` on SQLite or PostgreSQL."""
    dialect = _dialect(dialect_name)
    unknown = [name for name in names if name not in table.columns]
    if unknown or not names:
        raise ValueError(f"cannot bulk-insert columns {unknown or names} into {table.name}")
    forms = [_column_form(table.columns[name].type, dialect) for name in names]
    converters = tuple(convert for convert, _ in forms)
    quote = dialect.identifier_preparer.quote_identifier
    columns = ", ".join(quote(name) for name in names)
    if dialect_name == "sqlite":
        marks = ", ".join("?" for _ in names)
        statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
        return BulkPlan(dialect_name, statement, names, converters, None)
    statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    binary_forms = tuple(binary for _, binary in forms if binary is not None)
    if len(binary_forms) < len(names):
        # A column type without a known binary form: text COPY, where psycopg dumps a uuid
        # itself (as bytes it would be written as a bytea).
        text_converters = tuple(None if c is _uuid_bytes else c for c in converters)
        return BulkPlan(dialect_name, statement, names, text_converters, None)
    return BulkPlan(dialect_name, f"{statement} (FORMAT BINARY)", names, converters, binary_forms)


def bulk_insert(connection: Connection, table: Table, rows: Rows) -> int:
    """Insert ``rows`` (dicts keyed by column name, every row with the same keys, any subset of
    the table's columns) in the connection's transaction; return how many there were."""
    if not rows:
        return 0
    plan = bulk_plan(table, tuple(rows[0]), connection.dialect.name)
    try:
        # Converted before anything is sent: a value refused leaves the transaction usable.
        values = list(plan.values(rows))
    except (TypeError, ValueError) as exc:
        exc.add_note(f"while bulk-inserting into {table.name} ({', '.join(plan.names)})")
        raise
    bulk_write(connection, plan, values)
    return len(rows)


def bulk_write(connection: Connection, plan: BulkPlan, values: list[tuple[Any, ...]]) -> None:
    """Write rows already converted by ``plan`` (``values``, ``values_of_tuples``): the
    conversion can then be done elsewhere, e.g. in a thread while the database writes."""
    if not values:
        return
    if plan.dialect == "sqlite":
        connection.exec_driver_sql(plan.statement, values)
    else:
        _copy(connection, plan, values)


def _copy(connection: Connection, plan: BulkPlan, values: list[tuple[Any, ...]]) -> None:
    _on_cursor(connection, plan.statement, lambda cursor: plan.write(cursor, values))


def _on_cursor(connection: Connection, statement: str, write: Callable[[Any], None]) -> None:
    if not connection.in_transaction():
        connection.begin()  # as an execute would: the caller commits
    driver = connection.connection.driver_connection
    assert driver is not None
    error = connection.dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cursor:
            write(cursor)
    except error as exc:
        # The exceptions exec_driver_sql raises, as on SQLite (IntegrityError, …).
        raise DBAPIError.instance(statement, None, exc, error, dialect=connection.dialect) from exc


# ----------------------------------------------------------------------------------------------
# COPY text made by the caller: rows already in storage form, written as one block of bytes.
# A caller that makes its rows in another thread or process hands over one bytes object (cheap
# to pass, nothing to convert) and the importer's own thread only sends it.


def copy_text_statement(table: Table, names: tuple[str, ...]) -> str:
    """``COPY table (names) FROM STDIN`` in text format (options may follow)."""
    quote = _dialect("postgresql").identifier_preparer.quote_identifier
    return f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"


def write_copy_text(connection: Connection, statement: str, data: bytes) -> None:
    """Send ``data``, rows already in COPY text form, with ``statement``."""
    if data:
        _on_cursor(connection, statement, lambda cursor: _send(cursor, statement, data))


def _send(cursor: Any, statement: str, data: bytes) -> None:
    with cursor.copy(statement) as copy:
        copy.write(data)
