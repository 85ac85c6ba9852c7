"""Dead letters: messages a peer refused or that failed too often, peer by peer, and sending
them again — one, or all of a peer's — for the node administrator. ``kervan.exchange.
dead_letters`` lists and requeues them; the retry is audited here as the API audits it."""

from __future__ import annotations

import re
import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import RedirectResponse, Response

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.errors import InvalidInput
from kervan.exchange import dead_letters, messages
from kervan.exchange.views import labels
from kervan.web.deps import SessionDep, policy
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
    counts = dead_letters.count_by_peer(session, principal)
    letters = dead_letters.list_dead(session, principal, chosen or None, SHOWN)
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


@router.post("/exchange/dead-letters/retry", dependencies=[Depends(csrf_protect)])
def retry_dead_letters(
    session: SessionDep,
    message_id: Annotated[str, Form(max_length=40)] = "",
    peer: Annotated[str, Form(max_length=3)] = "",
    back: Annotated[str, Form(max_length=3)] = "",
    principal: Principal = policy(Permission.EXCHANGE_MANAGE),
) -> Response:
    """One message (``message_id``) or every dead letter of ``peer``; never all peers at once
    from a button, so that one click cannot resend a whole node's failures."""
    try:
        ids = [uuid.UUID(message_id)] if message_id else None
    except ValueError as exc:
        raise InvalidInput("the message id is not a UUID", code=messages.MESSAGE_ID) from exc
    if ids is None and not _STATE.match(peer):
        raise InvalidInput("name the message or the peer to retry", code=messages.RETRY_WHAT)
    chosen_peer = peer if ids is None else None
    count = dead_letters.retry(session, principal, ids, chosen_peer)
    audit.record(
        session,
        principal,
        "exchange.dead_letters.retry",
        details={"count": count, "peer": chosen_peer or "", "ids": [str(i) for i in ids or []]},
    )
    target = f"/exchange/dead-letters?queued={count}"
    if _STATE.match(back):
        target += f"&peer={back}"
    return RedirectResponse(target, status_code=303)
