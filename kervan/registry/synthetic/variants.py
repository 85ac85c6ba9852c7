"""The ways an officer might type a person's name: the queries the search tests and the search
benchmark send, each of which should find the person.

Every variant is written family name first (``primary secondary``), as the register stores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kervan.identity.translit import to_mrz, to_national_latin
from kervan.registry.synthetic.names import NameEntry, find_entry, name_group
from kervan.registry.synthetic.people import older_spelling

# Languages whose national Latin alphabet kervan.identity knows.
_NATIONAL_LATIN = frozenset({"uz", "kk", "az", "tr", "ru", "ky", "tg"})
# Informal English-style spellings: Rakhimov → Rahimov, Zhanar → Janar.
_INFORMAL = ((re.compile(r"KH"), "H"), (re.compile(r"DZH"), "J"), (re.compile(r"ZH"), "J"))
_APOSTROPHES = re.compile(r"[ʻʼ‘’`']")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

Pick = Callable[[NameEntry], str | None]
Fallback = Callable[[str], str | None]


def _join(primary: str, secondary: str) -> str:
    return " ".join(f"{primary} {secondary}".split())


def _no_fallback(_word: str) -> str | None:
    return None


def _spell_part(nationality: str, part: str, pick: Pick, fallback: Fallback) -> str | None:
    """Spell a name part from its name data (whole, like Асан уулу, else word by word), words
    without data by ``fallback``; None if some word has no spelling."""
    entry = find_entry(nationality, part)
    if entry is not None:
        return pick(entry) or fallback(part)
    words = []
    for word in part.split():
        entry = find_entry(nationality, word)
        spelled = (pick(entry) if entry is not None else None) or fallback(word)
        if not spelled:
            return None
        words.append(spelled)
    return " ".join(words)


def _both(person: Mapping[str, Any], pick: Pick, fallback: Fallback = _no_fallback) -> str | None:
    nationality = person["nationality"]
    primary = _spell_part(nationality, person["primary_name"], pick, fallback)
    secondary = person["secondary_name"]
    if secondary:
        secondary = _spell_part(nationality, secondary, pick, fallback)
    if primary is None or secondary is None:
        return None
    return _join(primary, secondary)


def _other_script(entry: NameEntry) -> str | None:
    if entry.cyrillic:
        return entry.cyrillic
    return next((a for a in entry.typed_spellings if _CYRILLIC.search(a)), None)


def _russian_cyrillic(entry: NameEntry) -> str | None:
    """How a Russian-speaking officer writes the name (Рахимов for Раҳимов)."""
    typed = next((a for a in entry.typed_spellings if _CYRILLIC.search(a)), None)
    if typed:
        return typed
    return entry.cyrillic or (entry.name if _CYRILLIC.search(entry.name) else None)


def _latin_of_cyrillic(entry: NameEntry) -> str | None:
    return entry.name if entry.cyrillic else None


def _typed_latin(entry: NameEntry) -> str | None:
    return next((a for a in entry.typed_spellings if not _CYRILLIC.search(a)), None)


def _first_passport_spelling(entry: NameEntry) -> str | None:
    return next(iter(entry.passport_spellings), None)


def _title_mrz(word: str) -> str:
    return to_mrz(word).title()


def _informal(icao: str) -> str:
    for pattern, replacement in _INFORMAL:
        icao = pattern.sub(replacement, icao)
    return icao.title()


def _candidates(person: Mapping[str, Any]) -> Iterable[str | None]:
    primary, secondary = person["primary_name"], person["secondary_name"]
    nationality = person["nationality"]
    table = _join(to_mrz(primary), to_mrz(secondary))
    yield _join(primary, secondary)
    yield _join(person["primary_identifier"], person["secondary_identifier"])
    yield table
    try:
        language = name_group(nationality).language
    except KeyError:
        language = ""
    if language in _NATIONAL_LATIN and _CYRILLIC.search(primary + secondary):
        yield _join(to_national_latin(primary, language), to_national_latin(secondary, language))
    yield _both(person, _other_script)
    yield _both(person, _latin_of_cyrillic)
    yield _both(person, _russian_cyrillic)
    yield _both(person, _first_passport_spelling, to_mrz)
    yield _both(person, _typed_latin, _title_mrz)
    yield table.title()
    if _CYRILLIC.search(primary + secondary):  # the rules are about Cyrillic transliteration
        yield _informal(table)
        yield older_spelling(table).title()
    if _APOSTROPHES.search(primary + secondary):
        yield _APOSTROPHES.sub("'", _join(primary, secondary))
        yield _APOSTROPHES.sub("", _join(primary, secondary))


def spelling_variants(person: Mapping[str, Any]) -> list[str]:
    """Distinct spellings of a generated person's name, the written form first.

    ``person`` is a ``persons`` row from ``generate`` (or any mapping with its name columns and
    nationality): Cyrillic, national Latin, the passport's and the table's ICAO forms, the
    spelling in the other script, and informal English-style spellings (``Rakhimov``,
    ``Rahimov``)."""
    variants: list[str] = []
    folded: set[str] = set()  # search ignores case: MAMEDOV and Mamedov are one query
    for candidate in _candidates(person):
        if candidate and candidate.casefold() not in folded:
            folded.add(candidate.casefold())
            variants.append(candidate)
    return variants
