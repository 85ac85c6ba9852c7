"""Reports: situation reports computed set-based from the register, protected by disclosure
control (primary and secondary suppression, audited by linear programs across periods),
exchanged with the secretariat and the home states, charted and exported (docs/reports.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire reports into a node: its codes, the register's sections (other capabilities add
    theirs from their own ``install`` with ``kervan.reports.sections.register``), the
    ``report.submitted`` message type, the weekly job; in the web app its API and pages."""
    from kervan.messages import add_messages
    from kervan.reports import envelopes, sections
    from kervan.reports.messages import MESSAGES

    add_messages(MESSAGES)
    sections.register_builtin()
    envelopes.install()
    if app.settings is not None:
        from kervan.reports.jobs import ScheduledReports

        app.add_job("reports.weekly", ScheduledReports(app.settings))
    if app.web is not None:
        from kervan.reports.api import router as api_router
        from kervan.reports.views import router as views_router

        app.include_router(api_router)
        app.include_router(views_router)
        app.add_templates("kervan.reports")
