"""Envelopes and receipts: compact JWS (RFC 7515) signed with EdDSA (RFC 8037) over a JSON
payload, so that any standard JOSE library can verify them.

``open_envelope`` is the receiver's whole check, in the order that makes each step safe: the
signature and the sender's key before any field is believed, then schema (real dates included),
replay window (of ``created_at`` and of the id's own time), destination and data minimisation.
It raises ``Rejected`` with a stable reason code. Until the signature verified, nothing the
envelope says is repeated in the signed refusal: its details are the node's own words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kervan.db.base import utcnow
from kervan.db.ids import uuid7
from kervan.exchange import compact as jws
from kervan.exchange.keys import SigningKey
from kervan.exchange.message_types import ENVELOPE, MESSAGE_TYPES, RECEIPT, schema_problem
from kervan.exchange.trust import TrustedKey, TrustList, parse_time

ALG = jws.SIGNING_ALG
ALGS = jws.VERIFYING_ALGS
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
    sha256: str  # of ``compact``: the log row and the receipt both name the bytes by it


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
        sha256=sha256_hex(compact),
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


MAX_DETAIL = 300  # characters of a refusal's detail, in the receipt and the node's log


class Rejected(Exception):
    """Why an envelope is refused: ``code`` is stable (tests, dashboards), ``detail`` is for
    people. ``verified`` carries the envelope's id and sender once its signature verified with
    the sender's trusted key — and only then may the refusal name them."""

    def __init__(self, code: str, detail: str, verified: dict[str, Any] | None = None):
        super().__init__(f"{code}: {detail[:MAX_DETAIL]}")
        self.code = code
        self.detail = detail[:MAX_DETAIL]
        self.verified = verified is not None
        claimed_id = verified.get("id") if verified else None
        self.claimed_id = str(claimed_id)[:64] if claimed_id else None
        claimed_from = verified.get("from") if verified else None
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
    except jws.MalformedJWS as exc:  # its messages are the codec's own words
        raise Rejected("malformed", f"not a compact JWS: {exc}") from exc
    try:
        payload = json.loads(obj.payload)
    except (ValueError, UnicodeError) as exc:
        raise Rejected("malformed", "the payload is not UTF-8 JSON") from exc
    if not isinstance(payload, dict):
        raise Rejected("malformed", "the payload is not a JSON object")
    return obj, obj.header, payload


def _verify_signature(
    obj: jws.ParsedJWS, header: Mapping[str, Any], payload: dict[str, Any], ctx: ReceiverContext
) -> tuple[str, TrustedKey]:
    """The sender's state and key, once the signature verified with it. Nothing the envelope
    says goes into these refusals' details: they are signed, and it is not verified yet."""
    version = ctx.trust.version
    if header.get("alg") not in ALGS:
        raise Rejected("bad-algorithm", f"alg must be one of {', '.join(sorted(ALGS))}")
    kid = header.get("kid")
    sender = kid.split(":", 1)[0] if isinstance(kid, str) else ""
    if sender not in ctx.trust.nodes:
        raise Rejected("unknown-sender", f"the key's state has no node on trust list v{version}")
    trusted = ctx.trust.key(str(kid))
    if trusted is None:
        raise Rejected("unknown-key", f"the key is not on trust list v{version}")
    if not obj.verifies_with(trusted.key.public_key):
        raise Rejected("bad-signature", "the signature does not verify with the named key")
    if payload.get("from") != sender:
        claimed = str(payload.get("from"))[:8]
        raise Rejected(
            "sender-mismatch",
            f"signed by {sender}, claims to be from {claimed!r}",
            {"id": payload.get("id"), "from": sender},
        )
    return sender, trusted


# A string that looks like a date or a time must be a real one: a JSON Schema "format" checker
# and Python's parser disagree at the edges (a leap second, year 0), and what the receiver stores
# it parses with Python. Found by one scan of the payload's bytes (a walk of every value in
# Python cost as much as a signature check); a payload with \u escapes, which could spell a
# date the scan does not see, is walked instead.
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(T.*)?")
_QUOTED_DATE = re.compile(rb'"(\d{4}-\d{2}-\d{2}(?:T[^"\\]{0,40})?)"')


def _not_real(text: str) -> str | None:
    try:
        dt.date.fromisoformat(text) if len(text) == 10 else parse_time(text)
    except ValueError:
        return f"{text[:40]!r} is not a real date or time"
    return None


def _unreal_date(raw: bytes, payload: Any) -> str | None:
    if b"\\u" in raw:
        return _unreal_date_walk(payload)
    for found in _QUOTED_DATE.finditer(raw):
        problem = _not_real(found[1].decode("ascii"))
        if problem:
            return problem
    return None


def _unreal_date_walk(value: Any) -> str | None:
    if isinstance(value, str):
        return _not_real(value) if len(value) <= 40 and _DATE_LIKE.fullmatch(value) else None
    if isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            problem = _unreal_date_walk(item)
            if problem:
                return problem
    return None


def _id_time(envelope_id: str) -> dt.datetime:
    """A UUIDv7's time: its first 48 bits, milliseconds since the Unix epoch (RFC 9562)."""
    return dt.datetime.fromtimestamp((uuid.UUID(envelope_id).int >> 80) / 1000, dt.UTC)


