"""Assistance cases for the unit tests: a KAZ node, its migration officer and a UZB consul,
cases opened through the service with a few fields each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.assistance import service
from kervan.assistance.models import Case, CaseAid, Source, Urgency
from kervan.assistance.schemas import AidIn, CaseCreate, ConsentIn
from kervan.assistance.sla import DEFAULT_SLA

NODE = "KAZ"
OPENED = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
OFFICER = Principal(user_id=None, username="officer.kaz", role=Role.MIGRATION_OFFICER, state="KAZ")
CONSUL = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")
BORDER = Principal(user_id=None, username="border.kaz", role=Role.BORDER_OFFICER, state="KAZ")


def case_data(
    *needs: str,
    nationality: str = "UZB",
    urgency: Urgency = Urgency.NORMAL,
    consent: bool = False,
    **more: Any,
) -> CaseCreate:
    return CaseCreate.model_validate(
        {
            "full_name": "Karimov Alisher",
            "nationality": nationality,
            "needs": list(needs) or ["shelter"],
            "urgency": urgency,
            "consent": {"given_by": "Karimov Alisher", "how": "in_person"} if consent else None,
            **more,
        }
    )


def open_case(
    session: Session,
    *needs: str,
    at: dt.datetime = OPENED,
    by: Principal = OFFICER,
    source: Source = Source.OFFICER,
    **more: Any,
) -> Case:
    case, _ = service.create_case(
        session,
        by,
        case_data(*needs, **more),
        node_state=NODE,
        sla=DEFAULT_SLA,
        now=at,
        source=source,
    )
    return case


def give_aid(
    session: Session,
    case: Case,
    kind: str,
    *,
    at: dt.datetime = OPENED,
    amount: str | None = None,
    currency: str | None = None,
    quantity: int = 1,
) -> CaseAid:
    data = AidIn(
        kind=kind,  # type: ignore[arg-type]
        quantity=quantity,
        amount=None if amount is None else Decimal(amount),
        currency=currency,
    )
    return service.add_aid(session, OFFICER, case.id, data, at)


CONSENT = ConsentIn(given_by="Karimov Alisher", how="in_person")
