"""The password policy and hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from kervan.accounts.passwords import (
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)


@pytest.mark.parametrize(
    ("password", "username", "fragment"),
    [
        ("short pass", "", f"at least {MIN_LENGTH}"),
        ("aigerim.officer-2020", "aigerim.officer", "user name"),
        ("abababababababab", "", "repeat"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    password: str, username: str, fragment: str
) -> None:
    problems = password_problems(password, username)
    assert any(fragment in p for p in problems), problems


def test_a_long_passphrase_passes() -> None:
    assert password_problems("correct horse battery staple", "aigerim") == []


def test_hash_is_argon2id_and_verifies() -> None:
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "correct horse battery stapler")
    assert not verify_password("not a hash", "anything")


def test_weaker_parameters_need_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("x" * 12)
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("x" * 12))
