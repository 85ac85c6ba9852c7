"""Benefit operations: configure kinds, apply for a person, evaluate, approve or reject. Each
function works on the caller's session (it flushes, never commits), checks the principal, and
audits what it touches. Grants to every eligible person are in ``grants.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import in_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.benefits import messages
from kervan.benefits.eligibility import evaluate
from kervan.benefits.enums import DECIDABLE_STATUSES, ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.benefits.schemas import BenefitKindIn, BenefitKindsFile
from kervan.db.base import utcnow
from kervan.errors import Conflict, FieldError, InvalidInput, NotFound, pydantic_field_errors
from kervan.measures.scope import ScopeError, parse_scope, scope_to_data
from kervan.messages import RECORD_NOT_FOUND
from kervan.registry.models import Person

# ----------------------------------------------------------------------------------------------
# Kinds


def _pydantic_errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    return pydantic_field_errors(exc, prefix, default="file")


def save_kind(
    session: Session, principal: Principal, data: BenefitKindIn, *, state: str
) -> BenefitKind:
    """Create the kind, or update the one of the same code in ``state``."""
    require(principal, Permission.BENEFITS_CONFIGURE)
    scope = parse_scope(data.eligibility, path="eligibility")
    kind = session.scalar(
        select(BenefitKind).where(BenefitKind.state == state, BenefitKind.code == data.code)
    )
    created = kind is None
    if kind is None:
        kind = BenefitKind(state=state, code=data.code)
        session.add(kind)
    kind.names = dict(data.names)
    kind.description = data.description
    kind.descriptions = dict(data.descriptions)
    # Stored in canonical form, so that what is shown and compared is what was understood.
    kind.eligibility = scope_to_data(scope)
    kind.default_entitlement_days = data.default_entitlement_days
    kind.active = data.active
    session.flush()
    audit.record(
        session,
        principal,
        "benefit_kind.create" if created else "benefit_kind.update",
        record_type="benefit_kind",
        record_id=kind.id,
        details={"code": kind.code, "eligibility": kind.eligibility, "active": kind.active},
    )
    return kind


def set_eligibility(
    session: Session, principal: Principal, kind: BenefitKind, rule: Mapping[str, Any] | None
) -> BenefitKind:
    """Who is eligible for ``kind`` from now on (a scope; empty means everyone), as the officer
    chose it on the kind's page; audited with the rule before and after."""
    require(principal, Permission.BENEFITS_CONFIGURE)
    scope = parse_scope(rule, path="eligibility")
    before = kind.eligibility
    kind.eligibility = scope_to_data(scope)
    session.flush()
    audit.record(
        session,
        principal,
        "benefit_kind.eligibility",
        record_type="benefit_kind",
        record_id=kind.id,
        details={"code": kind.code, "before": before, "after": kind.eligibility},
    )
    return kind


def load_kinds(
    session: Session, principal: Principal, data: Mapping[str, Any], *, state: str
) -> list[BenefitKind]:
    """Configure every kind of a benefit kinds file; every problem is reported at once, by its
    path in the file (``kinds[1].eligibility.all[0].nationality``), and nothing is saved."""
    require(principal, Permission.BENEFITS_CONFIGURE)
    try:
        parsed = BenefitKindsFile.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            "the benefit kinds file is not valid",
            errors=_pydantic_errors(exc),
            code=messages.KINDS_FILE_INVALID,
        ) from None
    errors: list[FieldError] = []
    if parsed.state is not None and parsed.state != state:
        errors.append(FieldError("state", f"the file is for {parsed.state}, this node is {state}"))
    for i, kind in enumerate(parsed.kinds):
        try:
            parse_scope(kind.eligibility, path=f"kinds[{i}].eligibility")
        except ScopeError as exc:
            errors.extend(exc.errors)
    codes = [k.code for k in parsed.kinds]
    errors.extend(
        FieldError(f"kinds[{i}].code", f"{code} appears twice")
        for i, code in enumerate(codes)
        if code in codes[:i]
    )
    if errors:
        raise InvalidInput(
            "the benefit kinds file is not valid", errors=errors, code=messages.KINDS_FILE_INVALID
        )
    return [save_kind(session, principal, kind, state=state) for kind in parsed.kinds]


