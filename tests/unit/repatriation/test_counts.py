"""Counts of returns for reports and the analysts' page (``kervan.repatriation.counts``): by
status in requests and in people, seats agreed and taken, departures and arrivals; legs and
demand bucketed by ISO week (the week a year ends in may belong to the next year, or the
previous); the report's tables for a period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.repatriation.counts import counts, report_section, report_tables, weeks
from kervan.repatriation.models import LegStatus, RequestStatus
from kervan.reports.period import Period
from tests.unit.repatriation.support import add_leg, add_request


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def test_requests_people_and_seats_are_counted_by_status(session: Session) -> None:
    leg = add_leg(session, seats=10, held=2)
    add_leg(session, seats=50, status=LegStatus.ANNOUNCED)  # not agreed: no seats yet
    add_leg(session, seats=7, home_state="TJK")
    add_request(session, size=3, status=RequestStatus.CONFIRMED, leg=leg)
    add_request(session, size=1, reasons=("medical",))
    add_request(session, size=2)
    add_request(session, size=4, status=RequestStatus.CANCELLED)
    found = counts(session, "UZB")
    assert found.requests_by_status == {"confirmed": 1, "waiting": 2, "cancelled": 1}
    assert found.people_by_status == {"confirmed": 3, "waiting": 3, "cancelled": 4}
    assert sum(found.requests_by_level.values()) == 3  # waiting and seated, not cancelled
    assert (found.seats_agreed, found.seats_taken) == (8, 3)
    assert (found.departed, found.arrived) == (0, 0)


def test_departed_and_arrived_count_boarded_travellers(session: Session) -> None:
    landed = add_leg(session, departs=utcnow() - dt.timedelta(days=2))
    flying = add_leg(session, departs=utcnow() - dt.timedelta(hours=1))  # lands in an hour
    for leg, size in ((landed, 2), (flying, 1)):
        request = add_request(session, size=size, status=RequestStatus.BOARDED, leg=leg)
        for traveller in request.travellers:
            traveller.boarded_at = leg.departs_at
    session.flush()
    found = counts(session, "UZB")
    assert (found.departed, found.arrived) == (3, 2)


def test_legs_and_demand_are_bucketed_by_iso_week(session: Session) -> None:
    add_leg(session, departs=_at(dt.date(2026, 12, 31)), seats=5)  # Thursday of 2026-W53
    add_leg(session, departs=_at(dt.date(2027, 1, 1)), seats=4)  # Friday, still 2026-W53
    add_leg(session, departs=_at(dt.date(2027, 1, 4)), seats=3, held=1)  # 2027-W01
    add_request(session, size=2, earliest_date="2027-01-03")  # Sunday: 2026-W53
    add_request(session, size=1, earliest_date="2027-01-04", origin="NQZ")
    add_request(session, size=9, earliest_date="2027-01-04", status=RequestStatus.CANCELLED)
    found = [(w.week, w.origin, w.legs, w.seats, w.demand) for w in weeks(session, "UZB")]
    assert found == [
        ("2026-W53", "ALA", 2, 9, 2),
        ("2027-W01", "ALA", 1, 2, 0),
        ("2027-W01", "NQZ", 0, 0, 1),
    ]


def test_the_report_tables_cover_the_period(session: Session) -> None:
    period = Period(dt.date(2026, 5, 17))
    inside = add_leg(session, departs=_at(dt.date(2026, 5, 12)), seats=6, held=1)
    add_leg(session, departs=_at(dt.date(2026, 5, 18)), seats=9)  # after the period
    request = add_request(session, size=2, status=RequestStatus.BOARDED, leg=inside)
    request.registered_at = _at(dt.date(2026, 5, 1))
    for traveller in request.travellers:
        traveller.boarded_at = _at(dt.date(2026, 5, 12), 9)
    late = add_request(session, size=5)
    late.registered_at = _at(dt.date(2026, 5, 18))  # registered after the period
    session.flush()
    returns, seats, departures = report_tables(session, period, "UZB")
    assert dict(returns.counts) == {("KAZ", "boarded"): 2}
    assert dict(seats.counts) == {("KAZ",): 5}
    assert dict(departures.counts) == {("KAZ",): 2}
    section = report_section()
    assert {t.name for t in (returns, seats, departures)} == set(section.titles)
    statuses = {code for dim, code in section.categories if dim == "return_status"}
    assert statuses == {s.value for s in RequestStatus}
