"""JSON API of diplomacy: accreditations, airport access requests and decisions, passes
(image, PDF, revocation), verification, and what the offline verifier downloads and sends."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import PlainTextResponse, Response

from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.diplomacy import accreditations, passes, service, verifier
from kervan.diplomacy import error_codes as codes
from kervan.diplomacy.codec import open_pass
from kervan.diplomacy.models import AccessRequest
from kervan.diplomacy.rendering import pass_pdf, qr_png
from kervan.diplomacy.schemas import (
    AccessRequestCreate,
    AccessRequestPublic,
    AccreditationCreate,
    AccreditationPublic,
    Decision,
    PassPublic,
    Refusal,
    ScanBatch,
    ScanBatchResult,
    VerifyRequest,
    VerifyResult,
    Withdrawal,
)
from kervan.diplomacy.verification import Post
from kervan.errors import InvalidInput
from kervan.exchange import trust_store
from kervan.exchange.keys import load_signing_key
from kervan.messages import FILE_NOT_UTF8, FILE_TOO_LARGE
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.rate_limits import RateLimit

router = APIRouter(prefix="/api/v1", tags=["diplomacy"])
MAX_IMPORT_BYTES = 2_000_000
verify_limit = RateLimit(240)  # a busy hall door: four a second, per officer
upload_limit = RateLimit(60)


def public(session: SessionDep, request: AccessRequest) -> AccessRequestPublic:
    out = AccessRequestPublic.model_validate(request)
    out.passes = [PassPublic.model_validate(p) for p in passes.passes_of(session, request.id)]
    return out


@router.get("/accreditations", operation_id="list_accreditations")
def list_accreditations(
    session: SessionDep, principal: Principal = policy(Permission.ACCREDITATIONS_READ)
) -> list[AccreditationPublic]:
    found = accreditations.list_accreditations(session, principal)
    return [AccreditationPublic.model_validate(a) for a in found]


@router.post("/accreditations", operation_id="add_accreditation", status_code=201)
def add_accreditation(
    body: AccreditationCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.ACCREDITATIONS_MANAGE),
) -> AccreditationPublic:
    found = accreditations.add_accreditation(
        session, principal, body, node_state=settings.state, now=utcnow()
    )
    return AccreditationPublic.model_validate(found)


@router.post("/accreditations/{id}/withdrawal", operation_id="withdraw_accreditation")
def withdraw_accreditation(
    id: uuid.UUID,
    body: Withdrawal,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.ACCREDITATIONS_MANAGE),
) -> AccreditationPublic:
    found = accreditations.withdraw(
        session, principal, id, body.reason, node_state=settings.state, now=utcnow()
    )
    return AccreditationPublic.model_validate(found)


def read_upload(file: UploadFile) -> str:
    raw = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"the file is larger than {MAX_IMPORT_BYTES:,} bytes",
            code=FILE_TOO_LARGE,
            params={"limit": MAX_IMPORT_BYTES},
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the file is not UTF-8 text", code=FILE_NOT_UTF8) from exc


def import_text(session: SessionDep, principal: Principal, text: str, node_state: str) -> int:
    """A CSV file (header row: the AccreditationCreate fields), or a home state's signed list."""
    now = utcnow()
    if text.lstrip().startswith("ey"):
        trust = trust_store.require_current(session)
        return accreditations.accept_signed_list(session, principal, text, trust=trust, now=now)
    rows = csv.DictReader(io.StringIO(text))
    known = accreditations.known_columns()
    if not known & set(rows.fieldnames or ()):  # not an accreditation file at all: say so
        raise InvalidInput(
            "the file's header row names none of the accreditation columns "
            f"({', '.join(sorted(known))})",
            code=codes.IMPORT_COLUMNS,
            params={"columns": ", ".join(sorted(known))},
        )
    return accreditations.import_rows(session, principal, rows, node_state=node_state, now=now)


@router.post("/accreditations/import", operation_id="import_accreditations")
def import_accreditations(
    file: Annotated[UploadFile, File(description="CSV, or a home state's signed list (JWS)")],
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.ACCREDITATIONS_MANAGE),
) -> dict[str, int]:
    upload_limit.check(principal.username)
    return {"imported": import_text(session, principal, read_upload(file), settings.state)}


