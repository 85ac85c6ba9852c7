"""Delivering the outbox: per peer, in batches, in id order, in three short transactions.

1. *Claim and sign*: take the peer's lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
   several workers share the peers without waiting on each other), take the oldest pending
   messages, sign those not yet signed and log the envelopes. Committed before sending, so a
   retry resends the very same bytes (the receiver de-duplicates by id and would refuse the
   same id with other content).
2. *Send* the batch over HTTP(S), outside any transaction.
3. *Record* the signed receipts (or the failure: backoff with jitter, the peer paused, dead
   letters after too many attempts), and release the lease.

A worker that dies between 2 and 3 leaves its lease to expire; the next one resends, and gets
the receipts the receiver already gave.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.bulk import bulk_insert
from kervan.exchange import trust_store
from kervan.exchange.delivery import record_failure, record_receipts
from kervan.exchange.envelopes import envelope_payload, sha256_hex, sign_envelope
from kervan.exchange.keys import KeySource, SigningKey
from kervan.exchange.lanes import in_lane
from kervan.exchange.models import DeliveryLease, ExchangeMessage, ExchangePeer, OutboxMessage
from kervan.exchange.outbox import OutboxStatus
from kervan.exchange.render import render_bodies
from kervan.exchange.transport import Transport, TransportError
from kervan.uow import unit_of_work

log = logging.getLogger("kervan.exchange.worker")

LEASE = dt.timedelta(seconds=60)
OUTBOX_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.type,
    OutboxMessage.to_state,
    OutboxMessage.subject_type,
    OutboxMessage.subject_id,
    OutboxMessage.body,
    OutboxMessage.created_at,
)


@dataclass
class RoundResult:
    delivered: int = 0
    rejected: int = 0
    failed: int = 0
    peers: list[str] = field(default_factory=list)


@dataclass
class Claim:
    peer: str
    lane: int
    endpoint: str
    outbox_ids: list[uuid.UUID]
    envelopes: list[str]


class Worker:
    def __init__(
        self,
        settings: Settings,
        factory: sessionmaker[Session],
        signing: KeySource,
        transport: Transport,
        clock: Callable[[], dt.datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
    ):
        self.settings = settings
        self.factory = factory
        # A fixed key, or the node's keys folder (``NodeKeys``): the key is chosen per batch
        # against the trust list in force, so rotation needs no restart.
        self.signing = signing
        self.transport = transport
        self.clock = clock
        self.jitter = jitter
        self.name = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]

    # -- one round ---------------------------------------------------------------------------

    def run_once(self) -> RoundResult:
        result = RoundResult()
        lanes = list(range(self.settings.exchange_lanes))
        for peer in self._due_peers():
            random.shuffle(lanes)  # workers start on different lanes, and rarely collide
            for lane in lanes:
                claim = self._claim_and_sign(peer, lane)
                if claim is None:
                    continue
                result.peers.append(peer)
                self._deliver(claim, result)
        return result

    def drain(self, max_rounds: int = 1000) -> RoundResult:
        """Rounds until nothing is due (bounded: a test or a CLI run must end)."""
        total = RoundResult()
        for _ in range(max_rounds):
            one = self.run_once()
            total.delivered += one.delivered
            total.rejected += one.rejected
            total.failed += one.failed
            if not one.peers:
                break
        return total

    def run_forever(self, stop: threading.Event, idle_seconds: float = 0.5) -> None:
        while not stop.is_set():
            try:
                busy = bool(self.run_once().peers)
            except Exception:  # a bad round must not kill the node's worker thread
                log.exception("delivery round failed")
                busy = False
            if not busy:
                stop.wait(idle_seconds)

    # -- phases ------------------------------------------------------------------------------

    def _due_peers(self) -> list[str]:
        now = self.clock()
        with self.factory() as session:
            pending = set(
                session.scalars(
                    select(OutboxMessage.to_state)
                    .where(OutboxMessage.status == OutboxStatus.PENDING)
                    .distinct()
                )
            )
            paused = set(
                session.scalars(select(ExchangePeer.state).where(ExchangePeer.paused_until > now))
            )
        return sorted(pending - paused)

    def _lease(self, session: Session, peer: str, lane: int, now: dt.datetime) -> bool:
        if session.get(ExchangePeer, peer) is None:
            _insert_once(session, ExchangePeer(state=peer, consecutive_failures=0))
        if session.get(DeliveryLease, (peer, lane)) is None:
            _insert_once(session, DeliveryLease(state=peer, lane=lane))
        health = session.get_one(ExchangePeer, peer)
        if health.paused_until is not None and health.paused_until > now:
            return False
        free = or_(
            DeliveryLease.leased_until.is_(None),
            DeliveryLease.leased_until < now,
            DeliveryLease.leased_by == self.name,
        )
        lease = session.scalars(
            select(DeliveryLease)
            .where(DeliveryLease.state == peer, DeliveryLease.lane == lane, free)
            .with_for_update(skip_locked=True)
        ).first()
        if lease is None:
            return False
        lease.leased_by, lease.leased_until = self.name, now + LEASE
        return True

    def _release(self, session: Session, peer: str, lane: int) -> None:
        lease = session.get(DeliveryLease, (peer, lane))
        if lease is not None and lease.leased_by == self.name:
            lease.leased_by, lease.leased_until = None, None

    def _claim_and_sign(self, peer: str, lane: int) -> Claim | None:
        now = self.clock()
        lanes = self.settings.exchange_lanes
        try:
            with unit_of_work(self.factory) as session:
                if not self._lease(session, peer, lane, now):
                    return None
                trust = trust_store.require_current(session)
                endpoint = trust.endpoint(peer)
                if endpoint is None:
                    self._release(session, peer, lane)
                    return None
                # Plain rows, not ORM objects: this runs for every envelope the node sends.
                batch = list(
                    session.execute(
                        select(*OUTBOX_COLUMNS)
                        .where(
                            OutboxMessage.status == OutboxStatus.PENDING,
                            OutboxMessage.to_state == peer,
                            in_lane(session.get_bind().dialect.name, lane, lanes),
                        )
                        .order_by(OutboxMessage.id)
                        .limit(self.settings.exchange_batch_size)
                        .with_for_update(skip_locked=True)
                    )
                )
                if not batch:
                    # Nothing to do: free the lane at once, or it stays blocked for the other
                    # workers until the lease runs out.
                    self._release(session, peer, lane)
                    return None
                signing = self.signing.for_signing(trust, now)
                envelopes = self._signed(session, signing, batch, now)
                kept = _within(
                    [m.id for m in batch if m.id in envelopes],
                    envelopes,
                    self.settings.exchange_max_request_bytes,
                )
                return Claim(peer, lane, endpoint, kept, [envelopes[i] for i in kept])
        except Exception:
            log.exception("could not claim a batch for %s", peer)
            return None

    def _signed(
        self, session: Session, signing: SigningKey, batch: list[Any], now: dt.datetime
    ) -> dict[uuid.UUID, str]:
        already = select(ExchangeMessage.id, ExchangeMessage.envelope).where(
            ExchangeMessage.id.in_([m.id for m in batch])
        )
        logged = {i: envelope for i, envelope in session.execute(already)}
        unsigned = [m for m in batch if m.id not in logged]
        bodies = render_bodies(session, unsigned) if unsigned else {}
        rows, gone = [], []
        for message in unsigned:
            body = bodies.get(message.id)
            if body is None:
                gone.append(message.id)
                continue
            payload = envelope_payload(
                id=message.id,
                type=message.type,
                from_state=signing.state,
                to_state=message.to_state,
                created_at=message.created_at,
                subject=(message.subject_type, str(message.subject_id)),
                body=body,
            )
            compact = sign_envelope(signing, payload)
            rows.append(
                {
                    "id": message.id,
                    "direction": "out",
                    "type": message.type,
                    "from_state": signing.state,
                    "to_state": message.to_state,
                    "subject_type": message.subject_type,
                    "subject_id": str(message.subject_id),
                    "created_at": message.created_at,
                    "envelope": compact,
                    "envelope_sha256": sha256_hex(compact),
                    "logged_at": now,
                }
            )
            logged[message.id] = compact
        # The log rows in one bulk write: this runs for every envelope the node sends.
        bulk_insert(session.connection(), cast(Table, ExchangeMessage.__table__), rows)
        if gone:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(gone))
                .values(status=OutboxStatus.DEAD, last_error="the records it reports are gone")
            )
        return logged

    def _deliver(self, claim: Claim, result: RoundResult) -> None:
        try:
            receipts = self.transport.post_batch(claim.endpoint, claim.envelopes)
            error = None
        except TransportError as exc:
            receipts, error = [], str(exc)
        with unit_of_work(self.factory) as session:
            if error is not None:
                log.warning("delivery to %s failed: %s", claim.peer, error)
                result.failed += record_failure(
                    session,
                    self.settings,
                    claim.peer,
                    claim.outbox_ids,
                    error,
                    self.clock(),
                    self.jitter(),
                )
            else:
                counts = record_receipts(
                    session,
                    self.settings,
                    claim.peer,
                    claim.outbox_ids,
                    claim.envelopes,
                    receipts,
                    self.clock(),
                    self.jitter(),
                )
                result.delivered += counts[0]
                result.rejected += counts[1]
                result.failed += counts[2]
            self._release(session, claim.peer, claim.lane)


# The JSON around the envelopes of a batch: {"envelopes": ["…", …]}.
BATCH_OVERHEAD_BYTES = 64


def _within(ids: list[uuid.UUID], envelopes: dict[uuid.UUID, str], limit: int) -> list[uuid.UUID]:
    """The first messages of a batch whose request fits the receiver's body limit (at least
    one: a single envelope over it gets its signed refusal, ``too-large``). The others stay
    pending, signed, for the next batch."""
    size, kept = BATCH_OVERHEAD_BYTES, list[uuid.UUID]()
    for message_id in ids:
        size += len(envelopes[message_id]) + 3  # its quotes and comma
        if kept and size > limit:
            break
        kept.append(message_id)
    return kept


def _insert_once(session: Session, row: object) -> None:
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        pass  # another worker made it first: fine, it exists
