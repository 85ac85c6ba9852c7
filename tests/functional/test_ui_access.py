"""The officer UI's doors: sign-in, redirects, scoping, CSRF, error pages, policies."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from kervan.web.deps import Policy
from kervan.web.security import csrf_protect
from tests.functional.routes_support import served_routes
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    HTML,
    PASSWORD,
    UiClientFactory,
    csrf_from,
    make_user,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

UI_PREFIXES = (
    "/sign-",
    "/language",
    "/account",
    "/admin",
    "/search",
    "/persons",
    "/documents",
    "/import",
)


def _anonymous(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, headers=HTML, follow_redirects=False)


def test_a_page_asks_an_anonymous_browser_to_sign_in_and_comes_back(app: FastAPI) -> None:
    response = _anonymous(app).get("/search?q=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/search%3Fq%3Dx"


def test_htmx_is_told_to_reload_the_whole_page_to_sign_in(app: FastAPI) -> None:
    response = _anonymous(app).get("/search?q=x", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/sign-in?next=")


def test_the_api_keeps_problem_json_for_the_same_error(app: FastAPI) -> None:
    response = _anonymous(app).get("/api/v1/persons")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_sign_in_with_a_wrong_password_says_so_and_lets_in_with_the_right_one(
    app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    make_user(app_sessions, "officer.one", Role.MIGRATION_OFFICER, "KAZ")
    client = _anonymous(app)
    form = client.get("/sign-in?next=/search")
    assert form.status_code == 200
    refused = client.post(
        "/sign-in",
        data={
            "username": "officer.one",
            "password": "wrong",
            "next": "/search",
            "csrf_token": csrf_from(form.text),
        },
    )
    assert refused.status_code == 401
    assert "The username or password is wrong" in refused.text
    accepted = client.post(
        "/sign-in",
        data={
            "username": "officer.one",
            "password": PASSWORD,
            "next": "/search",
            "csrf_token": csrf_from(refused.text),
        },
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/search"
    assert client.get("/search").status_code == 200


def test_sign_in_never_redirects_off_the_node(
    app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    make_user(app_sessions, "officer.two", Role.MIGRATION_OFFICER, "KAZ")
    client = _anonymous(app)
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "username": "officer.two",
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": csrf_from(form.text),
        },
    )
    assert response.headers["location"] == "/"


def test_sign_out_ends_the_session(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    home = client.get("/")
    response = client.post("/sign-out", data={"csrf_token": csrf_from(home.text)})
    assert response.status_code == 303
    assert client.get("/").status_code == 303


def test_home_shows_the_register_at_a_glance(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_person(app_sessions)
    page = ui_as(Role.MIGRATION_OFFICER).get("/")
    assert page.status_code == 200
    assert "Persons in the register" in page.text
    assert "Valid stay documents" in page.text


def test_a_consular_officer_cannot_open_another_states_national(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    kyrgyz, _ = seed_person(
        app_sessions,
        primary="Asanov",
        secondary="Bakyt",
        nationality="KGZ",
        document_number="WK22345678",
    )
    uzbek, _ = seed_person(app_sessions)
    consul = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    refused = consul.get(f"/persons/{kyrgyz}")
    assert refused.status_code == 404
    assert "Not found" in refused.text and "Asanov" not in refused.text
    assert consul.get(f"/persons/{uzbek}").status_code == 200


def test_a_role_without_the_permission_gets_a_clear_page(ui_as: UiClientFactory) -> None:
    page = ui_as(Role.SECRETARIAT_ANALYST).get("/search")
    assert page.status_code == 403
    assert "You are not allowed to do this" in page.text


def test_a_form_without_its_csrf_token_is_refused(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _, document = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    response = client.post(
        f"/documents/{document}/revoke", data={"reason": "forged request", "step": "confirm"}
    )
    assert response.status_code == 403
    assert "The form has expired" in response.text
    history = client.get(f"/documents/{document}/history")
    assert "forged request" not in history.text


def test_unknown_page_is_a_translated_html_404(ui_as: UiClientFactory) -> None:
    page = ui_as(Role.MIGRATION_OFFICER, locale="ru").get("/no/such/page")
    assert page.status_code == 404
    assert "Не найдено" in page.text


def test_every_ui_route_declares_a_policy_and_every_unsafe_one_checks_csrf(app: FastAPI) -> None:
    for route in served_routes(app):
        if not isinstance(route, APIRoute) or not route.path.startswith(UI_PREFIXES):
            continue
        calls = [d.call for d in route.dependant.dependencies]
        assert any(isinstance(c, Policy) for c in calls), route.path
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            assert csrf_protect in calls, route.path
