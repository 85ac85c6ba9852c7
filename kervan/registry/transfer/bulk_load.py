"""Loading into an empty register the way ``pg_restore`` does: secondary indexes dropped before
and built once after, foreign keys checked once over the whole load rather than per row.

A b-tree or trigram index kept up row by row costs a random page write per row and index (the
larger share of a first load's time); built after, it is one sort per index, and PostgreSQL
sorts with several workers. The unique indexes stay: they are the import's look-ups and its
guarantee against duplicate passports and documents. Everything happens inside the import's
transaction, so a dry run or a rejected file, rolled back, gets its indexes back untouched;
the price is that the tables are locked against other writers and index readers until the load
commits (PostgreSQL), which is right for a register that does not exist yet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text

#: The tables an import writes (and the batch history), in foreign-key order.
TABLES = ("persons", "person_events", "travel_documents", "stay_documents", "stay_document_events")
#: Memory of each index build on the server (not in this process): a sort that fits is faster.
INDEX_BUILD_MEMORY = "256MB"


@dataclass(frozen=True)
class Deferred:
    """An index or a foreign key set aside, with the statement that makes it again."""

    name: str
    table: str
    create: str


def _postgres_indexes(connection: Connection) -> list[Deferred]:
    # Not unique, not backing a constraint: secondary indexes only.
    rows = connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, "
            "pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(:tables) AND NOT i.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 2, 1"
        ),
        {"tables": list(TABLES)},
    )
    return [Deferred(name, table, create) for name, table, create in rows]


def _postgres_foreign_keys(connection: Connection) -> list[Deferred]:
    rows = connection.execute(
        text(
            "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:tables) "
            "ORDER BY 2, 1"
        ),
        {"tables": list(TABLES)},
    )
    return [
        Deferred(name, table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for name, table, definition in rows
    ]


def _sqlite_indexes(connection: Connection) -> list[Deferred]:
    # Indexes a constraint makes have no SQL of their own (sqlite_autoindex_*).
    rows = connection.execute(
        text(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL AND tbl_name IN (" + ", ".join(f"'{t}'" for t in TABLES) + ") "
            "ORDER BY tbl_name, name"
        )
    )
    return [
        Deferred(name, table, sql)
        for name, table, sql in rows
        if not sql.upper().startswith("CREATE UNIQUE")
    ]


@dataclass
class BulkLoad:
    """What ``without_upkeep`` set aside, to be made again by ``rebuild``."""

    connection: Connection
    indexes: list[Deferred]
    foreign_keys: list[Deferred]

    def rebuild(self) -> None:
        postgres = self.connection.dialect.name == "postgresql"
        if postgres:
            self.connection.exec_driver_sql(
                f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'"
            )
            # Parallel b-tree builds (GIN builds are single-process up to PostgreSQL 17).
            self.connection.exec_driver_sql("SET LOCAL max_parallel_maintenance_workers = 2")
        for index in self.indexes:
            self.connection.exec_driver_sql(index.create)
        for key in self.foreign_keys:  # one anti-join per key checks every row at once
            self.connection.exec_driver_sql(key.create)
        if postgres:
            self.connection.exec_driver_sql("ANALYZE " + ", ".join(TABLES))
        else:
            self.connection.exec_driver_sql("ANALYZE")


@contextmanager
def without_upkeep(connection: Connection) -> Iterator[BulkLoad]:
    """Drop secondary indexes and defer foreign-key checks for a load into the connection's
    transaction; the caller calls ``rebuild`` before committing (a rollback needs nothing)."""
    quote = connection.dialect.identifier_preparer.quote
    if connection.dialect.name == "postgresql":
        load = BulkLoad(
            connection, _postgres_indexes(connection), _postgres_foreign_keys(connection)
        )
        for key in load.foreign_keys:
            connection.exec_driver_sql(
                f"ALTER TABLE {quote(key.table)} DROP CONSTRAINT {quote(key.name)}"
            )
    else:
        load = BulkLoad(connection, _sqlite_indexes(connection), [])
        # Checked at commit, over the whole transaction, instead of per inserted row.
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for index in load.indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(index.name)}")
    yield load
