"""Verifying passes on the node (API, CLI) and what the offline verifier page downloads: the
signer keys of the trust list, the signed revocation list, and the scans it sends back."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.diplomacy.models import PassScan
from kervan.diplomacy.passes import revoked_ids
from kervan.diplomacy.schemas import ScanIn, VerifyResult
from kervan.diplomacy.verification import Post, SignerKey, Verdict, verify_pass
from kervan.exchange.envelopes import iso
from kervan.exchange.keys import public_jwk
from kervan.exchange.trust import TrustList
from kervan.registry.codes import SECRETARIAT


def signer_lookup(trust: TrustList) -> Callable[[str], SignerKey | None]:
    def lookup(kid: str) -> SignerKey | None:
        found = trust.key(kid)
        if found is None or found.state == SECRETARIAT:
            return None
        public = found.key.public_key
        if not isinstance(public, Ed25519PublicKey):
            return None
        return SignerKey(found.kid, found.state, public, found.problem_at)

    return lookup


def result_of(verdict: Verdict) -> VerifyResult:
    c = verdict.claims
    fields: dict[str, Any] = {}
    if c is not None:
        fields = {
            "pass_id": c.pass_id,
            "holder_mrz": c.holder_mrz,
            "holder_native": c.holder_native,
            "issuing_state": c.issuing_state,
            "home_state": c.home_state,
            "accreditation": c.accreditation,
            "airports": list(c.airports),
            "zones": list(c.zones),
            "terminal": c.terminal or None,
            "valid_from": c.valid_from,
            "valid_until": c.valid_until,
            "purpose": c.purpose,
            "kid": verdict.kid,
        }
    return VerifyResult(
        valid=verdict.ok, reason=verdict.reason.value, detail=verdict.detail, **fields
    )


def verify(
    session: Session,
    principal: Principal,
    text: str,
    post: Post,
    *,
    trust: TrustList,
    node_state: str,
    now: dt.datetime,
) -> VerifyResult:
    """Check a pass against the trust list and this node's revocations (passes of other
    states are checked against revocations this node has heard of), audited."""
    require(principal, Permission.PASSES_VERIFY)
    revoked = {uuid.UUID(i) for i in revoked_ids(session, node_state, now)}
    revoked |= _received_revocations(session, now)
    verdict = verify_pass(text, signer=signer_lookup(trust), revoked=revoked, now=now, post=post)
    audit.record(
        session,
        principal,
        "pass.verified",
        record_type="diplomatic_pass",
        record_id=verdict.claims.pass_id if verdict.claims else "",
        outcome="ok" if verdict.ok else "refused",
        details={"reason": verdict.reason.value, "airport": post.airport, "zone": post.zone},
    )
    return result_of(verdict)


def _received_revocations(session: Session, now: dt.datetime) -> set[uuid.UUID]:
    from kervan.diplomacy.models import DiplomaticPass

    rows = session.scalars(
        select(DiplomaticPass.id).where(
            DiplomaticPass.revoked_at.is_not(None), DiplomaticPass.valid_until > now
        )
    )
    return set(rows)


def signer_keys(trust: TrustList) -> dict[str, Any]:
    """The member states' public keys as the verifier page keeps them (no secretariat key:
    it signs trust lists, never passes)."""
    keys = [
        {
            "kid": key.kid,
            "state": key.state,
            "x": public_jwk(key.key)["x"],
            "valid_from": iso(key.valid_from),
            "valid_until": iso(key.valid_until) if key.valid_until else None,
            "revoked_at": iso(key.revoked_at) if key.revoked_at else None,
        }
        for node in trust.nodes.values()
        if node.state != SECRETARIAT
        for key in node.keys
    ]
    return {"trust_list_version": trust.version, "keys": keys}


def record_scans(
    session: Session, principal: Principal, scans: list[ScanIn], *, now: dt.datetime
) -> int:
    """Keep the scans a verifier made offline (each once, by its device-made id), audited."""
    require(principal, Permission.PASSES_VERIFY)
    ids = [s.id for s in scans]
    known = set(session.scalars(select(PassScan.id).where(PassScan.id.in_(ids))))
    fresh = {s.id: s for s in scans if s.id not in known}
    for scan in fresh.values():
        if scan.scanned_at.tzinfo is None:
            scan.scanned_at = scan.scanned_at.replace(tzinfo=dt.UTC)
        session.add(
            PassScan(
                id=scan.id,
                device_id=scan.device_id,
                pass_id=scan.pass_id,
                scanned_at=scan.scanned_at,
                airport=scan.airport,
                zone=scan.zone,
                verdict=scan.verdict,
                holder=scan.holder,
                officer=principal.username,
                received_at=now,
            )
        )
        audit.record(
            session,
            principal,
            "pass.scanned",
            record_type="diplomatic_pass",
            record_id=scan.pass_id or "",
            outcome="ok" if scan.verdict == "valid" else "refused",
            details={
                "device": scan.device_id,
                "verdict": scan.verdict,
                "airport": scan.airport,
                "zone": scan.zone,
                "at": iso(scan.scanned_at),
            },
        )
    session.flush()
    return len(fresh)
