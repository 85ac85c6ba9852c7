"""Shared fixtures. Every database test runs on SQLite and on PostgreSQL: the ``engine`` fixture
is parametrised over both, and the PostgreSQL half skips, saying why, when
``KERVAN_TEST_DATABASE_URL`` is unset or unreachable (CI always sets it)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.passwords import use_cheap_hashing_for_tests
from kervan.accounts.roles import Principal, Role, system_principal
from kervan.db.engine import make_engine, normalise_url
from kervan.db.metadata import metadata
from kervan.db.migrate import upgrade
from kervan.wiring import node_session_factory

PG_ENV = "KERVAN_TEST_DATABASE_URL"

use_cheap_hashing_for_tests()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once with Alembic; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "kervan.db"
    upgrade(f"sqlite:///{path}")
    return path


def _skip_or_fail(reason: str) -> None:
    # CI sets KERVAN_REQUIRE_POSTGRES: there a missing database is a failure, not a skip.
    if os.environ.get("KERVAN_REQUIRE_POSTGRES"):
        pytest.fail(reason.replace("skipped", "required"))
    pytest.skip(reason)


def _admin_url(url: str) -> str:
    return make_url(normalise_url(url)).set(database="postgres").render_as_string(False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (and this xdist worker), migrated
    once, dropped at the end."""
    base = os.environ.get(PG_ENV)
    if not base:
        _skip_or_fail(f"PostgreSQL half skipped: {PG_ENV} is not set")
    name = f"kervan_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # unreachable server: say so, do not fail every test
        admin.dispose()
        _skip_or_fail(f"PostgreSQL half skipped: cannot reach {PG_ENV}: {exc}")
    url = make_url(normalise_url(base)).set(database=name).render_as_string(False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_all_tables(engine: Engine) -> None:
    # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE's file work costs ~0.3 s.
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "kervan.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = make_engine(url)
    _empty_all_tables(engine)
    engine.dispose()


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as ``database_url`` (nothing migrated): a SQLite
    file not made yet, or a PostgreSQL database made here and dropped after the test."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"kervan_test_empty_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    server = make_url(normalise_url(database_url))
    admin = make_engine(_admin_url(database_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of a node wired with every capability, as the app's and the CLI's are."""
    return node_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction the test commits or leaves; closed afterwards."""
    with session_factory() as session:
        yield session


@pytest.fixture
def officer() -> Principal:
    return Principal(user_id=None, username="officer.kaz", role=Role.MIGRATION_OFFICER, state="KAZ")


@pytest.fixture
def system() -> Principal:
    return system_principal("KAZ")
