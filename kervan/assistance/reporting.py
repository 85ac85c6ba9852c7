"""What the reports package reads about assistance: set-based counts and totals, never a loop
over cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.assistance.models import NEEDS, Case, CaseAid


def period(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Days ``first`` to ``last`` inclusive as ``[start, end)`` in UTC (the last day of the
    calendar included: no date after it to end on)."""
    end = (
        dt.datetime.max.replace(tzinfo=dt.UTC)
        if last >= dt.date.max
        else dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC)
    )
    return dt.datetime.combine(first, dt.time(), dt.UTC), end


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


@dataclass(frozen=True)
class AidTotal:
    kind: str
    currency: str | None  # None: aid in kind (no amount)
    records: int
    quantity: int
    amount: Decimal | None


def aid_totals(session: Session, start: dt.datetime, end: dt.datetime) -> list[AidTotal]:
    """Aid given in ``[start, end)`` by kind and currency: one grouped query."""
    query = (
        select(
            CaseAid.kind,
            CaseAid.currency,
            func.count(),
            func.sum(CaseAid.quantity),
            func.sum(CaseAid.amount),
        )
        .where(CaseAid.given_at >= start, CaseAid.given_at < end)
        .group_by(CaseAid.kind, CaseAid.currency)
        .order_by(CaseAid.kind, CaseAid.currency)
    )
    return [
        AidTotal(kind, currency, int(records), int(quantity or 0), amount)
        for kind, currency, records, quantity, amount in session.execute(query)
    ]


__all__ = ["AidTotal", "NeedStatusCount", "aid_totals", "counts_by_need_and_status", "period"]
