"""The transactional outbox: messages for other nodes, written in the same transaction as the
change they report, delivered later by the exchange worker (a later issue)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow


class OutboxMessage(IdMixin, Base):
    """One message to one state. ``id`` is a UUIDv7: it becomes the envelope id, by which the
    receiver de-duplicates."""

    __tablename__ = "outbox_messages"

    type: Mapped[str] = mapped_column(String(64))  # e.g. "stay.extended"
    to_state: Mapped[str] = mapped_column(String(3))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)

    __table_args__ = (
        # The worker takes pending messages oldest first, per destination.
        Index("ix_outbox_messages_status_to_state_id", "status", "to_state", "id"),
        Index("ix_outbox_messages_subject", "subject_type", "subject_id"),
    )
