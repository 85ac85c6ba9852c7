"""The period a report covers: the reference date and the days before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEEK = 7


@dataclass(frozen=True)
class Period:
    reference_date: dt.date  # the report's "as of" day, the last day of the period
    days: int = WEEK

    @property
    def start(self) -> dt.date:
        return self.reference_date - dt.timedelta(days=self.days - 1)

    @property
    def start_at(self) -> dt.datetime:
        """The first instant of the period (UTC)."""
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        """The first instant after the period (UTC)."""
        day_after = self.reference_date + dt.timedelta(days=1)
        return dt.datetime.combine(day_after, dt.time(), tzinfo=dt.UTC)

    def previous(self) -> Period:
        return Period(self.reference_date - dt.timedelta(days=self.days), self.days)

    @property
    def label(self) -> str:
        return self.reference_date.isoformat()
