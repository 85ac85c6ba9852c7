"""Assistance cases: opening, the workflow and its SLA, shared-field changes (never
overwritten: ``merge.py``), notes and aid, consent, and referral to the partner state.

Every function checks the caller's permission again and scopes by state in SQL: a consular
officer sees and works only the cases of their own nationals. Every read of a case and every
change is audited (these are sensitive records)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, delete, func, select, text, tuple_
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.assistance import messages as codes
from kervan.assistance.fields import SHARED_FIELDS, column_value, text_of
from kervan.assistance.merge import Change, field_state
from kervan.assistance.models import (
    OPEN_STATUSES,
    OPEN_WHERE,
    Case,
    CaseAid,
    CaseChange,
    CaseConflict,
    CaseNote,
    CaseStatus,
    Referral,
    SlaTally,
    Source,
    Urgency,
)
from kervan.assistance.schemas import AidIn, CaseCreate, ConsentIn, FieldEdit
from kervan.assistance.sla import Sla
from kervan.db.ids import uuid7
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.messages import RECORD_NOT_FOUND
from kervan.web.pagination import decode_cursor, encode_cursor, unknown_cursor
from kervan.web.public_intake import new_receipt, normalise_reference

RECORD = "assistance_case"
# The workflow: which status may follow which (REFERRED only through ``refer``).
NEXT: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset({CaseStatus.TRIAGED, CaseStatus.CLOSED}),
    CaseStatus.TRIAGED: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED}),
    CaseStatus.REFERRED: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED}
    ),
    CaseStatus.RESOLVED: frozenset({CaseStatus.CLOSED, CaseStatus.IN_PROGRESS}),  # reopen
    CaseStatus.CLOSED: frozenset({CaseStatus.IN_PROGRESS}),  # reopen
}
REFERABLE = (CaseStatus.TRIAGED, CaseStatus.IN_PROGRESS)


# ----------------------------------------------------------------------------------------------
# Scope and reading


def scoped(principal: Principal) -> Select[Case]:
    require(principal, Permission.CASES_READ)
    return select(Case).where(nationality_scope(principal, Case.nationality))


def _load(session: Session, principal: Principal, case_id: uuid.UUID, action: str) -> Case:
    found = session.scalar(scoped(principal).where(Case.id == case_id))
    if found is None:
        audit.record_on_failure(
            session, principal, action, record_type=RECORD, record_id=case_id, outcome="not-found"
        )
        raise NotFound(f"no case {case_id}", code=RECORD_NOT_FOUND, params={"id": str(case_id)})
    return found


def get_case(session: Session, principal: Principal, case_id: uuid.UUID) -> Case:
    found = _load(session, principal, case_id, "assistance.read")
    audit.record(session, principal, "assistance.read", record_type=RECORD, record_id=case_id)
    return found


def by_reference(session: Session, principal: Principal, reference: str) -> Case:
    """A reference as typed (case, spaces and dashes forgiven): one index look-up."""
    wanted = normalise_reference(reference)
    found = session.scalar(scoped(principal).where(Case.reference == wanted))
    if found is None:
        audit.record_on_failure(
            session, principal, "assistance.read", record_type=RECORD, details={"reference": wanted}
        )
        raise NotFound(
            f"no case {wanted}", code=codes.UNKNOWN_CASE, params={"reference": wanted[:16]}
        )
    audit.record(session, principal, "assistance.read", record_type=RECORD, record_id=found.id)
    return found


def cases_of_person(session: Session, principal: Principal, person_id: uuid.UUID) -> list[Case]:
    """The person page's list of their cases. Audited as a listing of cases about the person:
    the panel is also a page of its own (``/persons/{id}/cases``)."""
    query = scoped(principal).where(Case.person_id == person_id).order_by(Case.opened_at.desc())
    found = list(session.scalars(query.limit(100)))
    audit.record(
        session,
        principal,
        "assistance.queue",
        record_type="person",
        record_id=person_id,
        details={"count": len(found)},
    )
    return found


def changes_of(session: Session, case_id: uuid.UUID) -> list[CaseChange]:
    return list(
        session.scalars(
            select(CaseChange).where(CaseChange.case_id == case_id).order_by(CaseChange.id)
        )
    )


def notes_of(session: Session, case_id: uuid.UUID) -> list[CaseNote]:
    query = select(CaseNote).where(CaseNote.case_id == case_id)
    return list(session.scalars(query.order_by(CaseNote.written_at, CaseNote.id)))


def aid_of(session: Session, case_id: uuid.UUID) -> list[CaseAid]:
    query = select(CaseAid).where(CaseAid.case_id == case_id)
    return list(session.scalars(query.order_by(CaseAid.given_at, CaseAid.id)))


def as_change(row: CaseChange) -> Change:
    return Change(id=row.id, field=row.field, value=row.value, bases=row.base_ids)


def heads_by_field(rows: Iterable[CaseChange]) -> dict[str, list[CaseChange]]:
    """Every changed shared field's heads (several: a conflict), oldest first."""
    by_field: dict[str, list[CaseChange]] = {}
    for row in rows:
        by_field.setdefault(row.field, []).append(row)
    found: dict[str, list[CaseChange]] = {}
    for name, rows_of_field in by_field.items():
        index = {r.id: r for r in rows_of_field}
        found[name] = [index[h.id] for h in field_state(map(as_change, rows_of_field)).heads]
    return found


