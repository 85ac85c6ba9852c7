"""JSON API of the register, ``/api/v1``. Thin: parse, authorise, call the service, shape."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.errors import FieldError, InvalidInput
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.registry import queries, search, service
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.registry.messages import BIRTH_DATE, SEARCH_EMPTY
from kervan.registry.models import Person
from kervan.registry.schemas import (
    BirthDate,
    MRZText,
    PersonCorrection,
    PersonCreate,
    PersonFromMRZ,
    PersonPublic,
    PersonSummary,
    SearchHit,
    SearchRequest,
    SearchResults,
    StayDocumentCorrection,
    StayDocumentCreate,
    StayDocumentExtend,
    StayDocumentPublic,
    StayDocumentReason,
    StayEventPublic,
    ViolationCreate,
    ViolationPublic,
    ViolationWaive,
)
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.pagination import Cursor, Page, PageSize

router = APIRouter(prefix="/api/v1", tags=["register"])


def person_summary(person: Person) -> PersonSummary:
    return PersonSummary(
        id=person.id,
        primary_name=person.primary_name,
        secondary_name=person.secondary_name,
        primary_identifier=person.primary_identifier,
        secondary_identifier=person.secondary_identifier,
        nationality=person.nationality,
        birth_date=service.birth_date_text(person),
        sex=person.sex,
    )


def person_public(person: Person) -> PersonPublic:
    return PersonPublic(
        **person_summary(person).model_dump(),
        patronymic=person.patronymic,
        name_script=person.name_script,
        travel_documents=person.travel_documents,
        stay_documents=person.stay_documents,
        violations=person.violations,
    )


@router.post("/persons", status_code=status.HTTP_201_CREATED, operation_id="create_person")
def create_person(
    body: PersonCreate,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> PersonPublic:
    person = service.create_person(session, principal, body)
    session.refresh(person)
    return person_public(person)


@router.get("/persons", operation_id="list_persons")
def list_persons(
    limit: PageSize,
    session: SessionDep,
    nationality: str | None = None,
    cursor: Cursor = None,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Page[PersonSummary]:
    rows, next_cursor = queries.list_persons(
        session, principal, nationality=nationality, cursor=cursor, limit=limit
    )
    return Page(items=[person_summary(p) for p in rows], next_cursor=next_cursor)


def _search(session: Session, principal: Principal, body: SearchRequest) -> SearchResults:
    try:
        birth = BirthDate.parse(body.birth_date) if body.birth_date else None
    except ValueError as exc:
        raise InvalidInput(
            str(exc), errors=[FieldError("birth_date", str(exc), BIRTH_DATE)], code=BIRTH_DATE
        ) from exc
    text = "\n".join(body.mrz) if body.mrz else body.q
    if not text.strip() and not body.document_number:
        raise InvalidInput(
            "give a name, a document number or an MRZ to search for", code=SEARCH_EMPTY
        )
    hits = search.search_persons(
        session,
        principal,
        text,
        birth_date=birth,
        document_number=body.document_number,
        limit=body.limit,
    )
    return SearchResults(
        items=[
            SearchHit(
                person=person_summary(h.person),
                score=h.score,
                matched_on=h.matched_on,
                name_parts=h.name_parts,
            )
            for h in hits
        ]
    )


@router.get("/persons/search", operation_id="search_persons")
def search_persons(
    session: SessionDep,
    q: Annotated[str, Query(max_length=400, description="Name in any script, or number")] = "",
    birth_date: Annotated[str | None, Query(description="YYYY-MM-DD, XX if unknown")] = None,
    document_number: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> SearchResults:
    body = SearchRequest(q=q, birth_date=birth_date, document_number=document_number, limit=limit)
    return _search(session, principal, body)


@router.post("/persons/search", operation_id="search_persons_post")
def search_persons_post(
    body: SearchRequest,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> SearchResults:
    """The same search with a JSON body: the way to send a multi-line MRZ."""
    return _search(session, principal, body)


@router.post(
    "/persons/from-mrz", status_code=status.HTTP_201_CREATED, operation_id="create_person_from_mrz"
)
def create_person_from_mrz(
    body: PersonFromMRZ,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> PersonPublic:
    person = service.create_person_from_mrz(session, principal, body)
    session.refresh(person)
    return person_public(person)


@router.post("/mrz/parse", operation_id="parse_mrz", tags=["identity"])
def parse_mrz_route(
    body: MRZText,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> dict[str, object]:
    """Parse and check an MRZ: every check digit; the exact reason if it is invalid."""
    try:
        return parse_mrz(body.mrz).to_dict()
    except MRZError as exc:
        raise InvalidInput(
            f"invalid MRZ: {exc}",
            errors=[FieldError(exc.field or "mrz", str(exc), exc.code, exc.params)],
            code=exc.code,
            params=exc.params,
        ) from exc


@router.get("/persons/{person_id}", operation_id="get_person")
def get_person(
    person_id: uuid.UUID,
    session: SessionDep,
    purpose: Annotated[str, Query(max_length=500)] = "",
    principal: Principal = policy(Permission.REGISTER_READ),
) -> PersonPublic:
    return person_public(service.get_person(session, principal, person_id, purpose=purpose))


@router.patch("/persons/{person_id}", operation_id="correct_person")
def correct_person(
    person_id: uuid.UUID,
    body: PersonCorrection,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> PersonSummary:
    return person_summary(service.correct_person(session, principal, person_id, body))


@router.post(
    "/persons/{person_id}/stay-documents",
    status_code=status.HTTP_201_CREATED,
    operation_id="issue_stay_document",
)
def issue_stay_document(
    person_id: uuid.UUID,
    body: StayDocumentCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> StayDocumentPublic:
    document = service.issue_document(
        session, principal, person_id, body, host_state=settings.state
    )
    return StayDocumentPublic.model_validate(document)


@router.post(
    "/persons/{person_id}/violations",
    status_code=status.HTTP_201_CREATED,
    operation_id="record_violation",
)
def record_violation(
    person_id: uuid.UUID,
    body: ViolationCreate,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> ViolationPublic:
    violation = service.record_violation(session, principal, person_id, body)
    return ViolationPublic.model_validate(violation)


@router.post("/violations/{violation_id}/waive", operation_id="waive_violation")
def waive_violation(
    violation_id: uuid.UUID,
    body: ViolationWaive,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> ViolationPublic:
    """Forgive one penalty by an officer's decision; the home state is told
    (``violation.waived``)."""
    violation = service.waive_violation(
        session, principal, violation_id, body.reason, host_state=settings.state
    )
    return ViolationPublic.model_validate(violation)


@router.get("/stay-documents", operation_id="list_stay_documents")
def list_stay_documents(
    limit: PageSize,
    session: SessionDep,
    nationality: str | None = None,
    kind: StayKind | None = None,
    status: StayStatus | None = None,
    purpose: StayPurpose | None = None,
    expires_from: dt.date | None = None,
    expires_to: dt.date | None = None,
    sort: queries.DocumentSort = "valid_until",
    cursor: Cursor = None,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Page[StayDocumentPublic]:
    filters = queries.DocumentFilter(
        nationality=nationality.upper() if nationality else None,
        kind=kind,
        status=status,
        purpose=purpose,
        expires_from=expires_from,
        expires_to=expires_to,
    )
    rows, next_cursor = queries.list_documents(
        session, principal, filters, sort=sort, cursor=cursor, limit=limit
    )
    return Page(items=[StayDocumentPublic.model_validate(d) for d in rows], next_cursor=next_cursor)


@router.get("/stay-documents/{document_id}", operation_id="get_stay_document")
def get_stay_document(
    document_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> StayDocumentPublic:
    return StayDocumentPublic.model_validate(service.get_document(session, principal, document_id))


@router.patch("/stay-documents/{document_id}", operation_id="correct_stay_document")
def correct_stay_document(
    document_id: uuid.UUID,
    body: StayDocumentCorrection,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> StayDocumentPublic:
    document = service.correct_document(session, principal, document_id, body)
    return StayDocumentPublic.model_validate(document)


@router.get("/stay-documents/{document_id}/history", operation_id="stay_document_history")
def stay_document_history(
    document_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> list[StayEventPublic]:
    events = service.document_history(session, principal, document_id)
    return [StayEventPublic.model_validate(e) for e in events]


@router.post("/stay-documents/{document_id}/extend", operation_id="extend_stay_document")
def extend_stay_document(
    document_id: uuid.UUID,
    body: StayDocumentExtend,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> StayDocumentPublic:
    document = service.extend_document(
        session, principal, document_id, body.valid_until, body.reason
    )
    return StayDocumentPublic.model_validate(document)


@router.post("/stay-documents/{document_id}/revoke", operation_id="revoke_stay_document")
def revoke_stay_document(
    document_id: uuid.UUID,
    body: StayDocumentReason,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> StayDocumentPublic:
    document = service.revoke_document(session, principal, document_id, body.reason)
    return StayDocumentPublic.model_validate(document)


@router.post("/stay-documents/{document_id}/cancel", operation_id="cancel_stay_document")
def cancel_stay_document(
    document_id: uuid.UUID,
    body: StayDocumentReason,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_WRITE),
) -> StayDocumentPublic:
    document = service.cancel_document(session, principal, document_id, body.reason)
    return StayDocumentPublic.model_validate(document)
