"""kervan/registry/transfer/planner.py: PostgreSQL's statistics are refreshed each time an
import doubles the register, so a first load re-analyses a logarithmic number of times and a
small delta into a large register never; SQLite needs none of it."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from kervan.registry.transfer.planner import STATISTICS_TARGET, StatisticsKeeper


def test_the_tables_are_analysed_each_time_the_import_doubles(session: Session) -> None:
    keeper = StatisticsKeeper.for_session(session, first_at=1000)
    if session.get_bind().dialect.name == "sqlite":
        assert not keeper.enabled
        keeper.after_chunk(session, 10**9)  # nothing to do, nothing done
        return
    analysed = []
    for written in range(500, 20_001, 500):
        before = keeper.next_at
        keeper.after_chunk(session, written)
        if keeper.next_at != before:
            analysed.append(written)
            assert keeper.next_at == 2 * written
    assert analysed == [1000, 2000, 4000, 8000, 16000]


def test_an_analysis_samples_less_and_leaves_the_sessions_statistics_target_as_it_was(
    session: Session,
) -> None:
    if session.get_bind().dialect.name == "sqlite":
        return  # no analyses (above)
    connection = session.connection()
    connection.exec_driver_sql("SET LOCAL default_statistics_target = 37")
    seen: list[str] = []

    def on_execute(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("ANALYZE"):
            seen.append(str(connection.exec_driver_sql("SHOW default_statistics_target").scalar()))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        StatisticsKeeper.for_session(session, first_at=1).after_chunk(session, 10)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert seen == [str(STATISTICS_TARGET)]
    assert connection.exec_driver_sql("SHOW default_statistics_target").scalar() == "37"
