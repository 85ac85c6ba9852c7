"""Repatriation: return requests, transport legs agreed with host states, seat allocation by
priority with its explanations, manifests, boarding at the gate (docs/repatriation.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire repatriation into a node: its codes, message types and the exit check's note
    always (the CLI and the worker need them); in the web app its API."""
    from kervan.border import exit_notes
    from kervan.messages import add_messages
    from kervan.repatriation import boarding, envelopes
    from kervan.repatriation.messages import MESSAGES

    add_messages(MESSAGES)
    envelopes.install()
    exit_notes.register(boarding.exit_note)
    if app.web is not None:
        from kervan.repatriation.api import router

        app.include_router(router)
