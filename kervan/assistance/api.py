"""JSON API of assistance: the queue, a case (read, edit, status, assignment, notes, aid,
consent, referral, conflicts), SLA counts and the counts by need for analysts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from kervan.accounts.roles import Permission, Principal
from kervan.assistance import reporting, service
from kervan.assistance.models import CaseStatus, Urgency
from kervan.assistance.schemas import (
    AidIn,
    AidPublic,
    Assignment,
    CaseCreate,
    CaseDetail,
    CasePublic,
    ChangePublic,
    ConsentIn,
    CountRow,
    Edits,
    FieldConflict,
    FieldEdit,
    Need,
    NoteIn,
    NotePublic,
    QueueItem,
    QueuePage,
    ReferralDecision,
    Resolution,
    SharedField,
    SlaCounts,
    StatusChange,
)
from kervan.assistance.sla import sla_of
from kervan.db.base import utcnow
from kervan.errors import InvalidInput
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.pagination import Cursor, PageSize

router = APIRouter(prefix="/api/v1", tags=["assistance"])
Reason = Annotated[str, Query(max_length=500)]


def detail(session: SessionDep, case_id: uuid.UUID) -> CaseDetail:
    """A case as read (the caller's read is audited by ``service.get_case``)."""
    from kervan.assistance.models import Case

    case = session.get(Case, case_id)
    assert case is not None
    heads = service.heads_by_field(service.changes_of(session, case.id))

    def side(change: object) -> ChangePublic:
        return ChangePublic.model_validate(change, from_attributes=True)

    return CaseDetail(
        case=CasePublic.model_validate(case),
        heads={name: [h.id for h in found] for name, found in heads.items()},
        conflicts=[
            FieldConflict(field=name, sides=[side(h) for h in found])
            for name, found in sorted(heads.items())
            if len(found) > 1
        ],
        notes=[NotePublic.model_validate(n) for n in service.notes_of(session, case.id)],
        aid=[AidPublic.model_validate(a) for a in service.aid_of(session, case.id)],
    )


@router.get("/cases", operation_id="list_cases")
def list_cases(
    session: SessionDep,
    limit: PageSize,
    status: Annotated[list[CaseStatus] | None, Query(max_length=6)] = None,
    assigned_to: Annotated[str | None, Query(max_length=100)] = None,
    team: Annotated[str | None, Query(max_length=60)] = None,
    urgency: Urgency | None = None,
    need: Need | None = None,
    breached: bool = False,
    conflicts: bool = False,
    unassigned: bool = False,
    cursor: Cursor = None,
    principal: Principal = policy(Permission.CASES_READ),
) -> QueuePage:
    """The queue: cases by time to breach (open ones unless ``status`` says otherwise)."""
    wanted = service.QueueFilter(
        statuses=tuple(status) if status else service.OPEN_STATUSES,
        assigned_to=assigned_to,
        team=team,
        urgency=urgency,
        need=need,
        breached_only=breached,
        conflicts_only=conflicts,
        unassigned_only=unassigned,
    )
    found, next_cursor = service.queue(
        session, principal, wanted, now=utcnow(), limit=limit, cursor=cursor
    )
    return QueuePage(items=[QueueItem.model_validate(c) for c in found], next_cursor=next_cursor)


@router.post("/cases", operation_id="create_case", status_code=201)
def create_case(
    body: CaseCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    case, _ = service.create_case(
        session, principal, body, node_state=settings.state, sla=sla_of(settings), now=utcnow()
    )
    return CasePublic.model_validate(case)


@router.get("/cases/sla", operation_id="case_sla_counts")
def sla_counts(
    session: SessionDep, principal: Principal = policy(Permission.REPORTS_READ)
) -> SlaCounts:
    return SlaCounts.model_validate(service.sla_counts(session, principal, utcnow()))


@router.get("/cases/counts", operation_id="case_counts_by_need")
def counts(
    session: SessionDep,
    start: dt.date,
    end: dt.date,
    principal: Principal = policy(Permission.REPORTS_READ),
) -> list[CountRow]:
    """Cases opened from ``start`` up to and including ``end``, by need and status."""
    if end < start:
        from kervan.assistance.messages import BAD_PERIOD

        raise InvalidInput("the period ends before it begins", code=BAD_PERIOD)
    found = reporting.counts_by_need_and_status(
        session, *reporting.period(start, end), nationality=principal.sees_only_nationality
    )
    return [CountRow(need=c.need, status=c.status, cases=c.cases) for c in found]


@router.get("/cases/by-reference/{reference}", operation_id="find_case_by_reference")
def by_reference(
    reference: Annotated[str, Path(max_length=20)],
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_READ),
) -> CaseDetail:
    case = service.by_reference(session, principal, reference[:20])
    return detail(session, case.id)


@router.get("/cases/{id}", operation_id="get_case")
def get_case(
    id: uuid.UUID, session: SessionDep, principal: Principal = policy(Permission.CASES_READ)
) -> CaseDetail:
    service.get_case(session, principal, id)
    return detail(session, id)


@router.post("/cases/{id}/changes", operation_id="change_case_fields")
def change_fields(
    id: uuid.UUID,
    body: Edits,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CaseDetail:
    """Change shared fields, each with the change ids it was based on (``heads``): a change
    made on an older view becomes a conflict to resolve, never an overwrite."""
    service.edit(session, principal, id, body.changes, sla=sla_of(settings), now=utcnow())
    return detail(session, id)


@router.post("/cases/{id}/conflicts/{field}", operation_id="resolve_case_conflict")
def resolve(
    id: uuid.UUID,
    field: SharedField,
    body: Resolution,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CaseDetail:
    """Choose a field's value where the two states changed it concurrently."""
    edit = FieldEdit(field=field, value=body.value)
    service.edit(session, principal, id, [edit], sla=sla_of(settings), now=utcnow(), resolving=True)
    return detail(session, id)


@router.post("/cases/{id}/status", operation_id="change_case_status")
def change_status(
    id: uuid.UUID,
    body: StatusChange,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    case = service.change_status(
        session, principal, id, body.status, sla=sla_of(settings), now=utcnow()
    )
    return CasePublic.model_validate(case)


@router.post("/cases/{id}/assignment", operation_id="assign_case")
def assign(
    id: uuid.UUID,
    body: Assignment,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    case = service.assign(
        session, principal, id, assigned_to=body.assigned_to, team=body.team, now=utcnow()
    )
    return CasePublic.model_validate(case)


@router.post("/cases/{id}/consent", operation_id="record_case_consent")
def consent(
    id: uuid.UUID,
    body: ConsentIn,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    return CasePublic.model_validate(service.record_consent(session, principal, id, body, utcnow()))


@router.post("/cases/{id}/notes", operation_id="add_case_note", status_code=201)
def add_note(
    id: uuid.UUID,
    body: NoteIn,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> NotePublic:
    return NotePublic.model_validate(service.add_note(session, principal, id, body.text, utcnow()))


@router.post("/cases/{id}/aid", operation_id="add_case_aid", status_code=201)
def add_aid(
    id: uuid.UUID,
    body: AidIn,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> AidPublic:
    return AidPublic.model_validate(service.add_aid(session, principal, id, body, utcnow()))


@router.post("/cases/{id}/referral", operation_id="refer_case")
def refer(
    id: uuid.UUID,
    session: SessionDep,
    reason: Reason = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    """Refer the case to the other state (needs the person's recorded consent)."""
    return CasePublic.model_validate(service.refer(session, principal, id, reason, utcnow()))


@router.post("/cases/{id}/referral/decision", operation_id="decide_case_referral")
def decide(
    id: uuid.UUID,
    body: ReferralDecision,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> CasePublic:
    case = service.decide_referral(
        session, principal, id, accept=body.accept, reason=body.reason, now=utcnow()
    )
    return CasePublic.model_validate(case)
