"""kervan/exchange/outbox.py: every way of writing a message leaves it pending with no attempt
made, in the caller's transaction; the set-based insert counts what it wrote."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from kervan.db.base import UTCDateTime
from kervan.exchange import outbox
from kervan.exchange.models import OutboxMessage
from kervan.exchange.outbox import OutboxStatus

AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_a_row_is_pending_with_no_attempt_and_a_fresh_id() -> None:
    subject = uuid.uuid4()
    first = outbox.row("stay.issued", "UZB", ("person", subject), {"a": 1}, at=AT)
    second = outbox.row("stay.issued", "UZB", ("person", subject), {"a": 1}, at=AT)
    assert first["status"] == "pending" and first["attempts"] == 0
    assert (first["subject_type"], first["subject_id"], first["created_at"]) == (
        "person",
        subject,
        AT,
    )
    assert first["id"] != second["id"]


def test_a_row_keeps_the_id_it_is_given() -> None:
    given = uuid.uuid4()
    assert outbox.row("x", "UZB", ("person", given), {}, message_id=given)["id"] == given


def test_the_dead_statuses_are_the_two_a_person_must_look_at() -> None:
    assert set(outbox.DEAD_STATUSES) == {OutboxStatus.DEAD, OutboxStatus.REJECTED}
    assert OutboxStatus.PENDING not in outbox.DEAD_STATUSES


def test_add_writes_in_the_callers_transaction(session: Session) -> None:
    message = outbox.add(session, "stay.revoked", "UZB", ("person", uuid.uuid4()), {}, at=AT)
    session.flush()
    stored = session.get_one(OutboxMessage, message.id)
    assert (stored.status, stored.attempts, stored.created_at) == ("pending", 0, AT)
    session.rollback()  # the change it reported did not happen: neither does the message
    assert session.scalars(select(OutboxMessage)).all() == []


def test_add_rows_writes_every_row(session: Session) -> None:
    rows = [outbox.row("stay.issued", "TUR", ("person", uuid.uuid4()), {"n": n}) for n in range(3)]
    outbox.add_rows(session.connection(), rows)
    stored = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted(m.body["n"] for m in stored) == [0, 1, 2]
    assert {m.status for m in stored} == {"pending"}


def test_insert_from_select_counts_what_it_wrote_and_makes_it_pending(session: Session) -> None:
    seed = [outbox.row("stay.issued", "UZB", ("person", uuid.uuid4()), {}) for _ in range(2)]
    outbox.add_rows(session.connection(), seed)
    copies = select(
        literal(uuid.uuid4()).label("id"),  # one id: only one of the two may be copied
        literal("measure.announced"),
        OutboxMessage.to_state,
        OutboxMessage.subject_type,
        OutboxMessage.subject_id,
        OutboxMessage.body,
        literal(AT, UTCDateTime()),
    ).where(OutboxMessage.id == seed[0]["id"])
    assert outbox.insert_from_select(session.connection(), copies) == 1
    copied = session.scalars(
        select(OutboxMessage).where(OutboxMessage.type == "measure.announced")
    ).one()
    assert (copied.status, copied.attempts, copied.created_at) == ("pending", 0, AT)
    assert copied.subject_id == seed[0]["subject_id"]


def test_insert_from_select_of_nothing_writes_nothing(session: Session) -> None:
    nothing = select(*(getattr(OutboxMessage, c) for c in outbox.SELECTED_COLUMNS)).where(
        OutboxMessage.to_state == "NONE"
    )
    assert outbox.insert_from_select(session.connection(), nothing) == 0
