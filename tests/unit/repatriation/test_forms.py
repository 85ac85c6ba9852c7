"""The request form of the pages: coded refusals on their fields, what the fields say together,
and the API's own shape from a checked form."""

from __future__ import annotations

import datetime as dt

from kervan.repatriation import forms
from kervan.repatriation import messages as m
from kervan.web.forms import read_form
from kervan.web.i18n import Translator
from kervan.web.i18n_errors import FormErrors

SENT = {
    "host_state": "kaz", "origin": "ala", "destination": "TAS", "earliest_date": "2026-05-01",
    "document_status": "valid_passport", "surname": "Karimov", "birth_date": "1980-02-10",
    "passport_number": "fa7000001", "reason_elderly": "yes", "consent": "yes",
    "member1_surname": "Karimova", "member1_birth_date": "1982-03-01",
}  # fmt: skip


def test_a_checked_form_becomes_the_api_request() -> None:
    errors = FormErrors()
    form = read_form(Translator("en"), forms.RequestForm, SENT, errors)
    assert form is not None and not errors
    form = form.model_copy(update={"group": forms.read_group(Translator("en"), SENT, errors)})
    assert forms.request_problems(SENT, form) == {}
    data = forms.request_data(form, "UZB")
    assert data.host_state == "KAZ" and data.origin == "ALA"
    assert [t.primary_identifier for t in data.travellers] == ["KARIMOV", "KARIMOVA"]
    assert data.travellers[0].passport_state == "UZB" and data.travellers[1].passport_number is None
    assert [r.value for r in data.priority_reasons] == ["elderly"]


def test_the_group_rows_are_bounded_and_each_refusal_is_on_its_row() -> None:
    sent = {"members": "500", "member2_surname": "Ж", "member12_surname": "KARIMOV"}
    values = forms.request_values({**sent, "add_member": "1"})
    assert values["members"] == str(forms.MEMBERS_MAX) and "member12_surname" not in values
    errors = FormErrors()
    assert forms.read_group(Translator("en"), values, errors) == ()
    assert set(errors) == {"member2_surname"}
    assert forms.request_values({"member3_given_names": "A"})["members"] == "3"


def test_refusals_are_coded_on_their_fields() -> None:
    sent = {**SENT, "host_state": "XXX", "surname": "Каримов", "member1_birth_date": "",
            "consent": ""}  # fmt: skip
    errors = FormErrors()
    form = read_form(Translator("en"), forms.RequestForm, sent, errors)
    assert form is None and {"host_state", "surname"} <= set(errors)
    problems = forms.request_problems(sent, form)
    assert problems == {"member1_birth_date": m.FORM_MEMBER_BIRTH, "consent": m.CONSENT_REQUIRED}
    later = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    born_later = read_form(
        Translator("en"), forms.RequestForm, {**SENT, "birth_date": later}, errors
    )
    assert forms.request_problems(SENT, born_later)["birth_date"] == m.FORM_BIRTH_FUTURE


def test_a_leg_form_checks_its_times_and_seats() -> None:
    sent = {
        "host_state": "KAZ", "mode": "flight", "operator": "Uzbekistan Airways",
        "number": "hy 2712", "origin": "ALA", "origin_name": "Almaty", "destination": "TAS",
        "destination_name": "Tashkent", "departs_at": "2026-05-12T09:30",
        "arrives_at": "2026-05-12T08:00", "seats": "10", "held_seats": "12",
    }  # fmt: skip
    errors = FormErrors()
    form = read_form(Translator("en"), forms.LegForm, sent, errors)
    assert form is not None and form.departs_at.tzinfo is not None and form.number == "HY 2712"
    assert forms.leg_problems(form) == {
        "arrives_at": m.FORM_ARRIVES_BEFORE, "held_seats": m.FORM_HELD_TOO_MANY,
    }  # fmt: skip
    assert read_form(Translator("en"), forms.LegForm, {**sent, "seats": "0"}, errors) is None
    assert "seats" in errors
