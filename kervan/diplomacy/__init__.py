"""Diplomacy: the accreditation register, airport access requests across borders, signed
passes, and the offline verifier (docs/diplomacy.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire diplomacy into a node (``kervan.wiring``): its message types and codes always (the
    CLI and the worker need them), the decision deadline's job on a node with settings; in the
    web app its API, pages and templates."""
    from kervan.diplomacy import error_codes as codes
    from kervan.diplomacy import messages
    from kervan.messages import add_messages

    messages.install()
    add_messages(codes.MESSAGES)
    if app.settings is not None:
        from kervan.diplomacy.jobs import DecisionDeadline

        app.add_job("diplomacy.decision_deadline", DecisionDeadline(app.settings.state))
    if app.web is not None:
        from kervan.diplomacy.api import router as api_router
        from kervan.diplomacy.verifier_pages import router as verifier_router
        from kervan.diplomacy.views import router as views_router

        app.include_router(api_router)
        app.include_router(verifier_router)
        app.include_router(views_router)
        app.add_templates("kervan.diplomacy")
