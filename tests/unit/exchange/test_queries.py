"""Who may ask another state's node about a national: only this state's own consuls, in one
rule (``queries.asks_here``) that the API, the page and the service all use."""

from __future__ import annotations

import pytest

from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden
from kervan.exchange import messages, queries


def _consul(state: str) -> Principal:
    return Principal(user_id=None, username="consul", role=Role.CONSULAR_OFFICER, state=state)


def test_only_this_states_consuls_ask_from_here() -> None:
    assert queries.asks_here(_consul("UZB"), "UZB")
    assert not queries.asks_here(_consul("KAZ"), "UZB")
    assert not queries.asks_here(None, "UZB")


def test_a_foreign_consul_is_refused_with_the_code_and_the_node_state() -> None:
    queries.require_own_consul(_consul("UZB"), "UZB")
    with pytest.raises(Forbidden) as refused:
        queries.require_own_consul(_consul("KAZ"), "UZB")
    assert refused.value.code == messages.CONSULAR_ONLY
    assert refused.value.params == {"state": "UZB"}
