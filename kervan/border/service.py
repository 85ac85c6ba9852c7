"""The exit check: is the traveller's stay lawful today, and if not, may they leave without a
penalty because a measure in force waives it. Reads only; the check itself is audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kervan.accounts import audit
from kervan.accounts.policy import in_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.border import exit_notes, measures_link, messages
from kervan.border.schemas import (
    ExitCheckRequest,
    ExitCheckResult,
    StayFinding,
    TravellerSummary,
    ViolationFinding,
)
from kervan.errors import NotFound
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.problems import invalid_mrz
from kervan.registry.enums import StayStatus, ViolationStatus
from kervan.registry.models import Person, StayDocument, TravelDocument, Violation

# Violations that still carry a penalty; paid ones are settled, waived ones are forgiven.
OPEN_VIOLATIONS = (ViolationStatus.RECORDED, ViolationStatus.APPEALED)


def travel_document_of(
    session: Session, request: ExitCheckRequest, *, today: dt.date
) -> tuple[str, str]:
    """(issuing state, number) of the passport presented; an MRZ is checked digit by digit."""
    if request.mrz is None:
        assert request.passport_number is not None and request.issuing_state is not None
        return request.issuing_state, request.passport_number
    try:
        mrz = parse_mrz(request.mrz, today=today)
    except MRZError as exc:
        raise invalid_mrz(exc) from exc
    return mrz.issuing_state, mrz.document_number


def _find_holder(
    session: Session, principal: Principal, state: str, number: str
) -> tuple[Person, TravelDocument]:
    found = session.scalar(
        select(TravelDocument)
        .where(TravelDocument.issuing_state == state, TravelDocument.number == number)
        .options(
            selectinload(TravelDocument.person).selectinload(Person.stay_documents),
            selectinload(TravelDocument.person).selectinload(Person.violations),
        )
    )
    if found is None or not in_scope(principal, found.person.nationality):
        audit.record_on_failure(
            session,
            principal,
            "exit.check",
            outcome="not_found",
            record_type="travel_document",
            details={"issuing_state": state, "number": number},
        )
        raise NotFound(
            f"no person in the register holds travel document {state} {number}",
            code=messages.NO_HOLDER,
            params={"state": state, "number": number},
        )
    return found.person, found


def _finding(session: Session, document: StayDocument) -> StayFinding:
    return StayFinding(
        id=document.id,
        kind=document.kind,
        number=document.number,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        extended_by=measures_link.extension_citation(session, document),
    )


def _violation_finding(session: Session, violation: Violation) -> ViolationFinding:
    waived_by = None
    if violation.status is ViolationStatus.WAIVED and violation.waived_by_measure_id:
        waived_by = measures_link.citation(session, violation.waived_by_measure_id, "waives")
    return ViolationFinding(
        id=violation.id,
        kind=violation.kind,
        period_start=violation.period_start,
        period_end=violation.period_end,
        fine_amount=violation.fine_amount,
        fine_currency=violation.fine_currency,
        status=violation.status,
        waived_by=waived_by,
    )


def check_exit(
    session: Session, principal: Principal, request: ExitCheckRequest, *, today: dt.date
) -> ExitCheckResult:
    require(principal, Permission.DOCUMENT_CHECK)
    state, number = travel_document_of(session, request, today=today)
    person, passport = _find_holder(session, principal, state, number)
    active = [d for d in person.stay_documents if d.status is StayStatus.ACTIVE]
    covering = next((d for d in active if d.valid_from <= today <= d.valid_until), None)
    latest = max(active, key=lambda d: d.valid_until, default=None)
    reasons: list[str] = []
    overstay_since = None
    overstay_waiver = None
    if covering is not None:
        reasons.append(f"stay document {covering.number} is valid until {covering.valid_until}")
    else:
        overstay_since = latest.valid_until + dt.timedelta(days=1) if latest else None
        overstay_waiver = measures_link.overstay_waiver(
            session, person, latest, since=overstay_since or today, today=today
        )
        reasons.append(
            "no active stay document covers today"
            + (f" (the last one ended {latest.valid_until})" if latest else "")
        )
        if overstay_waiver is not None:
            reasons.append(f"the overstay is waived by measure {overstay_waiver.title!r}")
        else:
            reasons.append("no measure in force waives the overstay")
    violations = [_violation_finding(session, v) for v in person.violations]
    open_ones = [v for v in violations if v.status in OPEN_VIOLATIONS]
    for v in open_ones:
        reasons.append(f"open violation: {v.kind.value} since {v.period_start}")
    may_exit = (covering is not None or overstay_waiver is not None) and not open_ones
    entry = audit.record(
        session,
        principal,
        "exit.check",
        record_type="person",
        record_id=person.id,
        purpose="exit control",
        details={
            "travel_document": f"{state} {number}",
            "lawful": covering is not None,
            "may_exit_without_penalty": may_exit,
            "measure_id": str(overstay_waiver.id) if overstay_waiver else None,
        },
    )
    return ExitCheckResult(
        check_id=str(entry.seq),
        today=today,
        traveller=TravellerSummary(
            id=person.id,
            primary_identifier=person.primary_identifier,
            secondary_identifier=person.secondary_identifier,
            nationality=person.nationality,
            passport_number=passport.number,
            issuing_state=passport.issuing_state,
        ),
        lawful=covering is not None,
        covering_document=_finding(session, covering) if covering else None,
        last_document=_finding(session, latest) if latest and covering is None else None,
        overstay_since=overstay_since,
        overstay_waived_by=overstay_waiver,
        violations=violations,
        may_exit_without_penalty=may_exit,
        reasons=reasons,
        notes=exit_notes.notes_for(session, person, passport, today, overstay_waiver),
    )
