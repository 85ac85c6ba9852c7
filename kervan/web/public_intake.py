"""What every form the public can send without signing in shares (the help request of
``kervan.assistance``, the return request of ``kervan.repatriation``): a per-address rate
limit, a honeypot field, and the reference code and secret a person keeps to ask later how
their request stands.

The reference is short and easy to read out on a phone line (no 0/O, 1/I); it only names the
request. The secret is what proves the caller made it: only its hash is stored, compared in
constant time, and a wrong secret answers exactly as an unknown reference does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request

from kervan.errors import KervanError
from kervan.messages import FORM_TOO_LARGE
from kervan.web.rate_limits import RateLimit

# Crockford's base32 without the letters people confuse when reading aloud.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
HONEYPOT_FIELD = "website"  # hidden from people by CSS and aria-hidden; bots fill it in
MAX_FORM_BYTES = 16 * 1024  # a help request is a few short fields, never a file


@dataclass(frozen=True)
class Receipt:
    """What the person is shown once, after sending: keep both to follow the request."""

    reference: str
    secret: str

    @property
    def secret_hash(self) -> str:
        return hash_secret(self.secret)


def new_receipt(prefix: str) -> Receipt:
    """A reference like ``H-7KQ4-M2XD`` (``prefix`` tells a help request from a return
    request) and a 128-bit secret."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return Receipt(reference=f"{prefix}-{body[:4]}-{body[4:]}", secret=secrets.token_urlsafe(16))


def normalise_reference(text: str) -> str:
    """As typed: case, spaces and dashes forgiven (``h 7kq4m2xd`` is ``H-7KQ4-M2XD``)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) < 9:
        return cleaned
    return f"{cleaned[:-8]}-{cleaned[-8:-4]}-{cleaned[-4:]}"


def hash_secret(secret: str) -> str:
    # The secret is 128 random bits: a plain SHA-256 cannot be brute-forced, and needs no
    # argon2 (which would let the public spend the node's CPU).
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(stored_hash: str | None, offered: str) -> bool:
    """Constant-time; False for an unknown reference (``stored_hash`` None) as for a wrong
    secret, so the answer does not reveal which references exist."""
    expected = stored_hash or "0" * 64
    return hmac.compare_digest(expected, hash_secret(offered)) and stored_hash is not None


def is_bot(form: dict[str, str]) -> bool:
    """The honeypot was filled in: answer as if accepted, store nothing."""
    return bool(form.get(HONEYPOT_FIELD, "").strip())


# One limit for all public forms of the node: a person sends a few requests, not dozens.
public_limit = RateLimit(per_minute=5)


class FormTooLarge(KervanError):
    status = 413
    type_slug = "payload-too-large"
    title = "The request body is too large"


async def bounded_form(request: Request) -> None:
    """Dependency of a public form's POST, listed before anything that parses the form: the
    body is counted while it streams in and refused past ``MAX_FORM_BYTES`` (a missing or
    lying Content-Length does not get around it)."""
    declared = request.headers.get("content-length", "")
    too_large = FormTooLarge(
        f"the form is larger than {MAX_FORM_BYTES} bytes",
        code=FORM_TOO_LARGE,
        params={"limit": MAX_FORM_BYTES},
    )
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise too_large
    request._body = bytes(body)  # what request.form() reads next, instead of the spent stream
