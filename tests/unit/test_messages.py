"""Every code an officer can meet has a translation in every language of the node, and the
catalog entry keeps the placeholders its params fill in."""

from __future__ import annotations

import re

import pytest

from kervan import messages
from kervan.web import i18n
from kervan.wiring import wire

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def catalog() -> dict[str, str]:
    wire()  # each package adds its codes in install(app)
    return dict(messages.CATALOG)


def test_every_package_adds_its_codes(catalog: dict[str, str]) -> None:
    prefixes = {code.split(".")[0] for code in catalog}
    assert {"register", "accounts", "measures", "exchange", "input"} <= prefixes


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != "en"])
def test_every_code_is_translated_in_every_language(catalog: dict[str, str], language: str) -> None:
    translator = i18n.Translator(language)
    missing = [
        code for code, msgid in catalog.items() if translator.translations.gettext(msgid) == msgid
    ]
    assert missing == [], f"{language}: no translation for {missing}"


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_translations_keep_the_placeholders(catalog: dict[str, str], language: str) -> None:
    translator = i18n.Translator(language)
    for code, msgid in catalog.items():
        wanted = set(PLACEHOLDER.findall(msgid))
        assert set(PLACEHOLDER.findall(translator.translations.gettext(msgid))) == wanted, code


def test_a_code_means_one_thing() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        messages.add_messages({"register.number-taken": "Something else"})


def test_an_unknown_code_shows_the_english_text() -> None:
    translator = i18n.Translator("ru")
    assert messages.render(translator, "nowhere.unknown", {}, "as written") == "as written"
