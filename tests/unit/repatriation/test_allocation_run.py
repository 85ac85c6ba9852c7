"""The allocation on a node's tables (``kervan.repatriation.allocation_run``): what the problem
read from the tables holds (agreed future legs of the home state with their passenger seats;
open, fixed and excluded requests in registration order), and what is written back (seats and
explanations for open requests; confirmed, boarded and excluded ones never moved)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.repatriation import messages as m
from kervan.repatriation.allocation_run import load_instance, run_allocation
from kervan.repatriation.models import LegStatus, ReceptionCapacity, RequestStatus
from tests.unit.repatriation.support import CONSUL, add_leg, add_request, soon


def test_the_problem_holds_agreed_future_legs_of_the_home_state(session: Session) -> None:
    agreed = add_leg(session, seats=10, held=3)
    overheld = add_leg(session, seats=2, held=5)
    add_leg(session, status=LegStatus.ANNOUNCED)
    add_leg(session, status=LegStatus.REFUSED)
    add_leg(session, departs=utcnow() - dt.timedelta(hours=1))  # gone
    add_leg(session, home_state="TJK")
    instance, labels, _ = load_instance(session, "UZB", now=utcnow())
    seats = {leg.id: leg.seats for leg in instance.legs}
    assert seats == {str(agreed.id): 7, str(overheld.id): 0}
    assert labels[str(agreed.id)] == agreed.label
    (leg,) = [leg for leg in instance.legs if leg.id == str(agreed.id)]
    assert (leg.origin, leg.destination, leg.departs) == ("ALA", "TAS", agreed.departs_at.date())


def test_the_problem_holds_open_fixed_and_excluded_requests_in_order(session: Session) -> None:
    leg = add_leg(session)
    gone = add_leg(session, status=LegStatus.REFUSED)
    first = add_request(session, size=2, reasons=("medical",))
    confirmed = add_request(session, status=RequestStatus.CONFIRMED, leg=leg)
    pinned = add_request(session, status=RequestStatus.CONFIRMED, leg=leg)
    pinned.pinned, pinned.officer_reason = True, "dialysis"
    excluded = add_request(session, status=RequestStatus.EXCLUDED)
    excluded.officer_reason = "asked to wait"
    on_gone_leg = add_request(session, status=RequestStatus.CONFIRMED, leg=gone)
    add_request(session, status=RequestStatus.CANCELLED)
    add_request(session, status=RequestStatus.NO_SHOW)
    session.add(ReceptionCapacity(destination="TAS", day=dt.date(2030, 1, 1), places=5))
    session.flush()
    instance, _, reasons = load_instance(session, "UZB", now=utcnow())
    units = {u.id: u for u in instance.units}
    assert list(units) == [str(r.id) for r in (first, confirmed, pinned, excluded)]
    assert str(on_gone_leg.id) not in units
    assert (units[str(first.id)].size, units[str(first.id)].fixed_leg) == (2, None)
    assert units[str(first.id)].level > 0
    assert units[str(confirmed.id)].fixed_leg == str(leg.id)
    assert units[str(excluded.id)].excluded
    assert [u.order for u in instance.units] == sorted(u.order for u in instance.units)
    assert reasons == {str(pinned.id): "dialysis", str(excluded.id): "asked to wait"}
    assert instance.reception == {("TAS", dt.date(2030, 1, 1)): 5}


def test_a_run_seats_the_open_requests_and_explains_every_one(session: Session) -> None:
    leg = add_leg(session, seats=3)
    confirmed = add_request(session, status=RequestStatus.CONFIRMED, leg=leg)
    urgent = add_request(session, reasons=("medical",))
    family = add_request(session, size=2)
    late = add_request(session)
    excluded = add_request(session, status=RequestStatus.EXCLUDED)

    summary = run_allocation(session, CONSUL)

    for request in (confirmed, urgent, family, late, excluded):
        session.refresh(request)
    assert (confirmed.status, confirmed.leg_id) == (RequestStatus.CONFIRMED, leg.id)
    assert (urgent.status, urgent.leg_id) == (RequestStatus.ALLOCATED, leg.id)
    assert urgent.explanation_code == m.SEATED
    # One seat left after the confirmed and the urgent one: the family of two is never split,
    # so the single traveller registered after it takes the seat and the family waits.
    assert (late.status, late.leg_id) == (RequestStatus.ALLOCATED, leg.id)
    assert (family.status, family.leg_id) == (RequestStatus.WAITING, None)
    # Once the single traveller has the last seat, no room is left for anyone at its level.
    assert family.explanation_code == m.WAITING_PRIORITY
    assert family.explanation_params is not None and family.explanation_params["seats"] == 3
    assert (excluded.status, excluded.explanation_code) == (RequestStatus.EXCLUDED, m.EXCLUDED)
    assert (summary.seated, summary.waiting, summary.people_seated) == (3, 1, 3)


def test_a_second_run_changes_nothing(session: Session) -> None:
    add_leg(session, seats=2)
    requests = [add_request(session) for _ in range(4)]
    run_allocation(session, CONSUL)
    for request in requests:  # written back in bulk, past the session's objects
        session.refresh(request)
    first = {r.id: (r.status, r.leg_id, r.explanation_code) for r in requests}
    run_allocation(session, CONSUL)
    for request in requests:
        session.refresh(request)
    assert {r.id: (r.status, r.leg_id, r.explanation_code) for r in requests} == first


def test_a_request_whose_seat_went_away_waits_again(session: Session) -> None:
    leg = add_leg(session, seats=1)
    request = add_request(session)
    run_allocation(session, CONSUL)
    session.refresh(request)
    assert request.leg_id == leg.id
    leg.status = LegStatus.REFUSED
    session.flush()
    run_allocation(session, CONSUL)
    session.refresh(request)
    assert (request.status, request.leg_id) == (RequestStatus.WAITING, None)
    assert request.explanation_code == m.WAITING_NO_LEG


def test_nothing_to_allocate_is_an_empty_run(session: Session) -> None:
    summary = run_allocation(session, CONSUL)
    assert (summary.seated, summary.waiting, summary.people_seated) == (0, 0, 0)
    add_leg(session, departs=soon(10))
    assert run_allocation(session, CONSUL).seated == 0
