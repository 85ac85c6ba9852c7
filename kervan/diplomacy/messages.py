"""``airport_access.*`` envelopes: written to the outbox in the transaction of the change, and
applied when they arrive. A request goes to the airport's state; its decision comes back to the
node the request was made on. The home state's node tells those airport states of a change to
the accreditation (``accreditations.listed``)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import system_principal
from kervan.db.base import utcnow
from kervan.diplomacy.models import (
    AccessRequest,
    Accreditation,
    AccreditationSource,
    DiplomaticPass,
    RequestStatus,
)
from kervan.errors import KervanError
from kervan.exchange import outbox
from kervan.exchange.envelopes import Envelope, iso
from kervan.exchange.trust import parse_time
from kervan.registry.codes import SECRETARIAT

log = logging.getLogger("kervan.diplomacy")

REQUESTED, GRANTED = "airport_access.requested", "airport_access.granted"
REFUSED, REVOKED = "airport_access.refused", "airport_access.revoked"
LISTED = "accreditations.listed"


def _outbox(
    session: Session, type_name: str, to_state: str, request_id: uuid.UUID, body: dict[str, Any]
) -> None:
    outbox.add(session, type_name, to_state, ("airport_access", request_id), body)


def send_requested(session: Session, request: AccessRequest, accreditation: Accreditation) -> None:
    body = {
        "request": {
            "id": str(request.id),
            "requesting_state": request.requesting_state,
            "mission": request.mission,
            "airport": request.airport,
            "airport_state": request.controlling_state,
            "terminal": request.terminal,
            "zones": request.zone_list,
            "window_start": iso(request.window_start),
            "window_end": iso(request.window_end),
            "purpose": request.purpose,
            "decision_due_at": iso(request.decision_due_at),
        },
        "accreditation": {
            "card_number": accreditation.card_number,
            "accredited_in": accreditation.accredited_in,
            "home_state": accreditation.home_state,
            "primary_identifier": accreditation.primary_identifier,
            "secondary_identifier": accreditation.secondary_identifier,
            "name_as_written": accreditation.name_as_written,
            "mission": accreditation.mission,
            "function": accreditation.function,
            "valid_from": accreditation.valid_from.isoformat(),
            "valid_until": accreditation.valid_until.isoformat(),
        },
    }
    _outbox(session, REQUESTED, request.controlling_state, request.id, body)


def send_granted(session: Session, request: AccessRequest, issued: DiplomaticPass) -> None:
    body = {
        "request_id": str(request.id),
        "airport_state": request.controlling_state,
        "conditions": request.conditions,
        "decided_at": iso(request.decided_at or utcnow()),
        "pass": {
            "id": str(issued.id),
            "text": issued.text,
            "kid": issued.kid,
            "issued_at": iso(issued.issued_at),
            "valid_from": iso(issued.valid_from),
            "valid_until": iso(issued.valid_until),
        },
    }
    _outbox(session, GRANTED, request.origin_node, request.id, body)


def send_refused(session: Session, request: AccessRequest) -> None:
    body = {
        "request_id": str(request.id),
        "airport_state": request.controlling_state,
        "reason": request.refusal_reason or "",
        "decided_at": iso(request.decided_at or utcnow()),
    }
    if request.refusal_code:
        body["code"] = request.refusal_code
    _outbox(session, REFUSED, request.origin_node, request.id, body)


def send_revoked(
    session: Session,
    request: AccessRequest,
    issued: DiplomaticPass,
    *,
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    body = {
        "request_id": str(request.id),
        "airport_state": request.controlling_state,
        "pass_id": str(issued.id),
        "reason": reason or issued.revocation_reason or "revoked",
        "revoked_at": iso(at or issued.revoked_at or utcnow()),
    }
    _outbox(session, REVOKED, request.origin_node, request.id, body)


def send_listed(session: Session, accreditation: Accreditation) -> None:
    """The home state's list entry of one of its staff, to each airport state this node asked
    for their access: a withdrawal or an earlier end there stops the passes it issued."""
    from kervan.diplomacy.accreditations import list_payload, listed_item

    airport_states = session.scalars(
        select(AccessRequest.controlling_state)
        .where(
            AccessRequest.accreditation_id == accreditation.id,
            AccessRequest.controlling_state != accreditation.home_state,
        )
        .distinct()
    )
    body = list_payload(
        accreditation.home_state, accreditation.accredited_in, [listed_item(accreditation)]
    )
    for state in sorted(airport_states):
        outbox.add(session, LISTED, state, ("accreditation", accreditation.id), body)


# ----------------------------------------------------------------------------------------------
# Who may receive them (checked by the sender's routing and by the receiver).


def to_airport_state(payload: dict[str, Any], receiver: str) -> str | None:
    request = payload["body"]["request"]
    if SECRETARIAT in (receiver, payload["from"]):
        return "airport access is between member states only"
    if request["airport_state"] != receiver:
        return f"{request['airport']} is an airport of {request['airport_state']}, not {receiver}"
    accreditation = payload["body"]["accreditation"]
    if payload["from"] not in (request["requesting_state"], accreditation["accredited_in"]):
        return f"{payload['from']} neither made the request nor accredited its holder"
    return None


def from_airport_state(payload: dict[str, Any], receiver: str) -> str | None:
    if SECRETARIAT in (receiver, payload["from"]):
        return "airport access is between member states only"
    if payload["body"]["airport_state"] != payload["from"]:
        return f"{payload['from']} decides for its own airports only"
    return None


def from_home_state(payload: dict[str, Any], receiver: str) -> str | None:
    if SECRETARIAT in (receiver, payload["from"]):
        return "accreditations go between member states only"
    if payload["body"]["home_state"] != payload["from"]:
        return f"{payload['from']} lists its own staff only"
    return None


# ----------------------------------------------------------------------------------------------
# Applying what arrived.


def _time(value: str) -> dt.datetime:
    parsed = parse_time(value)
    assert parsed is not None
    return parsed


def apply_requested(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    from kervan.diplomacy.accreditations import upsert
    from kervan.diplomacy.schemas import AccreditationCreate

    body = envelope.body
    req, acc = body["request"], body["accreditation"]
    if session.get(AccessRequest, uuid.UUID(req["id"])) is not None:
        return
    try:
        details = AccreditationCreate.model_validate(
            {k: v for k, v in acc.items() if k != "accredited_in"}
        )
        with session.begin_nested():
            accreditation = upsert(
                session,
                system_principal(envelope.to_state, f"{envelope.from_state} node"),
                details,
                accredited_in=acc["accredited_in"],
                source=AccreditationSource.HOME_STATE,
                now=now,
            )
    except (ValidationError, KervanError) as exc:
        # Logged and receipted like every envelope; the mission sees no decision and asks again.
        log.warning("airport access request %s not taken: %s", req["id"], exc)
        return
    session.add(
        AccessRequest(
            id=uuid.UUID(req["id"]),
            requesting_state=req["requesting_state"],
            origin_node=envelope.from_state,
            mission=req["mission"],
            accreditation_id=accreditation.id,
            card_number=acc["card_number"],
            accredited_in=acc["accredited_in"],
            home_state=acc["home_state"],
            holder_primary=acc["primary_identifier"],
            holder_secondary=acc["secondary_identifier"],
            holder_as_written=acc["name_as_written"],
            airport=req["airport"],
            controlling_state=req["airport_state"],
            terminal=req["terminal"],
            zones=",".join(req["zones"]),
            window_start=_time(req["window_start"]),
            window_end=_time(req["window_end"]),
            purpose=req["purpose"],
            status=RequestStatus.REQUESTED,
            decision_due_at=_time(req["decision_due_at"]),
            created_by=f"{envelope.from_state} node",
            created_at=now,
        )
    )
    session.flush()


def _own_request(session: Session, envelope: Envelope) -> AccessRequest | None:
    request = session.get(AccessRequest, uuid.UUID(envelope.body["request_id"]))
    if request is None or request.controlling_state != envelope.from_state:
        return None  # not ours, or not that state's to decide: ignored (logged, receipted)
    return request


def apply_granted(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    request = _own_request(session, envelope)
    if request is None or request.status is not RequestStatus.REQUESTED:
        return
    body, issued = envelope.body, envelope.body["pass"]
    request.status = RequestStatus.GRANTED
    request.conditions = body["conditions"]
    request.decided_at, request.decided_by = _time(body["decided_at"]), envelope.from_state
    session.add(
        DiplomaticPass(
            id=uuid.UUID(issued["id"]),
            request_id=request.id,
            issuing_state=envelope.from_state,
            kid=issued["kid"],
            text=issued["text"],
            issued_at=_time(issued["issued_at"]),
            valid_from=_time(issued["valid_from"]),
            valid_until=_time(issued["valid_until"]),
        )
    )
    session.flush()


def apply_refused(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    request = _own_request(session, envelope)
    if request is None or request.status is not RequestStatus.REQUESTED:
        return
    request.status = RequestStatus.REFUSED
    request.refusal_reason = envelope.body["reason"]
    request.refusal_code = envelope.body.get("code")
    request.decided_at, request.decided_by = _time(envelope.body["decided_at"]), envelope.from_state


def apply_revoked(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    request = _own_request(session, envelope)
    issued = session.get(DiplomaticPass, uuid.UUID(envelope.body["pass_id"]))
    if request is None or issued is None or issued.request_id != request.id:
        return
    request.status = RequestStatus.REVOKED
    issued.revoked_at = issued.revoked_at or _time(envelope.body["revoked_at"])
    issued.revocation_reason = envelope.body["reason"]


def apply_listed(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    """The home state's list (its node signed the envelope): withdrawals and earlier ends stop
    the passes this node issued on them (``accreditations.apply_list``)."""
    from kervan.diplomacy.accreditations import apply_list

    actor = system_principal(envelope.to_state, f"{envelope.from_state} node")
    try:
        with session.begin_nested():
            apply_list(session, actor, envelope.body, signer_state=envelope.from_state, now=now)
    except (ValidationError, KervanError) as exc:
        log.warning("accreditation list from %s not taken: %s", envelope.from_state, exc)


def install() -> None:
    """Register the five message types with the exchange (idempotent)."""
    from kervan.exchange import apply
    from kervan.exchange.message_types import MessageType, register

    register(MessageType(REQUESTED, (1,), to_airport_state))
    for name in (GRANTED, REFUSED, REVOKED):
        register(MessageType(name, (1,), from_airport_state))
    register(MessageType(LISTED, (1,), from_home_state))
    apply.on_envelope(LISTED, apply_listed)
    apply.on_envelope(REQUESTED, apply_requested)
    apply.on_envelope(GRANTED, apply_granted)
    apply.on_envelope(REFUSED, apply_refused)
    apply.on_envelope(REVOKED, apply_revoked)
