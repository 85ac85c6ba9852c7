"""Officer-facing wording of the errors a user can meet, in their language.

Services raise errors in English for the API and the log (``KervanError.detail`` and field
messages), each with a stable code and named params. The UI words the code from the catalog
(``kervan.messages``) in the officer's language; an error whose code is not in the catalog is
shown as the service wrote it, under a translated title, so nothing is ever hidden.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import pycountry
from babel.dates import format_date
from babel.numbers import format_decimal

from kervan.errors import FieldError, KervanError
from kervan.messages import authored, render
from kervan.registry.codes import state_name
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.web.i18n import N_, Translator
from kervan.web.i18n_terms import term

# Params are shown by what their name says they hold (``docs/dev/i18n.md``): a state code by
# the state's name, an ISO date in the officer's locale, a vocabulary value by its label.
STATE_PARAMS = frozenset(
    {"state", "states", "node", "nationality", "nationalities", "issuing_state"}
)
DATE_PARAMS = frozenset(
    {"date", "start", "end", "until", "on", "valid_until", "valid_from", "example"}
)
VOCABULARY_PARAMS: dict[str, type[enum.Enum]] = {
    "kind": StayKind,
    "kinds": StayKind,
    "purpose": StayPurpose,
    "purposes": StayPurpose,
    "status": StayStatus,
    "statuses": StayStatus,
}

# Named groups of nationalities a scope may use (``measures.scope_terms.NATIONALITY_GROUPS``).
STATE_GROUPS = {"member_states": N_("the member states")}

# What an explanation saw, by the name of the value (``saw`` of a clause).
SAW_LABELS: dict[str, str] = {
    "nationality": N_("nationality"),
    "kind": N_("kind"),
    "purpose": N_("purpose"),
    "status": N_("status"),
    "valid_until": N_("valid until"),
    "age": N_("age"),
    "birth_date": N_("date of birth"),
    "on": N_("on"),
    "matched": N_("clauses matched"),
    "of": N_("of"),
    "documents_valid_on_day": N_("documents valid that day"),
    "document": N_("stay document"),
    "minor": N_("minor"),
    "elderly": N_("elderly"),
    "stateless_or_refugee": N_("stateless or a refugee"),
}

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


def officer_param(translator: Translator, key: str, value: Any) -> Any:
    """A param as the officer reads it: see ``STATE_PARAMS``, ``DATE_PARAMS``,
    ``VOCABULARY_PARAMS``; a whole number in the officer's locale; a list is each of its
    items, joined."""
    if isinstance(value, list | tuple):
        return ", ".join(str(officer_param(translator, key, item)) for item in value)
    if key in STATE_PARAMS and isinstance(value, str):
        if value in STATE_GROUPS:
            return translator.gettext(STATE_GROUPS[value])
        return state_in(translator, value)
    if key in DATE_PARAMS and isinstance(value, str | dt.date):
        return date_in(translator, value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=translator.locale)  # "2 000 000" in Russian
    vocabulary = VOCABULARY_PARAMS.get(key)
    if vocabulary is not None and isinstance(value, str):
        try:
            return translator.gettext(term(vocabulary(value)))
        except ValueError:
            return value
    return value


def state_in(translator: Translator, code: str) -> str:
    """A state's name in the officer's language (Babel's CLDR territory names), else English;
    a code that names no state stays as written."""
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is not None:
        name = translator.locale.territories.get(country.alpha_2)
        if name:
            return str(name)
    return state_name(code)


def authored_in(translator: Translator, texts: Mapping[str, str]) -> str:
    return authored(texts, translator.code)


def date_in(translator: Translator, value: str | dt.date) -> str:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:  # an ICAO date with unknown parts ("1988-XX-XX") stays as is
            return value
    return str(format_date(day, "medium", locale=translator.locale))


def coded_text(translator: Translator, code: str, params: Mapping[str, Any], english: str) -> str:
    """A coded sentence in the officer's language, its params shown as they read them."""
    shown = {key: officer_param(translator, key, value) for key, value in params.items()}
    return render(translator, code, shown, english)


def error_message(translator: Translator, exc: KervanError) -> str:
    return coded_text(translator, exc.code, exc.params, exc.detail)


def field_message(translator: Translator, error: FieldError) -> str:
    return coded_text(translator, error.code, error.params, error.message)


def saw_text(translator: Translator, saw: Mapping[str, Any]) -> str:
    """What a clause saw, labelled in the officer's language; ids are left out (the page
    names the records)."""
    shown = []
    for key, value in saw.items():
        if key == "id" or key.endswith("_id") or value is None:
            continue
        label = translator.gettext(SAW_LABELS[key]) if key in SAW_LABELS else key
        if isinstance(value, bool):
            value = translator.gettext(N_("yes") if value else N_("no"))
        shown.append(f"{label}: {officer_param(translator, key, value)}")
    return "; ".join(shown)


def error_title(translator: Translator, slug: str) -> str:
    return translator.gettext(TITLES.get(slug, TITLES["bad-request"]))


def error_explanation(
    translator: Translator, slug: str, detail: str, exc: KervanError | None = None
) -> str:
    if slug in EXPLANATIONS:
        return translator.gettext(EXPLANATIONS[slug])
    if exc is not None:
        return error_message(translator, exc)
    return detail


class FormErrors(dict[str, str]):
    """A form's errors: field name → message in the officer's language; ``"_"`` for the form
    as a whole. Templates show each next to its field."""

    def from_error(self, translator: Translator, exc: KervanError) -> FormErrors:
        for error in exc.errors:
            self[error.field] = field_message(translator, error)
        self["_"] = error_message(translator, exc)
        return self
