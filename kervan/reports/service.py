"""Making, keeping and reading situation reports. A report is made for a period, protected
with the earlier reports in view, stored, and — when it is new or changed — written to the
outbox for the secretariat and for each home state (its own nationals' rows) in the same
transaction. Regenerating an unchanged period changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.registry.codes import SECRETARIAT
from kervan.reports import envelopes, sections
from kervan.reports.messages import (
    AUDIT_FAILED,
    FUTURE_PERIOD,
    NO_REGISTER,
    NOT_FOUND,
    SUPERSEDED,
)
from kervan.reports.models import FULL, ReportOrigin, SituationReport
from kervan.reports.period import Period
from kervan.reports.report import Protected, compute_tables, protect_tables, published_tables
from kervan.reports.suppression import Rules
from kervan.reports.system import PublishedTable
from kervan.reports.tables import Table

# Periods are aligned on this Sunday, so every node's weeks end on the same day.
EPOCH = dt.date(2020, 1, 5)


@dataclass(frozen=True)
class Schedule:
    rules: Rules
    period_days: int = 7
    audit_periods: int = 4
    due_days: int = 3


def schedule_of(settings: Any) -> Schedule:
    rules = Rules(threshold=settings.report_threshold, protection=settings.report_protection)
    return Schedule(
        rules, settings.report_period_days, settings.report_audit_periods, settings.report_due_days
    )


def last_ended(today: dt.date, days: int) -> Period:
    """The latest period that ended before ``today``."""
    yesterday = today - dt.timedelta(days=1)
    steps = (yesterday - EPOCH).days // days
    return Period(EPOCH + dt.timedelta(days=steps * days), days)


def find(
    session: Session, host_state: str, reference_date: dt.date, audience: str = FULL
) -> SituationReport | None:
    return session.scalar(
        select(SituationReport).where(
            SituationReport.host_state == host_state,
            SituationReport.audience == audience,
            SituationReport.reference_date == reference_date,
        )
    )


def own_history(
    session: Session, host_state: str, before: dt.date, count: int
) -> list[SituationReport]:
    """This node's last ``count`` reports before ``before``, oldest first."""
    if count == 0:
        return []
    rows = session.scalars(
        select(SituationReport)
        .where(
            SituationReport.host_state == host_state,
            SituationReport.audience == FULL,
            SituationReport.origin == ReportOrigin.OWN,
            SituationReport.reference_date < before,
        )
        .order_by(SituationReport.reference_date.desc())
        .limit(count)
    )
    return list(reversed(list(rows)))


def generate(
    session: Session,
    host_state: str,
    period: Period,
    schedule: Schedule,
    *,
    actor: str,
    today: dt.date,
) -> tuple[SituationReport, bool]:
    """The report of ``period`` (made, or made again) in one transaction; True when it is new
    or changed (and so was sent)."""
    inputs = read_inputs(session, host_state, period, schedule, today=today)
    protected = protect_inputs(host_state, period, schedule, inputs)
    return store(session, host_state, period, protected, actor=actor)


@dataclass(frozen=True)
class Inputs:
    """What a report is made from: the earlier published reports and this period's tables."""

    history: list[tuple[str, list[PublishedTable]]]
    tables: list[tuple[str, Table]]


def read_inputs(
    session: Session, host_state: str, period: Period, schedule: Schedule, *, today: dt.date
) -> Inputs:
    if host_state == SECRETARIAT:
        raise Conflict("the secretariat keeps no register", code=NO_REGISTER)
    if period.reference_date >= today:
        raise InvalidInput(
            "the period has not ended",
            code=FUTURE_PERIOD,
            params={"date": period.reference_date.isoformat()},
        )
    earlier = own_history(session, host_state, period.reference_date, schedule.audit_periods)
    history = [(r.reference_date.isoformat(), published_tables(r.body, r.hidden)) for r in earlier]
    return Inputs(history, compute_tables(session, period, host_state))


