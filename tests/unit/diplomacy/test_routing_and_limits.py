"""Who may receive the airport_access.* envelopes (both sides apply the rule), and the rate
limit of the endpoints a verifier or a script can hammer."""

from __future__ import annotations

import pytest

from kervan.diplomacy.messages import from_airport_state, from_home_state, to_airport_state
from kervan.web.rate_limits import RateLimit, TooManyRequests


def _requested(sender: str, airport_state: str = "TUR") -> dict:
    return {
        "from": sender,
        "body": {
            "request": {
                "airport": "IST",
                "airport_state": airport_state,
                "requesting_state": "UZB",
            },
            "accreditation": {"accredited_in": "KAZ"},
        },
    }


@pytest.mark.parametrize(
    ("sender", "receiver", "allowed"),
    [
        ("UZB", "TUR", True),  # the mission's own node
        ("KAZ", "TUR", True),  # the state that accredited the consul
        ("AZE", "TUR", False),  # neither
        ("UZB", "KAZ", False),  # IST is not KAZ's airport
        ("UZB", "OTS", False),  # never the secretariat
    ],
)
def test_a_request_goes_only_to_the_airport_state(
    sender: str, receiver: str, allowed: bool
) -> None:
    assert (to_airport_state(_requested(sender), receiver) is None) is allowed


def test_a_decision_comes_only_from_the_airport_state() -> None:
    decision = {"from": "TUR", "body": {"airport_state": "TUR"}}
    assert from_airport_state(decision, "UZB") is None
    assert from_airport_state({"from": "KAZ", "body": {"airport_state": "TUR"}}, "UZB")
    assert from_airport_state({"from": "OTS", "body": {"airport_state": "OTS"}}, "UZB")


def test_an_accreditation_list_comes_only_from_the_home_state() -> None:
    assert from_home_state({"from": "UZB", "body": {"home_state": "UZB"}}, "TUR") is None
    assert from_home_state({"from": "KAZ", "body": {"home_state": "UZB"}}, "TUR")
    assert from_home_state({"from": "UZB", "body": {"home_state": "UZB"}}, "OTS")


def test_rate_limit_counts_per_caller() -> None:
    limit = RateLimit(3)
    for _ in range(3):
        limit.check("border.ist")
    with pytest.raises(TooManyRequests) as refused:
        limit.check("border.ist")
    assert refused.value.status == 429
    limit.check("border.saw")  # another officer is not held back
