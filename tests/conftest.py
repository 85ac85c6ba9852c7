"""Shared fixtures. Every database test runs on SQLite and on PostgreSQL: the ``engine`` fixture
is parametrised over both, and the PostgreSQL half skips, saying why, when
``KERVAN_TEST_DATABASE_URL`` is unset or unreachable (CI always sets it).

The suite runs in parallel (``make test``: pytest-xdist, one process per core) and alone
(``pytest tests/unit/test_x.py``). What a run makes once is shared by its workers: the SQLite
template file and the PostgreSQL template database are migrated once per run, under a lock in the
run's temporary folder, and each worker copies them. Everything else a worker makes is its own:
database names carry its process id, ports are bound to port 0, files go to ``tmp_path``."""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

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
RUN_TOKEN = pytest.StashKey[str]()

use_cheap_hashing_for_tests()


# ---------------------------------------------------------------------------------------------
# One run, several workers


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the run itself (xdist's controller, or no xdist)
        config.stash[RUN_TOKEN] = uuid.uuid4().hex[:8]
        if config.pluginmanager.hasplugin("xdist"):
            config.pluginmanager.register(_Parallel(), "kervan-parallel")


class _Parallel:
    """xdist's hooks, registered only where xdist is installed and this is its controller."""

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["kervan_run_token"] = node.config.stash[RUN_TOKEN]

    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        """``--dist loadfile``, except that the browser tests, which share one live node and one
        Chromium per worker, go to one worker together instead of starting them on each."""
        if config.getvalue("dist") != "loadfile":
            return None
        from xdist.scheduler import LoadFileScheduling

        class BrowserTogether(LoadFileScheduling):
            def _split_scope(self, nodeid: str) -> str:
                scope: str = super()._split_scope(nodeid)
                return "tests/browser" if scope.startswith("tests/browser/") else scope

        return BrowserTogether(config, log)


def _run_token(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return str(workerinput["kervan_run_token"])
    return config.stash[RUN_TOKEN]


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run, shared by its xdist workers (each has a sub-folder)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _run_lock(factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """Hold a lock that the run's workers share; yields the run's folder."""
    folder = _run_folder(factory)
    with open(folder / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_name(config: pytest.Config) -> str:
    return f"kervan_test_template_{_run_token(config)}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run (not a worker) drops its PostgreSQL template once every worker is done."""
    base = os.environ.get(PG_ENV)
    if hasattr(session.config, "workerinput") or not base:
        return
    try:
        admin = make_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # The workers drop their own databases; an interrupted worker cannot, the run can.
            left = conn.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                {"prefix": f"kervan_test_{_run_token(session.config)}_%"},
            ).all()
            for name in [*left, _template_name(session.config)]:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    except Exception:  # the server went away: nothing of ours is left to drop
        pass


# ---------------------------------------------------------------------------------------------
# Databases


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per run with Alembic; each test gets a copy of the file."""
    with _run_lock(tmp_path_factory, "sqlite-template") as folder:
        path = folder / "template-kervan.db"
        if not path.exists():
            partial = folder / "template-kervan.db.partial"
            partial.unlink(missing_ok=True)
            upgrade(f"sqlite:///{partial}")
            partial.rename(path)
    return path


def _skip_or_fail(reason: str) -> NoReturn:
    # CI sets KERVAN_REQUIRE_POSTGRES: there a missing database is a failure, not a skip.
    if os.environ.get("KERVAN_REQUIRE_POSTGRES"):
        pytest.fail(reason.replace("skipped", "required"))
    pytest.skip(reason)


def _admin_url(url: str) -> str:
    return make_url(normalise_url(url)).set(database="postgres").render_as_string(False)


def _database_url(base: str, name: str) -> str:
    return make_url(normalise_url(base)).set(database=name).render_as_string(False)


@pytest.fixture(scope="session")
def postgres_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (and this xdist worker), dropped at the
    end: a copy (``CREATE DATABASE … TEMPLATE``) of the run's template, migrated once per run."""
    base = os.environ.get(PG_ENV)
    if not base:
        _skip_or_fail(f"PostgreSQL half skipped: {PG_ENV} is not set")
    template = _template_name(request.config)
    name = f"kervan_test_{_run_token(request.config)}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # unreachable server: say so, do not fail every test
        admin.dispose()
        _skip_or_fail(f"PostgreSQL half skipped: cannot reach {PG_ENV}: {exc}")
    with _run_lock(tmp_path_factory, "postgres-template") as folder:
        migrated = folder / "postgres-template.migrated"
        if not migrated.exists():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{template}"'))
            upgrade(_database_url(base, template))
            migrated.touch()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = _database_url(base, name)
    yield url
    cleaner = _CLEANERS.pop(url, None)
    if cleaner is not None:
        cleaner.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# One engine per worker's database for emptying it after each test (a connection kept open).
_CLEANERS: dict[str, Engine] = {}


def _empty_all_tables(engine: Engine) -> None:
    # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE's file work costs ~0.3 s.
    # All in one round trip (~15 ms instead of ~90 ms for one statement per table).
    deletes = ";".join(f'DELETE FROM "{table.name}"' for table in reversed(metadata.sorted_tables))
    with engine.begin() as conn:
        conn.exec_driver_sql(deletes)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "kervan.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    cleaner = _CLEANERS.get(url)
    if cleaner is None:
        cleaner = _CLEANERS[url] = make_engine(url)
    _empty_all_tables(cleaner)


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
