"""API shapes of diplomacy: separate Create and Public models, bounded everywhere."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Iata = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Zone = Literal["departures", "arrivals", "transit"]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AccreditationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    home_state: StateCode
    # The state that accredited the person; by default this node's (a host state's register).
    # A home state's node records its own staff abroad with the host state named here.
    accredited_in: StateCode | None = None
    card_number: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9/-]{1,40}$")]
    primary_identifier: Short
    secondary_identifier: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
    name_as_written: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    mission: Short
    function: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    valid_from: dt.date
    valid_until: dt.date


class ListedAccreditation(AccreditationCreate):
    """One entry of a home state's list of its staff (signed list or ``accreditations.listed``):
    a withdrawal reason withdraws the accreditation; an earlier ``valid_until`` ends it sooner."""

    withdrawal_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
        | None
    ) = None


class AccreditationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    accredited_in: str
    home_state: str
    card_number: str
    primary_identifier: str
    secondary_identifier: str
    name_as_written: str
    mission: str
    function: str
    valid_from: dt.date
    valid_until: dt.date
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str | None
    source: str


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class AccessRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accreditation_id: uuid.UUID
    airport: Iata
    terminal: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{0,10}$")] = ""
    zones: list[Zone] = Field(min_length=1, max_length=3)
    window_start: dt.datetime
    window_end: dt.datetime
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conditions: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class Refusal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class PassPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    issuing_state: str
    kid: str
    text: str
    issued_at: dt.datetime
    valid_from: dt.datetime
    valid_until: dt.datetime
    revoked_at: dt.datetime | None
    revocation_reason: str | None


class AccessRequestPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    requesting_state: str
    origin_node: str
    mission: str
    card_number: str
    accredited_in: str
    home_state: str
    holder_primary: str
    holder_secondary: str
    holder_as_written: str
    airport: str
    controlling_state: str
    terminal: str
    zones: list[str] = Field(validation_alias="zone_list")
    window_start: dt.datetime
    window_end: dt.datetime
    purpose: str
    status: str
    decision_due_at: dt.datetime
    conditions: str | None
    refusal_reason: str | None
    refusal_code: str | None  # when the node refused by itself (docs/diplomacy.md)
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    passes: list[PassPublic] = []


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=2000)]
    airport: Iata | None = None
    zone: Zone | None = None


class VerifyResult(BaseModel):
    valid: bool
    reason: str
    detail: str
    pass_id: uuid.UUID | None = None
    holder_mrz: str | None = None
    holder_native: str | None = None
    issuing_state: str | None = None
    home_state: str | None = None
    accreditation: str | None = None
    airports: list[str] = []
    zones: list[str] = []
    terminal: str | None = None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    purpose: str | None = None
    kid: str | None = None


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    device_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,64}$")]
    pass_id: uuid.UUID | None = None
    scanned_at: dt.datetime
    airport: Annotated[str, StringConstraints(pattern=r"^[A-Z]{0,3}$")] = ""
    zone: Literal["", "departures", "arrivals", "transit"] = ""
    verdict: Annotated[str, StringConstraints(pattern=r"^[a-z-]{1,32}$")]
    holder: Annotated[str, StringConstraints(max_length=200)] = ""


class ScanBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scans: list[ScanIn] = Field(min_length=1, max_length=500)


class ScanBatchResult(BaseModel):
    received: int
    new: int
