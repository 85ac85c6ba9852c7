"""Per-part name scoring (kervan.identity.name_match) and the readings of Cyrillic by source
language (kervan.identity.readings)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from kervan.identity.name_match import (
    MatchKind,
    compare_words,
    person_name,
    query_tokens,
    score_name,
    word_forms,
)
from kervan.identity.names import fold
from kervan.identity.readings import folded_readings, latin_readings

words = st.text(alphabet="abcdefghiklmnoprstuvzабвгдежзиклмнопрстуфхшэюя", min_size=2, max_size=9)


def score(typed: str, *name: str) -> float:
    return score_name(query_tokens(typed), person_name(*name)).score


@settings(max_examples=150, deadline=None)
@given(words, words)
def test_a_name_typed_as_stored_scores_100_in_either_order(surname: str, given_name: str) -> None:
    assert score(f"{surname} {given_name}", surname, given_name) == 100.0
    assert score(f"{given_name} {surname}", surname, given_name) == 100.0


@settings(max_examples=150, deadline=None)
@given(words, words, st.data())
def test_one_typo_scores_below_the_exact_name_and_still_matches(
    surname: str, given_name: str, data: st.DataObject
) -> None:
    word = surname + "ova"  # long enough for a typo to be allowed
    at = data.draw(st.integers(1, len(word) - 2))
    typo = word[:at] + word[at + 1 :]
    if fold(typo) == fold(word):
        return  # the deleted letter was one fold merges anyway
    if Levenshtein.distance(fold(typo), fold(word)) > 1:
        return  # a letter read as two Latin letters (ю → yu): two typos once folded, not one
    typed = score(f"{typo} {given_name}", word, given_name)
    assert 50.0 < typed < 100.0


@pytest.mark.parametrize(
    ("query", "stored", "kind"),
    [
        ("Шодмонов", "Шодмонов", MatchKind.EXACT),
        ("shodmonov", "Шодмонов", MatchKind.TRANSLITERATION),
        ("SHADMANOV", "Шодмонов", MatchKind.PHONETIC),
        ("SHODMNOV", "Шодмонов", MatchKind.PHONETIC),  # a dropped vowel keeps the skeleton
        ("SHODMOMOV", "Шодмонов", MatchKind.FUZZY),
        ("Иванов", "Шодмонов", MatchKind.NONE),
    ],
)
def test_match_kinds(query: str, stored: str, kind: MatchKind) -> None:
    assert compare_words(word_forms(query), word_forms(stored))[0] is kind


def test_an_exact_surname_outranks_an_exact_given_name() -> None:
    typed = query_tokens("Karimov Akmal")
    surname_right = score_name(typed, person_name("Karimov", "Akmar"))
    given_right = score_name(typed, person_name("Karimor", "Akmal"))
    assert surname_right.score == given_right.score  # one typo each
    assert surname_right.weighted > given_right.weighted  # the tie goes to the surname


@pytest.mark.parametrize(
    "typed",
    ["Асан уулу Бакыт", "Бакыт Асан уулу", "ASAN UULU BAKYT", "Асан Бакыт", "Bakyt Asan uulu"],
)
def test_kyrgyz_surnames_match_as_a_whole(typed: str) -> None:
    right = score(typed, "Асан уулу", "Бакыт")
    assert right >= 90.0
    assert score(typed, "Эркин уулу", "Бакыт") < right - 20
    assert score(typed, "Асан уулу", "Бакыт") >= score(typed, "Бакыт уулу", "Асан")


def test_a_patronymic_counts_when_recorded_and_is_neutral_when_not() -> None:
    typed = "Karimov Akmal Ilhom oʻgʻli"
    assert score(typed, "Karimov", "Akmal") == 100.0
    assert score(typed, "Karimov", "Akmal", "Ilhom oʻgʻli") == 100.0
    assert score(typed, "Karimov", "Akmal", "Rustam oʻgʻli") < 70.0


@pytest.mark.parametrize(
    ("cyrillic", "original"),
    [
        ("Сёке", "Szőke"),
        ("Ковач", "Kovács"),
        ("Дьёрдь", "György"),
        ("Надь", "Nagy"),
        ("Сабо", "Szabó"),
        ("Гёк", "Gök"),
        ("Гюль", "Gül"),
        ("Джан", "Can"),
        ("Мамедов", "Məmmədov"),
        ("Гасымов", "Qasımov"),
        ("Раҳимов", "Rahimov"),
    ],
)
def test_some_reading_of_the_cyrillic_gives_the_latin_original(
    cyrillic: str, original: str
) -> None:
    assert fold(original) in folded_readings(cyrillic)


def test_every_source_language_is_read_and_latin_is_its_own_reading() -> None:
    assert set(latin_readings("Сёке")) >= {"ru", "kk", "ky", "uz", "hu", "tr", "az"}
    assert latin_readings("Szőke") == {"": "Szőke"}
