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
        # A period whose report failed (logged by the runner) is not tried again in every
        # round of this process: the next period, a restart or the CLI tries it again.
        self.failed: dt.date | None = None

    def __call__(self, factory: sessionmaker[Session]) -> bool:
        if not self.enabled:
            return False
        today = self.today()
        period = service.last_ended(today, self.schedule.period_days)
        if self.failed == period.reference_date:
            return False
        try:
            # Read, protect, store: the linear programs run outside any transaction, so the
            # database (SQLite's one writer) is not held while they solve.
            with unit_of_work(factory) as session:
                if service.find(session, self.state, period.reference_date) is not None:
                    return False
                inputs = service.read_inputs(
                    session, self.state, period, self.schedule, today=today
                )
            protected = service.protect_inputs(self.state, period, self.schedule, inputs)
            with unit_of_work(factory) as session:
                service.store(session, self.state, period, protected, actor="worker")
        except Exception:
            self.failed = period.reference_date
            raise
        return True
