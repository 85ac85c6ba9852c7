"""Benefits for temporary residence: kinds configured per state with eligibility rules in the
measure scope language, applications decided by officers, and grants to every eligible person."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Measures in force grant the benefits they name (their ``grant_benefit`` actions), on
    every pass; the API and the pages."""
    from kervan.accounts.audit_labels import add_actions
    from kervan.benefits.measure_grants import grant_by_measure
    from kervan.benefits.messages import AUDIT_ACTIONS, MESSAGES
    from kervan.benefits.terms import BENEFIT_TERMS
    from kervan.measures.service import MEASURE_PASSED
    from kervan.messages import add_messages
    from kervan.web.i18n_terms import add_terms

    add_messages(MESSAGES)
    add_actions(AUDIT_ACTIONS)
    app.listeners.on(MEASURE_PASSED, grant_by_measure)
    add_terms(BENEFIT_TERMS)
    if app.web is not None:
        from kervan.benefits.api import router
        from kervan.benefits.views import router as views

        app.include_router(router)
        app.include_router(views)
        app.add_templates("kervan.benefits")
