"""Recording the outcome of a delivery: receipts checked and kept, failures backed off.

A receipt is believed only if it is signed by the peer's key on the trust list and names the
exact bytes sent (their SHA-256); anything else counts as a failed attempt, not a delivery.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.exchange import trust_store
from kervan.exchange.envelopes import BadReceipt, open_receipt, sha256_hex
from kervan.exchange.models import ExchangeMessage, ExchangePeer, OutboxMessage
from kervan.exchange.outbox import OutboxStatus

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
        message.status = OutboxStatus.DEAD


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
    """Returns (delivered, rejected, failed). Receipts are checked one by one (a signature
    each); what they say is written for the whole batch in a few statements."""
    trust = trust_store.require_current(session)
    kept: list[dict[str, Any]] = []
    delivered_ids: list[uuid.UUID] = []
    refused: dict[uuid.UUID, str] = {}
    bad: dict[uuid.UUID, str] = {}
    for outbox_id, envelope, compact in zip(outbox_ids, envelopes, receipts, strict=True):
        try:
            receipt = open_receipt(compact, trust, now)
            if receipt.from_state != peer_state or receipt.envelope_sha256 != sha256_hex(envelope):
                raise BadReceipt(f"receipt from {receipt.from_state} names other bytes")
        except BadReceipt as exc:
            bad[outbox_id] = f"bad receipt: {exc}"
            continue
        kept.append(
            {
                "b_id": outbox_id,
                "b_receipt": compact,
                "b_status": receipt.status,
                "b_reason": receipt.reason,
            }
        )
        if receipt.status in ("accepted", "superseded"):
            delivered_ids.append(outbox_id)
        else:
            # The peer refused it for good (a signed reason): a dead letter for a person to see.
            refused[outbox_id] = f"{receipt.reason}: {receipt.detail}"[:2000]
    _keep_receipts(session, kept, now)
    if delivered_ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(delivered_ids))
            .values(status=OutboxStatus.DELIVERED, delivered_at=now, last_error=None),
            execution_options={"synchronize_session": False},
        )
    failing = {**refused, **bad}
    for message in _messages(session, list(failing)).values():
        if message.id in refused:
            message.status, message.last_error = OutboxStatus.REJECTED, refused[message.id]
        else:
            _failed_attempt(message, settings, bad[message.id])
    peer = _peer(session, peer_state)
    if bad and not delivered_ids:
        peer.consecutive_failures += 1
        peer.paused_until = now + backoff(peer.consecutive_failures, jitter)
    else:
        peer.consecutive_failures, peer.paused_until, peer.last_success_at = 0, None, now
    return len(delivered_ids), len(refused), len(bad)


def _keep_receipts(session: Session, rows: list[dict[str, Any]], now: dt.datetime) -> None:
    """Each receipt beside the envelope it answers, in one executemany."""
    if not rows:
        return
    table = cast(Table, ExchangeMessage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            receipt=bindparam("b_receipt"),
            receipt_status=bindparam("b_status"),
            receipt_reason=bindparam("b_reason"),
            receipted_at=now,
        )
    )
    session.connection().execute(statement, rows)
