"""kervan/registry/stats.py: the register at a glance — valid today (the last day included),
ending within the horizon (both ends included), expired but not closed — the weeks ahead
bucketed from today, and a consul's figures counting their own nationals only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden
from kervan.registry.stats import (
    EXPIRY_HORIZON_DAYS,
    WEEKS_AHEAD,
    expiring_per_week,
    register_at_a_glance,
)
from tests.unit.registry.register_support import new_document, new_person

TODAY = dt.date(2026, 6, 1)


def _holding(
    session: Session, officer: Principal, until: dt.date, nationality: str = "UZB"
) -> None:
    person = new_person(session, officer, nationality)
    new_document(session, officer, person, "2026-01-01", until.isoformat())


def test_the_counts_include_their_boundary_days(session: Session, officer: Principal) -> None:
    horizon = TODAY + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
    for until in (TODAY - dt.timedelta(days=1), TODAY, horizon, horizon + dt.timedelta(days=1)):
        _holding(session, officer, until)
    glance = register_at_a_glance(session, officer, today=TODAY)
    assert (glance.persons, glance.valid_documents, glance.expiring_soon, glance.expired) == (
        4,
        3,
        2,
        1,
    )


def test_the_weeks_ahead_start_today(session: Session, officer: Principal) -> None:
    last_day = TODAY + dt.timedelta(days=7 * WEEKS_AHEAD - 1)
    for until in (TODAY, TODAY + dt.timedelta(days=6), TODAY + dt.timedelta(days=7), last_day):
        _holding(session, officer, until)
    _holding(session, officer, last_day + dt.timedelta(days=1))  # beyond the chart
    weeks = expiring_per_week(session, officer, today=TODAY)
    assert len(weeks) == WEEKS_AHEAD and weeks[0].starts == TODAY
    assert [w.count for w in weeks] == [2, 1] + [0] * (WEEKS_AHEAD - 3) + [1]


def test_a_consul_counts_their_own_nationals_only(session: Session, officer: Principal) -> None:
    _holding(session, officer, TODAY, "UZB")
    _holding(session, officer, TODAY, "TUR")
    consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="TUR")
    glance = register_at_a_glance(session, consul, today=TODAY)
    assert (glance.persons, glance.valid_documents) == (1, 1)
    assert sum(w.count for w in expiring_per_week(session, consul, today=TODAY)) == 1


def test_the_figures_need_the_register(session: Session) -> None:
    analyst = Principal(user_id=None, username="a", role=Role.SECRETARIAT_ANALYST, state="OTS")
    with pytest.raises(Forbidden):
        register_at_a_glance(session, analyst, today=TODAY)
