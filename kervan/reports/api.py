"""JSON API of reports, ``/api/v1/reports``. Thin: parse, authorise, call the service, shape."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Path
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.exchange.keys import load_signing_key
from kervan.reports import exports, service
from kervan.reports.models import SituationReport
from kervan.reports.period import Period
from kervan.reports.schemas import GenerateRequest, GenerateResult, ReportPublic, ReportSummary
from kervan.reports.signature import sign_detached
from kervan.web.deps import SessionDep, SettingsDep, policy

router = APIRouter(prefix="/api/v1", tags=["reports"])

StateCode = Path(pattern="^[A-Z]{3}$", description="Host state (ISO 3166-1 alpha-3)")
Format = Literal["csv", "xlsx", "sdmx", "pdf"]
Language = Literal["ru", "kk", "ky", "uz", "tr", "az", "hu", "en"]


def summary(report: SituationReport) -> ReportSummary:
    return ReportSummary(
        host_state=report.host_state,
        audience=report.audience,
        reference_date=report.reference_date,
        period_days=report.period_days,
        revision=report.revision,
        origin=report.origin,
        generated_at=report.generated_at,
        received_at=report.received_at,
    )


@router.get("/reports", operation_id="list_reports")
def list_reports(
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.REPORTS_READ),
) -> list[ReportSummary]:
    return [summary(r) for r in service.visible_reports(session, principal, settings.state)]


@router.get("/reports/{host_state}/{reference_date}", operation_id="get_report")
def get_report(
    reference_date: dt.date,
    session: SessionDep,
    settings: SettingsDep,
    host_state: str = StateCode,
    principal: Principal = policy(Permission.REPORTS_READ),
) -> ReportPublic:
    report = service.readable(session, principal, settings.state, host_state, reference_date)
    return ReportPublic(**summary(report).model_dump(), body=report.body)


# Before export.{format}, which would otherwise take "pdf.jws" for a format.
@router.get(
    "/reports/{host_state}/{reference_date}/export.pdf.jws",
    operation_id="export_report_signature",
    response_class=Response,
    responses={200: {"content": {"application/jose": {}}}},
)
def export_signature(
    reference_date: dt.date,
    session: SessionDep,
    settings: SettingsDep,
    host_state: str = StateCode,
    lang: Language = "en",
    principal: Principal = policy(Permission.REPORTS_READ),
) -> Response:
    """The node's detached signature (JWS, RFC 7515 appendix F) of the PDF in ``lang``."""
    report = service.readable(session, principal, settings.state, host_state, reference_date)
    data = exports.render(report, "pdf", lang=lang, settings=settings)
    return Response(sign_detached(load_signing_key(settings), data), media_type="application/jose")


@router.get(
    "/reports/{host_state}/{reference_date}/export.{format}",
    operation_id="export_report",
    response_class=Response,
    responses={200: {"content": {t: {} for t in exports.MEDIA_TYPES.values()}}},
)
def export_report(
    reference_date: dt.date,
    format: Format,
    session: SessionDep,
    settings: SettingsDep,
    host_state: str = StateCode,
    lang: Language = "en",
    principal: Principal = policy(Permission.REPORTS_READ),
) -> Response:
    """The report as CSV, XLSX, SDMX (zip: SDMX-CSV and its structure) or PDF."""
    report = service.readable(session, principal, settings.state, host_state, reference_date)
    data = exports.render(report, format, lang=lang, settings=settings)
    suffix = "zip" if format == "sdmx" else format
    name = f"sitrep-{report.host_state}-{report.reference_date}.{suffix}"
    return Response(
        data,
        media_type=exports.MEDIA_TYPES[format],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/reports/generate", operation_id="generate_report")
def generate_report(
    body: GenerateRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.REPORTS_GENERATE),
) -> GenerateResult:
    schedule = service.schedule_of(settings)
    period = (
        Period(body.reference_date, schedule.period_days)
        if body.reference_date
        else service.last_ended(dt.date.today(), schedule.period_days)
    )
    report, changed = service.generate_for(session, principal, settings.state, period, schedule)
    return GenerateResult(report=summary(report), changed=changed)
