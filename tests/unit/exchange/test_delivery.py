"""kervan/exchange/delivery.py: the back-off, and what a delivery's outcome does to the outbox
and the peer — a receipt is believed only if the peer signed it over the exact bytes sent."""

from __future__ import annotations

import datetime as dt
import sys
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.exchange import delivery, outbox
from kervan.exchange.envelopes import sign_receipt
from kervan.exchange.models import ExchangePeer, OutboxMessage
from tests.unit.exchange.conftest import Node

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(autouse=True)
def _now_is_when_the_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """NOW is read when each test runs, not when the module was collected: the trust list's
    keys are made valid from a few minutes before the test, and a parallel run may collect
    this module long before it runs it."""
    monkeypatch.setattr(sys.modules[__name__], "NOW", dt.datetime.now(dt.UTC))


SETTINGS = Settings(state="KAZ", exchange_max_attempts=3)

jitters = st.floats(min_value=0, max_value=1)


@given(st.integers(min_value=0, max_value=60), jitters)
def test_the_pause_is_capped_and_jittered_from_half_to_all(failures: int, jitter: float) -> None:
    pause = delivery.backoff(failures, jitter).total_seconds()
    ceiling = min(delivery.BACKOFF_CAP_SECONDS, 2 ** max(failures - 1, 0))
    assert ceiling / 2 - 1e-9 <= pause <= ceiling + 1e-9


@given(st.integers(min_value=1, max_value=30), jitters)
def test_one_more_failure_never_shortens_the_pause(failures: int, jitter: float) -> None:
    assert delivery.backoff(failures + 1, jitter) >= delivery.backoff(failures, jitter)


def _pending(session: Session, to_state: str = "UZB") -> OutboxMessage:
    message = outbox.add(session, "stay.issued", to_state, ("person", uuid.uuid4()), {})
    if session.get(ExchangePeer, to_state) is None:
        session.add(ExchangePeer(state=to_state, consecutive_failures=0))
    session.flush()
    return message


def test_failures_count_until_the_message_is_dead_and_pause_the_peer(node: Node) -> None:
    message = _pending(node.session)
    for attempt in range(1, 4):
        delivery.record_failure(
            node.session, SETTINGS, "UZB", [message.id], "x" * 3000, NOW, jitter=0
        )
        assert message.attempts == attempt
    assert message.status == "dead" and len(message.last_error or "") == 2000
    peer = node.session.get_one(ExchangePeer, "UZB")
    assert peer.consecutive_failures == 3
    assert peer.paused_until == NOW + delivery.backoff(3, 0)


def _receipt(node: Node, signer: str, envelope: str, status: str = "accepted") -> str:
    reason = None if status != "rejected" else "schema"
    return sign_receipt(
        node.signers[signer],
        to_state="KAZ",
        envelope_compact=envelope,
        envelope_id=None,
        status=status,
        reason=reason,
        detail="bad body" if reason else "",
        now=NOW,
    )


def test_a_good_receipt_delivers_and_resets_the_peer(node: Node) -> None:
    message = _pending(node.session)
    node.session.get_one(ExchangePeer, "UZB").consecutive_failures = 4
    counts = delivery.record_receipts(
        node.session, SETTINGS, "UZB", [message.id], ["env"], [_receipt(node, "UZB", "env")], NOW, 0
    )
    node.session.refresh(message)
    assert counts == (1, 0, 0) and message.status == "delivered" and message.delivered_at == NOW
    peer = node.session.get_one(ExchangePeer, "UZB")
    assert (peer.consecutive_failures, peer.paused_until, peer.last_success_at) == (0, None, NOW)


def test_a_signed_refusal_makes_a_dead_letter_at_once(node: Node) -> None:
    message = _pending(node.session)
    receipt = _receipt(node, "UZB", "env", status="rejected")
    counts = delivery.record_receipts(
        node.session, SETTINGS, "UZB", [message.id], ["env"], [receipt], NOW, 0
    )
    assert counts == (0, 1, 0)
    assert message.status == "rejected" and message.last_error == "schema: bad body"
    assert message.attempts == 0  # not a failure to deliver: the peer answered


def test_a_receipt_from_another_state_or_for_other_bytes_is_a_failed_attempt(node: Node) -> None:
    first, second = _pending(node.session), _pending(node.session)
    receipts = [_receipt(node, "TUR", "env-1"), _receipt(node, "UZB", "other bytes")]
    counts = delivery.record_receipts(
        node.session, SETTINGS, "UZB", [first.id, second.id], ["env-1", "env-2"], receipts, NOW, 0
    )
    assert counts == (0, 0, 2)
    assert (first.status, first.attempts, second.status, second.attempts) == (
        "pending",
        1,
        "pending",
        1,
    )
    assert (first.last_error or "").startswith("bad receipt")
    peer = node.session.get_one(ExchangePeer, "UZB")
    assert peer.consecutive_failures == 1 and peer.paused_until is not None
