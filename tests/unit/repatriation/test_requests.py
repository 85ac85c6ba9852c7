"""Return requests (``kervan.repatriation.requests``): registration (consent, level, size),
the officers' decisions and the statuses each accepts, which edits give up a seat, confirming
a leg's seats, and the keyset list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict, Forbidden, InvalidInput, NotFound
from kervan.repatriation import messages as m
from kervan.repatriation.models import LegStatus, RequestStatus
from kervan.repatriation.requests import (
    cancel,
    confirm_leg,
    create_request,
    exclude,
    get_request,
    list_requests,
    pin,
    seat_released_by,
    update_request,
)
from tests.unit.repatriation.support import (
    CONSUL,
    HOST_OFFICER,
    add_leg,
    add_request,
    request_data,
    soon,
)


def test_a_request_takes_its_level_size_and_state_from_what_was_given(session: Session) -> None:
    request, receipt = create_request(session, CONSUL, request_data(3, ("no_income", "medical")))
    assert request.reference == receipt.reference and request.secret_hash is None
    assert (request.size, request.home_state, request.status) == (3, "UZB", RequestStatus.WAITING)
    assert request.priority_reasons == "medical,no_income"  # highest rank first
    assert request.level > add_request(session, reasons=("no_income",)).level > 0
    assert [t.position for t in request.travellers] == [0, 1, 2]
    assert {t.nationality for t in request.travellers} == {"UZB"}


def test_a_request_without_consent_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_request(session, CONSUL, request_data(consent=False))
    assert caught.value.code == m.CONSENT_REQUIRED


def test_another_state_neither_registers_nor_reads_requests(session: Session) -> None:
    request = add_request(session)
    with pytest.raises(Forbidden):
        create_request(session, HOST_OFFICER, request_data())
    other = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="TJK")
    with pytest.raises(NotFound) as caught:
        get_request(session, other, request.reference)
    assert caught.value.code == m.REQUEST_NOT_FOUND


def test_pinning_confirms_the_seat_on_an_agreed_leg_with_room(session: Session) -> None:
    request = add_request(session, size=2)
    announced = add_leg(session, status=LegStatus.ANNOUNCED)
    with pytest.raises(Conflict) as caught:
        pin(session, CONSUL, request.reference, announced.id, "dialysis")
    assert caught.value.code == m.LEG_NOT_CONFIRMED
    small = add_leg(session, seats=3, held=2)
    with pytest.raises(Conflict) as caught:
        pin(session, CONSUL, request.reference, small.id, "dialysis")
    assert caught.value.code == m.LEG_FULL
    leg = add_leg(session, seats=2)
    pinned = pin(session, CONSUL, request.reference, leg.id, "dialysis")
    assert (pinned.status, pinned.leg_id, pinned.pinned) == (RequestStatus.CONFIRMED, leg.id, True)
    assert pinned.officer_reason == "dialysis"


def test_pinning_again_on_its_own_full_leg_is_allowed(session: Session) -> None:
    leg = add_leg(session, seats=1)
    request = add_request(session, status=RequestStatus.ALLOCATED, leg=leg)
    assert pin(session, CONSUL, request.reference, leg.id, "keep it").leg_id == leg.id


@pytest.mark.parametrize(
    ("status", "decision", "allowed"),
    [
        (RequestStatus.WAITING, "exclude", True),
        (RequestStatus.CONFIRMED, "exclude", True),
        (RequestStatus.EXCLUDED, "exclude", False),
        (RequestStatus.BOARDED, "exclude", False),
        (RequestStatus.EXCLUDED, "cancel", True),
        (RequestStatus.CONFIRMED, "cancel", True),
        (RequestStatus.BOARDED, "cancel", False),
        (RequestStatus.CANCELLED, "cancel", False),
        (RequestStatus.EXCLUDED, "pin", True),
        (RequestStatus.CONFIRMED, "pin", False),
        (RequestStatus.NO_SHOW, "pin", False),
    ],
)
def test_each_decision_accepts_only_some_statuses(
    session: Session, status: RequestStatus, decision: str, allowed: bool
) -> None:
    leg = add_leg(session)
    request = add_request(session, status=status)
    decide: dict[str, Any] = {
        "exclude": lambda: exclude(session, CONSUL, request.reference, "why"),
        "cancel": lambda: cancel(session, CONSUL, request.reference, "why"),
        "pin": lambda: pin(session, CONSUL, request.reference, leg.id, "why"),
    }
    if allowed:
        decide[decision]()
        return
    with pytest.raises(Conflict) as caught:
        decide[decision]()
    assert caught.value.code == m.WRONG_STATUS
    assert caught.value.params == {"status": status.value}


def test_exclusion_frees_the_seat_and_a_no_show_is_told_apart(session: Session) -> None:
    leg = add_leg(session)
    request = add_request(session, status=RequestStatus.CONFIRMED, leg=leg)
    request.pinned = True
    excluded = exclude(session, CONSUL, request.reference, "asked to wait")
    assert (excluded.status, excluded.leg_id, excluded.pinned) == (
        RequestStatus.EXCLUDED,
        None,
        False,
    )
    absent = add_request(session, status=RequestStatus.CONFIRMED, leg=leg)
    assert cancel(session, CONSUL, absent.reference, "gate", no_show=True).status is (
        RequestStatus.NO_SHOW
    )


@pytest.mark.parametrize(
    ("change", "released"),
    [
        ({}, False),
        ({"destination_city": "Chirchiq", "contact": "+998 90 000"}, False),
        ({"origin": "NQZ"}, True),
        ({"destination": "SKD"}, True),
        ({"host_state": "KGZ"}, True),
        ({"earliest_date": "LATE"}, True),
        ({"size": 1}, False),  # fewer people fit the seat they had
        ({"size": 3}, True),  # more do not
    ],
)
def test_an_edit_gives_up_the_seat_only_when_the_request_no_longer_fits_it(
    session: Session, change: dict[str, Any], released: bool
) -> None:
    leg = add_leg(session, departs=soon(5))
    request = add_request(session, size=2, status=RequestStatus.ALLOCATED, leg=leg)
    change = dict(change)  # the parameters are shared by the SQLite and PostgreSQL runs
    size = change.pop("size", 2)
    if change.get("earliest_date") == "LATE":
        change["earliest_date"] = (leg.departs_at.date() + dt.timedelta(days=1)).isoformat()
    data = request_data(size, **change)
    assert (seat_released_by(session, request, data) is not None) is released


def test_a_request_without_a_seat_gives_up_nothing(session: Session) -> None:
    leg = add_leg(session)
    waiting = add_request(session)
    assert seat_released_by(session, waiting, request_data(origin="NQZ")) is None
    boarded = add_request(session, status=RequestStatus.BOARDED, leg=leg)
    assert seat_released_by(session, boarded, request_data(origin="NQZ")) is None


def test_an_edit_keeps_the_travellers_ids_and_releases_a_seat_it_no_longer_fits(
    session: Session,
) -> None:
    leg = add_leg(session)
    request = add_request(session, size=2, status=RequestStatus.CONFIRMED, leg=leg)
    request.pinned = True
    ids = [t.id for t in request.travellers]
    data = request_data(3, ("medical",), origin="NQZ")
    edited, released = update_request(session, CONSUL, request.reference, data)
    assert released is not None and released.id == leg.id
    assert (edited.status, edited.leg_id, edited.pinned) == (RequestStatus.WAITING, None, False)
    assert [t.id for t in edited.travellers][:2] == ids and edited.size == 3
    assert edited.origin == "NQZ" and edited.level > 0
    shorter, _ = update_request(session, CONSUL, request.reference, request_data(1))
    assert [t.id for t in shorter.travellers] == ids[:1] and shorter.size == 1


def test_confirming_a_leg_confirms_only_its_allocated_requests(session: Session) -> None:
    leg, other = add_leg(session), add_leg(session)
    mine = [add_request(session, status=RequestStatus.ALLOCATED, leg=leg) for _ in range(2)]
    elsewhere = add_request(session, status=RequestStatus.ALLOCATED, leg=other)
    excluded = add_request(session, status=RequestStatus.EXCLUDED, leg=leg)
    assert confirm_leg(session, CONSUL, leg.id) == 2
    assert {r.status for r in mine} == {RequestStatus.CONFIRMED}
    assert (elsewhere.status, excluded.status) == (RequestStatus.ALLOCATED, RequestStatus.EXCLUDED)
    assert confirm_leg(session, CONSUL, leg.id) == 0


def test_the_list_pages_by_registration_and_filters_by_status(session: Session) -> None:
    made = [add_request(session) for _ in range(5)]
    made[2].status = RequestStatus.CANCELLED
    session.flush()
    first = list_requests(session, CONSUL, limit=2)
    last = first[-1]
    rest = list_requests(session, CONSUL, after=(last.registered_at, last.id), limit=10)
    assert [r.id for r in first + rest] == [r.id for r in made]
    cancelled = list_requests(session, CONSUL, status=RequestStatus.CANCELLED)
    assert [r.id for r in cancelled] == [made[2].id]
    other = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="TJK")
    assert list_requests(session, other) == []
