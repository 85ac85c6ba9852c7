"""Receiving a batch of envelopes: verify each, apply each at most once, answer each with a
signed receipt.

Every check that can refuse an envelope runs before anything is written, so applying is left with
infrastructure failures only. The accepted envelopes of a batch are then logged and applied in
set-based statements (a handful per batch, not per envelope: the difference between 100 and
thousands of envelopes per second), and the batch commits once before any receipt leaves the
node — a receipt always describes something committed. If the commit fails the sender gets no
receipts and sends the batch again, which the de-duplication by envelope id makes harmless.

Whatever arrives is bounded: an envelope over ``exchange_max_envelope_bytes`` is refused unread,
one envelope that cannot be read is refused alone (its batch goes on), and of a refused envelope
the node keeps a digest (hash, size, first bytes), never the whole of it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import psycopg
from sqlalchemy import Table, func, select
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
    sha256_hex,
    sign_receipt,
)
from kervan.exchange.keys import SigningKey
from kervan.exchange.message_types import MESSAGE_TYPES
from kervan.exchange.models import ExchangeMessage, ExchangeRejection

log = logging.getLogger("kervan.exchange.inbox")

KEPT_HEAD = 256  # characters of a refused envelope kept beside its hash and size
# The receipt's ``to`` when the envelope did not authenticate: its claimed sender is not a fact.
UNKNOWN_STATE = "XXX"

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


def open_checked(compact: str, ctx: ReceiverContext, max_bytes: int) -> Envelope | Rejected:
    """One envelope checked on its own: whatever is wrong with it is its refusal alone."""
    if len(compact) > max_bytes:  # characters: anything but ASCII is malformed anyway
        return Rejected("too-large", f"an envelope is at most {max_bytes} bytes")
    try:
        envelope = open_envelope(compact, ctx)
    except Rejected as rejected:
        return rejected
    except Exception:  # a check that broke must refuse this envelope, not fail the batch
        log.exception("envelope %s could not be checked", sha256_hex(compact)[:16])
        return Rejected("malformed", "the envelope could not be checked")
    return envelope


def _for_the_inbox(opened: Envelope | Rejected) -> Envelope | Rejected:
    if isinstance(opened, Envelope) and not MESSAGE_TYPES[opened.type].via_inbox:
        claimed = {"id": str(opened.id), "from": opened.from_state}
        return Rejected("wrong-endpoint", f"{opened.type} is sent to the query endpoint", claimed)
    return opened


def receive_batch(
    session: Session,
    settings: Settings,
    signing: SigningKey,
    envelopes: list[str],
    clock: Clock = utcnow,
    source: str | None = None,
) -> list[Outcome]:
    now = clock()
    ctx = receiver_context(session, settings, now)
    limit = settings.exchange_max_envelope_bytes
    opened = [_for_the_inbox(open_checked(compact, ctx, limit)) for compact in envelopes]
    valid = [e for e in opened if isinstance(e, Envelope)]
    seen = _already_logged(session, [e.id for e in valid])
    fresh: dict[uuid.UUID, Envelope] = {}
    for envelope in valid:
        if envelope.id not in seen:
            fresh.setdefault(envelope.id, envelope)
    not_applied = apply.superseded(session, list(fresh.values()))
    receipts = {
        i: _receipt(signing, e, "superseded" if i in not_applied else "accepted", now)
        for i, e in fresh.items()
    }
    inserted = _log_new(session, fresh, receipts, now)
    # Lost a race with a concurrent delivery of the same envelope: answer as that one did.
    seen.update(_already_logged(session, [i for i in fresh if i not in inserted]))
    apply.apply_batch(session, sorted((fresh[i] for i in inserted), key=lambda e: e.id), now)
    outcomes = []
    for compact, item in zip(envelopes, opened, strict=True):
        if isinstance(item, Rejected):
            outcomes.append(reject(session, signing, compact, item, now, source))
        elif item.id in inserted and item.compact == fresh[item.id].compact:
            outcomes.append(receipts[item.id])
        elif item.id in seen:
            outcomes.append(_duplicate(session, signing, seen[item.id], item, now, source))
        else:  # the same id twice in this batch, with other bytes the second time
            outcomes.append(_reused(session, signing, item, now, source))
    return outcomes


def _receipt(signing: SigningKey, envelope: Envelope, status: str, now: dt.datetime) -> Outcome:
    receipt = sign_receipt(
        signing,
        to_state=envelope.from_state,
        envelope_compact=envelope.compact,
        envelope_sha256=envelope.sha256,
        envelope_id=str(envelope.id),
        status=status,
        now=now,
    )
    return Outcome(receipt, status, None)


def refusals_from(session: Session, source: str, since: dt.datetime) -> int:
    """How many envelopes this node refused from ``source`` (a client address) since then."""
    query = (
        select(func.count())
        .select_from(ExchangeRejection)
        .where(ExchangeRejection.source == source, ExchangeRejection.at > since)
    )
    return session.scalar(query) or 0


def _already_logged(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, ExchangeMessage]:
    if not ids:
        return {}
    query = select(ExchangeMessage).where(ExchangeMessage.id.in_(ids))
    return {m.id: m for m in session.scalars(query.execution_options(populate_existing=True))}


def _log_new(
    session: Session,
    fresh: dict[uuid.UUID, Envelope],
    receipts: dict[uuid.UUID, Outcome],
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
            "receipt": receipts[e.id].receipt,
            "receipt_status": receipts[e.id].status,
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
    session: Session,
    signing: SigningKey,
    compact: str,
    rejected: Rejected,
    now: dt.datetime,
    source: str | None = None,
) -> Outcome:
    """A signed refusal. It names the envelope by the hash of the bytes received; its id and
    sender only if the signature verified (else they are whatever anyone typed)."""
    sender = rejected.claimed_from if rejected.verified else None
    receipt = sign_receipt(
        signing,
        to_state=sender or UNKNOWN_STATE,
        envelope_compact=compact,
        envelope_id=rejected.claimed_id if rejected.verified else None,
        status="rejected",
        reason=rejected.code,
        detail=rejected.detail,
        now=now,
    )
    digest = sha256_hex(compact)
    session.add(
        ExchangeRejection(
            claimed_id=rejected.claimed_id,
            claimed_from=sender,
            reason=f"{rejected.code}: {rejected.detail}",
            envelope=compact[:KEPT_HEAD],
            envelope_sha256=digest,
            envelope_size=len(compact),
            source=(source or "")[:64] or None,
            receipt=receipt,
            at=now,
        )
    )
    log.warning(
        "envelope rejected: %s (sha256 %s, %d bytes, from %s)",
        rejected.code,
        digest[:16],
        len(compact),
        sender or (source or "?")[:64],
    )
    return Outcome(receipt, "rejected", rejected.code)


def _duplicate(
    session: Session,
    signing: SigningKey,
    message: ExchangeMessage,
    envelope: Envelope,
    now: dt.datetime,
    source: str | None,
) -> Outcome:
    """The receipt already given: a retry learns the same answer and nothing is applied. Only
    for the very same bytes as those logged (compared whole, not by a re-computed hash)."""
    if message.direction != "in" or message.envelope != envelope.compact:
        return _reused(session, signing, envelope, now, source)
    assert message.receipt is not None and message.receipt_status is not None
    return Outcome(message.receipt, message.receipt_status, message.receipt_reason)


def _reused(
    session: Session, signing: SigningKey, envelope: Envelope, now: dt.datetime, source: str | None
) -> Outcome:
    """The same id with other bytes: a sender's bug or a replay attempt, never applied."""
    claimed = {"id": str(envelope.id), "from": envelope.from_state}
    reused = Rejected("id-reused", f"envelope id {envelope.id} came with other content", claimed)
    return reject(session, signing, envelope.compact, reused, now, source)
