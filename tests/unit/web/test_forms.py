"""The shared form rules: each refusal a code on its field, worded in the officer's language;
values trimmed; the date error shows an example in the officer's own date format."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from kervan.errors import InvalidInput
from kervan.messages import FORM_UNEXPECTED, INPUT_MISSING, TOO_LONG
from kervan.web.forms import (
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    FormLists,
    FormModel,
    FormValues,
    Many,
    OptionalFormDate,
    Password,
    Reason,
    RequiredText,
    SentForm,
    parse_form,
    read_form,
    read_text_form,
    required,
)
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import FormErrors
from kervan.web.problems import install_problem_handlers
from kervan.wiring import wire

wire()  # the packages' codes
RU = Translator("ru")


class _Decision(FormModel):
    reason: Reason
    until: OptionalFormDate = None


def test_a_good_form_is_read_and_trimmed() -> None:
    errors = FormErrors()
    form = read_form(RU, _Decision, {"reason": "  court order ", "until": "2026-05-01"}, errors)
    assert form is not None and errors == {}
    assert form.reason == "court order" and form.until == dt.date(2026, 5, 1)
    empty_date = read_form(RU, _Decision, {"reason": "ok!", "until": ""}, FormErrors())
    assert empty_date is not None and empty_date.until is None


def test_each_problem_is_on_its_field_in_the_officers_language() -> None:
    errors = FormErrors()
    assert read_form(RU, _Decision, {"reason": " x ", "until": "15.05.2020"}, errors) is None
    assert errors["reason"] == "Укажите основание решения (не менее 3 символов)."
    assert "YYYY" not in errors["until"] and "ГГГГ" not in errors["until"]
    assert str(dt.date.today().year) in errors["until"]


class _SignIn(FormModel):
    username: RequiredText
    password: Password = ""


def test_a_password_keeps_its_spaces_and_a_required_field_its_code() -> None:
    form = parse_form(_SignIn, {"username": " ada ", "password": " s3cret "})
    assert (form.username, form.password) == ("ada", " s3cret ")
    with pytest.raises(InvalidInput) as caught:
        parse_form(_SignIn, {"username": "  "})
    assert caught.value.code == INPUT_MISSING and caught.value.errors[0].field == "username"
    assert required("test.name")("x") == "x"


def _echo_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/lists")
    def lists(sent: FormValues, every: FormLists) -> dict[str, object]:
        return {"first": sent, "every": every}

    async def read_first(request: Request) -> None:  # as the CSRF check does, unbounded
        await request.form()

    @app.post("/read-before", dependencies=[Depends(read_first)])
    def read_before(sent: FormValues) -> dict[str, str]:
        return sent

    return app


def test_repeated_names_are_read_in_full_and_bounded_like_single_ones() -> None:
    client = TestClient(_echo_app())
    found = client.post("/lists", data={"zone": ["arrivals", "transit"], "airport": "ALA"})
    assert found.json() == {
        "first": {"zone": "arrivals", "airport": "ALA"},
        "every": {"zone": ["arrivals", "transit"], "airport": ["ALA"]},
    }
    flood = client.post("/lists", data={"zone": ["x"] * (MAX_FIELDS + 1)})
    assert flood.status_code == 422 and flood.json()["code"] == FORM_UNEXPECTED
    long = client.post("/lists", data={"zone": ["ok", "y" * (MAX_FIELD_CHARS + 1)]})
    assert long.status_code == 422 and long.json()["code"] == TOO_LONG


def test_the_bounds_hold_when_the_form_was_read_before() -> None:
    client = TestClient(_echo_app())
    flood = {f"f{i}": "1" for i in range(MAX_FIELDS + 1)}
    assert client.post("/read-before", data=flood).json()["code"] == FORM_UNEXPECTED
    upload = client.post("/read-before", data={"a": "1"}, files={"f": ("x.txt", b"x")})
    assert upload.status_code == 422 and upload.json()["code"] == FORM_UNEXPECTED
    assert client.post("/read-before", data={"a": "1"}).json() == {"a": "1"}


class _Choices(FormModel):
    nationality: Many = ()
    note: str = ""


def test_a_many_field_takes_every_value_sent_and_a_plain_one_the_first() -> None:
    sent = SentForm({"nationality": "UZB", "note": "a"}, {"nationality": ["UZB", "KGZ"]})
    form = read_text_form(_Choices, sent)
    assert form.nationality == ("UZB", "KGZ") and form.note == "a"
    assert read_text_form(_Choices, SentForm({}, {})).nationality == ()
