"""Tables of repatriation. The home state's node keeps return requests, their travellers,
legs and reception places; the host state's node keeps the legs announced to it and the
manifests it received, and records boarding. A leg's id (UUIDv7) is the same on both nodes."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kervan.db.base import Base, IdMixin, utcnow


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


class RequestStatus(enum.StrEnum):
    WAITING = "waiting"
    ALLOCATED = "allocated"  # proposed by the allocation; may move on a re-run
    CONFIRMED = "confirmed"  # told to the person: never moved by the allocation
    BOARDED = "boarded"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    EXCLUDED = "excluded"


class Channel(enum.StrEnum):
    CONSUL = "consul"  # entered by a consular officer
    PUBLIC = "public"  # the public return form
    ASSISTANCE = "assistance"  # created from an assistance case's "return travel" need


class DocumentStatus(enum.StrEnum):
    VALID_PASSPORT = "valid_passport"
    RETURN_CERTIFICATE_NEEDED = "return_certificate_needed"


class LegMode(enum.StrEnum):
    FLIGHT = "flight"
    TRAIN = "train"
    BUS = "bus"


class LegStatus(enum.StrEnum):
    ANNOUNCED = "announced"  # sent to the host state, not yet agreed
    AGREED = "agreed"
    REFUSED = "refused"
    CANCELLED = "cancelled"


class ReturnRequest(IdMixin, Base):
    """A national's wish to go home, with everyone travelling with them (``travellers``)."""

    __tablename__ = "return_requests"

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    secret_hash: Mapped[str | None] = mapped_column(String(64))  # public form only
    home_state: Mapped[str] = mapped_column(String(3))
    host_state: Mapped[str] = mapped_column(String(3))
    origin: Mapped[str] = mapped_column(String(40))  # host city or airport code (corridor start)
    destination: Mapped[str] = mapped_column(String(40))  # home region (corridor end)
    destination_city: Mapped[str] = mapped_column(String(100), default="")
    earliest_date: Mapped[dt.date] = mapped_column(Date)
    document_status: Mapped[DocumentStatus] = mapped_column(_enum(DocumentStatus, "document"))
    priority_reasons: Mapped[str] = mapped_column(String(200), default="")  # comma-separated
    level: Mapped[int] = mapped_column(SmallInteger, default=0)
    size: Mapped[int] = mapped_column(SmallInteger, default=1)  # travellers in the group
    contact: Mapped[str] = mapped_column(String(200), default="")
    consent_at: Mapped[dt.datetime] = mapped_column()
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    source: Mapped[str | None] = mapped_column(String(60))  # e.g. an assistance case reference
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, "request_status"), default=RequestStatus.WAITING
    )
    leg_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_legs.id"))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    officer_reason: Mapped[str | None] = mapped_column(String(300))  # pin or exclusion
    explanation_code: Mapped[str | None] = mapped_column(String(60))
    explanation_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    travellers: Mapped[list[Traveller]] = relationship(
        back_populates="request", order_by="Traveller.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_return_requests_status_level", "status", "level", "registered_at"),
        Index("ix_return_requests_corridor", "origin", "destination", "earliest_date"),
        Index("ix_return_requests_leg_id", "leg_id"),
    )


class Traveller(IdMixin, Base):
    """One person of a request's group; position 0 is the applicant."""

    __tablename__ = "return_travellers"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_requests.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(SmallInteger)
    primary_identifier: Mapped[str] = mapped_column(String(200))  # ICAO 9303 Latin
    secondary_identifier: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1), default="X")  # M, F, X as in the MRZ
    nationality: Mapped[str] = mapped_column(String(3))
    passport_number: Mapped[str | None] = mapped_column(String(20))  # None: certificate needed
    passport_state: Mapped[str | None] = mapped_column(String(3))
    relationship_to_applicant: Mapped[str] = mapped_column(String(40), default="self")
    boarded_at: Mapped[dt.datetime | None] = mapped_column()

    request: Mapped[ReturnRequest] = relationship(back_populates="travellers")

    __table_args__ = (
        UniqueConstraint("request_id", "position"),
        Index("ix_return_travellers_passport", "passport_state", "passport_number"),
    )


class Leg(IdMixin, Base):
    """A flight, train or bus home, on the home node; its copy on the host node."""

    __tablename__ = "return_legs"

    home_state: Mapped[str] = mapped_column(String(3))
    host_state: Mapped[str] = mapped_column(String(3))
    mode: Mapped[LegMode] = mapped_column(_enum(LegMode, "leg_mode"))
    operator: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(20))  # flight, train or bus number
    origin: Mapped[str] = mapped_column(String(40))
    origin_name: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(40))
    destination_name: Mapped[str] = mapped_column(String(100))
    departs_at: Mapped[dt.datetime] = mapped_column()
    arrives_at: Mapped[dt.datetime] = mapped_column()
    seats: Mapped[int] = mapped_column(Integer)
    held_seats: Mapped[int] = mapped_column(Integer, default=0)  # officials, medical escorts
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # None: free
    currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[LegStatus] = mapped_column(
        _enum(LegStatus, "leg_status"), default=LegStatus.ANNOUNCED
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    refusal_reason: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.operator} {self.number}"

    @property
    def passenger_seats(self) -> int:
        return max(self.seats - self.held_seats, 0)

    __table_args__ = (Index("ix_return_legs_corridor", "origin", "destination", "departs_at"),)


class ReceptionCapacity(Base):
    """How many returning people a home region can receive (e.g. quarantine places) a day."""

    __tablename__ = "return_reception"

    destination: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    places: Mapped[int] = mapped_column(Integer)


class ManifestEntry(IdMixin, Base):
    """A passenger of a leg as the host state's node received the manifest; boarding is
    recorded here by the gate's MRZ scan."""

    __tablename__ = "return_manifest_entries"

    leg_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_legs.id", ondelete="CASCADE"))
    traveller_id: Mapped[uuid.UUID] = mapped_column()  # the home node's traveller
    request_reference: Mapped[str] = mapped_column(String(20))
    primary_identifier: Mapped[str] = mapped_column(String(200))
    secondary_identifier: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    nationality: Mapped[str] = mapped_column(String(3))
    passport_number: Mapped[str | None] = mapped_column(String(20))
    passport_state: Mapped[str | None] = mapped_column(String(3))
    boarded_at: Mapped[dt.datetime | None] = mapped_column()
    boarded_by: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("leg_id", "traveller_id"),
        Index("ix_return_manifest_passport", "passport_state", "passport_number"),
    )
