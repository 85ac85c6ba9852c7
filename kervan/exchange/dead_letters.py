"""Dead letters: messages a peer refused (a signed reason) or that failed too often. Listed
for a person to look at, and sent again on request, never automatically."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.db.ids import uuid7_sql
from kervan.exchange.models import ExchangeMessage, OutboxMessage, ReplacedEnvelope
from kervan.exchange.outbox import DEAD_STATUSES, OutboxStatus

# Refusals of the key an envelope was signed with, not of what it says: retried, the message
# is signed again with the key in force (same id, a new envelope).
RESIGNED_REASONS = ("key-not-valid", "unknown-key")


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: uuid.UUID
    type: str
    to_state: str
    status: str
    attempts: int
    last_error: str
    subject: str
    has_receipt: bool


def list_dead(
    session: Session, principal: Principal, peer: str | None = None, limit: int = 100
) -> list[DeadLetter]:
    require(principal, Permission.EXCHANGE_READ)
    query = (
        select(OutboxMessage, ExchangeMessage.receipt)
        .outerjoin(ExchangeMessage, ExchangeMessage.id == OutboxMessage.id)
        .where(OutboxMessage.status.in_(DEAD_STATUSES))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if peer:
        query = query.where(OutboxMessage.to_state == peer)
    return [
        DeadLetter(
            id=m.id,
            type=m.type,
            to_state=m.to_state,
            status=m.status,
            attempts=m.attempts,
            last_error=m.last_error or "",
            subject=f"{m.subject_type}:{m.subject_id}",
            has_receipt=receipt is not None,
        )
        for m, receipt in session.execute(query)
    ]


def count_by_peer(session: Session, principal: Principal) -> dict[str, int]:
    """How many dead letters each peer has, for a page that lists them peer by peer."""
    require(principal, Permission.EXCHANGE_READ)
    query = (
        select(OutboxMessage.to_state, func.count())
        .where(OutboxMessage.status.in_(DEAD_STATUSES))
        .group_by(OutboxMessage.to_state)
        .order_by(OutboxMessage.to_state)
    )
    return {state: int(count) for state, count in session.execute(query)}


def retry(
    session: Session,
    principal: Principal,
    ids: list[uuid.UUID] | None = None,
    peer: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Back to pending with a fresh attempt count. A message the peer refused for what it says
    keeps its signed envelope and is resent as is: fix the cause (a trust list, a peer's bug)
    first. One refused for its key (``RESIGNED_REASONS``: the key was revoked, expired or not
    yet listed) is signed again with the key in force when the worker sends it — same id, a
    new envelope dated now — and the refused envelope is kept with its receipt as evidence."""
    require(principal, Permission.EXCHANGE_MANAGE)
    now = now or utcnow()
    chosen: list[Any] = [OutboxMessage.status.in_(DEAD_STATUSES)]
    if ids is not None:
        chosen.append(OutboxMessage.id.in_(ids))
    if peer is not None:
        chosen.append(OutboxMessage.to_state == peer)
    _set_aside_for_resigning(session, chosen, now)
    statement = (
        update(OutboxMessage)
        .where(*chosen)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement, execution_options={"preserve_rowcount": True})
    return int(cast("CursorResult[Any]", result).rowcount)


def _set_aside_for_resigning(session: Session, chosen: list[Any], now: dt.datetime) -> None:
    """Move the logged envelopes refused for their key to ``exchange_replaced_envelopes`` (the
    worker signs what is not logged), and date their messages now: the new key was not valid
    when the old envelope was made."""
    refused_for_key = (
        select(ExchangeMessage.id)
        .join(OutboxMessage, OutboxMessage.id == ExchangeMessage.id)
        .where(
            *chosen,
            OutboxMessage.status == OutboxStatus.REJECTED,
            ExchangeMessage.direction == "out",
            ExchangeMessage.receipt_reason.in_(RESIGNED_REASONS),
        )
    )
    moved = list(session.scalars(refused_for_key))
    if not moved:
        return
    message = ExchangeMessage.__table__.c
    dialect = session.get_bind().dialect
    session.execute(
        insert(ReplacedEnvelope).from_select(
            [
                "id",
                "message_id",
                "envelope",
                "envelope_sha256",
                "logged_at",
                "receipt",
                "receipt_status",
                "receipt_reason",
                "replaced_at",
            ],
            select(
                uuid7_sql(dialect),
                message.id,
                message.envelope,
                message.envelope_sha256,
                message.logged_at,
                message.receipt,
                message.receipt_status,
                message.receipt_reason,
                literal(now, ReplacedEnvelope.__table__.c.replaced_at.type),
            ).where(message.id.in_(moved)),
        )
    )
    session.execute(delete(ExchangeMessage).where(ExchangeMessage.id.in_(moved)))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(moved))
        .values(created_at=now)
        .execution_options(synchronize_session=False)
    )
