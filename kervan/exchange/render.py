"""From outbox rows to envelope bodies, a batch at a time.

Writers keep outbox bodies small (ids, the event, the measure) because they write them inside
the register's transaction, sometimes tens of thousands at once in SQL; the worker fills in the
person and the documents here, with one query per table for the whole batch.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.exchange.envelopes import iso
from kervan.registry.enums import TravelDocumentType
from kervan.registry.models import Person, StayDocument, TravelDocument, Violation

STAY_TYPES = {"stay.issued", "stay.extended", "stay.revoked"}
WAIVED = "violation.waived"

# The columns a body needs, read as plain rows: the worker renders every envelope the node
# sends, and whole ORM objects cost several times more to load than these few columns.
PERSON_COLUMNS = (
    Person.id,
    Person.primary_identifier,
    Person.secondary_identifier,
    Person.nationality,
    Person.birth_year,
)
DOCUMENT_COLUMNS = (
    StayDocument.id,
    StayDocument.person_id,
    StayDocument.kind,
    StayDocument.number,
    StayDocument.host_state,
    StayDocument.purpose,
    StayDocument.valid_from,
    StayDocument.valid_until,
    StayDocument.status,
)
VIOLATION_COLUMNS = (
    Violation.id,
    Violation.person_id,
    Violation.kind,
    Violation.period_start,
    Violation.period_end,
    Violation.status,
)


def _document_ids(message: Any) -> list[uuid.UUID]:
    return [uuid.UUID(str(d["document_id"])) for d in message.body.get("documents", [])]


def _violation_ids(message: Any) -> list[uuid.UUID]:
    return [uuid.UUID(str(v["violation_id"])) for v in message.body.get("violations", [])]


def person_part(person: Any, travel_number: str) -> dict[str, Any]:
    """From a ``Person`` or a row of ``PERSON_COLUMNS``."""
    return {
        "id": str(person.id),
        "primary_identifier": person.primary_identifier,
        "secondary_identifier": person.secondary_identifier,
        "nationality": person.nationality,
        "birth_year": person.birth_year,
        "travel_document_number": travel_number,
    }


def document_part(document: Any) -> dict[str, Any]:
    """From a ``StayDocument`` or a row of ``DOCUMENT_COLUMNS``."""
    return {
        "id": str(document.id),
        "kind": document.kind.value,
        "number": document.number,
        "host_state": document.host_state,
        "purpose": document.purpose.value,
        "valid_from": document.valid_from.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "status": document.status.value,
    }


def violation_part(violation: Any) -> dict[str, Any]:
    """From a ``Violation`` or a row of ``VIOLATION_COLUMNS``."""
    return {
        "id": str(violation.id),
        "kind": violation.kind.value,
        "period_start": violation.period_start.isoformat(),
        "period_end": violation.period_end.isoformat() if violation.period_end else None,
        "status": violation.status.value,
    }


def _travel_numbers(session: Session, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = session.execute(
        select(TravelDocument.person_id, TravelDocument.number, TravelDocument.document_type)
        .where(TravelDocument.person_id.in_(person_ids))
        .order_by(TravelDocument.created_at)
    )
    numbers: dict[uuid.UUID, str] = {}
    for person_id, number, kind in rows:
        # A passport wins over other travel documents; otherwise the first one registered.
        if person_id not in numbers or kind is TravelDocumentType.PASSPORT:
            numbers[person_id] = number
    return numbers


def render_bodies(
    session: Session, messages: Sequence[Any]
) -> dict[uuid.UUID, dict[str, Any] | None]:
    """Envelope bodies by outbox id (from outbox rows or objects: id, type, body, created_at);
    None where nothing is left to send (records gone)."""
    # Each message's document ids parsed once (a UUID from text costs more than the look-up).
    stay_ids = {m.id: _document_ids(m) for m in messages if m.type in STAY_TYPES}
    waived = [m for m in messages if m.type == WAIVED]
    document_ids = {d for ids in stay_ids.values() for d in ids}
    documents = (
        {
            d.id: d
            for d in session.execute(
                select(*DOCUMENT_COLUMNS).where(StayDocument.id.in_(document_ids))
            )
        }
        if document_ids
        else {}
    )
    violation_ids = {v for m in waived for v in _violation_ids(m)}
    violations = (
        {
            v.id: v
            for v in session.execute(
                select(*VIOLATION_COLUMNS).where(Violation.id.in_(violation_ids))
            )
        }
        if violation_ids
        else {}
    )
    person_ids = {d.person_id for d in documents.values()} | {
        v.person_id for v in violations.values()
    }
    persons = (
        {p.id: p for p in session.execute(select(*PERSON_COLUMNS).where(Person.id.in_(person_ids)))}
        if person_ids
        else {}
    )
    numbers = _travel_numbers(session, person_ids) if person_ids else {}
    bodies: dict[uuid.UUID, dict[str, Any] | None] = {}
    for message in messages:
        if message.type == WAIVED:
            bodies[message.id] = _waiver_body(message, violations, persons, numbers)
            continue
        if message.type not in STAY_TYPES:
            bodies[message.id] = dict(message.body)
            continue
        found = [documents[i] for i in stay_ids[message.id] if i in documents]
        person = persons.get(found[0].person_id) if found else None
        if person is None:
            bodies[message.id] = None
            continue
        bodies[message.id] = {
            "person": person_part(person, numbers.get(person.id, "")),
            "documents": [document_part(d) for d in found],
            "event": {
                "kind": message.body.get("event_kind", message.type.split(".", 1)[1]),
                "at": iso(message.created_at),
                "measure_id": message.body.get("measure_id"),
                "measure": message.body.get("measure"),
            },
        }
    return bodies


def _waiver_body(
    message: Any,
    violations: dict[uuid.UUID, Any],
    persons: dict[uuid.UUID, Any],
    numbers: dict[uuid.UUID, str],
) -> dict[str, Any] | None:
    """The person and the violations as they stand at send time (a violation paid or appealed
    since is reported with its status now); None when they are gone."""
    found = [violations[i] for i in _violation_ids(message) if i in violations]
    person = persons.get(found[0].person_id) if found else None
    if person is None:
        return None
    measure_id, measure = message.body.get("measure_id"), message.body.get("measure")
    return {
        "person": person_part(person, numbers.get(person.id, "")),
        "violations": [violation_part(v) for v in found],
        "waiver": {
            "at": iso(message.created_at),
            "measure_id": str(uuid.UUID(str(measure_id))) if measure_id else None,
            "measure": str(measure)[:300] if measure else None,
            "reason": message.body.get("reason"),
        },
    }
