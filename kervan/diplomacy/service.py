"""Airport access requests: a mission asks, the airport state's authority grants (a signed
pass) or refuses, within a deadline. Requests for another state's airport leave the node as
``airport_access.requested``; the decision comes back the same way (``diplomacy.messages``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal, Role, system_principal
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy import messages
from kervan.diplomacy.accreditations import get_accreditation, require
from kervan.diplomacy.airports import controlling_state
from kervan.diplomacy.models import AccessRequest, Accreditation, AirportAssignment, RequestStatus
from kervan.diplomacy.schemas import AccessRequestCreate, Decision, Refusal
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.exchange.keys import load_signing_key
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


def decide(
    session: Session,
    settings: Settings,
    principal: Principal,
    id: uuid.UUID,
    decision: Decision | Refusal,
) -> AccessRequest:
    """A grant (which signs the pass with the node's key) or a refusal: the API's and the
    pages' one way to decide."""
    if isinstance(decision, Refusal):
        return refuse(
            session, principal, id, decision.reason, node_state=settings.state, now=utcnow()
        )
    return grant(
        session,
        principal,
        id,
        decision.conditions,
        node_state=settings.state,
        signing=load_signing_key(settings),
        now=utcnow(),
    )


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
    request.conditions = conditions or None
    issued = issue_pass(session, principal, request, signing=signing, now=now)
    details = {"pass_id": str(issued.id), "conditions": request.conditions}
    _decided(session, principal, request, RequestStatus.GRANTED, now, details)
    if request.origin_node != node_state:
        messages.send_granted(session, request, issued)
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
    return refuse_request(session, principal, request, reason, now=now)


def refuse_request(
    session: Session,
    actor: Principal,
    request: AccessRequest,
    reason: str,
    *,
    now: dt.datetime,
    code: str | None = None,
) -> AccessRequest:
    """The refusal of a request this node decides: by its authority (a reason they wrote), or
    by the node itself (``code``, e.g. the deadline passed)."""
    request.refusal_reason, request.refusal_code = reason, code
    _decided(session, actor, request, RequestStatus.REFUSED, now, {"reason": reason, "code": code})
    if request.origin_node != request.controlling_state:
        messages.send_refused(session, request)
    return request


def _decided(
    session: Session,
    actor: Principal,
    request: AccessRequest,
    status: RequestStatus,
    now: dt.datetime,
    details: dict[str, Any],
) -> None:
    request.status = status
    request.decided_by, request.decided_at = actor.username, now
    audit.record(
        session,
        actor,
        f"airport_access.{status.value}",
        record_type="airport_access_request",
        record_id=request.id,
        details=details,
    )


def refuse_overdue(session: Session, node_state: str, now: dt.datetime, *, limit: int = 100) -> int:
    """Refuse (up to ``limit``) requests for this node's airports whose decision deadline
    passed with no decision; the requesting node is told, each refusal is audited."""
    overdue = session.scalars(
        select(AccessRequest)
        .where(
            AccessRequest.status == RequestStatus.REQUESTED,
            AccessRequest.decision_due_at <= now,
            AccessRequest.controlling_state == node_state,
        )
        .order_by(AccessRequest.decision_due_at, AccessRequest.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # two workers never refuse the same request
    ).all()
    actor = system_principal(node_state, "decision deadline")
    for request in overdue:
        due = request.decision_due_at.strftime("%Y-%m-%d %H:%M UTC")
        english = f"refused automatically: no decision before the deadline ({due})"
        refuse_request(session, actor, request, english, now=now, code=codes.DEADLINE_PASSED)
    return len(overdue)
