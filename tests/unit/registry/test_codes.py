"""kervan/registry/codes.py: the state codes the register accepts and how they are named."""

from __future__ import annotations

import pytest

from kervan.registry.codes import (
    ICAO_EXTRA_CODES,
    MEMBER_STATES,
    SECRETARIAT,
    is_state_code,
    state_name,
    validate_state_code,
)


def test_member_states_icao_codes_and_the_secretariat_are_accepted() -> None:
    for code in (*MEMBER_STATES, "D", "XXA", SECRETARIAT):
        assert validate_state_code(code) == code
    assert not is_state_code(SECRETARIAT)  # a pseudo-state: valid for routing, not a nationality


@pytest.mark.parametrize("code", ["kaz", "KZ", "ZZZ", "", "KAZ "])
def test_anything_else_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="not an ISO 3166-1"):
        validate_state_code(code)


def test_names() -> None:
    assert state_name("KAZ") == "Kazakhstan"
    assert state_name("XXA") == ICAO_EXTRA_CODES["XXA"]
