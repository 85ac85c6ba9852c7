"""PartialDate and the century rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.identity.mrz_dates import PartialDate, read_mrz_date, write_mrz_date

TODAY = date(2025, 6, 15)


class TestPartialDate:
    def test_isoformat_marks_unknown_parts_with_x(self) -> None:
        assert PartialDate(1974, 8, 12).isoformat() == "1974-08-12"
        assert PartialDate(1974, None, None).isoformat() == "1974-XX-XX"
        assert PartialDate(None, 8, None).isoformat() == "XXXX-08-XX"
        assert str(PartialDate(None, None, None)) == "XXXX-XX-XX"

    def test_fromisoformat(self) -> None:
        assert PartialDate.fromisoformat("1974-xx-12") == PartialDate(1974, None, 12)
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            PartialDate.fromisoformat("12.08.1974")

    @pytest.mark.parametrize(
        ("year", "month", "day"),
        [
            (1974, 13, 1),
            (1974, 0, 1),
            (1975, 2, 29),
            (None, 2, 30),
            (1974, 4, 31),
            (1974, None, 32),
        ],
    )
    def test_impossible_dates(self, year: int | None, month: int | None, day: int | None) -> None:
        with pytest.raises(ValueError):
            PartialDate(year, month, day)

    def test_leap_day_without_a_year_is_possible(self) -> None:
        assert PartialDate(None, 2, 29).as_date() is None

    def test_as_date(self) -> None:
        assert PartialDate(2000, 2, 29).as_date() == date(2000, 2, 29)
        assert PartialDate.from_date(date(2000, 2, 29)).is_complete
        assert not PartialDate(2000, None, 1).is_complete


class TestCentury:
    def test_birth_on_a_leap_day(self) -> None:
        assert read_mrz_date("000229", "birth", TODAY) == PartialDate(2000, 2, 29)

    def test_birth_leap_day_pushed_into_a_common_year_is_refused(self) -> None:
        # Read in 1999, 000229 would be 1900-02-29, which never existed.
        with pytest.raises(ValueError, match="day 29"):
            read_mrz_date("000229", "birth", date(1999, 1, 1))

    def test_the_rule_moves_with_today(self) -> None:
        assert read_mrz_date("010101", "birth", date(2101, 6, 1)).year == 2101
        assert read_mrz_date("990101", "birth", date(2101, 6, 1)).year == 2099
        assert read_mrz_date("990101", "expiry", date(2101, 6, 1)).year == 2099

    @given(st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY))
    def test_every_birth_date_of_the_last_99_years_reads_back(self, born: date) -> None:
        assert read_mrz_date(write_mrz_date(born), "birth", TODAY).as_date() == born

    @given(st.dates(min_value=date(1975, 1, 1), max_value=date(2074, 12, 31)))
    def test_expiry_window(self, expires: date) -> None:
        assert read_mrz_date(write_mrz_date(expires), "expiry", TODAY).as_date() == expires

    def test_write_unknown_parts(self) -> None:
        assert write_mrz_date(PartialDate(1974, None, None)) == "74<<<<"
        assert write_mrz_date(PartialDate(None, None, 5)) == "<<<<05"
