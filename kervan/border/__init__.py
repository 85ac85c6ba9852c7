"""The border: the exit check an officer runs on a departing traveller's passport."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """The exit check's codes, API and page."""
    from kervan.border.messages import MESSAGES
    from kervan.messages import add_messages

    add_messages(MESSAGES)
    if app.web is not None:
        from kervan.border.api import router
        from kervan.border.views import router as views

        app.include_router(router)
        app.include_router(views)
        app.add_templates("kervan.border")
