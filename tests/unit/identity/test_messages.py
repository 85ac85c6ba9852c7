"""An MRZ problem reaches the booth officer in their language: each ``MRZError`` carries a code
from the catalog and params that fill it, the field named in the officer's words."""

from __future__ import annotations

from datetime import date

import pytest

from kervan import messages
from kervan.identity import validate_mrz
from kervan.identity.messages import MESSAGES
from kervan.web.i18n import Translator

TODAY = date(2025, 6, 15)
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


@pytest.fixture(autouse=True, scope="module")
def _catalog() -> None:
    messages.add_messages(MESSAGES)


def _first(lines: tuple[str, ...], language: str) -> str:
    (error, *_) = validate_mrz(lines, today=TODAY)
    return messages.render(Translator(language), error.code, error.params, str(error))


def test_a_composite_check_digit_in_russian() -> None:
    wrong = (TD3[0], TD3[1][:-1] + "4")
    text = _first(wrong, "ru")
    field = "вся зона (общая контрольная цифра)"
    assert text == f"Контрольная цифра поля «{field}» — 4, а должна быть 0."


def test_a_date_of_birth_check_digit_names_the_field_in_kazakh() -> None:
    wrong = (TD3[0], TD3[1][:19] + "3" + TD3[1][20:])
    assert "туған күні" in _first(wrong, "kk").lower() or "туған" in _first(wrong, "kk")


def test_characters_and_shape_are_coded() -> None:
    bad_characters = (TD3[0][:11] + "Ö" + TD3[0][12:], TD3[1])
    assert _first(bad_characters, "tr") == ("1. satırda MRZ'de bulunamayacak karakterler var: 'Ö'.")
    assert "3" in _first(("P<UTO", "X", "Y"), "hu")  # three short lines: their widths
    assert _first(("ONE LINE ONLY",), "en").startswith("This is not the shape of an MRZ: it has 1")


def test_english_stays_for_the_api() -> None:
    (error, *_) = validate_mrz((TD3[0], TD3[1][:-1] + "4"), today=TODAY)
    assert str(error) == "composite check digit: expected 0, found 4"
    assert error.code == "mrz.check-digit"
    assert error.params["expected"] == "0" and error.params["found"] == "4"
