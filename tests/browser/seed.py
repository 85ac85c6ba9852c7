"""A small register for the browser tests, written through the register's own services."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.db.migrate import upgrade
from kervan.demo.accounts import ensure_demo_accounts
from kervan.demo.example import bring_example_into_force
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

LANGUAGE_USER = "officer.languages"
PASSWORD = "correct horse battery staple"


@dataclass
class SeededNode:
    rahimov: uuid.UUID
    rahimov_permit: uuid.UUID
    foreign_national: uuid.UUID  # a Kyrgyz national: outside the Uzbek consul's scope
    accounts: dict[str, str] = field(default_factory=dict)


def _person(
    primary: str, secondary: str, nationality: str, born: tuple[int, int, int], passport: str
) -> PersonCreate:
    return PersonCreate(
        primary_name=primary,
        secondary_name=secondary,
        nationality=nationality,
        birth_date=BirthDate(year=born[0], month=born[1], day=born[2]),
        sex=Sex.MALE,
        travel_documents=[
            TravelDocumentIn(
                number=passport, issuing_state=nationality, expiry_date=dt.date(2031, 5, 1)
            )
        ],
    )


# Search's fixed set (issue 12): 35 SHODMONOV, the name typed, and 6 near-miss SHADMANOV.
NAMESAKES = 35
NEAR_MISSES = 6
_GIVEN = ("Жасур", "Бекзод", "Дилшод", "Сардор", "Улугбек", "Азиз", "Рустам")


def seed_namesakes(session: Any, officer: Any) -> None:
    for i in range(NAMESAKES):
        born = BirthDate(year=1975 + i % 25, month=1 + i % 12, day=1 + i % 28)
        service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name="Шодмонов",
                secondary_name=_GIVEN[i % len(_GIVEN)],
                nationality="UZB",
                birth_date=born,
                sex=Sex.MALE,
            ),
        )
    for i in range(NEAR_MISSES):
        service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name="Shadmanov",
                secondary_name="Ilhom",
                nationality="TJK",
                birth_date=BirthDate(year=1985, month=5, day=1 + i),
                sex=Sex.MALE,
            ),
        )


def seed_node(settings: Settings) -> SeededNode:
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    today = dt.date.today()
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            accounts = {u: p for u, _, p in ensure_demo_accounts(session, settings.state)}
            create_user(
                session,
                system_principal(settings.state, "seed"),
                username=LANGUAGE_USER,
                password=PASSWORD,
                role=Role.MIGRATION_OFFICER,
                state=settings.state,
            )
            accounts[LANGUAGE_USER] = PASSWORD
            officer = system_principal(settings.state, "seed")
            rahimov = service.create_person(
                session, officer, _person("Rahimov", "Otkir", "UZB", (1988, 3, 14), "FA1234567")
            )
            permit = service.issue_document(
                session,
                officer,
                rahimov.id,
                StayDocumentCreate(
                    kind=StayKind.WORK_PERMIT,
                    number="WK12345678",
                    purpose=StayPurpose.WORK,
                    valid_from=today - dt.timedelta(days=200),
                    valid_until=today + dt.timedelta(days=20),
                    reason="employer application 17",
                ),
                host_state=settings.state,
            )
            service.record_violation(
                session,
                officer,
                rahimov.id,
                ViolationCreate(
                    kind=ViolationKind.MISSING_REGISTRATION,
                    period_start=today - dt.timedelta(days=90),
                    period_end=today - dt.timedelta(days=80),
                ),
            )
            kyrgyz = service.create_person(
                session, officer, _person("Асанов", "Бакыт", "KGZ", (1979, 11, 2), "AC7654321")
            )
            service.issue_document(
                session,
                officer,
                kyrgyz.id,
                StayDocumentCreate(
                    kind=StayKind.TEMPORARY_RESIDENCE,
                    number="TK1234567",
                    purpose=StayPurpose.FAMILY,
                    valid_from=today - dt.timedelta(days=400),
                    valid_until=today - dt.timedelta(days=3),
                    reason="family reunification",
                ),
                host_state=settings.state,
            )
            seed_namesakes(session, officer)
            bring_example_into_force(session, settings.state, today)
            return SeededNode(
                rahimov=rahimov.id,
                rahimov_permit=permit.id,
                foreign_national=kyrgyz.id,
                accounts=accounts,
            )
    finally:
        engine.dispose()
