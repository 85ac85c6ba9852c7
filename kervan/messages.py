"""The catalog of codes: what each stable code an officer can meet says, as a gettext msgid
with named placeholders (``%(number)s``).

Services raise errors and write explanation lines with a ``code`` and named ``params`` next
to their English text (``kervan.errors``). Each capability package lists its codes in its own
``messages.py`` (``MESSAGES``) and adds them in ``install(app)``; the UI words a code from here
in the officer's language (``render``), the API sends code, params and the English text. A test
fails if a code has no translation in one of the node's languages
(``tests/unit/test_messages.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

INPUT_MISSING = "input.missing"  # pydantic's "missing", as ``pydantic_field_errors`` codes it
TOO_MANY_REQUESTS = "input.too-many-requests"  # ``kervan.web.rate_limits``
RECORD_NOT_FOUND = "record.not-found"  # params name the record for API clients, never shown
CURSOR_UNKNOWN = "input.cursor-unknown"  # ``kervan.web.pagination``
PAGE_TOO_LARGE = "input.page-too-large"
TOO_LONG = "input.too-long"  # ``kervan.web.forms``
FORM_UNEXPECTED = "input.form-unexpected"  # ``kervan.web.forms``
FORM_TOO_LARGE = "input.form-too-large"  # ``kervan.web.public_intake``
REASON_REQUIRED = "input.reason-required"  # ``kervan.web.forms``
DATE_INVALID = "input.date"  # ``kervan.web.forms``
ENDS_BEFORE_START = "input.ends-before-start"
FILE_NOT_UTF8 = "input.not-utf8"
FILE_TOO_LARGE = "input.file-too-large"
SIGN_IN_REQUIRED = "auth.sign-in-required"  # ``kervan.web.deps``
TOKEN_UNKNOWN = "auth.token-unknown"
FORM_EXPIRED = "auth.form-expired"  # ``kervan.web.security``
CSRF_HEADER = "auth.csrf-header"


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


# Codes of no capability in particular; each package adds its own in ``install``.
GENERIC = {
    INPUT_MISSING: N_("This field is required."),
    TOO_MANY_REQUESTS: N_("At most %(per_minute)s a minute; try again shortly."),
    RECORD_NOT_FOUND: N_("No such record, or it is outside what your role and state may see."),
    CURSOR_UNKNOWN: N_(
        "This page link is not one this node gave out; open the list again from its first page."
    ),
    PAGE_TOO_LARGE: N_("At most %(largest)s items on one page."),
    TOO_LONG: N_("At most %(limit)s characters."),
    FORM_UNEXPECTED: N_("The form was not sent by this page; reload the page and try again."),
    FORM_TOO_LARGE: N_("The form is larger than %(limit)s bytes; shorten the text."),
    REASON_REQUIRED: N_("Give the reason for this decision (at least %(min)s characters)."),
    DATE_INVALID: N_("Enter a real date, for example %(example)s."),
    ENDS_BEFORE_START: N_("The end date comes before the start date."),
    FILE_NOT_UTF8: N_("The file is not UTF-8 text."),
    FILE_TOO_LARGE: N_("The file is larger than %(limit)s bytes."),
    SIGN_IN_REQUIRED: N_("Please sign in (or send an API token)."),
    TOKEN_UNKNOWN: N_("The API token is unknown, expired or revoked."),
    FORM_EXPIRED: N_(
        "The form has expired or was not sent from this site; reload the page and try again."
    ),
    CSRF_HEADER: N_("A request signed in by cookie must send the %(header)s header."),
}
CATALOG: dict[str, str] = dict(GENERIC)


class Term(str):
    """A param that is itself a msgid (a field's or a state's label): translated before it is
    put into the sentence, and sent as its English text to API clients. A param that is a
    mapping of language → text (a benefit's names) is shown in the officer's language."""


class Gettext(Protocol):
    def gettext(self, message: str, **variables: Any) -> str: ...


def add_messages(messages: Mapping[str, str]) -> None:
    """A package's codes (from its ``install(app)``); a code means one thing only."""
    for code, msgid in messages.items():
        if CATALOG.setdefault(code, msgid) != msgid:
            raise ValueError(f"the code {code} is defined twice")
    CATALOG.update(messages)


def render(translator: Gettext, code: str, params: Mapping[str, Any], english: str) -> str:
    """The officer's wording of ``code``; the English text when the code is not in the
    catalog (never hidden)."""
    msgid = CATALOG.get(code)
    if msgid is None:
        return english
    try:
        words = {k: _text(translator, v) for k, v in params.items()}
        return translator.gettext(msgid, **words)
    except (KeyError, ValueError, TypeError):  # a catalog entry that lost a placeholder
        return english


def pick_language(texts: Mapping[str, str] | None, language: str) -> tuple[str, str]:
    """(text, its language) from officer-authored ``texts`` ({language: text}): this
    language, else English, else the first given; ("", "") when there is none."""
    for candidate in (language, "en", *(texts or {})):
        if texts and texts.get(candidate):
            return texts[candidate], candidate
    return "", ""


def authored(texts: Mapping[str, str], language: str) -> str:
    """Text officers wrote in several languages: this one, else English, else the first."""
    return pick_language(texts, language)[0]


def revised_texts(old: Mapping[str, str] | None, sent: Mapping[str, str]) -> dict[str, str]:
    """Officer-authored texts after an edit: the languages ``sent`` (empty ones dropped), the
    languages it was written in first, in their order, so the original stays the fallback."""
    kept = [language for language in (old or {}) if sent.get(language)]
    added = [language for language in sent if sent[language] and language not in kept]
    return {language: sent[language] for language in (*kept, *added)}


@dataclass(frozen=True)
class TextChange:
    """One language of one officer-authored text, before and after an edit."""

    field: str
    language: str
    before: str
    after: str


def text_changes(
    before: Mapping[str, Mapping[str, str]], after: Mapping[str, Mapping[str, str]]
) -> list[TextChange]:
    """What an edit of texts ({field: {language: text}}) changes, field by field."""
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name, {}), after.get(name, {})
        for language in dict.fromkeys([*old, *new]):
            if old.get(language, "") != new.get(language, ""):
                changes.append(
                    TextChange(name, language, old.get(language, ""), new.get(language, ""))
                )
    return changes


def original_language(texts: Mapping[str, str] | None) -> str:
    """The language a text was first written in: the first of its texts ("" if none)."""
    return next(iter(texts or {}), "")


def _text(translator: Gettext, value: Any) -> Any:
    if isinstance(value, Term):
        return translator.gettext(str(value))
    if isinstance(value, Mapping):  # a name officers gave in several languages
        return authored(value, getattr(translator, "code", "en"))
    return value if isinstance(value, int | float | str) else str(value)
