"""Transport legs (``kervan.repatriation.legs``): the host state decides an announced leg
leaving its country once; who sees which legs and how many seats are free; the people due on
each reception day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict, NotFound
from kervan.exchange.models import OutboxMessage
from kervan.repatriation import messages as m
from kervan.repatriation.legs import (
    arrivals,
    decide_leg,
    list_legs,
    list_reception,
    public,
    set_reception,
)
from kervan.repatriation.models import LegStatus, RequestStatus
from kervan.repatriation.schemas import LegDecision, ReceptionIn
from tests.unit.repatriation.support import CONSUL, HOST_OFFICER, add_leg, add_request, soon


def test_the_host_state_agrees_to_an_announced_leg_once(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.ANNOUNCED)
    decided = decide_leg(session, HOST_OFFICER, leg.id, LegDecision(agree=True))
    assert (decided.status, decided.refusal_reason) == (LegStatus.AGREED, None)
    assert decided.decided_at is not None
    with pytest.raises(Conflict) as caught:
        decide_leg(session, HOST_OFFICER, leg.id, LegDecision(agree=False, reason="late"))
    assert caught.value.code == m.WRONG_STATUS


def test_a_refusal_keeps_its_reason_and_is_sent_home(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.ANNOUNCED)
    decide_leg(session, HOST_OFFICER, leg.id, LegDecision(agree=False, reason="airspace closed"))
    assert (leg.status, leg.refusal_reason) == (LegStatus.REFUSED, "airspace closed")
    sent = session.scalars(select(OutboxMessage).where(OutboxMessage.to_state == "UZB")).all()
    assert [(s.body["agreed"], s.body["reason"]) for s in sent] == [(False, "airspace closed")]


def test_only_the_host_state_decides(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.ANNOUNCED)
    uzbek_officer = Principal(user_id=None, username="o", role=Role.MIGRATION_OFFICER, state="UZB")
    with pytest.raises(Conflict):
        decide_leg(session, uzbek_officer, leg.id, LegDecision(agree=True))
    stranger = Principal(user_id=None, username="o", role=Role.MIGRATION_OFFICER, state="TJK")
    with pytest.raises(NotFound):
        decide_leg(session, stranger, leg.id, LegDecision(agree=True))


def test_the_free_seats_are_the_passenger_seats_less_those_taken(session: Session) -> None:
    leg = add_leg(session, seats=10, held=2)
    assert public(leg, 3).free == 5
    assert public(leg, 9).free == 0  # over-taken is shown as none free, not negative
    assert public(leg, 0).label == leg.label


def test_each_side_sees_its_legs_with_the_seats_taken(session: Session) -> None:
    leg = add_leg(session, seats=6, departs=soon(2))
    later = add_leg(session, seats=6, departs=soon(4))
    add_leg(session, home_state="TJK")  # home TJK, host KAZ: not the UZB consul's
    add_request(session, size=2, status=RequestStatus.CONFIRMED, leg=leg)
    add_request(session, size=1, status=RequestStatus.ALLOCATED, leg=leg)
    add_request(session, size=3, status=RequestStatus.CANCELLED, leg=leg)
    mine = list_legs(session, CONSUL)
    assert [(p.id, p.taken, p.free) for p in mine] == [(leg.id, 3, 3), (later.id, 0, 6)]
    assert len(list_legs(session, HOST_OFFICER)) == 3


def test_reception_days_show_the_people_arriving(session: Session) -> None:
    departs = soon(3)
    leg = add_leg(session, departs=departs)
    add_leg(session, departs=departs, destination="SKD")
    add_request(session, size=2, status=RequestStatus.ALLOCATED, leg=leg)
    add_request(session, size=1, status=RequestStatus.BOARDED, leg=leg)
    add_request(session, size=4, status=RequestStatus.WAITING)
    day = leg.arrives_at.date()
    set_reception(session, CONSUL, ReceptionIn(destination="TAS", day=day, places=10))
    set_reception(session, CONSUL, ReceptionIn(destination="TAS", day=day, places=2))  # replaced
    set_reception(
        session, CONSUL, ReceptionIn(destination="TAS", day=day + dt.timedelta(1), places=7)
    )
    session.flush()
    days = list_reception(session, CONSUL, day)
    assert [(d.destination, d.day, d.places, d.arriving) for d in days] == [
        ("TAS", day, 2, 3),
        ("TAS", day + dt.timedelta(1), 7, 0),
    ]
    assert arrivals(session, "UZB", day) == {("TAS", day): 3, ("SKD", day): 0}
    assert arrivals(session, "UZB", day + dt.timedelta(days=2)) == {}
    assert list_reception(session, CONSUL, day + dt.timedelta(days=5)) == []
