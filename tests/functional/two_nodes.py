"""The pair of in-process nodes the cross-border functional tests run: UZB (the home state) on
each test database, a host state on a SQLite file made from the migrated template, one trust
list, and a loopback line between them. A test module takes the pair with

    fed, settings, uzb, kaz, line = two_node_fixtures("KAZ")

and drives delivery with ``worker(node, fed, line, state)``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kervan.config import Settings
from kervan.exchange.worker import Worker
from tests.functional.exchange_support import Loopback, exchange_node, node_settings, sqlite_node
from tests.unit.exchange.support import ENDPOINTS, federation

HOME = "UZB"


def worker(node: FastAPI, fed: tuple, line: Loopback, state: str) -> Worker:
    """A delivery worker of ``node`` without back-off jitter, sending over the loopback."""
    return Worker(
        node.state.settings, node.state.session_factory, fed[1][state], line, jitter=lambda: 0.0
    )


def two_node_fixtures(host: str) -> tuple[Any, ...]:
    """The fixtures ``fed``, ``settings``, ``uzb``, ``<host>`` (lower case) and ``line``."""

    @pytest.fixture(name="fed")
    def fed_fixture(tmp_path: Path) -> tuple:
        return federation(tmp_path / "keys")

    @pytest.fixture(name="settings")
    def settings_fixture(database_url: str, tmp_path: Path) -> Settings:
        return node_settings(HOME, database_url, tmp_path / "keys")

    @pytest.fixture(name="uzb")
    def home_fixture(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
        node = exchange_node(settings, fed[0])
        yield node
        node.state.engine.dispose()

    @pytest.fixture(name=host.lower())
    def host_fixture(tmp_path: Path, sqlite_template: Path, fed: tuple) -> Iterator[FastAPI]:
        node = sqlite_node(host, tmp_path, sqlite_template, fed[0])
        yield node
        node.state.engine.dispose()

    @pytest.fixture(name="line")
    def line_fixture(request: pytest.FixtureRequest, uzb: FastAPI) -> Iterator[Loopback]:
        other: FastAPI = request.getfixturevalue(host.lower())
        with TestClient(uzb) as to_home, TestClient(other) as to_host:
            yield Loopback({ENDPOINTS[HOME]: to_home, ENDPOINTS[host]: to_host})

    return fed_fixture, settings_fixture, home_fixture, host_fixture, line_fixture
