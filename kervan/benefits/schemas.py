"""API and file shapes of benefits: kinds (as configured and as shown) and applications."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kervan.benefits.enums import ApplicationStatus
from kervan.whole_numbers import WholeNumber

KindCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class BenefitKindIn(BaseModel):
    """One kind as written in a benefit kinds file or posted to the API."""

    model_config = ConfigDict(extra="forbid")

    code: KindCode
    names: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=1, description="The kind's name per language code, at least one"
    )
    description: str = Field(default="", max_length=4000)
    # The description in the officers' languages; ``description`` is the fallback.
    descriptions: dict[str, Annotated[str, StringConstraints(max_length=4000)]] = Field(
        default_factory=dict, description="{language: description}", max_length=16
    )
    eligibility: dict[str, Any] | None = Field(
        default=None, description="A scope in the measure language; empty means everyone"
    )
    default_entitlement_days: WholeNumber = Field(default=90, ge=1, le=3650)
    active: bool = True


class BenefitKindsFile(BaseModel):
    """The whole file loaded by ``kervan benefits load``."""

    model_config = ConfigDict(extra="forbid")

    state: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    kinds: list[BenefitKindIn] = Field(min_length=1)


class BenefitKindPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    state: str
    code: str
    names: dict[str, str]
    description: str
    eligibility: dict[str, Any]
    default_entitlement_days: int
    active: bool


class ClauseReason(BaseModel):
    clause: str
    matched: bool
    saw: Any = None
    code: str = ""
    params: dict[str, Any] = {}


class BenefitApplicationCreate(BaseModel):
    kind_id: uuid.UUID | None = None
    kind_code: KindCode | None = None
    notes: str = Field(default="", max_length=4000)


class BenefitDecision(BaseModel):
    reason: Reason
    entitlement_from: dt.date | None = Field(default=None, description="Default: today")
    entitlement_until: dt.date | None = Field(
        default=None, description="Default: from + the kind's default entitlement days"
    )


class BenefitRejection(BaseModel):
    reason: Reason


class BenefitApplicationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    kind_id: uuid.UUID
    kind_code: str
    status: ApplicationStatus
    eligibility_reasons: list[ClauseReason]
    evaluated_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str
    entitlement_from: dt.date | None
    entitlement_until: dt.date | None
    measure_id: uuid.UUID | None
    notes: str
    created_by: str
    created_at: dt.datetime


class GrantAllRequest(BaseModel):
    reason: Reason
    entitlement_until: dt.date | None = None


class GrantPreviewPublic(BaseModel):
    kind_code: str
    today: dt.date
    eligible_without_benefit: int
    by_nationality: dict[str, int]
    sample: list[dict[str, Any]]


class GrantResultPublic(BaseModel):
    kind_code: str
    granted: int
    by_nationality: dict[str, int]
    entitlement_from: dt.date
    entitlement_until: dt.date
    audit_seq: int
