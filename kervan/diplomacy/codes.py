"""Codes of what diplomacy tells an officer by itself (see ``kervan.messages``): a refusal the
node made when the decision deadline passed. The exchange message types are in
``diplomacy.messages``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kervan.messages import N_

DEADLINE_PASSED = "airport_access.deadline-passed"

MESSAGES = {
    DEADLINE_PASSED: N_(
        "Refused automatically: no decision was made before the deadline. "
        "The mission may ask again."
    ),
}


@dataclass(frozen=True, slots=True)
class Coded:
    """A coded text stored with its English wording (what the ``explain`` filter renders)."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
