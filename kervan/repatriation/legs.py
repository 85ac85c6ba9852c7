"""Transport legs: scheduled by the home state, agreed or refused by the host state (through
``repatriation.leg_announced`` and ``repatriation.leg_confirmed``), and the home regions'
daily reception places."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import Conflict
from kervan.repatriation import envelopes
from kervan.repatriation import messages as m
from kervan.repatriation.models import Leg, LegStatus, ReceptionCapacity
from kervan.repatriation.occupancy import taken_by_leg
from kervan.repatriation.requests import get_leg
from kervan.repatriation.schemas import LegCreate, LegDecision, LegPublic, ReceptionIn


def schedule_leg(session: Session, principal: Principal, data: LegCreate) -> Leg:
    require(principal, Permission.REPATRIATION_MANAGE)
    leg = Leg(
        home_state=principal.state,
        created_by=principal.actor,
        status=LegStatus.ANNOUNCED,
        **data.model_dump(),
    )
    session.add(leg)
    session.flush()
    envelopes.send_leg_announced(session, leg)
    audit.record(
        session, principal, "repatriation.leg.schedule", record_type="return_leg", record_id=leg.id
    )
    return leg


def decide_leg(
    session: Session, principal: Principal, leg_id: uuid.UUID, decision: LegDecision
) -> Leg:
    """The host state agrees to the leg (its passengers may leave under the agreed exit) or
    refuses it, with a reason."""
    require(principal, Permission.RETURN_LEGS_DECIDE)
    leg = get_leg(session, leg_id, principal.state)
    if leg.host_state != principal.state or leg.status is not LegStatus.ANNOUNCED:
        raise Conflict(
            "only an announced leg leaving this state is decided here",
            code=m.WRONG_STATUS,
            params={"status": leg.status.value},
        )
    leg.status = LegStatus.AGREED if decision.agree else LegStatus.REFUSED
    leg.refusal_reason = None if decision.agree else decision.reason
    leg.decided_at = utcnow()
    envelopes.send_leg_confirmed(session, leg)
    audit.record(
        session,
        principal,
        "repatriation.leg.decide",
        record_type="return_leg",
        record_id=leg.id,
        purpose=decision.reason,
        details={"agreed": decision.agree},
    )
    return leg


def set_reception(session: Session, principal: Principal, data: ReceptionIn) -> None:
    require(principal, Permission.REPATRIATION_MANAGE)
    row = session.get(ReceptionCapacity, (data.destination, data.day))
    if row is None:
        session.add(ReceptionCapacity(**data.model_dump()))
    else:
        row.places = data.places
    audit.record(
        session,
        principal,
        "repatriation.reception.set",
        record_type="return_reception",
        record_id=f"{data.destination} {data.day}",
        details={"places": data.places},
    )


@dataclass(frozen=True)
class ReceptionDay:
    """A destination's reception places on a day, and the people with a seat on the legs
    arriving there that day (allocated, confirmed or boarded)."""

    destination: str
    day: dt.date
    places: int
    arriving: int


def arrivals(session: Session, home_state: str, since: dt.date) -> dict[tuple[str, dt.date], int]:
    """People with a seat (allocated, confirmed or boarded) per destination and arrival day,
    on the home state's legs arriving from ``since`` on."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    legs = session.scalars(
        select(Leg).where(Leg.home_state == home_state, Leg.arrives_at >= start)
    ).all()
    seated = taken_by_leg(session, [leg.id for leg in legs])
    found: dict[tuple[str, dt.date], int] = {}
    for leg in legs:
        key = (leg.destination, leg.arrives_at.date())
        found[key] = found.get(key, 0) + seated.get(leg.id, 0)
    return found


def list_reception(
    session: Session, principal: Principal, since: dt.date, *, limit: int = 500
) -> list[ReceptionDay]:
    """The reception places set from ``since`` on, by day then destination (a day without a
    row has no limit)."""
    require(principal, Permission.REPATRIATION_MANAGE)
    rows = session.scalars(
        select(ReceptionCapacity)
        .where(ReceptionCapacity.day >= since)
        .order_by(ReceptionCapacity.day, ReceptionCapacity.destination)
        .limit(limit)
    ).all()
    arriving = arrivals(session, principal.state, since) if rows else {}
    return [
        ReceptionDay(r.destination, r.day, r.places, arriving.get((r.destination, r.day), 0))
        for r in rows
    ]


def list_legs(session: Session, principal: Principal) -> list[LegPublic]:
    """The legs a caller may see: a home state's consul its own, a host state's officers
    those leaving their country."""
    require(principal, Permission.REPATRIATION_READ)
    legs = session.scalars(
        select(Leg)
        .where(or_(Leg.home_state == principal.state, Leg.host_state == principal.state))
        .order_by(Leg.departs_at, Leg.id)
        .limit(1000)
    ).all()
    taken = taken_by_leg(session, [leg.id for leg in legs])
    return [public(leg, taken.get(leg.id, 0)) for leg in legs]


def public(leg: Leg, taken: int) -> LegPublic:
    return LegPublic(
        id=leg.id,
        label=leg.label,
        home_state=leg.home_state,
        host_state=leg.host_state,
        mode=leg.mode,
        origin=leg.origin,
        origin_name=leg.origin_name,
        destination=leg.destination,
        destination_name=leg.destination_name,
        departs_at=leg.departs_at,
        arrives_at=leg.arrives_at,
        seats=leg.seats,
        held_seats=leg.held_seats,
        taken=taken,
        free=max(leg.passenger_seats - taken, 0),
        price=leg.price,
        currency=leg.currency,
        status=leg.status,
    )
