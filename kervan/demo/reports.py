"""The federation demo's situation reports: before the nodes start, each member node makes the
reports of the weeks before the last one from its generated register; once started, its
worker makes the last week's report by itself (``kervan.reports.jobs``) and delivers them
all, so the secretariat's analyst opens ``/reports`` on the secretariat's node and sees the
council's picture for KAZ, UZB and TUR, with a trend."""

from __future__ import annotations

import datetime as dt

from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.reports import service
from kervan.reports.period import Period
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory

WEEKS = 1  # with the worker's own: two reports, a trend and the audit across periods


def weekly_reports(settings: Settings, today: dt.date, weeks: int = WEEKS) -> list[str]:
    """Make the ``weeks`` reports before the last period's (oldest first); their dates."""
    schedule = service.schedule_of(settings)
    last = service.last_ended(today, schedule.period_days)
    periods = [
        Period(last.reference_date - dt.timedelta(days=last.days * back), last.days)
        for back in reversed(range(1, weeks + 1))
    ]
    engine = make_engine(settings.database_url)
    try:
        factory = node_session_factory(engine, settings)
        for period in periods:
            with unit_of_work(factory) as session:
                service.generate(
                    session, settings.state, period, schedule, actor="demo", today=today
                )
    finally:
        engine.dispose()
    return [p.label for p in periods]
