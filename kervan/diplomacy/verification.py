"""Whether a pass lets its holder in here and now: one rule, used by the API, the CLI and (as a
port in ``static/verify.js``) the offline verifier page. The checks run in a fixed order and
the first failure is the reason, so every verifier gives the same reason for the same pass."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kervan.diplomacy.codec import OpenedPass, PassClaims, PassFormatError, open_pass


class Reason(enum.StrEnum):
    VALID = "valid"
    MALFORMED = "malformed"
    UNKNOWN_SIGNER = "unknown-signer"
    BAD_SIGNATURE = "bad-signature"
    REVOKED = "revoked"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRED = "expired"
    WRONG_AIRPORT = "wrong-airport"
    WRONG_ZONE = "wrong-zone"


@dataclass(frozen=True, slots=True)
class SignerKey:
    kid: str
    state: str
    public_key: Ed25519PublicKey
    # Why the key may not have signed at a given time (None if it may): from the trust list.
    problem_at: Callable[[dt.datetime], str | None]


@dataclass(frozen=True, slots=True)
class Post:
    """Where the officer stands: an airport and, if known, the zone of the hall door."""

    airport: str | None = None
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: Reason
    detail: str
    claims: PassClaims | None = None
    kid: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is Reason.VALID


def verify_pass(
    text: str,
    *,
    signer: Callable[[str], SignerKey | None],
    revoked: Collection[uuid.UUID],
    now: dt.datetime,
    post: Post = Post(),
) -> Verdict:
    try:
        opened = open_pass(text)
    except PassFormatError as exc:
        return Verdict(Reason.MALFORMED, str(exc))
    return _check(opened, signer(opened.kid), revoked, now, post)


def _check(
    opened: OpenedPass,
    key: SignerKey | None,
    revoked: Collection[uuid.UUID],
    now: dt.datetime,
    post: Post,
) -> Verdict:
    c, kid = opened.claims, opened.kid

    def verdict(reason: Reason, detail: str) -> Verdict:
        return Verdict(reason, detail, c, kid)

    if key is None:
        return verdict(Reason.UNKNOWN_SIGNER, f"key {kid} is not on the trust list")
    if key.state != c.issuing_state:
        return verdict(Reason.UNKNOWN_SIGNER, f"key {kid} does not belong to {c.issuing_state}")
    key_problem = key.problem_at(c.issued_at)
    if key_problem:
        return verdict(Reason.UNKNOWN_SIGNER, key_problem)
    if not opened.signature_ok(key.public_key):
        return verdict(Reason.BAD_SIGNATURE, "the signature does not match the pass")
    if c.pass_id in revoked:
        return verdict(Reason.REVOKED, f"pass {c.pass_id} is on the revocation list")
    if now < c.valid_from:
        return verdict(Reason.NOT_YET_VALID, f"valid from {c.valid_from.isoformat()}")
    if now > c.valid_until:
        return verdict(Reason.EXPIRED, f"expired at {c.valid_until.isoformat()}")
    if post.airport and post.airport not in c.airports:
        return verdict(Reason.WRONG_AIRPORT, f"valid at {', '.join(c.airports)} only")
    if post.zone and post.zone not in c.zones:
        return verdict(Reason.WRONG_ZONE, f"valid in {', '.join(c.zones)} only")
    return verdict(Reason.VALID, "the pass is valid here and now")
