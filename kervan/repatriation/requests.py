"""Return requests: registered by a consul, through the public form, or from an assistance
case; pinned, excluded, cancelled or marked no-show by an officer (audited)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, selectinload

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.repatriation import messages as m
from kervan.repatriation.models import (
    Channel,
    Leg,
    LegStatus,
    RequestStatus,
    ReturnRequest,
    Traveller,
)
from kervan.repatriation.priority import format_reasons, level_of
from kervan.repatriation.schemas import ReturnRequestCreate
from kervan.web.public_intake import Receipt, new_receipt

# Statuses the allocation may still place or move; the others are settled.
OPEN = (RequestStatus.WAITING, RequestStatus.ALLOCATED)


def create_request(
    session: Session,
    principal: Principal,
    data: ReturnRequestCreate,
    *,
    channel: Channel = Channel.CONSUL,
    home_state: str | None = None,
) -> tuple[ReturnRequest, Receipt]:
    """A request of one of ``home_state``'s nationals (the caller's state by default)."""
    if channel is not Channel.PUBLIC:
        require(principal, Permission.REPATRIATION_MANAGE)
    if not data.consent:
        raise InvalidInput("consent is required", code=m.CONSENT_REQUIRED, params={})
    receipt = new_receipt("R")
    request = ReturnRequest(
        reference=receipt.reference,
        secret_hash=receipt.secret_hash if channel is Channel.PUBLIC else None,
        home_state=home_state or principal.state,
        host_state=data.host_state,
        origin=data.origin,
        destination=data.destination,
        destination_city=data.destination_city,
        earliest_date=data.earliest_date,
        document_status=data.document_status,
        priority_reasons=format_reasons(data.priority_reasons),
        level=level_of(data.priority_reasons),
        size=len(data.travellers),
        contact=data.contact,
        consent_at=utcnow(),
        channel=channel,
        source=data.source,
        status=RequestStatus.WAITING,
        travellers=[
            Traveller(
                position=i,
                nationality=home_state or principal.state,
                **t.model_dump(),
            )
            for i, t in enumerate(data.travellers)
        ],
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        principal,
        "repatriation.request.create",
        record_type="return_request",
        record_id=request.id,
        details={"reference": request.reference, "channel": channel.value, "size": request.size},
    )
    return request, receipt


def get_request(session: Session, principal: Principal, reference: str) -> ReturnRequest:
    require(principal, Permission.REPATRIATION_READ)
    request = session.scalar(
        select(ReturnRequest)
        .where(ReturnRequest.reference == reference, ReturnRequest.home_state == principal.state)
        .options(selectinload(ReturnRequest.travellers))
    )
    if request is None:
        raise NotFound(
            f"no return request {reference}",
            code=m.REQUEST_NOT_FOUND,
            params={"reference": reference},
        )
    audit.record(
        session,
        principal,
        "repatriation.request.read",
        record_type="return_request",
        record_id=request.id,
    )
    return request


def get_leg(session: Session, leg_id: uuid.UUID, state: str) -> Leg:
    leg = session.get(Leg, leg_id)
    if leg is None or state not in (leg.home_state, leg.host_state):
        raise NotFound(f"no leg {leg_id}", code=m.LEG_NOT_FOUND, params={"leg": str(leg_id)})
    return leg


def _decide(
    session: Session, principal: Principal, reference: str, action: str, reason: str
) -> ReturnRequest:
    require(principal, Permission.REPATRIATION_MANAGE)
    request = get_request(session, principal, reference)
    audit.record(
        session,
        principal,
        f"repatriation.request.{action}",
        record_type="return_request",
        record_id=request.id,
        purpose=reason,
        details={"status": request.status.value, "leg_id": str(request.leg_id or "")},
    )
    return request


def _refuse_status(request: ReturnRequest, allowed: tuple[RequestStatus, ...]) -> None:
    if request.status not in allowed:
        raise Conflict(
            f"the request is {request.status.value}",
            code=m.WRONG_STATUS,
            params={"status": request.status.value},
        )


def pin(
    session: Session, principal: Principal, reference: str, leg_id: uuid.UUID, reason: str
) -> ReturnRequest:
    """Seat the request on a leg by an officer's decision; the allocation keeps it there."""
    request = _decide(session, principal, reference, "pin", reason)
    _refuse_status(request, (*OPEN, RequestStatus.EXCLUDED))
    leg = get_leg(session, leg_id, principal.state)
    if leg.status is not LegStatus.AGREED:
        raise Conflict("leg not agreed", code=m.LEG_NOT_CONFIRMED, params={"leg": leg.label})
    from kervan.repatriation.occupancy import taken

    if request.leg_id != leg.id and taken(session, leg.id) + request.size > leg.passenger_seats:
        raise Conflict("leg full", code=m.LEG_FULL, params={"leg": leg.label, "size": request.size})
    request.leg_id, request.pinned, request.officer_reason = leg.id, True, reason
    request.status = RequestStatus.CONFIRMED
    return request


