"""Repatriation: return requests, transport legs agreed with host states, seat allocation by
priority with its explanations, manifests (docs/repatriation.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kervan.wiring import Wiring


def install(app: Wiring) -> None:
    """Wire repatriation into a node: its codes always."""
    from kervan.messages import add_messages
    from kervan.repatriation.messages import MESSAGES

    add_messages(MESSAGES)
