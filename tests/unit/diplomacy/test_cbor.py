"""kervan/diplomacy/cbor.py: deterministic encoding (RFC 8949 §4.2.1) that an independent
decoder (cbor2) reads back the same, and a reader that refuses, with ``CborError`` only, what
a pass is not made of."""

from __future__ import annotations

import contextlib
from typing import Any

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.diplomacy import cbor

scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.binary(max_size=40)
values = st.recursive(
    scalars | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-100, 100) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)


def _plain(value: Any) -> Any:
    """cbor2's reading of our value, for comparison (cbor2 gives tags as its own type)."""
    if isinstance(value, cbor2.CBORTag):
        return cbor.Tag(value.tag, _plain(value.value))
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@given(values)
def test_what_is_encoded_reads_back_here_and_in_cbor2(value: Any) -> None:
    data = cbor.encode(value)
    assert cbor.decode(data) == value
    assert _plain(cbor2.loads(data)) == value


def _maps(value: Any) -> list[dict[Any, Any]]:
    if isinstance(value, list):
        return [m for v in value for m in _maps(v)]
    if isinstance(value, dict):
        return [value, *(m for v in value.values() for m in _maps(v))]
    return []


@given(values)
def test_the_encoding_is_deterministic_as_rfc_8949_says(value: Any) -> None:
    data = cbor.encode(value)
    # Shortest heads: as long as cbor2's canonical form (which orders keys the older way,
    # RFC 7049's length first, so only the length is compared).
    assert len(data) == len(cbor2.dumps(value, canonical=True))
    # Map keys in the bytewise order of their encodings (§4.2.1), as cbor2 read them.
    for read in _maps(cbor2.loads(data)):
        encoded = [cbor.encode(k) for k in read]
        assert encoded == sorted(encoded)


def test_a_tag_round_trips() -> None:
    tagged = cbor.Tag(18, [b"header", {}, b"payload", b"sig"])  # COSE_Sign1
    assert cbor.decode(cbor.encode(tagged)) == tagged
    assert cbor.encode(tagged)[:1] == b"\xd2"


@given(st.binary(max_size=60))
def test_any_bytes_decode_or_are_refused_as_cbor(data: bytes) -> None:
    with contextlib.suppress(cbor.CborError):  # anything else fails the test
        cbor.decode(data)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\xf9\x3c\x00", "floats"),  # a half float
        (b"\x00\x00", "after the end"),
        (b"\x62a", "past the end"),
        (b"\x19\x01", "truncated"),
        (b"\x62\xff\xfe", "UTF-8"),
        (b"\xa2\x01\x00\x01\x00", "duplicate"),
        (b"\xa1\x40\x00", "keys"),  # a byte-string key
        (b"\x99\x01\x01", "too many"),
    ],
)
def test_what_a_pass_is_not_made_of_is_refused(data: bytes, why: str) -> None:
    with pytest.raises(cbor.CborError, match=why):
        cbor.decode(data)


def test_what_cannot_be_a_pass_is_not_encoded() -> None:
    with pytest.raises(cbor.CborError):
        cbor.encode(1.5)
    with pytest.raises(cbor.CborError):
        cbor.encode(2**64)
