"""Preview: what a measure would touch if applied now, and how it overlaps the measures in
force. Read-only aggregate queries over the same candidate set ``apply`` uses."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import Conflict
from kervan.measures import service
from kervan.measures.apply_sql import (
    Plan,
    extension_candidates,
    target_sql,
    waiver_condition,
)
from kervan.measures.messages import WRONG_STATUS
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.reach import Slice, bases_subquery, in_force
from kervan.measures.scope import compile_scope
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument, Violation

SAMPLE_SIZE = 10


def preview_measure(
    session: Session,
    principal: Principal,
    measure_id: uuid.UUID,
    *,
    today: dt.date,
    reason: str = "",
) -> dict[str, Any]:
    """Counts by nationality and document kind, a sample, overlaps; marks it previewed."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = service.get_measure(session, principal, measure_id)
    if measure.status not in (MeasureStatus.DRAFT, MeasureStatus.PREVIEWED):
        raise Conflict(
            f"cannot preview a measure that is {measure.status.value}",
            code=WRONG_STATUS,
            params={"action": "preview", "status": measure.status.value},
        )
    plan = service.plan_for(measure, today)
    result: dict[str, Any] = {"as_of": today.isoformat(), **_extensions(session, plan)}
    result["violations"] = _violations(session, plan)
    result["overlaps"] = [
        _overlap(session, plan, other, today)
        for other in in_force(session)
        if other.id != measure.id
    ]
    service.mark_previewed(session, principal, measure, result, reason)
    return result


def _extensions(session: Session, plan: Plan) -> dict[str, Any]:
    if plan.extend is None:
        return {"documents": 0, "persons": 0, "by_nationality_kind": [], "sample": []}
    found = extension_candidates(plan, session.get_bind().dialect, Slice()).subquery("found")
    doc = StayDocument
    groups = session.execute(
        select(
            found.c.nationality, doc.kind, func.count(), func.count(found.c.person_id.distinct())
        )
        .join(doc, doc.id == found.c.document_id)
        .group_by(found.c.nationality, doc.kind)
        .order_by(func.count().desc(), found.c.nationality, doc.kind)
    ).all()
    persons = session.scalar(select(func.count(found.c.person_id.distinct()))) or 0
    sample = session.execute(
        select(found.c.document_id, doc.number, doc.kind, found.c.nationality)
        .add_columns(found.c.old_until, found.c.new_until)
        .join(doc, doc.id == found.c.document_id)
        .order_by(found.c.document_id)
        .limit(SAMPLE_SIZE)
    ).all()
    return {
        "documents": sum(g[2] for g in groups),
        "persons": persons,
        "by_nationality_kind": [
            {"nationality": n, "kind": str(k), "documents": c, "persons": p}
            for n, k, c, p in groups
        ],
        "sample": [
            {
                "document_id": str(d),
                "number": number,
                "kind": str(kind),
                "nationality": nat,
                "valid_until": str(old),
                "would_extend_to": str(new),
            }
            for d, number, kind, nat, old, new in sample
        ],
    }


def _violations(session: Session, plan: Plan) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for waive, scope in plan.waivers:
        rows = session.execute(
            select(Violation.nationality, Violation.kind, func.count())
            .where(waiver_condition(plan, waive, scope, Slice()))
            .group_by(Violation.nationality, Violation.kind)
            .order_by(func.count().desc(), Violation.nationality)
        ).all()
        out.extend({"nationality": n, "kind": str(k), "violations": c} for n, k, c in rows)
    return out


def _overlap(session: Session, plan: Plan, other: Measure, today: dt.date) -> dict[str, Any]:
    """Documents both would extend, and which gives the later end date (the person gets the
    most favourable; on equal dates the older measure, by id, is named)."""
    theirs = service.plan_for(other, today)
    summary: dict[str, Any] = {"measure_id": str(other.id), "reference": other.reference}
    if plan.extend is None or theirs.extend is None:
        return {**summary, "documents": 0, "this_wins": 0, "other_wins": 0}
    dialect = session.get_bind().dialect
    doc = StayDocument
    bases = bases_subquery()
    base = func.coalesce(bases.c.base, doc.valid_until)
    mine, other_target = target_sql(plan, dialect, base), target_sql(theirs, dialect, base)
    this_wins = (mine > other_target) | (
        (mine == other_target) & literal(plan.measure_id < other.id)
    )
    query = (
        select(func.count(), func.sum(case((this_wins, 1), else_=0)))
        .select_from(doc)
        .outerjoin(bases, bases.c.document_id == doc.id)
        .where(
            doc.status == StayStatus.ACTIVE,
            compile_scope(plan.extend_scope, today=today, valid_until=base),
            compile_scope(theirs.extend_scope, today=today, valid_until=base),
        )
    )
    if plan.extend_scope.needs_person_columns or theirs.extend_scope.needs_person_columns:
        query = query.join(Person, Person.id == doc.person_id)
    total, wins = session.execute(query).one()
    total, wins = int(total or 0), int(wins or 0)
    return {**summary, "documents": total, "this_wins": wins, "other_wins": total - wins}


__all__ = ["preview_measure"]
