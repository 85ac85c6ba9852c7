"""A node's database with a federation's trust list installed, for the exchange's unit tests
that read or write the outbox, the message log and the peers (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import trust_store
from kervan.exchange.keys import SigningKey
from kervan.exchange.trust import TrustList
from tests.unit.exchange.support import ENDPOINTS, federation


@dataclass
class Node:
    session: Session
    signers: dict[str, SigningKey]
    trust: TrustList


@pytest.fixture
def node(session: Session, tmp_path: Path) -> Iterator[Node]:
    """The KAZ node, its trust list (v1: OTS, KAZ, UZB, TUR) installed."""
    document, signers, listed = federation(tmp_path)
    trust_store.install(session, document, utcnow(), bootstrap=True)
    yield Node(session, signers, listed)


def newer_list(
    node: Node,
    version: int,
    signer_states: list[str],
    extra_keys: dict[str, list[dict[str, Any]]] | None = None,
    valid_until: dict[str, dt.datetime] | None = None,
) -> dict[str, Any]:
    """Trust list ``version`` of the same members and keys (``valid_until`` ends some of
    them; ``extra_keys`` adds entries), signed by ``signer_states``' keys."""
    now = utcnow()
    entries = {
        state: [
            key_entry(key, now - dt.timedelta(minutes=5), (valid_until or {}).get(state)),
            *(extra_keys or {}).get(state, []),
        ]
        for state, key in node.signers.items()
    }
    content = trust_content(version, 2, ENDPOINTS, entries, now)
    return signed(content, [node.signers[s] for s in signer_states])
