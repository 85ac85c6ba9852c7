"""Proof from the stored copies: who sent an envelope, what it said, when, and that the
receiver acknowledged exactly those bytes. Checked against every trust list this node has
accepted, since the keys may have been rotated since, with the same strict codec as the inbox
(the tests check the same bytes with two independent JOSE libraries)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Principal
from kervan.errors import NotFound
from kervan.exchange import compact as codec
from kervan.exchange import trust
from kervan.exchange.envelopes import RECEIPT_STATUSES, sha256_hex
from kervan.exchange.models import ExchangeMessage, ReplacedEnvelope, TrustListVersion
from kervan.exchange.trust import TrustedKey, TrustList
from kervan.messages import RECORD_NOT_FOUND


@dataclass
class Evidence:
    message_id: uuid.UUID
    facts: dict[str, Any] = field(default_factory=dict)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append((name, ok, detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": str(self.message_id),
            "proven": self.proven,
            "facts": self.facts,
            "checks": [{"check": n, "ok": ok, "detail": d} for n, ok, d in self.checks],
        }


def _trust_lists(session: Session) -> list[TrustList]:
    rows = session.scalars(select(TrustListVersion).order_by(TrustListVersion.version.desc()))
    return [trust.parse_content(trust.content_of(json.loads(r.document))) for r in rows]


def _find_key(lists: list[TrustList], kid: str) -> tuple[TrustedKey, int] | None:
    for listed in lists:
        key = listed.key(kid)
        if key is not None:
            return key, listed.version
    return None


def _verify_jws(
    evidence: Evidence, name: str, compact: str, lists: list[TrustList]
) -> dict[str, Any] | None:
    try:
        parsed = codec.parse(compact)  # canonical encoding, as a receiver demands
        payload = json.loads(parsed.payload)
    except (codec.MalformedJWS, ValueError) as exc:
        evidence.check(name, False, f"not a compact JWS ({exc})")
        return None
    if not isinstance(payload, dict):
        evidence.check(name, False, "the payload is not a JSON object")
        return None
    kid = str(parsed.header.get("kid", ""))[:80]
    found = _find_key(lists, kid)
    if found is None:
        evidence.check(name, False, f"key {kid} is in no trust list this node accepted")
        return None
    key, version = found
    try:
        created = trust.parse_time(payload.get("created_at"))
    except ValueError:
        created = None
    problem = key.problem_at(created) if created else "no created_at"
    valid = parsed.verifies_with(key.key.public_key)
    ok = valid and problem is None and payload.get("from") == key.state
    detail = f"signed by {kid} (trust list v{version})" if ok else (problem or "bad signature")
    evidence.check(name, ok, detail)
    return payload


def read_evidence(session: Session, principal: Principal, message_id: uuid.UUID) -> Evidence:
    """An officer reads a message's proof: the envelope names a person, so the read is
    audited (the CLI's ``kervan exchange verify`` is the operator's own tool)."""
    evidence = verify_message(session, message_id)
    audit.record(
        session,
        principal,
        "exchange.evidence.read",
        record_type="exchange_message",
        record_id=message_id,
        details={"proven": evidence.proven},
    )
    return evidence


def verify_message(session: Session, message_id: uuid.UUID) -> Evidence:
    message = session.get(ExchangeMessage, message_id)
    if message is None:
        raise NotFound(
            f"no envelope {message_id} in the message log",
            code=RECORD_NOT_FOUND,
            params={"id": str(message_id)},
        )
    evidence = Evidence(message_id)
    lists = _trust_lists(session)
    payload = _verify_jws(evidence, "envelope signature", message.envelope, lists)
    if payload is not None:
        evidence.facts["envelope"] = {
            k: payload.get(k)
            for k in ("id", "type", "schema", "from", "to", "created_at", "subject")
        }
        evidence.check(
            "envelope id",
            payload.get("id") == str(message_id),
            f"the signed payload says {payload.get('id')}",
        )
    evidence.facts["direction"] = message.direction
    if message.receipt is None:
        evidence.check("receipt", False, "no receipt stored yet (not delivered)")
        return evidence
    receipt = _verify_jws(evidence, "receipt signature", message.receipt, lists)
    if receipt is not None:
        evidence.facts["receipt"] = {
            k: receipt.get(k) for k in ("id", "from", "to", "created_at", "status", "reason")
        }
        digest = sha256_hex(message.envelope)
        evidence.check(
            "receipt covers these bytes",
            receipt.get("envelope_sha256") == digest
            and receipt.get("envelope_id") == str(message_id),
            f"receipt names {receipt.get('envelope_id')} / sha256 {receipt.get('envelope_sha256')}",
        )
        evidence.check(
            "receipt status",
            receipt.get("status") in RECEIPT_STATUSES[:2],
            str(receipt.get("status")),
        )
    _replaced(session, evidence, message_id)
    return evidence


def _replaced(session: Session, evidence: Evidence, message_id: uuid.UUID) -> None:
    """Earlier envelopes of the same message, refused for their key and signed again."""
    earlier = session.scalars(
        select(ReplacedEnvelope)
        .where(ReplacedEnvelope.message_id == message_id)
        .order_by(ReplacedEnvelope.replaced_at)
    ).all()
    if earlier:
        evidence.facts["replaced"] = [
            {
                "envelope_sha256": r.envelope_sha256,
                "receipt_status": r.receipt_status,
                "receipt_reason": r.receipt_reason,
                "replaced_at": r.replaced_at.isoformat(),
            }
            for r in earlier
        ]
