"""Assistance: cases of foreign nationals in a hard situation, the public help request, and
referrals between the host and the home state that never overwrite each other
(docs/assistance.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire assistance into a node: its codes and message types always (the CLI and the worker
    need them); in the web app its API, pages and templates."""
    from kervan.accounts.audit_labels import add_actions
    from kervan.assistance import envelopes
    from kervan.assistance.messages import AUDIT_ACTIONS, MESSAGES
    from kervan.assistance.reporting import report_section
    from kervan.messages import add_messages
    from kervan.reports.sections import register as register_section

    add_messages(MESSAGES)
    add_actions(AUDIT_ACTIONS)
    envelopes.install()
    register_section(report_section())
    if app.web is not None:
        from kervan.assistance.api import router as api_router
        from kervan.assistance.public import router as public_router
        from kervan.assistance.views import router as views_router

        app.include_router(api_router)
        app.include_router(public_router)
        app.include_router(views_router)
        app.add_templates("kervan.assistance")