@router.get("/airport-access", operation_id="list_airport_access_requests")
def list_requests(
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_READ),
) -> list[AccessRequestPublic]:
    found = service.list_requests(session, principal, node_state=settings.state)
    return [public(session, r) for r in found]


@router.post("/airport-access", operation_id="request_airport_access", status_code=201)
def request_access(
    body: AccessRequestCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_REQUEST),
) -> AccessRequestPublic:
    created = service.create_request(
        session,
        principal,
        body,
        node_state=settings.state,
        now=utcnow(),
        decision_hours=settings.diplomacy_decision_hours,
    )
    return public(session, created)


@router.get("/airport-access/{id}", operation_id="get_airport_access_request")
def get_request(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_READ),
) -> AccessRequestPublic:
    return public(session, service.get_request(session, principal, id, node_state=settings.state))


def _decision_route(kind: type[Decision | Refusal]) -> Callable[..., AccessRequestPublic]:
    """The route of one kind of decision (its body says which): a grant and a refusal differ
    only by their body, so one function serves both (``service.decide``)."""

    def decide(
        id: uuid.UUID,
        body: Decision | Refusal,
        session: SessionDep,
        settings: SettingsDep,
        principal: Principal = policy(Permission.AIRPORT_ACCESS_DECIDE),
    ) -> AccessRequestPublic:
        return public(session, service.decide(session, settings, principal, id, body))

    decide.__annotations__ = {**decide.__annotations__, "body": kind}  # the body FastAPI reads
    return decide


router.post("/airport-access/{id}/grant", operation_id="grant_airport_access", name="grant")(
    _decision_route(Decision)
)
router.post("/airport-access/{id}/refusal", operation_id="refuse_airport_access", name="refuse")(
    _decision_route(Refusal)
)


@router.post("/passes/{id}/revocation", operation_id="revoke_pass")
def revoke(
    id: uuid.UUID,
    body: Withdrawal,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_DECIDE),
) -> PassPublic:
    found = passes.revoke_pass(
        session, principal, id, body.reason, node_state=settings.state, now=utcnow()
    )
    return PassPublic.model_validate(found)


@router.get("/passes/{id}/qr.png", operation_id="pass_qr_png")
def pass_png(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_READ),
) -> Response:
    found, _ = passes.pass_in_scope(session, principal, id, node_state=settings.state)
    return Response(qr_png(found.text), media_type="image/png")


@router.get("/passes/{id}/pass.pdf", operation_id="pass_pdf")
def pass_as_pdf(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_READ),
) -> Response:
    found, _ = passes.pass_in_scope(session, principal, id, node_state=settings.state)
    pdf = pass_pdf(found.text, open_pass(found.text).claims)
    headers = {"Content-Disposition": f'attachment; filename="pass-{found.id}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/passes/verify", operation_id="verify_pass")
def verify_pass(
    body: VerifyRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.PASSES_VERIFY),
) -> VerifyResult:
    verify_limit.check(principal.username)
    return verifier.verify(
        session,
        principal,
        body.text,
        Post(body.airport, body.zone),
        trust=trust_store.require_current(session),
        node_state=settings.state,
        now=utcnow(),
    )


@router.post("/passes/scans", operation_id="record_pass_scans")
def record_scans(
    body: ScanBatch,
    session: SessionDep,
    principal: Principal = policy(Permission.PASSES_VERIFY),
) -> ScanBatchResult:
    upload_limit.check(principal.username)
    new = verifier.record_scans(session, principal, body.scans, now=utcnow())
    return ScanBatchResult(received=len(body.scans), new=new)


@router.get("/passes/signer-keys", operation_id="pass_signer_keys")
def signer_keys(
    session: SessionDep, principal: Principal | None = policy(Permission.PUBLIC)
) -> dict[str, object]:
    """Public keys only: what an offline verifier needs to check signatures."""
    return verifier.signer_keys(trust_store.require_current(session))


@router.get(
    "/passes/revocations",
    operation_id="pass_revocations",
    response_class=PlainTextResponse,
    responses={200: {"content": {"application/jose": {"schema": {"type": "string"}}}}},
)
def revocations(
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> PlainTextResponse:
    """This node's revoked passes as a compact JWS signed with its key (pass ids only)."""
    text = passes.revocation_list(session, load_signing_key(settings), utcnow())
    return PlainTextResponse(text, media_type="application/jose")