# ----------------------------------------------------------------------------------------------
# Opening a case


def _free_reference(session: Session, prefix: str) -> tuple[str, str]:
    while True:  # 32⁸ references: a clash is rare even in a large register, but possible
        receipt = new_receipt(prefix)
        if session.scalar(select(Case.id).where(Case.reference == receipt.reference)) is None:
            return receipt.reference, receipt.secret


def create_case(
    session: Session,
    principal: Principal,
    data: CaseCreate,
    *,
    node_state: str,
    sla: Sla,
    now: dt.datetime,
    source: Source = Source.OFFICER,
) -> tuple[Case, str]:
    """A new case and, for the public form, the secret its requester keeps (shown once)."""
    if source is not Source.PUBLIC:
        require(principal, Permission.CASES_WORK)
        if principal.sees_only_nationality not in (None, data.nationality):
            raise NotFound(
                f"a consular officer of {principal.state} opens cases of its nationals",
                code=RECORD_NOT_FOUND,
                params={"nationality": data.nationality},
            )
    host_state = data.host_state or node_state
    if data.person_id is not None:
        from kervan.registry.models import Person

        person = session.get(Person, data.person_id)
        if person is None or principal.sees_only_nationality not in (None, person.nationality):
            raise NotFound(
                f"no person {data.person_id}",
                code=RECORD_NOT_FOUND,
                params={"id": str(data.person_id)},
            )
    if node_state not in (host_state, data.nationality):
        raise InvalidInput(
            f"a case on this node is about a person in or from {node_state}",
            code=codes.NOT_THIS_NODE,
            params={"state": node_state},
        )
    reference, secret = _free_reference(session, "H" if source is Source.PUBLIC else "C")
    warn_at, due_at = sla.due(now, data.urgency)
    case = Case(
        id=uuid7(),
        reference=reference,
        origin_state=node_state,
        host_state=host_state,
        source=source,
        requester=data.requester,
        requester_name=data.requester_name,
        person_id=data.person_id,
        full_name=data.full_name,
        nationality=data.nationality,
        birth_date=data.birth_date,
        document_number=data.document_number,
        needs=",".join(sorted(set(data.needs))),
        vulnerabilities=",".join(sorted(set(data.vulnerabilities))),
        urgency=data.urgency,
        region=data.region,
        city=data.city,
        language=data.language,
        contact=data.contact,
        description=data.description,
        status=CaseStatus.NEW if source is Source.PUBLIC else CaseStatus.TRIAGED,
        opened_at=now,
        warn_at=warn_at,
        due_at=due_at,
        updated_at=now,
        created_by=principal.username,
        referral=Referral.NONE,
        partner_state=_partner(host_state, data.nationality, node_state),
    )
    if source is Source.PUBLIC:
        from kervan.web.public_intake import hash_secret

        case.secret_hash = hash_secret(secret)
    if data.consent is not None:
        _set_consent(case, principal, data.consent, now)
    session.add(case)
    session.flush()
    audit.record(session, principal, "assistance.create", record_type=RECORD, record_id=case.id)
    return case, secret


def _partner(host_state: str, home_state: str, node_state: str) -> str | None:
    """The other state of the case: the home state on the host's node and vice versa."""
    if host_state == home_state:
        return None
    return home_state if node_state == host_state else host_state


