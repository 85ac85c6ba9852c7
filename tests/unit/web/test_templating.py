"""kervan/web/templating.py, its filters: dates and numbers in the officer's locale, a date of
birth only as far as it is known, an ICAO date with unknown parts kept as written, officer-
authored text in the officer's language or marked with the language it is in (and escaped),
and a dash for what is missing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from kervan.web.i18n import Translator
from kervan.web.templating import make_environment

ENV = make_environment()


def _render(template: str, language: str = "ru", **values: Any) -> str:
    return ENV.from_string(template).render(translator=Translator(language), **values)


def test_a_date_is_in_the_officers_locale() -> None:
    day = dt.date(2026, 3, 16)
    assert _render("{{ d|date }}", "hu", d=day) == "2026. márc. 16."
    assert _render("{{ d|date }}", "ru", d=day).startswith("16 мар. 2026")
    assert _render("{{ d|date }}", "en", d="2026-03-16") == "Mar 16, 2026"


@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_date_is_a_dash(value: object) -> None:
    assert _render("{{ d|date }}", d=value) == "—"


def test_a_missing_number_is_a_dash() -> None:
    assert _render("{{ n|number }}", n=None) == "—"


def test_an_icao_date_with_unknown_parts_stays_as_written() -> None:
    assert _render("{{ d|date }}", d="1988-XX-XX") == "1988-XX-XX"


def test_a_date_of_birth_is_shown_as_far_as_it_is_known() -> None:
    def person(month: int | None, day: int | None) -> SimpleNamespace:
        return SimpleNamespace(birth_year=1988, birth_month=month, birth_day=day)

    assert _render("{{ p|birth_date }}", "en", p=person(3, 14)) == "Mar 14, 1988"
    assert _render("{{ p|birth_date }}", "en", p=person(3, None)) == "Mar 1988"
    assert _render("{{ p|birth_date }}", "en", p=person(None, None)) == "1988"


def test_authored_text_in_another_language_is_marked_with_it_and_escaped() -> None:
    texts = {"en": "<b>Winter</b>", "ru": "Зима"}
    assert _render("{{ t|localized }}", "ru", t=texts) == "Зима"
    assert _render("{{ t|localized }}", "kk", t=texts) == (
        '<span lang="en">&lt;b&gt;Winter&lt;/b&gt;</span>'
    )
    assert _render("{{ t|localized('—') }}", t={}) == "—"
    assert _render("{{ t|authored }}", t="as written") == "as written"
    assert _render("{{ t|authored }}", t=None) == ""


def test_numbers_states_and_scripts_in_the_officers_language() -> None:
    assert _render("{{ n|number }}", "en", n=1234567.5) == "1,234,567.5"
    assert _render("{{ c|state_name }}", "ru", c="UZB") == "Узбекистан"
    assert _render("{{ c|state_name }}", "en", c="UZB") == "Uzbekistan"
    assert _render("{{ c|script_name }}", "en", c="Cyrl") == "Cyrillic"
    assert _render("{{ c|script_name }}", "en", c=None) == ""


def test_a_coded_sentence_is_explained_in_english_without_a_translation() -> None:
    said = {"code": "no.such.code", "params": {}, "message": "as the service said"}
    assert _render("{{ s|explain }}", "ru", s=said) == "as the service said"
