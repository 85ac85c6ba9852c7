"""JSON API of the exchange, ``/api/v1/exchange``.

The inbox is ``Permission.PUBLIC``: peers are not users of this node. What is authenticated is
each *envelope* (its signature against the trust list), and every refusal is a signed receipt.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from kervan.accounts.roles import Permission, Principal
from kervan.errors import NotFound
from kervan.exchange import queries, service
from kervan.exchange.keys import NodeKeys
from kervan.exchange.limits import refusal_budget
from kervan.exchange.message_types import schema_names, schema_text
from kervan.exchange.schemas import (
    DeadLetterPublic,
    ForeignMeasureDetail,
    ForeignMeasurePublic,
    InboxBatch,
    InboxReceipts,
    NationalAbroadDetail,
    NationalAbroadPublic,
    NationalsAbroadPage,
    QueryEnvelope,
    QuestionIn,
    RetryRequest,
    WaiverAbroadPublic,
)
from kervan.exchange.transport import HttpTransport
from kervan.messages import RECORD_NOT_FOUND
from kervan.uow import commit_now
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.pagination import PageSize

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])


def node_keys(request: Request) -> NodeKeys:
    """The node's keys, read once per app (``keys.NodeKeys`` follows the folder)."""
    keys: NodeKeys | None = getattr(request.app.state, "exchange_keys", None)
    if keys is None:
        keys = NodeKeys(request.app.state.settings)
        request.app.state.exchange_keys = keys
    return keys


def query_transport(request: Request) -> queries.QueryTransport:
    found = getattr(request.app.state, "exchange_query_transport", None)
    if found is None:
        found = HttpTransport(timeout=15.0)
        request.app.state.exchange_query_transport = found
    transport: queries.QueryTransport = found
    return transport


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
    receipts = service.receive(session, settings, node_keys(request), batch.envelopes, source)
    commit_now(session)  # a receipt says "kept": never for an envelope not yet committed
    return InboxReceipts(receipts=receipts)


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
    return service.trust_list_document(session)


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
    return service.read_evidence(session, principal, message_id).as_dict()


# ----------------------------------------------------------------------------------------------
# The consulate's view: documents of our nationals abroad


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
    items, next_cursor = service.search_nationals(
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
    found = service.national_abroad(session, principal, settings.state, host_state, document_id)
    return NationalAbroadDetail(
        document=NationalAbroadPublic(**asdict(found.item)),
        envelope=found.envelope,
        receipt=found.receipt,
        waivers=[WaiverAbroadPublic(**asdict(w)) for w in found.waivers],
    )


# ----------------------------------------------------------------------------------------------
# Measures other states announced


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
    found = service.list_foreign_measures(
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
    measure, envelope, receipt = service.get_foreign_measure(
        session, principal, issuing_state, reference
    )
    return ForeignMeasureDetail(
        measure=ForeignMeasurePublic(**asdict(measure)), envelope=envelope, receipt=receipt
    )


# ----------------------------------------------------------------------------------------------
# Peer queries


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
    return service.answer_query(session, settings, node_keys(request), body.envelope, source)


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
    keys, transport = node_keys(request), query_transport(request)
    return service.ask(session, settings, keys, principal, asked, transport)


# ----------------------------------------------------------------------------------------------
# Dead letters


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
        for d in service.list_dead_letters(session, principal, peer, limit)
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
    return {"queued": service.retry_dead_letters(session, principal, body.ids, body.peer)}
