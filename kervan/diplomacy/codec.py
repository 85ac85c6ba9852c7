"""A pass as text: claims → CBOR → COSE_Sign1 (EdDSA) → zlib → Base45, behind a versioned prefix.

This is the EU Digital COVID Certificate's pipeline with Kervan's own prefix (``KVP1:``) and
claim map. Claim keys are small integers so that the payload fits a QR code of version 15 or
less at error correction M; the table below is the format's definition (docs/diplomacy.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kervan.diplomacy import base45, cbor

PREFIX = "KVP1:"
FORMAT_VERSION = 1
COSE_SIGN1_TAG = 18
ALG_EDDSA = -8
HEADER_ALG, HEADER_KID = 1, 4
MAX_TEXT = 2000  # characters: more than a version-15 QR code can hold
MAX_INFLATED = 2048  # bytes after decompression (a zip bomb stops here)

# Claim keys (never reuse a number: old passes stay readable).
VERSION, PASS_ID, ISSUER, HOME, MRZ_NAME, NATIVE_NAME, ACCREDITATION = 1, 2, 3, 4, 5, 6, 7
AIRPORTS, ZONES, TERMINAL, VALID_FROM, VALID_UNTIL, PURPOSE, ISSUED_AT = 8, 9, 10, 11, 12, 13, 14
ZONE_CODES = {"departures": 1, "arrivals": 2, "transit": 3}
ZONE_NAMES = {v: k for k, v in ZONE_CODES.items()}


class PassFormatError(ValueError):
    """The text is not a Kervan pass (wrong prefix, Base45, zlib, CBOR or COSE structure)."""


@dataclass(frozen=True, slots=True)
class PassClaims:
    pass_id: uuid.UUID
    issuing_state: str
    home_state: str
    holder_mrz: str  # ICAO 9303 form: PRIMARY<<SECONDARY
    holder_native: str  # as written in the holder's own document and script
    accreditation: str
    airports: tuple[str, ...]
    zones: tuple[str, ...]
    terminal: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    purpose: str
    issued_at: dt.datetime


@dataclass(frozen=True, slots=True)
class OpenedPass:
    """A pass taken apart but not yet trusted: the signature is checked by ``signature_ok``."""

    claims: PassClaims
    kid: str
    signed_bytes: bytes  # the COSE Sig_structure the signature covers
    signature: bytes

    def signature_ok(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.signed_bytes)
        except InvalidSignature:
            return False
        return True


def _seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: object) -> dt.datetime:
    if not isinstance(seconds, int) or not 0 <= seconds < 2**33:
        raise PassFormatError("a time claim is not seconds since 1970")
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def claims_map(claims: PassClaims) -> dict[int, object]:
    mapped: dict[int, object] = {
        VERSION: FORMAT_VERSION,
        PASS_ID: claims.pass_id.bytes,
        ISSUER: claims.issuing_state,
        HOME: claims.home_state,
        MRZ_NAME: claims.holder_mrz,
        ACCREDITATION: claims.accreditation,
        AIRPORTS: list(claims.airports),
        ZONES: [ZONE_CODES[z] for z in claims.zones],
        VALID_FROM: _seconds(claims.valid_from),
        VALID_UNTIL: _seconds(claims.valid_until),
        PURPOSE: claims.purpose,
        ISSUED_AT: _seconds(claims.issued_at),
    }
    # Optional claims are left out when empty: every byte moves the QR code a version up.
    if claims.holder_native and claims.holder_native != claims.holder_mrz:
        mapped[NATIVE_NAME] = claims.holder_native
    if claims.terminal:
        mapped[TERMINAL] = claims.terminal
    return mapped


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """RFC 9052 §4.4: what a COSE_Sign1 signature covers (no external data)."""
    return cbor.encode(["Signature1", protected, b"", payload])


def sign_pass(claims: PassClaims, kid: str, private_key: Ed25519PrivateKey) -> str:
    protected = cbor.encode({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid.encode()})
    payload = cbor.encode(claims_map(claims))
    signature = private_key.sign(sig_structure(protected, payload))
    message = cbor.Tag(COSE_SIGN1_TAG, [protected, {}, payload, signature])
    return PREFIX + base45.encode(zlib.compress(cbor.encode(message), 9))


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED)
    except zlib.error as exc:
        raise PassFormatError("the pass is not zlib data") from exc
    if inflater.unconsumed_tail:
        raise PassFormatError("the pass inflates beyond its size limit")
    return out


def open_pass(text: str) -> OpenedPass:
    """Take a pass apart, checking its structure only; raises ``PassFormatError``."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise PassFormatError("the text is too long to be a pass")
    if not text.startswith(PREFIX):
        raise PassFormatError(f"the text does not start with {PREFIX}")
    try:
        raw = _inflate(base45.decode(text[len(PREFIX) :]))
        message = cbor.decode(raw)
    except (base45.Base45Error, cbor.CborError) as exc:
        raise PassFormatError(str(exc)) from exc
    if isinstance(message, cbor.Tag):
        if message.number != COSE_SIGN1_TAG:
            raise PassFormatError("not a COSE_Sign1 message")
        message = message.value
    if not (isinstance(message, list) and len(message) == 4):
        raise PassFormatError("not a COSE_Sign1 message")
    protected, _unprotected, payload, signature = message
    if not all(isinstance(p, bytes) for p in (protected, payload, signature)):
        raise PassFormatError("not a COSE_Sign1 message")
    try:
        header, body = cbor.decode(protected), cbor.decode(payload)
    except cbor.CborError as exc:
        raise PassFormatError(str(exc)) from exc
    if not isinstance(header, dict) or header.get(HEADER_ALG) != ALG_EDDSA:
        raise PassFormatError("the pass is not signed with EdDSA")
    kid = header.get(HEADER_KID)
    if not isinstance(kid, bytes) or not kid or len(kid) > 64:
        raise PassFormatError("the pass names no signer key")
    return OpenedPass(
        claims=_claims(body),
        kid=kid.decode("utf-8", "replace"),
        signed_bytes=sig_structure(protected, payload),
        signature=signature,
    )


