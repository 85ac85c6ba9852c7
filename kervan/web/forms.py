"""Forms of the officer pages, read through pydantic models: one home for the rules every form
shares (a reason of at least three characters, a date, a choice from a vocabulary, a required
text), each refusal a code with params (``kervan.messages``) shown next to its field in the
officer's language.

A page declares its form as a ``FormModel`` with these field types and calls ``read_form``;
what the form says about its own fields together (an end before a start) stays in the page."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
)
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from kervan.errors import CodedValueError, FieldError, InvalidInput, pydantic_field_errors
from kervan.messages import (
    DATE_INVALID,
    FORM_UNEXPECTED,
    INPUT_MISSING,
    REASON_REQUIRED,
    TOO_LONG,
    pick_language,
)
from kervan.web.i18n import LANGUAGES, Translator
from kervan.web.i18n_errors import FormErrors, field_message

MIN_REASON = 3
Form = TypeVar("Form", bound="FormModel")


class FormModel(BaseModel):
    """A form's fields as the officer sent them: surrounding white space dropped, fields the
    page does not know ignored (a browser sends its buttons too)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


def _reason(text: str) -> str:
    if len(text) < MIN_REASON:
        raise CodedValueError(
            f"give the reason (at least {MIN_REASON} characters)",
            REASON_REQUIRED,
            min=MIN_REASON,
        )
    return text


def parse_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        # The example is today, shown in the officer's locale as their date picker shows it.
        raise CodedValueError(
            "not a date", DATE_INVALID, example=dt.date.today().isoformat()
        ) from None


def required(code: str) -> Callable[[str], str]:
    """A check that the text is not empty, refused with ``code`` ("Enter a username.")."""

    def check(text: str) -> str:
        if not text:
            raise CodedValueError("this field is required", code)
        return text

    return check


def choice(vocabulary: type[enum.Enum], code: str) -> BeforeValidator:
    """A value of ``vocabulary``; anything else refused with ``code`` ("Choose the kind…")."""
    allowed = {str(member.value) for member in vocabulary}

    def check(value: Any) -> Any:
        if isinstance(value, vocabulary):
            return value
        if str(value).strip() not in allowed:
            raise CodedValueError(f"choose one of {', '.join(sorted(allowed))}", code)
        return vocabulary(str(value).strip())

    return BeforeValidator(check)


Reason = Annotated[str, AfterValidator(_reason)]
FormDate = Annotated[dt.date, BeforeValidator(parse_date)]
RequiredText = Annotated[str, AfterValidator(required(INPUT_MISSING))]
# A secret as typed: white space around it is part of it.
Password = Annotated[str, StringConstraints(strip_whitespace=False)]
# A date the officer may leave empty (``None``).
OptionalFormDate = Annotated[
    dt.date | None, BeforeValidator(lambda v: parse_date(v) if v else None)
]


MAX_FIELDS = 64  # the largest form has a dozen; a flood of fields is refused while parsing
MAX_FIELD_CHARS = 2_000  # one typed field; longer texts (a scope) are the page's own fields


async def _form_items(request: Request) -> list[tuple[str, str]]:
    """The text fields of the submitted form, in order, each bounded; a form with more than
    ``MAX_FIELDS`` fields or with a file is refused while it is read."""
    refused = InvalidInput("the form is not one this page sends", code=FORM_UNEXPECTED)
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    except (HTTPException, MultiPartException) as exc:
        raise refused from exc
    # The form may have been read before, with Starlette's wider bounds (the CSRF check reads
    # it first, and ``request.form`` returns that copy): the bounds are checked again here.
    if len(form.multi_items()) > MAX_FIELDS:
        raise refused
    items = []
    for name, value in form.multi_items():
        if not isinstance(value, str):
            raise refused
        if len(value) > MAX_FIELD_CHARS:
            raise InvalidInput(
                f"{name} is longer than {MAX_FIELD_CHARS} characters",
                code=TOO_LONG,
                params={"limit": MAX_FIELD_CHARS},
                errors=[FieldError(name, "too long", TOO_LONG, {"limit": MAX_FIELD_CHARS})],
            )
        items.append((name, value))
    return items


async def form_values(request: Request) -> dict[str, str]:
    """The text fields of the submitted form (the first of a repeated name), bounded."""
    values: dict[str, str] = {}
    for name, value in await _form_items(request):
        values.setdefault(name, value)
    return values


async def form_lists(request: Request) -> dict[str, list[str]]:
    """Every value of each name (boxes ticked under one name), bounded as ``form_values``."""
    lists: dict[str, list[str]] = {}
    for name, value in await _form_items(request):
        lists.setdefault(name, []).append(value)
    return lists


FormValues = Annotated[dict[str, str], Depends(form_values)]
FormLists = Annotated[dict[str, list[str]], Depends(form_lists)]


def fields_of(model: type[FormModel], sent: dict[str, str]) -> dict[str, str]:
    """The model's fields as the officer typed them, to show the form again."""
    return {name: sent.get(name, "") for name in model.model_fields}


def read_form(
    translator: Translator, model: type[Form], values: Mapping[str, Any], errors: FormErrors
) -> Form | None:
    """The form as ``model``, or None with each problem put on its field in ``errors``."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        for problem in pydantic_field_errors(exc):
            errors.setdefault(problem.field, field_message(translator, problem))
        return None


def texts_by_language(values: Mapping[str, str], name: str) -> dict[str, str]:
    """A text officers write in each UI language, sent as one field per language
    (``title-kk``): {language: text}, in the menu's order, empty ones left out."""
    found = {code: values.get(f"{name}-{code}", "").strip() for code in LANGUAGES}
    return {code: text for code, text in found.items() if text}


def fallbacks_of(texts: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """For each UI language without a text: (the text its readers see instead, its language)."""
    return {code: pick_language(texts, code) for code in LANGUAGES if not texts.get(code) and texts}


def parse_form(model: type[Form], values: Mapping[str, Any]) -> Form:
    """The form as ``model``, for a form with no page of its own to show again (a button, the
    sign-in's hidden fields): a refusal is an error page (422) with each problem on its field
    and the first one's code on top."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        problems = pydantic_field_errors(exc)
        first = problems[0]
        raise InvalidInput(
            f"{first.field}: {first.message}",
            code=first.code,
            params=first.params,
            errors=problems,
        ) from exc
