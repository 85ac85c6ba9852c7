"""Running the allocation on a node's tables: read the open requests and agreed legs in a few
set-based queries, solve (``solver``), write every open request's seat and explanation back
in one bulk update. Confirmed, pinned and boarded seats are fixed: a re-run — after
cancellations, no-shows or added legs — only places the waiting list and the seats not yet
confirmed, so it never moves someone who has been told their seat."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.repatriation.explain import explain_all
from kervan.repatriation.instance import Allocation, Instance, Unit
from kervan.repatriation.instance import Leg as LegValue
from kervan.repatriation.models import (
    Leg,
    LegStatus,
    ReceptionCapacity,
    RequestStatus,
    ReturnRequest,
)
from kervan.repatriation.requests import OPEN
from kervan.repatriation.schemas import AllocationSummary
from kervan.repatriation.solver import allocate

FIXED = (RequestStatus.CONFIRMED, RequestStatus.BOARDED)


def load_instance(
    session: Session, home_state: str, *, now: dt.datetime
) -> tuple[Instance, dict[str, str], dict[str, str]]:
    """The problem as the tables hold it, with leg labels and officers' reasons."""
    legs = session.execute(
        select(
            Leg.id,
            Leg.origin,
            Leg.destination,
            Leg.departs_at,
            Leg.arrives_at,
            Leg.seats,
            Leg.held_seats,
            Leg.operator,
            Leg.number,
        ).where(Leg.home_state == home_state, Leg.status == LegStatus.AGREED, Leg.departs_at > now)
    ).all()
    leg_values = tuple(
        LegValue(
            str(r.id),
            r.origin,
            r.destination,
            r.departs_at.date(),
            r.arrives_at.date(),
            max(r.seats - r.held_seats, 0),
        )
        for r in legs
    )
    labels = {str(r.id): f"{r.operator} {r.number}" for r in legs}
    rows = session.execute(
        select(
            ReturnRequest.id,
            ReturnRequest.size,
            ReturnRequest.level,
            ReturnRequest.origin,
            ReturnRequest.destination,
            ReturnRequest.earliest_date,
            ReturnRequest.status,
            ReturnRequest.leg_id,
            ReturnRequest.pinned,
            ReturnRequest.officer_reason,
        )
        .where(
            ReturnRequest.home_state == home_state,
            ReturnRequest.status.in_((*OPEN, *FIXED, RequestStatus.EXCLUDED)),
        )
        .order_by(ReturnRequest.registered_at, ReturnRequest.id)
    ).all()
    units = []
    reasons: dict[str, str] = {}
    for order, r in enumerate(rows):
        fixed = r.status in FIXED
        if fixed and (r.leg_id is None or str(r.leg_id) not in labels):
            continue  # on a leg already gone: no longer part of the problem
        if r.officer_reason and (r.pinned or r.status is RequestStatus.EXCLUDED):
            reasons[str(r.id)] = r.officer_reason
        units.append(
            Unit(
                str(r.id),
                r.size,
                r.level,
                r.origin,
                r.destination,
                r.earliest_date,
                order,
                fixed_leg=str(r.leg_id) if fixed else None,
                excluded=r.status is RequestStatus.EXCLUDED,
            )
        )
    reception = {
        (r.destination, r.day): r.places
        for r in session.execute(
            select(ReceptionCapacity.destination, ReceptionCapacity.day, ReceptionCapacity.places)
        )
    }
    return Instance(tuple(units), leg_values, reception), labels, reasons


def write_back(
    session: Session,
    instance: Instance,
    allocation: Allocation,
    labels: dict[str, str],
    reasons: dict[str, str],
) -> None:
    explained = explain_all(instance, allocation, labels=labels, reasons=reasons)
    now = utcnow()
    changes: list[dict[str, Any]] = []
    for unit in instance.units:
        explanation = explained[unit.id]
        values: dict[str, Any] = {
            "id": uuid.UUID(unit.id),
            "explanation_code": explanation.code,
            "explanation_params": explanation.params,
            "updated_at": now,
        }
        if unit.fixed_leg is None and not unit.excluded:
            seat = allocation.seat_of.get(unit.id)
            values["leg_id"] = uuid.UUID(seat) if seat else None
            values["status"] = RequestStatus.ALLOCATED if seat else RequestStatus.WAITING
        changes.append(values)
    if changes:
        by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values in changes:  # one executemany per shape of row
            by_keys.setdefault(tuple(sorted(values)), []).append(values)
        for batch in by_keys.values():
            session.execute(update(ReturnRequest), batch)


def run_allocation(
    session: Session, principal: Principal, *, time_budget: float = 30.0
) -> AllocationSummary:
    require(principal, Permission.REPATRIATION_MANAGE)
    started = time.perf_counter()
    instance, labels, reasons = load_instance(session, principal.state, now=utcnow())
    allocation = allocate(instance, time_budget=time_budget)
    write_back(session, instance, allocation, labels, reasons)
    seated = [u for u in instance.units if allocation.seat_of.get(u.id)]
    summary = AllocationSummary(
        seated=len(seated),
        waiting=sum(
            1 for u in instance.units if not u.excluded and not allocation.seat_of.get(u.id)
        ),
        people_seated=sum(u.size for u in seated),
        seconds=round(time.perf_counter() - started, 3),
    )
    audit.record(
        session,
        principal,
        "repatriation.allocate",
        record_type="return_requests",
        details=summary.model_dump(),
    )
    return summary
