"""Receiving a batch of envelopes: verify each, apply each at most once, answer each with a
signed receipt.

Each envelope is applied under its own savepoint, so one that fails leaves the others alone, and
the batch commits once before any receipt leaves the node: a receipt therefore always describes
something committed. If the commit fails the sender gets no receipts and sends the batch again,
which the de-duplication by envelope id makes harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.db.base import utcnow
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
    ids = [e.id for e in opened if isinstance(e, Envelope)]
    # One query for the whole batch: most of a redelivered batch is already here.
    seen = (
        {
            m.id: m
            for m in session.scalars(select(ExchangeMessage).where(ExchangeMessage.id.in_(ids)))
        }
        if ids
        else {}
    )
    outcomes = []
    for compact, item in zip(envelopes, opened, strict=True):
        if isinstance(item, Rejected):
            outcomes.append(reject(session, signing, compact, item, now))
        elif item.id in seen:
            outcomes.append(_duplicate(session, signing, seen[item.id], item, now))
        else:
            outcome = _accept(session, signing, item, now)
            outcomes.append(outcome)
            message = session.get(ExchangeMessage, item.id)
            if message is not None:
                seen[item.id] = message  # the same id twice in one batch
    return outcomes


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
        # The same id with other bytes: a sender's bug or a replay attempt, never applied.
        reused = Rejected("id-reused", f"envelope id {envelope.id} was received with other content")
        reused.claimed_id, reused.claimed_from = str(envelope.id), envelope.from_state
        return reject(session, signing, envelope.compact, reused, now)
    assert message.receipt is not None and message.receipt_status is not None
    return Outcome(message.receipt, message.receipt_status, message.receipt_reason)


def _accept(session: Session, signing: SigningKey, envelope: Envelope, now: dt.datetime) -> Outcome:
    receipt = sign_receipt(
        signing,
        to_state=envelope.from_state,
        envelope_compact=envelope.compact,
        envelope_id=str(envelope.id),
        status="accepted",
        now=now,
    )
    message = ExchangeMessage(
        id=envelope.id,
        direction="in",
        type=envelope.type,
        from_state=envelope.from_state,
        to_state=envelope.to_state,
        subject_type=envelope.subject_type,
        subject_id=envelope.subject_id,
        created_at=envelope.created_at,
        envelope=envelope.compact,
        envelope_sha256=envelope.sha256,
        logged_at=now,
        receipt=receipt,
        receipt_status="accepted",
        receipted_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
            apply.apply_envelope(session, envelope, now)
    except IntegrityError:
        # Another worker's delivery of the same envelope committed first: answer as it did.
        existing = session.get(ExchangeMessage, envelope.id, populate_existing=True)
        if existing is None:
            raise
        return _duplicate(session, signing, existing, envelope, now)
    return Outcome(receipt, "accepted", None)
