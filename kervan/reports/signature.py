"""A detached signature of an exported file by the node's Ed25519 key: a JWS in compact form
with its payload left out (RFC 7515, appendix F), ``header..signature``. To verify it, put
the file's bytes, base64url-encoded without padding, between the two dots, and check the
result as any compact JWS with ``alg: EdDSA`` against the key ``kid`` names in the node's
published keys (the trust list). ``verify`` does just that."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kervan.exchange import compact
from kervan.exchange.keys import SigningKey

TYP = "kervan-report+jws"


def sign_detached(signing: SigningKey, data: bytes) -> str:
    header, _, signature = compact.sign(
        signing.private_key, kid=signing.kid, typ=TYP, payload=data
    ).split(".")
    return f"{header}..{signature}"


def verify(detached: str, data: bytes, public_key: Ed25519PublicKey) -> bool:
    header, empty, signature = detached.split(".")
    if empty:
        return False
    attached = f"{header}.{compact.b64url(data)}.{signature}"
    return compact.parse(attached).verifies_with(public_key)
