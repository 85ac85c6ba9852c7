"""Measures: emergency regimes as data — extensions, waivers, benefits — applied to the whole
register in set-based SQL, and explained per person. See docs/measures.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """New and corrected documents, and newly recorded violations, come under the measures in
    force; the worker applies measures brought into force to the whole register; the API and
    the pages."""
    from kervan.accounts.audit_labels import add_actions
    from kervan.measures import jobs, listeners
    from kervan.measures.messages import AUDIT_ACTIONS, MESSAGES
    from kervan.messages import add_messages
    from kervan.registry import hooks

    add_messages(MESSAGES)
    add_actions(AUDIT_ACTIONS)

    app.listeners.on(hooks.DOCUMENT_CHANGED, listeners.document_changed)
    app.listeners.on(hooks.DOCUMENTS_BULK_CHANGED, listeners.documents_bulk_changed)
    app.listeners.on(hooks.VIOLATION_RECORDED, listeners.violation_recorded)
    app.listeners.on(hooks.MEASURE_TITLES, listeners.measure_titles)
    app.add_job("measures.apply_requested", jobs.apply_requested)
    if app.web is not None:
        from kervan.measures.api import router
        from kervan.measures.views.applies import router as views
        from kervan.measures.views.pages import router as pages
        from kervan.measures.views.texts import router as texts
        from kervan.measures.views.timeline import router as timeline

        app.include_router(router)
        app.include_router(views)
        app.include_router(texts)  # before pages: /measures/{id}/texts is not a lifecycle step
        app.include_router(pages)
        app.include_router(timeline)
        app.add_templates("kervan.measures.views")
