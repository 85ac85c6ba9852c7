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
