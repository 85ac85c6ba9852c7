"""The trust list: every node's state, endpoint and public keys with their validity, signed.

It travels as a JWS in the General JSON Serialization (RFC 7515 §7.2.1) so that several states
can co-sign the same bytes one after another. A new version is accepted only when it is newer
(higher ``version`` *and* later ``issued_at``) and is signed by the secretariat *and* by
``threshold`` member states, counted with the keys and the threshold of the version already
trusted — a change cannot lower its own bar or bring its own signers.

Each co-signing key is judged by the list in force at the time of checking, never at a date
the candidate claims (its ``issued_at`` is chosen by its signers: a back-dated list would
otherwise make a since-revoked key count again). A key that the list in force marks revoked
never counts, whatever the date, and no later version may reinstate it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from kervan.errors import InvalidInput
from kervan.exchange import compact, messages
from kervan.exchange.keys import SigningKey
from kervan.registry.codes import SECRETARIAT

ALG = compact.SIGNING_ALG
# A trust list names some tens of nodes; one this large is not one (and would be parsed whole).
MAX_DOCUMENT_CHARS = 1_000_000


def _b64decode(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("a base64url member is not a string")
    return compact.b64url_decode(value)


def parse_time(value: str | None) -> dt.datetime | None:
    """An RFC 3339 time (``Z`` or an offset; none means UTC). Raises ``ValueError`` for a
    string that is not a real time (``T25:00:00Z``, ``2031-02-30``)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class TrustedKey:
    kid: str
    state: str
    key: OKPKey
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None

    def problem_at(self, at: dt.datetime) -> str | None:
        """Why this key may not have signed something at ``at`` (None if it may have)."""
        if self.revoked_at is not None and at >= self.revoked_at:
            return f"key {self.kid} was revoked at {self.revoked_at.isoformat()}"
        if at < self.valid_from:
            return f"key {self.kid} is not valid before {self.valid_from.isoformat()}"
        if self.valid_until is not None and at > self.valid_until:
            return f"key {self.kid} expired at {self.valid_until.isoformat()}"
        return None


@dataclass(frozen=True, slots=True)
class Node:
    state: str
    endpoint: str
    keys: tuple[TrustedKey, ...]


@dataclass(frozen=True)
class TrustList:
    version: int
    issued_at: dt.datetime
    threshold: int
    nodes: dict[str, Node]
    content: dict[str, Any] = field(repr=False)

    def key(self, kid: str) -> TrustedKey | None:
        state = kid.split(":", 1)[0]
        node = self.nodes.get(state)
        if node is None:
            return None
        return next((k for k in node.keys if k.kid == kid), None)

    def endpoint(self, state: str) -> str | None:
        node = self.nodes.get(state)
        return node.endpoint if node else None


def _trusted_key(state: str, entry: dict[str, Any]) -> TrustedKey:
    jwk = entry["jwk"]
    if "d" in jwk:
        raise InvalidInput(
            "the trust list contains a private key; only public keys belong there",
            code=messages.TRUST_PRIVATE_KEY,
        )
    kid = jwk.get("kid", "")
    if kid.split(":", 1)[0] != state:
        raise InvalidInput(
            f"key {kid!r} is listed under {state}; kid must be '{state}:<key-id>'",
            code=messages.TRUST_KID_STATE,
            params={"kid": kid, "state": state},
        )
    valid_from = parse_time(entry.get("valid_from"))
    if valid_from is None:
        raise InvalidInput(
            f"key {kid} has no valid_from", code=messages.TRUST_NO_VALID_FROM, params={"kid": kid}
        )
    return TrustedKey(
        kid=kid,
        state=state,
        key=OKPKey.import_key(jwk),
        valid_from=valid_from,
        valid_until=parse_time(entry.get("valid_until")),
        revoked_at=parse_time(entry.get("revoked_at")),
    )


def parse_content(content: dict[str, Any]) -> TrustList:
    try:
        nodes = {
            n["state"]: Node(
                n["state"], n["endpoint"], tuple(_trusted_key(n["state"], k) for k in n["keys"])
            )
            for n in content["nodes"]
        }
        issued_at = parse_time(content["issued_at"])
        assert issued_at is not None
        trust = TrustList(
            int(content["version"]), issued_at, int(content["threshold"]), nodes, content
        )
    except (KeyError, TypeError, ValueError, AssertionError, AttributeError, JoseError) as exc:
        raise InvalidInput(
            f"the trust list is malformed: {exc!r}", code=messages.TRUST_MALFORMED
        ) from exc
    if SECRETARIAT not in nodes:
        raise InvalidInput(
            "the trust list has no secretariat node", code=messages.TRUST_NO_SECRETARIAT
        )
    members = len(nodes) - 1
    if not 1 <= trust.threshold <= max(members, 1):
        raise InvalidInput(
            f"threshold {trust.threshold} is not between 1 and {members} members",
            code=messages.TRUST_THRESHOLD,
            params={"threshold": trust.threshold, "members": members},
        )
    return trust


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# ----------------------------------------------------------------------------------------------
# Signing: a draft (plain JSON) or an already signed list gets one more signature.


