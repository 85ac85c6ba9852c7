"""How the exchange is doing, for the administrator's home page: the trust list in force and
when its first key runs out, and per peer what waits to be sent, what failed for good, and when
something last got through. One grouped query over the outbox, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.exchange import trust_store
from kervan.exchange.models import OutboxMessage
from kervan.exchange.outbox import DEAD_STATUSES, OutboxStatus

# A trust list whose first key ends within this many days is flagged on the page.
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class PeerHealth:
    state: str
    in_trust_list: bool
    backlog: int
    dead_letters: int
    oldest_waiting: dt.datetime | None
    last_delivered: dt.datetime | None


@dataclass(frozen=True)
class ExchangeHealth:
    trust_version: int | None
    trust_issued_at: dt.datetime | None
    trust_installed_at: dt.datetime | None
    # The earliest end of validity among the keys in force: the list must be renewed before.
    trust_expires_at: dt.datetime | None
    expires_soon: bool
    peers: list[PeerHealth]

    @property
    def backlog(self) -> int:
        return sum(p.backlog for p in self.peers)

    @property
    def dead_letters(self) -> int:
        return sum(p.dead_letters for p in self.peers)


def exchange_health(
    session: Session, principal: Principal, *, own_state: str, now: dt.datetime
) -> ExchangeHealth:
    require(principal, Permission.EXCHANGE_READ)
    trust = trust_store.current(session)
    row = trust_store.current_row(session) if trust else None
    key_ends = [
        k.valid_until
        for node in (trust.nodes.values() if trust else ())
        for k in node.keys
        if k.valid_until is not None and k.revoked_at is None
    ]
    expires = min(key_ends) if key_ends else None
    pending = OutboxMessage.status == OutboxStatus.PENDING
    counts = {
        state: (int(waiting), int(dead), oldest, delivered)
        for state, waiting, dead, oldest, delivered in session.execute(
            select(
                OutboxMessage.to_state,
                func.count(case((pending, 1))),
                func.count(case((OutboxMessage.status.in_(DEAD_STATUSES), 1))),
                func.min(case((pending, OutboxMessage.created_at))),
                func.max(OutboxMessage.delivered_at),
            ).group_by(OutboxMessage.to_state)
        )
    }
    listed = set(trust.nodes) - {own_state} if trust else set()
    peers = [
        PeerHealth(state, state in listed, *counts.get(state, (0, 0, None, None)))
        for state in sorted(listed | set(counts))
    ]
    return ExchangeHealth(
        trust_version=trust.version if trust else None,
        trust_issued_at=trust.issued_at if trust else None,
        trust_installed_at=row.installed_at if row else None,
        trust_expires_at=expires,
        expires_soon=expires is not None and expires - now < dt.timedelta(days=EXPIRY_WARNING_DAYS),
        peers=peers,
    )
