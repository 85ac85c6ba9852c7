"""The register at a glance: a handful of counts, each one set-based SQL over indexed columns.

Counts are scoped like every other read (a consular officer counts their own nationals only).
They reveal no person, so reading them is not audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.registry.enums import StayStatus, ViolationStatus
from kervan.registry.models import Person, StayDocument, Violation

EXPIRY_HORIZON_DAYS = 30
OPEN_VIOLATION_STATUSES = (ViolationStatus.RECORDED, ViolationStatus.APPEALED)


@dataclass(frozen=True)
class RegisterAtAGlance:
    persons: int
    valid_documents: int
    expiring_soon: int
    expired: int
    open_violations: int
    today: dt.date
    horizon_days: int = EXPIRY_HORIZON_DAYS


def register_at_a_glance(
    session: Session, principal: Principal, *, today: dt.date
) -> RegisterAtAGlance:
    """Persons; active documents still valid today; of those, the ones ending within the
    horizon; active documents whose validity has passed; violations not yet settled."""
    require(principal, Permission.REGISTER_READ)
    horizon = today + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
    active = StayDocument.status == StayStatus.ACTIVE
    # One pass over stay documents for the three document counts: COUNT of a CASE that is
    # NULL where the row does not count, portable to SQLite and PostgreSQL alike.
    documents = session.execute(
        select(
            func.count(case((and_(active, StayDocument.valid_until >= today), 1))),
            func.count(case((and_(active, StayDocument.valid_until.between(today, horizon)), 1))),
            func.count(case((and_(active, StayDocument.valid_until < today), 1))),
        ).where(nationality_scope(principal, StayDocument.nationality))
    ).one()
    persons = session.scalar(
        select(func.count())
        .select_from(Person)
        .where(nationality_scope(principal, Person.nationality))
    )
    violations = session.scalar(
        select(func.count())
        .select_from(Violation)
        .where(
            Violation.status.in_(OPEN_VIOLATION_STATUSES),
            nationality_scope(principal, Violation.nationality),
        )
    )
    return RegisterAtAGlance(
        persons=persons or 0,
        valid_documents=documents[0],
        expiring_soon=documents[1],
        expired=documents[2],
        open_violations=violations or 0,
        today=today,
    )
