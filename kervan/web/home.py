"""The home page, one per role: where each officer starts the day.

- the migration officer (and the consular officer, for their own nationals): the register at
  a glance, each figure a link to its list, and the documents ending in each of the next
  twelve weeks as a chart;
- the border officer: the exit check itself (a redirect);
- the secretariat analyst: the situation in figures, never a person;
- the administrator: users, the audit log and the exchange's health.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date, format_skeleton
from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.web.charts import Bar, bar_chart
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> Response:
    today = dt.date.today()
    if principal.can(Permission.REGISTER_READ):
        return page.render("home.html", **_register_home(page, session, principal, today))
    if principal.can(Permission.EXCHANGE_READ) or principal.can(Permission.ACCOUNTS_MANAGE):
        return page.render(
            "home_admin.html", **_admin_home(session, principal, settings.state, today)
        )
    if principal.can(Permission.DOCUMENT_CHECK):
        return RedirectResponse("/exit-check", status_code=303)
    if principal.can(Permission.REPORTS_READ):
        from kervan.registry.stats import situation_figures

        figures = situation_figures(session, principal, today=today)
        return page.render("home_situation.html", figures=figures)
    return page.render("home.html", glance=None)


def _register_home(
    page: Page, session: Session, principal: Principal, today: dt.date
) -> dict[str, Any]:
    from kervan.registry.stats import expiring_per_week, register_at_a_glance

    glance = register_at_a_glance(session, principal, today=today)
    weeks = expiring_per_week(session, principal, today=today)
    bars = [
        Bar(format_skeleton("MMMd", w.starts, locale=page.translator.locale), w.count)
        for w in weeks
    ]
    chart = bar_chart(
        bars,
        description=page.gettext(
            "Stay documents ending in each of the next %(weeks)s weeks: %(total)s in all.",
            weeks=len(weeks),
            total=sum(w.count for w in weeks),
        ),
        value_title=page.gettext("Documents"),
        label_title=page.gettext("Week from"),
    )
    rows = [
        (format_date(w.starts, "medium", locale=page.translator.locale), w.count) for w in weeks
    ]
    return {"glance": glance, "weeks_chart": chart, "week_rows": rows}


def _admin_home(
    session: Session, principal: Principal, own_state: str, today: dt.date
) -> dict[str, Any]:
    from kervan.accounts.service import list_users

    context: dict[str, Any] = {"users": None, "exchange": None}
    if principal.can(Permission.ACCOUNTS_MANAGE):
        context["users"] = list_users(session, principal)
    if principal.can(Permission.EXCHANGE_READ):
        from kervan.exchange.health import exchange_health

        context["exchange"] = exchange_health(
            session, principal, own_state=own_state, now=dt.datetime.now(dt.UTC)
        )
    return context
