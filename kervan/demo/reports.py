"""The federation demo's situation reports: each member node makes its reports of the last
weeks from its generated register before the nodes start; their workers deliver them, so
the secretariat's analyst opens ``/reports`` on the secretariat's node and sees the council's
picture for KAZ, UZB and TUR (and HUN, AZE, KGZ as missing)."""

from __future__ import annotations

import datetime as dt

from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.reports import service
from kervan.reports.period import Period
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory

WEEKS = 2  # two reports: a trend, and the audit across consecutive periods


def weekly_reports(settings: Settings, today: dt.date, weeks: int = WEEKS) -> list[str]:
    """Make the last ``weeks`` reports of a member node (oldest first); their reference dates."""
    schedule = service.schedule_of(settings)
    last = service.last_ended(today, schedule.period_days)
    periods = [
        Period(last.reference_date - dt.timedelta(days=7 * back), schedule.period_days)
        for back in reversed(range(weeks))
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
