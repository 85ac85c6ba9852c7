"""JSON API of benefits, ``/api/v1``. Thin: parse, authorise, call the service, shape."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, status

from kervan.accounts.roles import Permission, Principal
from kervan.benefits import grants, service
from kervan.benefits.models import BenefitApplication
from kervan.benefits.schemas import (
    BenefitApplicationCreate,
    BenefitApplicationPublic,
    BenefitDecision,
    BenefitKindIn,
    BenefitKindPublic,
    BenefitRejection,
    GrantAllRequest,
    GrantPreviewPublic,
    GrantResultPublic,
)
from kervan.web.deps import SessionDep, SettingsDep, policy

router = APIRouter(prefix="/api/v1", tags=["benefits"])


def application_public(application: BenefitApplication) -> BenefitApplicationPublic:
    return BenefitApplicationPublic.model_validate(
        {
            **{
                name: getattr(application, name)
                for name in BenefitApplicationPublic.model_fields
                if name != "kind_code"
            },
            "kind_code": application.kind.code,
        }
    )


@router.get("/benefit-kinds", operation_id="list_benefit_kinds")
def list_benefit_kinds(
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_READ),
) -> list[BenefitKindPublic]:
    kinds = service.list_kinds(session, principal, state=settings.state)
    return [BenefitKindPublic.model_validate(k) for k in kinds]


@router.post("/benefit-kinds", operation_id="save_benefit_kind")
def save_benefit_kind(
    body: BenefitKindIn,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> BenefitKindPublic:
    """Create a kind, or replace the one with the same code."""
    kind = service.save_kind(session, principal, body, state=settings.state)
    return BenefitKindPublic.model_validate(kind)


@router.get("/persons/{person_id}/benefits", operation_id="list_person_benefits")
def list_person_benefits(
    person_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.BENEFITS_READ),
) -> list[BenefitApplicationPublic]:
    return [application_public(a) for a in service.person_benefits(session, principal, person_id)]


@router.post(
    "/persons/{person_id}/benefits",
    status_code=status.HTTP_201_CREATED,
    operation_id="apply_for_benefit",
)
def apply_for_benefit(
    person_id: uuid.UUID,
    body: BenefitApplicationCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> BenefitApplicationPublic:
    """Enter an application for the person; it comes back evaluated, with the reasons."""
    kind = service.get_kind(
        session, principal, state=settings.state, kind_id=body.kind_id, code=body.kind_code
    )
    application = service.apply_for(
        session, principal, person_id, kind, today=dt.date.today(), notes=body.notes
    )
    return application_public(application)


@router.post("/benefits/{application_id}/approve", operation_id="approve_benefit")
def approve_benefit(
    application_id: uuid.UUID,
    body: BenefitDecision,
    session: SessionDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> BenefitApplicationPublic:
    application = service.approve(
        session,
        principal,
        application_id,
        body.reason,
        today=dt.date.today(),
        entitlement_from=body.entitlement_from,
        entitlement_until=body.entitlement_until,
    )
    return application_public(application)


@router.post("/benefits/{application_id}/reject", operation_id="reject_benefit")
def reject_benefit(
    application_id: uuid.UUID,
    body: BenefitRejection,
    session: SessionDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> BenefitApplicationPublic:
    return application_public(service.reject(session, principal, application_id, body.reason))


@router.post("/benefit-kinds/{kind_id}/grant-all/preview", operation_id="preview_benefit_grant")
def preview_benefit_grant(
    kind_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> GrantPreviewPublic:
    """Who ``grant-all`` would reach today: counts by nationality and a sample. Writes nothing
    but the audit entry of the preview."""
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    preview = grants.preview_grant_all(session, principal, kind, today=dt.date.today())
    return GrantPreviewPublic(
        kind_code=kind.code,
        today=preview.today,
        eligible_without_benefit=preview.total,
        by_nationality=preview.by_nationality,
        sample=preview.sample,
    )


@router.post("/benefit-kinds/{kind_id}/grant-all", operation_id="grant_benefit_to_all")
def grant_benefit_to_all(
    kind_id: uuid.UUID,
    body: GrantAllRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> GrantResultPublic:
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    result = grants.grant_all(
        session,
        principal,
        kind,
        body.reason,
        today=dt.date.today(),
        entitlement_until=body.entitlement_until,
    )
    return GrantResultPublic(
        kind_code=kind.code,
        granted=result.granted,
        by_nationality=result.by_nationality,
        entitlement_from=result.entitlement_from,
        entitlement_until=result.entitlement_until,
        audit_seq=result.audit_seq,
    )
