"""Sign-in does not tell who has an account: an unknown user name is answered, locked and
timed like a real one (each attempt costs exactly one password hash, whatever happens)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import service
from kervan.accounts.roles import system_principal
from kervan.config import Settings
from kervan.uow import unit_of_work
from tests.functional.accounts_support import Clock, add_test_routes, entries, make_user, sign_in


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    clock = Clock()
    add_test_routes(app, clock)
    return clock


@pytest.fixture
def browser(app: FastAPI, clock: Clock) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _answers(browser: TestClient, username: str, attempts: int) -> list[tuple[int, str]]:
    # The time a lock ends is the same rule for both; the clock moved between them.
    return [
        (r.status_code, re.sub(r"\d\d:\d\d", "HH:MM", r.json()["detail"]))
        for r in (sign_in(browser, username, "a wrong guess") for _ in range(attempts))
    ]


def test_an_unknown_name_is_locked_like_an_account(
    browser: TestClient, settings: Settings, app_sessions: sessionmaker[Session], clock: Clock
) -> None:
    make_user(app_sessions, "real.officer")
    attempts = settings.signin_lockout_threshold + 2
    real = _answers(browser, "real.officer", attempts)
    assert "try again after" in real[-1][1]
    clock.advance(minutes=settings.signin_lockout_minutes + 1)
    invented = _answers(browser, "invented.name", attempts)
    assert invented == real  # before: never "too many attempts" for a name without an account
    reasons = [e.details["reason"] for e in entries(app_sessions, "auth.sign_in")][attempts:]
    assert reasons == ["unknown_user"] * settings.signin_lockout_threshold + ["locked"] * 2
    clock.advance(minutes=settings.signin_lockout_minutes + 1)
    assert _answers(browser, "invented.name", 1) == real[:1]  # the lock runs out the same way


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts argon2 verifications (the library's, not ours): the work each attempt costs."""
    calls: list[str] = []
    verify = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str, password: str) -> bool:
        calls.append(hash)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


def test_every_kind_of_failure_costs_one_hash(
    browser: TestClient,
    settings: Settings,
    app_sessions: sessionmaker[Session],
    hashes: list[str],
) -> None:
    make_user(app_sessions, "locked.officer")
    make_user(app_sessions, "gone.officer")
    with unit_of_work(app_sessions) as session:
        service.set_active(session, system_principal("KAZ"), "gone.officer", False)
    for _ in range(settings.signin_lockout_threshold):
        sign_in(browser, "locked.officer", "a wrong guess")
        sign_in(browser, "locked.name", "a wrong guess")
    for name in ("nobody.here", "locked.officer", "locked.name", "gone.officer"):
        hashes.clear()
        assert sign_in(browser, name, "a wrong guess").status_code == 401
        assert len(hashes) == 1, name  # before: a locked account answered without hashing


def test_a_blocked_address_costs_one_hash_too(
    settings: Settings, app_sessions: sessionmaker[Session], hashes: list[str]
) -> None:
    from kervan.web.app import create_app

    strict = settings.model_copy(update={"signin_address_max_failures": 2})
    app = create_app(strict)
    add_test_routes(app, Clock())
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "one", "guess")
        sign_in(client, "two", "guess")
        hashes.clear()
        assert "try again after" in sign_in(client, "three", "guess").json()["detail"]
        assert len(hashes) == 1
    app.state.engine.dispose()


# ----------------------------------------------------------------------------------------------
# Ids: a UUIDv7 carries its creation time, and an import's rows get neighbouring ids. Nothing a
# caller without an account can reach shows a register id (so none shows an import's order).


def test_no_public_route_shows_a_register_id(
    app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    from fastapi.routing import APIRoute

    from tests.functional.routes_support import served_routes
    from tests.functional.test_policies import is_public
    from tests.functional.ui_support import seed_person

    person_id, document_id = seed_person(app_sessions)
    secrets = {str(person_id), person_id.hex, str(document_id), document_id.hex}
    public = [
        r
        for r in served_routes(app)
        if isinstance(r, APIRoute) and "GET" in r.methods and "{" not in r.path and is_public(r)
    ]
    assert public
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        for route in public:
            body = anonymous.get(route.path).text
            assert not any(s in body for s in secrets), route.path
