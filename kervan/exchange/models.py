"""The exchange's tables: the transactional outbox (messages for other nodes, written in the
same transaction as the change they report through ``kervan.exchange.outbox``, delivered by
the worker), trust lists, the message log of signed envelopes and receipts, peers and their
delivery leases, refusals, and what a home state received about its nationals abroad."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, SmallInteger, String, Text
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
    # Delivery (kervan.exchange.worker): statuses pending → delivered, or → dead after too many
    # failures or rejected when the peer refused it; the last two are the dead letters.
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (
        # The worker takes pending messages oldest first, per destination.
        Index("ix_outbox_messages_status_to_state_id", "status", "to_state", "id"),
        Index("ix_outbox_messages_subject", "subject_type", "subject_id"),
    )


# ----------------------------------------------------------------------------------------------
# The exchange's own tables (kervan.exchange): trust lists, the message log, peers, and what a
# home state received about its nationals abroad.


class TrustListVersion(Base):
    """Every trust list this node accepted, as signed (public keys only); the newest rules."""

    __tablename__ = "exchange_trust_lists"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    installed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ExchangeMessage(Base):
    """The message log: each signed envelope sent or accepted, with its signed receipt. The
    primary key is the envelope id, so an envelope is applied at most once."""

    __tablename__ = "exchange_messages"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))  # "out" or "in"
    type: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(3))
    to_state: Mapped[str] = mapped_column(String(3))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()
    envelope: Mapped[str] = mapped_column(Text)
    envelope_sha256: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    receipt: Mapped[str | None] = mapped_column(Text)
    receipt_status: Mapped[str | None] = mapped_column(String(16))
    receipt_reason: Mapped[str | None] = mapped_column(Text)
    receipted_at: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_exchange_messages_subject", "from_state", "subject_type", "subject_id", "id"),
        Index("ix_exchange_messages_type_from_state", "type", "from_state", "logged_at"),
    )


class ExchangeRejection(IdMixin, Base):
    """An envelope this node refused, with the signed receipt that said why. Kept apart from
    the message log: a refused envelope's id is not trusted and must not block the real one.
    Of the envelope only a bounded digest is kept — its SHA-256 (which the receipt names), its
    size and its first characters — so refusals cannot be used to fill the disk."""

    __tablename__ = "exchange_rejections"

    claimed_id: Mapped[str | None] = mapped_column(String(64))
    claimed_from: Mapped[str | None] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    envelope: Mapped[str] = mapped_column(Text)  # its first characters (inbox.KEPT_HEAD)
    envelope_sha256: Mapped[str | None] = mapped_column(String(64))
    envelope_size: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(64))  # the client address it came from
    receipt: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_exchange_rejections_at", "at"),
        # Refusals per source and minute (the inbox's rate limit).
        Index("ix_exchange_rejections_source_at", "source", "at"),
    )


class ReplacedEnvelope(IdMixin, Base):
    """An envelope this node sent and then replaced by a new one with the same id, because the
    receiver refused the key it was signed with (``key-not-valid``) and the message was retried
    after a key rotation. Kept with its receipt: the evidence of a message is every envelope
    that carried it."""

    __tablename__ = "exchange_replaced_envelopes"

    message_id: Mapped[uuid.UUID] = mapped_column()
    envelope: Mapped[str] = mapped_column(Text)
    envelope_sha256: Mapped[str] = mapped_column(String(64))
    logged_at: Mapped[dt.datetime] = mapped_column()
    receipt: Mapped[str | None] = mapped_column(Text)
    receipt_status: Mapped[str | None] = mapped_column(String(16))
    receipt_reason: Mapped[str | None] = mapped_column(Text)
    replaced_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_exchange_replaced_envelopes_message", "message_id"),)


class ExchangePeer(Base):
    """Delivery state per destination: a peer that keeps failing is paused for a while."""

    __tablename__ = "exchange_peers"

    state: Mapped[str] = mapped_column(String(3), primary_key=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    paused_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    last_success_at: Mapped[dt.datetime | None] = mapped_column()


class DeliveryLease(Base):
    """Who delivers a lane of a peer's messages now. A subject always falls in the same lane,
    and one worker at a time holds a lane, so order per subject is kept while several workers
    deliver to one peer in parallel. A lease, not a lock held over the HTTP call: a worker that
    dies frees its lane when the lease runs out."""

    __tablename__ = "exchange_delivery_leases"

    state: Mapped[str] = mapped_column(String(3), primary_key=True)
    lane: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    leased_by: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[dt.datetime | None] = mapped_column()


class SubjectHead(Base):
    """The newest envelope applied per sender and subject: an older one arriving late (a
    reordered or retried delivery) is logged but does not overwrite newer facts."""

    __tablename__ = "exchange_subject_heads"

    from_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    envelope_id: Mapped[uuid.UUID] = mapped_column()
    applied_count: Mapped[int] = mapped_column(Integer, default=1)


class NationalAbroadDocument(Base):
    """The consulate's read-only view: a stay document of one of our nationals, as the host
    state last reported it, linked to the envelope that said so."""

    __tablename__ = "exchange_nationals_abroad"

    host_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column()
    primary_identifier: Mapped[str] = mapped_column(String(200))
    secondary_identifier: Mapped[str] = mapped_column(String(200), default="")
    birth_year: Mapped[int] = mapped_column(SmallInteger)
    travel_document_number: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    last_event: Mapped[str] = mapped_column(String(64))
    envelope_id: Mapped[uuid.UUID] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Search keys of the primary identifier (kervan.exchange.consular.search_keys): its fold,
    # searched by prefix and ordered by, and the skeleton of its first word. Byte order
    # (collation "C") on PostgreSQL as on SQLite, so that a prefix is one index range whatever
    # the database's locale.
    name_folded: Mapped[str] = mapped_column(
        String(200).with_variant(String(200, collation="C"), "postgresql"),
        default="",
        server_default="",
    )
    name_skeleton: Mapped[str] = mapped_column(String(100), default="", server_default="")

    __table_args__ = (
        # The consulate's search (kervan.exchange.consular): a folded prefix is a range of the
        # first, a skeleton an equality on the second, each read in the order it pages by; the
        # list without a query, and a prefix of the ICAO form as written, use the third.
        Index(
            "ix_exchange_nationals_abroad_folded",
            "name_folded",
            "primary_identifier",
            "host_state",
            "document_id",
        ),
        Index(
            "ix_exchange_nationals_abroad_skeleton",
            "name_skeleton",
            "name_folded",
            "primary_identifier",
            "host_state",
            "document_id",
        ),
        Index("ix_exchange_nationals_abroad_name", "primary_identifier", "secondary_identifier"),
        Index("ix_exchange_nationals_abroad_valid_until", "valid_until"),
        Index("ix_exchange_nationals_abroad_number", "number"),
        Index("ix_exchange_nationals_abroad_travel_number", "travel_document_number"),
    )


class NationalAbroadWaiver(Base):
    """The consulate's view of a penalty forgiven: a violation recorded against one of our
    nationals that the host state reported waived (by a measure or an officer), as last
    reported, linked to the envelope that said so."""

    __tablename__ = "exchange_nationals_abroad_waivers"

    host_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    violation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column()
    primary_identifier: Mapped[str] = mapped_column(String(200))
    secondary_identifier: Mapped[str] = mapped_column(String(200), default="")
    birth_year: Mapped[int] = mapped_column(SmallInteger)
    travel_document_number: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32))
    measure_id: Mapped[uuid.UUID | None] = mapped_column()
    measure: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    waived_at: Mapped[dt.datetime] = mapped_column()
    envelope_id: Mapped[uuid.UUID] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # The consulate opens one document of a person and sees that person's waivers.
        Index("ix_exchange_nationals_abroad_waivers_person", "host_state", "person_id"),
    )


class ForeignMeasure(Base):
    """A measure another state announced (``measure.announced``): its signed copy's content as
    last announced — the newest status wins — linked to the envelope that said so."""

    __tablename__ = "exchange_foreign_measures"

    issuing_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), primary_key=True)
    legal_act: Mapped[str] = mapped_column(String(300))
    legal_act_texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {lang: text}
    legal_number: Mapped[str] = mapped_column(String(64), default="")
    legal_date: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16))
    # The issuing node's id of the measure (the envelopes' subject).
    measure_id: Mapped[uuid.UUID] = mapped_column()
    announced_at: Mapped[dt.datetime] = mapped_column()
    envelope_id: Mapped[uuid.UUID] = mapped_column()
    first_received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_exchange_foreign_measures_period_start", "period_start"),)
