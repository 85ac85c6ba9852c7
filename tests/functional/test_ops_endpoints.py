"""What a node serves its operators: /healthz (liveness), /readyz (with reasons), /metrics
(Prometheus, token-protected), request ids (header, problem documents, audit entries, logs),
logs without personal data, and the API docs served from the package."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from kervan.accounts import audit
from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange.keys import generate
from kervan.exchange.trust_store import install
from kervan.ops.logs import configure_logging
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.functional.conftest import ClientFactory

ENDPOINTS = {s: "http://127.0.0.1:9" for s in ("OTS", "KAZ", "UZB")}


def node(settings: Settings, **changes: object) -> FastAPI:
    return create_app(settings.model_copy(update=changes))


def join_federation(app: FastAPI, keys: Path, key_lifetime: dt.timedelta | None) -> None:
    """Keys for the secretariat, KAZ and UZB, and a trust list naming them (KAZ's key valid
    for ``key_lifetime``), installed on ``app``."""
    now = utcnow()
    signing = {state: generate(keys / state, state) for state in ENDPOINTS}
    until = now + key_lifetime if key_lifetime else None
    entries = {
        state: [key_entry(k, now - dt.timedelta(minutes=5), until if state == "KAZ" else None)]
        for state, k in signing.items()
    }
    document = signed(trust_content(1, 1, ENDPOINTS, entries, now), list(signing.values()))
    with unit_of_work(app.state.session_factory) as session:
        install(session, document, now, bootstrap=True)


def test_healthz_is_liveness_only_and_readyz_gives_reasons(app: FastAPI) -> None:
    client = TestClient(app)
    assert client.get("/healthz").json() == {"status": "ok", "state": "KAZ"}
    answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"]
    assert not checks["keys"]["ok"] and "kervan keys generate" in checks["keys"]["detail"]
    assert not checks["trust_list"]["ok"]
    assert "kervan trust install" in checks["trust_list"]["detail"]


def test_readyz_answers_at_once_to_a_caller_with_a_bearer_token(client_as: ClientFactory) -> None:
    """A token's last use is written in the request's transaction; on SQLite that held the
    write lock while the checks waited for it (30 s, then "database unreachable")."""
    client = client_as(Role.ADMIN)
    started = time.monotonic()
    answer = client.get("/readyz")
    assert time.monotonic() - started < 10
    assert answer.json()["checks"]["database"]["ok"]
    assert answer.json()["checks"]["migrations"]["ok"]


def test_readyz_is_ready_with_keys_and_trust_list_and_warns_of_expiry(
    settings: Settings, tmp_path: Path
) -> None:
    app = node(settings, keys_dir=tmp_path / "keys" / "KAZ")
    join_federation(app, tmp_path / "keys", dt.timedelta(days=10))
    answer = TestClient(app).get("/readyz")
    assert answer.status_code == 200, answer.text
    trust = answer.json()["checks"]["trust_list"]
    assert trust["ok"] and "expires in 9 days" in trust["detail"]
    assert trust["facts"]["version"] == 1 and trust["facts"]["key_expires_at"]
    app.state.engine.dispose()


def test_readyz_is_not_ready_when_the_nodes_key_expired(settings: Settings, tmp_path: Path) -> None:
    app = node(settings, keys_dir=tmp_path / "keys" / "KAZ")
    join_federation(app, tmp_path / "keys", dt.timedelta(minutes=-1))
    answer = TestClient(app).get("/readyz")
    assert answer.status_code == 503
    assert "expired" in answer.json()["checks"]["trust_list"]["detail"]
    app.state.engine.dispose()


def test_metrics_are_off_without_a_token_and_refuse_a_wrong_one(settings: Settings) -> None:
    off = node(settings)
    answer = TestClient(off).get("/metrics")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    off.state.engine.dispose()
    on = node(settings, metrics_token=SecretStr("scrape-secret-1234567890"))
    client = TestClient(on)
    for header in ("", "Bearer wrong", "Bearer " + "x" * 10_000, "Basic c2NyYXBlOnNlY3JldA=="):
        refused = client.get("/metrics", headers={"Authorization": header} if header else {})
        assert refused.status_code == 401, header[:20]
    on.state.engine.dispose()


def test_metrics_list_requests_outbox_exchange_measures_and_sign_ins(settings: Settings) -> None:
    app = node(settings, metrics_token=SecretStr("scrape-secret-1234567890"))
    with unit_of_work(app.state.session_factory) as session:
        audit.record(session, audit.Anonymous("nobody"), "auth.sign_in", outcome="failed")
    client = TestClient(app)
    client.get("/healthz")
    text = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1234567890"}).text
    assert 'kervan_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert "kervan_http_request_duration_seconds_bucket" in text
    for name in (
        "kervan_outbox_pending",
        "kervan_outbox_oldest_pending_age_seconds",
        "kervan_dead_letters",
        "kervan_exchange_messages",
        "kervan_exchange_refusals",
        "kervan_measure_documents_reached",
        "kervan_signin_failures_total",
    ):
        assert f"# TYPE {name}" in text or f"# HELP {name}" in text, name
    assert "kervan_signin_failures_total 1.0" in text
    app.state.engine.dispose()


def test_a_request_id_is_in_the_header_the_problem_and_the_audit_entry(
    app: FastAPI, client_as: ClientFactory
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER, "KAZ")
    missing = officer.get(
        "/api/v1/persons/01900000-0000-7000-8000-000000000000",
        headers={"X-Request-ID": "proxy-id-12345678"},
    )
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] == "proxy-id-12345678"
    assert missing.json()["request_id"] == "proxy-id-12345678"
    created = client_as(Role.ADMIN, "KAZ").post(
        "/api/v1/users",
        json={
            "username": "aigerim",
            "password": "correct horse battery staple",
            "role": "migration_officer",
            "state": "KAZ",
        },
    )
    assert created.status_code == 201, created.text
    with app.state.session_factory() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.create").order_by(AuditEntry.seq)
        ).all()[-1]
    assert entry.details["username"] == "aigerim"
    assert entry.details["request_id"] == created.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "hostile", [b"a\tb-injected-value", b"x" * 500, b"short", "ü".encode() * 20, b'{"json": 1}']
)
def test_a_hostile_request_id_is_replaced(app: FastAPI, hostile: bytes) -> None:
    answer = TestClient(app).get("/healthz", headers=[(b"X-Request-ID", hostile)])
    assert answer.headers["X-Request-ID"].encode() != hostile
    assert len(answer.headers["X-Request-ID"]) == 32


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("uvicorn.access").disabled)
    configure_logging("json", "info")
    handler = next(h for h in root.handlers if h.get_name() == "kervan")
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    yield stream
    root.handlers, root.level = saved[0], saved[1]
    logging.getLogger("uvicorn.access").disabled = saved[2]
    structlog.reset_defaults()


def test_logs_are_json_lines_with_the_request_id_and_no_personal_data(
    app: FastAPI, client_as: ClientFactory, json_log: io.StringIO
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER, "KAZ")
    searched = officer.get(
        "/api/v1/persons/search", params={"q": "Rahimov Utkir", "birth_date": "1988-XX-XX"}
    )
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    access = [line for line in lines if line.get("logger") == "kervan.access"]
    assert access, lines
    assert access[-1]["route"] == "/api/v1/persons/search"
    assert access[-1]["request_id"] == searched.headers["X-Request-ID"]
    assert "Rahimov" not in json_log.getvalue() and "1988" not in json_log.getvalue()


def test_the_api_docs_load_swagger_ui_from_the_node_itself(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "https://" not in page.text.replace("https://kervan", "")
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page.text
    policy = page.headers["content-security-policy"]
    assert "https:" not in policy and "cdn" not in policy
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
    folder = Path(__file__).resolve().parents[2] / "kervan" / "web" / "static" / "swagger-ui"
    assert "Apache License" in (folder / "LICENSE").read_text()
