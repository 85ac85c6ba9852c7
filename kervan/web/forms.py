"""Forms of the officer pages, read through pydantic models: one home for the rules every form
shares (a reason of at least three characters, a date, a choice from a vocabulary, a required
text), each refusal a code with params (``kervan.messages``) shown next to its field in the
officer's language.

A page declares its form as a ``FormModel`` with these field types and calls ``read_form``;
what the form says about its own fields together (an end before a start) stays in the page.
A model may also declare a list of checkboxes (``Many``), a text longer than a typed field
(``MaxChars``) and a file (``Upload``); ``form_of(Model)`` reads the form with those, each
limit applied while the form is read."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_origin

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


MAX_FIELDS = 64  # the largest form has a few dozen; a flood of fields is refused while parsing
MAX_FIELD_CHARS = 2_000  # one typed field, unless its form model gives it a limit of its own

# A field sent any number of times (a list of checkboxes): ``nationality: Many = ()``.
Many = tuple[str, ...]


@dataclass(frozen=True)
class MaxChars:
    """A field's own limit, for the one text a form takes that is longer than a typed field
    (a scope in YAML): ``scope: Annotated[str, MaxChars(200_000)] = ""``."""

    chars: int


@dataclass(frozen=True)
class Upload:
    """A file field: read as UTF-8 text, at most ``chars`` characters of it (what is longer is
    cut there, so the page can say the file is too large); ``None`` when no file was chosen."""

    chars: int


class SentForm(dict[str, str]):
    """The fields as sent: the first value of each name, and every value of the names sent
    more than once (``getlist``), for the form model's ``Many`` fields."""

    def __init__(self, first: Mapping[str, str], lists: Mapping[str, list[str]]) -> None:
        super().__init__(first)
        self.lists = dict(lists)

    def getlist(self, name: str) -> list[str]:
        return list(self.lists.get(name, ()))


def _marks(model: type[FormModel], mark: type[Any]) -> dict[str, Any]:
    return {
        name: found
        for name, info in model.model_fields.items()
        for found in info.metadata
        if isinstance(found, mark)
    }


def _many(model: type[FormModel]) -> list[str]:
    return [
        name
        for name, info in model.model_fields.items()
        if get_origin(info.annotation) in (tuple, list)
    ]


def _unexpected() -> InvalidInput:
    return InvalidInput("the form is not one this page sends", code=FORM_UNEXPECTED)


def _too_long(name: str, limit: int) -> InvalidInput:
    return InvalidInput(
        f"{name} is longer than {limit} characters",
        code=TOO_LONG,
        params={"limit": limit},
        errors=[FieldError(name, "too long", TOO_LONG, {"limit": limit})],
    )


async def read_sent(request: Request, model: type[FormModel]) -> SentForm:
    """The submitted form, each field bounded while it is read: a typed field by
    ``MAX_FIELD_CHARS`` or its ``MaxChars``, a file by its ``Upload``; a form with more than
    ``MAX_FIELDS`` fields, or with a file where ``model`` declares none, is refused."""
    limits = {name: mark.chars for name, mark in _marks(model, MaxChars).items()}
    uploads = {name: mark.chars for name, mark in _marks(model, Upload).items()}
    try:
        form = await request.form(max_files=len(uploads), max_fields=MAX_FIELDS)
    except (HTTPException, MultiPartException) as exc:
        raise _unexpected() from exc
    # The CSRF check may have read (and cached) the form first, with Starlette's own bounds.
    if len(form.multi_items()) > MAX_FIELDS + len(uploads):
        raise _unexpected()
    first: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if not isinstance(value, str):
            if name not in uploads:
                raise _unexpected()  # a file this form does not take (read before, unbounded)
            if value.filename and name not in first:
                raw = await value.read(uploads[name] * 4 + 4)  # UTF-8: four bytes a character
                first[name] = raw.decode("utf-8", errors="replace")[: uploads[name]]
            continue
        limit = limits.get(name, MAX_FIELD_CHARS)
        if len(value) > limit:
            raise _too_long(name, limit)
        first.setdefault(name, value)
        lists.setdefault(name, []).append(value)
    return SentForm(first, lists)


async def form_values(request: Request) -> SentForm:
    """The text fields of a form whose page declares no model of its own."""
    return await read_sent(request, FormModel)


def form_of(model: type[FormModel]) -> Any:
    """The dependency reading a form with ``model``'s limits, its lists and its files:
    ``values: Annotated[dict[str, str], form_of(NewMeasureForm)]``."""

    async def read(request: Request) -> SentForm:
        return await read_sent(request, model)

    return Depends(read)


async def form_lists(request: Request) -> dict[str, list[str]]:
    """Every value of each name (boxes ticked under one name), bounded as ``form_values``."""
    return (await read_sent(request, FormModel)).lists


FormValues = Annotated[dict[str, str], Depends(form_values)]
FormLists = Annotated[dict[str, list[str]], Depends(form_lists)]


def fields_of(model: type[FormModel], sent: dict[str, str]) -> dict[str, str]:
    """The model's fields as the officer typed them, to show the form again."""
    return {name: sent.get(name, "") for name in model.model_fields}


def _data(model: type[FormModel], values: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = dict(values)
    if isinstance(values, SentForm):
        data.update({name: values.getlist(name) for name in _many(model)})
    return data


def read_text_form(model: type[Form], values: Mapping[str, Any]) -> Form:
    """A form of free text fields only (the page checks them itself, each on its field):
    it always reads."""
    return model.model_validate(_data(model, values))


def read_form(
    translator: Translator, model: type[Form], values: Mapping[str, Any], errors: FormErrors
) -> Form | None:
    """The form as ``model``, or None with each problem put on its field in ``errors``."""
    try:
        return model.model_validate(_data(model, values))
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
