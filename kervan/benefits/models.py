"""Tables of benefits: the kinds a state offers and the applications (and grants) of persons."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kervan.benefits.enums import ApplicationStatus
from kervan.db.base import Base, IdMixin, utcnow


class BenefitKind(IdMixin, Base):
    """A benefit a host state offers, e.g. ``fee_waiver``, with who is eligible for it."""

    __tablename__ = "benefit_kinds"

    state: Mapped[str] = mapped_column(String(3))
    code: Mapped[str] = mapped_column(String(64))
    # {"en": "Fee waiver", "ru": "Освобождение от сборов", …}: shown in the officer's language.
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {lang: text}
    # A scope in the measure language (kervan.measures.scope), stored as parsed and re-serialised.
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    default_entitlement_days: Mapped[int] = mapped_column(Integer, default=90)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("state", "code"),
        CheckConstraint("default_entitlement_days > 0", name="entitlement_days"),
    )

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


class BenefitApplication(IdMixin, Base):
    """One application (or a grant by ``grant_all`` or a measure) of one kind for one person.
    The eligibility reasons are the scope's clause results as they were when evaluated."""

    __tablename__ = "benefit_applications"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id", ondelete="RESTRICT"))
    kind_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("benefit_kinds.id", ondelete="RESTRICT"))
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(
            ApplicationStatus,
            name="benefit_application_status",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        default=ApplicationStatus.APPLIED,
    )
    # [{"clause": …, "matched": …, "saw": …}, …] from explain_scope; empty until evaluated.
    eligibility_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evaluated_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    entitlement_from: Mapped[dt.date | None] = mapped_column(Date)
    entitlement_until: Mapped[dt.date | None] = mapped_column(Date)
    # Set when the benefit was granted by an emergency measure rather than an application.
    measure_id: Mapped[uuid.UUID | None] = mapped_column()
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Denormalised from persons, as on stay documents: counts by nationality without a join.
    nationality: Mapped[str] = mapped_column(String(3))

    kind: Mapped[BenefitKind] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        CheckConstraint(
            "entitlement_until IS NULL OR entitlement_from IS NULL "
            "OR entitlement_until >= entitlement_from",
            name="entitlement_period",
        ),
        Index("ix_benefit_applications_person_id", "person_id", "id"),
        Index("ix_benefit_applications_kind_person", "kind_id", "person_id", "status"),
    )
