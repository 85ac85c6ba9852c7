"""Repatriation: return requests, transport legs agreed with host states, seat allocation by
priority with its explanations, manifests, boarding at the gate (docs/repatriation.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire repatriation into a node: its codes, message types and the exit check's note
    always (the CLI and the worker need them); in the web app its API."""
    from kervan.accounts.audit_labels import add_actions
    from kervan.border import exit_notes
    from kervan.messages import add_messages
    from kervan.repatriation import boarding, counts, envelopes
    from kervan.repatriation.messages import AUDIT_ACTIONS, MESSAGES
    from kervan.repatriation.terms import REPATRIATION_TERMS
    from kervan.reports.sections import register as register_section
    from kervan.web.i18n_terms import add_terms

    add_messages(MESSAGES)
    add_actions(AUDIT_ACTIONS)
    add_terms(REPATRIATION_TERMS)
    envelopes.install()
    exit_notes.register(boarding.exit_note)
    register_section(counts.report_section())
    if app.web is not None:
        from kervan.exchange.limits import BodyLimit
        from kervan.repatriation.api import PUBLIC_REQUESTS, PUBLIC_STATUS, router
        from kervan.repatriation.public_views import router as public_views
        from kervan.repatriation.views import router as views
        from kervan.web.public_intake import MAX_FORM_BYTES

        app.include_router(router)
        app.include_router(views)
        app.include_router(public_views)
        app.add_templates("kervan.repatriation")
        # What the public sends is bounded while it is read (413 before parsing).
        limits = {PUBLIC_REQUESTS: MAX_FORM_BYTES, PUBLIC_STATUS: MAX_FORM_BYTES}
        app.web.add_middleware(BodyLimit, limits=limits)
