"""Register operations: persons, stay documents and violations. Each function works on the
caller's session (it flushes, never commits), checks the principal, and audits what it touches."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kervan.accounts import audit
from kervan.accounts.policy import in_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import Base
from kervan.errors import Conflict, ErrorCollector, FieldError, InvalidInput, NotFound
from kervan.registry import hooks, messages
from kervan.registry.enums import StayEventKind, StayStatus, ViolationKind, ViolationStatus
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
    Violation,
)
from kervan.registry.naming import name_columns
from kervan.registry.numbers import normalise_number, number_problem
from kervan.registry.schemas import (
    BirthDate,
    PersonCorrection,
    PersonCreate,
    StayDocumentCorrection,
    StayDocumentCreate,
    TravelDocumentIn,
    ViolationCreate,
)
from kervan.registry.transfer import batches

# ----------------------------------------------------------------------------------------------
# Persons


def _document_conflicts(session: Session, documents: list[TravelDocumentIn]) -> None:
    for doc in documents:
        existing = session.scalar(
            select(TravelDocument.person_id).where(
                TravelDocument.issuing_state == doc.issuing_state,
                TravelDocument.number == doc.number,
            )
        )
        if existing is not None:
            raise Conflict(
                f"travel document {doc.issuing_state} {doc.number} already belongs to a person "
                "in the register",
                code=messages.TRAVEL_DOCUMENT_TAKEN,
                params={"state": doc.issuing_state, "number": doc.number},
                person_id=str(existing),
            )


def person_values(data: PersonCreate) -> dict[str, Any]:
    """The column values of a new person (shared with imports)."""
    names = name_columns(
        data.primary_name, data.secondary_name, data.primary_identifier, data.secondary_identifier
    )
    return {
        "primary_name": data.primary_name,
        "secondary_name": data.secondary_name,
        "patronymic": data.patronymic,
        **names.as_dict(),
        "nationality": data.nationality,
        "birth_year": data.birth_date.year,
        "birth_month": data.birth_date.month,
        "birth_day": data.birth_date.day,
        "sex": data.sex,
    }


def create_person(session: Session, principal: Principal, data: PersonCreate) -> Person:
    require(principal, Permission.REGISTER_WRITE)
    _check_birth_date(data.birth_date)
    _document_conflicts(session, data.travel_documents)
    person = Person(**person_values(data))
    person.travel_documents = [TravelDocument(**doc.model_dump()) for doc in data.travel_documents]
    session.add(person)
    session.flush()
    session.add(
        PersonEvent(
            person_id=person.id,
            kind="created",
            actor=principal.actor,
            reason="registered",
            new_values=_person_snapshot(person),
        )
    )
    audit.record(session, principal, "person.create", record_type="person", record_id=person.id)
    return person


def _check_birth_date(birth: BirthDate) -> None:
    errors = ErrorCollector()
    if birth.month and birth.day:
        try:
            born = dt.date(birth.year, birth.month, birth.day)
        except ValueError:
            errors.add("birth_date", f"{birth.text()} is not a calendar date")
        else:
            if born > dt.date.today():
                errors.add("birth_date", "the date of birth is in the future")
    elif birth.year > dt.date.today().year:
        errors.add("birth_date", "the year of birth is in the future")
    errors.raise_if_any()


def _refuse(
    session: Session,
    principal: Principal,
    record_type: str,
    record_id: uuid.UUID,
    action: str,
    purpose: str = "",
) -> NoReturn:
    """Out of scope looks exactly like absent, so the caller learns nothing; but the attempt
    is audited, and the entry survives the rollback of the failing request."""
    audit.record_on_failure(
        session,
        principal,
        action,
        record_type=record_type,
        record_id=record_id,
        outcome="not_found",
        purpose=purpose,
    )
    raise NotFound(f"no {record_type.replace('_', ' ')} {record_id}", code=messages.NOT_FOUND)


def _load_person(
    session: Session, principal: Principal, person_id: uuid.UUID, action: str = "person.change"
) -> Person:
    person = session.get(Person, person_id)
    if person is None or not in_scope(principal, person.nationality):
        _refuse(session, principal, "person", person_id, action)
    return person


def get_person(
    session: Session, principal: Principal, person_id: uuid.UUID, *, purpose: str = ""
) -> Person:
    require(principal, Permission.REGISTER_READ)
    person = session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(
            selectinload(Person.travel_documents),
            selectinload(Person.stay_documents),
            selectinload(Person.violations),
        )
    )
    if person is None or not in_scope(principal, person.nationality):
        _refuse(session, principal, "person", person_id, "person.read", purpose)
    audit.record(
        session,
        principal,
        "person.read",
        record_type="person",
        record_id=person.id,
        purpose=purpose,
    )
    return person


def _person_snapshot(person: Person) -> dict[str, Any]:
    return {
        "primary_name": person.primary_name,
        "secondary_name": person.secondary_name,
        "patronymic": person.patronymic,
        "primary_identifier": person.primary_identifier,
        "secondary_identifier": person.secondary_identifier,
        "nationality": person.nationality,
        "birth_date": birth_date_text(person),
        "sex": str(person.sex),
    }


def birth_date_text(person: Person) -> str:
    return BirthDate(year=person.birth_year, month=person.birth_month, day=person.birth_day).text()


def copy_nationality(session: Session, person: Person) -> None:
    """Give every row that keeps a copy of the person's nationality (stay documents,
    violations, benefit applications: denormalised so that counts by nationality need no join)
    the person's own, in the caller's transaction. Messages are routed by these copies, so a
    copy left behind would send the next one about this person to the state they no longer
    belong to. Found by their columns, so a table another context adds is not forgotten."""
    session.flush()
    for table in Base.metadata.sorted_tables:
        columns = table.c
        if table.name == "persons" or "person_id" not in columns or "nationality" not in columns:
            continue
        session.execute(
            update(table)
            .where(columns.person_id == person.id, columns.nationality != person.nationality)
            .values(nationality=person.nationality)
        )
    session.expire_all()  # loaded documents and violations see the new copies


def correct_person(
    session: Session, principal: Principal, person_id: uuid.UUID, data: PersonCorrection
) -> Person:
    require(principal, Permission.REGISTER_WRITE)
    person = _load_person(session, principal, person_id)
    before = _person_snapshot(person)
    changes = data.model_dump(exclude_unset=True, exclude={"reason", "birth_date"})
    for field, value in changes.items():
        setattr(person, field, value)
    if data.birth_date is not None:
        _check_birth_date(data.birth_date)
        person.birth_year = data.birth_date.year
        person.birth_month = data.birth_date.month
        person.birth_day = data.birth_date.day
    names_changed = {
        "primary_name",
        "secondary_name",
        "primary_identifier",
        "secondary_identifier",
    } & changes.keys()
    if names_changed:
        derived = name_columns(
            person.primary_name,
            person.secondary_name,
            changes.get("primary_identifier"),
            changes.get("secondary_identifier"),
        )
        for field, value in derived.as_dict().items():
            setattr(person, field, value)
    if "nationality" in changes:
        copy_nationality(session, person)
    after = _person_snapshot(person)
    if after == before:
        raise InvalidInput(
            "the correction changes nothing", code=messages.CORRECTION_CHANGES_NOTHING
        )
    changed = {k for k in after if after[k] != before[k]}
    session.add(
        PersonEvent(
            person_id=person.id,
            kind="corrected",
            actor=principal.actor,
            reason=data.reason,
            old_values={k: before[k] for k in changed},
            new_values={k: after[k] for k in changed},
        )
    )
    session.flush()
    audit.record(
        session,
        principal,
        "person.correct",
        record_type="person",
        record_id=person.id,
        details={"fields": sorted(changed)},
    )
    return person


def person_history(
    session: Session, principal: Principal, person_id: uuid.UUID
) -> list[PersonEvent]:
    require(principal, Permission.REGISTER_READ)
    person = _load_person(session, principal, person_id, "person.history")
    audit.record(session, principal, "person.history", record_type="person", record_id=person_id)
    events = list(
        session.scalars(
            select(PersonEvent).where(PersonEvent.person_id == person_id).order_by(PersonEvent.id)
        )
    )
    return batches.person_history(session, person, events, _person_snapshot)


# ----------------------------------------------------------------------------------------------
# Stay documents


def _document_snapshot(document: StayDocument) -> dict[str, Any]:
    snapshot = {
        "number": document.number,
        "purpose": str(document.purpose),
        "valid_from": document.valid_from.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "status": str(document.status),
    }
    if document.region is not None:  # recorded by some host states only
        snapshot["region"] = document.region
    return snapshot


def _check_document(kind: Any, number: str, valid_from: dt.date, valid_until: dt.date) -> None:
    errors = ErrorCollector()
    problem = number_problem(kind, number)
    if problem:
        errors.add("number", problem.text, problem.code, **problem.params)
    if valid_until < valid_from:
        errors.add(
            "valid_until",
            f"the document ends ({valid_until}) before it begins ({valid_from})",
            messages.DOCUMENT_ENDS_BEFORE_START,
            until=valid_until,
            start=valid_from,
        )
    errors.raise_if_any()


def _add_event(
    session: Session,
    principal: Principal,
    document: StayDocument,
    kind: StayEventKind,
    reason: str,
    before: dict[str, Any],
) -> StayDocumentEvent:
    after = _document_snapshot(document)
    changed = [k for k in after if after[k] != before.get(k)]
    event = StayDocumentEvent(
        document_id=document.id,
        kind=kind,
        actor=principal.actor,
        reason=reason,
        old_values={k: before[k] for k in changed if k in before},
        new_values={k: after[k] for k in changed},
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        principal,
        f"stay_document.{kind.value}",
        record_type="stay_document",
        record_id=document.id,
        details={"person_id": str(document.person_id)},
    )
    hooks.document_changed(session, document, kind)
    return event


def issue_document(
    session: Session,
    principal: Principal,
    person_id: uuid.UUID,
    data: StayDocumentCreate,
    *,
    host_state: str,
) -> StayDocument:
    require(principal, Permission.REGISTER_WRITE)
    person = _load_person(session, principal, person_id)
    number = normalise_number(data.number)
    _check_document(data.kind, number, data.valid_from, data.valid_until)
    duplicate = session.scalar(
        select(StayDocument.id).where(
            StayDocument.host_state == host_state,
            StayDocument.kind == data.kind,
            StayDocument.number == number,
        )
    )
    if duplicate is not None:
        raise Conflict(
            f"a {data.kind.value} numbered {number} already exists",
            code=messages.NUMBER_TAKEN,
            params={"number": number},
            document_id=str(duplicate),
        )
    document = StayDocument(
        person_id=person.id,
        kind=data.kind,
        number=number,
        host_state=host_state,
        purpose=data.purpose,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        status=StayStatus.ACTIVE,
        nationality=person.nationality,
        region=data.region,
    )
    session.add(document)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent issue of the same number won the race
        raise Conflict(
            f"a {data.kind.value} numbered {number} already exists",
            code=messages.NUMBER_TAKEN,
            params={"number": number},
        ) from exc
    _add_event(session, principal, document, StayEventKind.ISSUED, data.reason, {})
    return document


def load_document(
    session: Session,
    principal: Principal,
    document_id: uuid.UUID,
    action: str = "stay_document.change",
) -> StayDocument:
    document = session.get(StayDocument, document_id)
    if document is None or not in_scope(principal, document.nationality):
        _refuse(session, principal, "stay_document", document_id, action)
    return document


def get_document(session: Session, principal: Principal, document_id: uuid.UUID) -> StayDocument:
    require(principal, Permission.REGISTER_READ)
    document = load_document(session, principal, document_id, "stay_document.read")
    audit.record(
        session,
        principal,
        "stay_document.read",
        record_type="stay_document",
        record_id=document.id,
    )
    return document


def _active(document: StayDocument, action: str) -> None:
    if document.status is not StayStatus.ACTIVE:
        raise Conflict(
            f"cannot {action} a {document.status.value} document",
            code=messages.DOCUMENT_NOT_ACTIVE,
            params={"action": action, "status": document.status.value},
        )


def extend_document(
    session: Session,
    principal: Principal,
    document_id: uuid.UUID,
    new_until: dt.date,
    reason: str,
) -> StayDocument:
    require(principal, Permission.REGISTER_WRITE)
    document = load_document(session, principal, document_id)
    _active(document, "extend")
    if new_until <= document.valid_until:
        raise InvalidInput(
            "the extension does not extend the document",
            code=messages.EXTENSION_NOT_LATER,
            errors=[
                FieldError(
                    "valid_until",
                    f"{new_until} is not after the current end {document.valid_until}",
                    messages.END_NOT_AFTER_CURRENT,
                    {"new": new_until.isoformat(), "current": document.valid_until.isoformat()},
                )
            ],
        )
    before = _document_snapshot(document)
    document.valid_until = new_until
    _add_event(session, principal, document, StayEventKind.EXTENDED, reason, before)
    return document


def _end_document(
    session: Session,
    principal: Principal,
    document_id: uuid.UUID,
    reason: str,
    status: StayStatus,
    kind: StayEventKind,
    action: str,
) -> StayDocument:
    require(principal, Permission.REGISTER_WRITE)
    document = load_document(session, principal, document_id)
    _active(document, action)
    before = _document_snapshot(document)
    document.status = status
    _add_event(session, principal, document, kind, reason, before)
    return document


def revoke_document(
    session: Session, principal: Principal, document_id: uuid.UUID, reason: str
) -> StayDocument:
    """Revocation: the state withdraws a valid document (e.g. a breach of its conditions)."""
    return _end_document(
        session, principal, document_id, reason, StayStatus.REVOKED, StayEventKind.REVOKED, "revoke"
    )


def cancel_document(
    session: Session, principal: Principal, document_id: uuid.UUID, reason: str
) -> StayDocument:
    """Cancellation: the document should not have been issued or is given up (e.g. departure)."""
    return _end_document(
        session,
        principal,
        document_id,
        reason,
        StayStatus.CANCELLED,
        StayEventKind.CANCELLED,
        "cancel",
    )


def correct_document(
    session: Session,
    principal: Principal,
    document_id: uuid.UUID,
    data: StayDocumentCorrection,
) -> StayDocument:
    require(principal, Permission.REGISTER_WRITE)
    document = load_document(session, principal, document_id)
    before = _document_snapshot(document)
    number = normalise_number(data.number) if data.number else document.number
    valid_from = data.valid_from or document.valid_from
    valid_until = data.valid_until or document.valid_until
    _check_document(document.kind, number, valid_from, valid_until)
    document.number, document.valid_from, document.valid_until = number, valid_from, valid_until
    if data.purpose is not None:
        document.purpose = data.purpose
    if data.region is not None:
        document.region = data.region
    if _document_snapshot(document) == before:
        raise InvalidInput(
            "the correction changes nothing", code=messages.CORRECTION_CHANGES_NOTHING
        )
    kind = document.kind  # a failed flush expires the document: read it before
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"a {kind.value} numbered {number} already exists",
            code=messages.NUMBER_TAKEN,
            params={"number": number},
        ) from exc
    _add_event(session, principal, document, StayEventKind.CORRECTED, data.reason, before)
    return document


def document_history(
    session: Session, principal: Principal, document_id: uuid.UUID
) -> list[StayDocumentEvent]:
    require(principal, Permission.REGISTER_READ)
    document = load_document(session, principal, document_id, "stay_document.history")
    audit.record(
        session,
        principal,
        "stay_document.history",
        record_type="stay_document",
        record_id=document.id,
    )
    events = list(
        session.scalars(
            select(StayDocumentEvent)
            .where(StayDocumentEvent.document_id == document.id)
            .order_by(StayDocumentEvent.id)
        )
    )
    return batches.document_history(session, document, events, _document_snapshot)


# ----------------------------------------------------------------------------------------------
# Violations


def record_violation(
    session: Session, principal: Principal, person_id: uuid.UUID, data: ViolationCreate
) -> Violation:
    require(principal, Permission.REGISTER_WRITE)
    person = _load_person(session, principal, person_id)
    errors = ErrorCollector()
    if data.period_end is not None and data.period_end < data.period_start:
        errors.add(
            "period_end",
            "the violation ends before it begins",
            messages.VIOLATION_ENDS_BEFORE_START,
        )
    if (data.fine_amount is None) != (data.fine_currency is None):
        errors.add("fine_currency", "a fine needs both an amount and an ISO 4217 currency")
    if data.document_id is not None:
        document = session.get(StayDocument, data.document_id)
        if document is None or document.person_id != person.id:
            errors.add("document_id", "no such stay document of this person")
    if data.kind is ViolationKind.WORK_WITHOUT_PERMIT and data.period_start > dt.date.today():
        errors.add("period_start", "a violation cannot begin in the future")
    errors.raise_if_any()
    violation = Violation(
        person_id=person.id,
        nationality=person.nationality,
        recorded_by=principal.actor,
        **data.model_dump(),
    )
    session.add(violation)
    session.flush()
    audit.record(
        session,
        principal,
        "violation.record",
        record_type="violation",
        record_id=violation.id,
        details={"person_id": str(person.id), "kind": data.kind.value},
    )
    hooks.violation_recorded(session, violation)
    return violation


WAIVABLE = frozenset({ViolationStatus.RECORDED, ViolationStatus.APPEALED})


def waive_violation(
    session: Session,
    principal: Principal,
    violation_id: uuid.UUID,
    reason: str,
    *,
    host_state: str,
) -> Violation:
    """An officer's decision to forgive one penalty (measures waive theirs in bulk, in SQL).
    The reason is kept in the violation's notes and the audit log; listeners (the exchange)
    tell the person's home state in this transaction."""
    require(principal, Permission.REGISTER_WRITE)
    violation = session.get(Violation, violation_id)
    if violation is None or not in_scope(principal, violation.nationality):
        _refuse(session, principal, "violation", violation_id, "violation.waive")
    if violation.status not in WAIVABLE:
        raise Conflict(
            f"cannot waive a violation that is {violation.status.value}",
            code=messages.CANNOT_WAIVE,
            params={"status": violation.status.value},
        )
    old_status = violation.status
    violation.status = ViolationStatus.WAIVED
    note = f"Waived by {principal.actor}: {reason}"
    violation.notes = f"{violation.notes}\n{note}" if violation.notes else note
    session.flush()
    audit.record(
        session,
        principal,
        "violation.waive",
        record_type="violation",
        record_id=violation.id,
        details={
            "person_id": str(violation.person_id),
            "kind": violation.kind.value,
            "old_status": old_status.value,
            "reason": reason,
        },
    )
    hooks.violation_waived(session, violation, host_state, reason)
    return violation


