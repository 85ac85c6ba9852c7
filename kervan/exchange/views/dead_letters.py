"""Dead letters: messages a peer refused or that failed too often, peer by peer, and sending
them again — one, or all of a peer's — for the node administrator. ``kervan.exchange.service``
lists, requeues and audits them, for this page and the API alike."""

from __future__ import annotations

import re
import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import AfterValidator, BeforeValidator

from kervan.accounts.roles import Permission, Principal
from kervan.errors import CodedValueError, InvalidInput
from kervan.exchange import dead_letters, messages, service
from kervan.exchange.views import labels
from kervan.web.deps import SessionDep, policy
from kervan.web.forms import FormModel, FormValues, fields_of, parse_form
from kervan.web.security import csrf_protect
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)

SHOWN = 200
_STATE = re.compile(r"^[A-Z]{3}$")


@router.get("/exchange/dead-letters")
def dead_letters_page(
    page: PageDep,
    session: SessionDep,
    peer: Annotated[str, Query(max_length=3)] = "",
    queued: Annotated[int | None, Query(ge=0)] = None,
    principal: Principal = policy(Permission.EXCHANGE_READ),
) -> Response:
    chosen = peer.upper() if _STATE.match(peer.upper()) else ""
    counts = service.dead_letters_by_peer(session, principal)
    letters = service.list_dead_letters(session, principal, chosen or None, SHOWN)
    by_peer: dict[str, list[dead_letters.DeadLetter]] = {}
    for letter in letters:
        by_peer.setdefault(letter.to_state, []).append(letter)
    return page.render(
        "exchange/dead_letters.html",
        counts=counts,
        by_peer=by_peer,
        chosen=chosen,
        shown=len(letters),
        total=counts.get(chosen, 0) if chosen else sum(counts.values()),
        queued=queued,
        dead_status_label=partial(labels.dead_status, page.translator),
        nav="dead-letters",
    )


def _message_id(value: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CodedValueError("not a UUID", messages.MESSAGE_ID) from None


def _state_or_empty(value: str) -> str:
    return value if _STATE.match(value) else ""


class RetryForm(FormModel):
    """One message (``message_id``) or every dead letter of ``peer``; ``back`` is the peer
    the page showed."""

    message_id: Annotated[uuid.UUID | None, BeforeValidator(_message_id)] = None
    peer: Annotated[str, AfterValidator(_state_or_empty)] = ""
    back: Annotated[str, AfterValidator(_state_or_empty)] = ""


@router.post("/exchange/dead-letters/retry", dependencies=[Depends(csrf_protect)])
def retry_dead_letters(
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.EXCHANGE_MANAGE),
) -> Response:
    """Never all peers at once from a button, so that one click cannot resend a whole node's
    failures. The form has no page of its own: a refusal is the error page."""
    form = parse_form(RetryForm, fields_of(RetryForm, sent))
    if form.message_id is None and not form.peer:
        raise InvalidInput("name the message or the peer to retry", code=messages.RETRY_WHAT)
    ids = [form.message_id] if form.message_id else None
    count = service.retry_dead_letters(session, principal, ids, None if ids else form.peer)
    target = f"/exchange/dead-letters?queued={count}"
    if form.back:
        target += f"&peer={form.back}"
    return RedirectResponse(target, status_code=303)
