"""Envelopes and receipts: compact JWS (RFC 7515) signed with EdDSA (RFC 8037) over a JSON
payload, so that any standard JOSE library can verify them.

``open_envelope`` is the receiver's whole check, in the order that makes each step safe: the
signature and the sender's key before any field is believed, then schema, destination, replay
window and data minimisation. It raises ``Rejected`` with a stable reason code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kervan.db.ids import uuid7
from kervan.exchange import compact as jws
from kervan.exchange.keys import SigningKey
from kervan.exchange.message_types import ENVELOPE, MESSAGE_TYPES, RECEIPT, schema_problem
from kervan.exchange.trust import TrustList, parse_time

ALG = "EdDSA"
# The typ header keeps a receipt from being replayed as an envelope and vice versa.
ENVELOPE_TYP = "kervan-envelope+jws"
RECEIPT_TYP = "kervan-receipt+jws"


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(compact: str) -> str:
    return hashlib.sha256(compact.encode()).hexdigest()


def iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _sign(signing: SigningKey, typ: str, payload: dict[str, Any]) -> str:
    return jws.sign(signing.private_key, kid=signing.kid, typ=typ, payload=canonical_json(payload))


@dataclass(frozen=True, slots=True)
class Envelope:
    id: uuid.UUID
    type: str
    schema: int
    from_state: str
    to_state: str
    created_at: dt.datetime
    subject_type: str
    subject_id: str
    body: dict[str, Any]
    kid: str
    compact: str

    @property
    def sha256(self) -> str:
        return sha256_hex(self.compact)


def _envelope(payload: dict[str, Any], created_at: dt.datetime, kid: str, compact: str) -> Envelope:
    return Envelope(
        id=uuid.UUID(payload["id"]),
        type=payload["type"],
        schema=payload["schema"],
        from_state=payload["from"],
        to_state=payload["to"],
        created_at=created_at,
        subject_type=payload["subject"]["type"],
        subject_id=payload["subject"]["id"],
        body=payload["body"],
        kid=kid,
        compact=compact,
    )


def envelope_payload(
    *,
    id: uuid.UUID,
    type: str,
    from_state: str,
    to_state: str,
    created_at: dt.datetime,
    subject: tuple[str, str],
    body: dict[str, Any],
    schema: int = 1,
) -> dict[str, Any]:
    return {
        "id": str(id),
        "type": type,
        "schema": schema,
        "from": from_state,
        "to": to_state,
        "created_at": iso(created_at),
        "subject": {"type": subject[0], "id": subject[1]},
        "body": body,
    }


def sign_envelope(signing: SigningKey, payload: dict[str, Any]) -> str:
    return _sign(signing, ENVELOPE_TYP, payload)


def seal(signing: SigningKey, payload: dict[str, Any]) -> Envelope:
    """Sign ``payload`` and return it as the receiver will see it."""
    created_at = parse_time(payload["created_at"])
    assert created_at is not None
    return _envelope(payload, created_at, signing.kid, sign_envelope(signing, payload))


class Rejected(Exception):
    """Why an envelope is refused: ``code`` is stable (tests, dashboards), ``detail`` is for
    people. ``claimed_id``/``claimed_from`` are what the envelope said, not facts."""

    def __init__(self, code: str, detail: str, payload: dict[str, Any] | None = None):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.claimed_id = str(payload.get("id"))[:64] if payload and payload.get("id") else None
        claimed_from = payload.get("from") if payload else None
        self.claimed_from = claimed_from if isinstance(claimed_from, str) else None


@dataclass(frozen=True, slots=True)
class ReceiverContext:
    me: str
    trust: TrustList
    now: dt.datetime
    replay_window: dt.timedelta
    clock_skew: dt.timedelta


def _unverified(compact: str) -> tuple[jws.ParsedJWS, Mapping[str, Any], dict[str, Any]]:
    try:
        obj = jws.parse(compact)
        payload = json.loads(obj.payload)
    except (ValueError, UnicodeError) as exc:
        raise Rejected("malformed", f"not a compact JWS with a JSON payload ({exc})") from exc
    if not isinstance(payload, dict):
        raise Rejected("malformed", "the payload is not a JSON object")
    return obj, obj.header, payload


def _verify_signature(
    obj: jws.ParsedJWS, header: Mapping[str, Any], payload: dict[str, Any], ctx: ReceiverContext
) -> None:
    if header.get("alg") != ALG:
        raise Rejected("bad-algorithm", f"alg must be {ALG}, not {header.get('alg')!r}", payload)
    kid = str(header.get("kid", ""))
    sender = kid.split(":", 1)[0]
    if sender not in ctx.trust.nodes:
        raise Rejected(
            "unknown-sender", f"{sender!r} is not in trust list v{ctx.trust.version}", payload
        )
    trusted = ctx.trust.key(kid)
    if trusted is None:
        raise Rejected(
            "unknown-key", f"key {kid} is not in trust list v{ctx.trust.version}", payload
        )
    if not obj.verifies_with(trusted.key.public_key):
        raise Rejected("bad-signature", f"the signature does not verify with {kid}", payload)
    if payload.get("from") != sender:
        raise Rejected(
            "sender-mismatch",
            f"signed by {sender}, claims to be from {payload.get('from')}",
            payload,
        )


def open_envelope(compact: str, ctx: ReceiverContext) -> Envelope:
    obj, header, payload = _unverified(compact)
    if header.get("typ") != ENVELOPE_TYP:
        raise Rejected("wrong-typ", f"typ must be {ENVELOPE_TYP}", payload)
    _verify_signature(obj, header, payload, ctx)
    problem = schema_problem(ENVELOPE, 1, payload)
    if problem:
        raise Rejected("schema", problem, payload)
    created_at = parse_time(payload["created_at"])
    assert created_at is not None  # the schema requires it
    if created_at < ctx.now - ctx.replay_window:
        raise Rejected(
            "too-old", f"created {payload['created_at']}, outside the replay window", payload
        )
    if created_at > ctx.now + ctx.clock_skew:
        raise Rejected(
            "from-the-future", f"created {payload['created_at']}, ahead of our clock", payload
        )
    key = ctx.trust.key(str(header["kid"]))
    assert key is not None
    key_problem = key.problem_at(created_at) or key.problem_at(ctx.now)
    if key_problem:
        raise Rejected("key-not-valid", key_problem, payload)
    message_type = MESSAGE_TYPES.get(payload["type"])
    if message_type is None or payload["schema"] not in message_type.versions:
        raise Rejected(
            "unknown-type", f"{payload['type']} v{payload['schema']} is not known", payload
        )
    problem = schema_problem(payload["type"], payload["schema"], payload["body"])
    if problem:
        raise Rejected("schema", problem, payload)
    if payload["to"] != ctx.me:
        raise Rejected(
            "wrong-destination", f"addressed to {payload['to']}, this is {ctx.me}", payload
        )
    problem = message_type.may_receive(payload, ctx.me)
    if problem:
        raise Rejected("not-for-this-node", problem, payload)
    return _envelope(payload, created_at, str(header["kid"]), compact)


# ----------------------------------------------------------------------------------------------
# Receipts


@dataclass(frozen=True, slots=True)
class Receipt:
    id: uuid.UUID
    from_state: str
    to_state: str
    created_at: dt.datetime
    envelope_id: str | None
    envelope_sha256: str
    status: str
    reason: str | None
    detail: str
    kid: str
    compact: str


def sign_receipt(
    signing: SigningKey,
    *,
    to_state: str,
    envelope_compact: str,
    envelope_id: str | None,
    status: str,
    reason: str | None = None,
    detail: str = "",
    now: dt.datetime,
) -> str:
    """The hash binds the receipt to the exact bytes received, so it proves what arrived."""
    payload = {
        "id": str(uuid7()),
        "type": RECEIPT,
        "schema": 1,
        "from": signing.state,
        "to": to_state,
        "created_at": iso(now),
        "envelope_id": envelope_id,
        "envelope_sha256": sha256_hex(envelope_compact),
        "status": status,
        "reason": reason,
        "detail": detail[:1000],
    }
    return _sign(signing, RECEIPT_TYP, payload)


class BadReceipt(Exception):
    pass


def open_receipt(compact: str, trust: TrustList) -> Receipt:
    """A receipt checked against the trust list (its signer, its key, its shape)."""
    try:
        obj = jws.parse(compact)
        header = obj.header
        payload = json.loads(obj.payload)
    except (ValueError, UnicodeError) as exc:
        raise BadReceipt(f"malformed receipt ({exc})") from exc
    kid = str(header.get("kid", ""))
    key = trust.key(kid)
    if header.get("typ") != RECEIPT_TYP or header.get("alg") != ALG or key is None:
        raise BadReceipt(f"receipt header {dict(header)} is not a receipt by a trusted key")
    if not obj.verifies_with(key.key.public_key):
        raise BadReceipt(f"receipt signature does not verify with {kid}")
    problem = _receipt_problem(payload)
    if problem or payload["from"] != key.state:
        raise BadReceipt(problem or f"receipt from {payload['from']} signed by {kid}")
    created_at = parse_time(payload["created_at"])
    assert created_at is not None
    return Receipt(
        id=uuid.UUID(payload["id"]),
        from_state=payload["from"],
        to_state=payload["to"],
        created_at=created_at,
        envelope_id=payload["envelope_id"],
        envelope_sha256=payload["envelope_sha256"],
        status=payload["status"],
        reason=payload["reason"],
        detail=payload["detail"],
        kid=kid,
        compact=compact,
    )


RECEIPT_FIELDS = {
    "id": str,
    "type": str,
    "schema": int,
    "from": str,
    "to": str,
    "created_at": str,
    "envelope_sha256": str,
    "status": str,
    "detail": str,
}


def _receipt_problem(payload: Any) -> str | None:
    """The fields the sender relies on, checked by hand: a receipt is already known to be signed
    by a trusted peer here, and the full JSON Schema check costs more than the signature. A test
    keeps this in step with ``receipt.v1.json``."""
    if not isinstance(payload, dict):
        return "the receipt payload is not an object"
    for name, kind in RECEIPT_FIELDS.items():
        if not isinstance(payload.get(name), kind):
            return f"receipt field {name} missing or not a {kind.__name__}"
    if payload["type"] != RECEIPT or payload["status"] not in ("accepted", "rejected"):
        return "not a receipt, or an unknown status"
    if not isinstance(payload.get("envelope_id"), str | None) or "reason" not in payload:
        return "receipt envelope_id or reason malformed"
    return None
