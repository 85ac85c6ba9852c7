"""The compact JWS codec: what it signs verifies (with joserfc too), anything else is refused
with ``MalformedJWS`` or a failed verification — never another exception."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws as joserfc_jws
from joserfc.jwk import OKPKey

from kervan.exchange import compact

PRIVATE = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()


def _signed(payload: bytes) -> str:
    return compact.sign(
        PRIVATE, kid="KAZ:20261127-abcdef", typ="kervan-envelope+jws", payload=payload
    )


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)  # not timed: a busy machine is slow
def test_what_is_signed_parses_and_verifies(payload: bytes) -> None:
    parsed = compact.parse(_signed(payload))
    assert parsed.payload == payload
    assert parsed.header == {
        "alg": "EdDSA",
        "kid": "KAZ:20261127-abcdef",
        "typ": "kervan-envelope+jws",
    }
    assert parsed.verifies_with(PRIVATE.public_key())
    assert not parsed.verifies_with(OTHER.public_key())


@given(st.binary(min_size=1, max_size=300), st.data())
@settings(max_examples=300, deadline=None)  # not timed: a busy machine is slow
def test_any_changed_character_fails(payload: bytes, data: st.DataObject) -> None:
    token = _signed(payload)
    position = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.sampled_from("AQgw_-.=+/ é"))
    if token[position] == replacement:
        return
    changed = token[:position] + replacement + token[position + 1 :]
    try:
        parsed = compact.parse(changed)
    except compact.MalformedJWS:
        return
    # Only canonical base64url is read: no other string decodes back to the signed bytes.
    assert not parsed.verifies_with(PRIVATE.public_key())


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)  # not timed: a busy machine is slow
def test_garbage_is_malformed_never_a_crash(text: str) -> None:
    try:
        parsed = compact.parse(text)
    except compact.MalformedJWS:
        return
    assert not parsed.verifies_with(PRIVATE.public_key())


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "EdDSA", "crit": ["b64"], "b64": False},
        ["alg", "EdDSA"],
    ],
)
def test_headers_it_cannot_honour_are_refused(header: object) -> None:
    head = compact.b64url(json.dumps(header).encode())
    with pytest.raises(compact.MalformedJWS):
        compact.parse(f"{head}.{compact.b64url(b'{}')}.{compact.b64url(b'x' * 64)}")


def test_padding_and_extra_parts_are_refused() -> None:
    token = _signed(b'{"a":1}')
    with pytest.raises(compact.MalformedJWS):
        compact.parse(token + "=")
    with pytest.raises(compact.MalformedJWS):
        compact.parse(token + ".x")


def test_joserfc_verifies_what_the_codec_signs() -> None:
    public = OKPKey.import_key(
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": compact.b64url(PRIVATE.public_key().public_bytes_raw()),
        }
    )
    token = joserfc_jws.deserialize_compact(_signed(b'{"id":"x"}'), public, algorithms=["EdDSA"])
    assert json.loads(token.payload) == {"id": "x"}


def _canonical_by_definition(text: str) -> bytes | None:
    """RFC 7515's base64url by its definition: the alphabet, no padding, and the one string
    that encoding the bytes again gives (what the fast decoder must agree with)."""
    import base64
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        return None
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return data if compact.b64url(data) == text else None


@given(
    st.one_of(
        st.text(alphabet="AQgw_-+/=Zz09 \n\t.é\x00", max_size=12),
        st.binary(max_size=12).map(compact.b64url),
        st.binary(min_size=1, max_size=12).flatmap(
            lambda raw: st.integers(0, len(compact.b64url(raw)) - 1).flatmap(
                lambda at: st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ_-=+/ ").map(
                    lambda c: compact.b64url(raw)[:at] + c + compact.b64url(raw)[at + 1 :]
                )
            )
        ),
    )
)
@settings(max_examples=600, deadline=None)  # not timed: a busy machine is slow
def test_the_decoder_takes_exactly_the_canonical_encodings(text: str) -> None:
    expected = _canonical_by_definition(text)
    if expected is None:
        with pytest.raises(compact.MalformedJWS):
            compact.b64url_decode(text)
    else:
        assert compact.b64url_decode(text) == expected
