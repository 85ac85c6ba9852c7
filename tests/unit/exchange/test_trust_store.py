"""kervan/exchange/trust_store.py: the first list only by bootstrap, later ones only if the list
in force accepts them; the newest installed is the one in force."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.errors import Conflict, NotFound
from kervan.exchange import messages, trust_store
from tests.unit.exchange.conftest import Node, newer_list
from tests.unit.exchange.support import federation


def test_a_node_without_a_list_says_so(session: Session) -> None:
    assert trust_store.current(session) is None and trust_store.current_row(session) is None
    with pytest.raises(NotFound) as caught:
        trust_store.require_current(session)
    assert caught.value.code == messages.NOT_CONFIGURED
    with pytest.raises(NotFound):
        trust_store.current_document(session)


def test_the_first_list_needs_bootstrap(session: Session, tmp_path: Path) -> None:
    document, _, _ = federation(tmp_path)
    with pytest.raises(Conflict) as caught:
        trust_store.install(session, document, utcnow())
    assert caught.value.code == messages.TRUST_NONE_YET
    decision = trust_store.install(session, document, utcnow(), bootstrap=True)
    assert decision.accepted
    assert trust_store.require_current(session).version == 1
    assert trust_store.current_document(session) == document


def test_a_newer_list_signed_by_enough_members_replaces_the_one_in_force(node: Node) -> None:
    trust_store.install(node.session, newer_list(node, 2, ["OTS", "KAZ", "UZB"]), utcnow())
    assert trust_store.require_current(node.session).version == 2
    assert trust_store.current_row(node.session).version == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("version", "signers"),
    [(1, ["OTS", "KAZ", "UZB"]), (2, ["KAZ", "UZB"])],
    ids=["not newer", "no secretariat"],
)
def test_a_list_the_one_in_force_does_not_accept_is_refused(
    node: Node, version: int, signers: list[str]
) -> None:
    with pytest.raises(Conflict) as caught:
        trust_store.install(node.session, newer_list(node, version, signers), utcnow())
    assert caught.value.code == messages.TRUST_REFUSED and caught.value.params["reason"]
    assert trust_store.require_current(node.session).version == 1
