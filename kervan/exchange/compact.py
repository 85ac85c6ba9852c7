"""Compact JWS (RFC 7515 §7.1) signed with EdDSA over Ed25519 (RFC 8037), for envelopes and
receipts — the exchange's hot path.

Every envelope costs four Ed25519 operations (sign, verify, sign the receipt, verify the
receipt). A general JOSE library wraps each in key lookups, header registries and object
building that cost more than the signature itself, so the one algorithm the exchange accepts is
done here directly on ``cryptography``; joserfc stays for the trust list's multi-signer JSON
serialization, and the tests verify what this module signs with joserfc, an independent JOSE
implementation.

Parsing is strict: exactly three parts, each *canonical* base64url (RFC 7515 §2: no padding, no
whitespace, and the unused low bits of the last character zero — otherwise several strings
decode to the same bytes, and two copies of one signed envelope would differ), a header of at
most ``MAX_HEADER_CHARS`` that is a JSON object, and no ``crit`` extensions (RFC 7515 §4.1.11: a
receiver must refuse what it does not understand).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# base64url to the standard alphabet for ``binascii``'s strict decoder; "+", "/" and "=" (not
# base64url, or padding) become "!", which that decoder refuses like every other stray byte.
_TO_STANDARD = bytes.maketrans(b"-_+/=", b"+/!!!")
# The value of each base64url character, for the check of the unused bits of the last one.
_VALUES = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}
# A last character of a length ≡ 2 (mod 4) carries 4 unused bits, of ≡ 3 two: they must be zero.
_UNUSED_BITS = {2: 0b1111, 3: 0b11}
# A real header ({"alg", "kid", "typ"}) is under 120 characters encoded; anything much longer is
# refused before it is decoded or cached, so an attacker cannot park megabytes in the cache.
MAX_HEADER_CHARS = 512
# EdDSA (RFC 8037) is what Kervan signs with; Ed25519 is RFC 9864's fully-specified name for the
# same signature, accepted so that implementers following the newer registry interoperate.
SIGNING_ALG = "EdDSA"
VERIFYING_ALGS = frozenset({"EdDSA", "Ed25519"})


class MalformedJWS(ValueError):
    """Not a compact JWS this node can read."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of canonical base64url ``text``: the one encoding ``b64url`` would give them.

    Checked in one pass of C (``binascii`` in strict mode refuses any character outside the
    alphabet, whitespace included) and by the last character's unused bits, rather than by
    encoding the bytes again and comparing: this runs for every part of every envelope and
    receipt."""
    remainder = len(text) % 4
    if remainder == 1 or not text.isascii():
        raise MalformedJWS("not base64url without padding")
    standard = text.encode("ascii").translate(_TO_STANDARD) + b"=" * (-len(text) % 4)
    try:
        data = binascii.a2b_base64(standard, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedJWS("not base64url without padding") from exc
    if remainder and _VALUES[text[-1]] & _UNUSED_BITS[remainder]:
        raise MalformedJWS("not canonical base64url (non-zero unused bits)")
    return data


@lru_cache(maxsize=64)
def _encoded_header(alg: str, kid: str, typ: str) -> str:
    # The same few headers sign every message: encode each once.
    header = {"alg": alg, "kid": kid, "typ": typ}
    return b64url(json.dumps(header, separators=(",", ":")).encode())


def sign(private_key: Ed25519PrivateKey, *, kid: str, typ: str, payload: bytes) -> str:
    signing_input = f"{_encoded_header(SIGNING_ALG, kid, typ)}.{b64url(payload)}"
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def _header(header_b64: str) -> Mapping[str, Any]:
    if len(header_b64) > MAX_HEADER_CHARS:
        raise MalformedJWS(f"the header is longer than {MAX_HEADER_CHARS} characters")
    return _decoded_header(header_b64)


@lru_cache(maxsize=256)
def _decoded_header(header_b64: str) -> Mapping[str, Any]:
    # A node's envelopes all carry one of a few headers: each is decoded once (read-only). The
    # cache holds at most 256 × MAX_HEADER_CHARS characters.
    try:
        header = json.loads(b64url_decode(header_b64))
    except (ValueError, UnicodeError) as exc:
        raise MalformedJWS(f"the header is not JSON ({exc})") from exc
    if not isinstance(header, dict):
        raise MalformedJWS("the header is not a JSON object")
    if "crit" in header:
        raise MalformedJWS("critical header extensions are not supported")
    return MappingProxyType(header)


@dataclass(frozen=True, slots=True)
class ParsedJWS:
    header: Mapping[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    def verifies_with(self, public_key: object) -> bool:
        """True only for a valid Ed25519 signature under an Ed25519 ``alg``: a key of another
        curve, or another algorithm named in the header, never verifies."""
        if self.header.get("alg") not in VERIFYING_ALGS:
            return False
        if not isinstance(public_key, Ed25519PublicKey):
            return False
        try:
            public_key.verify(self.signature, self.signing_input)
        except InvalidSignature:
            return False
        return True


def parse(compact: str) -> ParsedJWS:
    """The parts of ``compact``, not yet verified: believe nothing in them before
    ``verifies_with`` says so."""
    parts = compact.split(".")
    if len(parts) != 3:
        raise MalformedJWS(f"a compact JWS has 3 parts, this has {len(parts)}")
    return parse_parts(*parts)


def parse_parts(header_b64: str, payload_b64: str, signature_b64: str) -> ParsedJWS:
    """The same for the three members of a JSON-serialized signature (the trust list's)."""
    signature = b64url_decode(signature_b64)
    if len(signature) != 64:  # an Ed25519 signature; anything else cannot verify
        raise MalformedJWS(f"the signature is {len(signature)} bytes, not 64")
    return ParsedJWS(
        header=_header(header_b64),
        payload=b64url_decode(payload_b64),
        signing_input=f"{header_b64}.{payload_b64}".encode("ascii"),
        signature=signature,
    )
