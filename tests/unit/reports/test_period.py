"""The period a report covers (``kervan.reports.period``): ``days`` whole days ending on the
reference date, as half-open UTC instants, and the period just before it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kervan.reports.period import WEEK, Period

days = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@given(reference=days, length=st.integers(1, 400))
def test_a_period_is_its_days_ending_on_the_reference_date(reference: dt.date, length: int) -> None:
    period = Period(reference, length)
    assert (period.reference_date - period.start).days + 1 == length
    assert period.end_at - period.start_at == dt.timedelta(days=length)
    assert period.start_at.tzinfo is dt.UTC and period.start_at.time() == dt.time()
    assert period.end_at.date() == reference + dt.timedelta(days=1)
    before = period.previous()
    assert before.days == length and before.end_at == period.start_at
    assert period.label == reference.isoformat()


def test_the_default_period_is_a_week() -> None:
    week = Period(dt.date(2026, 3, 8))
    assert (week.days, week.start) == (WEEK, dt.date(2026, 3, 2))
    assert week.previous().reference_date == dt.date(2026, 3, 1)
