"""Benefits granted by an emergency measure's ``grant_benefit`` action.

When a measure in force passes over the register (or over new documents), every person in the
action's scope who is also eligible for the benefit kind and holds no application of it gets an
approved one, citing the measure — one ``INSERT … SELECT`` per action, like ``grant_all``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, exists, insert, literal, select
from sqlalchemy.orm import Session

from kervan.benefits.eligibility import eligibility_scope
from kervan.benefits.enums import BLOCKING_STATUSES, ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.benefits.sql_ids import uuid7_sql
from kervan.db.base import UTCDateTime, utcnow
from kervan.measures.actions import GrantBenefit, combined, parse_actions
from kervan.measures.apply_sql import Plan, Slice
from kervan.measures.models import Measure
from kervan.measures.scope import compile_person_scope, parse_scope
from kervan.registry.models import Person, StayDocument


def _in_slice(where: Slice) -> Any:
    condition: Any = Person.id.is_not(None)
    if where.person_from is not None:
        condition = condition & (Person.id >= where.person_from)
    if where.person_to is not None:
        condition = condition & (Person.id < where.person_to)
    if where.document_ids is not None:
        holders = select(StayDocument.person_id).where(StayDocument.id.in_(where.document_ids))
        condition = condition & Person.id.in_(holders)
    return condition


def _entitlement(grant: GrantBenefit, kind: BenefitKind, plan: Plan) -> tuple[dt.date, dt.date]:
    start = plan.period_start
    until = grant.params.get("until")
    if isinstance(until, dt.date):
        return start, until
    return start, start + dt.timedelta(days=kind.default_entitlement_days - 1)


def _grant(session: Session, measure: Measure, plan: Plan, where: Slice, grant: Any) -> None:
    kind = session.scalar(
        select(BenefitKind).where(
            BenefitKind.state == measure.issuing_state, BenefitKind.code == grant.kind
        )
    )
    if kind is None or not kind.active:
        return  # the kind is not configured here: nothing to grant (docs/benefits.md)
    has_one = exists().where(
        BenefitApplication.person_id == Person.id,
        BenefitApplication.kind_id == kind.id,
        BenefitApplication.status.in_(BLOCKING_STATUSES),
    )
    scope = combined(parse_scope(measure.scope), grant.scope)
    start, until = _entitlement(grant, kind, plan)
    now = utcnow()
    actor = f"measure:{measure.id}"
    reasons = [
        {
            "clause": f"granted by measure {measure.reference}",
            "matched": True,
            "saw": {"measure_id": str(measure.id), "on": plan.today.isoformat()},
            "path": "measure",
        }
    ]
    columns = {
        "id": uuid7_sql(session.get_bind().dialect),
        "person_id": Person.id,
        "kind_id": literal(kind.id, BenefitApplication.kind_id.type),
        "status": literal(ApplicationStatus.APPROVED.value),
        "eligibility_reasons": literal(reasons, JSON()),
        "evaluated_at": literal(now, UTCDateTime()),
        "decided_by": literal(actor),
        "decided_at": literal(now, UTCDateTime()),
        "decision_reason": literal(f"granted by measure {measure.reference}"),
        "entitlement_from": literal(start),
        "entitlement_until": literal(until),
        "measure_id": literal(measure.id, BenefitApplication.measure_id.type),
        "notes": literal(""),
        "created_by": literal(actor),
        "created_at": literal(now, UTCDateTime()),
        "nationality": Person.nationality,
    }
    source = select(*(value.label(name) for name, value in columns.items())).where(
        compile_person_scope(scope, today=plan.today),
        compile_person_scope(eligibility_scope(kind), today=plan.today),
        ~has_one,
        _in_slice(where),
    )
    session.execute(
        insert(BenefitApplication).from_select(list(columns), source),
        execution_options={"synchronize_session": False},
    )


def grant_by_measure(session: Session, measure: Measure, plan: Plan, where: Slice) -> None:
    """The measures context calls this after each pass (``on_measure_pass``)."""
    for grant in parse_actions(measure.actions).benefits:
        _grant(session, measure, plan, where, grant)
