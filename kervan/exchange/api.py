"""JSON API of the exchange, ``/api/v1/exchange``.

The inbox is ``Permission.PUBLIC``: peers are not users of this node. What is authenticated is
each *envelope* (its signature against the trust list), and every refusal is a signed receipt.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kervan.accounts.roles import Permission, Principal
from kervan.errors import KervanError, NotFound
from kervan.exchange import evidence, inbox, trust_store
from kervan.exchange.keys import SigningKey, load_signing_key
from kervan.exchange.message_types import schema_names, schema_text
from kervan.web.deps import SessionDep, SettingsDep, policy

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])


class NotConfigured(KervanError):
    status = 503
    type_slug = "exchange-not-configured"
    title = "The exchange is not configured on this node"


class InboxBatch(BaseModel):
    envelopes: list[str] = Field(max_length=inbox.MAX_BATCH, description="Compact JWS envelopes")


class InboxReceipts(BaseModel):
    receipts: list[str] = Field(description="One signed receipt per envelope, in the same order")


def node_key(request: Request) -> SigningKey:
    """The node's signing key, loaded once per app (from the environment or the keys folder)."""
    cached: SigningKey | None = getattr(request.app.state, "exchange_signing_key", None)
    if cached is None:
        try:
            cached = load_signing_key(request.app.state.settings)
        except KervanError as exc:
            raise NotConfigured(exc.detail) from exc
        request.app.state.exchange_signing_key = cached
    return cached


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
    principal: Principal | None = policy(Permission.PUBLIC),
) -> InboxReceipts:
    signing = node_key(request)
    if trust_store.current(session) is None:
        raise NotConfigured("this node has no trust list yet")
    outcomes = inbox.receive_batch(session, settings, signing, batch.envelopes)
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
        raise NotFound(f"no schema {message_type} version {version}")
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
    return evidence.verify_message(session, message_id).as_dict()
