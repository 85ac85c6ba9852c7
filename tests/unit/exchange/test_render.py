"""kervan/exchange/render.py: a body is rendered at send time from the register as it stands —
the person with their passport's number (before any other travel document), the documents
still there — and is None when nothing is left to report."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.exchange import outbox
from kervan.exchange.models import OutboxMessage
from kervan.exchange.render import render_bodies
from tests.unit.exchange.conftest import Node, registered


def _sent(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_stay_body_is_the_person_the_documents_and_the_event(
    node: Node, officer: Principal
) -> None:
    document = registered(
        node.session, officer, travel=(("identity_card", "ID111"), ("passport", "FA222"))
    )
    message = _sent(node.session)[0]
    body = render_bodies(node.session, [message])[message.id]
    assert body is not None
    assert body["person"]["id"] == str(document.person_id)
    assert body["person"]["travel_document_number"] == "FA222"  # the passport wins
    assert [d["id"] for d in body["documents"]] == [str(document.id)]
    assert body["documents"][0]["valid_until"] == document.valid_until.isoformat()
    assert body["event"]["kind"] == "issued" and body["event"]["measure_id"] is None


def test_without_a_passport_the_first_travel_document_is_named(
    node: Node, officer: Principal
) -> None:
    registered(node.session, officer, travel=(("identity_card", "ID111"),))
    message = _sent(node.session)[0]
    body = render_bodies(node.session, [message])[message.id]
    assert body is not None and body["person"]["travel_document_number"] == "ID111"


def test_a_message_whose_records_are_gone_has_nothing_to_send(session: Session) -> None:
    gone = SimpleNamespace(
        id=uuid.uuid4(),
        type="stay.revoked",
        body={"documents": [{"document_id": str(uuid.uuid4())}]},
        created_at=None,
    )
    assert render_bodies(session, [gone]) == {gone.id: None}


def test_other_messages_are_sent_with_the_body_they_were_written_with(session: Session) -> None:
    measure = outbox.add(session, "measure.announced", "UZB", ("measure", uuid.uuid4()), {"m": 1})
    waiver = SimpleNamespace(
        id=uuid.uuid4(),
        type="violation.waived",
        body={"violations": [{"violation_id": str(uuid.uuid4())}]},
        created_at=measure.created_at,
    )
    assert render_bodies(session, [measure, waiver]) == {measure.id: {"m": 1}, waiver.id: None}