def _text(body: dict[object, object], key: int, limit: int, *, required: bool = True) -> str:
    value = body.get(key, None if required else "")
    if not isinstance(value, str) or len(value) > limit:
        raise PassFormatError(f"claim {key} is missing or not text")
    return value


def _claims(body: object) -> PassClaims:
    if not isinstance(body, dict) or body.get(VERSION) != FORMAT_VERSION:
        raise PassFormatError("unknown pass format version")
    pass_id, airports, zones = body.get(PASS_ID), body.get(AIRPORTS), body.get(ZONES)
    if not isinstance(pass_id, bytes) or len(pass_id) != 16:
        raise PassFormatError("the pass id is malformed")
    if not isinstance(airports, list) or not all(isinstance(a, str) for a in airports):
        raise PassFormatError("the airports claim is malformed")
    if not isinstance(zones, list) or not all(z in ZONE_NAMES for z in zones):
        raise PassFormatError("the zones claim is malformed")
    return PassClaims(
        pass_id=uuid.UUID(bytes=pass_id),
        issuing_state=_text(body, ISSUER, 3),
        home_state=_text(body, HOME, 3),
        holder_mrz=_text(body, MRZ_NAME, 90),
        holder_native=_text(body, NATIVE_NAME, 200, required=False) or _text(body, MRZ_NAME, 90),
        accreditation=_text(body, ACCREDITATION, 40),
        airports=tuple(airports),
        zones=tuple(ZONE_NAMES[z] for z in zones),
        terminal=_text(body, TERMINAL, 10, required=False),
        valid_from=_moment(body.get(VALID_FROM)),
        valid_until=_moment(body.get(VALID_UNTIL)),
        purpose=_text(body, PURPOSE, 300),
        issued_at=_moment(body.get(ISSUED_AT)),
    )
