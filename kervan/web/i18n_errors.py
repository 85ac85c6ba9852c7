"""Officer-facing wording of the errors a user can meet, in their language.

Services raise errors in English for the API and the log (``KervanError.detail`` and field
messages), each with a stable code and named params. The UI words the code from the catalog
(``kervan.messages``) in the officer's language; an error whose code is not in the catalog is
shown as the service wrote it, under a translated title, so nothing is ever hidden.
"""

from __future__ import annotations

from kervan.errors import FieldError, KervanError
from kervan.messages import render
from kervan.web.i18n import N_, Translator

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


def error_message(translator: Translator, exc: KervanError) -> str:
    return render(translator, exc.code, exc.params, exc.detail)


def field_message(translator: Translator, error: FieldError) -> str:
    return render(translator, error.code, error.params, error.message)


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
