"""The weekly report as a job of the node's worker: once a period has ended, its report is
made (and sent). Idempotent: a period already reported is left alone, so every worker of a
node may run the job and a restarted worker does nothing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from kervan.config import Settings
from kervan.registry.codes import SECRETARIAT
from kervan.reports import service
from kervan.uow import unit_of_work


class ScheduledReports:
    def __init__(self, settings: Settings, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.state = settings.state
        self.schedule = service.schedule_of(settings)
        self.enabled = settings.report_schedule and settings.state != SECRETARIAT
        self.today = today

    def __call__(self, factory: sessionmaker[Session]) -> bool:
        if not self.enabled:
            return False
        today = self.today()
        period = service.last_ended(today, self.schedule.period_days)
        with unit_of_work(factory) as session:
            if service.find(session, self.state, period.reference_date) is not None:
                return False
            service.generate(
                session, self.state, period, self.schedule, actor="worker", today=today
            )
        return True
