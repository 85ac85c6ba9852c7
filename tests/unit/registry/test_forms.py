"""The register pages' forms (``kervan.registry.forms``): each field refused with its own code,
worded for the officer; any date text is a date or a coded refusal, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.enums import StayKind
from kervan.registry.forms import ExtendForm, IssueForm
from kervan.web.forms import read_form
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import FormErrors
from kervan.wiring import wire

wire()  # the packages' codes


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
