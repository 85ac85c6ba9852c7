"""The staging table of an import: the rows of a wave (``chunks``), every value the register
needs already derived and in storage form, bulk-written (``COPY`` on PostgreSQL, one
``executemany`` on SQLite) into a temporary table, which ``reconcile`` then joins with the
register.

Each staged row carries the ids its records would take if it creates them (drawn in file order,
so that a batch's records form one range of ids, ``batches``); the columns ``known_*`` and
``corrected`` are filled in by the database, never by Python.

The table is temporary (private to the connection, never in the migrations), made when an
import starts and dropped when it ends; on a rollback it disappears with the savepoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Uuid,
)

from kervan.db.bulk import copy_text_statement, write_copy_text

_metadata = MetaData()

STAGED = Table(
    "import_staged_rows",
    _metadata,
    Column("row", Integer),  # the file's row number
    # The ids of the records the row would create (hex, ``storage.uuid7_hex``).
    Column("person_id", Uuid),
    Column("passport_id", Uuid),
    Column("document_id", Uuid),
    Column("person_event_id", Uuid),  # None on a first load (history per batch)
    Column("document_event_id", Uuid),
    Column("primary_name", String),
    Column("secondary_name", String),
    Column("patronymic", String),
    # As the row gives them (None: not given, then not compared with a known person) …
    Column("given_primary_identifier", String),
    Column("given_secondary_identifier", String),
    # … and the derived name columns (``naming.name_columns``) of a person it creates.
    Column("primary_identifier", String),
    Column("secondary_identifier", String),
    Column("name_script", String),
    Column("name_key", String),
    Column("primary_skeleton", String),
    Column("secondary_skeleton", String),
    Column("nationality", String),
    Column("birth_year", SmallInteger),
    Column("birth_month", SmallInteger),
    Column("birth_day", SmallInteger),
    Column("birth_date", String),  # ``validation.birth_text``, as a person's history shows it
    Column("sex", String),
    Column("passport_issuing_state", String),
    Column("passport_number", String),
    Column("passport_expiry", Date),
    Column("document_kind", String),
    Column("document_number", String),
    Column("purpose", String),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("status", String),  # None: not given (a new document is active, a known one keeps it)
    Column("region", String),  # None: not given (a known document keeps its region)
    # Whether the register may hold the row's passport, its document: false only in a first
    # load, for a row no earlier chunk or wave can have written (``chunks``, ``SeenBefore``).
    Column("probe_passport", Boolean),
    Column("probe_document", Boolean),
    # Filled in by ``reconcile``: what the register holds for the row's passport and document,
    # and whether the row changes that document.
    Column("known_person_id", Uuid),
    Column("known_document_id", Uuid),
    Column("known_document_person_id", Uuid),
    Column("corrected", Boolean),
    prefixes=["TEMPORARY"],
)

#: The columns a staged row gives, in the order of the tuples ``chunks`` makes.
STAGED_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in STAGED.columns if not c.name.startswith("known_") and c.name != "corrected"
)


#: ``INSERT`` (SQLite, executemany) or ``COPY`` text (PostgreSQL) of the staged columns.
_SQLITE_INSERT = (
    f"INSERT INTO {STAGED.name} ({', '.join(STAGED_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in STAGED_COLUMNS)})"
)
#: The null of the staging COPY: DEL, a character no import cell may hold (``limits``), so a
#: backslash in a name needs no telling apart from the default ``\\N``, and a wave's text is
#: made by joining its cells in C (``chunks``).
COPY_NULL = "\x7f"
_COPY = copy_text_statement(STAGED, STAGED_COLUMNS) + " (NULL E'\\x7f')"
_WIDTH = len(STAGED_COLUMNS)
_ANALYZE = (
    f"ANALYZE {STAGED.name} "
    "(probe_passport, probe_document, person_id, known_person_id, known_document_id)"
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_lines(rows: list[tuple[str, ...]]) -> bytes:
    """Rows of str (``COPY_NULL`` for None) as the staging COPY's text. Joined without escaping,
    then checked for what escaping would change (a backslash, a tab or line feed other than the
    separators, a carriage return: only a name can hold one, and rarely does); if any, made
    again with every cell escaped."""
    text = "\n".join(map("\t".join, rows))
    if (
        "\\" in text
        or "\r" in text
        or text.count("\t") != len(rows) * (_WIDTH - 1)
        or text.count("\n") != len(rows) - 1
    ):
        text = "\n".join(["\t".join([cell.translate(_ESCAPES) for cell in row]) for row in rows])
    return (text + "\n").encode()


@dataclass(frozen=True, slots=True)
class StagedWave:
    """A wave's rows ready to be sent: PostgreSQL's COPY text, or SQLite's parameter tuples.
    Made by the reader (``chunks``), so the importer's thread only sends them."""

    rows: int
    payload: bytes | list[tuple[Any, ...]]
    #: Whether a passport is in the wave twice (then the first of its rows kept creates the
    #: person), and whether its rows describe the person differently (then ``reconcile``
    #: holds them to that row).
    shared_passports: bool = False
    persons_differ: bool = False

    @classmethod
    def of(
        cls,
        dialect: str,
        rows: list[tuple[Any, ...]],
        *,
        shared_passports: bool = False,
        persons_differ: bool = False,
    ) -> StagedWave:
        """``rows`` in ``STAGED_COLUMNS`` order and storage form (``chunks.ChunkMaker``)."""
        if not rows:
            return cls(0, [])
        payload = copy_lines(rows) if dialect == "postgresql" else rows
        return cls(len(rows), payload, shared_passports, persons_differ)


@dataclass
class Staging:
    connection: Connection

    @classmethod
    def create(cls, connection: Connection) -> Staging:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGED.name}")
        STAGED.create(connection)
        return cls(connection)

    def drop(self) -> None:
        self.connection.exec_driver_sql(f"DROP TABLE {STAGED.name}")

    def load(self, wave: StagedWave) -> None:
        """Replace the staged rows with the wave's."""
        if isinstance(wave.payload, bytes):
            self.connection.exec_driver_sql(f"TRUNCATE {STAGED.name}")
            write_copy_text(self.connection, _COPY, wave.payload)
            # The columns the look-ups filter on, analysed (a few milliseconds): planned from
            # the table's size alone, half its rows would be "to look up" or "known", and
            # PostgreSQL would hash the whole register to find the handful of a first load's
            # wave. (Analysed before the look-ups, the known_* columns are all empty: the
            # planner then probes the register's indexes, right for a few rows or 5,000.)
            self.connection.exec_driver_sql(_ANALYZE)
        else:
            self.connection.exec_driver_sql(f"DELETE FROM {STAGED.name}")
            if wave.payload:
                self.connection.exec_driver_sql(_SQLITE_INSERT, wave.payload)
