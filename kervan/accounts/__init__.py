"""Accounts: users, roles and permissions, sessions, API tokens, the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """The accounts' codes, API and pages (sign-in, users, tokens, audit)."""
    from kervan.accounts import password_policy
    from kervan.accounts.messages import MESSAGES
    from kervan.messages import add_messages

    add_messages(MESSAGES)
    add_messages(password_policy.MESSAGES)
    if app.settings is not None:
        from kervan.accounts.checkpoints import CheckpointJob

        app.add_job("audit.checkpoint", CheckpointJob(app.settings))
    if app.web is not None:
        from kervan.accounts.api import router
        from kervan.accounts.views import router as views

        app.include_router(router)
        app.include_router(views)
        app.add_templates("kervan.accounts")