def load_document(text: str) -> dict[str, Any]:
    """A signed list ``{"payload", "signatures"}``, or a draft wrapped as one with none yet.
    Raises ``ValueError`` for anything else (too large, not JSON, members of the wrong kind)."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ValueError(f"a trust list is at most {MAX_DOCUMENT_CHARS} characters")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a trust list is a JSON object")
    if "payload" in data and "signatures" in data:
        if not isinstance(data["signatures"], list) or not all(
            isinstance(s, dict) for s in data["signatures"]
        ):
            raise ValueError("signatures must be a list of objects")
        _b64decode(data["payload"])  # canonical base64url, like every other segment
        return dict(data)
    parse_content(data)  # refuse to start collecting signatures on a malformed draft
    payload = base64.urlsafe_b64encode(canonical(data)).rstrip(b"=").decode()
    return {"payload": payload, "signatures": []}


def content_of(document: dict[str, Any]) -> dict[str, Any]:
    content = json.loads(_b64decode(document["payload"]))
    if not isinstance(content, dict):
        raise ValueError("the trust list's payload is not a JSON object")
    return content


def sign(document: dict[str, Any], signing: SigningKey) -> dict[str, Any]:
    """Add ``signing``'s signature over the same payload bytes (co-signing)."""
    payload = _b64decode(document["payload"])
    flat = jws.serialize_json(
        {"protected": {"alg": ALG, "kid": signing.kid}}, payload, signing.key, algorithms=[ALG]
    )
    kept = [s for s in document["signatures"] if _kid_of(s) != signing.kid]
    signature = {"protected": flat["protected"], "signature": flat["signature"]}
    return {"payload": document["payload"], "signatures": [*kept, signature]}


def _kid_of(signature: dict[str, Any]) -> str:
    header: dict[str, Any] = json.loads(_b64decode(signature["protected"]))
    return str(header.get("kid", ""))


# ----------------------------------------------------------------------------------------------
# Verification, which explains itself: every signature with what was found about it.


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    kid: str
    state: str
    valid: bool
    reason: str


@dataclass(frozen=True)
class TrustDecision:
    accepted: bool
    reasons: list[str]
    signatures: list[SignatureCheck]
    trust: TrustList | None

    def explain(self) -> str:
        lines = [("accepted" if self.accepted else "refused") + ": " + "; ".join(self.reasons)]
        for s in self.signatures:
            lines.append(f"  {s.kid}: {'valid' if s.valid else 'INVALID'} ({s.reason})")
        return "\n".join(lines)


def _check_signature(
    document: dict[str, Any], signature: dict[str, Any], reference: TrustList, now: dt.datetime
) -> SignatureCheck:
    try:
        parsed = compact.parse_parts(
            signature["protected"], document["payload"], signature["signature"]
        )
    except (KeyError, TypeError, compact.MalformedJWS) as exc:
        return SignatureCheck("?", "?", False, f"malformed signature ({exc})")
    kid = str(parsed.header.get("kid", ""))[:80]
    state = kid.split(":", 1)[0]
    trusted = reference.key(kid)
    if trusted is None:
        return SignatureCheck(kid, state, False, "key not in the trusted list")
    if trusted.revoked_at is not None:
        return SignatureCheck(kid, state, False, f"key {kid} is revoked in the list in force")
    problem = trusted.problem_at(now)
    if problem:
        return SignatureCheck(kid, state, False, problem)
    if not parsed.verifies_with(trusted.key.public_key):
        return SignatureCheck(kid, state, False, "signature does not verify")
    return SignatureCheck(kid, state, True, "verifies with a trusted key")


def _reinstated(candidate: TrustList, current: TrustList) -> list[str]:
    """Keys the list in force revoked that the candidate lists again without the revocation
    (or with a later one): revocation is for good."""
    found = []
    for node in current.nodes.values():
        for key in node.keys:
            again = candidate.key(key.kid)
            if key.revoked_at is None or again is None:
                continue
            if again.revoked_at is None or again.revoked_at > key.revoked_at:
                found.append(key.kid)
    return found


def _refusals(candidate: TrustList, current: TrustList | None, now: dt.datetime) -> list[str]:
    """What makes ``candidate`` unacceptable whatever its signatures."""
    reasons: list[str] = []
    if candidate.issued_at > now + dt.timedelta(minutes=5):
        reasons.append("issued in the future")
    if current is None:
        return reasons
    if candidate.version <= current.version:
        reasons.append(f"version {candidate.version} is not newer than {current.version}")
    if candidate.issued_at <= current.issued_at:
        reasons.append(
            f"issued {candidate.issued_at.isoformat()}, not later than the list in force "
            f"({current.issued_at.isoformat()})"
        )
    reasons += [
        f"key {kid} was revoked and cannot be reinstated" for kid in _reinstated(candidate, current)
    ]
    return reasons


def verify(document: dict[str, Any], current: TrustList | None, now: dt.datetime) -> TrustDecision:
    """Decide whether ``document`` may replace ``current`` (None: bootstrap, where the list is
    checked against itself — the operator vouches for that first copy out of band)."""
    try:
        candidate = parse_content(content_of(document))
    except (InvalidInput, ValueError, KeyError, TypeError) as exc:
        return TrustDecision(False, [str(exc)], [], None)
    reference = current or candidate
    signatures = document.get("signatures")
    if not isinstance(signatures, list):
        return TrustDecision(False, ["signatures must be a list"], [], candidate)
    checks = [_check_signature(document, s, reference, now) for s in signatures]
    good_states = {c.state for c in checks if c.valid}
    reasons = _refusals(candidate, current, now)
    if SECRETARIAT not in good_states:
        reasons.append("no valid signature of the secretariat")
    members = len(good_states - {SECRETARIAT})
    if members < reference.threshold:
        reasons.append(f"{members} of {reference.threshold} member states' signatures needed")
    if not reasons:
        reasons.append(
            f"version {candidate.version}, secretariat and {members} member states signed "
            f"(threshold {reference.threshold})"
        )
        return TrustDecision(True, reasons, checks, candidate)
    return TrustDecision(False, reasons, checks, candidate)
