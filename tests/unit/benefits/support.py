"""Benefit kinds and applications for the benefits unit tests, written straight to the session."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.registry.models import Person


def add_kind(
    session: Session,
    *,
    code: str = "shelter",
    eligibility: dict[str, Any] | None = None,
    state: str = "KAZ",
    active: bool = True,
    days: int = 30,
) -> BenefitKind:
    kind = BenefitKind(
        state=state,
        code=code,
        names={"en": code},
        eligibility=eligibility or {},
        default_entitlement_days=days,
        active=active,
    )
    session.add(kind)
    session.flush()
    return kind


def add_application(
    session: Session, person: Person, kind: BenefitKind, status: ApplicationStatus
) -> None:
    session.add(
        BenefitApplication(
            person_id=person.id,
            kind_id=kind.id,
            status=status,
            created_by="test",
            nationality=person.nationality,
        )
    )
    session.flush()
