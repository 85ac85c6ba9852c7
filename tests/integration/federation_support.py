"""The start-up the federation tests share: two nodes, KAZ (the sender, driven in the test's
process) and UZB (the receiver), each on a fresh PostgreSQL database with its keys and the
trust list, UZB serving HTTP as its own OS process (``kervan.demo.serve_node``).
A test module takes the pair with

    @pytest.fixture(scope="module")
    def pair(tmp_path_factory):
        yield from node_pair(tmp_path_factory, "cases")

and finds the databases dropped and the processes stopped after its last test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from kervan.demo.loadtest import Pair, drop_database, make_pair

PG_ENV = "KERVAN_TEST_DATABASE_URL"


def postgres_server() -> str:
    """The server the federation tests make their databases on; without one they are skipped
    (or fail, where PostgreSQL is required, as in CI)."""
    server = os.environ.get(PG_ENV)
    if not server:
        if os.environ.get("KERVAN_REQUIRE_POSTGRES"):
            pytest.fail(f"{PG_ENV} is required")
        pytest.skip(f"{PG_ENV} is not set: the federation tests need PostgreSQL")
    return server


def node_pair(tmp_path_factory: pytest.TempPathFactory, tag: str) -> Iterator[Pair]:
    """The pair for a module's tests, UZB started; ``tag`` names the databases (letters)."""
    server = postgres_server()
    pair = make_pair(tmp_path_factory.mktemp(f"{tag}-federation"), server, f"{tag}_{os.getpid()}")
    try:
        pair.start_receiver()
        yield pair
    finally:
        pair.stop()
        drop_database(pair.sender.database_url)
        drop_database(pair.receiver.database_url)


def count_rows(engine: Engine, model: type[Any], *where: Any) -> int:
    with engine.connect() as connection:
        found = connection.execute(select(func.count()).select_from(model).where(*where)).scalar()
    return int(found or 0)
