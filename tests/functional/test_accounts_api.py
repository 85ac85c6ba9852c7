"""The accounts API end to end on both databases: one's own tokens, user administration, and
the admin's search, export and verification of the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import ApiToken
from kervan.accounts.roles import Role
from kervan.uow import unit_of_work
from tests.functional.accounts_support import Clock, add_test_routes, entries, get_user, sign_in
from tests.functional.conftest import ClientFactory
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


@pytest.fixture
def admin(client_as: ClientFactory) -> TestClient:
    return client_as(Role.ADMIN)


def new_user(admin: TestClient, username: str, **overrides: object) -> dict:
    body = {
        "username": username,
        "password": "a long enough passphrase",
        "role": "migration_officer",
        "state": "KAZ",
        **overrides,
    }
    response = admin.post("/api/v1/users", json=body)
    assert response.status_code == 201, response.text
    return response.json()


# ----------------------------------------------------------------------------------------------
# Tokens


def test_token_lifecycle(
    client_as: ClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    officer = client_as(Role.BORDER_OFFICER)
    created = officer.post("/api/v1/tokens", json={"name": "gate scanner"})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    token = created.json()["token"]
    assert secret.startswith(token["prefix"])
    listed = officer.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["test", "gate scanner"]
    assert all("secret" not in t and "token_hash" not in t for t in listed)

    with TestClient(app, raise_server_exceptions=False) as machine:
        machine.headers["Authorization"] = f"Bearer {secret}"
        assert machine.get("/api/v1/tokens").status_code == 200
        assert officer.delete(f"/api/v1/tokens/{token['id']}").status_code == 204
        revoked = machine.get("/api/v1/tokens")
    assert revoked.status_code == 401
    assert revoked.headers["content-type"] == PROBLEM
    assert revoked.json()["type"].endswith("/unauthenticated")
    assert officer.get("/api/v1/tokens").json()[1]["revoked_at"] is not None
    assert [e.action for e in entries(app_sessions) if e.action.startswith("token.")] == [
        "token.create",
        "token.revoke",
    ]
    with app_sessions() as session:
        stored = session.get(ApiToken, uuid.UUID(token["id"]))
        assert stored is not None and secret not in (stored.token_hash, stored.prefix)


def test_someone_elses_token_cannot_be_revoked(client_as: ClientFactory) -> None:
    owner, other = client_as(Role.MIGRATION_OFFICER), client_as(Role.MIGRATION_OFFICER)
    token_id = owner.post("/api/v1/tokens", json={"name": "mine"}).json()["token"]["id"]
    assert other.delete(f"/api/v1/tokens/{token_id}").status_code == 404
    assert owner.get("/api/v1/tokens").json()[1]["revoked_at"] is None


@pytest.mark.parametrize("days", [True, False, 1.5, "seven"])
def test_a_token_lifetime_that_is_not_a_whole_number_is_refused(
    client_as: ClientFactory, days: object
) -> None:
    """JSON's true is not a number of days (pydantic's lax int read it as 1)."""
    officer = client_as()
    answer = officer.post("/api/v1/tokens", json={"name": "odd", "expires_in_days": days})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert officer.get("/api/v1/tokens").json()[-1]["name"] != "odd"


def test_expired_token_is_refused(
    client_as: ClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    officer = client_as()
    created = officer.post("/api/v1/tokens", json={"name": "short", "expires_in_days": 1})
    with unit_of_work(app_sessions) as session:
        session.execute(
            text("UPDATE api_tokens SET expires_at = :past WHERE name = 'short'"),
            {"past": dt.datetime(2020, 5, 1)},
        )
    with TestClient(app, raise_server_exceptions=False) as machine:
        machine.headers["Authorization"] = f"Bearer {created.json()['secret']}"
        assert machine.get("/api/v1/tokens").status_code == 401


# ----------------------------------------------------------------------------------------------
# Users


def test_admin_creates_lists_disables_and_enables_users(admin: TestClient, app: FastAPI) -> None:
    user = new_user(admin, "nurlan.border", role="border_officer")
    assert user["is_active"] and user["role"] == "border_officer"
    assert "password_hash" not in user
    assert "nurlan.border" in [u["username"] for u in admin.get("/api/v1/users").json()]

    with TestClient(app, raise_server_exceptions=False) as browser:
        add_test_routes(app, Clock())
        assert sign_in(browser, "nurlan.border", "a long enough passphrase").status_code == 200
        disabled = admin.post(f"/api/v1/users/{user['id']}/disable")
        assert disabled.status_code == 200 and not disabled.json()["is_active"]
        assert browser.get("/api/v1/tokens").status_code == 401  # the session ended at once
        assert admin.post(f"/api/v1/users/{user['id']}/enable").json()["is_active"]
        assert sign_in(browser, "nurlan.border", "a long enough passphrase").status_code == 200


def test_weak_password_and_duplicate_name_are_refused(admin: TestClient) -> None:
    weak = admin.post(
        "/api/v1/users",
        json={"username": "short.pw", "password": "abc", "role": "admin", "state": "KAZ"},
    )
    assert weak.status_code == 422
    assert weak.headers["content-type"] == PROBLEM
    assert {e["field"] for e in weak.json()["errors"]} == {"password"}
    new_user(admin, "twice.named")
    again = admin.post(
        "/api/v1/users",
        json={
            "username": "twice.named",
            "password": "a long enough passphrase",
            "role": "admin",
            "state": "KAZ",
        },
    )
    assert again.status_code == 409


def test_admin_cannot_disable_themselves(admin: TestClient, app_sessions: sessionmaker) -> None:
    me = next(u for u in admin.get("/api/v1/users").json() if u["role"] == "admin")
    assert admin.post(f"/api/v1/users/{me['id']}/disable").status_code == 409


def test_reset_password_lifts_a_lockout(
    admin: TestClient, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    user = new_user(admin, "locked.out")
    add_test_routes(app, Clock())
    with TestClient(app, raise_server_exceptions=False) as browser:
        for _ in range(5):
            sign_in(browser, "locked.out", "guessing wrong")
        assert get_user(app_sessions, "locked.out").locked_until is not None
        reset = admin.post(
            f"/api/v1/users/{user['id']}/reset-password",
            json={"password": "a fresh long passphrase"},
        )
        assert reset.status_code == 200 and reset.json()["locked_until"] is None
        assert sign_in(browser, "locked.out", "a fresh long passphrase").status_code == 200
    assert [e.action for e in entries(app_sessions, "user.reset_password")] == [
        "user.reset_password"
    ]


def test_unknown_user_id_is_404(admin: TestClient) -> None:
    response = admin.post("/api/v1/users/0190d6a5-0000-7000-8000-000000000000/disable")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


# ----------------------------------------------------------------------------------------------
# The audit log


@pytest.fixture
def activity(admin: TestClient) -> None:
    """A few audited actions: three users created, one disabled."""
    ids = [new_user(admin, f"user.{n}")["id"] for n in range(3)]
    admin.post(f"/api/v1/users/{ids[0]}/disable")


def test_audit_search_filters_and_pages_newest_first(admin: TestClient, activity: None) -> None:
    creations = admin.get("/api/v1/audit", params={"action": "user.create", "limit": 2}).json()
    assert len(creations["items"]) == 2
    seqs = [e["seq"] for e in creations["items"]]
    assert seqs == sorted(seqs, reverse=True)
    rest = admin.get(
        "/api/v1/audit",
        params={"action": "user.create", "limit": 2, "cursor": creations["next_cursor"]},
    ).json()
    # 4 creations: the admin (by the test fixture) and the three above.
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    assert max(e["seq"] for e in rest["items"]) < min(seqs)

    disabled = admin.get("/api/v1/audit", params={"action": "user.disable"}).json()["items"]
    assert len(disabled) == 1
    by_record = admin.get(
        "/api/v1/audit", params={"record_type": "user", "record_id": disabled[0]["record_id"]}
    ).json()["items"]
    assert {e["action"] for e in by_record} == {"user.create", "user.disable"}
    assert admin.get("/api/v1/audit", params={"outcome": "denied"}).json()["items"] == []


def test_audit_search_by_time_window_and_user(admin: TestClient, activity: None) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert admin.get("/api/v1/audit", params={"since": future}).json()["items"] == []
    naive_past = "2020-05-01T00:00:00"  # read as UTC
    everything = admin.get("/api/v1/audit", params={"since": naive_past, "limit": 500}).json()
    assert len(everything["items"]) >= 5
    admin_name = everything["items"][-1]["username"]
    mine = admin.get("/api/v1/audit", params={"username": admin_name}).json()["items"]
    assert mine and all(e["username"] == admin_name for e in mine)


def test_audit_search_rejects_a_foreign_cursor(admin: TestClient) -> None:
    response = admin.get("/api/v1/audit", params={"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_reading_the_audit_log_is_audited(admin: TestClient, activity: None) -> None:
    admin.get("/api/v1/audit", params={"action": "user.create"})
    admin.get("/api/v1/audit/export")
    admin.get("/api/v1/audit/verify")
    # The newest first; a search does not list its own entry, written after it ran.
    actions = [e["action"] for e in admin.get("/api/v1/audit").json()["items"][:3]]
    assert actions == ["audit.verify", "audit.export", "audit.search"]
    search = admin.get("/api/v1/audit", params={"action": "audit.search"}).json()["items"]
    assert search[-1]["details"].pop("request_id")  # the request's id (kervan.ops.request_ids)
    assert search[-1]["details"] == {"action": "user.create"}


def test_audit_export_is_csv_of_every_matching_entry(
    admin: TestClient, activity: None, app: FastAPI
) -> None:
    add_test_routes(app, Clock())
    with TestClient(app, raise_server_exceptions=False) as browser:
        sign_in(browser, '=HYPERLINK("http://evil.example")', "whatever it is")
    response = admin.get("/api/v1/audit/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["seq"]) for r in rows] == list(range(1, len(rows) + 1))  # oldest first
    assert rows[0]["entry_hash"] and rows[0]["prev_hash"] == "0" * 64
    attempt = next(r for r in rows if r["action"] == "auth.sign_in")
    assert attempt["username"].startswith("'=")  # a spreadsheet will not run it
    only = admin.get("/api/v1/audit/export", params={"action": "user.disable"}).text
    assert len(list(csv.DictReader(io.StringIO(only)))) == 1


def test_audit_verify_over_the_api(
    admin: TestClient, activity: None, app_sessions: sessionmaker[Session]
) -> None:
    intact = admin.get("/api/v1/audit/verify").json()
    assert intact["intact"] and intact["first_bad_seq"] is None
    assert intact["entries_checked"] >= 5
    with unit_of_work(app_sessions) as session:
        session.execute(text("UPDATE audit_entries SET purpose = 'x' WHERE seq = 2"))
    broken = admin.get("/api/v1/audit/verify").json()
    assert (broken["intact"], broken["first_bad_seq"]) == (False, 2)
    assert broken["problem"] == "entry 2 was altered"
