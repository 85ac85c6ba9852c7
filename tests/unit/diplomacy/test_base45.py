"""kervan/diplomacy/base45.py: RFC 9285's examples, a round trip for any bytes, and any text
either decodes or is refused as Base45 — never another error, never bytes out of range."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.diplomacy import base45

RFC_9285_EXAMPLES = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("data", "text"), RFC_9285_EXAMPLES)
def test_the_rfc_examples(data: bytes, text: str) -> None:
    assert base45.encode(data) == text and base45.decode(text) == data


@given(st.binary(max_size=200))
def test_any_bytes_round_trip_in_the_qr_alphabet(data: bytes) -> None:
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET)
    assert len(text) == len(data) // 2 * 3 + len(data) % 2 * 2
    assert base45.decode(text) == data


@given(st.text(alphabet=base45.ALPHABET + "a#é", max_size=30))
def test_any_text_decodes_or_is_refused_as_base45(text: str) -> None:
    try:
        data = base45.decode(text)
    except base45.Base45Error:
        return
    assert base45.encode(data) == text  # what decodes is the one encoding of its bytes


@pytest.mark.parametrize(
    ("text", "why"),
    [("GGW", "triple"), (":::", "triple"), ("::", "pair"), ("A", "length"), ("ab", "character")],
)
def test_what_is_not_base45_is_refused(text: str, why: str) -> None:
    with pytest.raises(base45.Base45Error, match=why):
        base45.decode(text)
