"""A node's database with a federation's trust list installed, for the exchange's unit tests
that read or write the outbox, the message log and the peers (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.db.base import utcnow
from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import trust_store
from kervan.exchange.keys import SigningKey
from kervan.exchange.trust import TrustList
from kervan.registry import service
from kervan.registry.models import StayDocument
from kervan.registry.schemas import PersonCreate, StayDocumentCreate
from tests.functional.register_data import document_body, person_body
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


def _work_permit_number() -> str:
    return f"WK{uuid.uuid4().int % 10**8:08d}"  # WK and eight digits, leading zeros kept


def registered(
    session: Session,
    officer: Principal,
    nationality: str = "UZB",
    *,
    travel: tuple[tuple[str, str], ...] = (("passport", "FA1234567"),),
) -> StayDocument:
    """A national of ``nationality`` (with ``travel``: its travel documents' types and
    numbers) with a work permit in KAZ, through the register's service
    (its listeners write the outbox as they do on a node)."""
    person = service.create_person(
        session,
        officer,
        PersonCreate.model_validate(
            person_body(
                nationality=nationality,
                travel_documents=[
                    {"document_type": kind, "number": number, "issuing_state": nationality}
                    for kind, number in travel
                ],
            )
        ),
    )
    document = service.issue_document(
        session,
        officer,
        person.id,
        StayDocumentCreate.model_validate(document_body(number=_work_permit_number())),
        host_state="KAZ",
    )
    session.flush()
    return document
