"""match_score: ranking written names against each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.identity import match_score


@pytest.mark.parametrize(
    ("query", "candidate"),
    [
        ("Ўткир Раҳимов", "Utkir Rakhimov"),
        ("Rahimov Otkir", "Otkir Rahimov"),  # family name first
        ("Kovács Péter", "PETER KOVACS"),  # Hungarian order
        ("Юлия Иванова", "YULIYA IVANOVA"),
        ("Şükrü Öztürk", "SUEKRUE OEZTUERK"),
        ("Otkir Rahimov", "Otkir Ilhom oʻgʻli Rahimov"),  # patronymic on one side only
    ],
)
def test_same_name_scores_100(query: str, candidate: str) -> None:
    assert match_score(query, candidate) == 100.0


@pytest.mark.parametrize(
    ("query", "candidate", "at_least"),
    [
        ("Otkir Rakhimov", "UTKIR RAHIMOV", 90),
        ("MEMMEDOV ELVIN", "Məmmədov Elvin", 90),
        ("Otkir Rahimov", "UTKIR RAHIMOV OTKIR", 95),  # a stored key with both spellings
        ("Ali", "Ali Valiyev", 90),  # all the query's words found
        ("Farrukh Yusupov", "Farrux Yusufov", 90),
    ],
)
def test_variants_score_high(query: str, candidate: str, at_least: float) -> None:
    assert match_score(query, candidate) >= at_least


@pytest.mark.parametrize(
    ("query", "candidate"),
    [("Ivan Petrov", "Olga Smirnova"), ("Ali", "Ella"), ("Otkir Rahimov", "Jasur Karimov")],
)
def test_different_names_score_low(query: str, candidate: str) -> None:
    assert match_score(query, candidate) < 75


def test_empty_names_score_0() -> None:
    assert match_score("", "Anna") == 0.0
    assert match_score("Anna", "王小明") == 0.0


def test_ranking_prefers_the_closer_spelling() -> None:
    query = "Otkir Rahimov"
    assert match_score(query, "Otkir Rahimov") > match_score(query, "Utkir Rahimov")
    assert match_score(query, "Utkir Rahimov") > match_score(query, "Utkir Karimov")


@given(st.text(max_size=40), st.text(max_size=40))
def test_score_is_a_symmetric_percentage(query: str, candidate: str) -> None:
    score = match_score(query, candidate)
    assert 0.0 <= score <= 100.0
    assert score == match_score(candidate, query)
