"""JSON API of the exchange, ``/api/v1/exchange``.

The inbox is ``Permission.PUBLIC``: peers are not users of this node. What is authenticated is
each *envelope* (its signature against the trust list), and every refusal is a signed receipt.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import KervanError, NotFound
from kervan.exchange import (
    consular,
    dead_letters,
    evidence,
    foreign_measures,
    inbox,
    messages,
    queries,
    trust_store,
)
from kervan.exchange.keys import NodeKeys, SigningKey
from kervan.exchange.limits import PayloadTooLarge, refusal_budget
from kervan.exchange.message_types import schema_names, schema_text
from kervan.exchange.messages import NOT_CONFIGURED
from kervan.exchange.transport import HttpTransport
from kervan.exchange.trust import TrustList
from kervan.messages import RECORD_NOT_FOUND
from kervan.uow import commit_now
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.pagination import PageSize

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])


class NotConfigured(KervanError):
    status = 503
    type_slug = "exchange-not-configured"
    title = "The exchange is not configured on this node"


class InboxBatch(BaseModel):
    envelopes: list[str] = Field(
        description="Compact JWS envelopes (at most KERVAN_EXCHANGE_MAX_BATCH_ENVELOPES)"
    )


class InboxReceipts(BaseModel):
    receipts: list[str] = Field(description="One signed receipt per envelope, in the same order")


def node_keys(request: Request) -> NodeKeys:
    keys: NodeKeys | None = getattr(request.app.state, "exchange_keys", None)
    if keys is None:
        keys = NodeKeys(request.app.state.settings)
        request.app.state.exchange_keys = keys
    return keys


def node_key(request: Request, session: Session) -> SigningKey:
    """The key this node signs with now: chosen at each request against the trust list in
    force, so a rotated key or a new list needs no restart (``keys.NodeKeys``)."""
    return signing_key(request, trust_store.current(session))


def signing_key(request: Request, listed: TrustList | None) -> SigningKey:
    try:
        return node_keys(request).for_signing(listed, utcnow())
    except KervanError as exc:
        raise NotConfigured(exc.detail, code=messages.NOT_CONFIGURED) from exc


@router.post(
    "/inbox",
    operation_id="exchange_inbox",
    response_model=InboxReceipts,
    summary="Deliver a batch of signed envelopes; returns a signed receipt for each",
)
def receive(
    request: Request,
    batch: InboxBatch,
    session: SessionDep,
    settings: SettingsDep,
    source: Annotated[str, Depends(refusal_budget)],
    principal: Principal | None = policy(Permission.PUBLIC),
) -> InboxReceipts:
    if len(batch.envelopes) > settings.exchange_max_batch_envelopes:
        raise PayloadTooLarge(
            f"at most {settings.exchange_max_batch_envelopes} envelopes in one request",
            limit=settings.exchange_max_batch_envelopes,
            code=messages.BATCH_TOO_LARGE,
            params={"limit": settings.exchange_max_batch_envelopes},
        )
    listed = trust_store.current(session)
    if listed is None:
        raise NotConfigured("this node has no trust list yet", code=NOT_CONFIGURED)
    signing = signing_key(request, listed)
    outcomes = inbox.receive_batch(session, settings, signing, batch.envelopes, source=source)
    commit_now(session)  # a receipt says "kept": never for an envelope not yet committed
    return InboxReceipts(receipts=[o.receipt for o in outcomes])


@router.get(
    "/schemas",
    operation_id="exchange_schemas",
    summary="The published JSON Schemas: envelope, receipt and each message type's body",
)
def list_schemas(principal: Principal | None = policy(Permission.PUBLIC)) -> list[dict[str, Any]]:
    return [
        {"type": name, "version": version, "url": f"/api/v1/exchange/schemas/{name}/{version}"}
        for name, version in schema_names()
    ]


@router.get(
    "/schemas/{message_type}/{version}",
    operation_id="exchange_schema",
    summary="One JSON Schema",
)
def get_schema(
    message_type: str, version: int, principal: Principal | None = policy(Permission.PUBLIC)
) -> JSONResponse:
    text = schema_text(message_type, version)
    if text is None:
        raise NotFound(
            f"no schema {message_type} version {version}",
            code=RECORD_NOT_FOUND,
            params={"type": message_type, "version": version},
        )
    return JSONResponse(json.loads(text), media_type="application/schema+json")


@router.get(
    "/trust-list",
    operation_id="exchange_trust_list",
    summary="The trust list in force on this node, as signed (General JSON JWS)",
)
def get_trust_list(
    session: SessionDep, principal: Principal | None = policy(Permission.PUBLIC)
) -> dict[str, Any]:
    return trust_store.current_document(session)


@router.get(
    "/messages/{message_id}/evidence",
    operation_id="exchange_message_evidence",
    summary="Verify a logged envelope and its receipt from the stored signed copies",
)
def message_evidence(
    message_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.EXCHANGE_READ),
) -> dict[str, Any]:
    return evidence.read_evidence(session, principal, message_id).as_dict()


# ----------------------------------------------------------------------------------------------
# The consulate's view: documents of our nationals abroad


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


@router.get(
    "/nationals-abroad",
    operation_id="exchange_nationals_abroad",
    response_model=NationalsAbroadPage,
    summary="Stay documents of this state's nationals abroad, as their host states reported",
)
def nationals_abroad(
    limit: PageSize,
    session: SessionDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100, description="Surname prefix or passport no.")] = "",
    host_state: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
    cursor: str | None = None,
    principal: Principal = policy(Permission.NATIONALS_ABROAD_READ),
) -> NationalsAbroadPage:
    items, next_cursor = consular.search(
        session,
        principal,
        settings.state,
        query=q,
        host_state=host_state,
        limit=limit,
        cursor=cursor,
    )
    return NationalsAbroadPage(
        items=[NationalAbroadPublic(**asdict(i)) for i in items], next_cursor=next_cursor
    )


@router.get(
    "/nationals-abroad/{host_state}/{document_id}",
    operation_id="exchange_national_abroad",
    response_model=NationalAbroadDetail,
    summary="One document of a national abroad with the signed envelope that reported it",
)
def national_abroad(
    host_state: str,
    document_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.NATIONALS_ABROAD_READ),
) -> NationalAbroadDetail:
    item, envelope, receipt = consular.detail(
        session, principal, settings.state, host_state, document_id
    )
    waivers = consular.waivers_of(
        session, principal, settings.state, item.host_state, item.person_id
    )
    return NationalAbroadDetail(
        document=NationalAbroadPublic(**asdict(item)),
        envelope=envelope,
        receipt=receipt,
        waivers=[WaiverAbroadPublic(**asdict(w)) for w in waivers],
    )


# ----------------------------------------------------------------------------------------------
# Measures other states announced


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


@router.get(
    "/foreign-measures",
    operation_id="exchange_foreign_measures",
    response_model=list[ForeignMeasurePublic],
    summary="Measures other states announced, newest status of each",
)
def list_foreign_measures(
    session: SessionDep,
    issuing_state: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    principal: Principal = policy(Permission.MEASURES_READ),
) -> list[ForeignMeasurePublic]:
    found = foreign_measures.list_foreign(
        session, principal, issuing_state=issuing_state, status=status
    )
    return [ForeignMeasurePublic(**asdict(m)) for m in found]


@router.get(
    "/foreign-measures/{issuing_state}/{reference}",
    operation_id="exchange_foreign_measure",
    response_model=ForeignMeasureDetail,
    summary="One announced measure with the signed envelope that last announced it",
)
def get_foreign_measure(
    issuing_state: str,
    reference: str,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_READ),
) -> ForeignMeasureDetail:
    measure, envelope, receipt = foreign_measures.get_foreign(
        session, principal, issuing_state, reference
    )
    return ForeignMeasureDetail(
        measure=ForeignMeasurePublic(**asdict(measure)), envelope=envelope, receipt=receipt
    )


# ----------------------------------------------------------------------------------------------
# Peer queries


class QueryEnvelope(BaseModel):
    envelope: str = Field(description="A signed query.request envelope (compact JWS)")


class QuestionIn(BaseModel):
    host_state: str = Field(pattern="^[A-Z]{3}$", description="The state to ask")
    travel_document_number: str = Field(min_length=3, max_length=20)
    primary_identifier: str = Field("", max_length=200)
    birth_year: int | None = Field(None, ge=1850, le=2200)
    purpose: str = Field(min_length=3, max_length=500, description="Why you ask (audited)")
    legal_basis: str = Field(min_length=3, max_length=500, description="The act allowing it")


def query_transport(request: Request) -> queries.QueryTransport:
    found = getattr(request.app.state, "exchange_query_transport", None)
    if found is None:
        found = HttpTransport(timeout=15.0)
        request.app.state.exchange_query_transport = found
    transport: queries.QueryTransport = found
    return transport


@router.post(
    "/query",
    operation_id="exchange_answer_query",
    summary="Answer a peer's signed query.request with a signed query.response",
)
def answer_query(
    request: Request,
    body: QueryEnvelope,
    session: SessionDep,
    settings: SettingsDep,
    source: Annotated[str, Depends(refusal_budget)],
    principal: Principal | None = policy(Permission.PUBLIC),
) -> dict[str, Any]:
    listed = trust_store.current(session)
    if listed is None:
        raise NotConfigured("this node has no trust list yet", code=NOT_CONFIGURED)
    signing = signing_key(request, listed)
    return queries.answer(session, settings, signing, body.envelope, utcnow(), source=source)


@router.post(
    "/queries",
    operation_id="exchange_ask_peer",
    summary="Ask a host state for the current stay documents of one of our nationals",
)
def ask_peer(
    request: Request,
    question: QuestionIn,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.PEER_QUERY),
) -> dict[str, Any]:
    asked = queries.Question(**question.model_dump())
    queries.require_own_consul(principal, settings.state)  # before the signing key is loaded
    return queries.ask(
        session,
        settings,
        node_key(request, session),
        principal,
        asked,
        query_transport(request),
        utcnow(),
    )


# ----------------------------------------------------------------------------------------------
# Dead letters


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


@router.get(
    "/dead-letters",
    operation_id="exchange_dead_letters",
    response_model=list[DeadLetterPublic],
    summary="Messages a peer refused or that failed too often",
)
def get_dead_letters(
    limit: PageSize,
    session: SessionDep,
    peer: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
    principal: Principal = policy(Permission.EXCHANGE_READ),
) -> list[DeadLetterPublic]:
    return [
        DeadLetterPublic(**asdict(d))
        for d in dead_letters.list_dead(session, principal, peer, limit)
    ]


@router.post(
    "/dead-letters/retry",
    operation_id="exchange_retry_dead_letters",
    summary="Queue dead letters again",
)
def retry_dead_letters(
    body: RetryRequest,
    session: SessionDep,
    principal: Principal = policy(Permission.EXCHANGE_MANAGE),
) -> dict[str, int]:
    count = dead_letters.retry(session, principal, body.ids, body.peer)
    audit.record(
        session,
        principal,
        "exchange.dead_letters.retry",
        details={"count": count, "peer": body.peer or "", "ids": [str(i) for i in body.ids or []]},
    )
    return {"queued": count}
