"""UI sessions over HTTP on both databases: sign-in and its audit trail, throttling and lockout,
session expiry, sign-out, and session fixation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import service
from kervan.accounts.models import UserSession
from kervan.accounts.passwords import needs_rehash
from kervan.accounts.roles import Role, system_principal
from kervan.accounts.sessions import COOKIE_NAME, GENERIC_FAILURE
from kervan.config import Settings
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.functional.accounts_support import (
    PASSWORD,
    Clock,
    add_test_routes,
    entries,
    get_user,
    make_user,
    sign_in,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    clock = Clock()
    add_test_routes(app, clock)
    return clock


@pytest.fixture
def browser(app: FastAPI, clock: Clock) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def officer(app_sessions: sessionmaker[Session]) -> str:
    return make_user(app_sessions, "aigerim.officer").username


def sessions_of(factory: sessionmaker[Session], username: str) -> list[UserSession]:
    user = get_user(factory, username)
    with factory() as session:
        return list(session.scalars(select(UserSession).where(UserSession.user_id == user.id)))


def test_sign_in_opens_a_server_side_session(
    browser: TestClient, officer: str, app_sessions: sessionmaker[Session]
) -> None:
    response = sign_in(browser, officer)
    assert response.status_code == 200, response.text
    cookie = response.cookies[COOKIE_NAME]
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie
    assert "samesite=lax" in set_cookie
    assert "path=/" in set_cookie
    assert "secure" not in set_cookie  # plain HTTP here (see the HTTPS test)
    assert browser.get("/api/v1/tokens").status_code == 200  # the cookie authenticates
    [row] = sessions_of(app_sessions, officer)
    assert row.token_hash == hashlib.sha256(cookie.encode()).hexdigest()
    [entry] = entries(app_sessions, "auth.sign_in")
    assert (entry.username, entry.role, entry.state, entry.outcome, entry.address) == (
        officer,
        "migration_officer",
        "KAZ",
        "ok",
        "testclient",
    )


def test_session_cookie_is_secure_over_https(app: FastAPI, clock: Clock, officer: str) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        response = sign_in(client, officer)
        assert response.status_code == 200
        assert "secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("rendered", [False, True], ids=["raised", "rendered"])
def test_failed_sign_ins_look_alike_and_are_each_audited_once(
    browser: TestClient, app_sessions: sessionmaker[Session], rendered: bool
) -> None:
    make_user(app_sessions, "known.user")
    disabled = make_user(app_sessions, "gone.user")
    with unit_of_work(app_sessions) as session:
        service.set_active(session, system_principal("KAZ"), disabled.username, False)
    attempts = [
        ("nobody.here", PASSWORD),
        ("known.user", "not the password"),
        ("gone.user", PASSWORD),
    ]
    for username, password in attempts:
        response = sign_in(browser, username, password, rendered=rendered)
        assert response.status_code == 401
        assert response.json()["detail"] == GENERIC_FAILURE
    failures = entries(app_sessions, "auth.sign_in")
    assert [(e.username, e.outcome, e.details["reason"]) for e in failures] == [
        ("nobody.here", "failed", "unknown_user"),
        ("known.user", "failed", "bad_password"),
        ("gone.user", "failed", "disabled"),
    ]
    assert failures[0].role == "anonymous"
    assert get_user(app_sessions, "known.user").failed_logins == 1  # counted exactly once


def test_failure_is_a_problem_document_when_raised(browser: TestClient, officer: str) -> None:
    response = sign_in(browser, officer, "wrong password here")
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/sign-in-failed")


@pytest.mark.parametrize("rendered", [False, True], ids=["raised", "rendered"])
def test_lockout_after_repeated_failures_then_unlock(
    browser: TestClient,
    officer: str,
    clock: Clock,
    settings: Settings,
    app_sessions: sessionmaker[Session],
    rendered: bool,
) -> None:
    threshold = settings.signin_lockout_threshold
    for _ in range(threshold - 1):
        response = sign_in(browser, officer, "guess", rendered=rendered)
        assert response.json()["detail"] == GENERIC_FAILURE
    locking = sign_in(browser, officer, "guess", rendered=rendered)
    assert "try again after" in locking.json()["detail"]
    # Locked: even the right password is refused, with the same message.
    refused = sign_in(browser, officer, rendered=rendered)
    assert refused.status_code == 401
    assert "try again after" in refused.json()["detail"]
    reasons = [e.details.get("reason") for e in entries(app_sessions, "auth.sign_in")]
    assert reasons == ["bad_password"] * threshold + ["locked"]

    clock.advance(minutes=settings.signin_lockout_minutes + 1)
    assert sign_in(browser, officer, rendered=rendered).status_code == 200
    user = get_user(app_sessions, officer)
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_a_lock_that_ran_out_needs_a_full_count_again(
    browser: TestClient,
    officer: str,
    clock: Clock,
    settings: Settings,
    app_sessions: sessionmaker[Session],
) -> None:
    for _ in range(settings.signin_lockout_threshold):
        sign_in(browser, officer, "guess")
    clock.advance(minutes=settings.signin_lockout_minutes + 1)
    response = sign_in(browser, officer, "guess again")
    assert response.json()["detail"] == GENERIC_FAILURE
    assert get_user(app_sessions, officer).failed_logins == 1


def test_one_address_guessing_many_names_is_blocked(
    database_url: str, settings: Settings, app_sessions: sessionmaker[Session]
) -> None:
    strict = settings.model_copy(update={"signin_address_max_failures": 3})
    app, clock = create_app(strict), Clock()
    add_test_routes(app, clock)
    make_user(app.state.session_factory, "real.officer")
    with TestClient(app, raise_server_exceptions=False) as client:
        for name in ("admin", "root", "officer"):
            assert sign_in(client, name, "guess").json()["detail"] == GENERIC_FAILURE
        blocked = sign_in(client, "real.officer")  # right password, wrong neighbourhood
        assert blocked.status_code == 401
        assert "try again after" in blocked.json()["detail"]
        clock.advance(minutes=strict.signin_address_window_minutes + 1)
        assert sign_in(client, "real.officer").status_code == 200
    app.state.engine.dispose()


def test_session_ends_after_idle_timeout(
    browser: TestClient, officer: str, clock: Clock, settings: Settings
) -> None:
    assert sign_in(browser, officer).status_code == 200
    idle = settings.session_idle_minutes
    clock.advance(minutes=idle - 1)
    assert browser.get("/api/v1/tokens").status_code == 200
    clock.advance(minutes=idle - 1)  # counted from the last request, not from sign-in
    assert browser.get("/api/v1/tokens").status_code == 200
    clock.advance(minutes=idle + 1)
    response = browser.get("/api/v1/tokens")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


def test_session_ends_at_its_absolute_lifetime(
    browser: TestClient, officer: str, clock: Clock, settings: Settings
) -> None:
    assert sign_in(browser, officer).status_code == 200
    step = settings.session_idle_minutes - 5
    elapsed = 0
    while elapsed + step < settings.session_absolute_hours * 60:
        clock.advance(minutes=step)
        elapsed += step
        assert browser.get("/api/v1/tokens").status_code == 200
    clock.advance(minutes=step)
    assert browser.get("/api/v1/tokens").status_code == 401


def test_sign_out_deletes_the_session_and_the_cookie(
    browser: TestClient, officer: str, app_sessions: sessionmaker[Session]
) -> None:
    signed_in = sign_in(browser, officer)
    cookie = signed_in.cookies[COOKIE_NAME]
    response = browser.post("/_test/sign-out", data={"csrf_token": signed_in.json()["csrf"]})
    assert response.status_code == 200
    assert f'{COOKIE_NAME}=""' in response.headers["set-cookie"]
    assert sessions_of(app_sessions, officer) == []
    assert [e.username for e in entries(app_sessions, "auth.sign_out")] == [officer]
    browser.cookies.set(COOKIE_NAME, cookie)  # a copy kept by someone is worthless now
    assert browser.get("/api/v1/tokens").status_code == 401


def test_every_sign_in_gets_a_fresh_session(
    browser: TestClient, officer: str, app_sessions: sessionmaker[Session]
) -> None:
    first = sign_in(browser, officer).cookies[COOKIE_NAME]
    second = sign_in(browser, officer).cookies[COOKIE_NAME]  # over the first one
    assert first != second
    assert len(sessions_of(app_sessions, officer)) == 1  # the first was ended, not kept


def test_disabling_or_resetting_a_user_ends_their_sessions(
    browser: TestClient, officer: str, app_sessions: sessionmaker[Session]
) -> None:
    admin = system_principal("KAZ", "test")
    assert sign_in(browser, officer).status_code == 200
    with unit_of_work(app_sessions) as session:
        service.reset_password(session, admin, officer, "a brand new passphrase")
    assert browser.get("/api/v1/tokens").status_code == 401
    assert sign_in(browser, officer, "a brand new passphrase").status_code == 200
    with unit_of_work(app_sessions) as session:
        service.set_active(session, admin, officer, False)
    assert browser.get("/api/v1/tokens").status_code == 401


def test_sign_in_upgrades_an_outdated_password_hash(
    browser: TestClient, officer: str, app_sessions: sessionmaker[Session]
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with unit_of_work(app_sessions) as session:
        service.get_user_by_name(session, officer).password_hash = weak
    assert sign_in(browser, officer).status_code == 200
    stored = get_user(app_sessions, officer).password_hash
    assert stored != weak
    assert not needs_rehash(stored)


def test_the_demo_has_one_account_per_role(app_sessions: sessionmaker[Session]) -> None:
    from kervan.demo.accounts import ensure_demo_accounts

    with unit_of_work(app_sessions) as session:
        first = ensure_demo_accounts(session, "KAZ")
    with unit_of_work(app_sessions) as session:
        service.reset_password(session, system_principal("KAZ"), first[0][0], "changed by someone")
    with unit_of_work(app_sessions) as session:
        again = ensure_demo_accounts(session, "KAZ")  # idempotent, and the printout stays true
    assert again == first
    assert sorted(role for _, role, _ in first) == sorted(r.value for r in Role)
    states = {get_user(app_sessions, name).state for name, _, _ in first}
    assert states == {"KAZ", "UZB"}
    consular = next(name for name, role, _ in first if role == "consular_officer")
    assert get_user(app_sessions, consular).state == "UZB"
    with unit_of_work(app_sessions) as session:
        assert len(service.list_users(session)) == len(Role)
