"""Waiting for something another node does (a delivery, a decision sent back), as the demo's
federation steps do between their calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def until(check: Callable[[], Any], what: str, seconds: float) -> Any:
    """The first truthy answer of ``check``, asked every half second; ``TimeoutError`` naming
    ``what`` once ``seconds`` have passed without one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise TimeoutError(f"{what} did not happen within {seconds:.0f} s")
