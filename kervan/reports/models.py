"""Tables of reports: every situation report this node made or received, one row per host
state, audience and reference date. A regenerated period that changed gets a new ``revision``
(the previous one is overwritten only after the new one is audited and sent)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Date, Enum, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kervan.db.base import Base, IdMixin, utcnow

FULL = "*"  # the audience of a whole report (its host state and the secretariat)


class ReportOrigin(enum.StrEnum):
    OWN = "own"  # made by this node from its register
    RECEIVED = "received"  # arrived from a peer in a report.submitted envelope


class SituationReport(IdMixin, Base):
    __tablename__ = "situation_reports"

    host_state: Mapped[str] = mapped_column(String(3))  # whose register it describes
    # FULL, or the home state whose nationals' rows this extract holds.
    audience: Mapped[str] = mapped_column(String(3), default=FULL)
    reference_date: Mapped[dt.date] = mapped_column(Date)
    period_days: Mapped[int] = mapped_column(Integer)
    origin: Mapped[ReportOrigin] = mapped_column(
        Enum(
            ReportOrigin,
            name="report_origin",
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        )
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # What was published: only aggregates, suppressed cells as null (kervan.reports.report).
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The true values of the suppressed cells, for the next periods' audit; never sent, and
    # empty on a received report.
    hidden: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    generated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime | None] = mapped_column()
    envelope_id: Mapped[uuid.UUID | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("host_state", "audience", "reference_date"),
        Index("ix_situation_reports_reference_date", "reference_date", "host_state"),
    )
