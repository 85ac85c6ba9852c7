"""Signed checkpoints of the audit chain: the chain's length and last hash at a moment, as a
compact JWS (EdDSA, RFC 8037) signed with the node's own Ed25519 key.

The key is never in the database, so whoever can rewrite the database cannot make a
checkpoint. Each is stored in ``audit_checkpoints`` and, to be of use when that table is wiped
too, kept outside it: written to the log (``kervan.audit`` at INFO), appended to a file in
``KERVAN_AUDIT_CHECKPOINT_DIR`` when set, and exportable (``kervan audit checkpoints``,
``GET /api/v1/audit/checkpoints``) to wherever the operator keeps evidence.

Checkpoints are verified with the node's keys as found outside the database (the keys folder
and ``KERVAN_SIGNING_KEY``): a key planted in the database must not vouch for a rewritten log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import messages
from kervan.accounts.audit_rows import GENESIS_HASH
from kervan.accounts.models import AuditCheckpoint, AuditHead
from kervan.config import Settings
from kervan.errors import InvalidInput, KervanError
from kervan.exchange import compact
from kervan.exchange.keys import KeySource, SigningKey, keys_dir, load_signing_key, read_private
from kervan.uow import unit_of_work

log = logging.getLogger("kervan.audit")

TYP = "kervan-audit-checkpoint+jws"
PAYLOAD_TYPE = "audit.checkpoint"
FILE_NAME = "audit-checkpoints.jws"
# A checkpoint is about 400 characters; a file of them is read up to these bounds.
MAX_TOKEN_CHARACTERS = 4096
MAX_FILE_BYTES = 64 * 1024 * 1024

PublicKeys = Mapping[str, Ed25519PublicKey]


class InvalidCheckpoint(InvalidInput):
    title = "Not a valid audit checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    state: str
    seq: int  # the chain's length: the last entry it vouches for
    entry_hash: str  # that entry's hash
    at: dt.datetime
    kid: str
    token: str


def sign_checkpoint(signing: SigningKey, seq: int, entry_hash: str, at: dt.datetime) -> Checkpoint:
    payload = {
        "type": PAYLOAD_TYPE,
        "state": signing.state,
        "seq": seq,
        "hash": entry_hash,
        "at": at.astimezone(dt.UTC).isoformat(),
    }
    token = compact.sign(
        signing.private_key,
        kid=signing.kid,
        typ=TYP,
        payload=json.dumps(payload, separators=(",", ":"), sort_keys=True).encode(),
    )
    return Checkpoint(signing.state, seq, entry_hash, at, signing.kid, token)


def _payload(parsed: compact.ParsedJWS) -> dict[str, Any]:
    try:
        payload = json.loads(parsed.payload)
    except (ValueError, UnicodeError) as exc:
        raise InvalidCheckpoint(
            "the checkpoint's payload is not JSON", code=messages.CHECKPOINT_MALFORMED
        ) from exc
    if not isinstance(payload, dict) or payload.get("type") != PAYLOAD_TYPE:
        raise InvalidCheckpoint("not an audit checkpoint", code=messages.CHECKPOINT_MALFORMED)
    return payload


def read_checkpoint(token: str, keys: PublicKeys) -> Checkpoint:
    """The checkpoint in ``token`` once its signature is checked with one of ``keys``."""
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARACTERS:
        raise InvalidCheckpoint(
            "the checkpoint is too long to be one", code=messages.CHECKPOINT_MALFORMED
        )
    try:
        parsed = compact.parse(token)
    except compact.MalformedJWS as exc:
        raise InvalidCheckpoint(
            f"not a signed checkpoint: {exc}", code=messages.CHECKPOINT_MALFORMED
        ) from exc
    kid = parsed.header.get("kid")
    if parsed.header.get("alg") != "EdDSA" or parsed.header.get("typ") != TYP:
        raise InvalidCheckpoint(
            "not an audit checkpoint (wrong JWS header)", code=messages.CHECKPOINT_MALFORMED
        )
    key = keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidCheckpoint(
            f"the checkpoint is signed by {kid!r}, not a key of this node",
            code=messages.CHECKPOINT_UNKNOWN_KEY,
            params={"kid": kid},
        )
    if not parsed.verifies_with(key):
        raise InvalidCheckpoint(
            "the checkpoint's signature does not verify: it was altered",
            code=messages.CHECKPOINT_ALTERED,
        )
    payload = _payload(parsed)
    try:
        seq, entry_hash = int(payload["seq"]), str(payload["hash"])
        at = dt.datetime.fromisoformat(str(payload["at"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidCheckpoint(
            "the checkpoint lacks its seq, hash or time", code=messages.CHECKPOINT_MALFORMED
        ) from exc
    if seq < 0 or len(entry_hash) != 64 or at.tzinfo is None:
        raise InvalidCheckpoint(
            "the checkpoint's seq, hash or time is not valid", code=messages.CHECKPOINT_MALFORMED
        )
    return Checkpoint(str(payload.get("state", "")), seq, entry_hash, at, str(kid), token)


def tokens_in(text: str) -> list[str]:
    """The checkpoints of an exported file: one compact JWS per line; blank lines and lines
    starting with ``#`` are skipped."""
    return [line.strip() for line in text.splitlines() if line.strip() and line[:1] != "#"]