# ----------------------------------------------------------------------------------------------
# The workflow


def _set_status(case: Case, target: CaseStatus, sla: Sla, now: dt.datetime) -> None:
    if target not in NEXT[case.status]:
        raise Conflict(
            f"a case in status {case.status.value} cannot go to {target.value}",
            code=codes.WRONG_STATUS,
            params={"status": case.status.value, "target": target.value},
        )
    if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and target in OPEN_STATUSES:
        # Reopened: a fresh SLA from now, the case's history kept.
        case.warn_at, case.due_at = sla.due(now, case.urgency)
        case.resolved_at = case.closed_at = None
    if target is CaseStatus.RESOLVED:
        case.resolved_at = now
    if target is CaseStatus.CLOSED:
        case.closed_at = now
        case.resolved_at = case.resolved_at or now
    case.status = target
    case.updated_at = now


def change_status(
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    target: CaseStatus,
    *,
    sla: Sla,
    now: dt.datetime,
) -> Case:
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.status")
    before = case.status
    _set_status(case, target, sla, now)
    if target is CaseStatus.CLOSED and case.referral in (Referral.PENDING, Referral.ACCEPTED):
        from kervan.assistance import envelopes

        envelopes.send_closed(session, case, now)
    audit.record(
        session,
        principal,
        "assistance.status",
        record_type=RECORD,
        record_id=case.id,
        details={"from": before.value, "to": target.value},
    )
    return case


def assign(
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    *,
    assigned_to: str | None,
    team: str | None,
    now: dt.datetime,
) -> Case:
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.assign")
    case.assigned_to, case.team, case.updated_at = assigned_to or None, team or None, now
    audit.record(
        session,
        principal,
        "assistance.assign",
        record_type=RECORD,
        record_id=case.id,
        details={"assigned_to": case.assigned_to, "team": case.team},
    )
    return case


def _set_consent(case: Case, principal: Principal, consent: ConsentIn, now: dt.datetime) -> None:
    case.consent_at, case.consent_by, case.consent_how = now, consent.given_by, consent.how
    case.consent_recorded_by = principal.username


def record_consent(
    session: Session, principal: Principal, case_id: uuid.UUID, consent: ConsentIn, now: dt.datetime
) -> Case:
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.consent")
    _set_consent(case, principal, consent, now)
    case.updated_at = now
    audit.record(
        session,
        principal,
        "assistance.consent",
        record_type=RECORD,
        record_id=case.id,
        details={"how": consent.how},
    )
    return case


# ----------------------------------------------------------------------------------------------
# Shared fields, notes and aid: recorded, merged, and sent to the partner


@dataclass
class Merged:
    """What a merge added (to send on), and the fields it touched."""

    changes: list[CaseChange] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    aid: list[CaseAid] = field(default_factory=list)


def merge_changes(
    session: Session, case: Case, incoming: Sequence[CaseChange], sla: Sla, now: dt.datetime
) -> list[CaseChange]:
    """Add the changes not known yet (by id), then derive each touched field's value and
    conflict from all its changes. Idempotent; the order changes arrive in does not matter."""
    # One writer per case at a time: heads and conflicts are derived from every change of the
    # field, so a concurrent merge on this node (an envelope applied while an officer saves)
    # must see the other's changes. (SQLite transactions are serialised already.)
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    ids = [c.id for c in incoming]
    known = (
        set(session.scalars(select(CaseChange.id).where(CaseChange.id.in_(ids)))) if ids else set()
    )
    added = []
    for change in incoming:
        if change.id not in known:
            known.add(change.id)
            session.add(change)
            added.append(change)
    if not added:
        return []
    session.flush()
    touched = sorted({c.field for c in added})
    rows = session.scalars(
        select(CaseChange).where(CaseChange.case_id == case.id, CaseChange.field.in_(touched))
    )
    states = heads_by_field(rows)
    # Every open conflict of the case in one read (the case's row is locked): the touched
    # fields' are updated below, and their number is the case's count.
    open_conflicts = set(
        session.scalars(select(CaseConflict.field).where(CaseConflict.case_id == case.id))
    )
    for name in touched:
        heads = states[name]
        setattr(case, name, column_value(name, heads[-1].value))
        if len(heads) > 1 and name not in open_conflicts:
            session.add(CaseConflict(case_id=case.id, field=name, detected_at=now))
            open_conflicts.add(name)
        elif len(heads) == 1 and name in open_conflicts:
            session.execute(
                delete(CaseConflict).where(
                    CaseConflict.case_id == case.id, CaseConflict.field == name
                )
            )
            open_conflicts.discard(name)
    if "urgency" in touched and case.is_open:
        case.warn_at, case.due_at = sla.due(case.opened_at, case.urgency)
    case.conflicts = len(open_conflicts)
    case.updated_at = now
    return added


