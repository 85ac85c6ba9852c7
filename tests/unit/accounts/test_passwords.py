"""The password policy (NIST SP 800-63B) and hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.accounts import password_policy as policy
from kervan.accounts.password_policy import MIN_LENGTH, password_problems
from kervan.accounts.passwords import hash_password, needs_rehash, verify_password
from kervan.demo.accounts import DEMO_ACCOUNTS


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        ("short pass", "", policy.TOO_SHORT % {"min": MIN_LENGTH}),
        ("aigerim.officer-2020", "aigerim.officer", policy.HAS_USERNAME),
        ("abababababababab", "", policy.REPEATS),
        # The examples: common, sequential, "complex" yet common.
        ("password1234", "", policy.COMMON),
        ("123456789012", "", policy.GUESSABLE),
        ("Password123!", "", policy.GUESSABLE),
        ("qwertyuiopasdf", "", policy.GUESSABLE),
        # Context: the service, a state (in any UI language), the user's own name.
        ("Kervan2026!abc", "", policy.CONTEXT),
        ("Kazakhstan2020!", "", policy.CONTEXT),
        ("Қазақстан-2020", "", policy.CONTEXT),
        ("Oʻzbekiston1991", "", policy.CONTEXT),
        ("Aigerim Sultanova 1990!", "a.s", policy.CONTEXT),
        # Control characters: a tab, a NUL, an escape sequence.
        ("tab\there and some more words", "", policy.CONTROL_CHARACTERS),
        ("nul\x00 in a long enough passphrase", "", policy.CONTROL_CHARACTERS),
        ("\x1b[31m a red passphrase here", "", policy.CONTROL_CHARACTERS),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    password: str, username: str, problem: str
) -> None:
    assert problem in password_problems(password, username, full_name="Aigerim Sultanova")


@pytest.mark.parametrize("password", sorted({p for _, _, p in DEMO_ACCOUNTS}))
def test_demo_passwords_are_refused_outside_the_demo(password: str) -> None:
    assert password_problems(password, "someone") == [policy.DEMO]
    assert password_problems(password, "someone", allow_demo=True) == []


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "my kervan horse battery staple",  # a context word inside a strong passphrase
        "Мой караван идёт через степь",
        "x" * 3 + "a long passphrase that goes on" * 30,  # past zxcvbn's 72 characters
    ],
)
def test_strong_passphrases_pass(password: str) -> None:
    assert password_problems(password, "aigerim") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_an_answer_from_the_catalog(password: str) -> None:
    for problem in password_problems(password, "aigerim"):
        too_short = policy.TOO_SHORT % {"min": MIN_LENGTH}
        assert problem in policy.MESSAGES.values() or problem == too_short


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