def protect_inputs(
    host_state: str, period: Period, schedule: Schedule, inputs: Inputs
) -> Protected:
    """Suppression and its audit: no database, so the worker runs it outside a transaction."""
    trends, shared = sections.declared()
    protected = protect_tables(
        host_state, period, inputs.tables, inputs.history, schedule.rules, trends, shared
    )
    if not protected.audit.passed:
        count = len(protected.audit.failures)
        raise Conflict(
            f"{count} suppressed cells fail the audit", code=AUDIT_FAILED, params={"count": count}
        )
    return protected


def store(
    session: Session, host_state: str, period: Period, protected: Protected, *, actor: str
) -> tuple[SituationReport, bool]:
    """Keep the protected report and send it, unless the period's report is the same."""
    body = json.loads(json.dumps(protected.body))
    existing = find(session, host_state, period.reference_date)
    if existing is not None and existing.body == body:
        return existing, False
    if existing is not None and _has_later(session, host_state, period.reference_date):
        raise Conflict(
            "later reports depend on this one",
            code=SUPERSEDED,
            params={"date": period.reference_date.isoformat()},
        )
    report = existing or SituationReport(
        host_state=host_state,
        audience=FULL,
        reference_date=period.reference_date,
        period_days=period.days,
        origin=ReportOrigin.OWN,
        revision=0,
    )
    report.revision += 1
    report.body, report.hidden = body, protected.hidden
    report.generated_at, report.generated_by = utcnow(), actor
    session.add(report)
    session.flush()
    envelopes.send(session, report)
    return report, True


def _has_later(session: Session, host_state: str, reference_date: dt.date) -> bool:
    later = session.scalar(
        select(SituationReport.id)
        .where(
            SituationReport.host_state == host_state,
            SituationReport.audience == FULL,
            SituationReport.origin == ReportOrigin.OWN,
            SituationReport.reference_date > reference_date,
        )
        .limit(1)
    )
    return later is not None


def get(
    session: Session, host_state: str, reference_date: dt.date, audience: str = FULL
) -> SituationReport:
    report = find(session, host_state, reference_date, audience)
    if report is None:
        raise NotFound(
            "no such report", code=NOT_FOUND, params={"date": reference_date.isoformat()}
        )
    return report


def all_reports(session: Session, limit: int = 500) -> list[SituationReport]:
    """The newest reports this node holds, made or received (newest first)."""
    query = (
        select(SituationReport)
        .order_by(
            SituationReport.reference_date.desc(),
            SituationReport.host_state,
            SituationReport.audience,
        )
        .limit(limit)
    )
    return list(session.scalars(query))


def readable(
    session: Session, principal: Principal, node_state: str, host_state: str, day: dt.date
) -> SituationReport:
    """A report the caller may read: at the secretariat any whole report; at a member node
    its own, or the extract a host state sent about its nationals."""
    require(principal, Permission.REPORTS_READ)
    if node_state == SECRETARIAT or host_state == node_state:
        report = find(session, host_state, day)
    else:
        report = find(session, host_state, day, audience=node_state)
    if report is None:
        raise NotFound("no such report", code=NOT_FOUND, params={"date": day.isoformat()})
    return report


def visible_reports(
    session: Session, principal: Principal, node_state: str, limit: int = 500
) -> list[SituationReport]:
    require(principal, Permission.REPORTS_READ)
    return [
        r
        for r in all_reports(session, limit)
        if (node_state == SECRETARIAT and r.audience == FULL)
        or (r.host_state == node_state and r.audience == FULL)
        or r.audience == node_state
    ]


def generate_for(
    session: Session, principal: Principal, node_state: str, period: Period, schedule: Schedule
) -> tuple[SituationReport, bool]:
    """``generate`` on an officer's request (the API)."""
    require(principal, Permission.REPORTS_GENERATE)
    return generate(
        session, node_state, period, schedule, actor=principal.actor, today=dt.date.today()
    )
