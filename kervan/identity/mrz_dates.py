"""MRZ dates: YYMMDD with possibly unknown parts, and the choice of century.

An MRZ date carries no century, so it is chosen relative to ``today``:

* a date of birth is in the past: the latest century that does not put it after today
  (``740812`` read on 2025-01-01 is 1974-08-12; ``240101`` is 2024-01-01; ``251231`` is
  1925-12-31). People over 100 cannot be told from infants; their documents say so elsewhere.
* a date of expiry lies within 50 years either side of today: its year is the one ending in YY
  among ``today.year - 50`` ... ``today.year + 49`` (read in 2025, ``120415`` is 2012-04-15 and
  ``740101`` is 2074-01-01).

Unknown parts are written ``<<`` (Doc 9303 Part 3, 4.8) and read as ``None``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DateKind = Literal["birth", "expiry"]
EXPIRY_WINDOW_YEARS = 50
_PART = re.compile(r"^(\d\d|<<)(\d\d|<<)(\d\d|<<)$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date whose year, month or day may be unknown (``None``)."""

    year: int | None
    month: int | None
    day: int | None

    def __post_init__(self) -> None:
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.day is not None and not 1 <= self.day <= self._last_day():
            raise ValueError(f"day {self.day} does not exist in {self.isoformat()[:7]}")

    def _last_day(self) -> int:
        if self.month is None:
            return 31
        if self.year is None:
            return 29 if self.month == 2 else calendar.monthrange(2001, self.month)[1]
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def is_complete(self) -> bool:
        return None not in (self.year, self.month, self.day)

    def as_date(self) -> date | None:
        """The ``datetime.date``, or None when a part is unknown."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        """``1974-08-12``; unknown parts as X, the way the VIZ writes them: ``1974-XX-XX``."""
        year = "XXXX" if self.year is None else f"{self.year:04d}"
        month = "XX" if self.month is None else f"{self.month:02d}"
        day = "XX" if self.day is None else f"{self.day:02d}"
        return f"{year}-{month}-{day}"

    @classmethod
    def fromisoformat(cls, text: str) -> PartialDate:
        """The inverse of ``isoformat`` (``1974-XX-XX``)."""
        match = re.fullmatch(r"(\d{4}|XXXX)-(\d\d|XX)-(\d\d|XX)", text.strip().upper())
        if match is None:
            raise ValueError(f"{text!r} is not YYYY-MM-DD (X for unknown parts)")
        year, month, day = (None if "X" in part else int(part) for part in match.groups())
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        return self.isoformat()


def read_mrz_date(text: str, kind: DateKind, today: date) -> PartialDate:
    """Read a YYMMDD field; raise ValueError saying what is wrong."""
    match = _PART.match(text)
    if match is None:
        raise ValueError("YYMMDD digits, << for an unknown part")
    yy, mm, dd = (None if part == "<<" else int(part) for part in match.groups())
    month_day = (mm or 1, dd or 1)
    year = None if yy is None else _century(yy, month_day, kind, today)
    return PartialDate(year, mm, dd)


def _century(yy: int, month_day: tuple[int, int], kind: DateKind, today: date) -> int:
    if kind == "expiry":
        earliest = today.year - EXPIRY_WINDOW_YEARS
        return earliest + (yy - earliest) % 100
    year = today.year - today.year % 100 + yy
    # Unknown month or day count as the earliest possible, so a birth this year stays this year.
    if (year, *month_day) > (today.year, today.month, today.day):
        year -= 100
    return year


def write_mrz_date(value: date | PartialDate) -> str:
    """YYMMDD for the MRZ, ``<<`` for unknown parts."""
    if isinstance(value, date):
        value = PartialDate.from_date(value)
    parts = (value.year, value.month, value.day)
    return "".join("<<" if part is None else f"{part % 100:02d}" for part in parts)
