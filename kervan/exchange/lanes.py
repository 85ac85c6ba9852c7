"""Lanes: a peer's messages split by subject, so several workers can deliver to one peer at
once while each subject's messages still go one after another.

A subject's lane is the last hex digit of its id (random in a UUIDv7 or v4) modulo the number
of lanes — computable in SQL on both databases, so rows written by anyone (the measures' own
``INSERT … SELECT`` included) need no extra column.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, String, cast, func

from kervan.exchange.models import OutboxMessage

HEX = "0123456789abcdef"


def lane_of(subject_id: uuid.UUID, lanes: int) -> int:
    return int(subject_id.hex[-1], 16) % lanes


def in_lane(dialect: str, lane: int, lanes: int) -> ColumnElement[bool]:
    digits = [d for i, d in enumerate(HEX) if i % lanes == lane]
    if dialect == "sqlite":
        # SQLAlchemy keeps a UUID on SQLite as 32 hex digits.
        last = func.lower(func.substr(OutboxMessage.subject_id, 32, 1))
    else:
        last = func.right(cast(OutboxMessage.subject_id, String), 1)
    return last.in_(digits)
