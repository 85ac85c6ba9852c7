"""What the reports package reads about assistance: set-based counts and totals, never a loop
over cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.assistance.models import NEEDS, Case, CaseAid
from kervan.reports.sections import Section
from kervan.reports.tables import Table
from kervan.web.i18n import N_

if TYPE_CHECKING:
    from kervan.reports.period import Period


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


def _need_sums() -> list[Any]:
    """One conditional sum per need: the cases (of a group) that have it."""
    padded = "," + Case.needs + ","
    return [
        func.sum(when((padded.contains(f",{need},"), 1), else_=0)).label(need) for need in NEEDS
    ]


def counts_by_need_and_status(
    session: Session, start: dt.datetime, end: dt.datetime, *, nationality: str | None = None
) -> list[NeedStatusCount]:
    """Cases opened in ``[start, end)`` by need and status (a case with two needs counts under
    each), in one scan: one conditional sum per need, grouped by status."""
    query = select(Case.status, *_need_sums()).where(Case.opened_at >= start, Case.opened_at < end)
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


def needs_by_nationality(
    session: Session, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, ...], int]:
    """(nationality, need, status) → cases opened in ``[start, end)`` (a case with two needs
    counts under each), in one scan grouped by nationality and status."""
    query = (
        select(Case.nationality, Case.status, *_need_sums())
        .where(Case.opened_at >= start, Case.opened_at < end)
        .group_by(Case.nationality, Case.status)
    )
    found: dict[tuple[str, ...], int] = {}
    for row in session.execute(query):
        status = str(getattr(row[1], "value", row[1]))
        for i, need in enumerate(NEEDS):
            if row[i + 2]:
                found[(str(row[0]), need, status)] = int(row[i + 2])
    return found


def aid_by_nationality(
    session: Session, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, ...], int]:
    """(nationality, aid kind) → aid records given in ``[start, end)``: one grouped query."""
    query = (
        select(Case.nationality, CaseAid.kind, func.count())
        .join(Case, Case.id == CaseAid.case_id)
        .where(CaseAid.given_at >= start, CaseAid.given_at < end)
        .group_by(Case.nationality, CaseAid.kind)
    )
    return {(str(n), str(k)): int(c) for n, k, c in session.execute(query)}


def report_tables(session: Session, period: Period, _state: str) -> list[Table]:
    """The situation report's assistance section (``kervan.reports.sections``): needs of the
    cases opened in the period by nationality and status, and the aid given by kind. Aid
    amounts are not published: a sum of money is magnitude data, which a count threshold does
    not protect (one large payment dominates its cell)."""
    start, end = period.start_at, period.end_at
    needs = Table(
        "assistance",
        ("nationality", "need", "case_status"),
        needs_by_nationality(session, start, end),
        {"need": NEEDS},
    )
    aid = Table("assistance_aid", ("nationality", "aid"), aid_by_nationality(session, start, end))
    return [needs, aid]


def report_section() -> Section:
    from kervan.assistance.labels import AID_LABELS, NEED_LABELS, STATUS_LABELS

    categories = {("need", k): v for k, v in NEED_LABELS.items()}
    categories |= {("case_status", k): v for k, v in STATUS_LABELS.items()}
    categories |= {("aid", k): v for k, v in AID_LABELS.items()}
    return Section(
        "assistance",
        report_tables,
        order=60,
        titles={
            "assistance": N_(
                "Assistance cases opened in the period, by need and status (a case with "
                "several needs counts under each)"
            ),
            "assistance_aid": N_("Aid given in the period, by kind (times given)"),
        },
        dimensions={"need": N_("Need"), "case_status": N_("Case status"), "aid": N_("Aid")},
        categories=categories,
    )


__all__ = [
    "AidTotal",
    "NeedStatusCount",
    "aid_by_nationality",
    "aid_totals",
    "counts_by_need_and_status",
    "needs_by_nationality",
    "period",
    "report_section",
    "report_tables",
]
