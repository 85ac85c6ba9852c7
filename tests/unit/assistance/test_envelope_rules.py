"""What the exchange lets through for ``case.*``: only between the two states of the case,
never the secretariat, and bodies bounded by their schemas (what an attacker would send)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kervan.assistance.envelopes import between_the_two_states, install
from kervan.exchange.message_types import schema_problem


@pytest.fixture(autouse=True, scope="module")
def registered() -> None:
    install()  # what the node's wiring does


def _payload(sender: str, home: str = "UZB", host: str = "KAZ", **body: Any) -> dict[str, Any]:
    head = {"case_id": str(uuid.uuid4()), "home_state": home, "host_state": host}
    return {"from": sender, "body": head | body}


@pytest.mark.parametrize(
    ("sender", "receiver", "allowed"),
    [
        ("KAZ", "UZB", True),  # the host refers to the home state
        ("UZB", "KAZ", True),  # the home state's consulate answers, or asks
        ("KAZ", "KGZ", False),  # a third state hears nothing of it
        ("TUR", "UZB", False),  # nor speaks for the host
        ("KAZ", "OTS", False),  # the secretariat receives no case
    ],
)
def test_only_the_two_states_of_the_case(sender: str, receiver: str, allowed: bool) -> None:
    assert (between_the_two_states(_payload(sender), receiver) is None) is allowed


def test_a_case_of_a_person_in_their_own_state_goes_nowhere() -> None:
    assert between_the_two_states(_payload("KAZ", home="KAZ", host="KAZ"), "UZB") is not None


def _change(**overrides: Any) -> dict[str, Any]:
    change = {
        "id": str(uuid.uuid4()),
        "field": "contact",
        "value": "+7 700",
        "bases": [],
        "author": "aigerim",
        "state": "KAZ",
        "at": "2026-12-03T10:00:00Z",
    }
    return change | overrides


def _updated(changes: list[dict[str, Any]]) -> dict[str, Any]:
    head = {"case_id": str(uuid.uuid4()), "home_state": "UZB", "host_state": "KAZ"}
    return head | {"changes": changes, "notes": [], "aid": []}


def test_update_bodies_are_bounded() -> None:
    assert schema_problem("case.updated", 1, _updated([_change()])) is None
    too_many = _updated([_change() for _ in range(501)])
    assert schema_problem("case.updated", 1, too_many) is not None
    assert schema_problem("case.updated", 1, _updated([_change(value="x" * 4001)])) is not None
    assert schema_problem("case.updated", 1, _updated([_change(field="status")])) is not None
    wide = _change(bases=[str(uuid.uuid4()) for _ in range(21)])
    assert schema_problem("case.updated", 1, _updated([wide])) is not None
    extra = _updated([_change()]) | {"assigned_to": "someone"}  # no workflow leaves a node
    assert schema_problem("case.updated", 1, extra) is not None
