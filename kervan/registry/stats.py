"""The register at a glance: a handful of counts, each one set-based SQL over indexed columns.

Counts are scoped like every other read (a consular officer counts their own nationals only).
They reveal no person, so reading them is not audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

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


def _document_counts(principal: Principal, today: dt.date) -> tuple[Any, ...]:
    """Active documents still valid today; of those, the ones ending within the horizon; active
    documents whose validity has passed. COUNTs of a CASE that is NULL where the row does not
    count: one pass, portable to SQLite and PostgreSQL alike."""
    horizon = today + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
    active = StayDocument.status == StayStatus.ACTIVE
    return (
        func.count(case((and_(active, StayDocument.valid_until >= today), 1))),
        func.count(case((and_(active, StayDocument.valid_until.between(today, horizon)), 1))),
        func.count(case((and_(active, StayDocument.valid_until < today), 1))),
    )


def _persons_and_violations(session: Session, principal: Principal) -> tuple[int, int]:
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
    return persons or 0, violations or 0


def register_at_a_glance(
    session: Session, principal: Principal, *, today: dt.date
) -> RegisterAtAGlance:
    """Persons; active documents still valid today; of those, the ones ending within the
    horizon; active documents whose validity has passed; violations not yet settled."""
    require(principal, Permission.REGISTER_READ)
    documents = session.execute(
        select(*_document_counts(principal, today)).where(
            nationality_scope(principal, StayDocument.nationality)
        )
    ).one()
    persons, violations = _persons_and_violations(session, principal)
    return RegisterAtAGlance(
        persons=persons,
        valid_documents=documents[0],
        expiring_soon=documents[1],
        expired=documents[2],
        open_violations=violations,
        today=today,
    )


WEEKS_AHEAD = 12


@dataclass(frozen=True)
class WeekCount:
    starts: dt.date  # the first day of the week (today, today + 7 days, …)
    count: int


def expiring_per_week(
    session: Session, principal: Principal, *, today: dt.date, weeks: int = WEEKS_AHEAD
) -> list[WeekCount]:
    """Active stay documents ending in each of the next ``weeks`` weeks from today: one
    GROUP BY over the end date (at most 7 × ``weeks`` rows back), summed into weeks here."""
    require(principal, Permission.REGISTER_READ)
    last = today + dt.timedelta(days=7 * weeks - 1)
    per_day = session.execute(
        select(StayDocument.valid_until, func.count())
        .where(
            StayDocument.status == StayStatus.ACTIVE,
            StayDocument.valid_until.between(today, last),
            nationality_scope(principal, StayDocument.nationality),
        )
        .group_by(StayDocument.valid_until)
    )
    counts = [0] * weeks
    for day, count in per_day:
        counts[(day - today).days // 7] += int(count)
    return [WeekCount(today + dt.timedelta(days=7 * i), c) for i, c in enumerate(counts)]


# Figures for the secretariat: counts only, never a person. A count this small could point to
# one person in a small community, so it is shown as "fewer than".
SMALL_COUNT = 5


@dataclass(frozen=True)
class NationalityFigures:
    nationality: str
    valid_documents: int
    expired: int


@dataclass(frozen=True)
class SituationFigures:
    today: dt.date
    persons: int
    valid_documents: int
    expiring_soon: int
    expired: int
    open_violations: int
    by_nationality: list[NationalityFigures]
    small_count: int = SMALL_COUNT
    horizon_days: int = EXPIRY_HORIZON_DAYS


def situation_figures(
    session: Session, principal: Principal, *, today: dt.date
) -> SituationFigures:
    """The node's situation in numbers, for a role that may read reports but not the register:
    the totals of the register at a glance, and valid and expired documents per nationality."""
    require(principal, Permission.REPORTS_READ)
    rows = session.execute(
        select(StayDocument.nationality, *_document_counts(principal, today))
        .where(nationality_scope(principal, StayDocument.nationality))
        .group_by(StayDocument.nationality)
        .order_by(StayDocument.nationality)
    ).all()
    persons, violations = _persons_and_violations(session, principal)
    return SituationFigures(
        today=today,
        persons=persons,
        valid_documents=sum(r[1] for r in rows),
        expiring_soon=sum(r[2] for r in rows),
        expired=sum(r[3] for r in rows),
        open_violations=violations,
        by_nationality=[NationalityFigures(r[0], r[1], r[3]) for r in rows],
    )
