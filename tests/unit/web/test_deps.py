"""kervan/web/deps.py: who the caller is (a bearer token, case-insensitive scheme; a token
that does not open an account is a 401, never anonymous), and the policy every route
declares — anonymous callers must sign in, a role without the permission is refused and the
refusal audited although the request's transaction rolls back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import tokens
from kervan.accounts.messages import ROLE_MAY_NOT
from kervan.accounts.models import AuditEntry, User
from kervan.accounts.roles import Permission, Principal, Role
from kervan.config import Settings
from kervan.messages import SIGN_IN_REQUIRED, TOKEN_UNKNOWN
from kervan.uow import unit_of_work
from kervan.web.deps import policy
from kervan.web.problems import install_problem_handlers


@pytest.fixture
def client(session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.settings = Settings(state="KAZ")
    app.state.session_factory = session_factory
    install_problem_handlers(app)

    @app.get("/api/v1/open")
    def open_route(principal: Principal | None = policy(Permission.PUBLIC)) -> str:
        return principal.username if principal else "anonymous"

    @app.get("/api/v1/people")
    def people(principal: Principal = policy(Permission.REGISTER_READ)) -> str:
        return principal.username

    @app.get("/api/v1/users")
    def users(principal: Principal = policy(Permission.ACCOUNTS_MANAGE)) -> str:
        return principal.username

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def secret(session_factory: sessionmaker[Session]) -> str:
    with unit_of_work(session_factory) as session:
        user = User(username="a.officer", password_hash="-", role=Role.MIGRATION_OFFICER)
        user.state = "KAZ"
        session.add(user)
        session.flush()
        return tokens.create_token(session, user, "script")[1]


def test_a_public_route_serves_anyone_and_knows_who_signed_in(
    client: TestClient, secret: str
) -> None:
    assert client.get("/api/v1/open").json() == "anonymous"
    bearer = {"authorization": f"bEaReR {secret}"}
    assert client.get("/api/v1/open", headers=bearer).json() == "a.officer"


def test_an_anonymous_caller_must_sign_in(client: TestClient) -> None:
    for headers in ({}, {"authorization": "Basic YTpi"}, {"authorization": "Bearer "}):
        answer = client.get("/api/v1/people", headers=headers)
        assert answer.status_code == 401 and answer.json()["code"] == SIGN_IN_REQUIRED


def test_a_token_that_opens_nothing_is_refused_even_on_a_public_route(client: TestClient) -> None:
    answer = client.get("/api/v1/open", headers={"authorization": "Bearer kvn_forged"})
    assert answer.status_code == 401 and answer.json()["code"] == TOKEN_UNKNOWN


def test_a_role_without_the_permission_is_refused_and_audited(
    client: TestClient, secret: str, session_factory: sessionmaker[Session]
) -> None:
    bearer = {"authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/people", headers=bearer).json() == "a.officer"
    answer = client.get("/api/v1/users", headers=bearer)
    assert answer.status_code == 403 and answer.json()["code"] == ROLE_MAY_NOT
    with session_factory() as session:
        denied = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "denied")).one()
    assert denied.action == "access.denied" and denied.username == "a.officer"
    assert denied.details["permission"] == "accounts.manage"
