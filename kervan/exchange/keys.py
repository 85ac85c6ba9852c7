"""This node's Ed25519 signing keys, as JWK files.

A private key lives in a file readable by its owner only (0600) or in ``KERVAN_SIGNING_KEY``;
never in the database, so that a database dump cannot sign. The public half goes into the
trust list, which is how peers learn (and stop trusting) a key.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import OKPKey

from kervan.config import Settings
from kervan.errors import InvalidInput
from kervan.exchange.messages import NOT_CONFIGURED

if TYPE_CHECKING:
    from kervan.exchange.trust import TrustList

log = logging.getLogger("kervan.exchange.keys")

CURRENT_FILE = "current"  # holds the kid of the key this node signs with


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key and its ``kid`` (``<STATE>:<key-id>``)."""

    kid: str
    key: OKPKey

    @property
    def state(self) -> str:
        return self.kid.split(":", 1)[0]

    def public_jwk(self) -> dict[str, Any]:
        return public_jwk(self.key)

    def for_signing(self, trust: TrustList | None, now: dt.datetime) -> SigningKey:
        """A fixed key is always the one to sign with (see ``NodeKeys`` for a rotating one)."""
        return self

    @property
    def private_key(self) -> Ed25519PrivateKey:
        private = self.key.private_key
        if not isinstance(private, Ed25519PrivateKey):
            raise InvalidInput(f"key {self.kid} is not a private Ed25519 key")
        return private


def public_jwk(key: OKPKey) -> dict[str, Any]:
    return {k: v for k, v in key.as_dict(private=False).items() if k != "d"}


def new_key(state: str, today: dt.date | None = None) -> SigningKey:
    # The date in the key id tells an operator at a glance which key is older.
    day = (today or dt.date.today()).strftime("%Y%m%d")
    kid = f"{state}:{day}-{secrets.token_hex(3)}"
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid, "use": "sig", "alg": "EdDSA"})
    return SigningKey(kid, key)


def keys_dir(settings: Settings) -> Path:
    return settings.keys_dir or settings.data_dir / "keys"


def _file_name(kid: str) -> str:
    return kid.replace(":", "_") + ".jwk"


def write_private(directory: Path, signing: SigningKey) -> Path:
    """Write the key with 0600 from the start (no window in which others could read it)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / _file_name(signing.kid)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(signing.key.as_dict(private=True), handle)
    return path


def generate(directory: Path, state: str, *, make_current: bool = True) -> SigningKey:
    signing = new_key(state)
    write_private(directory, signing)
    if make_current:
        (directory / CURRENT_FILE).write_text(signing.kid + "\n")
    return signing


def rotate(directory: Path, state: str) -> tuple[SigningKey, str | None]:
    """A new current key; the old one stays on disk (peers may still be checking receipts it
    signed) until the trust list marks its end."""
    previous = current_kid(directory)
    return generate(directory, state), previous


def current_kid(directory: Path) -> str | None:
    path = directory / CURRENT_FILE
    return path.read_text().strip() if path.exists() else None


def _check_permissions(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InvalidInput(f"{path} is readable by others (mode {mode:o}); chmod 600 it")


def read_private(path: Path) -> SigningKey:
    _check_permissions(path)
    return from_jwk(json.loads(path.read_text()))


def from_jwk(data: dict[str, Any]) -> SigningKey:
    if data.get("kty") != "OKP" or data.get("crv") != "Ed25519" or "d" not in data:
        raise InvalidInput("the signing key must be a private Ed25519 JWK (kty OKP, crv Ed25519)")
    kid = data.get("kid")
    if not isinstance(kid, str) or ":" not in kid:
        raise InvalidInput("the signing key's kid must be '<STATE>:<key-id>'")
    return SigningKey(kid, OKPKey.import_key(data))


def load_signing_key(settings: Settings) -> SigningKey:
    """The key this node signs with: the environment first, else the keys folder's current."""
    if settings.signing_key is not None:
        signing = from_jwk(json.loads(settings.signing_key.get_secret_value()))
    else:
        directory = keys_dir(settings)
        kid = current_kid(directory)
        if kid is None:
            raise InvalidInput(
                f"no signing key in {directory}; run `kervan keys generate`", code=NOT_CONFIGURED
            )
        signing = read_private(directory / _file_name(kid))
    if signing.state != settings.state:
        raise InvalidInput(
            f"the signing key {signing.kid} is not this node's ({settings.state})",
            code=NOT_CONFIGURED,
        )
    return signing


def load_key(directory: Path, kid: str) -> SigningKey:
    return read_private(directory / _file_name(kid))


class KeySource(Protocol):
    def for_signing(self, trust: TrustList | None, now: dt.datetime) -> SigningKey: ...


class NodeKeys:
    """This node's signing keys as they are *now* in the keys folder, read again whenever a file
    changed: ``kervan keys rotate`` and a new trust list take effect without a restart.

    The key to sign with is the current one if the trust list in force accepts it now; else
    the newest key of the folder that the list accepts (a key rotated on disk but not yet on
    the list is not used before the list has it; an old key the list revoked is dropped as soon
    as the list that revokes it is installed); with no such key, the current one. A key from
    ``KERVAN_SIGNING_KEY`` is the only key and changes with a restart only."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[int, SigningKey]] = {}

    def _key(self, path: Path) -> SigningKey | None:
        try:
            changed = path.stat().st_mtime_ns
            cached = self._loaded.get(path)
            if cached is not None and cached[0] == changed:
                return cached[1]
            signing = read_private(path)
        except (OSError, ValueError, InvalidInput) as exc:
            log.warning("signing key %s not usable: %s", path.name, exc)
            return None
        self._loaded[path] = (changed, signing)
        return signing

    def _on_disk(self) -> tuple[str | None, list[SigningKey]]:
        directory = keys_dir(self.settings)
        with self._lock:
            found = [self._key(p) for p in sorted(directory.glob("*.jwk"))]
        mine = [k for k in found if k is not None and k.state == self.settings.state]
        return current_kid(directory), mine

    def for_signing(self, trust: TrustList | None, now: dt.datetime) -> SigningKey:
        if self.settings.signing_key is not None:
            return load_signing_key(self.settings)
        current, mine = self._on_disk()
        by_kid = {k.kid: k for k in mine}
        if current not in by_kid:
            return load_signing_key(self.settings)  # explains what is missing
        if trust is None:
            return by_kid[current]
        accepted = []
        for signing in mine:
            listed = trust.key(signing.kid)
            if listed is not None and listed.revoked_at is None and not listed.problem_at(now):
                accepted.append((listed.valid_from, signing))
        if any(k.kid == current for _, k in accepted) or not accepted:
            return by_kid[current]
        return max(accepted, key=lambda pair: pair[0])[1]
