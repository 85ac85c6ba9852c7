"""``spelling_variants``: the ways an officer might type a generated person's name."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from kervan.registry.enums import Sex
from kervan.registry.naming import name_columns
from kervan.registry.synthetic import generate, spelling_variants
from kervan.registry.synthetic.names import name_group
from kervan.registry.synthetic.people import draw_name, older_spelling


def _person(
    nationality: str,
    primary: str,
    secondary: str,
    primary_id: str | None = None,
    secondary_id: str | None = None,
) -> dict[str, Any]:
    columns = name_columns(primary, secondary, primary_id, secondary_id)
    return {
        "primary_name": primary,
        "secondary_name": secondary,
        "nationality": nationality,
        **columns.as_dict(),
    }


def test_russian_name_with_an_older_passport() -> None:
    person = _person("RUS", "Смирнова", "Юлия", "SMIRNOVA", "YULIYA")
    variants = spelling_variants(person)
    assert variants[0] == "Смирнова Юлия"
    assert {"SMIRNOVA YULIYA", "SMIRNOVA IULIIA"} <= set(variants)


def test_uzbek_name_in_both_scripts_and_informal_english() -> None:
    person = _person("UZB", "Раҳимов", "Алишер", "RAHIMOV", "ALISHER")
    variants = {v.casefold() for v in spelling_variants(person)}
    for expected in ("Раҳимов Алишер", "Rahimov Alisher", "Rakhimov Alisher", "Рахимов Алишер"):
        assert expected.casefold() in variants


def test_azerbaijani_name_as_passports_and_russian_records_write_it() -> None:
    person = _person("AZE", "Məmmədov", "Rəşad", "MAMEDOV", "RASHAD")
    variants = {v.casefold() for v in spelling_variants(person)}
    for expected in ("Məmmədov Rəşad", "MAMEDOV RASHAD", "MAMMADOV RASAD", "Мамедов Рашад"):
        assert expected.casefold() in variants


def test_uzbek_latin_apostrophes_as_typed_on_a_keyboard() -> None:
    variants = spelling_variants(_person("UZB", "Poʻlatov", "Oʻtkir"))
    assert "Po'latov O'tkir" in variants
    assert {"polatov otkir", "pulatov utkir"} <= {v.casefold() for v in variants}
    assert "Пўлатов Ўткир" in variants


def test_variants_are_distinct_and_not_empty() -> None:
    persons = [
        p
        for b in generate(300, seed=9, host_state="KAZ", today=dt.date(2025, 6, 1))
        for p in b.persons
    ]
    for person in persons:
        variants = spelling_variants(person)
        assert variants and all(v.strip() == v and v for v in variants)
        assert len({v.casefold() for v in variants}) == len(variants)
        assert variants[0] == f"{person['primary_name']} {person['secondary_name']}".strip()


@pytest.mark.parametrize(
    ("table", "older"),
    [
        ("IULIIA", "YULIYA"),
        ("NATALIA", "NATALYA"),
        ("SERGEI", "SERGEY"),
        ("DMITRII", "DMITRIY"),
        ("ZHUMABAEV", "ZHUMABAYEV"),
        ("IVANOV", "IVANOV"),
    ],
)
def test_older_passport_spelling(table: str, older: str) -> None:
    assert older_spelling(table) == older


def test_uzbek_cyrillic_records_carry_the_latin_passport_spelling() -> None:
    rng = random.Random(4)
    group = name_group("UZB")
    names = [draw_name(rng, group, Sex.MALE, 1960) for _ in range(200)]
    cyrillic = [n for n in names if any("\u0400" <= c <= "\u04ff" for c in n.primary_name)]
    assert len(cyrillic) > 100  # older people's records are mostly in Cyrillic
    assert all(n.primary_identifier and n.primary_identifier.isascii() for n in cyrillic)
