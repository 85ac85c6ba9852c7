"""Explain, for a person or a document: which measures apply, which do not, and why — each
clause of the scope with the values it saw, then what the measure did or would do."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.measures.actions import combined, parse_actions
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.measures.reach import base_until, bases_of
from kervan.measures.schemas import ClausePublic, Explanation, MeasureVerdict, OutcomeCode
from kervan.measures.scope import explain_scope, parse_scope
from kervan.registry import service as registry
from kervan.registry.enums import StayStatus, ViolationStatus
from kervan.registry.models import Person, StayDocument, Violation

EXPLAINED = (MeasureStatus.IN_FORCE, MeasureStatus.LIFTED, MeasureStatus.PREVIEWED)


def explain_person(
    session: Session, principal: Principal, person_id: uuid.UUID, *, today: dt.date
) -> Explanation:
    require(principal, Permission.MEASURES_READ)
    person = registry.get_person(session, principal, person_id, purpose="measures.explain")
    return _explain(session, person, list(person.stay_documents), today)


def explain_document(
    session: Session, principal: Principal, document_id: uuid.UUID, *, today: dt.date
) -> Explanation:
    require(principal, Permission.MEASURES_READ)
    document = registry.get_document(session, principal, document_id)
    return _explain(session, document.person, [document], today)


def _explain(
    session: Session, person: Person, documents: list[StayDocument], today: dt.date
) -> Explanation:
    measures = session.scalars(
        select(Measure).where(Measure.status.in_(EXPLAINED)).order_by(Measure.id)
    ).all()
    verdicts: list[MeasureVerdict] = []
    for measure in measures:
        verdicts.extend(_measure_verdicts(session, measure, person, documents, today))
    return Explanation(person_id=person.id, verdicts=verdicts)


def _measure_verdicts(
    session: Session,
    measure: Measure,
    person: Person,
    documents: list[StayDocument],
    today: dt.date,
) -> list[MeasureVerdict]:
    scope = parse_scope(measure.scope)
    actions = parse_actions(measure.actions)
    out: list[MeasureVerdict] = []
    if actions.extend is not None:
        reach = combined(scope, actions.extend.scope)
        for document in documents:
            out.append(_extension_verdict(session, measure, reach, person, document, today))
    for waive in actions.waivers:
        reach = combined(scope, waive.scope)
        results = explain_scope(
            reach, person, None, today=today, bases=bases_of(session, person.id)
        )
        waived = session.scalars(
            select(Violation.id).where(
                Violation.person_id == person.id,
                Violation.waived_by_measure_id == measure.id,
                Violation.status == ViolationStatus.WAIVED,
            )
        ).all()
        outcome = f"waived {len(waived)} violation(s)" if waived else "nothing waived"
        code: OutcomeCode = "waived" if waived else "nothing-waived"
        out.append(
            _verdict(
                measure,
                "waive",
                None,
                results,
                (code, outcome),
                None,
                None,
                None,
                waived_count=len(waived),
            )
        )
    return out


def _extension_verdict(
    session: Session,
    measure: Measure,
    reach: Any,
    person: Person,
    document: StayDocument,
    today: dt.date,
) -> MeasureVerdict:
    base = base_until(session, document)
    bases = bases_of(session, person.id)
    results = explain_scope(reach, person, document, today=today, valid_until=base, bases=bases)
    extend = parse_actions(measure.actions).extend
    assert extend is not None
    target = extend.target_for(base, measure.period_end)
    effect = session.get(MeasureEffect, (measure.id, document.id))
    extended = None
    if effect is not None:
        extended = {
            "from": effect.old_until.isoformat(),
            "to": effect.new_until.isoformat(),
            "at": effect.applied_at.isoformat(),
        }
    outcome = _outcome(measure, results[0].matched, document, target, effect)
    return _verdict(
        measure,
        "extend",
        document.id,
        results,
        outcome,
        base,
        target,
        extended,
        valid_until=document.valid_until,
        document_status=document.status,
    )


def _outcome(
    measure: Measure,
    in_scope: bool,
    document: StayDocument,
    target: dt.date,
    effect: MeasureEffect | None,
) -> tuple[OutcomeCode, str]:
    """The outcome as a stable code (what the officer UI words in its language) and in English
    (what the API and the CLI show)."""
    if effect is not None:
        return "extended", f"extended from {effect.old_until} to {effect.new_until}"
    if not in_scope:
        return "not-in-scope", "not in scope"
    if document.status is not StayStatus.ACTIVE:
        return "document-not-active", f"in scope, but the document is {document.status.value}"
    if document.valid_until >= target:
        return (
            "already-valid",
            f"in scope, but already valid until {document.valid_until} (not before {target})",
        )
    if measure.status is MeasureStatus.LIFTED:
        return (
            "lifted-before-reaching",
            "in scope, but the measure was lifted before it reached this document",
        )
    if measure.status is MeasureStatus.PREVIEWED:
        return "would-extend-once-in-force", f"in scope: would extend to {target} once in force"
    return "will-extend-when-applied", f"in scope: will extend to {target} when applied"


def _verdict(
    measure: Measure,
    action: str,
    document_id: uuid.UUID | None,
    results: list[Any],
    outcome: tuple[OutcomeCode, str],
    judged: dt.date | None,
    target: dt.date | None,
    extended: dict[str, Any] | None,
    **facts: Any,
) -> MeasureVerdict:
    return MeasureVerdict(
        measure_id=measure.id,
        reference=measure.reference,
        title=measure.display_title(),
        status=measure.status,
        applies=results[0].matched,
        action=action,
        document_id=document_id,
        judged_until=judged,
        would_extend_to=target,
        extended=extended,
        outcome=outcome[1],
        outcome_code=outcome[0],
        clauses=[
            ClausePublic(
                clause=r.clause,
                path=r.path,
                matched=r.matched,
                saw=r.saw,
                code=r.code,
                params=r.params,
            )
            for r in results
        ],
        **facts,
    )


__all__ = ["EXPLAINED", "base_until", "explain_document", "explain_person"]
