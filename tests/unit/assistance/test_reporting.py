"""What the reports read about assistance (``kervan.assistance.reporting``): counts by need
(a case with two needs under each) and status, aid by kind and currency, over a period of
whole days — a case opened at midnight after the last day is not in it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.assistance import reporting, service
from kervan.assistance.models import CaseStatus
from kervan.assistance.sla import DEFAULT_SLA
from kervan.reports.period import Period
from tests.unit.assistance.support import OFFICER, OPENED, give_aid, open_case

DAY = OPENED.date()


@given(st.dates(), st.integers(0, 400), st.times())
def test_a_period_holds_every_instant_of_its_days_and_none_after(
    first: dt.date, length: int, time: dt.time
) -> None:
    try:
        last = first + dt.timedelta(days=length)
    except OverflowError:
        last = dt.date.max
    start, end = reporting.period(first, last)
    assert start == dt.datetime.combine(first, dt.time(), dt.UTC)
    assert start <= dt.datetime.combine(last, time, dt.UTC) < end
    if last < dt.date.max:
        assert end == dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)


def test_a_case_with_two_needs_counts_under_each_by_status(session: Session) -> None:
    open_case(session, "shelter", "food")
    open_case(session, "food")
    closed = open_case(session, "medical", nationality="KGZ")
    service.change_status(
        session, OFFICER, closed.id, CaseStatus.CLOSED, sla=DEFAULT_SLA, now=OPENED
    )
    start, end = reporting.period(DAY, DAY)
    found = {
        (c.need, c.status): c.cases
        for c in reporting.counts_by_need_and_status(session, start, end)
    }
    assert found == {("shelter", "triaged"): 1, ("food", "triaged"): 2, ("medical", "closed"): 1}
    only_uzb = reporting.counts_by_need_and_status(session, start, end, nationality="UZB")
    assert {c.need for c in only_uzb} == {"shelter", "food"}
    by_nationality = reporting.needs_by_nationality(session, start, end)
    assert by_nationality == {
        ("UZB", "shelter", "triaged"): 1,
        ("UZB", "food", "triaged"): 2,
        ("KGZ", "medical", "closed"): 1,
    }


def test_a_need_that_is_a_prefix_of_another_is_not_counted_for_it(session: Session) -> None:
    # "money_from_home" and "return_travel" hold other needs' letters; matching is by whole need.
    open_case(session, "money_from_home", "return_travel")
    start, end = reporting.period(DAY, DAY)
    found = reporting.counts_by_need_and_status(session, start, end)
    assert [c.need for c in found] == ["money_from_home", "return_travel"]


def test_cases_outside_the_days_are_not_counted(session: Session) -> None:
    open_case(session, "food", at=dt.datetime.combine(DAY, dt.time(), dt.UTC))
    open_case(session, "food", at=dt.datetime.combine(DAY, dt.time(23, 59, 59), dt.UTC))
    open_case(
        session, "food", at=dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(), dt.UTC)
    )
    open_case(
        session, "food", at=dt.datetime.combine(DAY, dt.time(), dt.UTC) - dt.timedelta(seconds=1)
    )
    start, end = reporting.period(DAY, DAY)
    assert [c.cases for c in reporting.counts_by_need_and_status(session, start, end)] == [2]
    assert (
        reporting.counts_by_need_and_status(
            session, *reporting.period(DAY.replace(year=2020), DAY.replace(year=2020))
        )
        == []
    )


def test_aid_totals_by_kind_and_currency_with_aid_in_kind_apart(session: Session) -> None:
    uzb, kgz = open_case(session, "food"), open_case(session, "food", nationality="KGZ")
    give_aid(session, uzb, "cash", amount="100.50", currency="KZT")
    give_aid(session, kgz, "cash", amount="20.00", currency="KZT")
    give_aid(session, kgz, "cash", amount="5.00", currency="USD")
    give_aid(session, uzb, "food", quantity=3)
    give_aid(session, uzb, "food", at=OPENED + dt.timedelta(days=30))
    start, end = reporting.period(DAY, DAY)
    totals = {(t.kind, t.currency): t for t in reporting.aid_totals(session, start, end)}
    assert set(totals) == {("cash", "KZT"), ("cash", "USD"), ("food", None)}
    assert totals[("cash", "KZT")].records == 2
    assert totals[("cash", "KZT")].amount == Decimal("120.50")
    assert (totals[("food", None)].quantity, totals[("food", None)].amount) == (3, None)
    assert reporting.aid_by_nationality(session, start, end) == {
        ("UZB", "cash"): 1,
        ("UZB", "food"): 1,
        ("KGZ", "cash"): 2,
    }


def test_the_report_section_publishes_counts_and_never_amounts(session: Session) -> None:
    case = open_case(session, "shelter")
    give_aid(session, case, "cash", amount="999.00", currency="KZT")
    needs, aid = reporting.report_tables(session, Period(DAY), "KAZ")
    assert (needs.name, aid.name) == ("assistance", "assistance_aid")
    assert dict(needs.counts) == {("UZB", "shelter", "triaged"): 1}
    assert dict(aid.counts) == {("UZB", "cash"): 1}
    section = reporting.report_section()
    assert set(section.titles) == {"assistance", "assistance_aid"}
    assert ("need", "shelter") in section.categories
