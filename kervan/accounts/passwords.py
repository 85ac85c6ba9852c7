"""Password hashing (argon2id). Which passwords are allowed is ``password_policy``."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, the library's recommended parameters (RFC 9106)


def use_cheap_hashing_for_tests() -> None:
    """Tests create hundreds of users; the real parameters cost half a second each on a small
    machine. Only the test suite calls this; the node never does."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
