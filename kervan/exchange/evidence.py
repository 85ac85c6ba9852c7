"""Proof from the stored copies: who sent an envelope, what it said, when, and that the
receiver acknowledged exactly those bytes. Checked against every trust list this node has
accepted, since the keys may have been rotated since, with the same strict codec as the inbox
(the tests check the same bytes with two independent JOSE libraries)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Principal
from kervan.errors import NotFound
from kervan.exchange import compact as codec
from kervan.exchange import messages, trust
from kervan.exchange.envelopes import RECEIPT_STATUSES, sha256_hex
from kervan.exchange.models import ExchangeMessage, ReplacedEnvelope, TrustListVersion
from kervan.exchange.trust import TrustedKey, TrustList
from kervan.messages import RECORD_NOT_FOUND


class ProofCheck(NamedTuple):
    """One check of a proof: its name (``views.labels.CHECKS``), whether it passed, and what it
    found, in English and as a code with params (``kervan.exchange.messages``)."""

    name: str
    ok: bool
    detail: str
    code: str = ""
    params: dict[str, Any] = {}


@dataclass
class Evidence:
    message_id: uuid.UUID
    facts: dict[str, Any] = field(default_factory=dict)
    checks: list[ProofCheck] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def check(self, name: str, ok: bool, detail: str, code: str, **params: Any) -> None:
        self.checks.append(ProofCheck(name, ok, detail, code, params))

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": str(self.message_id),
            "proven": self.proven,
            "facts": self.facts,
            "checks": [
                {
                    "check": c.name,
                    "ok": c.ok,
                    "detail": c.detail,
                    "code": c.code,
                    "params": c.params,
                }
                for c in self.checks
            ],
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
        evidence.check(name, False, f"not a compact JWS ({exc})", messages.PROOF_NOT_JWS)
        return None
    if not isinstance(payload, dict):
        evidence.check(name, False, "the payload is not a JSON object", messages.PROOF_NOT_OBJECT)
        return None
    kid = str(parsed.header.get("kid", ""))[:80]
    found = _find_key(lists, kid)
    if found is None:
        detail = f"key {kid} is in no trust list this node accepted"
        evidence.check(name, False, detail, messages.PROOF_UNKNOWN_KEY, kid=kid)
        return None
    key, version = found
    try:
        created = trust.parse_time(payload.get("created_at"))
    except ValueError:
        created = None
    problem = key.problem_at(created) if created else "no created_at"
    valid = parsed.verifies_with(key.key.public_key)
    ok = valid and problem is None and payload.get("from") == key.state
    if ok:
        detail = f"signed by {kid} (trust list v{version})"
        evidence.check(name, ok, detail, messages.PROOF_SIGNED_BY, kid=kid, version=version)
    elif problem is not None:
        evidence.check(name, ok, problem, messages.PROOF_KEY_NOT_VALID, kid=kid, problem=problem)
    else:
        evidence.check(name, ok, "bad signature", messages.PROOF_BAD_SIGNATURE, kid=kid)
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
        same = payload.get("id") == str(message_id)
        evidence.check(
            "envelope id",
            same,
            f"the signed payload says {payload.get('id')}",
            messages.PROOF_SAME_ID if same else messages.PROOF_OTHER_ID,
            id=str(payload.get("id")),
        )
    evidence.facts["direction"] = message.direction
    if message.receipt is None:
        detail = "no receipt stored yet (not delivered)"
        evidence.check("receipt", False, detail, messages.PROOF_NO_RECEIPT)
        return evidence
    receipt = _verify_jws(evidence, "receipt signature", message.receipt, lists)
    if receipt is not None:
        evidence.facts["receipt"] = {
            k: receipt.get(k) for k in ("id", "from", "to", "created_at", "status", "reason")
        }
        digest = sha256_hex(message.envelope)
        covers = receipt.get("envelope_sha256") == digest and receipt.get("envelope_id") == str(
            message_id
        )
        evidence.check(
            "receipt covers these bytes",
            covers,
            f"receipt names {receipt.get('envelope_id')} / sha256 {receipt.get('envelope_sha256')}",
            messages.PROOF_RECEIPT_COVERS if covers else messages.PROOF_RECEIPT_OTHER,
            sha256=str(receipt.get("envelope_sha256")),
        )
        status = str(receipt.get("status"))
        evidence.check(
            "receipt status",
            status in RECEIPT_STATUSES[:2],
            status,
            messages.RECEIPT_STATUS_CODES.get(status, messages.PROOF_RECEIPT_UNKNOWN),
            status=status,
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
