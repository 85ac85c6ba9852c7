"""kervan/diplomacy/airports.py: which member state controls an airport (where a request goes)."""

from __future__ import annotations

from kervan.diplomacy.airports import AIRPORTS, airports_of, controlling_state
from kervan.registry.codes import MEMBER_STATES


def test_every_airport_belongs_to_a_member_state_and_each_state_has_one() -> None:
    assert {state for state, _ in AIRPORTS.values()} == set(MEMBER_STATES)
    for code in AIRPORTS:
        assert code in airports_of(controlling_state(code) or "")


def test_codes_are_read_in_any_case_and_unknown_ones_have_no_state() -> None:
    assert controlling_state("ala") == "KAZ"
    assert controlling_state("LHR") is None
    assert airports_of("TUR")[0] == "IST"  # the main hub first
    assert airports_of("OTS") == []
