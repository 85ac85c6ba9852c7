"""Dead letters: messages a peer refused (a signed reason) or that failed too often. Listed
for a person to look at, and sent again on request, never automatically."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.exchange.models import ExchangeMessage, OutboxMessage
from kervan.exchange.outbox import DEAD_STATUSES, OutboxStatus


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
) -> int:
    """Back to pending with a fresh attempt count. A message the peer refused keeps its signed
    envelope and is resent as is: fix the cause (a trust list, a peer's bug) first."""
    require(principal, Permission.EXCHANGE_MANAGE)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.status.in_(DEAD_STATUSES))
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(ids))
    if peer is not None:
        statement = statement.where(OutboxMessage.to_state == peer)
    result = session.execute(statement, execution_options={"preserve_rowcount": True})
    return int(cast("CursorResult[Any]", result).rowcount)