def merge_records(
    session: Session, case: Case, notes: Sequence[CaseNote], aid: Sequence[CaseAid]
) -> Merged:
    """Notes and aid are append-only: a record is added once, by id, never changed."""
    merged = Merged()
    for kind, items, target in ((CaseNote, notes, merged.notes), (CaseAid, aid, merged.aid)):
        ids = [i.id for i in items]
        known = set(session.scalars(select(kind.id).where(kind.id.in_(ids)))) if ids else set()
        for item in items:
            if item.id not in known:
                known.add(item.id)
                session.add(item)
                target.append(item)  # type: ignore[arg-type]
    session.flush()
    return merged


def _share(session: Session, case: Case, merged: Merged, now: dt.datetime) -> None:
    shared = case.partner_state and case.referral in (Referral.PENDING, Referral.ACCEPTED)
    if shared and (merged.changes or merged.notes or merged.aid):
        from kervan.assistance import envelopes

        envelopes.send_updated(session, case, merged, now)


def edit(
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    edits: Sequence[FieldEdit],
    *,
    sla: Sla,
    now: dt.datetime,
    resolving: bool = False,
) -> Case:
    """Change shared fields. Each change carries the heads its author saw (``based_on``):
    a change based on less than the current heads — someone changed the field meanwhile, here
    or in the partner state — becomes a conflict to resolve, never an overwrite."""
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.edit")
    current = heads_by_field(changes_of(session, case.id))
    new: list[CaseChange] = []
    for item in edits:
        try:
            value = SHARED_FIELDS[item.field](item.value)
        except (ValueError, KeyError) as exc:
            raise InvalidInput(
                f"{item.field}: {exc}", code=codes.BAD_VALUE, params={"field": item.field}
            ) from exc
        heads = {h.id for h in current.get(item.field, [])}
        if resolving:
            if len(heads) < 2:
                raise Conflict("no conflict to resolve", code=codes.NO_CONFLICT)
            based_on = heads
        else:
            based_on = set(item.based_on)
            if based_on == heads and value == text_of(item.field, getattr(case, item.field)):
                continue  # nothing changed
        new.append(
            CaseChange(
                id=uuid7(),
                case_id=case.id,
                field=item.field,
                value=value,
                bases=",".join(sorted(str(b) for b in based_on)),
                author=principal.username,
                author_state=principal.state,
                made_at=now,
            )
        )
    added = merge_changes(session, case, new, sla, now)
    _share(session, case, Merged(changes=added), now)
    audit.record(
        session,
        principal,
        "assistance.resolve" if resolving else "assistance.edit",
        record_type=RECORD,
        record_id=case.id,
        details={"fields": sorted({c.field for c in added})},
    )
    return case


def add_note(
    session: Session, principal: Principal, case_id: uuid.UUID, text: str, now: dt.datetime
) -> CaseNote:
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.note")
    note = CaseNote(
        id=uuid7(),
        case_id=case.id,
        text=text,
        author=principal.username,
        author_state=principal.state,
        written_at=now,
    )
    _share(session, case, merge_records(session, case, [note], []), now)
    case.updated_at = now
    audit.record(session, principal, "assistance.note", record_type=RECORD, record_id=case.id)
    return note


def add_aid(
    session: Session, principal: Principal, case_id: uuid.UUID, data: AidIn, now: dt.datetime
) -> CaseAid:
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.aid")
    if (data.amount is None) != (data.currency is None):
        raise InvalidInput(
            "an amount needs its currency", code=codes.BAD_VALUE, params={"field": "currency"}
        )
    aid = CaseAid(
        id=uuid7(),
        case_id=case.id,
        kind=data.kind,
        quantity=data.quantity,
        amount=data.amount,
        currency=data.currency,
        description=data.description,
        given_by=principal.username,
        given_state=principal.state,
        given_at=now,
    )
    _share(session, case, merge_records(session, case, [], [aid]), now)
    case.updated_at = now
    audit.record(
        session,
        principal,
        "assistance.aid",
        record_type=RECORD,
        record_id=case.id,
        details={"kind": data.kind},
    )
    return aid


