"""Benefits granted by an emergency measure's ``grant_benefit`` action.

When a measure in force passes over the register (or over new documents), every person in the
action's scope who is also eligible for the benefit kind and holds no application of it gets an
approved one, citing the measure — one ``INSERT … SELECT`` per action, like ``grant_all``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kervan.benefits.eligibility import eligibility_scope
from kervan.benefits.enums import BLOCKING_STATUSES
from kervan.benefits.grants import insert_approved
from kervan.benefits.messages import GRANTED_BY_MEASURE
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.db.base import utcnow
from kervan.measures.actions import GrantBenefit, combined, parse_actions
from kervan.measures.apply_sql import Plan
from kervan.measures.models import Measure
from kervan.measures.reach import Slice
from kervan.measures.scope import compile_person_scope, parse_scope
from kervan.registry.models import Person


def _entitlement(grant: GrantBenefit, kind: BenefitKind, plan: Plan) -> tuple[dt.date, dt.date]:
    start = plan.period_start
    until = grant.params.get("until")  # ISO text (``actions``: stored measures are JSON)
    if until is not None:
        return start, dt.date.fromisoformat(until)
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
            "code": GRANTED_BY_MEASURE,
            "params": {"measure": measure.title or measure.reference},
            "matched": True,
            "saw": {"measure_id": str(measure.id), "on": plan.today.isoformat()},
            "path": "measure",
        }
    ]
    insert_approved(
        session,
        kind,
        actor=actor,
        reasons=reasons,
        decision_reason=f"granted by measure {measure.reference}",
        entitlement=(start, until),
        now=now,
        notes="",
        where=[
            compile_person_scope(scope, today=plan.today),
            compile_person_scope(eligibility_scope(kind), today=plan.today),
            ~has_one,
            where.persons(Person.id),
        ],
        measure_id=measure.id,
    )


def grant_by_measure(session: Session, measure: Measure, plan: Plan, where: Slice) -> None:
    """The measures context calls this after each pass (``MEASURE_PASSED``)."""
    for grant in parse_actions(measure.actions).benefits:
        _grant(session, measure, plan, where, grant)
