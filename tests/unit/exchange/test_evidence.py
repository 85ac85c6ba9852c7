"""kervan/exchange/evidence.py: a stored envelope is proven only when its signature verifies
with a key of an accepted trust list, its signed id is the logged one, and the peer's signed
receipt names exactly its bytes; each check says what it found, as a code."""

from __future__ import annotations

import datetime as dt
import sys
import uuid

import pytest
from sqlalchemy import select

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.db.ids import uuid7
from kervan.errors import NotFound
from kervan.exchange import messages
from kervan.exchange.envelopes import envelope_payload, sign_envelope, sign_receipt
from kervan.exchange.evidence import read_evidence, verify_message
from kervan.exchange.models import ExchangeMessage
from tests.unit.exchange.conftest import Node
from tests.unit.exchange.support import stay_body

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(autouse=True)
def _now_is_when_the_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """NOW is read when each test runs, not when the module was collected: the trust list's
    keys are made valid from a few minutes before the test, and a parallel run may collect
    this module long before it runs it."""
    monkeypatch.setattr(sys.modules[__name__], "NOW", dt.datetime.now(dt.UTC))


ADMIN = Principal(user_id=None, username="admin", role=Role.ADMIN, state="KAZ")


def _log(node: Node, *, signer: str = "KAZ", claimed_id: uuid.UUID | None = None) -> uuid.UUID:
    """An envelope KAZ sent to UZB, logged under its id (``claimed_id``: what it signed)."""
    message_id = uuid7()
    payload = envelope_payload(
        id=claimed_id or message_id,
        type="stay.issued",
        from_state="KAZ",
        to_state="UZB",
        created_at=NOW,
        subject=("person", str(uuid.uuid4())),
        body=stay_body(),
    )
    envelope = sign_envelope(node.signers[signer], payload)
    node.session.add(
        ExchangeMessage(
            id=message_id,
            direction="out",
            type="stay.issued",
            from_state="KAZ",
            to_state="UZB",
            subject_type="person",
            subject_id=payload["subject"]["id"],
            created_at=NOW,
            envelope=envelope,
            envelope_sha256="",
        )
    )
    node.session.flush()
    return message_id


def _receipt(
    node: Node, message_id: uuid.UUID, *, over: str | None = None, status: str = "accepted"
) -> None:
    message = node.session.get_one(ExchangeMessage, message_id)
    message.receipt = sign_receipt(
        node.signers["UZB"],
        to_state="KAZ",
        envelope_compact=over or message.envelope,
        envelope_id=str(message_id),
        status=status,
        reason="schema" if status == "rejected" else None,
        now=NOW,
    )
    node.session.flush()


def _codes(node: Node, message_id: uuid.UUID) -> list[str]:
    return [c.code for c in verify_message(node.session, message_id).checks]


def test_an_envelope_with_its_receipt_is_proven(node: Node) -> None:
    message_id = _log(node)
    _receipt(node, message_id)
    evidence = verify_message(node.session, message_id)
    assert evidence.proven
    assert [c.code for c in evidence.checks] == [
        messages.PROOF_SIGNED_BY,
        messages.PROOF_SAME_ID,
        messages.PROOF_SIGNED_BY,
        messages.PROOF_RECEIPT_COVERS,
        messages.PROOF_RECEIPT_ACCEPTED,
    ]
    assert evidence.checks[0].params == {"kid": node.signers["KAZ"].kid, "version": 1}
    assert evidence.facts["receipt"]["from"] == "UZB"
    assert evidence.as_dict()["proven"] is True


def test_without_a_receipt_nothing_is_proven(node: Node) -> None:
    evidence = verify_message(node.session, _log(node))
    assert not evidence.proven and evidence.checks[-1].code == messages.PROOF_NO_RECEIPT


def test_a_receipt_for_other_bytes_or_a_refusal_proves_no_delivery(node: Node) -> None:
    other = _log(node)
    _receipt(node, other, over="some.other.bytes")
    assert messages.PROOF_RECEIPT_OTHER in _codes(node, other)
    refused = _log(node)
    _receipt(node, refused, status="rejected")
    evidence = verify_message(node.session, refused)
    assert not evidence.proven and evidence.checks[-1].code == messages.PROOF_RECEIPT_REJECTED


def test_an_envelope_signed_by_another_state_or_with_another_id_is_not_proven(node: Node) -> None:
    # UZB's key is on the list, but the envelope says it is from KAZ.
    assert _codes(node, _log(node, signer="UZB"))[0] == messages.PROOF_BAD_SIGNATURE
    assert messages.PROOF_OTHER_ID in _codes(node, _log(node, claimed_id=uuid.uuid4()))


def test_a_stored_envelope_that_is_not_a_jws_is_not_proven(node: Node) -> None:
    message_id = _log(node)
    node.session.get_one(ExchangeMessage, message_id).envelope = "not a jws"
    assert _codes(node, message_id)[:1] == [messages.PROOF_NOT_JWS]


def test_an_unknown_message_is_not_found_and_a_read_is_audited(node: Node) -> None:
    with pytest.raises(NotFound):
        verify_message(node.session, uuid.uuid4())
    message_id = _log(node)
    read_evidence(node.session, ADMIN, message_id)
    entry = node.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.record_id) == ("exchange.evidence.read", str(message_id))
