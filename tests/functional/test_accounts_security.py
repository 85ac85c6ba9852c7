"""Browser-facing hardening over HTTP: CSRF checks, security headers, and no secret in the logs."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.web.security import CSRF_HEADER, PRESESSION_COOKIE
from tests.functional.accounts_support import PASSWORD, Clock, add_test_routes, make_user, sign_in
from tests.functional.conftest import ClientFactory
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    add_test_routes(app, Clock())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def signed_in(browser: TestClient, app_sessions: sessionmaker[Session]) -> str:
    """Signs ``browser`` in; returns the CSRF token bound to its session."""
    make_user(app_sessions, "aigerim.officer")
    response = sign_in(browser, "aigerim.officer")
    assert response.status_code == 200
    token: str = response.json()["csrf"]
    return token


# ----------------------------------------------------------------------------------------------
# CSRF


def test_ui_post_without_the_token_is_refused(browser: TestClient, signed_in: str) -> None:
    response = browser.post("/_test/ui-action", data={"note": "hello"})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/csrf-rejected")


def test_ui_post_with_the_token_passes(browser: TestClient, signed_in: str) -> None:
    as_field = browser.post("/_test/ui-action", data={"note": "hi", "csrf_token": signed_in})
    assert as_field.status_code == 200
    assert as_field.json() == {"user": "aigerim.officer", "note": "hi"}
    as_header = browser.post(
        "/_test/ui-action", data={"note": "hi"}, headers={CSRF_HEADER: signed_in}
    )
    assert as_header.status_code == 200


def test_a_token_from_another_browser_is_refused(
    app: FastAPI, browser: TestClient, signed_in: str, app_sessions: sessionmaker[Session]
) -> None:
    make_user(app_sessions, "other.officer")
    with TestClient(app, raise_server_exceptions=False) as other:
        other_token = sign_in(other, "other.officer").json()["csrf"]
    response = browser.post("/_test/ui-action", data={"csrf_token": other_token})
    assert response.status_code == 403


def test_the_sign_in_form_itself_is_protected(
    browser: TestClient, app_sessions: sessionmaker[Session]
) -> None:
    make_user(app_sessions, "aigerim.officer")
    forged = browser.post(
        "/_test/sign-in", json={"username": "aigerim.officer", "password": PASSWORD}
    )
    assert forged.status_code == 403
    # A pre-session cookie is set with the first token handed out, and binds it.
    first = browser.get("/_test/csrf")
    assert PRESESSION_COOKIE in first.cookies
    assert "httponly" in first.headers["set-cookie"].lower()
    assert sign_in(browser, "aigerim.officer").status_code == 200


def test_bearer_token_requests_are_exempt(client_as: ClientFactory, app: FastAPI) -> None:
    add_test_routes(app, Clock())
    client = client_as()
    assert client.post("/_test/ui-action", data={"note": "api"}).status_code == 200


def test_cookie_session_on_the_json_api_needs_the_csrf_header(
    browser: TestClient, signed_in: str
) -> None:
    refused = browser.post("/api/v1/tokens", json={"name": "laptop"})
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/csrf-rejected")
    created = browser.post(
        "/api/v1/tokens", json={"name": "laptop"}, headers={CSRF_HEADER: signed_in}
    )
    assert created.status_code == 201
    assert browser.get("/api/v1/tokens").status_code == 200  # reading needs no token


# ----------------------------------------------------------------------------------------------
# Security headers


def _script_src(csp: str) -> str:
    return next(d for d in csp.split(";") if d.strip().startswith("script-src"))


@pytest.mark.parametrize("path", ["/_test/page", "/healthz", "/api/v1/persons"])
def test_security_headers_on_pages_and_api(browser: TestClient, path: str) -> None:
    headers = browser.get(path).headers
    csp = headers["content-security-policy"]
    assert _script_src(csp).split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP
    assert headers["cache-control"] == "no-store"


def test_hsts_only_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/healthz").headers["strict-transport-security"].startswith("max-age=")


def test_api_docs_allow_exactly_their_own_inline_script(browser: TestClient) -> None:
    response = browser.get("/api/docs", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    script_src = _script_src(response.headers["content-security-policy"])
    assert "'unsafe-inline'" not in script_src
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


# ----------------------------------------------------------------------------------------------
# No secret in the logs


def test_no_password_token_or_cookie_reaches_the_logs(
    browser: TestClient, app_sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    make_user(app_sessions, "aigerim.officer")
    caplog.set_level(logging.DEBUG)
    # SQL echo included: what reaches the database is a digest, never the secret.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        sign_in(browser, "aigerim.officer", "a mistyped passphrase")
        signed_in = sign_in(browser, "aigerim.officer")
        cookie = signed_in.cookies["kervan_session"]
        created = browser.post(
            "/api/v1/tokens", json={"name": "ci"}, headers={CSRF_HEADER: signed_in.json()["csrf"]}
        )
        secret = created.json()["secret"]
        browser.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"})
        browser.post("/_test/ui-action", data={"note": "x"})  # a CSRF failure is logged
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    for secret_value in (PASSWORD, "a mistyped passphrase", secret, cookie):
        assert secret_value not in logged