def exclude(session: Session, principal: Principal, reference: str, reason: str) -> ReturnRequest:
    request = _decide(session, principal, reference, "exclude", reason)
    _refuse_status(request, (*OPEN, RequestStatus.CONFIRMED))
    request.status, request.leg_id, request.pinned = RequestStatus.EXCLUDED, None, False
    request.officer_reason = reason
    return request


def cancel(
    session: Session, principal: Principal, reference: str, reason: str, *, no_show: bool = False
) -> ReturnRequest:
    """The person no longer travels (or did not come to the gate): the seat is freed for the
    waiting list at the next incremental run."""
    request = _decide(session, principal, reference, "no-show" if no_show else "cancel", reason)
    _refuse_status(request, (*OPEN, RequestStatus.CONFIRMED, RequestStatus.EXCLUDED))
    request.status = RequestStatus.NO_SHOW if no_show else RequestStatus.CANCELLED
    request.officer_reason = reason
    request.updated_at = utcnow()
    return request


# Statuses in which a request may still be changed: not yet travelled, cancelled or absent.
EDITABLE = (*OPEN, RequestStatus.CONFIRMED, RequestStatus.EXCLUDED)
# What an edit may change; the allocation reads the first five (and the group's size).
EDITED = (
    "host_state", "origin", "destination", "earliest_date", "priority_reasons",
    "destination_city", "document_status", "contact",
)  # fmt: skip
TRAVELLER_FIELDS = (
    "primary_identifier", "secondary_identifier", "birth_date", "sex", "passport_number",
    "passport_state", "relationship_to_applicant",
)  # fmt: skip


def seat_released_by(
    session: Session, request: ReturnRequest, data: ReturnRequestCreate
) -> Leg | None:
    """The leg whose seat (proposed or confirmed) an edit gives up: the changed request no
    longer fits it — another host state, corridor, an earliest day after the departure, or
    more people than the seat was for. None: the request keeps its seat, or has none."""
    if request.leg_id is None or request.status not in (
        RequestStatus.ALLOCATED,
        RequestStatus.CONFIRMED,
    ):
        return None
    leg = session.get(Leg, request.leg_id)
    if leg is None:
        return None
    fits = (
        data.host_state == leg.host_state
        and data.origin == leg.origin
        and data.destination == leg.destination
        and data.earliest_date <= leg.departs_at.date()
        and len(data.travellers) <= request.size
    )
    return None if fits else leg


