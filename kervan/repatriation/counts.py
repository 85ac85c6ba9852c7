"""Counts for reports (``kervan.reports``) and the analysts' page: never a person, each a
GROUP BY over the whole table."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.repatriation.models import Leg, LegStatus, RequestStatus, ReturnRequest, Traveller
from kervan.repatriation.occupancy import HOLDING
from kervan.repatriation.terms import REPATRIATION_TERMS
from kervan.reports.sections import Section
from kervan.reports.tables import Table
from kervan.web.i18n import N_

if TYPE_CHECKING:
    from kervan.reports.period import Period


class CorridorWeek(BaseModel):
    week: str  # ISO week, e.g. 2026-W19
    origin: str
    destination: str
    legs: int
    seats: int
    demand: int  # people, waiting or seated, whose earliest travel date falls in that week


class Counts(BaseModel):
    requests_by_status: dict[str, int]
    people_by_status: dict[str, int]
    requests_by_level: dict[int, int]
    seats_agreed: int
    seats_taken: int
    departed: int  # boarded in the host state
    arrived: int  # boarded on legs whose arrival time has passed
    weeks: list[CorridorWeek]


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def counts(session: Session, home_state: str, *, now: dt.datetime | None = None) -> Counts:
    now = now or dt.datetime.now(dt.UTC)
    mine = ReturnRequest.home_state == home_state
    by_status = session.execute(
        select(ReturnRequest.status, func.count(), func.sum(ReturnRequest.size))
        .where(mine)
        .group_by(ReturnRequest.status)
    ).all()
    by_level = session.execute(
        select(ReturnRequest.level, func.count())
        .where(mine, ReturnRequest.status.in_((RequestStatus.WAITING, *HOLDING)))
        .group_by(ReturnRequest.level)
    ).all()
    agreed = (Leg.home_state == home_state, Leg.status == LegStatus.AGREED)
    seats = session.scalar(select(func.sum(Leg.seats - Leg.held_seats)).where(*agreed)) or 0
    taken = (
        session.scalar(
            select(func.sum(ReturnRequest.size)).where(mine, ReturnRequest.status.in_(HOLDING))
        )
        or 0
    )
    boarded = (
        select(Leg.arrives_at)
        .select_from(Traveller)
        .join(ReturnRequest, ReturnRequest.id == Traveller.request_id)
        .join(Leg, Leg.id == ReturnRequest.leg_id)
        .where(mine, Traveller.boarded_at.is_not(None))
        .subquery()
    )
    departed = session.scalar(select(func.count()).select_from(boarded)) or 0
    arrived = (
        session.scalar(select(func.count()).select_from(boarded).where(boarded.c.arrives_at <= now))
        or 0
    )
    return Counts(
        requests_by_status={s.value: n for s, n, _ in by_status},
        people_by_status={s.value: int(p or 0) for s, _, p in by_status},
        requests_by_level={int(level): n for level, n in by_level},
        seats_agreed=int(seats),
        seats_taken=int(taken),
        departed=int(departed),
        arrived=int(arrived),
        weeks=weeks(session, home_state),
    )


def weeks(session: Session, home_state: str) -> list[CorridorWeek]:
    """Seats per week and corridor from the legs, demand from the requests' earliest dates:
    a few hundred groups, bucketed into ISO weeks here (date functions differ between
    SQLite and PostgreSQL)."""
    legs = session.execute(
        select(
            Leg.origin,
            Leg.destination,
            func.date(Leg.departs_at),
            func.count(),
            func.sum(Leg.seats - Leg.held_seats),
        )
        .where(Leg.home_state == home_state, Leg.status == LegStatus.AGREED)
        .group_by(Leg.origin, Leg.destination, func.date(Leg.departs_at))
    ).all()
    demand = session.execute(
        select(
            ReturnRequest.origin,
            ReturnRequest.destination,
            ReturnRequest.earliest_date,
            func.sum(ReturnRequest.size),
        )
        .where(
            ReturnRequest.home_state == home_state,
            ReturnRequest.status.in_((RequestStatus.WAITING, *HOLDING)),
        )
        .group_by(ReturnRequest.origin, ReturnRequest.destination, ReturnRequest.earliest_date)
    ).all()
    table: dict[tuple[str, str, str], list[int]] = {}
    for origin, destination, day, n, seats in legs:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        cell = table.setdefault((_iso_week(day), origin, destination), [0, 0, 0])
        cell[0] += int(n)
        cell[1] += int(seats or 0)
    for origin, destination, day, people in demand:
        cell = table.setdefault((_iso_week(day), origin, destination), [0, 0, 0])
        cell[2] += int(people or 0)
    return [
        CorridorWeek(week=w, origin=o, destination=d, legs=v[0], seats=v[1], demand=v[2])
        for (w, o, d), v in sorted(table.items())
    ]


def report_tables(session: Session, period: Period, state: str) -> list[Table]:
    """The situation report's returns section (``kervan.reports.sections``), for the returns
    ``state`` organises as the home state: the people of its nationals' return requests
    registered by the end of the period, by host state and status; the seats agreed on legs
    departing in the period; the people who boarded in the period. By host state: the
    nationality is ``state`` itself, so these rows go to the secretariat only."""
    mine = ReturnRequest.home_state == state
    people = session.execute(
        select(ReturnRequest.host_state, ReturnRequest.status, func.sum(ReturnRequest.size))
        .where(mine, ReturnRequest.registered_at < period.end_at)
        .group_by(ReturnRequest.host_state, ReturnRequest.status)
    ).all()
    seats = session.execute(
        select(Leg.host_state, func.sum(Leg.seats - Leg.held_seats))
        .where(
            Leg.home_state == state,
            Leg.status == LegStatus.AGREED,
            Leg.departs_at >= period.start_at,
            Leg.departs_at < period.end_at,
        )
        .group_by(Leg.host_state)
    ).all()
    boarded = session.execute(
        select(ReturnRequest.host_state, func.count())
        .select_from(Traveller)
        .join(ReturnRequest, ReturnRequest.id == Traveller.request_id)
        .where(
            mine,
            Traveller.boarded_at >= period.start_at,
            Traveller.boarded_at < period.end_at,
        )
        .group_by(ReturnRequest.host_state)
    ).all()
    statuses = tuple(s.value for s in RequestStatus)
    return [
        Table(
            "returns",
            ("host_state", "return_status"),
            {(str(h), str(getattr(s, "value", s))): int(n or 0) for h, s, n in people},
            {"return_status": statuses},
        ),
        Table("return_seats", ("host_state",), {(str(h),): int(n or 0) for h, n in seats}),
        Table("return_departures", ("host_state",), {(str(h),): int(n) for h, n in boarded}),
    ]


def report_section() -> Section:
    return Section(
        "returns",
        report_tables,
        order=70,
        titles={
            "returns": N_("Nationals asking to return home, by host state and status (people)"),
            "return_seats": N_("Seats home agreed on legs departing in the period"),
            "return_departures": N_("Nationals who boarded a leg home in the period"),
        },
        dimensions={"return_status": N_("Return request")},
        categories={
            ("return_status", s.value): REPATRIATION_TERMS[(RequestStatus, s.value)]
            for s in RequestStatus
        },
    )
