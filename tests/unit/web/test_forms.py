"""The shared form rules: each refusal a code on its field, worded in the officer's language;
values trimmed; the date error shows an example in the officer's own date format."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.enums import StayKind
from kervan.registry.forms import ExtendForm, IssueForm
from kervan.web.forms import FormModel, OptionalFormDate, Reason, read_form
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


def test_a_vocabulary_choice_is_refused_with_its_own_code() -> None:
    errors = FormErrors()
    values = {"kind": "castle", "purpose": "", "number": "", "reason": "because"}
    assert read_form(Translator("en"), IssueForm, values, errors) is None
    assert errors["kind"] == "Choose the kind of document."
    assert errors["purpose"] == "Choose the purpose of stay."
    assert errors["number"] == "Enter the document number."
    assert set(errors) >= {"valid_from", "valid_until"}
    good = {**values, "kind": "work_permit", "purpose": "work", "number": "WK1"}
    good |= {"valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    form = read_form(Translator("en"), IssueForm, good, FormErrors())
    assert form is not None and form.kind is StayKind.WORK_PERMIT


@given(st.text(max_size=30))
def test_any_date_text_is_a_date_or_a_coded_refusal(text: str) -> None:
    errors = FormErrors()
    form = read_form(
        Translator("en"), ExtendForm, {"reason": "why not", "valid_until": text}, errors
    )
    assert (form is not None) != ("valid_until" in errors)