def update_request(
    session: Session, principal: Principal, reference: str, data: ReturnRequestCreate
) -> tuple[ReturnRequest, Leg | None]:
    """Change a registered request: where the person is and goes, the earliest day, the
    document, the priority reasons, the contact and the group (travellers updated in place by
    position, so their ids — and a manifest already sent — stay valid). A seat the changed
    request still fits is kept; one it no longer fits is released (``seat_released_by``) and
    the request waits for the next allocation. Returns the request and the released leg."""
    require(principal, Permission.REPATRIATION_MANAGE)
    if not data.consent:
        raise InvalidInput("consent is required", code=m.CONSENT_REQUIRED, params={})
    request = get_request(session, principal, reference)
    _refuse_status(request, EDITABLE)
    released = seat_released_by(session, request, data)
    new_values = {
        **{name: getattr(data, name) for name in EDITED if name != "priority_reasons"},
        "priority_reasons": format_reasons(data.priority_reasons),
    }
    changed = sorted(name for name, value in new_values.items() if getattr(request, name) != value)
    for name, value in new_values.items():
        setattr(request, name, value)
    request.level = level_of(data.priority_reasons)
    kept = request.travellers[: len(data.travellers)]
    for gone in request.travellers[len(data.travellers) :]:
        request.travellers.remove(gone)
    session.flush()
    for position, given in enumerate(data.travellers):
        fields = given.model_dump()
        if position < len(kept):
            person = kept[position]
            if any(getattr(person, n) != fields.get(n) for n in TRAVELLER_FIELDS):
                changed.append(f"traveller {position}")
            for name in TRAVELLER_FIELDS:
                setattr(person, name, fields.get(name))
        else:
            changed.append(f"traveller {position}")
            request.travellers.append(
                Traveller(position=position, nationality=request.home_state, **fields)
            )
    request.size = len(data.travellers)
    if released is not None:
        request.status, request.leg_id, request.pinned = RequestStatus.WAITING, None, False
        request.explanation_code, request.explanation_params = None, None
    request.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal,
        "repatriation.request.update",
        record_type="return_request",
        record_id=request.id,
        details={
            "changed": changed,
            "size": request.size,
            "released_leg": str(released.id) if released else "",
        },
    )
    return request, released


def confirm_leg(session: Session, principal: Principal, leg_id: uuid.UUID) -> int:
    """Tell the people allocated to a leg that their seat is theirs: from now on no re-run
    moves them. Returns how many requests were confirmed."""
    require(principal, Permission.REPATRIATION_MANAGE)
    leg = get_leg(session, leg_id, principal.state)
    rows = session.scalars(
        select(ReturnRequest).where(
            ReturnRequest.leg_id == leg.id, ReturnRequest.status == RequestStatus.ALLOCATED
        )
    ).all()
    for request in rows:
        request.status = RequestStatus.CONFIRMED
    audit.record(
        session,
        principal,
        "repatriation.leg.confirm-seats",
        record_type="return_leg",
        record_id=leg.id,
        details={"requests": len(rows)},
    )
    return len(rows)


def public_status(session: Session, reference: str) -> ReturnRequest | None:
    return session.scalar(select(ReturnRequest).where(ReturnRequest.reference == reference))


def list_requests(
    session: Session,
    principal: Principal,
    *,
    status: RequestStatus | None = None,
    after: tuple[dt.datetime, uuid.UUID] | None = None,
    limit: int = 50,
) -> list[ReturnRequest]:
    """The caller's state's requests in the order they were registered (keyset ``after`` the
    last one shown), applicants only: a list names no group member (the read is audited)."""
    require(principal, Permission.REPATRIATION_READ)
    query = select(ReturnRequest).where(ReturnRequest.home_state == principal.state)
    if status is not None:
        query = query.where(ReturnRequest.status == status)
    if after is not None:
        query = query.where(tuple_(ReturnRequest.registered_at, ReturnRequest.id) > after)
    found = session.scalars(
        query.options(selectinload(ReturnRequest.travellers))
        .order_by(ReturnRequest.registered_at, ReturnRequest.id)
        .limit(limit)
    ).all()
    if found:
        audit.record(
            session,
            principal,
            "repatriation.request.list",
            record_type="return_requests",
            details={"count": len(found), "status": status.value if status else ""},
        )
    return list(found)
