"""Officer-facing wording of the errors a user can meet, in their language.

Services raise errors in English for the API and the log (``KervanError.detail`` and field
messages). The UI shows each in the officer's language: a known message is recognised by its
pattern and re-worded from a catalog msgid with the same named values; an unknown one is shown
as the service wrote it, under a translated title, so nothing is ever hidden.
"""

from __future__ import annotations

import re

from kervan.accounts import password_policy
from kervan.errors import KervanError
from kervan.web.i18n import N_, Translator

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"cannot (?P<action>\w+) a (?P<status>\w+) document"),
        N_("This document is no longer active and cannot be changed."),
    ),
    (
        re.compile(r"the extension does not extend the document"),
        N_("The new end date must be after the current one."),
    ),
    (
        re.compile(r"(?P<new>\S+) is not after the current end (?P<current>\S+)"),
        N_("%(new)s is not after the current end date %(current)s."),
    ),
    (
        re.compile(r"the document ends \((?P<until>[^)]+)\) before it begins \((?P<start>[^)]+)\)"),
        N_("The document ends (%(until)s) before it begins (%(start)s)."),
    ),
    (
        re.compile(r"'(?P<number>[^']*)' is not a \w+ number: expected the form (?P<example>\w+)"),
        N_(
            "%(number)s is not a valid number for this kind of document; expected a number "
            "like %(example)s."
        ),
    ),
    (
        re.compile(r"a \w+ numbered (?P<number>\w+) already exists"),
        N_("A document of this kind numbered %(number)s already exists."),
    ),
    (
        re.compile(r"travel document (?P<state>\w+) (?P<number>\w+) already belongs"),
        N_("The travel document %(state)s %(number)s already belongs to a person in the register."),
    ),
    (re.compile(r"the correction changes nothing"), N_("The correction changes nothing.")),
    (
        re.compile(r"give a name, a document number or an MRZ"),
        N_("Type a name, a document number or an MRZ to search for."),
    ),
    (
        re.compile(r"is not a date of birth"),
        N_("Give the date of birth as YYYY-MM-DD; write XX for an unknown month or day."),
    ),
    (re.compile(r"^no (person|stay document) "), N_("No such record in the register.")),
    (re.compile(r"^the role \w+ may not"), N_("Your role does not allow this action.")),
    (re.compile(r"the password is too weak"), N_("The password is too weak.")),
    (re.compile(r"must have at least (?P<min>\d+) characters"), password_policy.TOO_SHORT),
    *(
        (re.compile(re.escape(message)), message)
        for message in password_policy.MESSAGES
        if message != password_policy.TOO_SHORT
    ),
    (
        re.compile(r"a \w+ of this node acts for (?P<node>\w+), not (?P<state>\w+)"),
        N_(
            "Accounts of this role act for this node's state (%(node)s), not %(state)s; only a "
            "consular officer acts for another state."
        ),
    ),
    (
        re.compile(r"a user named '(?P<username>[^']*)' exists"),
        N_("A user named %(username)s exists already."),
    ),
]

# Titles of error pages, by the problem type a service or the framework raised.
TITLES: dict[str, str] = {
    "bad-request": N_("The request cannot be handled"),
    "invalid-input": N_("Some of the input is not valid"),
    "not-found": N_("Not found"),
    "conflict": N_("This conflicts with the current state of the record"),
    "forbidden": N_("You are not allowed to do this"),
    "unauthenticated": N_("Please sign in"),
    "csrf-rejected": N_("The form has expired"),
    "method-not-allowed": N_("The request cannot be handled"),
    "internal-error": N_("Something went wrong on the server"),
    "too-many-requests": N_("Too many attempts"),
}

# What the page says under the title when the service's own words do not fit an officer.
EXPLANATIONS: dict[str, str] = {
    "not-found": N_(
        "The page or record does not exist, or it is outside what your role and state may see."
    ),
    "forbidden": N_(
        "Your role does not allow this action. Ask your node administrator if you need it."
    ),
    "csrf-rejected": N_(
        "For your safety the form was refused. Go back, reload the page and send it again."
    ),
    "internal-error": N_(
        "The node could not handle this request. The operator has the details "
        "in the log; please try again later."
    ),
    "invalid-input": N_("Go back and correct the highlighted fields."),
}


def translate_message(translator: Translator, message: str) -> str:
    for pattern, msgid in _PATTERNS:
        match = pattern.search(message)
        if match:
            return translator.gettext(msgid, **match.groupdict())
    return message


def error_title(translator: Translator, slug: str) -> str:
    return translator.gettext(TITLES.get(slug, TITLES["bad-request"]))


def error_explanation(translator: Translator, slug: str, detail: str) -> str:
    if slug in EXPLANATIONS:
        return translator.gettext(EXPLANATIONS[slug])
    return translate_message(translator, detail) if detail else ""


class FormErrors(dict[str, str]):
    """A form's errors: field name → message in the officer's language; ``"_"`` for the form
    as a whole. Templates show each next to its field."""

    def from_error(self, translator: Translator, exc: KervanError) -> FormErrors:
        for error in exc.errors:
            self[error.field] = translate_message(translator, error.message)
        self["_"] = translate_message(translator, exc.detail)
        return self
