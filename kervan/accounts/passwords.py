"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, the library's recommended parameters (RFC 9106)


def use_cheap_hashing_for_tests() -> None:
    """Tests create hundreds of users; the real parameters cost half a second each on a small
    machine. Only the test suite calls this; the node never does."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a new password is refused: long enough, not the user name, more than one kind of
    character. Length matters most (NIST SP 800-63B), so the rules stay few."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"the password must have at least {MIN_LENGTH} characters")
    if username and username.lower() in password.lower():
        problems.append("the password must not contain the user name")
    if len(set(password)) < 5:
        problems.append("the password must not repeat a few characters over and over")
    return problems
