"""Keeping PostgreSQL's query planner informed while an import grows the register.

The per-chunk look-ups are planned from table statistics. A first load, or any import that makes
a table many times larger inside its one transaction, leaves those statistics describing a
nearly empty table, and the planner then answers each chunk's look-up by scanning every row of
the table (seen at 100,000 rows: 1.3 s per chunk, growing with the table). Re-analysing the
tables the import writes each time the register doubles keeps the look-ups on their indexes, at
the cost of a logarithmic number of ``ANALYZE`` runs (which, inside the transaction, see the
import's own rows). They sample a tenth of the usual rows: the look-ups need the tables' sizes
and their keys' spread, not fine histograms, and the sample is most of an ``ANALYZE``'s time
(the statistics the register keeps are made once more, in full, when the import ends). SQLite's
planner does not need this."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

_TABLES = ("persons", "travel_documents", "stay_documents")
#: ``default_statistics_target`` of the analyses made during an import (PostgreSQL's is 100).
STATISTICS_TARGET = 10


@dataclass
class StatisticsKeeper:
    enabled: bool
    next_at: int  # rows written by this import at which to analyse next

    @classmethod
    def for_session(cls, session: Session, first_at: int) -> StatisticsKeeper:
        if session.get_bind().dialect.name != "postgresql":
            return cls(False, first_at)
        # The statistics describe the rows already there: they stay good until the import has
        # written as many again (a nightly delta into a large register never analyses).
        known = session.connection().exec_driver_sql(
            "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'stay_documents'::regclass"
        )
        return cls(True, max(first_at, int(known.scalar() or 0)))

    def after_chunk(self, session: Session, rows_written: int) -> None:
        if not self.enabled or rows_written < self.next_at:
            return
        connection = session.connection()
        default = connection.exec_driver_sql("SHOW default_statistics_target").scalar()
        connection.exec_driver_sql(f"SET LOCAL default_statistics_target = {STATISTICS_TARGET}")
        connection.exec_driver_sql("ANALYZE " + ", ".join(_TABLES))
        connection.exec_driver_sql(f"SET LOCAL default_statistics_target = {int(default or 100)}")
        self.next_at = 2 * rows_written
