"""Tables of assistance: cases, the field changes both states make to a shared case (the
record from which conflicts are derived), notes and aid (append-only), and open conflicts.

A case referred between two nodes has the same id and reference on both; each node keeps its
own workflow (status, assignment, SLA). The shared fields travel as changes (``merge.py``)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Literal, get_args

from sqlalchemy import Date, Enum, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class CaseStatus(enum.StrEnum):
    NEW = "new"  # to triage: nothing in it is trusted yet
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.IN_PROGRESS, CaseStatus.REFERRED)
OPEN_WHERE = "status IN ('new', 'triaged', 'in_progress', 'referred')"


class Urgency(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Requester(enum.StrEnum):
    PERSON = "person"
    CONSULATE = "consulate"
    MIGRATION_OFFICER = "migration_officer"
    EMPLOYER = "employer"
    NGO = "ngo"
    RELATIVE = "relative"  # someone asking for them on the public page


class Source(enum.StrEnum):
    OFFICER = "officer"
    PUBLIC = "public"  # the public help request: untrusted until triaged
    REFERRAL = "referral"  # received from the partner state's node


class Referral(enum.StrEnum):
    NONE = "none"
    PENDING = "pending"  # sent (or received) and not yet accepted or declined
    ACCEPTED = "accepted"
    DECLINED = "declined"


# What a person may need, in the order reports list them; the API's schemas take the same type.
Need = Literal[
    "shelter",
    "food",
    "medical",
    "legal",
    "documents",
    "money_from_home",
    "return_travel",
    "wages_or_job",
    "detention",
]
NEEDS: tuple[Need, ...] = get_args(Need)
VULNERABILITIES = (
    "minor",
    "unaccompanied_minor",
    "pregnancy",
    "disability",
    "elderly",
    "chronic_illness",
)
AID_KINDS = ("shelter", "food", "medical", "legal", "cash", "travel", "documents", "other")
CONSENT_WAYS = ("in_person", "written", "phone", "representative", "public_form")


class Case(IdMixin, Base):
    """One person's request for help, worked by this node (and, once referred, by the partner
    state's node on its own copy)."""

    __tablename__ = "assistance_cases"

    reference: Mapped[str] = mapped_column(String(16))  # H-7KQ4-M2XD: read out on the phone
    origin_state: Mapped[str] = mapped_column(String(3))  # the node the case was opened on
    host_state: Mapped[str] = mapped_column(String(3))  # where the person is
    source: Mapped[Source] = mapped_column(_enum(Source, "source"))
    requester: Mapped[Requester] = mapped_column(_enum(Requester, "requester"))
    requester_name: Mapped[str] = mapped_column(String(200), default="")
    person_id: Mapped[uuid.UUID | None] = mapped_column()  # the register's person, when known
    # As given (a visitor often has no record); shared fields, changed through ``changes``.
    full_name: Mapped[str] = mapped_column(String(200))
    nationality: Mapped[str] = mapped_column(String(3))  # the home state
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(40), default="")
    needs: Mapped[str] = mapped_column(String(200))  # comma-separated NEEDS, sorted
    vulnerabilities: Mapped[str] = mapped_column(String(200), default="")
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency, "urgency"))
    region: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(40), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(1000), default="")
    # Consent to share with the home state: required before any cross-border referral.
    consent_at: Mapped[dt.datetime | None] = mapped_column()
    consent_by: Mapped[str] = mapped_column(String(200), default="")  # who gave it
    consent_how: Mapped[str] = mapped_column(String(20), default="")  # CONSENT_WAYS
    consent_recorded_by: Mapped[str] = mapped_column(String(100), default="")
    # This node's own workflow.
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, "status"))
    assigned_to: Mapped[str | None] = mapped_column(String(100))  # an officer's user name
    team: Mapped[str | None] = mapped_column(String(60))
    due_at: Mapped[dt.datetime] = mapped_column()  # the SLA: opened + hours of the urgency
    warn_at: Mapped[dt.datetime] = mapped_column()  # three quarters of the way to due_at
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column()
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    # The referral between the two states of the case (host and home).
    referral: Mapped[Referral] = mapped_column(_enum(Referral, "referral"), default=Referral.NONE)
    partner_state: Mapped[str | None] = mapped_column(String(3))
    referral_reason: Mapped[str] = mapped_column(String(500), default="")
    partner_closed_at: Mapped[dt.datetime | None] = mapped_column()
    conflicts: Mapped[int] = mapped_column(default=0)  # open conflicts, for the queue's badge
    # The public request's secret (its hash only); None for cases officers opened.
    secret_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        # A reference typed by an officer is one index look-up.
        Index("ix_assistance_cases_reference", "reference", unique=True),
        # The queues: open cases by time to breach, for everyone, an officer, a team.
        Index("ix_assistance_cases_status_due_at", "status", "due_at", "id"),
        # Every open case by time to breach, and the breach count: one range scan.
        Index(
            "ix_assistance_cases_open_due_at",
            "due_at",
            "id",
            postgresql_where=text(OPEN_WHERE),
            sqlite_where=text(OPEN_WHERE),
        ),
        # The queue filtered by urgency (and need, checked on the way): open cases of one
        # urgency by time to breach.
        Index(
            "ix_assistance_cases_open_urgency_due_at",
            "urgency",
            "due_at",
            "id",
            postgresql_where=text(OPEN_WHERE),
            sqlite_where=text(OPEN_WHERE),
        ),
        # The SLA counts' exact part: open cases whose warning time falls in the current hour.
        Index(
            "ix_assistance_cases_open_warn_at",
            "warn_at",
            postgresql_where=text(OPEN_WHERE),
            sqlite_where=text(OPEN_WHERE),
        ),
        Index("ix_assistance_cases_assigned_to_due_at", "assigned_to", "due_at", "id"),
        Index("ix_assistance_cases_team_due_at", "team", "due_at", "id"),
        Index("ix_assistance_cases_nationality_due_at", "nationality", "due_at", "id"),
        Index("ix_assistance_cases_person_id", "person_id"),
        Index("ix_assistance_cases_opened_at", "opened_at"),
    )

    @property
    def need_list(self) -> list[str]:
        return [n for n in self.needs.split(",") if n]

    @property
    def vulnerability_list(self) -> list[str]:
        return [v for v in self.vulnerabilities.split(",") if v]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SlaTally(Base):
    """Open cases counted by nationality, urgency and the hour their due time (``due``) or
    warning time (``warn``) falls in. Kept by database triggers on ``assistance_cases``
    (migration 0026: every write path, the service's, an envelope's and a bulk fill's, in the
    writing transaction), so the SLA counts add up a few hundred rows instead of counting every
    open case; only the current hour is counted from the cases. A row that falls to zero is
    deleted. Checked against a plain COUNT in ``tests/integration/test_assistance_sla_tally.py``."""

    __tablename__ = "assistance_sla_tally"

    nationality: Mapped[str] = mapped_column(String(3), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency, "urgency"), primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(primary_key=True)
    due: Mapped[int] = mapped_column(default=0)
    warn: Mapped[int] = mapped_column(default=0)


