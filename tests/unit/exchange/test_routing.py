"""kervan/exchange/routing.py: a person's events go to the state of their nationality only, if
it has a node on the trust list — never to the host state itself, nothing personal to the
secretariat; a measure is announced to every other node, by its issuing state only."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.exchange import routing
from kervan.exchange.models import OutboxMessage
from kervan.registry import service
from tests.unit.exchange.conftest import Node, registered


def _outbox(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_without_a_trust_list_nothing_leaves(session: Session, officer: Principal) -> None:
    assert routing.home_states(session) == frozenset()
    registered(session, officer, "UZB")
    assert _outbox(session) == []


def test_the_home_states_are_the_listed_members_without_the_secretariat(node: Node) -> None:
    assert routing.home_states(node.session) == {"KAZ", "UZB", "TUR"}


def test_an_event_goes_to_the_nationals_state_only(node: Node, officer: Principal) -> None:
    document = registered(node.session, officer, "UZB")
    service.extend_document(
        node.session,
        officer,
        document.id,
        dt.date(2027, 6, 30),
        "contract extended",
    )
    node.session.flush()
    sent = _outbox(node.session)
    assert [m.type for m in sent] == ["stay.issued", "stay.extended"]
    assert {m.to_state for m in sent} == {"UZB"}
    assert sent[1].body == {
        "documents": [{"document_id": str(document.id)}],
        "event_kind": "extended",
    }
    assert {(m.subject_type, m.subject_id) for m in sent} == {("person", document.person_id)}


def test_a_state_without_a_node_and_the_host_itself_are_told_nothing(
    node: Node, officer: Principal
) -> None:
    registered(node.session, officer, "KGZ")  # not on the trust list
    registered(node.session, officer, "KAZ")  # a citizen of the host state
    assert _outbox(node.session) == []


def test_an_import_writes_one_message_per_document_with_the_ids_as_text(
    node: Node, officer: Principal
) -> None:
    documents = [registered(node.session, officer, s) for s in ("UZB", "TUR", "KGZ", "KAZ")]
    node.session.execute(OutboxMessage.__table__.delete())
    routing.documents_bulk_changed(node.session, [d.id for d in documents])
    sent = _outbox(node.session)
    assert sorted(m.to_state for m in sent) == ["TUR", "UZB"]
    for message in sent:
        document = next(d for d in documents if d.nationality == message.to_state)
        # The database made the body: the id must read as Python writes it, on SQLite too.
        assert message.body == {
            "documents": [{"document_id": str(document.id)}],
            "event_kind": "issued",
        }
        assert (message.type, message.subject_id, message.status) == (
            "stay.issued",
            document.person_id,
            "pending",
        )
    assert len({m.id for m in sent}) == 2
    routing.documents_bulk_changed(node.session, [])  # nothing imported: nothing written
    assert len(_outbox(node.session)) == 2


def _measure(issuing_state: str) -> SimpleNamespace:
    return SimpleNamespace(
        id=uuid.uuid4(),
        reference="KAZ-2026-7",
        issuing_state=issuing_state,
        legal_act="decree",
        legal_number="7",
        legal_date=dt.date(2026, 11, 1),
        period_start=dt.date(2026, 12, 1),
        period_end=dt.date(2027, 3, 1),
        title={"en": "Winter"},
        summary={},
        status="in_force",
    )


def test_a_measure_is_announced_to_every_other_node_by_its_issuer_only(node: Node) -> None:
    assert routing.announce_measure(node.session, _measure("UZB"), "KAZ") == 0
    measure = _measure("KAZ")
    assert routing.announce_measure(node.session, measure, "KAZ") == 3
    sent = _outbox(node.session)
    assert sorted(m.to_state for m in sent) == ["OTS", "TUR", "UZB"]  # the secretariat too
    body = sent[0].body["measure"]
    assert body["period_end"] == "2027-03-01" and body["legal_act_texts"] == {}
    assert {m.subject_id for m in sent} == {measure.id}
