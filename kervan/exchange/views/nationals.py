"""Our nationals abroad: the consulate's read-only view of what host states reported about this
state's nationals, one document at a time, and the proof of the envelope that reported it.

Every search and read goes through ``kervan.exchange.consular``, which scopes it to consular
officers of this node's state and audits it; the proof is ``kervan.exchange.evidence``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.exchange import service
from kervan.exchange.views import labels
from kervan.registry.enums import StayStatus
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.i18n import Translator
from kervan.web.pagination import DEFAULT_PAGE_SIZE
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)

HostState = Annotated[str, Path(pattern="^[A-Za-z]{3}$")]
_STATE = re.compile(r"^[A-Z]{3}$")


def label_context(translator: Translator) -> dict[str, Any]:
    """What the exchange templates use to label stored codes in the officer's language."""
    return {
        "stay_kind_label": partial(labels.stay_kind, translator),
        "stay_status_label": partial(labels.stay_status, translator),
        "stay_purpose_label": partial(labels.stay_purpose, translator),
        "event_label": partial(labels.event, translator),
        "check_label": partial(labels.check, translator),
        "dead_status_label": partial(labels.dead_status, translator),
        "violation_kind_label": partial(labels.violation_kind, translator),
        "instant": instant,
    }


def instant(value: object) -> object:
    """An RFC 3339 time from a signed payload, as a datetime the ``date`` filter can write in
    the officer's language; anything else as it came."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def reported_payload(compact: str) -> dict[str, Any]:
    """The envelope's payload as the host state signed it. Shown, not trusted: the proof page
    verifies the signature."""
    try:
        part = compact.split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (IndexError, ValueError):
        return {}
    return decoded if isinstance(decoded, dict) else {}


@router.get("/nationals-abroad")
def nationals_abroad(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100)] = "",
    host_state: Annotated[str, Query(max_length=3)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    cursor: Annotated[str, Query(max_length=2000)] = "",  # names of up to 200 characters, twice
    principal: Principal = policy(Permission.NATIONALS_ABROAD_READ),
) -> Response:
    host = host_state.upper() if _STATE.match(host_state.upper()) else ""
    chosen = status if status in {s.value for s in StayStatus} else ""
    items, next_cursor = service.search_nationals(
        session,
        principal,
        settings.state,
        query=q,
        host_state=host or None,
        status=chosen or None,
        limit=DEFAULT_PAGE_SIZE,
        cursor=cursor or None,
    )
    filters = {k: v for k, v in (("q", q), ("host_state", host), ("status", chosen)) if v}
    more = urlencode({**filters, "cursor": next_cursor}) if next_cursor else ""
    template = (
        "exchange/_nationals.html"
        if page.request.headers.get("hx-request")
        else "exchange/nationals.html"
    )
    return page.render(
        template,
        items=items,
        q=q,
        host_state=host,
        status=chosen,
        hosts=service.peer_states(session, settings.state),
        statuses=list(StayStatus),
        more=more,
        continued=bool(cursor),
        nav="nationals-abroad",
        **label_context(page.translator),
    )


@router.get("/nationals-abroad/{host_state}/{document_id}")
def national_abroad(
    host_state: HostState,
    document_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.NATIONALS_ABROAD_READ),
) -> Response:
    found = service.national_abroad(session, principal, settings.state, host_state, document_id)
    item, payload = found.item, reported_payload(found.envelope)
    body: dict[str, Any] = payload.get("body") or {}
    reported = next(
        (d for d in body.get("documents") or [] if d.get("id") == str(document_id)), None
    )
    return page.render(
        "exchange/national.html",
        item=item,
        payload=payload,
        reported=reported,
        event=body.get("event") or {},
        waivers=found.waivers,
        has_receipt=found.receipt is not None,
        nav="nationals-abroad",
        **label_context(page.translator),
    )


@router.get("/nationals-abroad/{host_state}/{document_id}/evidence")
def national_abroad_evidence(
    host_state: HostState,
    document_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.NATIONALS_ABROAD_READ),
) -> Response:
    item, proof = service.national_abroad_evidence(
        session, principal, settings.state, host_state, document_id
    )
    return page.render(
        "exchange/evidence.html",
        proof=proof,
        item=item,
        back=f"/nationals-abroad/{item.host_state}/{item.document_id}",
        nav="nationals-abroad",
        **label_context(page.translator),
    )


@router.get("/exchange/messages/{message_id}/evidence")
def message_evidence(
    message_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.EXCHANGE_READ),
) -> Response:
    """Any logged envelope's proof, for the node administrator (a dead letter's, say)."""
    proof = service.read_evidence(session, principal, message_id)
    return page.render(
        "exchange/evidence.html",
        proof=proof,
        item=None,
        back="/exchange/dead-letters",
        nav="dead-letters",
        **label_context(page.translator),
    )