def list_kinds(
    session: Session, principal: Principal, *, state: str, active_only: bool = False
) -> list[BenefitKind]:
    require(principal, Permission.BENEFITS_READ)
    query = select(BenefitKind).where(BenefitKind.state == state).order_by(BenefitKind.code)
    if active_only:
        query = query.where(BenefitKind.active.is_(True))
    return list(session.scalars(query))


def kind_names(session: Session, state: str) -> dict[str, dict[str, str]]:
    """The names ({language: name}) of ``state``'s benefit kinds by code: reference data shown
    wherever a measure names a kind it grants, to every role that reads measures; no person."""
    query = select(BenefitKind.code, BenefitKind.names).where(BenefitKind.state == state)
    return {code: dict(names or {}) for code, names in session.execute(query)}


def get_kind(
    session: Session,
    principal: Principal,
    *,
    state: str,
    kind_id: uuid.UUID | None = None,
    code: str | None = None,
) -> BenefitKind:
    require(principal, Permission.BENEFITS_READ)
    query = select(BenefitKind).where(BenefitKind.state == state)
    if kind_id is not None:
        query = query.where(BenefitKind.id == kind_id)
    elif code is not None:
        query = query.where(BenefitKind.code == code)
    else:
        raise InvalidInput("name the benefit kind by id or by code", code=messages.NAME_THE_KIND)
    kind = session.scalar(query)
    if kind is None:
        raise NotFound(
            f"no benefit kind {kind_id or code} in {state}",
            code=RECORD_NOT_FOUND,
            params={"id": str(kind_id or code)},
        )
    return kind


# ----------------------------------------------------------------------------------------------
# Applications


