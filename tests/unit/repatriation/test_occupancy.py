"""Seats taken on legs (``kervan.repatriation.occupancy``): the people of allocated, confirmed
and boarded requests, by leg, in SQL."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from kervan.repatriation.models import RequestStatus
from kervan.repatriation.occupancy import HOLDING, taken, taken_by_leg
from tests.unit.repatriation.support import add_leg, add_request


def test_only_holding_requests_take_seats(session: Session) -> None:
    leg, other = add_leg(session, seats=20), add_leg(session, seats=20)
    for status in RequestStatus:
        add_request(session, size=2, status=status, leg=leg)
    add_request(session, size=3, status=RequestStatus.CONFIRMED, leg=other)
    add_request(session, size=4)  # waiting, no leg
    assert taken(session, leg.id) == 2 * len(HOLDING)
    assert taken_by_leg(session) == {leg.id: 2 * len(HOLDING), other.id: 3}
    assert taken_by_leg(session, [other.id]) == {other.id: 3}
    assert taken(session, uuid.uuid4()) == 0
    assert taken_by_leg(session, []) == {}
