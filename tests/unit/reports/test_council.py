"""The council's picture (``kervan.reports.council``): a state whose report has not come is
missing once due (not yet due before), late when it came after its due date, and never counted
as zero — the council's total is shown only when every state's figure is known."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import KervanError
from kervan.registry.codes import MEMBER_STATES, SECRETARIAT
from kervan.reports.council import Arrival, Picture, StateReport, expected_states, picture
from kervan.reports.models import FULL, ReportOrigin, SituationReport
from kervan.reports.period import Period
from kervan.reports.report import protect_tables
from kervan.reports.suppression import Rules
from kervan.reports.tables import Table

SUNDAY = dt.date(2026, 11, 29)
DUE_DAYS = 3


def _report(
    host: str, present: int, *, day: dt.date = SUNDAY, arrived: dt.date | None = None
) -> SituationReport:
    counts = {("UZB", "valid", "visa"): present - 50, ("KGZ", "valid", "visa"): 50}
    table = Table("presence", ("nationality", "standing", "kind"), counts)
    body = protect_tables(host, Period(day), [("presence", table)], [], Rules())
    generated = dt.datetime.combine(arrived or day, dt.time(6), tzinfo=dt.UTC)
    return SituationReport(
        host_state=host,
        audience=FULL,
        reference_date=day,
        period_days=7,
        origin=ReportOrigin.RECEIVED,
        body=body.body,
        generated_at=generated,
        generated_by="test",
        received_at=generated,
    )


def _analyst() -> Principal:
    return Principal(
        user_id=None, username="analyst", role=Role.SECRETARIAT_ANALYST, state=SECRETARIAT
    )


def _picture(session: Session, today: dt.date) -> Picture:
    return picture(session, _analyst(), SECRETARIAT, today=today, due_days=DUE_DAYS)


def test_a_member_node_lists_itself_first_and_the_secretariat_every_member(
    session: Session,
) -> None:
    # No trust list stored: the council's states come from the codes.
    assert sorted(expected_states(session, SECRETARIAT)) == sorted(MEMBER_STATES)
    at_kaz = expected_states(session, "KAZ")
    assert at_kaz[0] == "KAZ" and sorted(at_kaz) == sorted(MEMBER_STATES)


def test_missing_late_on_time_and_not_due(session: Session) -> None:
    session.add(_report("KAZ", 300))
    late = SUNDAY + dt.timedelta(days=DUE_DAYS + 1)
    session.add(_report("UZB", 200, arrived=late))
    session.flush()
    shown = {s.host_state: s for s in _picture(session, today=late).states}
    assert shown["KAZ"].arrival == Arrival.ON_TIME and shown["KAZ"].present() == 300
    assert shown["UZB"].arrival == Arrival.LATE and shown["UZB"].present() == 200
    assert shown["KGZ"].arrival == Arrival.MISSING and shown["KGZ"].present() is None
    before_due = {s.host_state: s for s in _picture(session, today=SUNDAY).states}
    assert before_due["KGZ"].arrival == Arrival.NOT_DUE


def test_a_total_with_a_state_missing_is_not_shown(session: Session) -> None:
    for state in MEMBER_STATES[1:]:
        session.add(_report(state, 100))
    session.flush()
    assert _picture(session, today=SUNDAY).grand_total() is None
    session.add(_report(MEMBER_STATES[0], 100))
    session.flush()
    assert _picture(session, today=SUNDAY).grand_total() == 100 * len(MEMBER_STATES)


def test_no_report_at_all_is_an_empty_picture_not_zeros(session: Session) -> None:
    shown = _picture(session, today=SUNDAY)
    assert shown.reference_date is None and shown.grand_total() is None
    assert all(s.arrival == Arrival.NOT_DUE and s.report is None for s in shown.states)


def test_the_series_names_a_missing_week_as_none(session: Session) -> None:
    earlier = SUNDAY - dt.timedelta(days=7)
    session.add(_report("KAZ", 120, day=earlier))
    session.add(_report("KAZ", 130))
    session.add(_report("UZB", 140))
    session.flush()
    series = {(d, s): v for d, s, v in _picture(session, today=SUNDAY).series}
    assert series[(earlier, "KAZ")] == 120 and series[(SUNDAY, "KAZ")] == 130
    assert series[(earlier, "UZB")] is None


def test_a_migration_officer_reads_and_a_border_officer_may_not(session: Session) -> None:
    border = Principal(user_id=None, username="b", role=Role.BORDER_OFFICER, state="KAZ")
    with pytest.raises(KervanError):
        picture(session, border, "KAZ", today=SUNDAY, due_days=DUE_DAYS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)), min_size=1))
def test_the_grand_total_is_a_sum_only_when_every_figure_is_known(
    figures: list[int | None],
) -> None:
    states = tuple(
        StateReport(f"S{i:02d}", Arrival.ON_TIME, None if f is None else _fixed(f))
        for i, f in enumerate(figures)
    )
    total = Picture(SUNDAY, SECRETARIAT, states).grand_total()
    if any(f is None for f in figures):
        assert total is None
    else:
        assert total == sum(f for f in figures if f is not None)
    assert Picture(SUNDAY, "KAZ", states).grand_total() is None


def _fixed(present: int) -> SituationReport:
    # A published presence table whose only cell is the grand total.
    table = {
        "name": "presence",
        "dims": ["nationality", "standing", "kind"],
        "categories": [["_T"], ["_T"], ["_T"]],
        "values": [present],
        "flags": [""],
    }
    return SituationReport(host_state="S", audience=FULL, body={"tables": [table]})
