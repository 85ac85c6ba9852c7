"""API shapes of reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kervan.reports.models import ReportOrigin


class ReportSummary(BaseModel):
    host_state: str = Field(description="The state whose register the report describes")
    audience: str = Field(description="'*' for a whole report, else the home state of an extract")
    reference_date: dt.date
    period_days: int
    revision: int
    origin: ReportOrigin
    generated_at: dt.datetime
    received_at: dt.datetime | None


class ReportPublic(ReportSummary):
    body: dict[str, Any] = Field(
        description="The published report (schema report.submitted v1, its 'report' member)"
    )


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_date: dt.date | None = Field(
        None, description="The period's last day (default: the last period that has ended)"
    )


class GenerateResult(BaseModel):
    report: ReportSummary
    changed: bool = Field(description="False when the period's report was already the same")
