"""Legs and return requests for the repatriation unit tests: a UZB consul's requests and legs
from Almaty (KAZ) to Tashkent, made through the services with a few rows each."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.db.base import utcnow
from kervan.repatriation.instance import Leg as PlainLeg
from kervan.repatriation.instance import Unit
from kervan.repatriation.models import Leg, LegMode, LegStatus, RequestStatus, ReturnRequest
from kervan.repatriation.requests import create_request
from kervan.repatriation.schemas import ReturnRequestCreate

CONSUL = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")
HOST_OFFICER = Principal(
    user_id=None, username="officer.kaz", role=Role.MIGRATION_OFFICER, state="KAZ"
)
_numbers = itertools.count(1)


def soon(days: int = 3) -> dt.datetime:
    """A departure in the future (legs that have left are not allocated)."""
    return (utcnow() + dt.timedelta(days=days)).replace(microsecond=0)


def add_leg(
    session: Session,
    *,
    departs: dt.datetime | None = None,
    seats: int = 4,
    held: int = 0,
    status: LegStatus = LegStatus.AGREED,
    origin: str = "ALA",
    destination: str = "TAS",
    home_state: str = "UZB",
) -> Leg:
    departs = departs or soon()
    leg = Leg(
        home_state=home_state,
        host_state="KAZ",
        mode=LegMode.FLIGHT,
        operator="Uzbekistan Airways",
        number=f"HY {next(_numbers)}",
        origin=origin,
        origin_name=origin,
        destination=destination,
        destination_name=destination,
        departs_at=departs,
        arrives_at=departs + dt.timedelta(hours=2),
        seats=seats,
        held_seats=held,
        status=status,
        created_by="test",
    )
    session.add(leg)
    session.flush()
    return leg


def traveller(i: int | None = None) -> dict[str, Any]:
    n = next(_numbers) if i is None else i
    return {
        "primary_identifier": f"KARIMOV{chr(65 + n % 26)}",
        "secondary_identifier": "ALISHER",
        "birth_date": dt.date(1980, 1, 1 + n % 28).isoformat(),
        "sex": "M",
        "passport_number": f"FA{7000000 + n}",
        "passport_state": "UZB",
    }


def request_data(size: int = 1, reasons: tuple[str, ...] = (), **more: Any) -> ReturnRequestCreate:
    body = {
        "host_state": "KAZ",
        "origin": "ALA",
        "destination": "TAS",
        "earliest_date": utcnow().date().isoformat(),
        "document_status": "valid_passport",
        "priority_reasons": list(reasons),
        "consent": True,
        "travellers": [traveller() for _ in range(size)],
        **more,
    }
    return ReturnRequestCreate.model_validate(body)


def add_request(
    session: Session,
    *,
    size: int = 1,
    reasons: tuple[str, ...] = (),
    status: RequestStatus | None = None,
    leg: Leg | None = None,
    **more: Any,
) -> ReturnRequest:
    request, _ = create_request(session, CONSUL, request_data(size, reasons, **more))
    if status is not None:
        request.status = status
    if leg is not None:
        request.leg_id = leg.id
    session.flush()
    return request


# The allocation problem as plain values (no database): up to three legs from two places to
# Tashkent over a few days, up to eight requests of random size, level and earliest day.
PLAIN_DAY = dt.date(2026, 5, 12)
PLACES = ["ALA", "NQZ"]
plain_legs = st.lists(
    st.tuples(st.sampled_from(PLACES), st.integers(0, 3), st.integers(0, 4)), max_size=3
).map(
    lambda specs: tuple(
        PlainLeg(
            f"L{i}",
            origin,
            "TAS",
            PLAIN_DAY + dt.timedelta(days=d),
            PLAIN_DAY + dt.timedelta(days=d),
            n,
        )
        for i, (origin, d, n) in enumerate(specs)
    )
)
plain_units = st.lists(
    st.tuples(
        st.sampled_from(PLACES),
        st.integers(1, 3),
        st.integers(0, 7),
        st.integers(0, 4),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
).map(
    lambda specs: tuple(
        Unit(f"U{i}", size, level, origin, "TAS", PLAIN_DAY + dt.timedelta(days=d), i, excluded=ex)
        for i, (origin, size, level, d, ex) in enumerate(specs)
    )
)
