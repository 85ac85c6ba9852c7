"""The exchange's test vectors (``docs/exchange/vectors/``): a trust list, an envelope and its
receipt made by Kervan's own code from fixed keys, ids and times. Ed25519 signatures are
deterministic, so the same inputs give the same bytes: ``test_vectors.py`` fails when the code
and the published vectors drift apart. Write them again with
``python -m tests.unit.exchange.vectors``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import OKPKey

from kervan.demo.trust_setup import key_entry, signed, trust_content
from kervan.exchange import compact
from kervan.exchange.envelopes import (
    RECEIPT_TYP,
    envelope_payload,
    iso,
    sha256_hex,
    sign_envelope,
)
from kervan.exchange.keys import SigningKey
from kervan.exchange.message_types import RECEIPT

FOLDER = Path(__file__).resolve().parents[3] / "docs" / "exchange" / "vectors"
STATES = ("OTS", "KAZ", "UZB", "TUR")
ENDPOINTS = {s: f"https://{s.lower()}.kervan.example" for s in STATES}
KEYS_VALID_FROM = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
ISSUED_AT = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
CREATED_AT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
RECEIVED_AT = dt.datetime(2026, 12, 1, 8, 0, 2, tzinfo=dt.UTC)
# A verifier checks the vectors as if it were this moment (inside every window).
VERIFY_AT = dt.datetime(2026, 12, 1, 8, 1, tzinfo=dt.UTC)


def _uuid7(at: dt.datetime, tail: int) -> uuid.UUID:
    """A UUIDv7 of ``at`` with fixed 'random' bits: reproducible, and well formed (RFC 9562)."""
    millis = int(at.timestamp() * 1000)
    return uuid.UUID(int=(millis << 80) | (0x7 << 76) | (0b10 << 62) | tail)


ENVELOPE_ID = _uuid7(CREATED_AT, 0x0A1B2C3D4E5F)
RECEIPT_ID = _uuid7(RECEIVED_AT, 0x0F0E0D0C0B0A)


def test_key(state: str) -> SigningKey:
    """A key from a published seed: for the vectors only, never for a node."""
    seed = hashlib.sha256(f"kervan exchange test vector key {state}".encode()).digest()
    private = Ed25519PrivateKey.from_private_bytes(seed)
    kid = f"{state}:20261101-vector"
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": compact.b64url(private.public_key().public_bytes_raw()),
        "d": compact.b64url(seed),
        "kid": kid,
        "use": "sig",
        "alg": "EdDSA",
    }
    return SigningKey(kid, OKPKey.import_key(jwk))


def _body() -> dict[str, Any]:
    return {
        "person": {
            "id": "01938a5e-0000-7000-8000-000000000001",
            "primary_identifier": "KARIMOV",
            "secondary_identifier": "ULUGBEK",
            "nationality": "UZB",
            "birth_year": 1990,
            "travel_document_number": "FA1234567",
        },
        "documents": [
            {
                "id": "01938a5e-0000-7000-8000-000000000002",
                "kind": "temporary_residence",
                "number": "KZ-0001",
                "host_state": "KAZ",
                "purpose": "work",
                "valid_from": "2026-01-01",
                "valid_until": "2027-06-30",
                "status": "active",
            }
        ],
        "event": {
            "kind": "extended",
            "at": "2026-12-01T07:59:59Z",
            "measure_id": None,
            "measure": None,
        },
    }


def build() -> dict[str, str]:
    """File name → content of every vector."""
    keys = {state: test_key(state) for state in STATES}
    content = trust_content(
        1,
        2,
        ENDPOINTS,
        {s: [key_entry(k, KEYS_VALID_FROM)] for s, k in keys.items()},
        ISSUED_AT,
    )
    trust_list = signed(content, [keys[s] for s in STATES])
    payload = envelope_payload(
        id=ENVELOPE_ID,
        type="stay.extended",
        from_state="KAZ",
        to_state="UZB",
        created_at=CREATED_AT,
        subject=("person", "01938a5e-0000-7000-8000-000000000001"),
        body=_body(),
    )
    envelope = sign_envelope(keys["KAZ"], payload)
    receipt_payload = {
        "id": str(RECEIPT_ID),
        "type": RECEIPT,
        "schema": 1,
        "from": "UZB",
        "to": "KAZ",
        "created_at": iso(RECEIVED_AT),
        "envelope_id": str(ENVELOPE_ID),
        "envelope_sha256": sha256_hex(envelope),
        "status": "accepted",
        "reason": None,
        "detail": "",
    }
    receipt = compact.sign(
        keys["UZB"].private_key,
        kid=keys["UZB"].kid,
        typ=RECEIPT_TYP,
        payload=json.dumps(
            receipt_payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode(),
    )
    files = {
        "trust-list.json": _json(trust_list),
        "trust-list.payload.json": _json(content),
        "envelope.jws": envelope + "\n",
        "envelope.payload.json": _json(payload),
        "receipt.jws": receipt + "\n",
        "receipt.payload.json": _json(receipt_payload),
        "verify-at.txt": iso(VERIFY_AT) + "\n",
    }
    for state, key in keys.items():
        files[f"keys/{state}.jwk.json"] = _json(key.key.as_dict(private=True))
    return files


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path = FOLDER) -> None:
    for name, text in build().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


if __name__ == "__main__":
    write()
    print(f"wrote {FOLDER}")
