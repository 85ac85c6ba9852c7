"""A password reset or a disable takes every kind of access away, and says so: the sessions end
and the API tokens are revoked — over the API, in the UI and from the CLI — and enabling the
account again does not bring a token back."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kervan.accounts import service, tokens
from kervan.accounts.roles import Role
from kervan.cli import app as cli_app
from kervan.uow import unit_of_work
from tests.functional.accounts_support import entries, make_user
from tests.functional.conftest import ClientFactory
from tests.functional.ui_support import UiClientFactory, post_form, ui_as_fixture  # noqa: F401


def _with_token(sessions: sessionmaker[Session], username: str) -> str:
    make_user(sessions, username)
    with unit_of_work(sessions) as session:
        _, secret = tokens.create_token(
            session, service.get_user_by_name(session, username), "gate"
        )
    return secret


def _works(app: FastAPI, secret: str) -> bool:
    with TestClient(app, raise_server_exceptions=False) as machine:
        machine.headers["Authorization"] = f"Bearer {secret}"
        return machine.get("/api/v1/tokens").status_code == 200


def test_a_password_reset_revokes_the_tokens_and_says_so(
    client_as: ClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    secret = _with_token(app_sessions, "reset.me")
    assert _works(app, secret)
    admin = client_as(Role.ADMIN)
    user_id = next(
        u["id"] for u in admin.get("/api/v1/users").json() if u["username"] == "reset.me"
    )
    reset = admin.post(
        f"/api/v1/users/{user_id}/reset-password", json={"password": "a fresh long passphrase"}
    )
    assert reset.status_code == 200, reset.text
    assert reset.json()["tokens_revoked"] == 1
    assert not _works(app, secret)
    [entry] = entries(app_sessions, "user.reset_password")
    assert {k: v for k, v in entry.details.items() if k != "request_id"} == {
        "sessions_ended": 0,
        "tokens_revoked": 1,
    }


def test_a_disabled_and_enabled_again_account_keeps_no_token(
    client_as: ClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    secret = _with_token(app_sessions, "disable.me")
    admin = client_as(Role.ADMIN)
    user_id = next(
        u["id"] for u in admin.get("/api/v1/users").json() if u["username"] == "disable.me"
    )
    disabled = admin.post(f"/api/v1/users/{user_id}/disable")
    assert disabled.json()["tokens_revoked"] == 1
    assert admin.post(f"/api/v1/users/{user_id}/enable").json()["is_active"] is True
    assert not _works(app, secret)  # before: the token came back with the account


def test_the_ui_says_what_disabling_took_away(
    ui_as: UiClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    secret = _with_token(app_sessions, "ui.disabled")
    admin = ui_as(Role.ADMIN)
    page = post_form(admin, "/admin/users", "/admin/users/ui.disabled/active", {"active": "0"})
    assert page.status_code == 200
    assert "ui.disabled is disabled: 0 sessions ended, 1 API tokens revoked." in page.text
    assert not _works(app, secret)


def test_the_cli_says_what_a_reset_took_away(
    app: FastAPI, app_sessions: sessionmaker[Session], database_url: str
) -> None:
    secret = _with_token(app_sessions, "cli.reset")
    result = CliRunner().invoke(
        cli_app,
        ["users", "reset-password", "cli.reset"],
        env={"KERVAN_DATABASE_URL": database_url, "KERVAN_NEW_PASSWORD": "a fresh long passphrase"},
    )
    assert result.exit_code == 0, result.stderr
    assert "1 API tokens revoked" in result.stdout
    assert not _works(app, secret)


def test_a_refused_password_is_explained_in_the_officer_s_language(
    ui_as: UiClientFactory,
) -> None:
    admin = ui_as(Role.ADMIN, locale="ru")
    for password, explained in [
        ("password1234", "Это один из самых распространённых паролей."),
        ("caravan-keeper-2020", "Это пароль демонстрационных учётных записей"),
    ]:
        page = post_form(
            admin,
            "/admin/users",
            "/admin/users",
            {"username": "new.officer", "role": "migration_officer", "password": password},
        )
        assert explained in page.text
