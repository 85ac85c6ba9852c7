"""Tables of diplomacy: the accreditation register, airport access requests, the passes issued
or received, the scans verifiers sent in, and which airports an authority officer decides for."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow
from kervan.diplomacy.error_codes import Coded


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


class AccreditationSource(enum.StrEnum):
    UI = "ui"
    IMPORT = "import"
    HOME_STATE = "home-state"  # a signed list, or a request envelope, from the home state's node


class RequestStatus(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"


class Accreditation(IdMixin, Base):
    """One accredited member of a mission's diplomatic or consular staff."""

    __tablename__ = "diplomatic_accreditations"

    accredited_in: Mapped[str] = mapped_column(String(3))  # the host state that accredited
    home_state: Mapped[str] = mapped_column(String(3))  # the state the person serves
    card_number: Mapped[str] = mapped_column(String(40))
    primary_identifier: Mapped[str] = mapped_column(String(200))  # ICAO 9303 Latin
    secondary_identifier: Mapped[str] = mapped_column(String(200))
    name_as_written: Mapped[str] = mapped_column(String(200))  # the document's own script
    mission: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(100))  # rank or function, e.g. "consul"
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column()
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[AccreditationSource] = mapped_column(_enum(AccreditationSource, "source"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("accredited_in", "card_number"),)


class AccessRequest(IdMixin, Base):
    """A mission's request for one accredited person to enter an airport zone in a window.
    Its id (UUIDv7) is the same on the requesting node and on the airport state's node."""

    __tablename__ = "airport_access_requests"

    requesting_state: Mapped[str] = mapped_column(String(3))  # the mission's state
    origin_node: Mapped[str] = mapped_column(String(3))  # the node the request was made on
    mission: Mapped[str] = mapped_column(String(200))
    accreditation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("diplomatic_accreditations.id")
    )
    card_number: Mapped[str] = mapped_column(String(40))
    accredited_in: Mapped[str] = mapped_column(String(3))
    home_state: Mapped[str] = mapped_column(String(3))
    holder_primary: Mapped[str] = mapped_column(String(200))
    holder_secondary: Mapped[str] = mapped_column(String(200))
    holder_as_written: Mapped[str] = mapped_column(String(200))
    airport: Mapped[str] = mapped_column(String(3))  # IATA
    controlling_state: Mapped[str] = mapped_column(String(3))
    terminal: Mapped[str] = mapped_column(String(10), default="")
    zones: Mapped[str] = mapped_column(String(64))  # comma-separated zone names
    window_start: Mapped[dt.datetime] = mapped_column()
    window_end: Mapped[dt.datetime] = mapped_column()
    purpose: Mapped[str] = mapped_column(String(300))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "status"))
    decision_due_at: Mapped[dt.datetime] = mapped_column()
    conditions: Mapped[str | None] = mapped_column(String(500))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
    # Set when the node refused by itself (``diplomacy.error_codes``): in the officer's language.
    refusal_code: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_airport_access_requests_airport_status", "airport", "status", "id"),
        Index("ix_airport_access_requests_requesting_state", "requesting_state", "id"),
        Index("ix_airport_access_requests_accreditation_id", "accreditation_id"),
        # The decision deadline job's look-up (``diplomacy.jobs``).
        Index("ix_airport_access_requests_status_due", "status", "decision_due_at"),
    )

    @property
    def zone_list(self) -> list[str]:
        return [z for z in self.zones.split(",") if z]

    @property
    def refusal(self) -> Coded | None:
        """The refusal as the pages word it: coded when the node refused by itself."""
        if self.refusal_reason is None:
            return None
        return Coded(self.refusal_code or "", self.refusal_reason)


class DiplomaticPass(Base):
    """A signed pass: issued here (``issuing_state`` is this node) or received by the mission's
    node in an ``airport_access.granted`` envelope."""

    __tablename__ = "diplomatic_passes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the pass id inside the QR code
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("airport_access_requests.id"))
    issuing_state: Mapped[str] = mapped_column(String(3))
    kid: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # KVP1:…
    issued_at: Mapped[dt.datetime] = mapped_column()
    valid_from: Mapped[dt.datetime] = mapped_column()
    valid_until: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    revocation_reason: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        Index("ix_diplomatic_passes_request_id", "request_id"),
        Index("ix_diplomatic_passes_issuing_state_revoked_at", "issuing_state", "revoked_at"),
    )


class PassScan(Base):
    """A verification a verifier device made, sent in when it was back online. The id is the
    device's own (so a scan sent twice is kept once)."""

    __tablename__ = "diplomatic_pass_scans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    pass_id: Mapped[uuid.UUID | None] = mapped_column()
    scanned_at: Mapped[dt.datetime] = mapped_column()
    airport: Mapped[str] = mapped_column(String(3), default="")
    zone: Mapped[str] = mapped_column(String(16), default="")
    verdict: Mapped[str] = mapped_column(String(32))
    holder: Mapped[str] = mapped_column(String(200), default="")
    officer: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_diplomatic_pass_scans_pass_id", "pass_id"),)


class AirportAssignment(Base):
    """The airports a border or airport authority officer decides access requests for."""

    __tablename__ = "airport_assignments"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    airport: Mapped[str] = mapped_column(String(3), primary_key=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = [
    "AccessRequest",
    "Accreditation",
    "AccreditationSource",
    "AirportAssignment",
    "DiplomaticPass",
    "PassScan",
    "RequestStatus",
]