def _check_times(
    payload: dict[str, Any], ctx: ReceiverContext, claimed: dict[str, Any]
) -> dt.datetime:
    """``created_at`` (returned) and the id's time both inside the replay window: the id orders
    the sender's reports ("newest wins"), so an id from the far future would freeze a record."""
    created_at = parse_time(payload["created_at"])
    assert created_at is not None  # the schema requires it
    if created_at < ctx.now - ctx.replay_window:
        raise Rejected(
            "too-old", f"created {payload['created_at']}, outside the replay window", claimed
        )
    if created_at > ctx.now + ctx.clock_skew:
        raise Rejected(
            "from-the-future", f"created {payload['created_at']}, ahead of our clock", claimed
        )
    id_time = _id_time(payload["id"])
    if not ctx.now - ctx.replay_window <= id_time <= ctx.now + ctx.clock_skew:
        raise Rejected(
            "id-out-of-window",
            f"the id's time {iso(id_time)} is outside the replay window",
            claimed,
        )
    return created_at


def _check_payload(raw: bytes, payload: dict[str, Any], claimed: dict[str, Any]) -> None:
    problem = schema_problem(ENVELOPE, 1, payload) or _unreal_date(raw, payload)
    if problem:
        raise Rejected("schema", problem, claimed)


def open_envelope(compact: str, ctx: ReceiverContext) -> Envelope:
    obj, header, payload = _unverified(compact)
    if header.get("typ") != ENVELOPE_TYP:
        raise Rejected("wrong-typ", f"typ must be {ENVELOPE_TYP}")
    sender, key = _verify_signature(obj, header, payload, ctx)
    claimed = {"id": payload.get("id"), "from": sender}
    _check_payload(obj.payload, payload, claimed)
    created_at = _check_times(payload, ctx, claimed)
    key_problem = key.problem_at(created_at) or key.problem_at(ctx.now)
    if key_problem:
        raise Rejected("key-not-valid", key_problem, claimed)
    message_type = MESSAGE_TYPES.get(payload["type"])
    if message_type is None or payload["schema"] not in message_type.versions:
        raise Rejected(
            "unknown-type", f"{payload['type']} v{payload['schema']} is not known", claimed
        )
    problem = schema_problem(payload["type"], payload["schema"], payload["body"])
    if problem:
        raise Rejected("schema", problem, claimed)
    if payload["to"] != ctx.me:
        raise Rejected(
            "wrong-destination", f"addressed to {payload['to']}, this is {ctx.me}", claimed
        )
    problem = message_type.may_receive(payload, ctx.me)
    if problem:
        raise Rejected("not-for-this-node", problem, claimed)
    return _envelope(payload, created_at, key.kid, compact)


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
    envelope_sha256: str | None = None,
) -> str:
    """The hash binds the receipt to the exact bytes received, so it proves what arrived
    (``envelope_sha256`` when the caller has it already: the hash of ``envelope_compact``)."""
    payload = {
        "id": str(uuid7()),
        "type": RECEIPT,
        "schema": 1,
        "from": signing.state,
        "to": to_state,
        "created_at": iso(now),
        "envelope_id": envelope_id,
        "envelope_sha256": envelope_sha256 or sha256_hex(envelope_compact),
        "status": status,
        "reason": reason,
        "detail": detail[:MAX_DETAIL],
    }
    return _sign(signing, RECEIPT_TYP, payload)


class BadReceipt(Exception):
    pass


RECEIPT_STATUSES = ("accepted", "superseded", "rejected")


def open_receipt(compact: str, trust: TrustList, now: dt.datetime | None = None) -> Receipt:
    """A receipt checked like an envelope: strictly parsed, signed by a key on the trust list
    that was valid when the receipt was made and still is (not revoked, not expired)."""
    try:
        obj = jws.parse(compact)
        header = obj.header
        payload = json.loads(obj.payload)
    except (ValueError, UnicodeError) as exc:
        raise BadReceipt(f"malformed receipt ({str(exc)[:200]})") from exc
    kid = str(header.get("kid", ""))[:80]
    key = trust.key(kid)
    if header.get("typ") != RECEIPT_TYP or header.get("alg") not in ALGS or key is None:
        raise BadReceipt(f"receipt by {kid!r} is not a receipt by a key on the trust list")
    if not obj.verifies_with(key.key.public_key):
        raise BadReceipt(f"receipt signature does not verify with {kid}")
    problem = _receipt_problem(payload)
    if problem or payload["from"] != key.state:
        raise BadReceipt(problem or f"receipt from {str(payload['from'])[:8]} signed by {kid}")
    try:
        created_at = parse_time(payload["created_at"])
        assert created_at is not None
    except (ValueError, AssertionError) as exc:
        raise BadReceipt("receipt created_at is not a time") from exc
    key_problem = key.problem_at(created_at) or key.problem_at(now or utcnow())
    if key_problem:
        raise BadReceipt(key_problem)
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
    if payload["type"] != RECEIPT or payload["status"] not in RECEIPT_STATUSES:
        return "not a receipt, or an unknown status"
    try:
        uuid.UUID(payload["id"])
    except ValueError:
        return "receipt id is not a UUID"
    if not isinstance(payload.get("envelope_id"), str | None) or "reason" not in payload:
        return "receipt envelope_id or reason malformed"
    return None
