"""The decision deadline as a job of the node's worker (``kervan.jobs``): requests for this
node's airports that nobody decided by their deadline are refused, with a code the officers
read in their language, and the requesting node is told (``airport_access.refused``)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from kervan.db.base import utcnow
from kervan.diplomacy.service import refuse_overdue
from kervan.uow import unit_of_work

# Deadlines are hours long: looking once every half minute is prompt enough, and spares the
# database a query on every idle round of the worker (five a second).
CHECK_EVERY_SECONDS = 30.0
BATCH = 100


class DecisionDeadline:
    def __init__(
        self,
        node_state: str,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        every: float = CHECK_EVERY_SECONDS,
    ) -> None:
        self.node_state = node_state
        self.clock = clock
        self.every = every
        self._next_check = 0.0

    def __call__(self, factory: sessionmaker[Session]) -> bool:
        """One batch of overdue requests refused; True when there may be more."""
        if time.monotonic() < self._next_check:
            return False
        with unit_of_work(factory) as session:
            refused = refuse_overdue(session, self.node_state, self.clock(), limit=BATCH)
        if refused < BATCH:
            self._next_check = time.monotonic() + self.every
        return refused > 0
