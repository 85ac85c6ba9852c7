"""kervan/measures/scope_terms.py: ages from (possibly incomplete) dates of birth, and the
same day some years before."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kervan.measures.scope_terms import age_on, years_before

DAYS = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@given(DAYS, DAYS)
def test_age_agrees_with_counting_birthdays(born: dt.date, on: dt.date) -> None:
    if born > on:
        return

    def birthday(year: int) -> dt.date:  # born on 29 February: a year older on 1 March
        try:
            return born.replace(year=year)
        except ValueError:
            return dt.date(year, 3, 1)

    birthdays = sum(1 for year in range(born.year + 1, on.year + 1) if birthday(year) <= on)
    assert age_on(born.year, born.month, born.day, on) == birthdays


@given(st.integers(1900, 2090), DAYS)
def test_an_unknown_month_and_day_give_the_oldest_possible_age(year: int, on: dt.date) -> None:
    oldest = age_on(year, 1, 1, on)
    assert age_on(year, None, None, on) == oldest
    assert all(age_on(year, m, 28, on) <= oldest for m in range(1, 13))


def test_29_february_a_year_before_is_the_28th() -> None:
    assert years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    assert years_before(dt.date(2028, 2, 29), 4) == dt.date(2024, 2, 29)
