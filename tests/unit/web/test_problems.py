"""kervan/web/problems.py: every error the API can return is an RFC 9457 problem document —
the service's code, params and field errors, validation errors per field, the framework's 404
and 405, a value the database refused (a 422, not a 500), an unexpected error as a 500 that
shows no internals; a browser on the UI gets the page the renderer makes instead."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError

from kervan.errors import FieldError, InvalidInput, NotFound
from kervan.web.problems import MEDIA_TYPE, PROBLEM_BASE, install_problem_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/api/v1/missing")
    def missing() -> None:
        raise NotFound("no person 7", code="registry.person-not-found", params={"id": "7"})

    @app.get("/api/v1/invalid")
    def invalid() -> None:
        field = FieldError("number", "too long", "registry.number-long", {"max": 9})
        raise InvalidInput("1 field is not valid", errors=[field], code="registry.invalid")

    @app.get("/api/v1/count")
    def count(n: int = Query(ge=1)) -> int:
        return n

    @app.get("/api/v1/nul")
    def nul() -> None:
        raise DataError("INSERT …", {}, Exception("invalid byte sequence 0x00"))

    @app.get("/api/v1/crash")
    def crash() -> None:
        raise RuntimeError("secret internals")

    @app.get("/people/7")
    def page() -> None:
        raise NotFound("no person 7")

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


def test_a_service_error_carries_its_code_params_and_field_errors(client: TestClient) -> None:
    answer = client.get("/api/v1/missing")
    assert answer.status_code == 404 and answer.headers["content-type"] == MEDIA_TYPE
    body = answer.json()
    assert body["type"] == PROBLEM_BASE + "not-found" and body["instance"] == "/api/v1/missing"
    assert (body["code"], body["params"], body["detail"]) == (
        "registry.person-not-found",
        {"id": "7"},
        "no person 7",
    )
    invalid = client.get("/api/v1/invalid").json()
    assert invalid["status"] == 422
    [error] = invalid["errors"]
    assert error == {
        "field": "number",
        "message": "too long",
        "code": "registry.number-long",
        "params": {"max": 9},
    }


def test_a_validation_error_names_the_field_without_its_location(client: TestClient) -> None:
    body = client.get("/api/v1/count?n=0").json()
    assert body["status"] == 422 and body["type"] == PROBLEM_BASE + "invalid-input"
    assert [e["field"] for e in body["errors"]] == ["n"]


def test_the_frameworks_errors_are_problems_too(client: TestClient) -> None:
    assert client.get("/api/v1/nowhere").json()["type"] == PROBLEM_BASE + "not-found"
    refused = client.post("/api/v1/missing")
    assert refused.status_code == 405
    assert refused.json()["type"] == PROBLEM_BASE + "method-not-allowed"


def test_a_value_the_database_refused_is_the_clients_input(client: TestClient) -> None:
    answer = client.get("/api/v1/nul")
    assert answer.status_code == 422 and "NUL" in answer.json()["detail"]


def test_an_unexpected_error_is_logged_once_and_shows_nothing_of_it(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kervan.web"):
        answer = client.get("/api/v1/crash")
    assert answer.status_code == 500 and answer.headers["content-type"] == MEDIA_TYPE
    assert "secret internals" not in answer.text
    assert len([r for r in caplog.records if r.name == "kervan.web"]) == 1


def test_a_browser_on_the_ui_gets_the_renderers_page_the_api_never_does() -> None:
    app = _app()
    seen: list[tuple[int, str]] = []

    def render(request: Request, status: int, slug: str, detail: str, exc: object) -> Response:
        seen.append((status, slug))
        return HTMLResponse(f"<h1>{slug}</h1>", status_code=status)

    app.state.html_error_renderer = render
    client = TestClient(app)
    html = {"accept": "text/html"}
    assert client.get("/people/7", headers=html).text == "<h1>not-found</h1>"
    assert client.get("/people/7", headers={"hx-request": "true"}).status_code == 404
    assert client.get("/people/7").headers["content-type"] == MEDIA_TYPE  # not a browser
    assert client.get("/api/v1/missing", headers=html).headers["content-type"] == MEDIA_TYPE
    assert seen == [(404, "not-found"), (404, "not-found")]