# ----------------------------------------------------------------------------------------------
# Referral


def refer(
    session: Session, principal: Principal, case_id: uuid.UUID, reason: str, now: dt.datetime
) -> Case:
    """Refer the case to the partner state (the home state from the host's node, the host
    state from the home state's consulate): only with the person's recorded consent."""
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.refer")
    if not case.partner_state:
        raise Conflict("the person is in their own state", code=codes.NO_PARTNER)
    if case.referral in (Referral.PENDING, Referral.ACCEPTED):
        raise Conflict("referred already", code=codes.ALREADY_REFERRED)
    if case.consent_at is None:
        raise Conflict("no consent recorded", code=codes.NO_CONSENT)
    if case.status not in REFERABLE:
        raise Conflict(
            f"a case in status {case.status.value} cannot be referred",
            code=codes.WRONG_STATUS,
            params={"status": case.status.value, "target": CaseStatus.REFERRED.value},
        )
    case.status, case.referral, case.referral_reason = CaseStatus.REFERRED, Referral.PENDING, reason
    case.updated_at = now
    from kervan.assistance import envelopes

    envelopes.send_referred(session, case, now)
    audit.record(
        session,
        principal,
        "assistance.refer",
        record_type=RECORD,
        record_id=case.id,
        details={"to": case.partner_state},
    )
    return case


def decide_referral(
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    *,
    accept: bool,
    reason: str,
    now: dt.datetime,
) -> Case:
    """The receiving state takes the case on (it goes in progress here) or declines it."""
    require(principal, Permission.CASES_WORK)
    case = _load(session, principal, case_id, "assistance.decide")
    if case.source is not Source.REFERRAL or case.referral is not Referral.PENDING:
        raise Conflict("no referral waiting", code=codes.NOT_PENDING)
    case.referral = Referral.ACCEPTED if accept else Referral.DECLINED
    case.referral_reason = reason
    case.status = CaseStatus.IN_PROGRESS if accept else CaseStatus.CLOSED
    case.closed_at = None if accept else now
    case.updated_at = now
    from kervan.assistance import envelopes

    envelopes.send_decision(session, case, accept=accept, reason=reason, now=now)
    audit.record(
        session,
        principal,
        "assistance.accept" if accept else "assistance.decline",
        record_type=RECORD,
        record_id=case.id,
    )
    return case


# ----------------------------------------------------------------------------------------------
# Queue and SLA counts


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[CaseStatus, ...] = OPEN_STATUSES
    assigned_to: str | None = None
    team: str | None = None
    urgency: Urgency | None = None
    need: str | None = None
    nationality: str | None = None
    breached_only: bool = False
    conflicts_only: bool = False
    unassigned_only: bool = False


def _statuses(wanted: Sequence[CaseStatus]) -> ColumnElement[bool]:
    # The open statuses as literal SQL: the partial index of open cases is used only when the
    # planner can see the query's condition is its own (a bound list hides it).
    if tuple(wanted) == OPEN_STATUSES:
        return text(OPEN_WHERE)  # type: ignore[return-value]
    return Case.status.in_(wanted)


def _has_need(need: str) -> ColumnElement[bool]:
    """The case names ``need`` (``needs`` is a sorted comma-separated list). Written as "taking
    the need out changes the list", not as LIKE: the planner has no statistics for either and
    guesses a LIKE matches 0.5 % of the cases — then it reads every open case of the urgency
    and sorts them (1.8 s at a million cases) instead of walking them in due order until a
    page matches (30 ms); for "differs" it guesses most match, which is nearer the truth."""
    listed = "," + Case.needs + ","
    return func.replace(listed, f",{need},", "") != listed


def _cursor(case: Case) -> str:
    return encode_cursor([case.due_at, case.id])


def _parse_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    when, ident = decode_cursor(cursor, 2)
    try:
        return dt.datetime.fromisoformat(when), uuid.UUID(ident)
    except ValueError as exc:
        raise unknown_cursor() from exc


