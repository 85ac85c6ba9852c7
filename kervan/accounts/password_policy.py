"""Which new passwords are refused, per NIST SP 800-63B §5.1.1.2: long enough, free of control
characters, and not on a blocklist of values known to be common, expected or context-specific.

The blocklist is zxcvbn's: its ranked lists of the most common passwords (leaked-password
corpora), English words, names and surnames, and its pattern matchers (keyboard walks, dates,
sequences, repeats, l33t substitutions). Context-specific words are added to it: the user's name,
the service (Kervan and its sister names), and the council's states in every UI language. No
composition rules (a digit, a capital…): NIST advises against them, and the estimator already
scores what they were meant to reach.

Messages are the catalogs' msgids; services raise them in English and the UI shows them in the
officer's language from their codes (``CODES``, ``kervan.messages``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pycountry
from babel import Locale
from zxcvbn import zxcvbn

from kervan.accounts.messages import PASSWORD_WEAK
from kervan.errors import FieldError, InvalidInput
from kervan.registry.codes import MEMBER_STATES
from kervan.web.i18n import LANGUAGES, N_

MIN_LENGTH = 12
# zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses and more), enough behind
# argon2id and the sign-in lockout.
MIN_SCORE = 3
# zxcvbn refuses to score longer input (its matching is superlinear); a longer passphrase is
# judged by its first 72 characters, which can only understate its strength.
_ESTIMATED_LENGTH = 72
SERVICE_WORDS = ("kervan", "caravan", "karvon", "kerueen", "karvan", "migration")
# Latin spellings of the states' own names that CLDR writes in Cyrillic or with diacritics.
STATE_SPELLINGS = ("qazaqstan", "kazakstan", "kyrgyzstan", "qirgiziston", "ozbekiston", "turkiye")

TOO_SHORT = N_("The password must have at least %(min)s characters.")
HAS_USERNAME = N_("The password must not contain the user name.")
REPEATS = N_("The password must not repeat a few characters over and over.")
CONTROL_CHARACTERS = N_("The password must not contain control characters.")
COMMON = N_("This is one of the most commonly used passwords.")
DEMO = N_("This is a password of the demo accounts; choose another one.")
CONTEXT = N_(
    "Without the name of this service, of a state or of the user, the password is easy to guess."
)
GUESSABLE = N_(
    "The password is easy to guess: avoid common words, names, dates, keyboard patterns and "
    "sequences; a passphrase of several unrelated words is best."
)
# Stable codes of the reasons (``kervan.messages``): the UI words them in the officer's language.
CODES = {
    TOO_SHORT: "accounts.password.too-short",
    HAS_USERNAME: "accounts.password.has-username",
    REPEATS: "accounts.password.repeats",
    CONTROL_CHARACTERS: "accounts.password.control-characters",
    COMMON: "accounts.password.common",
    DEMO: "accounts.password.demo",
    CONTEXT: "accounts.password.context",
    GUESSABLE: "accounts.password.guessable",
}
MESSAGES = {code: msgid for msgid, code in CODES.items()}


@functools.cache
def _state_names() -> frozenset[str]:
    """The council's states as each UI language writes them (Babel's CLDR), and in English."""
    names: set[str] = set()
    for code in MEMBER_STATES:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            continue
        names.update({country.name, getattr(country, "common_name", country.name)})
        for language in LANGUAGES:
            name = Locale.parse(language).territories.get(country.alpha_2)
            if name:
                names.add(name)
    names.update(STATE_SPELLINGS)
    folded = {_fold(n) for n in names}
    return frozenset(n.lower() for n in names | folded if len(n) >= 4)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if (c.isascii() and c.isalnum()) or c == " ")


def _context_words(username: str, full_name: str) -> list[str]:
    personal = [w for w in re.split(r"[\W_]+", f"{username} {full_name}") if len(w) >= 3]
    return [*SERVICE_WORDS, *_state_names(), username, *personal]


def _demo_passwords() -> frozenset[str]:
    # Imported here: the demo module creates its accounts through the service, which uses
    # this policy (with the demo's own passwords allowed).
    from kervan.demo.accounts import DEMO_ACCOUNTS

    return frozenset(password for _, _, password in DEMO_ACCOUNTS)


def _score(password: str, context: list[str]) -> Any:
    return zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=context)


def _without(password: str, words: Iterable[str]) -> str:
    for word in sorted(set(words), key=len, reverse=True):
        password = re.sub(re.escape(word), "", password, flags=re.IGNORECASE)
    return password


def _estimate_problems(password: str, context: list[str]) -> list[str]:
    result = _score(password, context)
    sequence = result["sequence"]
    if len(sequence) == 1 and sequence[0].get("dictionary_name") == "passwords":
        return [COMMON]
    used = [m["matched_word"] for m in sequence if m.get("dictionary_name") == "user_inputs"]
    if used:
        rest = _without(password, used)
        if len(rest) < MIN_LENGTH // 2 or _score(rest, [])["score"] < MIN_SCORE:
            return [CONTEXT]
    if result["score"] < MIN_SCORE:
        return [GUESSABLE]
    return []


def password_problems(
    password: str, username: str = "", *, full_name: str = "", allow_demo: bool = False
) -> list[str]:
    """Why a new password is refused (the msgids above, formatted), or [] if it is not."""
    if any(unicodedata.category(c) == "Cc" for c in password):
        return [CONTROL_CHARACTERS]
    if not allow_demo and password in _demo_passwords():
        return [DEMO]
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT % {"min": MIN_LENGTH})
    if username and username.lower() in password.lower():
        problems.append(HAS_USERNAME)
    if len(set(password)) < 5:
        problems.append(REPEATS)
    return problems or _estimate_problems(password, _context_words(username, full_name))


def check_new_password(
    password: str, *, username: str, full_name: str = "", allow_demo: bool = False
) -> None:
    """Raise ``InvalidInput`` naming every reason a new password is refused."""
    problems = password_problems(password, username, full_name=full_name, allow_demo=allow_demo)
    if problems:
        raise InvalidInput(
            "the password is too weak",
            code=PASSWORD_WEAK,
            errors=[_field_error(problem) for problem in problems],
        )


def _field_error(problem: str) -> FieldError:
    if problem == TOO_SHORT % {"min": MIN_LENGTH}:
        return FieldError("password", problem, code=CODES[TOO_SHORT], params={"min": MIN_LENGTH})
    return FieldError("password", problem, code=CODES.get(problem, ""))
