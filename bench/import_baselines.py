"""The import benchmark's databases and baselines.

``Scratch`` makes a node's database (migrated, a trust list in place) and an empty database for
the baseline, both named ``kervan_ibench_<pid>_<tag>`` (PostgreSQL) or files in the run's
temporary folder (SQLite), and drops exactly those at the end. The baselines load the same CSV
file with the database's own bulk tool into a plain typed table: ``psql \\copy`` and the
``sqlite3`` shell's ``.import``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker, normalise_url
from kervan.demo.loadtest import drop_database, fresh_database
from kervan.demo.trust_setup import make_federation
from kervan.exchange.trust_store import install
from kervan.uow import unit_of_work

#: The trust list: the council's members and its secretariat; never contacted.
MEMBERS = ("OTS", "KAZ", "UZB", "KGZ", "TUR", "AZE", "HUN")

#: The import file's columns with the types a developer would give them in a plain table.
PLAIN_COLUMNS = (
    ("primary_name", "text"),
    ("secondary_name", "text"),
    ("patronymic", "text"),
    ("primary_identifier", "text"),
    ("secondary_identifier", "text"),
    ("nationality", "char(3)"),
    ("birth_date", "text"),  # a year, a month or a day may be unknown: not a DATE
    ("sex", "char(1)"),
    ("passport_number", "text"),
    ("passport_issuing_state", "char(3)"),
    ("passport_expiry", "date"),
    ("document_kind", "text"),
    ("document_number", "text"),
    ("purpose", "text"),
    ("valid_from", "date"),
    ("valid_until", "date"),
    ("status", "text"),
    ("region", "text"),
)
_PLAIN_TABLE = "CREATE TABLE plain (" + ", ".join(f"{n} {t}" for n, t in PLAIN_COLUMNS) + ")"


def _libpq(url: str) -> str:
    return make_url(normalise_url(url)).set(drivername="postgresql").render_as_string(False)


@dataclass
class Scratch:
    database: str
    node_url: str
    baseline_url: str  # PostgreSQL: a database; SQLite: a file path

    @classmethod
    @contextmanager
    def make(cls, database: str, server_url: str, work: Path, tag: str) -> Iterator[Scratch]:
        name = f"kervan_ibench_{os.getpid()}_{tag}"
        if database == "postgresql":
            node = fresh_database(server_url, name)
            baseline = fresh_database(server_url, f"{name}_copy")
        else:
            node = fresh_database(f"sqlite:///{work}", name)
            baseline = str(work / f"{name}_import.db")
        try:
            _install_trust_list(node, work / f"keys-{name}")
            yield cls(database, node, baseline)
        finally:
            drop_database(node)
            if database == "postgresql":
                drop_database(baseline)
            else:
                Path(baseline).unlink(missing_ok=True)

    def outbox_count(self) -> int:
        engine = make_engine(self.node_url)
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM outbox_messages")).scalar_one()
        engine.dispose()
        return int(count)

    @staticmethod
    def server_version(database: str, server_url: str) -> str:
        if database == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        engine = make_engine(server_url)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
        return f"PostgreSQL {version}"


def _install_trust_list(url: str, keys: Path) -> None:
    document, _ = make_federation(keys, {state: "http://127.0.0.1:9" for state in MEMBERS})
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        install(session, document, utcnow(), bootstrap=True)
    engine.dispose()


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def psql_copy(scratch: Scratch, path: Path) -> float:
    """``psql \\copy`` of the file into a new plain typed table: seconds."""
    libpq = _libpq(scratch.baseline_url)
    subprocess.run(
        [
            "psql",
            libpq,
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "DROP TABLE IF EXISTS plain",
            "-c",
            _PLAIN_TABLE,
        ],
        check=True,
        capture_output=True,
    )
    return _timed(
        [
            "psql",
            libpq,
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            f"\\copy plain FROM '{path}' WITH (FORMAT csv, HEADER true)",
        ]
    )


def sqlite_import(scratch: Scratch, path: Path) -> float:
    """The ``sqlite3`` shell's ``.import`` of the file into a new plain typed table: seconds."""
    Path(scratch.baseline_url).unlink(missing_ok=True)
    with sqlite3.connect(scratch.baseline_url) as connection:
        connection.execute(_PLAIN_TABLE)
    return _timed(["sqlite3", scratch.baseline_url, f".import --csv --skip 1 {path} plain"])
