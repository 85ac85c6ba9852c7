"""Tables of the register: persons, their travel documents, stay documents and their history,
violations. History is append-only: a change is a new ``stay_document_events`` row with the old
and new values, never an overwrite that loses them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kervan.db.base import Base, IdMixin, utcnow
from kervan.registry.enums import (
    Sex,
    StayEventKind,
    StayKind,
    StayPurpose,
    StayStatus,
    TravelDocumentType,
    ViolationKind,
    ViolationStatus,
)


def _enum(cls: type[Any], name: str) -> Enum:
    # Plain VARCHAR + CHECK, values not names: readable in SQL, and no PostgreSQL enum type to
    # migrate when a value is added.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Person(IdMixin, Base):
    __tablename__ = "persons"

    # Names exactly as written on the person's documents, in any script.
    primary_name: Mapped[str] = mapped_column(String(200))
    secondary_name: Mapped[str] = mapped_column(String(200), default="")
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    name_script: Mapped[str] = mapped_column(String(4), default="Latn")
    # The ICAO 9303 Latin form (as in the MRZ), primary and secondary identifier.
    primary_identifier: Mapped[str] = mapped_column(String(200))
    secondary_identifier: Mapped[str] = mapped_column(String(200), default="")
    # Search keys (kervan.identity.names): folded tokens and their coarse skeletons.
    name_key: Mapped[str] = mapped_column(String(400))
    primary_skeleton: Mapped[str] = mapped_column(String(100))
    secondary_skeleton: Mapped[str] = mapped_column(String(100), default="")
    nationality: Mapped[str] = mapped_column(String(3))
    # ICAO allows an unknown day or month of birth; the year is always known.
    birth_year: Mapped[int] = mapped_column(SmallInteger)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[Sex] = mapped_column(_enum(Sex, "sex"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    travel_documents: Mapped[list[TravelDocument]] = relationship(
        back_populates="person", order_by="TravelDocument.expiry_date.desc()"
    )
    stay_documents: Mapped[list[StayDocument]] = relationship(
        back_populates="person", order_by="StayDocument.valid_until.desc()"
    )
    violations: Mapped[list[Violation]] = relationship(back_populates="person")

    __table_args__ = (
        CheckConstraint("birth_month IS NULL OR birth_month BETWEEN 1 AND 12", name="birth_month"),
        CheckConstraint("birth_day IS NULL OR birth_day BETWEEN 1 AND 31", name="birth_day"),
        CheckConstraint("birth_day IS NULL OR birth_month IS NOT NULL", name="birth_day_month"),
        Index("ix_persons_nationality_id", "nationality", "id"),
        Index("ix_persons_primary_skeleton", "primary_skeleton", "secondary_skeleton"),
        Index("ix_persons_secondary_skeleton", "secondary_skeleton"),
        Index("ix_persons_birth", "birth_year", "birth_month", "birth_day"),
    )


class NameWord(Base):
    """Every distinct folded word of any person's ``name_key``: the vocabulary the fuzzy search
    looks typos up in (``kervan.registry.name_words``). Filled by database triggers on
    ``persons`` (migration 0013), so every write path — the service, imports, the generator,
    ``rekey-names`` — keeps it whole without calling anything. Words are never removed: a word
    nobody carries any more only costs a row."""

    __tablename__ = "name_words"

    word: Mapped[str] = mapped_column(String(400), primary_key=True)


class TravelDocument(IdMixin, Base):
    __tablename__ = "travel_documents"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    document_type: Mapped[TravelDocumentType] = mapped_column(
        _enum(TravelDocumentType, "travel_document_type")
    )
    number: Mapped[str] = mapped_column(String(20))
    issuing_state: Mapped[str] = mapped_column(String(3))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="travel_documents")

    __table_args__ = (
        UniqueConstraint("issuing_state", "number"),
        Index("ix_travel_documents_person_id", "person_id"),
        Index("ix_travel_documents_number", "number"),
    )


class StayDocument(IdMixin, Base):
    __tablename__ = "stay_documents"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    kind: Mapped[StayKind] = mapped_column(_enum(StayKind, "stay_kind"))
    number: Mapped[str] = mapped_column(String(32))
    host_state: Mapped[str] = mapped_column(String(3))
    purpose: Mapped[StayPurpose] = mapped_column(_enum(StayPurpose, "stay_purpose"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[StayStatus] = mapped_column(
        _enum(StayStatus, "stay_status"), default=StayStatus.ACTIVE
    )
    # Denormalised from persons so that filters by nationality need no join at 10M rows.
    nationality: Mapped[str] = mapped_column(String(3))
    # Where the stay is: an ISO 3166-2 subdivision code (``KZ-75``), when the host state records it.
    region: Mapped[str | None] = mapped_column(String(6))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(back_populates="stay_documents")
    events: Mapped[list[StayDocumentEvent]] = relationship(
        back_populates="document", order_by="StayDocumentEvent.id"
    )

    __table_args__ = (
        UniqueConstraint("host_state", "kind", "number"),
        CheckConstraint("valid_until >= valid_from", name="valid_period"),
        Index("ix_stay_documents_person_id", "person_id"),
        Index("ix_stay_documents_valid_until_id", "valid_until", "id"),
        Index("ix_stay_documents_nationality_valid_until", "nationality", "valid_until", "id"),
        Index("ix_stay_documents_kind_status", "kind", "status"),
        # An officer types a document number without knowing its kind or host state.
        Index("ix_stay_documents_number", "number"),
    )


class StayDocumentEvent(IdMixin, Base):
    """One row per issue, extension, revocation, cancellation or correction of a document."""

    __tablename__ = "stay_document_events"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stay_documents.id", ondelete="RESTRICT")
    )
    kind: Mapped[StayEventKind] = mapped_column(_enum(StayEventKind, "stay_event_kind"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    # Set when the change was made by an emergency measure rather than an officer's decision.
    measure_id: Mapped[uuid.UUID | None] = mapped_column()
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    new_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    document: Mapped[StayDocument] = relationship(back_populates="events")

    __table_args__ = (Index("ix_stay_document_events_document_id", "document_id", "id"),)


class PersonEvent(IdMixin, Base):
    """Append-only history of corrections to a person's identity data."""

    __tablename__ = "person_events"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    new_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_person_events_person_id", "person_id", "id"),)


class Violation(IdMixin, Base):
    __tablename__ = "violations"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("stay_documents.id", ondelete="SET NULL")
    )
    kind: Mapped[ViolationKind] = mapped_column(_enum(ViolationKind, "violation_kind"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    fine_currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[ViolationStatus] = mapped_column(
        _enum(ViolationStatus, "violation_status"), default=ViolationStatus.RECORDED
    )
    waived_by_measure_id: Mapped[uuid.UUID | None] = mapped_column()
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    nationality: Mapped[str] = mapped_column(String(3))

    person: Mapped[Person] = relationship(back_populates="violations")

    __table_args__ = (
        CheckConstraint("period_end IS NULL OR period_end >= period_start", name="period"),
        Index("ix_violations_person_id", "person_id"),
        Index("ix_violations_kind_status", "kind", "status"),
    )
