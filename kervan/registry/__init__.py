"""The register: persons, their travel and stay documents, history, violations, imports and
exports, synthetic data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """The register API (with imports and exports) and its pages. Other packages react to
    register changes through ``kervan.registry.hooks`` events, added in their own install."""
    from kervan.identity.messages import MESSAGES as MRZ_MESSAGES
    from kervan.messages import add_messages
    from kervan.registry.messages import MESSAGES

    add_messages(MESSAGES)
    add_messages(MRZ_MESSAGES)  # the register and the booth read MRZs
    if app.web is not None:
        from kervan.registry.api import router
        from kervan.registry.list_views import router as lists
        from kervan.registry.transfer.api import router as transfer
        from kervan.registry.views import router as views

        app.include_router(router)
        app.include_router(transfer)
        app.include_router(views)
        app.include_router(lists)
        app.add_templates("kervan.registry")
