"""The shared form rules: each refusal a code on its field, worded in the officer's language;
values trimmed; the date error shows an example in the officer's own date format."""

from __future__ import annotations

import datetime as dt

from kervan.web.forms import (
    FormModel,
    Many,
    OptionalFormDate,
    Reason,
    SentForm,
    read_form,
    read_text_form,
)
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import FormErrors
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


class _Choices(FormModel):
    nationality: Many = ()
    note: str = ""


def test_a_many_field_takes_every_value_sent_and_a_plain_one_the_first() -> None:
    sent = SentForm({"nationality": "UZB", "note": "a"}, {"nationality": ["UZB", "KGZ"]})
    form = read_text_form(_Choices, sent)
    assert form.nationality == ("UZB", "KGZ") and form.note == "a"
    assert read_text_form(_Choices, SentForm({}, {})).nationality == ()
