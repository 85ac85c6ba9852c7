"""Small registers and measures for the unit tests of the packages that read who a measure
reaches (measures, benefits, border): rows written straight to the session, a handful each, so
a test runs in milliseconds on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.registry.enums import (
    Sex,
    StayKind,
    StayPurpose,
    StayStatus,
    TravelDocumentType,
    ViolationKind,
    ViolationStatus,
)
from kervan.registry.models import Person, StayDocument, TravelDocument, Violation

TODAY = dt.date(2020, 5, 1)
PERIOD = (dt.date(2020, 3, 16), dt.date(2020, 5, 15))

# Property tests over a database: a few examples, each a handful of rows in the test's session
# (the session fixture is shared by the examples, so each example rolls its rows back).
ON_DATABASE = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_numbers = itertools.count(1)
Row = TypeVar("Row")


def _stored(session: Session, row: Row) -> Row:
    """``row`` added to the session and flushed, so that its key and defaults are set."""
    session.add(row)
    session.flush()
    return row


def add_person(
    session: Session,
    *,
    nationality: str = "UZB",
    birth_year: int = 1990,
    birth_month: int | None = 6,
    birth_day: int | None = 15,
) -> Person:
    n = next(_numbers)
    person = Person(
        primary_name=f"P{n}",
        primary_identifier=f"P{n}",
        name_key=f"p{n}",
        primary_skeleton=f"p{n}",
        nationality=nationality,
        birth_year=birth_year,
        birth_month=birth_month,
        birth_day=birth_day if birth_month else None,
        sex=Sex.FEMALE,
    )
    return _stored(session, person)


def add_passport(session: Session, person: Person, number: str) -> TravelDocument:
    passport = TravelDocument(
        person_id=person.id,
        document_type=TravelDocumentType.PASSPORT,
        number=number,
        issuing_state=person.nationality,
    )
    return _stored(session, passport)


def add_document(
    session: Session,
    person: Person,
    valid_until: dt.date,
    *,
    kind: StayKind = StayKind.WORK_PERMIT,
    status: StayStatus = StayStatus.ACTIVE,
    valid_from: dt.date | None = None,
    purpose: StayPurpose = StayPurpose.WORK,
) -> StayDocument:
    document = StayDocument(
        person_id=person.id,
        kind=kind,
        number=f"N{next(_numbers)}",
        host_state="KAZ",
        purpose=purpose,
        valid_from=valid_from or min(valid_until, dt.date(2019, 6, 1)),
        valid_until=valid_until,
        status=status,
        nationality=person.nationality,
    )
    return _stored(session, document)


def add_violation(
    session: Session,
    person: Person,
    *,
    start: dt.date,
    end: dt.date | None = None,
    kind: ViolationKind = ViolationKind.OVERSTAY,
    status: ViolationStatus = ViolationStatus.RECORDED,
    document: StayDocument | None = None,
) -> Violation:
    violation = Violation(
        person_id=person.id,
        document_id=document.id if document else None,
        kind=kind,
        period_start=start,
        period_end=end,
        status=status,
        recorded_by="test",
        nationality=person.nationality,
    )
    return _stored(session, violation)


def add_measure(
    session: Session,
    *,
    scope: dict[str, Any] | None = None,
    actions: list[dict[str, Any]] | None = None,
    status: MeasureStatus = MeasureStatus.IN_FORCE,
    in_force_at: dt.datetime | None = None,
    period: tuple[dt.date, dt.date] = PERIOD,
    reference: str | None = None,
) -> Measure:
    """A measure as stored (scope and actions in canonical form are the caller's business)."""
    measure = Measure(
        reference=reference or f"M-{uuid.uuid4().hex[:8]}",
        issuing_state="KAZ",
        legal_act="test",
        legal_date=period[0],
        title={"en": "test measure"},
        period_start=period[0],
        period_end=period[1],
        scope=scope or {},
        actions=actions if actions is not None else [{"extend": {"to": "2020-06-30"}}],
        status=status,
        in_force_at=(in_force_at or utcnow()) if status is MeasureStatus.IN_FORCE else in_force_at,
        created_by="test",
    )
    return _stored(session, measure)


def add_effect(
    session: Session, measure: Measure, document: StayDocument, old: dt.date, new: dt.date
) -> MeasureEffect:
    """What a pass of ``measure`` leaves behind for one document it extended."""
    effect = MeasureEffect(
        measure_id=measure.id,
        document_id=document.id,
        person_id=document.person_id,
        nationality=document.nationality,
        old_until=old,
        new_until=new,
    )
    document.valid_until = max(document.valid_until, new)
    return _stored(session, effect)
