"""kervan/exchange/dead_letters.py: what is listed as dead, per peer; a retry makes exactly the
chosen dead letters pending again, and sets aside the envelopes refused for their key so that
the worker signs them anew (the refused envelope kept, as evidence)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden
from kervan.exchange import dead_letters, outbox
from kervan.exchange.models import ExchangeMessage, OutboxMessage, ReplacedEnvelope

ADMIN = Principal(user_id=None, username="admin", role=Role.ADMIN, state="KAZ")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
EARLIER = NOW - dt.timedelta(days=2)


def _message(session: Session, to: str, status: str, error: str = "") -> OutboxMessage:
    message = outbox.add(session, "stay.issued", to, ("person", uuid.uuid4()), {}, at=EARLIER)
    message.status, message.attempts, message.last_error = status, 5, error or None
    session.flush()
    return message


def _logged(session: Session, message: OutboxMessage, reason: str) -> None:
    session.add(
        ExchangeMessage(
            id=message.id,
            direction="out",
            type=message.type,
            from_state="KAZ",
            to_state=message.to_state,
            subject_type="person",
            subject_id=str(message.subject_id),
            created_at=EARLIER,
            envelope="old.envelope.sig",
            envelope_sha256="0" * 64,
            logged_at=EARLIER,
            receipt="the.receipt.sig",
            receipt_status="rejected",
            receipt_reason=reason,
        )
    )
    session.flush()


def test_dead_and_rejected_are_listed_per_peer_pending_and_delivered_are_not(
    session: Session,
) -> None:
    dead = _message(session, "UZB", "dead", "timeout")
    rejected = _message(session, "TUR", "rejected", "schema: bad")
    _logged(session, rejected, "schema")
    _message(session, "UZB", "pending")
    _message(session, "UZB", "delivered")
    listed = dead_letters.list_dead(session, ADMIN)
    assert {d.id for d in listed} == {dead.id, rejected.id}
    by_id = {d.id: d for d in listed}
    assert not by_id[dead.id].has_receipt and by_id[rejected.id].has_receipt
    assert by_id[dead.id].subject == f"person:{dead.subject_id}"
    assert [d.id for d in dead_letters.list_dead(session, ADMIN, peer="UZB")] == [dead.id]
    assert dead_letters.count_by_peer(session, ADMIN) == {"TUR": 1, "UZB": 1}


def test_a_retry_makes_only_the_chosen_dead_letters_pending_again(session: Session) -> None:
    chosen, other_peer, not_chosen = (_message(session, s, "dead") for s in ("UZB", "TUR", "UZB"))
    pending = _message(session, "UZB", "pending")
    assert dead_letters.retry(session, ADMIN, ids=[chosen.id, pending.id], now=NOW) == 1
    assert dead_letters.retry(session, ADMIN, peer="TUR", now=NOW) == 1
    session.expire_all()
    assert (chosen.status, chosen.attempts, chosen.next_attempt_at) == ("pending", 0, None)
    assert other_peer.status == "pending" and not_chosen.status == "dead"
    assert dead_letters.retry(session, ADMIN, ids=[chosen.id], now=NOW) == 0  # idempotent


def test_an_envelope_refused_for_its_key_is_set_aside_to_be_signed_again(session: Session) -> None:
    for_key = _message(session, "UZB", "rejected", "key-not-valid: expired")
    for_content = _message(session, "UZB", "rejected", "schema: bad")
    _logged(session, for_key, "key-not-valid")
    _logged(session, for_content, "schema")
    assert dead_letters.retry(session, ADMIN, now=NOW) == 2
    session.expire_all()
    kept = session.scalars(select(ReplacedEnvelope)).one()
    assert (kept.message_id, kept.envelope, kept.receipt_reason) == (
        for_key.id,
        "old.envelope.sig",
        "key-not-valid",
    )
    assert kept.replaced_at == NOW
    assert session.get(ExchangeMessage, for_key.id) is None  # the worker signs it again
    assert for_key.created_at == NOW  # dated now: the new key was not valid then
    assert session.get(ExchangeMessage, for_content.id) is not None  # resent as it was
    assert for_content.created_at == EARLIER


def test_reading_needs_the_exchange_and_retrying_its_management(
    session: Session, officer: Principal
) -> None:
    with pytest.raises(Forbidden):
        dead_letters.list_dead(session, officer)
    with pytest.raises(Forbidden):
        dead_letters.count_by_peer(session, officer)
    with pytest.raises(Forbidden):
        dead_letters.retry(session, officer)
