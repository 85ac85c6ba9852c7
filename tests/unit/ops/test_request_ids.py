"""A request id ends up in logs, headers and the audit log: only plain, bounded ones pass."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kervan.ops.request_ids import choose_request_id, request_id_var, with_request_id

PLAIN = re.compile(r"[A-Za-z0-9._-]{8,64}")


@given(st.one_of(st.none(), st.text(max_size=200)))
def test_any_incoming_id_yields_a_plain_bounded_one(incoming: str | None) -> None:
    chosen = choose_request_id(incoming)
    assert PLAIN.fullmatch(chosen)
    assert chosen == incoming or len(chosen) == 32


@given(st.from_regex(PLAIN, fullmatch=True))
def test_a_plain_id_from_a_proxy_is_kept(incoming: str) -> None:
    assert choose_request_id(incoming) == incoming


def test_audit_details_carry_the_id_only_during_a_request() -> None:
    assert with_request_id({"a": 1}) == {"a": 1}
    token = request_id_var.set("req-12345678")
    try:
        assert with_request_id(None) == {"request_id": "req-12345678"}
        assert with_request_id({"a": 1}) == {"a": 1, "request_id": "req-12345678"}
    finally:
        request_id_var.reset(token)
