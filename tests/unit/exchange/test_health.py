"""kervan/exchange/health.py: per peer what waits, what is dead and when something last got
through, from one grouped query; the warning before the trust list's first key runs out."""

from __future__ import annotations

import datetime as dt
import sys
import uuid

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.demo.trust_setup import key_entry
from kervan.errors import Forbidden
from kervan.exchange import outbox, trust_store
from kervan.exchange.health import EXPIRY_WARNING_DAYS, exchange_health
from kervan.exchange.keys import new_key
from kervan.exchange.models import OutboxMessage
from tests.unit.exchange.conftest import Node, newer_list

ADMIN = Principal(user_id=None, username="admin", role=Role.ADMIN, state="KAZ")
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(autouse=True)
def _now_is_when_the_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """NOW is read when each test runs, not when the module was collected: the trust list's
    keys are made valid from a few minutes before the test, and a parallel run may collect
    this module long before it runs it."""
    monkeypatch.setattr(sys.modules[__name__], "NOW", dt.datetime.now(dt.UTC))


def _message(session: Session, to: str, status: str, at: dt.datetime) -> None:
    message = outbox.add(session, "stay.issued", to, ("person", uuid.uuid4()), {}, at=at)
    message.status = status
    if status == "delivered":
        message.delivered_at = at


def test_a_node_without_a_trust_list_has_no_peers(session: Session) -> None:
    health = exchange_health(session, ADMIN, own_state="KAZ", now=NOW)
    assert (health.trust_version, health.peers, health.backlog, health.expires_soon) == (
        None,
        [],
        0,
        False,
    )


def test_every_listed_peer_is_shown_with_its_own_counts(node: Node) -> None:
    old, new = NOW - dt.timedelta(hours=2), NOW - dt.timedelta(minutes=1)
    _message(node.session, "UZB", "pending", new)
    _message(node.session, "UZB", "pending", old)
    _message(node.session, "UZB", "dead", old)
    _message(node.session, "UZB", "rejected", old)
    _message(node.session, "UZB", "delivered", new)
    _message(node.session, "XYZ", "pending", new)  # a state no longer listed still shows
    node.session.flush()
    health = exchange_health(node.session, ADMIN, own_state="KAZ", now=NOW)
    by_state = {p.state: p for p in health.peers}
    assert list(by_state) == ["OTS", "TUR", "UZB", "XYZ"]  # sorted, without the node itself
    uzb = by_state["UZB"]
    assert (uzb.in_trust_list, uzb.backlog, uzb.dead_letters) == (True, 2, 2)
    assert uzb.oldest_waiting == old and uzb.last_delivered == new
    assert not by_state["XYZ"].in_trust_list and by_state["XYZ"].backlog == 1
    assert by_state["TUR"].backlog == 0 and by_state["TUR"].oldest_waiting is None
    assert (health.backlog, health.dead_letters, health.trust_version) == (3, 2, 1)


def test_the_list_is_flagged_when_its_first_live_key_ends_within_the_warning(node: Node) -> None:
    ends = NOW + dt.timedelta(days=100)
    revoked = key_entry(new_key("TUR"), NOW - dt.timedelta(days=9), NOW, revoked_at=NOW)
    document = newer_list(
        node,
        2,
        ["OTS", "KAZ", "UZB"],
        extra_keys={"TUR": [revoked]},  # ends first, but revoked: no longer counts
        valid_until={"UZB": ends, "KAZ": ends + dt.timedelta(days=1)},
    )
    trust_store.install(node.session, document, NOW)
    margin = dt.timedelta(days=EXPIRY_WARNING_DAYS)
    soon = exchange_health(node.session, ADMIN, own_state="KAZ", now=ends - margin / 2)
    later = exchange_health(node.session, ADMIN, own_state="KAZ", now=ends - margin * 2)
    assert soon.trust_version == 2 and soon.trust_expires_at == ends and soon.expires_soon
    assert not later.expires_soon


def test_only_who_reads_the_exchange_sees_its_health(node: Node, officer: Principal) -> None:
    with pytest.raises(Forbidden):
        exchange_health(node.session, officer, own_state="KAZ", now=NOW)
    assert node.session.query(OutboxMessage).count() == 0
