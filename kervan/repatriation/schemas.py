"""API shapes of repatriation: separate Create and Public models."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from kervan.repatriation.models import DocumentStatus, LegMode, LegStatus, RequestStatus
from kervan.repatriation.priority import PriorityReason
from kervan.whole_numbers import WholeNumber


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


StateCode = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z]{3}$")]
PlaceCode = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9-]{2,40}$")]
PassportNumber = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z0-9]{1,20}$")
]
IcaoName = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z][A-Z '-]{0,199}$")
]
ShortText = Annotated[str, StringConstraints(max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$")]

MAX_GROUP = 12  # a household; larger parties are several requests


class TravellerIn(BaseModel):
    primary_identifier: IcaoName
    secondary_identifier: Annotated[
        str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z '-]{0,200}$")
    ] = ""
    birth_date: dt.date
    sex: Annotated[str, StringConstraints(pattern=r"^[MFX]$")] = "X"
    passport_number: PassportNumber | None = None
    passport_state: StateCode | None = None
    relationship_to_applicant: Annotated[str, StringConstraints(max_length=40)] = "self"

    @model_validator(mode="after")
    def _passport_whole(self) -> TravellerIn:
        if (self.passport_number is None) != (self.passport_state is None):
            raise ValueError("give the passport number with its issuing state, or neither")
        return self


class ReturnRequestCreate(BaseModel):
    """The wish to go home. ``travellers[0]`` is the applicant; the group travels together."""

    host_state: StateCode
    origin: PlaceCode = Field(description="Host city or airport code the person leaves from")
    destination: PlaceCode = Field(description="Home region the person goes to")
    destination_city: Annotated[str, StringConstraints(max_length=100)] = ""
    earliest_date: dt.date
    document_status: DocumentStatus
    priority_reasons: list[PriorityReason] = Field(default_factory=list, max_length=7)
    contact: ShortText = ""
    consent: bool = Field(
        description="The person agrees that their data goes to the carrier and the host"
        " state's border service"
    )
    source: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        default=None, description="Where the request came from, e.g. an assistance case"
    )
    travellers: list[TravellerIn] = Field(min_length=1, max_length=MAX_GROUP)


class TravellerPublic(BaseModel):
    id: uuid.UUID
    position: int
    primary_identifier: str
    secondary_identifier: str
    birth_date: dt.date
    passport_number: str | None
    passport_state: str | None
    relationship_to_applicant: str
    boarded_at: dt.datetime | None


class Explanation(BaseModel):
    code: str
    params: dict[str, Any]
    text: str = Field(description="English wording; the UI words the code")


class ReturnRequestPublic(BaseModel):
    id: uuid.UUID
    reference: str
    status: RequestStatus
    host_state: str
    origin: str
    destination: str
    earliest_date: dt.date
    priority_reasons: list[PriorityReason]
    level: int
    size: int
    channel: str
    source: str | None
    leg_id: uuid.UUID | None
    pinned: bool
    explanation: Explanation | None
    travellers: list[TravellerPublic]


class Receipt(BaseModel):
    reference: str
    secret: str = Field(description="Shown once: with the reference it lets the person follow")


class LegCreate(BaseModel):
    host_state: StateCode
    mode: LegMode
    operator: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 -]{1,20}$")]
    origin: PlaceCode
    origin_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    destination: PlaceCode
    destination_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    departs_at: dt.datetime
    arrives_at: dt.datetime
    seats: WholeNumber = Field(ge=1, le=2000)
    held_seats: WholeNumber = Field(default=0, ge=0, le=2000)
    price: Decimal | None = Field(default=None, ge=0, le=100000, decimal_places=2)
    currency: StateCode | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LegCreate:
        if self.departs_at.tzinfo is None or self.arrives_at.tzinfo is None:
            raise ValueError("give times with their UTC offset")
        if self.arrives_at < self.departs_at:
            raise ValueError("the leg cannot arrive before it departs")
        if self.held_seats > self.seats:
            raise ValueError("more seats held back than the leg has")
        return self


class LegPublic(BaseModel):
    id: uuid.UUID
    label: str
    home_state: str
    host_state: str
    mode: LegMode
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    departs_at: dt.datetime
    arrives_at: dt.datetime
    seats: int
    held_seats: int
    taken: int = Field(description="People with an allocated, confirmed or boarded seat")
    free: int
    price: Decimal | None
    currency: str | None
    status: LegStatus


class LegDecision(BaseModel):
    agree: bool
    reason: ShortText = ""


class ReceptionIn(BaseModel):
    destination: PlaceCode
    day: dt.date
    places: WholeNumber = Field(ge=0, le=100000)


class OfficerReason(BaseModel):
    reason: Annotated[str, StringConstraints(min_length=3, max_length=300)]


class PinIn(OfficerReason):
    leg_id: uuid.UUID


class AllocationSummary(BaseModel):
    seated: int = Field(description="Requests with a seat after the run (groups count once)")
    waiting: int
    people_seated: int
    seconds: float


class BoardingScan(BaseModel):
    mrz: list[Annotated[str, StringConstraints(max_length=44)]] = Field(min_length=2, max_length=3)


class BoardingResult(BaseModel):
    traveller_id: uuid.UUID
    primary_identifier: str
    secondary_identifier: str
    boarded_at: dt.datetime
    stays_closed: int = Field(description="Stay documents of the register closed by departure")
    already_boarded: bool
