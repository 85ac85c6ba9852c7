"""A detached signature of an exported file (``kervan.reports.signature``): it verifies the
very bytes it signed with the signer's public key, and nothing else."""

from __future__ import annotations

import base64
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.exchange.keys import new_key
from kervan.reports.signature import TYP, sign_detached, verify

SIGNER, OTHER = new_key("KAZ"), new_key("UZB")


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=300), flip=st.integers(0, 299))
def test_the_signature_holds_for_its_bytes_only(data: bytes, flip: int) -> None:
    detached = sign_detached(SIGNER, data)
    _, payload, _ = detached.split(".")
    assert payload == ""  # the payload is left out
    assert verify(detached, data, SIGNER.private_key.public_key())
    assert not verify(detached, data, OTHER.private_key.public_key())
    if data:
        changed = bytearray(data)
        changed[flip % len(data)] ^= 0x01
        assert not verify(detached, bytes(changed), SIGNER.private_key.public_key())
    assert not verify(detached, data + b"\n", SIGNER.private_key.public_key())


def test_a_signature_with_its_payload_attached_is_not_a_detached_one() -> None:
    data = b"report"
    detached = sign_detached(SIGNER, data)
    header, _, signature = detached.split(".")
    claims = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    assert (claims["typ"], claims["kid"], claims["alg"]) == (TYP, SIGNER.kid, "EdDSA")
    attached = f"{header}.{base64.urlsafe_b64encode(data).rstrip(b'=').decode()}.{signature}"
    assert not verify(attached, data, SIGNER.private_key.public_key())
