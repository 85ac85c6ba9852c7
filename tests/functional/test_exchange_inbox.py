"""The inbox over HTTP, on both databases: signed receipts for everything, each envelope applied
once, refusals stored and signed, and the message log proving what arrived."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.exchange.envelopes import open_receipt
from kervan.exchange.models import (
    ExchangeMessage,
    ExchangeRejection,
    NationalAbroadDocument,
    SubjectHead,
)
from kervan.uow import unit_of_work
from tests.functional.conftest import ClientFactory
from tests.functional.exchange_support import (
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
)
from tests.unit.exchange.support import envelope, stay_body

INBOX = "/api/v1/exchange/inbox"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("UZB", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
    app = exchange_node(settings, fed[0])
    yield app
    app.state.engine.dispose()


@pytest.fixture
def peer(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=True) as client:
        yield client


def payload_of(compact: str) -> dict[str, Any]:
    part = compact.split(".")[1]
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_batch_is_applied_once_and_receipted(
    peer: TestClient, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    _, signers, trust_list = fed
    document_id, person_id = uuid.uuid4(), uuid.uuid4()
    first = envelope(
        signers["KAZ"],
        body=stay_body(document_id=document_id, person_id=person_id, valid_until="2027-01-31"),
    )
    second = envelope(
        signers["KAZ"],
        body=stay_body(document_id=document_id, person_id=person_id, valid_until="2027-06-30"),
    )
    response = peer.post(INBOX, json={"envelopes": [first, second]})
    assert response.status_code == 200, response.text
    receipts = [open_receipt(r, trust_list) for r in response.json()["receipts"]]
    # The first is not applied: the second, newer, states the same document in the same batch.
    assert [r.status for r in receipts] == ["superseded", "accepted"]
    assert {r.from_state for r in receipts} == {"UZB"}
    # Redelivered, duplicated and reordered: the same receipts, nothing applied again.
    again = peer.post(INBOX, json={"envelopes": [second, first, second]}).json()["receipts"]
    assert again == [receipts[1].compact, receipts[0].compact, receipts[1].compact]
    assert _count(app_sessions, ExchangeMessage) == 2
    with app_sessions() as session:
        view = session.get(NationalAbroadDocument, ("KAZ", document_id))
        assert view is not None and str(view.valid_until) == "2027-06-30"
        head = session.scalars(select(SubjectHead)).one()
        assert head.applied_count == 2


def test_late_older_envelope_does_not_roll_back(
    peer: TestClient, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    _, signers, trust_list = fed
    document_id, person_id = uuid.uuid4(), uuid.uuid4()
    older = envelope(
        signers["KAZ"],
        body=stay_body(document_id=document_id, person_id=person_id, valid_until="2027-01-31"),
    )
    newer = envelope(
        signers["KAZ"],
        body=stay_body(document_id=document_id, person_id=person_id, valid_until="2027-06-30"),
    )
    peer.post(INBOX, json={"envelopes": [newer]})
    receipt = peer.post(INBOX, json={"envelopes": [older]}).json()["receipts"][0]
    assert open_receipt(receipt, trust_list).status == "superseded"
    with app_sessions() as session:
        view = session.get(NationalAbroadDocument, ("KAZ", document_id))
        assert view is not None and str(view.valid_until) == "2027-06-30"


def test_refusals_are_signed_stored_and_do_not_block_the_real_id(
    peer: TestClient, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    _, signers, trust_list = fed
    good = envelope(signers["KAZ"])
    header, _, signature = good.split(".")
    changed = payload_of(good)
    changed["body"]["documents"][0]["valid_until"] = "2099-12-31"
    forged = f"{header}.{b64(changed)}.{signature}"
    elsewhere = envelope(signers["KAZ"], to="TUR", body=stay_body(nationality="TUR"))
    response = peer.post(INBOX, json={"envelopes": [forged, elsewhere, "garbage", good]})
    receipts = [open_receipt(r, trust_list) for r in response.json()["receipts"]]
    assert [(r.status, r.reason) for r in receipts] == [
        ("rejected", "bad-signature"),
        ("rejected", "wrong-destination"),
        ("rejected", "malformed"),
        ("accepted", None),
    ]
    assert _count(app_sessions, ExchangeRejection) == 3
    # The forged copy claimed the same id; the genuine one was still accepted.
    assert _count(app_sessions, ExchangeMessage) == 1


def test_same_id_other_content_is_refused(
    peer: TestClient, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    _, signers, trust_list = fed
    shared = uuid7()
    peer.post(INBOX, json={"envelopes": [envelope(signers["KAZ"], id=shared)]})
    reused = envelope(signers["KAZ"], id=shared, body=stay_body(valid_until="2030-01-01"))
    receipt = peer.post(INBOX, json={"envelopes": [reused]}).json()["receipts"][0]
    assert open_receipt(receipt, trust_list).reason == "id-reused"


def test_schemas_and_trust_list_are_published(peer: TestClient, fed: tuple) -> None:
    listed = peer.get("/api/v1/exchange/schemas").json()
    assert {"type": "stay.extended", "version": 1} in [
        {k: s[k] for k in ("type", "version")} for s in listed
    ]
    schema = peer.get("/api/v1/exchange/schemas/stay.extended/1")
    assert schema.status_code == 200 and schema.json()["title"] == "stay.extended body"
    assert peer.get("/api/v1/exchange/schemas/stay.extended/9").status_code == 404
    assert peer.get("/api/v1/exchange/trust-list").json() == fed[0]


def test_evidence_of_a_received_envelope(
    peer: TestClient, fed: tuple, client_as: ClientFactory
) -> None:
    _, signers, _ = fed
    compact = envelope(signers["KAZ"])
    peer.post(INBOX, json={"envelopes": [compact]})
    envelope_id = payload_of(compact)["id"]
    admin = client_as(Role.ADMIN, "UZB")
    found = admin.get(f"/api/v1/exchange/messages/{envelope_id}/evidence").json()
    assert found["proven"], found
    assert found["facts"]["envelope"]["from"] == "KAZ"
    assert found["facts"]["receipt"]["status"] == "accepted"
    officer = client_as(Role.MIGRATION_OFFICER, "UZB")
    assert officer.get(f"/api/v1/exchange/messages/{envelope_id}/evidence").status_code == 403


def test_an_envelope_logged_meanwhile_by_a_concurrent_delivery_is_not_applied_twice(
    app: FastAPI, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    """The race the fast path cannot see: between the look-up of logged ids and the write,
    another delivery logged one of them. Its row is kept and this batch does not own it."""
    from kervan.exchange.envelopes import open_envelope
    from kervan.exchange.inbox import Outcome, _log_new, receiver_context

    _, signers, _ = fed
    raced, mine = envelope(signers["KAZ"]), envelope(signers["KAZ"])
    with unit_of_work(app_sessions) as session:
        context = receiver_context(session, app.state.settings, utcnow())
        first, second = (open_envelope(c, context) for c in (raced, mine))
        theirs = Outcome("their-receipt", "accepted", None)
        assert _log_new(session, {first.id: first}, {first.id: theirs}, utcnow())
    with unit_of_work(app_sessions) as session:
        owned = _log_new(
            session,
            {first.id: first, second.id: second},
            dict.fromkeys((first.id, second.id), Outcome("my-receipt", "accepted", None)),
            utcnow(),
        )
    assert owned == {second.id}
    with app_sessions() as session:
        kept = session.get(ExchangeMessage, first.id)
        assert kept is not None and kept.receipt == "their-receipt"
    assert _count(app_sessions, ExchangeMessage) == 2


def test_no_receipt_leaves_for_an_envelope_that_was_not_committed(
    app: FastAPI, fed: tuple, app_sessions: sessionmaker[Session]
) -> None:
    """The inbox commits in the route, before the receipts are returned: if the commit fails,
    the sender gets an error and retries, never a receipt for something this node lost."""
    _, signers, _ = fed
    sent = envelope(
        signers["KAZ"], body=stay_body(document_id=uuid.uuid4(), person_id=uuid.uuid4())
    )

    def refuse(session: Session) -> None:
        if any(
            isinstance(o, ExchangeMessage) for o in session.new | set(session.identity_map.values())
        ):
            raise RuntimeError("the disk is full")

    event.listen(app_sessions, "before_commit", refuse)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.post(INBOX, json={"envelopes": [sent]})
    finally:
        event.remove(app_sessions, "before_commit", refuse)
    assert response.status_code == 500
    assert "receipts" not in response.text
    assert _count(app_sessions, ExchangeMessage) == 0
    with TestClient(app) as client:  # the sender's retry is then receipted and kept
        assert client.post(INBOX, json={"envelopes": [sent]}).status_code == 200
    assert _count(app_sessions, ExchangeMessage) == 1