def _person(session: Session, principal: Principal, person_id: uuid.UUID, action: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or not in_scope(principal, person.nationality):
        audit.record_on_failure(
            session,
            principal,
            action,
            outcome="not_found",
            record_type="person",
            record_id=person_id,
        )
        raise NotFound(
            f"no person {person_id}", code=RECORD_NOT_FOUND, params={"id": str(person_id)}
        )
    return person


def _evaluate_into(
    session: Session,
    application: BenefitApplication,
    person: Person,
    kind: BenefitKind,
    today: dt.date,
) -> None:
    result = evaluate(session, person, kind, today=today)
    application.eligibility_reasons = result.reasons_data()
    application.evaluated_at = utcnow()
    application.status = (
        ApplicationStatus.ELIGIBLE if result.eligible else (ApplicationStatus.INELIGIBLE)
    )


def apply_for(
    session: Session,
    principal: Principal,
    person_id: uuid.UUID,
    kind: BenefitKind,
    *,
    today: dt.date,
    notes: str = "",
) -> BenefitApplication:
    """An officer enters an application for a migrant; its eligibility is evaluated at once."""
    require(principal, Permission.BENEFITS_DECIDE)
    person = _person(session, principal, person_id, "benefit.apply")
    if not kind.active:
        raise Conflict(
            f"the benefit kind {kind.code} is not active",
            code=messages.KIND_NOT_ACTIVE,
            params={"kind": kind.names or kind.code},
        )
    application = BenefitApplication(
        person_id=person.id,
        kind_id=kind.id,
        kind=kind,
        nationality=person.nationality,
        created_by=principal.actor,
        notes=notes,
    )
    _evaluate_into(session, application, person, kind, today)
    session.add(application)
    session.flush()
    audit.record(
        session,
        principal,
        "benefit.apply",
        record_type="benefit_application",
        record_id=application.id,
        details={"person_id": str(person.id), "kind": kind.code, "status": application.status},
    )
    return application


def person_benefits(
    session: Session, principal: Principal, person_id: uuid.UUID
) -> list[BenefitApplication]:
    require(principal, Permission.BENEFITS_READ)
    person = _person(session, principal, person_id, "benefit.read")
    return list(
        session.scalars(
            select(BenefitApplication)
            .where(BenefitApplication.person_id == person.id)
            .order_by(BenefitApplication.id.desc())
        )
    )


def _application(
    session: Session, principal: Principal, application_id: uuid.UUID, action: str
) -> BenefitApplication:
    # Locked: two officers deciding the same application at once must not both succeed.
    application = session.scalar(
        select(BenefitApplication)
        .where(BenefitApplication.id == application_id)
        .with_for_update(of=BenefitApplication)
    )
    if application is None or not in_scope(principal, application.nationality):
        audit.record_on_failure(
            session,
            principal,
            action,
            outcome="not_found",
            record_type="benefit_application",
            record_id=application_id,
        )
        raise NotFound(
            f"no benefit application {application_id}",
            code=RECORD_NOT_FOUND,
            params={"id": str(application_id)},
        )
    return application


def approve(
    session: Session,
    principal: Principal,
    application_id: uuid.UUID,
    reason: str,
    *,
    today: dt.date,
    entitlement_from: dt.date | None = None,
    entitlement_until: dt.date | None = None,
) -> BenefitApplication:
    """Approve an application whose person is eligible now (re-evaluated at decision time: the
    register may have changed since the application was entered)."""
    require(principal, Permission.BENEFITS_DECIDE)
    application = _application(session, principal, application_id, "benefit.approve")
    if application.status not in DECIDABLE_STATUSES:
        raise Conflict(
            f"the application is {application.status.value} and cannot be approved",
            code=messages.CANNOT_APPROVE,
            params={"status": application.status.value},
        )
    person = _person(session, principal, application.person_id, "benefit.approve")
    _evaluate_into(session, application, person, application.kind, today)
    if application.status is not ApplicationStatus.ELIGIBLE:
        session.flush()
        raise Conflict(
            "the person is not eligible for this benefit; reject the application instead",
            reasons=application.eligibility_reasons,
            code=messages.NOT_ELIGIBLE,
        )
    start = entitlement_from or today
    until = entitlement_until or start + dt.timedelta(
        days=application.kind.default_entitlement_days - 1
    )
    if until < start:
        raise InvalidInput(
            "the entitlement ends before it begins",
            errors=[FieldError("entitlement_until", f"{until} is before {start}")],
            code=messages.ENTITLEMENT_REVERSED,
            params={"until": until.isoformat(), "start": start.isoformat()},
        )
    _decide(application, principal, ApplicationStatus.APPROVED, reason)
    application.entitlement_from, application.entitlement_until = start, until
    session.flush()
    _audit_decision(session, principal, application, "benefit.approve")
    return application


def reject(
    session: Session, principal: Principal, application_id: uuid.UUID, reason: str
) -> BenefitApplication:
    require(principal, Permission.BENEFITS_DECIDE)
    application = _application(session, principal, application_id, "benefit.reject")
    if application.status not in (*DECIDABLE_STATUSES, ApplicationStatus.INELIGIBLE):
        raise Conflict(
            f"the application is {application.status.value} and cannot be rejected",
            code=messages.CANNOT_REJECT,
            params={"status": application.status.value},
        )
    _decide(application, principal, ApplicationStatus.REJECTED, reason)
    session.flush()
    _audit_decision(session, principal, application, "benefit.reject")
    return application


def _decide(
    application: BenefitApplication, principal: Principal, status: ApplicationStatus, reason: str
) -> None:
    application.status = status
    application.decided_by = principal.actor
    application.decided_at = utcnow()
    application.decision_reason = reason.strip()


def _audit_decision(
    session: Session, principal: Principal, application: BenefitApplication, action: str
) -> None:
    audit.record(
        session,
        principal,
        action,
        record_type="benefit_application",
        record_id=application.id,
        details={
            "person_id": str(application.person_id),
            "kind": application.kind.code,
            "reason": application.decision_reason,
            "until": str(application.entitlement_until or ""),
        },
    )


def get_application(
    session: Session, principal: Principal, application_id: uuid.UUID
) -> BenefitApplication:
    require(principal, Permission.BENEFITS_READ)
    application = session.get(BenefitApplication, application_id)
    if application is None or not in_scope(principal, application.nationality):
        raise NotFound(
            f"no benefit application {application_id}",
            code=RECORD_NOT_FOUND,
            params={"id": str(application_id)},
        )
    return application
