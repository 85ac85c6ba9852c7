"""Recording the outcome of a delivery: receipts checked and kept, failures backed off.

A receipt is believed only if it is signed by the peer's key on the trust list and names the
exact bytes sent (their SHA-256); anything else counts as a failed attempt, not a delivery.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.exchange import trust_store
from kervan.exchange.envelopes import BadReceipt, open_receipt, sha256_hex
from kervan.exchange.models import ExchangeMessage, ExchangePeer, OutboxMessage

BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 300.0


def backoff(failures: int, jitter: float) -> dt.timedelta:
    """Exponential, capped, with jitter in [50 %, 100 %] so that the nodes a peer's outage
    stopped do not all come back in the same second."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(failures - 1, 0))
    return dt.timedelta(seconds=ceiling * (0.5 + jitter / 2))


def _messages(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OutboxMessage]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return {m.id: m for m in rows}


def _failed_attempt(message: OutboxMessage, settings: Settings, error: str) -> None:
    message.attempts += 1
    message.last_error = error[:2000]
    if message.attempts >= settings.exchange_max_attempts:
        message.status = "dead"


def _peer(session: Session, state: str) -> ExchangePeer:
    peer = session.get(ExchangePeer, state, with_for_update=True)
    assert peer is not None  # made when the batch was claimed
    return peer


def record_failure(
    session: Session,
    settings: Settings,
    peer_state: str,
    outbox_ids: Sequence[uuid.UUID],
    error: str,
    now: dt.datetime,
    jitter: float,
) -> int:
    for message in _messages(session, outbox_ids).values():
        _failed_attempt(message, settings, error)
    peer = _peer(session, peer_state)
    peer.consecutive_failures += 1
    peer.last_error = error[:2000]
    # The pause is per peer: one unreachable state must not slow the others down.
    peer.paused_until = now + backoff(peer.consecutive_failures, jitter)
    return len(outbox_ids)


def record_receipts(
    session: Session,
    settings: Settings,
    peer_state: str,
    outbox_ids: Sequence[uuid.UUID],
    envelopes: Sequence[str],
    receipts: Sequence[str],
    now: dt.datetime,
    jitter: float,
) -> tuple[int, int, int]:
    """Returns (delivered, rejected, failed)."""
    trust = trust_store.require_current(session)
    messages = _messages(session, outbox_ids)
    logged = {
        m.id: m
        for m in session.scalars(select(ExchangeMessage).where(ExchangeMessage.id.in_(outbox_ids)))
    }
    delivered = rejected = failed = 0
    for outbox_id, envelope, compact in zip(outbox_ids, envelopes, receipts, strict=True):
        message, log_row = messages[outbox_id], logged[outbox_id]
        try:
            receipt = open_receipt(compact, trust)
            if receipt.from_state != peer_state or receipt.envelope_sha256 != sha256_hex(envelope):
                raise BadReceipt(f"receipt from {receipt.from_state} names other bytes")
        except BadReceipt as exc:
            _failed_attempt(message, settings, f"bad receipt: {exc}")
            failed += 1
            continue
        log_row.receipt, log_row.receipted_at = compact, now
        log_row.receipt_status, log_row.receipt_reason = receipt.status, receipt.reason
        if receipt.status == "accepted":
            message.status, message.delivered_at, message.last_error = "delivered", now, None
            delivered += 1
        else:
            # The peer refused it for good (a signed reason): a dead letter for a person to see.
            message.status = "rejected"
            message.last_error = f"{receipt.reason}: {receipt.detail}"[:2000]
            rejected += 1
    peer = _peer(session, peer_state)
    if failed and not delivered:
        peer.consecutive_failures += 1
        peer.paused_until = now + backoff(peer.consecutive_failures, jitter)
    else:
        peer.consecutive_failures, peer.paused_until, peer.last_success_at = 0, None, now
    return delivered, rejected, failed
