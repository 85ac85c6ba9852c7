"""From a register change in KAZ to UZB's consular view: the outbox written with the change,
the worker signing and delivering, receipts kept on both sides, failures backed off and dead
letters retried. KAZ runs on each test database, UZB on a SQLite file of its own; the line
between them is a transport that can be cut."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.exchange.dead_letters import list_dead, retry
from kervan.exchange.envelopes import open_receipt, sha256_hex
from kervan.exchange.evidence import verify_message
from kervan.exchange.lanes import in_lane, lane_of
from kervan.exchange.models import (
    DeliveryLease,
    ExchangeMessage,
    ExchangePeer,
    NationalAbroadDocument,
    OutboxMessage,
)
from kervan.exchange.routing import announce_measure
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from tests.functional.conftest import ClientFactory
from tests.functional.exchange_support import (
    Loopback,
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
    token_client,
    uzb_fixture,  # noqa: F401 - the uzb fixture
)
from tests.functional.register_data import document_body, person_body
from tests.unit.exchange.support import ENDPOINTS

NODE_ADMIN = Principal(user_id=None, username="admin", role=Role.ADMIN, state="KAZ")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("KAZ", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
    kaz = exchange_node(settings, fed[0])
    yield kaz
    kaz.state.engine.dispose()


@pytest.fixture
def line(uzb: FastAPI) -> Iterator[Loopback]:
    with TestClient(uzb) as client:
        yield Loopback({ENDPOINTS["UZB"]: client})


@pytest.fixture
def worker(app: FastAPI, settings: Settings, fed: tuple, line: Loopback) -> Worker:
    return Worker(settings, app.state.session_factory, fed[1]["KAZ"], line, jitter=lambda: 0.0)


def _register_uzbek_with_document(officer: TestClient) -> tuple[str, str]:
    person = officer.post("/api/v1/persons", json=person_body()).json()
    document = officer.post(
        f"/api/v1/persons/{person['id']}/stay-documents", json=document_body()
    ).json()
    return person["id"], document["id"]


def _outbox(factory: sessionmaker[Session]) -> list[OutboxMessage]:
    with factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_issue_and_extend_reach_the_home_state_in_order(
    officer_client: TestClient, app: FastAPI, uzb: FastAPI, worker: Worker
) -> None:
    person_id, document_id = _register_uzbek_with_document(officer_client)
    extended = officer_client.post(
        f"/api/v1/stay-documents/{document_id}/extend",
        json={"valid_until": "2027-06-30", "reason": "employer renewal 2026/99"},
    )
    assert extended.status_code == 200, extended.text
    turk = officer_client.post(
        "/api/v1/persons",
        json=person_body(
            nationality="TUR",
            travel_documents=[{"number": "U1234567", "issuing_state": "TUR"}],
        ),
    ).json()
    officer_client.post(
        f"/api/v1/persons/{turk['id']}/stay-documents", json=document_body(number="WK7654321")
    )
    queued = _outbox(app.state.session_factory)
    assert [(m.type, m.to_state) for m in queued] == [
        ("stay.issued", "UZB"),
        ("stay.extended", "UZB"),
        ("stay.issued", "TUR"),
    ]
    result = worker.drain(max_rounds=5)
    assert result.delivered == 2  # TUR's node is on the trust list but not reachable here
    with app.state.session_factory() as session:
        held = session.scalars(select(DeliveryLease).where(DeliveryLease.leased_by.is_not(None)))
        assert list(held) == []  # idle lanes are free for the other workers at once
    with uzb.state.session_factory() as session:
        view = session.scalars(select(NationalAbroadDocument)).one()
        assert str(view.document_id) == document_id and str(view.valid_until) == "2027-06-30"
        assert view.last_event == "stay.extended"
        received = verify_message(session, view.envelope_id)
        assert received.proven, received.as_dict()
    with app.state.session_factory() as session:
        sent = verify_message(session, view.envelope_id)
        assert sent.proven and sent.facts["receipt"]["from"] == "UZB"
        assert str(person_id) == sent.facts["envelope"]["subject"]["id"]


def _end_pause(app: FastAPI) -> None:
    """As if the backoff had run out."""
    with unit_of_work(app.state.session_factory) as session:
        session.get_one(ExchangePeer, "UZB").paused_until = None


def test_lost_receipts_and_outages_lose_nothing_and_apply_once(
    officer_client: TestClient,
    app: FastAPI,
    uzb: FastAPI,
    worker: Worker,
    line: Loopback,
) -> None:
    _register_uzbek_with_document(officer_client)
    line.down = True
    assert worker.run_once().failed == 1
    with app.state.session_factory() as session:
        peer = session.get(ExchangePeer, "UZB")
        assert peer is not None and peer.consecutive_failures == 1
        assert peer.paused_until is not None and peer.paused_until > utcnow()
    assert worker.run_once().peers == []  # paused: not even tried
    line.down = False
    _end_pause(app)
    line.cut_after_commit = 1  # UZB commits, KAZ never reads the receipt
    assert worker.run_once().failed == 1
    _end_pause(app)
    assert worker.drain(max_rounds=5).delivered == 1
    with uzb.state.session_factory() as session:
        assert len(session.scalars(select(ExchangeMessage)).all()) == 1
    assert [m.status for m in _outbox(app.state.session_factory)] == ["delivered"]


def test_refused_envelope_becomes_a_dead_letter_and_can_be_retried(
    officer_client: TestClient, app: FastAPI, worker: Worker, client_as: ClientFactory
) -> None:
    _register_uzbek_with_document(officer_client)
    with unit_of_work(app.state.session_factory) as session:
        message = session.scalars(select(OutboxMessage)).one()
        message.created_at = utcnow().replace(year=2020)  # outside the replay window
    result = worker.drain(max_rounds=3)
    assert result.rejected == 1
    with app.state.session_factory() as session:
        (letter,) = list_dead(session, NODE_ADMIN)
        assert letter.status == "rejected" and letter.last_error.startswith("too-old")
    admin = client_as(Role.ADMIN)
    (listed,) = admin.get("/api/v1/exchange/dead-letters", params={"peer": "UZB"}).json()
    assert listed["has_receipt"] and listed["status"] == "rejected"
    assert officer_client.get("/api/v1/exchange/dead-letters").status_code == 403
    retried = admin.post("/api/v1/exchange/dead-letters/retry", json={"ids": [listed["id"]]})
    assert retried.json() == {"queued": 1}
    assert [m.status for m in _outbox(app.state.session_factory)] == ["pending"]
    with unit_of_work(app.state.session_factory) as session:
        assert retry(session, NODE_ADMIN, peer="UZB") == 0


def test_consular_officer_finds_the_national_with_the_signed_envelope(
    officer_client: TestClient, uzb: FastAPI, worker: Worker, fed: tuple
) -> None:
    _, document_id = _register_uzbek_with_document(officer_client)
    worker.drain(max_rounds=3)
    with TestClient(uzb):
        consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
        page = consul.get("/api/v1/exchange/nationals-abroad", params={"q": "Раҳимов"}).json()
        (item,) = page["items"]
        assert item["document_id"] == document_id and item["host_state"] == "KAZ"
        detail = consul.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}").json()
        receipt = open_receipt(detail["receipt"], fed[2])
        assert receipt.envelope_sha256 == sha256_hex(detail["envelope"])
        assert (
            consul.get("/api/v1/exchange/nationals-abroad", params={"q": "NOBODY"}).json()["items"]
            == []
        )
        other = token_client(uzb, Role.CONSULAR_OFFICER, "TUR")
        assert other.get("/api/v1/exchange/nationals-abroad").json()["items"] == []
        assert other.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}").status_code == 404
        officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB")
        assert officer.get("/api/v1/exchange/nationals-abroad").status_code == 403


def _audited(node: FastAPI, action: str) -> list[AuditEntry]:
    with node.state.session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_peer_query_is_signed_answered_for_own_nationals_audited_and_rate_limited(
    officer_client: TestClient, app: FastAPI, uzb: FastAPI
) -> None:
    _, document_id = _register_uzbek_with_document(officer_client)
    app.state.settings = app.state.settings.model_copy(update={"exchange_query_rate_per_minute": 2})
    with TestClient(app) as kaz_client, TestClient(uzb):
        uzb.state.exchange_query_transport = Loopback({ENDPOINTS["KAZ"]: kaz_client})
        consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
        question = {
            "host_state": "KAZ",
            "travel_document_number": "FA1234567",
            "purpose": "consular assistance after the flood",
            "legal_basis": "Vienna Convention on Consular Relations, art. 5",
        }
        answer = consul.post("/api/v1/exchange/queries", json=question)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["found"] and [d["id"] for d in body["documents"]] == [document_id]
        with uzb.state.session_factory() as session:
            assert verify_message(session, uuid.UUID(body["request_id"])).proven
        unknown = consul.post(
            "/api/v1/exchange/queries", json={**question, "travel_document_number": "ZZ000000"}
        )
        assert unknown.json()["found"] is False
        limited = consul.post("/api/v1/exchange/queries", json=question)
        assert limited.status_code == 502 and "rate-limited" in limited.json()["detail"]
    asked = _audited(uzb, "peer_query.ask")
    answered = _audited(app, "peer_query.answer")
    assert len(asked) == 3 and asked[0].purpose == question["purpose"]
    assert len(answered) == 2 and answered[0].details["asking_state"] == "UZB"


def test_lanes_in_sql_match_lanes_in_python(app: FastAPI) -> None:
    subjects = [uuid.uuid4() for _ in range(64)]
    with unit_of_work(app.state.session_factory) as session:
        for subject in subjects:
            session.add(
                OutboxMessage(
                    type="measure.announced",
                    to_state="UZB",
                    subject_type="measure",
                    subject_id=subject,
                    body={},
                    status="pending",
                    attempts=0,
                )
            )
    with app.state.session_factory() as session:
        dialect = session.get_bind().dialect.name
        for lane in range(3):
            found = set(
                session.scalars(select(OutboxMessage.subject_id).where(in_lane(dialect, lane, 3)))
            )
            assert found == {s for s in subjects if lane_of(s, 3) == lane}


def test_a_measure_is_announced_to_every_peer_and_the_secretariat(
    app: FastAPI, uzb: FastAPI, worker: Worker
) -> None:
    measure = SimpleNamespace(
        id=uuid.uuid4(),
        reference="KAZ-2020-emergency",
        issuing_state="KAZ",
        legal_act="Decree of the President",
        legal_number="285",
        legal_date=dt.date(2020, 3, 15),
        period_start=dt.date(2020, 3, 16),
        period_end=dt.date(2020, 5, 15),
        title={"en": "State of emergency"},
        summary={"en": "Documents stay valid"},
        status="in_force",
    )
    with unit_of_work(app.state.session_factory) as session:
        assert announce_measure(session, measure, "KAZ") == 3
    assert worker.drain(max_rounds=3).delivered == 1  # UZB; OTS and TUR are not reachable here
    with uzb.state.session_factory() as session:
        received = session.scalars(select(ExchangeMessage)).one()
        assert received.type == "measure.announced" and received.subject_id == str(measure.id)