def read_file(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidCheckpoint(
            f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB",
            code=messages.CHECKPOINT_FILE_TOO_LARGE,
            params={"megabytes": MAX_FILE_BYTES // 2**20},
        )
    return path.read_text(encoding="utf-8", errors="replace")


# ----------------------------------------------------------------------------------------------
# The node's keys, from outside the database


def public_keys(settings: Settings) -> dict[str, Ed25519PublicKey]:
    """Every key of this node that may have signed a checkpoint: the current one and the older
    ones still in the keys folder (a rotation keeps them)."""
    keys: dict[str, Ed25519PublicKey] = {}
    folder = keys_dir(settings)
    for path in sorted(folder.glob("*.jwk")) if folder.is_dir() else []:
        try:
            found = read_private(path)
        except (KervanError, ValueError, OSError):
            continue  # a stray or unreadable file: not a key that signs checkpoints
        if found.state == settings.state:
            keys[found.kid] = found.private_key.public_key()
    try:
        signing = load_signing_key(settings)
    except (KervanError, ValueError, OSError):
        return keys
    keys[signing.kid] = signing.private_key.public_key()
    return keys


def node_sources(settings: Settings) -> tuple[dict[str, Ed25519PublicKey], list[str]]:
    """What a verification on this node uses besides the database: the node's public keys and
    the checkpoints in the checkpoint folder."""
    return public_keys(settings), directory_tokens(settings.audit_checkpoint_dir)


def signing_key_or_none(settings: Settings) -> SigningKey | None:
    try:
        return load_signing_key(settings)
    except (KervanError, ValueError, OSError):
        return None


# ----------------------------------------------------------------------------------------------
# Writing and reading stored checkpoints


def write_checkpoint(session: Session, signing: SigningKey, now: dt.datetime) -> Checkpoint:
    """A checkpoint of the chain's head as committed; the existing one if nothing was appended
    since the last."""
    head = session.get(AuditHead, 1)
    seq, entry_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    existing = session.get(AuditCheckpoint, seq)
    if existing is not None and existing.entry_hash == entry_hash:
        return Checkpoint(signing.state, seq, entry_hash, existing.at, existing.kid, existing.token)
    if existing is not None:
        # Never overwritten: the old checkpoint is the evidence that the chain was rewritten.
        raise InvalidInput(
            f"the chain's entry {seq} is not the one checkpointed at {existing.at.isoformat()}; "
            "run `kervan audit verify`",
            code=messages.CHAIN_MISMATCH,
            params={"seq": seq, "at": existing.at.isoformat()},
        )
    checkpoint = sign_checkpoint(signing, seq, entry_hash, now)
    session.add(
        AuditCheckpoint(
            seq=seq, entry_hash=entry_hash, at=now, kid=signing.kid, token=checkpoint.token
        )
    )
    session.flush()
    return checkpoint


def stored_tokens(session: Session, limit: int | None = None) -> list[AuditCheckpoint]:
    """Newest first."""
    query = select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc())
    return list(session.scalars(query.limit(limit) if limit else query))


def known(
    session: Session, keys: PublicKeys, outside: Iterable[str] = ()
) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints stored in the database and those given from outside it (a file, an
    export), each once, verified: (the good ones, why each other one was refused)."""
    tokens = dict.fromkeys([*(row.token for row in stored_tokens(session)), *outside])
    return verified(tokens, keys)


def verified(tokens: Iterable[str], keys: PublicKeys) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints whose signatures verify, and why each of the others does not."""
    good: list[Checkpoint] = []
    refused: list[str] = []
    for token in tokens:
        try:
            good.append(read_checkpoint(token, keys))
        except InvalidCheckpoint as exc:
            refused.append(exc.detail)
    return good, refused


def keep_outside(checkpoint: Checkpoint, directory: Path | None) -> None:
    """The copies outside the database: a log line, and a line in the checkpoint file."""
    log.info("audit checkpoint: %s entries, %s", checkpoint.seq, checkpoint.token)
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / FILE_NAME).open("a", encoding="utf-8") as handle:
        handle.write(checkpoint.token + "\n")


