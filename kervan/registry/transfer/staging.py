"""The staging tables of an import: each chunk's keys and corrections are bulk-written (``COPY``
on PostgreSQL) into temporary tables, and the register is read and corrected by joins with
them, one statement per chunk, instead of 5,000-item parameter lists or one UPDATE per row.

The tables are temporary (private to the connection, never in the migrations), made when an
import starts and dropped when it ends; on a rollback they disappear with the savepoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, String, Table, Uuid

from kervan.db.base import UTCDateTime
from kervan.db.bulk import bulk_insert
from kervan.registry.transfer.validation import ParsedRow

_metadata = MetaData()

PASSPORTS = Table(
    "import_staging_passports",
    _metadata,
    Column("issuing_state", String(3)),
    Column("number", String(40)),
    prefixes=["TEMPORARY"],
)
DOCUMENTS = Table(
    "import_staging_documents",
    _metadata,
    Column("kind", String(32)),
    Column("number", String(40)),
    prefixes=["TEMPORARY"],
)
CORRECTIONS = Table(
    "import_staging_corrections",
    _metadata,
    Column("id", Uuid),
    Column("purpose", String(32)),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("status", String(32)),
    Column("updated_at", UTCDateTime),
    prefixes=["TEMPORARY"],
)
_TABLES = (PASSPORTS, DOCUMENTS, CORRECTIONS)

_CORRECT = (
    "UPDATE stay_documents SET purpose = c.purpose, valid_from = c.valid_from, "
    "valid_until = c.valid_until, status = c.status, updated_at = c.updated_at "
    "FROM import_staging_corrections AS c WHERE stay_documents.id = c.id"
)


@dataclass
class Staging:
    connection: Connection

    @classmethod
    def create(cls, connection: Connection) -> Staging:
        for table in _TABLES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
            table.create(connection)
        return cls(connection)

    def drop(self) -> None:
        for table in _TABLES:
            self.connection.exec_driver_sql(f"DROP TABLE {table.name}")

    def _replace(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.connection.exec_driver_sql(f"DELETE FROM {table.name}")
        # Not analysed: never-analysed tables are planned from their size on disk, which is
        # enough for the planner to probe the register's unique indexes once per staged key.
        bulk_insert(self.connection, table, rows)

    def load_keys(self, chunk: list[ParsedRow]) -> None:
        """The chunk's passports and documents, each once, to join the register with."""
        # Sorted, so that the joins probe the unique indexes in their own order (neighbouring
        # keys share pages) rather than jumping across them.
        passports = sorted({(r.passport_issuing_state, r.passport_number) for r in chunk})
        documents = sorted({(r.document_kind, r.document_number) for r in chunk})
        self._replace(PASSPORTS, [{"issuing_state": s, "number": n} for s, n in passports])
        self._replace(DOCUMENTS, [{"kind": k, "number": n} for k, n in documents])

    def correct_documents(self, corrections: list[dict[str, Any]]) -> None:
        """Set the new values of corrected documents (``reconcile``'s update rows) at once."""
        self._replace(CORRECTIONS, corrections)
        self.connection.exec_driver_sql(_CORRECT)
