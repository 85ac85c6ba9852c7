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
@settings(max_examples=200)
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
@settings(max_examples=300)
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
@settings(max_examples=300)
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
