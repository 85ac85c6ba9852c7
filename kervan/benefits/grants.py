"""Granting a benefit kind to every eligible person who has none: previewed first (counts by
nationality and a sample), then done in one ``INSERT … SELECT`` over the register and audited
with one entry carrying the counts — never a Python loop over persons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Select, exists, func, insert, literal, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.benefits import messages
from kervan.benefits.eligibility import eligibility_scope
from kervan.benefits.enums import BLOCKING_STATUSES, ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.db.base import UTCDateTime, utcnow
from kervan.db.ids import uuid7_sql
from kervan.errors import Conflict, FieldError, InvalidInput
from kervan.measures.scope import compile_person_scope
from kervan.messages import REASON_REQUIRED
from kervan.registry.models import Person

SAMPLE_SIZE = 10


@dataclass(frozen=True)
class GrantPreview:
    kind: BenefitKind
    today: dt.date
    total: int
    by_nationality: dict[str, int]
    sample: list[dict[str, Any]]


@dataclass(frozen=True)
class GrantResult:
    kind: BenefitKind
    granted: int
    by_nationality: dict[str, int]
    entitlement_from: dt.date
    entitlement_until: dt.date
    audit_seq: int


def _without_benefit(principal: Principal, kind: BenefitKind, today: dt.date) -> Any:
    """The WHERE of eligible persons with no pending, granted or refused application."""
    has_one = exists().where(
        BenefitApplication.person_id == Person.id,
        BenefitApplication.kind_id == kind.id,
        BenefitApplication.status.in_(BLOCKING_STATUSES),
    )
    scope = eligibility_scope(kind)
    return (
        compile_person_scope(scope, today=today)
        & ~has_one
        & nationality_scope(principal, Person.nationality)
    )


def _counts(session: Session, query: Select[*tuple[Any, ...]]) -> dict[str, int]:
    return {nationality: count for nationality, count in session.execute(query)}


def insert_approved(
    session: Session,
    kind: BenefitKind,
    *,
    actor: str,
    reasons: list[dict[str, Any]],
    decision_reason: str,
    entitlement: tuple[dt.date, dt.date],
    now: dt.datetime,
    notes: str,
    where: list[Any],
    measure_id: Any = None,
) -> None:
    """One approved application of ``kind`` for every person ``where`` selects, in one
    ``INSERT … SELECT`` (grant-all and measures' grants both write them this way)."""
    columns: dict[str, Any] = {
        "id": uuid7_sql(session.get_bind().dialect),
        "person_id": Person.id,
        "kind_id": literal(kind.id, BenefitApplication.kind_id.type),
        "status": literal(ApplicationStatus.APPROVED.value),
        "eligibility_reasons": literal(reasons, JSON()),
        "evaluated_at": literal(now, UTCDateTime()),
        "decided_by": literal(actor),
        "decided_at": literal(now, UTCDateTime()),
        "decision_reason": literal(decision_reason),
        "entitlement_from": literal(entitlement[0]),
        "entitlement_until": literal(entitlement[1]),
        "notes": literal(notes),
        "created_by": literal(actor),
        "created_at": literal(now, UTCDateTime()),
        "nationality": Person.nationality,
    }
    if measure_id is not None:
        columns["measure_id"] = literal(measure_id, BenefitApplication.measure_id.type)
    source = select(*(value.label(name) for name, value in columns.items())).where(*where)
    session.execute(
        insert(BenefitApplication).from_select(list(columns), source),
        execution_options={"synchronize_session": False},
    )


def preview_grant_all(
    session: Session, principal: Principal, kind: BenefitKind, *, today: dt.date
) -> GrantPreview:
    require(principal, Permission.BENEFITS_DECIDE)
    where = _without_benefit(principal, kind, today)
    by_nationality = _counts(
        session,
        select(Person.nationality, func.count())
        .where(where)
        .group_by(Person.nationality)
        .order_by(Person.nationality),
    )
    sample = [
        {
            "person_id": str(row.id),
            "primary_identifier": row.primary_identifier,
            "secondary_identifier": row.secondary_identifier,
            "nationality": row.nationality,
        }
        for row in session.execute(
            select(
                Person.id,
                Person.primary_identifier,
                Person.secondary_identifier,
                Person.nationality,
            )
            .where(where)
            .order_by(Person.id)
            .limit(SAMPLE_SIZE)
        )
    ]
    audit.record(
        session,
        principal,
        "benefit.grant_all.preview",
        record_type="benefit_kind",
        record_id=kind.id,
        details={"kind": kind.code, "total": sum(by_nationality.values())},
    )
    return GrantPreview(kind, today, sum(by_nationality.values()), by_nationality, sample)


def grant_all(
    session: Session,
    principal: Principal,
    kind: BenefitKind,
    reason: str,
    *,
    today: dt.date,
    entitlement_until: dt.date | None = None,
) -> GrantResult:
    """Approved applications for every eligible person without one, in one statement; a second
    run grants nobody twice (the persons granted now have an approved application)."""
    require(principal, Permission.BENEFITS_DECIDE)
    if not kind.active:
        raise Conflict(
            f"the benefit kind {kind.code} is not active",
            code=messages.KIND_NOT_ACTIVE,
            params={"kind": kind.names or kind.code},
        )
    if len(reason.strip()) < 3:
        raise InvalidInput(
            "give the reason",
            errors=[FieldError("reason", "at least 3 characters", REASON_REQUIRED, {"min": 3})],
            code=REASON_REQUIRED,
            params={"min": 3},
        )
    until = entitlement_until or today + dt.timedelta(days=kind.default_entitlement_days - 1)
    if until < today:
        raise InvalidInput(
            "the entitlement ends before it begins",
            errors=[FieldError("entitlement_until", f"{until} is before {today}")],
            code=messages.ENTITLEMENT_REVERSED,
            params={"until": until.isoformat(), "start": today.isoformat()},
        )
    # Serialise grants of one kind: two at once would both see the same persons as ungranted.
    session.scalar(select(BenefitKind.id).where(BenefitKind.id == kind.id).with_for_update())
    now = utcnow()
    reasons = [
        {
            "clause": f"eligibility rule of {kind.code}, evaluated for the whole register",
            "code": messages.GRANTED_TO_ALL,
            "params": {"kind": kind.names or kind.code},
            "matched": True,
            "saw": {"granted_by": "grant_all", "on": today.isoformat()},
            "path": "scope",
        }
    ]
    insert_approved(
        session,
        kind,
        actor=principal.actor,
        reasons=reasons,
        decision_reason=reason.strip(),
        entitlement=(today, until),
        now=now,
        notes="granted to every eligible person",
        where=[_without_benefit(principal, kind, today)],
    )
    by_nationality = _counts(
        session,
        select(BenefitApplication.nationality, func.count())
        .where(
            BenefitApplication.kind_id == kind.id,
            BenefitApplication.created_at == now,
            BenefitApplication.created_by == principal.actor,
        )
        .group_by(BenefitApplication.nationality)
        .order_by(BenefitApplication.nationality),
    )
    granted = sum(by_nationality.values())
    entry = audit.record(
        session,
        principal,
        "benefit.grant_all",
        record_type="benefit_kind",
        record_id=kind.id,
        details={
            "kind": kind.code,
            "granted": granted,
            "by_nationality": by_nationality,
            "entitlement_from": today.isoformat(),
            "entitlement_until": until.isoformat(),
            "reason": reason.strip(),
        },
    )
    return GrantResult(kind, granted, by_nationality, today, until, entry.seq)
