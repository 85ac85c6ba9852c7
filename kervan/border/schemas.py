"""API shapes of the exit check."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from kervan.registry.enums import StayKind, ViolationKind, ViolationStatus


def _upper(value: object) -> object:
    # Before the pattern: an officer types "fa1234567" as often as "FA1234567".
    return value.strip().upper() if isinstance(value, str) else value


DocumentNumber = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9<]{1,20}$")
]
StateCode = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z<]{3}$")]


class ExitCheckRequest(BaseModel):
    """Either the MRZ of the passport as read at the counter, or its number and issuing state."""

    mrz: list[str] | None = Field(
        default=None, min_length=2, max_length=3, description="The MRZ lines, in order"
    )
    passport_number: DocumentNumber | None = None
    issuing_state: StateCode | None = None

    @model_validator(mode="after")
    def _one_way(self) -> ExitCheckRequest:
        by_number = self.passport_number is not None or self.issuing_state is not None
        if self.mrz is not None and by_number:
            raise ValueError("give either mrz or passport_number with issuing_state, not both")
        if self.mrz is None and (self.passport_number is None or self.issuing_state is None):
            raise ValueError("give mrz, or passport_number and issuing_state")
        return self


class MeasureCitation(BaseModel):
    """A measure named as the legal ground of a verdict."""

    id: uuid.UUID
    reference: str
    title: str = Field(description="The title in English (else the first language written)")
    titles: dict[str, str] = Field(
        default_factory=dict, description="The title in each language it was written in"
    )
    legal_basis: str = Field(description="The legal act, in English")
    legal_act: str = ""
    legal_number: str = ""
    legal_date: dt.date | None = None
    effect: str = Field(description="What it does here: waives, extends")


class TravellerSummary(BaseModel):
    id: uuid.UUID
    primary_identifier: str
    secondary_identifier: str
    nationality: str
    passport_number: str
    issuing_state: str


class StayFinding(BaseModel):
    id: uuid.UUID
    kind: StayKind
    number: str
    valid_from: dt.date
    valid_until: dt.date
    extended_by: MeasureCitation | None = None


class ViolationFinding(BaseModel):
    id: uuid.UUID
    kind: ViolationKind
    period_start: dt.date
    period_end: dt.date | None
    fine_amount: Decimal | None
    fine_currency: str | None
    status: ViolationStatus
    waived_by: MeasureCitation | None = None


class ExitNote(BaseModel):
    """What another capability adds to the check (``kervan.border.exit_notes``)."""

    code: str
    params: dict[str, str | int]
    message: str = Field(description="English wording; the UI words the code")
    measure: MeasureCitation | None = Field(
        default=None, description="The measure the note relies on, when one does"
    )


class ExitCheckResult(BaseModel):
    check_id: str = Field(description="The audit entry of this check")
    today: dt.date
    traveller: TravellerSummary
    lawful: bool = Field(description="An active stay document covers today")
    covering_document: StayFinding | None
    last_document: StayFinding | None = Field(description="The latest one, when none covers")
    overstay_since: dt.date | None = Field(description="The first day not covered, if unlawful")
    overstay_waived_by: MeasureCitation | None
    violations: list[ViolationFinding]
    may_exit_without_penalty: bool
    reasons: list[str]
    notes: list[ExitNote] = Field(default_factory=list, description="From other capabilities")
