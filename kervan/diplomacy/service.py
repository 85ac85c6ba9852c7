"""Airport access requests: a mission asks, the airport state's authority grants (a signed
pass) or refuses, within a deadline. Requests for another state's airport leave the node as
``airport_access.requested``; the decision comes back the same way (``diplomacy.messages``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, Role
from kervan.db.ids import uuid7
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy import messages
from kervan.diplomacy.accreditations import get_accreditation
from kervan.diplomacy.airports import controlling_state
from kervan.diplomacy.models import AccessRequest, Accreditation, AirportAssignment, RequestStatus
from kervan.diplomacy.schemas import AccessRequestCreate
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.messages import ENDS_BEFORE_START, RECORD_NOT_FOUND

MAX_WINDOW = dt.timedelta(days=31)


def assigned_airports(session: Session, principal: Principal) -> list[str]:
    if principal.user_id is None:
        return []
    rows = session.scalars(
        select(AirportAssignment.airport).where(AirportAssignment.user_id == principal.user_id)
    )
    return sorted(rows)


def scoped(session: Session, principal: Principal, node_state: str) -> Select[AccessRequest]:
    """Missions see their own requests; an authority officer the requests for the airports
    assigned to them on their own state's node; nobody else any."""
    query = select(AccessRequest)
    if principal.role is Role.CONSULAR_OFFICER:
        return query.where(AccessRequest.requesting_state == principal.state)
    if principal.role is Role.BORDER_OFFICER and principal.state == node_state:
        return query.where(
            AccessRequest.controlling_state == node_state,
            AccessRequest.airport.in_(assigned_airports(session, principal)),
        )
    return query.where(AccessRequest.id.is_(None))


def list_requests(
    session: Session, principal: Principal, *, node_state: str, limit: int = 200
) -> list[AccessRequest]:
    require(principal, Permission.AIRPORT_ACCESS_READ)
    query = scoped(session, principal, node_state).order_by(AccessRequest.id.desc()).limit(limit)
    found = list(session.scalars(query))
    audit.record(
        session,
        principal,
        "airport_access.list",
        record_type="airport_access_request",
        details={"count": len(found)},
    )
    return found


def get_request(
    session: Session, principal: Principal, id: uuid.UUID, *, node_state: str
) -> AccessRequest:
    require(principal, Permission.AIRPORT_ACCESS_READ)
    found = session.scalar(scoped(session, principal, node_state).where(AccessRequest.id == id))
    if found is None:
        audit.record_on_failure(
            session,
            principal,
            "airport_access.read",
            record_type="airport_access_request",
            record_id=id,
            outcome="not-found",
        )
        raise NotFound(f"no access request {id}", code=RECORD_NOT_FOUND, params={"id": str(id)})
    audit.record(
        session,
        principal,
        "airport_access.read",
        record_type="airport_access_request",
        record_id=id,
    )
    return found


def create_request(
    session: Session,
    principal: Principal,
    data: AccessRequestCreate,
    *,
    node_state: str,
    now: dt.datetime,
    decision_hours: int,
) -> AccessRequest:
    require(principal, Permission.AIRPORT_ACCESS_REQUEST)
    accreditation = get_accreditation(session, principal, data.accreditation_id)
    airport_state = controlling_state(data.airport)
    if airport_state is None:
        raise InvalidInput(
            f"{data.airport} is not an airport of a member state",
            code=codes.NOT_AN_AIRPORT,
            params={"airport": data.airport},
        )
    _check_window(data, now)
    _check_accreditation(accreditation, data.window_start)
    request = AccessRequest(
        id=uuid7(),
        requesting_state=principal.state,
        origin_node=node_state,
        mission=accreditation.mission,
        accreditation_id=accreditation.id,
        card_number=accreditation.card_number,
        accredited_in=accreditation.accredited_in,
        home_state=accreditation.home_state,
        holder_primary=accreditation.primary_identifier,
        holder_secondary=accreditation.secondary_identifier,
        holder_as_written=accreditation.name_as_written,
        airport=data.airport,
        controlling_state=airport_state,
        terminal=data.terminal,
        zones=",".join(dict.fromkeys(data.zones)),
        window_start=data.window_start,
        window_end=data.window_end,
        purpose=data.purpose,
        status=RequestStatus.REQUESTED,
        decision_due_at=now + dt.timedelta(hours=decision_hours),
        created_by=principal.username,
        created_at=now,
    )
    session.add(request)
    session.flush()
    if airport_state != node_state:
        messages.send_requested(session, request, accreditation)
    audit.record(
        session,
        principal,
        "airport_access.requested",
        record_type="airport_access_request",
        record_id=request.id,
        details={"airport": request.airport, "to": airport_state},
    )
    return request


