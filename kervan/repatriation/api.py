"""JSON API of repatriation: return requests (officers and the public form), legs and their
agreement, the allocation, manifests in four formats, boarding at the gate, counts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field

from kervan.accounts.roles import Permission, Principal, system_principal
from kervan.errors import NotFound
from kervan.messages import RECORD_NOT_FOUND
from kervan.repatriation import allocation_run, boarding, counts, legs, manifests, requests
from kervan.repatriation import messages as m
from kervan.repatriation.models import Channel, ReturnRequest
from kervan.repatriation.priority import parse_reasons
from kervan.repatriation.schemas import (
    AllocationSummary,
    BoardingResult,
    BoardingScan,
    Explanation,
    LegCreate,
    LegDecision,
    LegPublic,
    OfficerReason,
    PinIn,
    Receipt,
    ReceptionIn,
    ReturnRequestCreate,
    ReturnRequestPublic,
    TravellerPublic,
)
from kervan.web.deps import Policy, SessionDep, SettingsDep, client_address, policy
from kervan.web.public_intake import (
    is_bot,
    new_receipt,
    normalise_reference,
    public_limit,
    secret_matches,
)

PREFIX = "/api/v1/repatriation"
PUBLIC_REQUESTS, PUBLIC_STATUS = f"{PREFIX}/public/requests", f"{PREFIX}/public/status"
router = APIRouter(prefix=PREFIX, tags=["repatriation"])

# A reference as typed (case, spaces and dashes forgiven), normalised once for every route.
Reference = Annotated[
    str,
    Path(max_length=20, pattern=r"^[A-Za-z0-9 -]{1,20}$"),
    AfterValidator(normalise_reference),
]


def _public(request: ReturnRequest) -> ReturnRequestPublic:
    explanation = None
    if request.explanation_code:
        params = request.explanation_params or {}
        english = m.MESSAGES.get(request.explanation_code, request.explanation_code)
        explanation = Explanation(
            code=request.explanation_code, params=params, text=english % params
        )
    return ReturnRequestPublic(
        id=request.id,
        reference=request.reference,
        status=request.status,
        host_state=request.host_state,
        origin=request.origin,
        destination=request.destination,
        earliest_date=request.earliest_date,
        priority_reasons=list(parse_reasons(request.priority_reasons)),
        level=request.level,
        size=request.size,
        channel=request.channel.value,
        source=request.source,
        leg_id=request.leg_id,
        pinned=request.pinned,
        explanation=explanation,
        travellers=[
            TravellerPublic.model_validate(t, from_attributes=True) for t in request.travellers
        ],
    )


@router.post("/requests", operation_id="create_return_request", status_code=201)
def create_request(
    body: ReturnRequestCreate,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> ReturnRequestPublic:
    """A consul registers a national's wish to go home, with everyone travelling with them.
    ``source`` names where it came from (an assistance case's reference)."""
    channel = Channel.ASSISTANCE if body.source else Channel.CONSUL
    created, _ = requests.create_request(session, principal, body, channel=channel)
    return _public(created)


@router.get("/requests/{reference}", operation_id="get_return_request")
def get_request(
    reference: Reference,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> ReturnRequestPublic:
    return _public(requests.get_request(session, principal, reference))


@router.post("/requests/{reference}/pin", operation_id="pin_return_request")
def pin(
    reference: Reference,
    body: PinIn,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> ReturnRequestPublic:
    """Seat a request on a leg by an officer's decision, with the reason (audited)."""
    return _public(requests.pin(session, principal, reference, body.leg_id, body.reason))


@router.post("/requests/{reference}/exclude", operation_id="exclude_return_request")
def exclude(
    reference: Reference,
    body: OfficerReason,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> ReturnRequestPublic:
    return _public(requests.exclude(session, principal, reference, body.reason))


@router.post("/requests/{reference}/cancel", operation_id="cancel_return_request")
def cancel(
    reference: Reference,
    body: OfficerReason,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> ReturnRequestPublic:
    return _public(requests.cancel(session, principal, reference, body.reason))


@router.post("/requests/{reference}/no-show", operation_id="record_return_no_show")
def no_show(
    reference: Reference,
    body: OfficerReason,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> ReturnRequestPublic:
    return _public(requests.cancel(session, principal, reference, body.reason, no_show=True))


class PublicReturnRequest(ReturnRequestCreate):
    website: str = Field(default="", max_length=200, description="Leave empty")


class PublicStatusQuery(BaseModel):
    reference: Annotated[str, Field(max_length=20)]
    secret: Annotated[str, Field(max_length=64)]


class PublicStatus(BaseModel):
    reference: str
    status: str
    explanation: Explanation | None


@router.post(
    "/public/requests",
    operation_id="submit_public_return_request",
    status_code=201,
    dependencies=[Depends(Policy(Permission.PUBLIC))],
)
def submit_public(
    body: PublicReturnRequest, http: Request, session: SessionDep, settings: SettingsDep
) -> Receipt:
    """The public return form: a national abroad asks to go home. Rate-limited per address;
    keep the reference and the secret to follow the request."""
    public_limit.check(client_address(http))
    if is_bot({"website": body.website}):
        fake = new_receipt("R")  # answered as if accepted; nothing is stored
        return Receipt(reference=fake.reference, secret=fake.secret)
    node = system_principal(settings.state, "public form")
    data = ReturnRequestCreate.model_validate(body.model_dump(exclude={"website"}))
    _, receipt = requests.create_request(session, node, data, channel=Channel.PUBLIC)
    return Receipt(reference=receipt.reference, secret=receipt.secret)


@router.post(
    "/public/status",
    operation_id="public_return_request_status",
    dependencies=[Depends(Policy(Permission.PUBLIC))],
)
def public_status(body: PublicStatusQuery, http: Request, session: SessionDep) -> PublicStatus:
    """How a request stands, for whoever holds its reference and secret."""
    public_limit.check(client_address(http))
    reference = normalise_reference(body.reference)
    found = requests.public_status(session, reference)
    if not secret_matches(found.secret_hash if found else None, body.secret) or found is None:
        raise NotFound("no such request", code=m.REQUEST_NOT_FOUND, params={"reference": reference})
    return PublicStatus(
        reference=found.reference, status=found.status.value, explanation=_public(found).explanation
    )


@router.get("/legs", operation_id="list_return_legs")
def list_legs(
    session: SessionDep, principal: Principal = policy(Permission.REPATRIATION_READ)
) -> list[LegPublic]:
    return legs.list_legs(session, principal)


@router.post("/legs", operation_id="schedule_return_leg", status_code=201)
def schedule_leg(
    body: LegCreate,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> LegPublic:
    """Schedule a leg; it is announced to the host state, and used once the host agrees."""
    return legs.public(legs.schedule_leg(session, principal, body), 0)


@router.post("/legs/{leg_id}/decision", operation_id="decide_return_leg")
def decide_leg(
    leg_id: uuid.UUID,
    body: LegDecision,
    session: SessionDep,
    principal: Principal = policy(Permission.RETURN_LEGS_DECIDE),
) -> LegPublic:
    return legs.public(legs.decide_leg(session, principal, leg_id, body), 0)


@router.post("/legs/{leg_id}/confirm-seats", operation_id="confirm_return_leg_seats")
def confirm_seats(
    leg_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> dict[str, int]:
    return {"confirmed": requests.confirm_leg(session, principal, leg_id)}


@router.post("/reception", operation_id="set_return_reception", status_code=204)
def set_reception(
    body: ReceptionIn,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    legs.set_reception(session, principal, body)
    return Response(status_code=204)


@router.post("/allocation", operation_id="run_return_allocation")
def run_allocation(
    session: SessionDep, principal: Principal = policy(Permission.REPATRIATION_MANAGE)
) -> AllocationSummary:
    """Allocate seats again: confirmed, pinned and boarded seats stay; the waiting list and
    unconfirmed seats are placed by priority, and every request gets its explanation."""
    return allocation_run.run_allocation(session, principal)


MANIFEST_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "edi": "application/edifact",
}


@router.get(
    "/legs/{leg_id}/manifest.{fmt}",
    operation_id="get_return_manifest",
    responses={
        200: {"content": {t: {"schema": {"type": "string"}} for t in MANIFEST_TYPES.values()}}
    },
)
def manifest(
    leg_id: uuid.UUID,
    fmt: Annotated[str, Path(max_length=4)],
    http: Request,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> Response:
    """A leg's manifest as CSV, XLSX, PDF or UN/EDIFACT PAXLST (``edi``)."""
    if fmt not in MANIFEST_TYPES:
        raise NotFound(f"no manifest format {fmt}", code=RECORD_NOT_FOUND, params={"format": fmt})
    leg = requests.get_leg(session, leg_id, principal.state)
    rows = manifests.passengers(session, principal, leg)
    if fmt == "csv":
        content = manifests.as_csv(rows)
    elif fmt == "xlsx":
        content = manifests.as_xlsx(leg, rows)
    elif fmt == "pdf":
        from kervan.web.i18n import Translator, from_accept_language

        language = from_accept_language(http.headers.get("accept-language", "")) or "en"
        content = manifests.as_pdf(leg, rows, Translator(language).gettext)
    else:
        content = manifests.as_paxlst(
            leg, rows, sender=leg.home_state, recipient=leg.host_state
        ).encode()
    name = f"manifest-{leg.number.replace(' ', '')}-{leg.departs_at:%Y%m%d}.{fmt}"
    return Response(
        content,
        media_type=MANIFEST_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/legs/{leg_id}/manifest/send", operation_id="send_return_manifest")
def send_manifest(
    leg_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> dict[str, int]:
    """Sign the manifest and send it to the host state's node."""
    return {"passengers": manifests.send(session, principal, leg_id)}


@router.post("/legs/{leg_id}/boarding", operation_id="board_return_passenger")
def board(
    leg_id: uuid.UUID,
    body: BoardingScan,
    session: SessionDep,
    principal: Principal = policy(Permission.BOARDING_RECORD),
) -> BoardingResult:
    """The gate scans a passport's MRZ: the passenger boards, their stay is closed, and the
    home state is told."""
    return boarding.board(session, principal, leg_id, body.mrz, today=dt.date.today())


@router.get("/counts", operation_id="return_counts")
def get_counts(
    session: SessionDep, principal: Principal = policy(Permission.REPORTS_READ)
) -> counts.Counts:
    """Requests by status and priority, seats, departures per week and corridor (no person)."""
    return counts.counts(session, principal.state)