def queue(
    session: Session,
    principal: Principal,
    wanted: QueueFilter,
    *,
    now: dt.datetime,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Case], str | None]:
    """Cases by time to breach (keyset pages on ``due_at, id``), filtered."""
    query = scoped(principal).where(_statuses(wanted.statuses))
    if wanted.assigned_to:
        query = query.where(Case.assigned_to == wanted.assigned_to)
    if wanted.unassigned_only:
        query = query.where(Case.assigned_to.is_(None))
    if wanted.team:
        query = query.where(Case.team == wanted.team)
    if wanted.urgency:
        query = query.where(Case.urgency == wanted.urgency)
    if wanted.nationality:
        query = query.where(Case.nationality == wanted.nationality)
    if wanted.need:
        query = query.where(_has_need(wanted.need))
    if wanted.breached_only:
        query = query.where(Case.due_at < now)
    if wanted.conflicts_only:
        query = query.where(Case.conflicts > 0)
    if cursor:
        query = query.where(tuple_(Case.due_at, Case.id) > tuple_(*_parse_cursor(cursor)))
    found = list(session.scalars(query.order_by(Case.due_at, Case.id).limit(limit + 1)))
    audit.record(
        session,
        principal,
        "assistance.queue",
        record_type=RECORD,
        details={"count": min(len(found), limit)},
    )
    more = len(found) > limit
    found = found[:limit]
    return found, (_cursor(found[-1]) if more and found else None)


def sla_counts(session: Session, principal: Principal, now: dt.datetime) -> dict[str, object]:
    """Open cases, those past their warning, and those in breach (by urgency): counts only,
    so an analyst may see them too. The hours before the current one come from the tally the
    database keeps (``SlaTally``); the current hour's cases are counted on the open-cases
    indexes. Equal to ``counted_sla`` (a plain COUNT), in a time that does not grow with the
    open cases."""
    if not principal.can(Permission.REPORTS_READ):
        require(principal, Permission.CASES_READ)
    hour = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    tally_scope = nationality_scope(principal, SlaTally.nationality)
    tallied = session.execute(
        select(
            SlaTally.urgency,
            func.sum(SlaTally.due),
            func.sum(sql_case((SlaTally.hour < hour, SlaTally.due), else_=0)),
            func.sum(sql_case((SlaTally.hour < hour, SlaTally.warn), else_=0)),
        )
        .where(tally_scope)
        .group_by(SlaTally.urgency)
    ).all()
    scope = nationality_scope(principal, Case.nationality)
    open_cases = select(func.count()).select_from(Case).where(_statuses(OPEN_STATUSES), scope)
    breached_now = dict(
        session.execute(
            select(Case.urgency, func.count())
            .where(_statuses(OPEN_STATUSES), scope, Case.due_at >= hour, Case.due_at < now)
            .group_by(Case.urgency)
        ).all()
    )
    warned_now = session.scalar(open_cases.where(Case.warn_at >= hour, Case.warn_at <= now)) or 0
    total = sum(int(row[1] or 0) for row in tallied)
    by_urgency = {u: breached_now.get(u, 0) for u in Urgency}
    for urgency, _, due_before, _ in tallied:
        by_urgency[urgency] += int(due_before or 0)
    warned = warned_now + sum(int(row[3] or 0) for row in tallied)
    breached = sum(by_urgency.values())
    # A case warns before it is due (``Sla.due``): those past their warning and not in breach.
    return _sla_result(total, warned - breached, by_urgency)


def counted_sla(session: Session, principal: Principal, now: dt.datetime) -> dict[str, object]:
    """The SLA counts by a plain COUNT of the open cases: what ``sla_counts`` must equal
    (its test; the benchmark's baseline)."""
    scope = nationality_scope(principal, Case.nationality)
    count = select(func.count()).select_from(Case).where(_statuses(OPEN_STATUSES), scope)
    total = session.scalar(count) or 0
    warning = session.scalar(count.where(Case.warn_at <= now, Case.due_at >= now)) or 0
    by_urgency: dict[Urgency, int] = dict(
        session.execute(
            select(Case.urgency, func.count())
            .where(_statuses(OPEN_STATUSES), scope, Case.due_at < now)
            .group_by(Case.urgency)
        ).all()
    )
    return _sla_result(total, warning, by_urgency)


def _sla_result(total: int, warning: int, by_urgency: dict[Urgency, int]) -> dict[str, object]:
    return {
        "open": total,
        "warning": warning,
        "breached": sum(by_urgency.values()),
        "breached_by_urgency": {u.value: by_urgency.get(u, 0) for u in Urgency},
    }
