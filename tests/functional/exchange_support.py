"""Nodes of a federation as in-process apps for the exchange tests: their settings, the app with
a bootstrapped trust list, an API client with a token, and the loopback line between them (the
same HTTP routes a real federation uses; nothing of ours is mocked)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.accounts.tokens import create_token
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.exchange.keys import SigningKey
from kervan.exchange.transport import INBOX_PATH, QUERY_PATH, TransportError
from kervan.exchange.trust import TrustList
from kervan.exchange.trust_store import install
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.unit.exchange.support import federation


def node_settings(state: str, url: str, keys: Path) -> Settings:
    return Settings(
        database_url=url,
        state=state,
        environment="test",
        secret_key="test-secret-key-not-for-production",
        keys_dir=keys / state,
    )


def exchange_node(settings: Settings, trust_list: dict[str, Any]) -> FastAPI:
    """The node's app (the factory installs the exchange) with ``trust_list`` bootstrapped."""
    node = create_app(settings)
    with unit_of_work(node.state.session_factory) as session:
        install(session, trust_list, utcnow(), bootstrap=True)
    return node


def sqlite_node(state: str, folder: Path, template: Path, trust_list: dict[str, Any]) -> FastAPI:
    """A second node on a SQLite file of its own (a copy of the migrated template), its keys in
    ``folder/keys`` as the federation made them."""
    path = folder / f"{state.lower()}.db"
    shutil.copyfile(template, path)
    return exchange_node(node_settings(state, f"sqlite:///{path}", folder / "keys"), trust_list)


def token_client(node: FastAPI, role: Role, state: str, username: str = "") -> TestClient:
    """An API client of a new user of ``role`` and ``state``, signed in with a token."""
    with unit_of_work(node.state.session_factory) as session:
        user = create_user(
            session,
            system_principal(node.state.settings.state, "test"),
            username=username or f"{role.value}-{state}".lower(),
            password="correct horse battery staple",
            role=role,
            state=state,
        )
        _, secret = create_token(session, user, "test")
    client = TestClient(node, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


class Loopback:
    """The line between the nodes: envelopes and questions POSTed to in-process apps by their
    trust-list endpoint. A node not on the line, or the line ``down``, does not answer;
    ``cut_after_commit`` loses the receipts of the next batches although the receiver
    committed them."""

    def __init__(self, clients: dict[str, TestClient]):
        self.clients = clients
        self.down = False
        self.cut_after_commit = 0
        self.batches = 0

    def _post(self, endpoint: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if self.down or endpoint not in self.clients:
            raise TransportError(f"{endpoint}: connection refused")
        response = self.clients[endpoint].post(path, json=body)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def post_batch(self, endpoint: str, envelopes: list[str]) -> list[str]:
        self.batches += 1
        receipts: list[str] = self._post(endpoint, INBOX_PATH, {"envelopes": envelopes})["receipts"]
        if self.cut_after_commit:
            self.cut_after_commit -= 1
            raise TransportError("connection reset after the receiver committed")
        return receipts

    def post_query(self, endpoint: str, envelope: str) -> dict[str, Any]:
        return self._post(endpoint, QUERY_PATH, {"envelope": envelope})


# Fixtures the exchange tests share: a module that uses one imports it by its function name.


@pytest.fixture(name="fed")
def federation_fixture(tmp_path: Path) -> tuple[dict[str, Any], dict[str, SigningKey], TrustList]:
    """The trust list of a test federation, its members' signing keys, and its signers."""
    return federation(tmp_path / "keys")


@pytest.fixture(name="uzb")
def uzb_fixture(tmp_path: Path, sqlite_template: Path, fed: tuple) -> Iterator[FastAPI]:
    """UZB on a SQLite file of its own: the other end of KAZ's line."""
    node = sqlite_node("UZB", tmp_path, sqlite_template, fed[0])
    yield node
    node.state.engine.dispose()
