"""score_name: ranking a typed name against a person's name (surname, given, patronymic)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.identity.name_match import person_name, query_tokens, score_name

Name = tuple[str, ...]


def score(query: str, name: Name) -> float:
    return score_name(query_tokens(query), person_name(*name)).score


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Ўткир Раҳимов", ("Rakhimov", "Utkir")),
        ("Rahimov Otkir", ("Rahimov", "Otkir")),
        ("Otkir Rahimov", ("Rahimov", "Otkir")),  # given name first
        ("PETER KOVACS", ("Kovács", "Péter")),  # Hungarian order
        ("Юлия Иванова", ("IVANOVA", "YULIYA")),
        ("Şükrü Öztürk", ("OEZTUERK", "SUEKRUE")),
        ("Otkir Rahimov", ("Rahimov", "Otkir", "Ilhom oʻgʻli")),  # patronymic not typed
    ],
)
def test_the_same_name_scores_90_or_more(query: str, name: Name) -> None:
    assert score(query, name) >= 90.0


@pytest.mark.parametrize(
    ("query", "name", "at_least"),
    [
        ("Otkir Rakhimov", ("RAHIMOV", "UTKIR"), 85),
        ("MEMMEDOV ELVIN", ("Məmmədov", "Elvin"), 85),
        ("Ali", ("Valiyev", "Ali"), 95),  # all the query's words found
        ("Farrukh Yusupov", ("Yusufov", "Farrux"), 85),
    ],
)
def test_variants_score_high(query: str, name: Name, at_least: float) -> None:
    assert score(query, name) >= at_least


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Ivan Petrov", ("Smirnova", "Olga")),
        ("Ali", ("Ella", "")),
        ("Otkir Rahimov", ("Karimov", "Jasur")),
    ],
)
def test_different_names_score_low(query: str, name: Name) -> None:
    assert score(query, name) < 75


def test_empty_names_score_0() -> None:
    assert score("", ("Anna", "")) == 0.0
    assert score("Anna", ("王小明", "")) == 0.0


def test_ranking_prefers_the_closer_spelling() -> None:
    query = "Otkir Rahimov"
    assert score(query, ("Rahimov", "Otkir")) > score(query, ("Rahimov", "Utkir"))
    assert score(query, ("Rahimov", "Utkir")) > score(query, ("Karimov", "Utkir"))


@given(st.text(max_size=40), st.text(max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_score_is_a_percentage(query: str, surname: str, given_name: str, patronymic: str) -> None:
    assert 0.0 <= score(query, (surname, given_name, patronymic)) <= 100.0
