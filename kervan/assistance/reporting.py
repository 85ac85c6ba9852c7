"""What the reports package reads about assistance: set-based counts, never a loop over cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.assistance.models import NEEDS, Case


@dataclass(frozen=True)
class NeedStatusCount:
    need: str
    status: str
    cases: int


def counts_by_need_and_status(
    session: Session, start: dt.datetime, end: dt.datetime, *, nationality: str | None = None
) -> list[NeedStatusCount]:
    """Cases opened in ``[start, end)`` by need and status (a case with two needs counts under
    each), in one scan: one conditional sum per need, grouped by status."""
    padded = "," + Case.needs + ","
    sums = [
        func.sum(when((padded.contains(f",{need},"), 1), else_=0)).label(need) for need in NEEDS
    ]
    query = select(Case.status, *sums).where(Case.opened_at >= start, Case.opened_at < end)
    if nationality:
        query = query.where(Case.nationality == nationality)
    found = []
    for row in session.execute(query.group_by(Case.status)):
        status = str(getattr(row[0], "value", row[0]))
        found += [
            NeedStatusCount(need, status, int(row[i + 1] or 0))
            for i, need in enumerate(NEEDS)
            if row[i + 1]
        ]
    return sorted(found, key=lambda c: (NEEDS.index(c.need), c.status))


__all__ = ["NeedStatusCount", "counts_by_need_and_status"]
