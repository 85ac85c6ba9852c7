"""The transactional outbox, the one way to write a message for another node: a row at a time
(``add``), a chunk of prepared rows (``add_rows``), or set-based (``insert_from_select``: one
``INSERT … SELECT`` for a whole register pass). Written in the caller's transaction, so the
message leaves only if the change it reports is committed; the worker fills in the rest."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Select, insert, literal
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.db.bulk import bulk_insert
from kervan.db.ids import uuid7
from kervan.exchange.models import OutboxMessage


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the worker
    DELIVERED = "delivered"  # the peer's signed receipt accepted it
    DEAD = "dead"  # failed too often (or what it reports is gone): a dead letter
    REJECTED = "rejected"  # the peer refused it: a dead letter


DEAD_STATUSES = (OutboxStatus.DEAD, OutboxStatus.REJECTED)


def row(
    message_type: str,
    to_state: str,
    subject: tuple[str, uuid.UUID],
    body: dict[str, Any],
    *,
    at: dt.datetime | None = None,
    message_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """One pending message as column values (``subject``: its type and id)."""
    return {
        "id": message_id or uuid7(),
        "type": message_type,
        "to_state": to_state,
        "subject_type": subject[0],
        "subject_id": subject[1],
        "body": body,
        "created_at": at or utcnow(),
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
    }


def add(
    session: Session,
    message_type: str,
    to_state: str,
    subject: tuple[str, uuid.UUID],
    body: dict[str, Any],
    *,
    at: dt.datetime | None = None,
) -> OutboxMessage:
    message = OutboxMessage(**row(message_type, to_state, subject, body, at=at))
    session.add(message)
    return message


def add_rows(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Rows made by ``row``, in one bulk insert (COPY on PostgreSQL)."""
    bulk_insert(connection, OutboxMessage.__table__, list(rows))  # type: ignore[arg-type]


# What a set-based caller selects, in this order; status and attempts are added here.
SELECTED_COLUMNS: Sequence[str] = (
    "id",
    "type",
    "to_state",
    "subject_type",
    "subject_id",
    "body",
    "created_at",
)


def insert_from_select(connection: Connection, rows: Select[*tuple[Any, ...]]) -> int:
    """``INSERT INTO outbox_messages … SELECT``: ``rows`` selects ``SELECTED_COLUMNS``; every
    message is pending. Returns how many were written."""
    pending = rows.add_columns(literal(OutboxStatus.PENDING.value), literal(0))
    statement = insert(OutboxMessage).from_select(
        [*SELECTED_COLUMNS, "status", "attempts"], pending
    )
    # SQLAlchemy reports -1 for INSERT … SELECT on psycopg unless asked to keep the count.
    result = connection.execute(statement, execution_options={"preserve_rowcount": True})
    return int(result.rowcount)
