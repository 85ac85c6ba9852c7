"""Where each person on a list stands: the stay document they hold now, when it ends, and how
many violations are still open. Computed for a whole page of persons at once (two queries
whatever the page's length), so a list never asks the database once per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import nationality_scope
from kervan.accounts.roles import Principal
from kervan.registry.enums import StayKind, StayStatus
from kervan.registry.models import Person, StayDocument, Violation
from kervan.registry.stats import OPEN_VIOLATION_STATUSES


@dataclass(frozen=True)
class CurrentDocument:
    id: uuid.UUID
    kind: StayKind
    number: str
    valid_until: dt.date
    expired: bool


@dataclass(frozen=True)
class PersonStatus:
    document: CurrentDocument | None = None
    open_violations: int = 0


def _current(candidates: list[CurrentDocument]) -> CurrentDocument:
    """The one valid today that runs longest; else the active one that ended last (expired but
    not closed, which is what the officer must act on)."""
    valid = [d for d in candidates if not d.expired]
    pool = valid or candidates
    return max(pool, key=lambda d: (d.valid_until, str(d.id)))


def person_statuses(
    session: Session,
    principal: Principal,
    person_ids: Collection[uuid.UUID],
    *,
    today: dt.date,
) -> dict[uuid.UUID, PersonStatus]:
    """Every person of ``person_ids`` (a page of a list) with their status; persons outside
    the caller's scope get an empty one."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    documents: dict[uuid.UUID, list[CurrentDocument]] = {}
    rows = session.execute(
        select(
            StayDocument.person_id,
            StayDocument.id,
            StayDocument.kind,
            StayDocument.number,
            StayDocument.valid_until,
        ).where(
            StayDocument.person_id.in_(ids),
            StayDocument.status == StayStatus.ACTIVE,
            nationality_scope(principal, StayDocument.nationality),
        )
    )
    for person_id, document_id, kind, number, until in rows:
        documents.setdefault(person_id, []).append(
            CurrentDocument(document_id, kind, number, until, until < today)
        )
    violations: dict[uuid.UUID, int] = {
        person_id: count
        for person_id, count in session.execute(
            select(Violation.person_id, func.count())
            .where(
                Violation.person_id.in_(ids),
                Violation.status.in_(OPEN_VIOLATION_STATUSES),
                nationality_scope(principal, Violation.nationality),
            )
            .group_by(Violation.person_id)
        )
    }
    return {
        person_id: PersonStatus(
            _current(documents[person_id]) if person_id in documents else None,
            violations.get(person_id, 0),
        )
        for person_id in ids
    }


def persons_by_id(
    session: Session, principal: Principal, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Person]:
    """The persons of a page of documents, in one query (not one per row)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    query = select(Person).where(
        Person.id.in_(ids), nationality_scope(principal, Person.nationality)
    )
    return {p.id: p for p in session.scalars(query)}
