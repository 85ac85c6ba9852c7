"""The weekly job: one report per ended period, nothing twice, nothing at the secretariat."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.db.migrate import upgrade
from kervan.reports.jobs import ScheduledReports
from kervan.reports.models import SituationReport
from kervan.wiring import node_session_factory


def test_the_job_makes_each_period_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = node_session_factory(engine)
    day = [dt.date(2026, 12, 3)]
    job = ScheduledReports(Settings(database_url=url, state="KAZ"), today=lambda: day[0])
    assert job(factory) is True
    assert job(factory) is False  # the period is reported
    day[0] = dt.date(2026, 12, 10)
    assert job(factory) is True
    with factory() as session:
        dates = session.scalars(select(SituationReport.reference_date)).all()
        assert sorted(dates) == [dt.date(2026, 11, 29), dt.date(2026, 12, 6)]
    secretariat = ScheduledReports(Settings(database_url=url, state="OTS"), today=lambda: day[0])
    assert secretariat(factory) is False
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SituationReport)) == 2
    engine.dispose()
