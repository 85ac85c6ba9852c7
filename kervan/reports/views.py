"""Reports in the officer UI: the council's picture (the dashboard: who reported, totals and
trends, corridors, overstays, as charts with their tables and text alternatives) and one
report's tables with its exports. Aggregates only: reading them is not audited."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import RedirectResponse, Response

from kervan.accounts.roles import Permission, Principal
from kervan.errors import KervanError
from kervan.messages import render
from kervan.reports import council, labels, service
from kervan.reports.pdf import two_way
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.i18n import N_
from kervan.web.security import csrf_protect
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)

ARRIVALS = {
    council.Arrival.ON_TIME: N_("Received"),
    council.Arrival.LATE: N_("Received late"),
    council.Arrival.MISSING: N_("Missing"),
    council.Arrival.NOT_DUE: N_("Not yet due"),
}


@router.get("/reports")
def dashboard(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    date: dt.date | None = Query(None),
    principal: Principal = policy(Permission.REPORTS_READ),
) -> Response:
    # Altair and vl-convert load on the first dashboard, not when every node process starts.
    from kervan.reports import charts

    picture = council.picture(
        session,
        principal,
        settings.state,
        today=dt.date.today(),
        due_days=settings.report_due_days,
        reference_date=date,
    )
    return page.render(
        "reports/dashboard.html",
        picture=picture,
        charts=charts.all_charts(picture, page.translator),
        arrivals=ARRIVALS,
    )


@router.post("/reports/generate", dependencies=[Depends(csrf_protect)])
def generate(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.REPORTS_GENERATE),
) -> Response:
    """Make (or make again) the report of the last period that ended."""
    schedule = service.schedule_of(settings)
    period = service.last_ended(dt.date.today(), schedule.period_days)
    try:
        service.generate_for(session, principal, settings.state, period, schedule)
    except KervanError as exc:
        explanation = render(page.translator, exc.code, exc.params, exc.detail)
        title = page.gettext("Situation reports")
        return page.render(
            "error.html",
            status_code=exc.status,
            status=exc.status,
            title=title,
            explanation=explanation,
        )
    return RedirectResponse(f"/reports?date={period.label}", status_code=303)


@router.get("/reports/{host_state}/{reference_date}")
def report_page(
    reference_date: dt.date,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    host_state: str = Path(pattern="^[A-Z]{3}$"),
    principal: Principal = policy(Permission.REPORTS_READ),
) -> Response:
    report = service.readable(session, principal, settings.state, host_state, reference_date)
    t = page.translator
    tables = []
    for table in report.body["tables"]:
        rows, columns, printed = two_way(table)
        dims, names = table["dims"], table.get("names")
        tables.append(
            {
                "name": table["name"],
                "title": labels.title(t, table["name"]),
                "corner": labels.dimension(t, dims[0]),
                "columns": [
                    (c, labels.category(t, dims[1], c, names) if len(dims) > 1 else "")
                    for c in columns
                ],
                "rows": [(r, labels.category(t, dims[0], r, names)) for r in rows],
                "cells": printed,
            }
        )
    return page.render("reports/report.html", report=report, tables=tables)
