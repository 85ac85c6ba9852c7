"""The UI's languages: which ones exist, which one a request gets, and its translations.

Catalogs are kept as ``.po`` files only and compiled into memory on first use, so a checkout,
a wheel and CI all run with no ``compile`` step and no binary ``.mo`` files to keep in sync.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
COOKIE_NAME = "kervan_lang"

# Code → the language's name in itself, as the language menu shows it. Uzbek is in Latin
# script: Babel's "uz" is Latin by default.
LANGUAGES: dict[str, str] = {
    "ru": "Русский",
    "en": "English",
    "uz": "Oʻzbekcha",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "az": "Azərbaycanca",
    "tr": "Türkçe",
    "hu": "Magyar",
}


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where shown."""
    return message


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations_for(code: str) -> NullTranslations:
    """The compiled catalog of a language; English source text where a message is missing."""
    path = po_path(code)
    if code not in LANGUAGES or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: never shown to an officer.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def supported(code: str | None) -> str | None:
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str) -> str | None:
    """The best supported language of an ``Accept-Language`` header, by its q-values."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = supported(tag)
        if code and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def one_full_stop(text: str, variables: dict[str, Any]) -> str:
    """The sentence's own full stop is dropped after a value that ends with one: a date in
    Russian ("16 мар. 2026 г.") or Hungarian ("2026. márc. 16.") would otherwise read "г..".
    Works on the format string, so it holds for every catalog and for Markup alike."""
    for name, value in variables.items():
        if str(value).endswith("."):
            text = text.replace(f"%({name})s.", f"%({name})s")
    return text


@dataclass(frozen=True)
class Translator:
    """One request's language: gettext for Python code, and what templates need."""

    code: str

    @property
    def translations(self) -> NullTranslations:
        return translations_for(self.code)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    def gettext(self, message: str, **variables: Any) -> str:
        text = self.translations.gettext(message)
        # Always formatted, as in templates, so that "%%" means one thing in every catalog.
        return one_full_stop(text, variables) % variables

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return (
            one_full_stop(self.translations.ngettext(singular, plural, num), variables) % variables
        )
