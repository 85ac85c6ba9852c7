"""A per-caller rate limit for the endpoints a verifier, a script or the public can hammer
(verification, scan uploads, imports, the public help request): a sliding window in the
process's memory, which is enough to stop a runaway client; several API processes each allow
the limit."""

from __future__ import annotations

import threading
import time
from collections import deque

from kervan.errors import KervanError
from kervan.messages import TOO_MANY_REQUESTS


class TooManyRequests(KervanError):
    status = 429
    type_slug = "too-many-requests"
    title = "Too many requests"


class RateLimit:
    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, caller: str) -> None:
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(caller, deque())
            while seen and seen[0] < now - 60:
                seen.popleft()
            if len(seen) >= self.per_minute:
                raise TooManyRequests(
                    f"at most {self.per_minute} a minute; try again shortly",
                    code=TOO_MANY_REQUESTS,
                    params={"per_minute": self.per_minute},
                )
            seen.append(now)
            if len(self._seen) > 10_000:  # forget idle callers rather than grow without end
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - 60}