def directory_tokens(directory: Path | None) -> list[str]:
    path = directory / FILE_NAME if directory else None
    return tokens_in(read_file(path)) if path is not None and path.is_file() else []


def checkpoint_if_due(
    factory: sessionmaker[Session], signing: SigningKey, settings: Settings, now: dt.datetime
) -> Checkpoint | None:
    """Called by the worker's loop: a checkpoint when the last is older than the interval and
    the chain has grown since."""
    interval = dt.timedelta(minutes=settings.audit_checkpoint_minutes)
    if interval <= dt.timedelta(0):
        return None
    with unit_of_work(factory) as session:
        latest = session.scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.at.desc()).limit(1)
        ).first()
        head = session.get(AuditHead, 1)
        if latest is not None and (latest.at > now - interval or head is None):
            return None
        if latest is not None and head is not None and head.last_seq == latest.seq:
            return None
        checkpoint = write_checkpoint(session, signing, now)
    keep_outside(checkpoint, settings.audit_checkpoint_dir)
    return checkpoint


class CheckpointSchedule:
    """For a loop that runs all the time (the delivery worker): looks at most once a minute
    whether a checkpoint is due, so an idle loop does not query for it every turn."""

    LOOK_EVERY = dt.timedelta(minutes=1)

    def __init__(
        self, factory: sessionmaker[Session], signing: KeySource, settings: Settings
    ) -> None:
        # A key source, not a key: after ``kervan keys rotate`` the next checkpoint is signed
        # with the new key without a restart, as envelopes are.
        self.factory, self.signing, self.settings = factory, signing, settings
        self.next_look: dt.datetime | None = None

    def tick(self, now: dt.datetime) -> Checkpoint | None:
        if self.next_look is not None and now < self.next_look:
            return None
        self.next_look = now + self.LOOK_EVERY
        try:
            signing = self.signing.for_signing(None, now)
            return checkpoint_if_due(self.factory, signing, self.settings, now)
        except KervanError as exc:  # a chain that contradicts its checkpoint: say so, go on
            log.warning("no audit checkpoint written: %s", exc.detail)
            return None


class CheckpointJob:
    """The node's background job (``kervan.wiring.Job``) that anchors the audit log: a signed
    checkpoint every ``audit_checkpoint_minutes``, with the node's key as it is now (the keys
    folder, re-read as keys rotate). Never "busy": checkpoints are rare."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.schedule: CheckpointSchedule | None = None

    def __call__(self, factory: sessionmaker[Session]) -> bool:
        from kervan.db.base import utcnow
        from kervan.exchange.keys import NodeKeys

        if self.schedule is None:
            self.schedule = CheckpointSchedule(factory, NodeKeys(self.settings), self.settings)
        try:
            self.schedule.tick(utcnow())
        except KervanError as exc:  # no key yet: the node says so, and tries again later
            log.warning("no audit checkpoint written: %s", exc.detail)
        return False
