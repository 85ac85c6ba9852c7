"""Tables of measures: the measures themselves (data, not code), what each did to each stay
document, and the progress of a chunked apply."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow


class MeasureStatus(enum.StrEnum):
    DRAFT = "draft"
    PREVIEWED = "previewed"
    IN_FORCE = "in_force"
    LIFTED = "lifted"


class Measure(IdMixin, Base):
    __tablename__ = "measures"

    # Human key used in files and the CLI ("KAZ-2020-03-emergency"); loading a file again with
    # the same reference updates the draft instead of adding a second measure.
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    issuing_state: Mapped[str] = mapped_column(String(3))
    legal_act: Mapped[str] = mapped_column(String(300))
    legal_act_texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {lang: text}
    legal_number: Mapped[str] = mapped_column(String(64), default="")
    legal_date: Mapped[dt.date] = mapped_column(Date)
    legal_link: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {lang: text}
    summary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[MeasureStatus] = mapped_column(
        Enum(
            MeasureStatus,
            name="measure_status",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        default=MeasureStatus.DRAFT,
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    previewed_at: Mapped[dt.datetime | None] = mapped_column()
    previewed_by: Mapped[str | None] = mapped_column(String(200))
    # What the officer saw before bringing it into force (counts, overlaps), kept as evidence.
    preview: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    in_force_at: Mapped[dt.datetime | None] = mapped_column()
    in_force_by: Mapped[str | None] = mapped_column(String(200))
    lifted_at: Mapped[dt.datetime | None] = mapped_column()
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    # Chunked apply on PostgreSQL: the last stay document id done, so a killed run resumes.
    applied_through: Mapped[uuid.UUID | None] = mapped_column()
    applied_at: Mapped[dt.datetime | None] = mapped_column()
    # Bringing into force asks for the whole register to be applied by the worker (a job, off
    # the request): asked when, and leased by one worker until when.
    apply_requested_at: Mapped[dt.datetime | None] = mapped_column()
    apply_lease_until: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (Index("ix_measures_status", "status"),)

    def display_title(self, lang: str = "en") -> str:
        return self.title.get(lang) or next(iter(self.title.values()), None) or self.reference


class MeasureEventKind(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    PREVIEWED = "previewed"
    ACTIVATED = "activated"
    APPLIED = "applied"
    LIFTED = "lifted"


class MeasureEvent(IdMixin, Base):
    """A decision on a measure — who took it, when and why — kept with the measure itself (the
    audit log also records it, but the log is shared by every import chunk and is no place to
    rebuild a measure's story from)."""

    __tablename__ = "measure_events"

    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    kind: Mapped[MeasureEventKind] = mapped_column(
        Enum(
            MeasureEventKind,
            name="measure_event_kind",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        )
    )
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_measure_events_measure_id", "measure_id", "at"),)


class MeasureEffect(Base):
    """What measure M did to document D: its end date before and after. The primary key makes a
    second apply a no-op; the rows answer "what did M grant" and give each document its end
    date before any measure (the smallest ``old_until``), on which scopes are evaluated so
    that the order measures came into force in does not matter."""

    __tablename__ = "measure_effects"

    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("measures.id", ondelete="RESTRICT"), primary_key=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stay_documents.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column()
    nationality: Mapped[str] = mapped_column(String(3))
    old_until: Mapped[dt.date] = mapped_column(Date)
    new_until: Mapped[dt.date] = mapped_column(Date)
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # A document's end date before any measure: min(old_until) by document.
        Index("ix_measure_effects_document_id", "document_id", "old_until"),
        # The rows one apply pass wrote, to update documents and write history and messages.
        Index("ix_measure_effects_measure_id_applied_at", "measure_id", "applied_at"),
    )
