"""Requests that once answered 500, each now a 4xx problem (or a full answer), on SQLite and
PostgreSQL; and the security headers on every answer, a 500 included."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Permission, Role
from kervan.web.deps import Policy
from kervan.web.security import CSRF_HEADER
from tests.functional.accounts_support import Clock, add_test_routes, make_user
from tests.functional.conftest import ClientFactory
from tests.functional.register_data import person_body
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


def _is_problem(response: object, status: int = 422) -> None:
    assert response.status_code == status, response.text[:500]  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "field", ["sex", "primary_name", "secondary_name", "nationality", "patronymic"]
)
def test_a_correction_setting_a_field_to_null_is_a_422(
    officer_client: TestClient, field: str
) -> None:
    person = officer_client.post("/api/v1/persons", json=person_body()).json()
    response = officer_client.patch(
        f"/api/v1/persons/{person['id']}", json={field: None, "reason": "clearing a field"}
    )
    _is_problem(response)
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("cursor", ["%C2%B2", "1" * 30, "-1", "9223372036854775808"])
def test_an_audit_cursor_not_given_out_is_a_422(client_as: ClientFactory, cursor: str) -> None:
    response = client_as(Role.ADMIN).get(f"/api/v1/audit?cursor={cursor}")
    _is_problem(response)


def test_the_audit_page_refuses_a_cursor_past_any_entry(client_as: ClientFactory) -> None:
    response = client_as(Role.ADMIN).get("/admin/audit?before=1180591620717411303424")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "since=0001-01-01T00:00:00%2B14:00",
        "until=9999-12-31T23:59:59-14:00",
        "since=0001-01-01T00:00:00%2B14:00&until=9999-12-31T23:59:59-14:00",
    ],
)
def test_audit_times_at_the_ends_of_the_calendar_are_read(
    client_as: ClientFactory, query: str
) -> None:
    admin = client_as(Role.ADMIN)
    found = admin.get(f"/api/v1/audit?{query}")
    assert found.status_code == 200, found.text
    assert found.json()["items"]
    export = admin.get(f"/api/v1/audit/export?{query}")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.text)))
    assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)  # not cut short


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "until=0001-01-01"])
def test_the_audit_page_reads_days_at_the_ends_of_the_calendar(
    client_as: ClientFactory, query: str
) -> None:
    admin = client_as(Role.ADMIN)
    assert admin.get(f"/admin/audit?{query}").status_code == 200
    assert admin.get(f"/admin/audit/export.csv?{query}").status_code == 200


def test_a_nul_in_a_name_is_a_422(officer_client: TestClient) -> None:
    _is_problem(officer_client.post("/api/v1/persons", json=person_body(primary_name="Ka\x00")))
    person = officer_client.post("/api/v1/persons", json=person_body()).json()
    response = officer_client.patch(
        f"/api/v1/persons/{person['id']}", json={"secondary_name": "U\x00", "reason": "typo"}
    )
    _is_problem(response)


def test_a_nul_in_a_token_name_is_a_422(officer_client: TestClient) -> None:
    _is_problem(officer_client.post("/api/v1/tokens", json={"name": "lap\x00top"}))


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    add_test_routes(app, Clock())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_nul_in_the_sign_in_user_name_is_no_server_error(
    browser: TestClient, app_sessions: sessionmaker[Session]
) -> None:
    make_user(app_sessions, "aigerim.officer")
    page = browser.get("/sign-in")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = browser.post(
        "/sign-in",
        data={"username": "aigerim\x00officer", "password": "whatever it is", "csrf_token": token},
        headers={CSRF_HEADER: token},
    )
    assert 400 <= response.status_code < 500


def _boom() -> None:
    raise RuntimeError("a bug")


@pytest.mark.parametrize("path", ["/_test/boom", "/api/v1/_test/boom"])
def test_a_500_carries_the_security_headers(app: FastAPI, path: str) -> None:
    app.add_api_route(path, _boom, dependencies=[Depends(Policy(Permission.PUBLIC))])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 500
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    if path.startswith("/api/"):
        assert headers["content-type"] == PROBLEM
