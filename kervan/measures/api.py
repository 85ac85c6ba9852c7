"""JSON API of measures, ``/api/v1/measures``. Thin: parse, authorise, call the service, shape."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import APIRouter, Depends, status

from kervan.accounts.roles import Permission, Principal
from kervan.measures import explain, preview, service
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.schemas import (
    ApplyResult,
    Explanation,
    LegalBasis,
    LiftRequest,
    MeasureEventPublic,
    MeasureIn,
    MeasurePublic,
)
from kervan.web.deps import Policy, SessionDep, policy

router = APIRouter(prefix="/api/v1", tags=["measures"])
# Explaining measures for a person shows register data: both permissions are needed.
EXPLAIN_POLICIES = [Depends(Policy(Permission.MEASURES_READ))]


def measure_public(measure: Measure) -> MeasurePublic:
    return MeasurePublic(
        id=measure.id,
        reference=measure.reference,
        issuing_state=measure.issuing_state,
        legal_basis=LegalBasis(
            act=measure.legal_act,
            act_texts=measure.legal_act_texts or {},
            number=measure.legal_number,
            date=measure.legal_date,
            link=measure.legal_link,
        ),
        title=measure.title,
        summary=measure.summary,
        period={"from": measure.period_start, "to": measure.period_end},
        scope=measure.scope,
        actions=measure.actions,
        status=measure.status,
        created_at=measure.created_at,
        created_by=measure.created_by,
        previewed_at=measure.previewed_at,
        in_force_at=measure.in_force_at,
        in_force_by=measure.in_force_by,
        lifted_at=measure.lifted_at,
        lifted_by=measure.lifted_by,
        lift_reason=measure.lift_reason,
        applied_at=measure.applied_at,
        apply_requested_at=measure.apply_requested_at,
    )


@router.get("/measures", operation_id="list_measures")
def list_measures(
    session: SessionDep,
    status_filter: MeasureStatus | None = None,
    principal: Principal = policy(Permission.MEASURES_READ),
) -> list[MeasurePublic]:
    return [measure_public(m) for m in service.list_measures(session, principal, status_filter)]


@router.post("/measures", status_code=status.HTTP_201_CREATED, operation_id="create_measure")
def create_measure(
    body: MeasureIn,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> MeasurePublic:
    return measure_public(service.create_measure(session, principal, body))


@router.get("/measures/{measure_id}", operation_id="get_measure")
def get_measure(
    measure_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_READ),
) -> MeasurePublic:
    return measure_public(service.get_measure(session, principal, measure_id))


@router.put("/measures/{measure_id}", operation_id="update_measure")
def update_measure(
    measure_id: uuid.UUID,
    body: MeasureIn,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> MeasurePublic:
    return measure_public(service.update_measure(session, principal, measure_id, body))


@router.post("/measures/{measure_id}/preview", operation_id="preview_measure")
def preview_measure(
    measure_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> dict[str, Any]:
    return preview.preview_measure(session, principal, measure_id, today=dt.date.today())


@router.post("/measures/{measure_id}/activate", operation_id="activate_measure")
def activate_measure(
    measure_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> MeasurePublic:
    return measure_public(service.activate_measure(session, principal, measure_id))


@router.get("/measures/{measure_id}/events", operation_id="list_measure_events")
def list_measure_events(
    measure_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_READ),
) -> list[MeasureEventPublic]:
    """The measure's decisions, oldest first: created, previewed, activated, applied, lifted."""
    service.get_measure(session, principal, measure_id)
    return [
        MeasureEventPublic(
            kind=e.kind.value, at=e.at, actor=e.actor, reason=e.reason, details=e.details
        )
        for e in service.events_of(session, measure_id)
    ]


@router.post("/measures/{measure_id}/apply", operation_id="apply_measure")
def apply_measure(
    measure_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> ApplyResult:
    """One pass in the request's transaction; for a very large register on PostgreSQL use
    ``kervan measures apply``, which commits chunk by chunk and resumes."""
    counts = service.apply_measure(session, principal, measure_id, today=dt.date.today())
    return ApplyResult(
        measure_id=measure_id,
        documents_extended=counts.documents,
        messages_written=counts.messages,
        violations_waived=counts.violations,
        chunks=1,
    )


@router.post("/measures/{measure_id}/lift", operation_id="lift_measure")
def lift_measure(
    measure_id: uuid.UUID,
    body: LiftRequest,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> MeasurePublic:
    return measure_public(service.lift_measure(session, principal, measure_id, body.reason))


@router.get(
    "/persons/{person_id}/measures",
    operation_id="explain_measures_for_person",
    dependencies=EXPLAIN_POLICIES,
)
def explain_person(
    person_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Explanation:
    return explain.explain_person(session, principal, person_id, today=dt.date.today())


@router.get(
    "/stay-documents/{document_id}/measures",
    operation_id="explain_measures_for_document",
    dependencies=EXPLAIN_POLICIES,
)
def explain_document(
    document_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Explanation:
    return explain.explain_document(session, principal, document_id, today=dt.date.today())