def create_person_from_mrz(session: Session, principal: Principal, data: Any) -> Person:
    """Register the holder of a passport from its MRZ (``PersonFromMRZ``)."""
    from kervan.identity.mrz import MRZError, parse_mrz
    from kervan.identity.problems import invalid_mrz

    try:
        mrz = parse_mrz(data.mrz)
    except MRZError as exc:
        raise invalid_mrz(exc) from exc
    birth = mrz.birth_date
    if birth.year is None:
        raise InvalidInput(
            "the MRZ has no year of birth; register the person by hand",
            code=messages.MRZ_NO_BIRTH_YEAR,
        )
    create = PersonCreate(
        primary_name=data.primary_name or mrz.primary_identifier,
        secondary_name=data.secondary_name or mrz.secondary_identifier,
        patronymic=data.patronymic,
        primary_identifier=mrz.primary_identifier,
        secondary_identifier=mrz.secondary_identifier,
        nationality=mrz.nationality,
        birth_date=BirthDate(year=birth.year, month=birth.month, day=birth.day),
        sex=mrz.sex,
        travel_documents=[
            TravelDocumentIn(
                document_type=_travel_document_type(mrz.document_code),
                number=mrz.document_number,
                issuing_state=mrz.issuing_state,
                expiry_date=mrz.expiry_date,
            )
        ],
    )
    return create_person(session, principal, create)


def _travel_document_type(code: str) -> Any:
    from kervan.registry.enums import TravelDocumentType

    if code.startswith("P"):
        return TravelDocumentType.PASSPORT
    if code.startswith(("I", "A", "C")):
        return TravelDocumentType.IDENTITY_CARD
    return TravelDocumentType.OTHER
