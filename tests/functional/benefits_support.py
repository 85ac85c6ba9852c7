"""Shared by the benefits, exit-check and measures-UI tests: wiring our routers into the app
until ``create_app`` does, and register data written through the services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import system_principal
from kervan.db.base import utcnow
from kervan.identity.mrz_build import MRZFields, compose_td3
from kervan.measures.models import Measure, MeasureStatus
from kervan.registry import service
from kervan.registry.enums import Sex, StayKind, StayPurpose, ViolationKind
from kervan.registry.schemas import (
    BirthDate,
    PersonCreate,
    StayDocumentCreate,
    TravelDocumentIn,
    ViolationCreate,
)
from kervan.uow import unit_of_work

TODAY = dt.date.today()


def seed_traveller(
    sessions: sessionmaker[Session],
    *,
    passport: str = "FA1234567",
    nationality: str = "UZB",
    valid_until: dt.date | None = None,
    valid_from: dt.date | None = None,
    kind: StayKind = StayKind.WORK_PERMIT,
    number: str = "WK12345678",
    purpose: StayPurpose = StayPurpose.WORK,
    birth_year: int = 1988,
    name: str = "Rahimov",
) -> tuple[uuid.UUID, uuid.UUID]:
    """A person with a passport and one active stay document."""
    officer = system_principal("KAZ", "seed")
    until = valid_until or TODAY + dt.timedelta(days=60)
    start = valid_from or min(until, TODAY) - dt.timedelta(days=200)
    with unit_of_work(sessions) as session:
        person = service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name=name,
                secondary_name="Otkir",
                nationality=nationality,
                birth_date=BirthDate(year=birth_year, month=3, day=14),
                sex=Sex.MALE,
                travel_documents=[
                    TravelDocumentIn(
                        number=passport,
                        issuing_state=nationality,
                        expiry_date=TODAY + dt.timedelta(days=2000),
                    )
                ],
            ),
        )
        document = service.issue_document(
            session,
            officer,
            person.id,
            StayDocumentCreate(
                kind=kind,
                number=number,
                purpose=purpose,
                valid_from=start,
                valid_until=until,
                reason="seeded for a test",
            ),
            host_state="KAZ",
        )
        return person.id, document.id


def record_overstay(
    sessions: sessionmaker[Session], person_id: uuid.UUID, since: dt.date
) -> uuid.UUID:
    with unit_of_work(sessions) as session:
        violation = service.record_violation(
            session,
            system_principal("KAZ", "seed"),
            person_id,
            ViolationCreate(kind=ViolationKind.OVERSTAY, period_start=since),
        )
        return violation.id


def in_force_measure(
    sessions: sessionmaker[Session],
    *,
    scope: dict[str, Any] | None = None,
    actions: list[dict[str, Any]] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    reference: str = "KAZ-TEST-01",
) -> uuid.UUID:
    """A measure in force, written as a row: the exit check reads measures, it does not apply
    them, so the test needs the data and not the measures engineer's apply pass."""
    with unit_of_work(sessions) as session:
        measure = Measure(
            reference=reference,
            issuing_state="KAZ",
            legal_act="Decree of the Government",
            legal_number="123",
            legal_date=TODAY - dt.timedelta(days=40),
            title={"en": "Quarantine regime", "ru": "Режим карантина"},
            period_start=start or TODAY - dt.timedelta(days=30),
            period_end=end or TODAY + dt.timedelta(days=30),
            scope=scope or {"nationality": ["member_states"]},
            actions=actions or [{"waive": {"kinds": ["overstay"]}}],
            status=MeasureStatus.IN_FORCE,
            created_by="test",
            in_force_at=utcnow(),
            in_force_by="test",
        )
        session.add(measure)
        session.flush()
        return measure.id


def passport_mrz(passport: str = "FA1234567", nationality: str = "UZB") -> list[str]:
    return list(
        compose_td3(
            MRZFields(
                document_number=passport,
                nationality=nationality,
                birth_date=dt.date(1988, 3, 14),
                expiry_date=TODAY + dt.timedelta(days=2000),
                primary_identifier="RAHIMOV",
                secondary_identifier="OTKIR",
                sex="M",
            )
        )
    )
