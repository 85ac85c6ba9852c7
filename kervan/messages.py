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
from typing import Any, Protocol

INPUT_MISSING = "input.missing"  # pydantic's "missing", as ``pydantic_field_errors`` codes it
TOO_MANY_REQUESTS = "input.too-many-requests"  # ``kervan.web.rate_limits``
FORM_TOO_LARGE = "input.form-too-large"  # ``kervan.web.public_intake``


def N_(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


# Codes of no capability in particular; each package adds its own in ``install``.
GENERIC = {
    INPUT_MISSING: N_("This field is required."),
    TOO_MANY_REQUESTS: N_("At most %(per_minute)s a minute; try again shortly."),
    FORM_TOO_LARGE: N_("The form is larger than %(limit)s bytes; shorten the text."),
}
CATALOG: dict[str, str] = dict(GENERIC)


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
        return translator.gettext(msgid, **{k: _text(v) for k, v in params.items()})
    except (KeyError, ValueError, TypeError):  # a catalog entry that lost a placeholder
        return english


def _text(value: Any) -> Any:
    return value if isinstance(value, int | float | str) else str(value)