def _check_window(data: AccessRequestCreate, now: dt.datetime) -> None:
    if data.window_start.tzinfo is None or data.window_end.tzinfo is None:
        raise InvalidInput(
            "give the window's times with a time zone (UTC: a trailing Z)",
            code=codes.WINDOW_TIME_ZONE,
        )
    if data.window_end <= data.window_start:
        raise InvalidInput("the window ends before it begins", code=ENDS_BEFORE_START)
    if data.window_end <= now:
        raise InvalidInput("the window is already over", code=codes.WINDOW_OVER)
    if data.window_end - data.window_start > MAX_WINDOW:
        raise InvalidInput(
            f"a window may last at most {MAX_WINDOW.days} days",
            code=codes.WINDOW_TOO_LONG,
            params={"days": MAX_WINDOW.days},
        )


def _check_accreditation(accreditation: Accreditation, start: dt.datetime) -> None:
    if accreditation.withdrawn_at is not None:
        raise Conflict(
            f"accreditation {accreditation.card_number} was withdrawn",
            code=codes.ACCREDITATION_WITHDRAWN,
            params={"card": accreditation.card_number},
        )
    if accreditation.valid_until < start.date():
        raise Conflict(
            f"accreditation {accreditation.card_number} ends before the window",
            code=codes.ACCREDITATION_ENDS,
            params={"card": accreditation.card_number},
        )


def _decidable(
    session: Session, principal: Principal, id: uuid.UUID, node_state: str
) -> AccessRequest:
    require(principal, Permission.AIRPORT_ACCESS_DECIDE)
    request = get_request(session, principal, id, node_state=node_state)
    if request.status is not RequestStatus.REQUESTED:
        raise Conflict(
            f"the request is already {request.status.value}",
            code=codes.REQUEST_DECIDED,
            params={"status": request.status.value},
        )
    return request


def grant(
    session: Session,
    principal: Principal,
    id: uuid.UUID,
    conditions: str,
    *,
    node_state: str,
    signing: object,
    now: dt.datetime,
) -> AccessRequest:
    from kervan.diplomacy.passes import issue_pass

    request = _decidable(session, principal, id, node_state)
    if request.accreditation_id is not None:
        accreditation = get_accreditation(session, principal, request.accreditation_id)
        _check_accreditation(accreditation, max(request.window_start, now))
    request.status = RequestStatus.GRANTED
    request.conditions = conditions or None
    request.decided_by, request.decided_at = principal.username, now
    issued = issue_pass(session, principal, request, signing=signing, now=now)
    tell_and_record(
        session,
        principal,
        request,
        node_state,
        lambda: messages.send_granted(session, request, issued),
        ("airport_access.granted", "airport_access_request", request.id),
        {"pass_id": str(issued.id), "conditions": request.conditions},
    )
    return request


def refuse(
    session: Session,
    principal: Principal,
    id: uuid.UUID,
    reason: str,
    *,
    node_state: str,
    now: dt.datetime,
) -> AccessRequest:
    request = _decidable(session, principal, id, node_state)
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason
    request.decided_by, request.decided_at = principal.username, now
    tell_and_record(
        session,
        principal,
        request,
        node_state,
        lambda: messages.send_refused(session, request),
        ("airport_access.refused", "airport_access_request", request.id),
        {"reason": reason},
    )
    return request


def tell_and_record(
    session: Session,
    principal: Principal,
    request: AccessRequest,
    node_state: str,
    tell: Callable[[], None],
    action: tuple[str, str, uuid.UUID],
    details: dict[str, Any],
) -> None:
    """After a decision on a request (grant, refusal, a pass revoked): the node the request
    came from is told (``tell`` writes its outbox message) unless it is this one, and the
    decision is audited as ``action`` (name, record type, record id)."""
    if request.origin_node != node_state:
        tell()
    name, record_type, record_id = action
    audit.record(
        session, principal, name, record_type=record_type, record_id=record_id, details=details
    )
