"""Receiving a batch of envelopes: verify each, apply each at most once, answer each with a
signed receipt.

Every check that can refuse an envelope runs before anything is written, so applying is left with
infrastructure failures only. The accepted envelopes of a batch are then logged and applied in
set-based statements (a handful per batch, not per envelope: the difference between 100 and
thousands of envelopes per second), and the batch commits once before any receipt leaves the
node — a receipt always describes something committed. If the commit fails the sender gets no
receipts and sends the batch again, which the de-duplication by envelope id makes harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import psycopg
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.bulk import bulk_insert
from kervan.exchange import apply, trust_store
from kervan.exchange.envelopes import (
    Envelope,
    ReceiverContext,
    Rejected,
    open_envelope,
    sign_receipt,
)
from kervan.exchange.keys import SigningKey
from kervan.exchange.models import ExchangeMessage, ExchangeRejection

log = logging.getLogger("kervan.exchange.inbox")

MAX_BATCH = 1000

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class Outcome:
    receipt: str
    status: str
    reason: str | None


def receiver_context(session: Session, settings: Settings, now: dt.datetime) -> ReceiverContext:
    return ReceiverContext(
        me=settings.state,
        trust=trust_store.require_current(session),
        now=now,
        replay_window=dt.timedelta(hours=settings.exchange_replay_window_hours),
        clock_skew=dt.timedelta(seconds=settings.exchange_clock_skew_seconds),
    )


def receive_batch(
    session: Session,
    settings: Settings,
    signing: SigningKey,
    envelopes: list[str],
    clock: Clock = utcnow,
) -> list[Outcome]:
    now = clock()
    ctx = receiver_context(session, settings, now)
    opened: list[Envelope | Rejected] = []
    for compact in envelopes:
        try:
            opened.append(open_envelope(compact, ctx))
        except Rejected as rejected:
            opened.append(rejected)
    valid = [e for e in opened if isinstance(e, Envelope)]
    seen = _already_logged(session, [e.id for e in valid])
    fresh: dict[uuid.UUID, Envelope] = {}
    for envelope in valid:
        if envelope.id not in seen:
            fresh.setdefault(envelope.id, envelope)
    receipts = {
        i: sign_receipt(
            signing,
            to_state=e.from_state,
            envelope_compact=e.compact,
            envelope_id=str(i),
            status="accepted",
            now=now,
        )
        for i, e in fresh.items()
    }
    inserted = _log_new(session, fresh, receipts, now)
    # Lost a race with a concurrent delivery of the same envelope: answer as that one did.
    seen.update(_already_logged(session, [i for i in fresh if i not in inserted]))
    apply.apply_batch(session, sorted((fresh[i] for i in inserted), key=lambda e: e.id), now)
    outcomes = []
    for compact, item in zip(envelopes, opened, strict=True):
        if isinstance(item, Rejected):
            outcomes.append(reject(session, signing, compact, item, now))
        elif item.id in inserted and item.compact == fresh[item.id].compact:
            outcomes.append(Outcome(receipts[item.id], "accepted", None))
        elif item.id in seen:
            outcomes.append(_duplicate(session, signing, seen[item.id], item, now))
        else:  # the same id twice in this batch, with other bytes the second time
            outcomes.append(_reused(session, signing, item, now))
    return outcomes


def _already_logged(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, ExchangeMessage]:
    if not ids:
        return {}
    query = select(ExchangeMessage).where(ExchangeMessage.id.in_(ids))
    return {m.id: m for m in session.scalars(query.execution_options(populate_existing=True))}


def _log_new(
    session: Session,
    fresh: dict[uuid.UUID, Envelope],
    receipts: dict[uuid.UUID, str],
    now: dt.datetime,
) -> set[uuid.UUID]:
    """Insert the log rows, skipping ids another transaction logged meanwhile; returns the ids
    this batch owns (and so applies)."""
    if not fresh:
        return set()
    rows = [
        {
            "id": e.id,
            "direction": "in",
            "type": e.type,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "subject_type": e.subject_type,
            "subject_id": e.subject_id,
            "created_at": e.created_at,
            "envelope": e.compact,
            "envelope_sha256": e.sha256,
            "logged_at": now,
            "receipt": receipts[e.id],
            "receipt_status": "accepted",
            "receipt_reason": None,
            "receipted_at": now,
        }
        for e in fresh.values()
    ]
    table = cast(Table, ExchangeMessage.__table__)
    try:
        # The fast path (COPY on PostgreSQL): these ids were not logged a moment ago, and
        # only a concurrent delivery of the same envelopes can have logged them since.
        with session.begin_nested():
            bulk_insert(session.connection(), table, rows)
        return set(fresh)
    except (IntegrityError, psycopg.IntegrityError):
        pass  # COPY raises the driver's own error, not SQLAlchemy's
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    return set(session.execute(statement, rows).scalars())


def reject(
    session: Session, signing: SigningKey, compact: str, rejected: Rejected, now: dt.datetime
) -> Outcome:
    to_state = rejected.claimed_from or "XXX"
    receipt = sign_receipt(
        signing,
        to_state=to_state if len(to_state) == 3 and to_state.isalpha() else "XXX",
        envelope_compact=compact,
        envelope_id=rejected.claimed_id,
        status="rejected",
        reason=rejected.code,
        detail=rejected.detail,
        now=now,
    )
    session.add(
        ExchangeRejection(
            claimed_id=rejected.claimed_id,
            claimed_from=(rejected.claimed_from or "")[:3] or None,
            reason=f"{rejected.code}: {rejected.detail}",
            envelope=compact[:200_000],
            receipt=receipt,
            at=now,
        )
    )
    log.warning(
        "envelope rejected: %s (claimed id %s from %s)",
        rejected,
        rejected.claimed_id,
        rejected.claimed_from,
    )
    return Outcome(receipt, "rejected", rejected.code)


def _duplicate(
    session: Session,
    signing: SigningKey,
    message: ExchangeMessage,
    envelope: Envelope,
    now: dt.datetime,
) -> Outcome:
    """The receipt already given: a retry learns the same answer and nothing is applied."""
    if message.direction != "in" or message.envelope_sha256 != envelope.sha256:
        return _reused(session, signing, envelope, now)
    assert message.receipt is not None and message.receipt_status is not None
    return Outcome(message.receipt, message.receipt_status, message.receipt_reason)


def _reused(session: Session, signing: SigningKey, envelope: Envelope, now: dt.datetime) -> Outcome:
    """The same id with other bytes: a sender's bug or a replay attempt, never applied."""
    claimed = {"id": str(envelope.id), "from": envelope.from_state}
    reused = Rejected("id-reused", f"envelope id {envelope.id} came with other content", claimed)
    return reject(session, signing, envelope.compact, reused, now)
