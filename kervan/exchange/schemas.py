"""The exchange API's shapes (pydantic): what a peer or a client sends and what it reads back.
The envelopes' own shapes are JSON Schemas in ``envelope_schemas/``."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from kervan.whole_numbers import WholeNumber


class InboxBatch(BaseModel):
    envelopes: list[str] = Field(
        description="Compact JWS envelopes (at most KERVAN_EXCHANGE_MAX_BATCH_ENVELOPES)"
    )


class InboxReceipts(BaseModel):
    receipts: list[str] = Field(description="One signed receipt per envelope, in the same order")


class NationalAbroadPublic(BaseModel):
    host_state: str
    document_id: uuid.UUID
    person_id: uuid.UUID = Field(description="The person's id in the host state's register")
    primary_identifier: str
    secondary_identifier: str
    birth_year: int
    travel_document_number: str
    kind: str
    number: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    last_event: str = Field(description="Type of the envelope that last changed it")
    envelope_id: uuid.UUID = Field(description="The signed envelope that reported this state")
    updated_at: dt.datetime


class NationalsAbroadPage(BaseModel):
    items: list[NationalAbroadPublic]
    next_cursor: str | None = None


class WaiverAbroadPublic(BaseModel):
    host_state: str
    violation_id: uuid.UUID = Field(description="The violation's id in the host state's register")
    person_id: uuid.UUID
    kind: str
    period_start: dt.date
    period_end: dt.date | None
    status: str = Field(description="The violation's status when last reported (waived, …)")
    measure_id: uuid.UUID | None = Field(description="The host state's measure that waived it")
    measure: str | None = Field(description="That measure's reference and title")
    reason: str | None = Field(description="The officer's reason, when waived by a decision")
    waived_at: dt.datetime
    envelope_id: uuid.UUID = Field(description="The signed envelope that reported it")
    updated_at: dt.datetime


class NationalAbroadDetail(BaseModel):
    document: NationalAbroadPublic
    envelope: str = Field(description="The host state's signed envelope (compact JWS)")
    receipt: str | None = Field(description="This node's signed receipt for it")
    waivers: list[WaiverAbroadPublic] = Field(
        default_factory=list,
        description="Violations of the same person the host state reported waived",
    )


class ForeignMeasurePublic(BaseModel):
    issuing_state: str
    reference: str
    measure_id: uuid.UUID = Field(description="The measure's id on the issuing node")
    legal_act: str
    legal_act_texts: dict[str, str] = Field(
        default_factory=dict, description="The act's name per language, where announced"
    )
    legal_number: str
    legal_date: dt.date
    period_start: dt.date
    period_end: dt.date
    title: dict[str, str]
    summary: dict[str, str]
    status: str = Field(description="As last announced: in_force or lifted")
    announced_at: dt.datetime = Field(description="When the issuing node committed the change")
    envelope_id: uuid.UUID = Field(description="The signed envelope that last announced it")
    first_received_at: dt.datetime
    updated_at: dt.datetime


class ForeignMeasureDetail(BaseModel):
    measure: ForeignMeasurePublic
    envelope: str = Field(description="The issuing state's signed envelope (compact JWS)")
    receipt: str | None = Field(description="This node's signed receipt for it")


class QueryEnvelope(BaseModel):
    envelope: str = Field(description="A signed query.request envelope (compact JWS)")


class QuestionIn(BaseModel):
    host_state: str = Field(pattern="^[A-Z]{3}$", description="The state to ask")
    travel_document_number: str = Field(min_length=3, max_length=20)
    primary_identifier: str = Field("", max_length=200)
    birth_year: WholeNumber | None = Field(None, ge=1850, le=2200)
    purpose: str = Field(min_length=3, max_length=500, description="Why you ask (audited)")
    legal_basis: str = Field(min_length=3, max_length=500, description="The act allowing it")


class DeadLetterPublic(BaseModel):
    id: uuid.UUID
    type: str
    to_state: str
    status: str = Field(description="dead (too many failures) or rejected (the peer refused)")
    attempts: int
    last_error: str
    subject: str
    has_receipt: bool


class RetryRequest(BaseModel):
    ids: list[uuid.UUID] | None = Field(None, description="Messages to retry (none: all)")
    peer: str | None = Field(None, pattern="^[A-Z]{3}$")
