"""Running the node's background jobs (``kervan.wiring.Job``): the measures' whole-register
apply, the exchange's delivery, and whatever the next capabilities add — in a thread of
``kervan serve`` when ``exchange_worker`` is set, or as ``kervan worker``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from kervan.wiring import Job

log = logging.getLogger("kervan.jobs")


class JobRunner:
    def __init__(self, factory: sessionmaker[Session], jobs: Sequence[tuple[str, Job]]):
        self.factory = factory
        self.jobs = list(jobs)

    def run_once(self) -> bool:
        """One step of every job; True when any of them did something."""
        busy = False
        for name, job in self.jobs:
            try:
                busy = job(self.factory) or busy
            except Exception:  # one failing job must neither kill the thread nor the others
                log.exception("job %s failed", name)
        return busy

    def drain(self, max_rounds: int = 1000) -> None:
        """Rounds until nothing is left to do (bounded: a test or a CLI run must end)."""
        for _ in range(max_rounds):
            if not self.run_once():
                return

    def run_forever(self, stop: threading.Event, idle_seconds: float = 0.5) -> None:
        while not stop.is_set():
            if not self.run_once():
                stop.wait(idle_seconds)

    def close(self) -> None:
        for _, job in self.jobs:
            close = getattr(job, "close", None)
            if close is not None:
                close()