# The tally follows the cases (a case deleted takes its count with it): whatever empties the
# tables in the metadata's reverse order (the tests' clean-up) empties the cases first.
Base.metadata.tables[Case.__tablename__].add_is_dependent_on(
    Base.metadata.tables[SlaTally.__tablename__]
)


class CaseChange(Base):
    """One change of one shared field, with the changes it was based on (``bases``: the heads
    its author saw). Never updated or deleted: a field's value and its conflicts are derived
    from its changes (``merge.py``), so both nodes agree whatever order they arrive in."""

    __tablename__ = "assistance_changes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # UUIDv7, the same on both nodes
    case_id: Mapped[uuid.UUID] = mapped_column()
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    bases: Mapped[str] = mapped_column(Text, default="")  # comma-separated change ids
    author: Mapped[str] = mapped_column(String(100))
    author_state: Mapped[str] = mapped_column(String(3))
    made_at: Mapped[dt.datetime] = mapped_column()

    __table_args__ = (Index("ix_assistance_changes_case_id_field", "case_id", "field"),)

    @property
    def base_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(uuid.UUID(b) for b in self.bases.split(",") if b)


class CaseConflict(Base):
    """A shared field with more than one head: concurrent changes an officer must choose
    between. Derived from ``assistance_changes``; gone when a change based on all heads exists."""

    __tablename__ = "assistance_conflicts"

    case_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    detected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseNote(Base):
    """An officer's note: append-only, merged by id across the two nodes."""

    __tablename__ = "assistance_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    author_state: Mapped[str] = mapped_column(String(3))
    written_at: Mapped[dt.datetime] = mapped_column()

    __table_args__ = (Index("ix_assistance_notes_case_id", "case_id", "written_at"),)


class CaseAid(Base):
    """Aid given: append-only, merged by id; amounts for the reports' totals."""

    __tablename__ = "assistance_aid"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))  # AID_KINDS
    quantity: Mapped[int] = mapped_column(default=1)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(300), default="")
    given_by: Mapped[str] = mapped_column(String(100))
    given_state: Mapped[str] = mapped_column(String(3))
    given_at: Mapped[dt.datetime] = mapped_column()

    __table_args__ = (Index("ix_assistance_aid_case_id", "case_id", "given_at"),)


__all__ = [
    "AID_KINDS",
    "CONSENT_WAYS",
    "NEEDS",
    "OPEN_STATUSES",
    "VULNERABILITIES",
    "Case",
    "CaseAid",
    "CaseChange",
    "CaseConflict",
    "CaseNote",
    "CaseStatus",
    "Referral",
    "Requester",
    "SlaTally",
    "Source",
    "Urgency",
]
