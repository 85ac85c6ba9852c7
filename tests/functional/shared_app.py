"""One app for all the tests of a module, on each database, for the modules whose tests need
no more than an app and its register: the first request to a new app costs 0.15–0.35 s
(FastAPI builds each route's dependencies on first use, Jinja compiles the templates), the
next ones a few milliseconds. Each test still starts from an empty register: on SQLite the
file is copied anew from the migrated template after it, on PostgreSQL every table is emptied,
as ``database_url`` does.

A module opts in by importing the fixtures (they replace conftest's ``app`` there)::

    from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401

Not for a module whose tests take ``database_url``, ``settings`` or ``session`` (another
database than the app's on SQLite), change the app, or count on what an app keeps in memory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from kervan.config import Settings
from kervan.db.metadata import metadata
from kervan.web.app import create_app
from tests.functional.conftest import NODE_STATE


def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, param: str
) -> str:
    """A database for a module's app: a copy of the migrated SQLite file, or PostgreSQL's test
    database (emptied after each test by ``empty_register``)."""
    if param == "sqlite":
        path = tmp_path_factory.mktemp("module-app") / "kervan.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("postgres_url"))


def empty_register(engine: Engine, request: pytest.FixtureRequest) -> None:
    """What a test wrote, gone for the next: SQLite's file copied anew (search's FTS index and
    the triggers that fill it are not tables of the metadata, and a copy is as cheap as
    emptying), PostgreSQL's tables emptied."""
    if engine.dialect.name == "sqlite":
        engine.dispose()
        shutil.copyfile(request.getfixturevalue("sqlite_template"), engine.url.database)
        return
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:  # one round trip (conftest.py says why)
        connection.exec_driver_sql(";".join(f'DELETE FROM "{name}"' for name in tables))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    app = create_app(
        Settings(
            database_url=module_database_url(request, tmp_path_factory, request.param),
            state=NODE_STATE,
            environment="test",
            secret_key="test-secret-key-not-for-production",
        )
    )
    yield app
    app.state.engine.dispose()


@pytest.fixture(name="app")
def app_of_the_module(module_app: FastAPI, request: pytest.FixtureRequest) -> Iterator[FastAPI]:
    yield module_app
    empty_register(module_app.state.engine, request)
