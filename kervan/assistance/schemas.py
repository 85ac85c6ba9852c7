"""API shapes of assistance: separate Create and Public models, bounded everywhere."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kervan.assistance.models import CaseStatus, Need, Referral, Requester, Source, Urgency
from kervan.plain_text import NO_CONTROL_CHARACTERS
from kervan.web.pagination import Page
from kervan.whole_numbers import WholeNumber

StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


def _text(max_length: int, min_length: int = 0) -> object:
    return StringConstraints(
        strip_whitespace=True,
        min_length=min_length,
        max_length=max_length,
        pattern=NO_CONTROL_CHARACTERS,
    )


Name = Annotated[str, _text(200, 1)]
Short = Annotated[str, _text(100)]
Vulnerability = Literal[
    "minor", "unaccompanied_minor", "pregnancy", "disability", "elderly", "chronic_illness"
]
ConsentWay = Literal["in_person", "written", "phone", "representative", "public_form"]
AidKind = Literal["shelter", "food", "medical", "legal", "cash", "travel", "documents", "other"]
SharedField = Literal[
    "full_name",
    "birth_date",
    "document_number",
    "needs",
    "vulnerabilities",
    "urgency",
    "region",
    "city",
    "language",
    "contact",
    "description",
    "outcome",
]


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_by: Name  # the person, or who consented for them (a parent, a representative)
    how: ConsentWay


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Name
    nationality: StateCode
    birth_date: dt.date | None = None
    document_number: Annotated[str, _text(40)] = ""
    person_id: uuid.UUID | None = None
    requester: Requester = Requester.PERSON
    requester_name: Annotated[str, _text(200)] = ""
    needs: Annotated[list[Need], Field(min_length=1, max_length=9)]
    vulnerabilities: Annotated[list[Vulnerability], Field(max_length=6)] = []
    urgency: Urgency = Urgency.NORMAL
    # Where the person is; by default this node's state (a home state's consulate names the
    # host state it asks for help).
    host_state: StateCode | None = None
    region: Short = ""
    city: Short = ""
    language: Annotated[str, _text(40)] = ""
    contact: Annotated[str, _text(200)] = ""
    description: Annotated[str, _text(4000)] = ""
    consent: ConsentIn | None = None


class FieldEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: SharedField
    value: Annotated[str, StringConstraints(max_length=4000, pattern=NO_CONTROL_CHARACTERS)]
    # The change ids the editor saw for this field (the case's ``heads``); empty when the field
    # was never changed since the case was opened.
    based_on: Annotated[list[uuid.UUID], Field(max_length=20)] = []


class Edits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: Annotated[list[FieldEdit], Field(min_length=1, max_length=12)]


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CaseStatus


class Assignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assigned_to: Annotated[str, _text(100)] | None = None
    team: Annotated[str, _text(60)] | None = None


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, _text(4000, 1)]


class AidIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AidKind
    quantity: Annotated[WholeNumber, Field(ge=1, le=100_000)] = 1
    amount: Annotated[Decimal, Field(ge=0, le=1_000_000_000, decimal_places=2)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    description: Annotated[str, _text(300)] = ""


class ReferralDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    reason: Annotated[str, _text(500)] = ""


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Annotated[str, StringConstraints(max_length=4000, pattern=NO_CONTROL_CHARACTERS)]


class CasePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    origin_state: str
    host_state: str
    source: Source
    requester: Requester
    person_id: uuid.UUID | None
    full_name: str
    nationality: str
    birth_date: dt.date | None
    document_number: str
    needs: str
    vulnerabilities: str
    urgency: Urgency
    region: str
    city: str
    language: str
    contact: str
    description: str
    outcome: str
    consent_at: dt.datetime | None
    consent_by: str
    consent_how: str
    status: CaseStatus
    assigned_to: str | None
    team: str | None
    opened_at: dt.datetime
    warn_at: dt.datetime
    due_at: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    referral: Referral
    partner_state: str | None
    partner_closed_at: dt.datetime | None
    conflicts: int


class QueueItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    reference: str
    full_name: str
    nationality: str
    needs: str
    urgency: Urgency
    status: CaseStatus
    assigned_to: str | None
    team: str | None
    due_at: dt.datetime
    referral: Referral
    conflicts: int


class QueuePage(Page[QueueItem]):
    """A page of the queue (``kervan/web/pagination.py``: keyset on due time and id)."""


class ChangePublic(BaseModel):
    id: uuid.UUID
    field: str
    value: str
    author: str
    author_state: str
    made_at: dt.datetime


class FieldConflict(BaseModel):
    field: str
    sides: list[ChangePublic]  # every head, side by side, oldest first


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    text: str
    author: str
    author_state: str
    written_at: dt.datetime


class AidPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    quantity: int
    amount: Decimal | None
    currency: str | None
    description: str
    given_by: str
    given_state: str
    given_at: dt.datetime


class CaseDetail(BaseModel):
    case: CasePublic
    heads: dict[str, list[uuid.UUID]]  # per shared field: what an edit is based on
    conflicts: list[FieldConflict]
    notes: list[NotePublic]
    aid: list[AidPublic]


class SlaCounts(BaseModel):
    open: int
    warning: int  # past three quarters of the SLA, not yet due
    breached: int
    breached_by_urgency: dict[str, int]


class CountRow(BaseModel):
    need: str
    status: str
    cases: int
