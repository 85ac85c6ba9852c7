"""kervan/registry/synthetic/search_cases.py: a typo changes one long word by one edit and is
never another name of the register; each person gets one query of every class that applies;
scoring counts a namesake first as a success by name alone but not with the date of birth."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.identity.names import fold
from kervan.registry.naming import name_columns
from kervan.registry.schemas import BirthDate
from kervan.registry.synthetic.search_cases import (
    SearchCase,
    Tally,
    cases_for,
    namesake_index,
    score_cases,
    typo,
)


def a_person(
    primary: str,
    secondary: str,
    *,
    nationality: str = "KGZ",
    patronymic: str = "",
    birth: tuple[int, int | None, int | None] = (1990, 6, 15),
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "primary_name": primary,
        "secondary_name": secondary,
        "patronymic": patronymic,
        "nationality": nationality,
        "birth_year": birth[0],
        "birth_month": birth[1],
        "birth_day": birth[2],
        **name_columns(primary, secondary, None, None).as_dict(),
    }


words = st.text(alphabet="abcdefghijklmnoprstuvyz", min_size=1, max_size=9)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)


def _one_edit_apart(a: str, b: str) -> bool:
    """Substitution, deletion, doubling or swapping of neighbours: Damerau distance one."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


@settings(max_examples=40)
@given(st.integers(), names)
def test_a_typo_edits_one_long_word_once_and_only_there(seed: int, text: str) -> None:
    changed = typo(random.Random(seed), text, set())
    if not any(len(w) >= 5 for w in text.split()):
        assert changed is None
        return
    if changed is None:  # the edit folded back to the same word (a doubled or swapped twin)
        return
    before, after = text.split(), changed.split()
    touched = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(touched) == 1 and len(before[touched[0]]) >= 5
    a, b = before[touched[0]], after[touched[0]]
    assert _one_edit_apart(a, b) and a[0] == b[0]  # never the first letter


@settings(max_examples=40)
@given(st.integers(), names)
def test_a_typo_that_would_be_another_name_is_no_typo(seed: int, text: str) -> None:
    changed = typo(random.Random(seed), text, set())
    if changed is not None:
        vocabulary = {fold(w) for w in changed.split()}
        assert typo(random.Random(seed), text, vocabulary) is None


def test_a_kyrgyz_name_with_its_particle_gets_every_class() -> None:
    person = a_person("Асанбек уулу", "Нурлан", patronymic="Асанбекович")
    cases = cases_for(random.Random(1), person, set(), travel_number="AC1234567")
    queries = {case.kind: case.query for case in cases}
    assert queries["as_written"] == "Асанбек уулу Нурлан"
    assert queries["other_spelling"] != queries["as_written"]
    assert queries["given_first"] == "Нурлан Асанбек уулу"
    assert queries["with_patronymic"] == "Асанбек уулу Нурлан Асанбекович"
    assert queries["particle_dropped"] == "Асанбек Нурлан"
    assert queries["particle_given_first"] == "Нурлан Асанбек уулу"
    assert queries["document_number"] == "AC1234567"
    mrz = queries["whole_mrz"].splitlines()
    assert len(mrz) == 2 and all(len(line) == 44 for line in mrz)
    assert "ASANBEK<UULU<<NURLAN" in mrz[0]
    names_only = {case.kind for case in cases if case.names_only}
    assert names_only == set(queries) - {"whole_mrz", "document_number"}
    assert {case.person_id for case in cases} == {person["id"]}
    assert all(case.birth == BirthDate(year=1990, month=6, day=15) for case in cases)


def test_a_name_without_given_name_patronymic_or_particle_gets_fewer_classes() -> None:
    cases = cases_for(random.Random(2), a_person("Smith", "", nationality="GBR"), set())
    kinds = {case.kind for case in cases}
    assert {"as_written", "other_spelling"} <= kinds
    assert not kinds & {"given_first", "with_patronymic", "particle_dropped", "document_number"}
    assert "typo" not in kinds  # "Smith" is too short for a typo


def _search(results: Sequence[tuple[uuid.UUID, BirthDate]]) -> Any:
    return lambda query, birth: results


def test_a_namesake_first_counts_by_name_alone_but_not_with_another_birth_date() -> None:
    person, twin = a_person("Asanov", "Nurlan"), a_person("ASANOV", "NURLAN", birth=(1980, 1, 1))
    namesakes = namesake_index([person, twin])
    assert namesakes[person["id"]] == {person["id"], twin["id"]}
    case = SearchCase(
        "as_written", "Asanov Nurlan", person["id"], BirthDate(year=1990, month=6, day=15)
    )
    ranked = [(twin["id"], BirthDate(year=1980, month=1, day=1)), (person["id"], case.birth)]
    scores = score_cases(_search(ranked), [case], namesakes)
    by_name, by_birth = scores.name_only["as_written"], scores.with_birth["as_written"]
    assert (by_name.queries, by_name.first, by_name.top10) == (1, 1, 1)
    assert (by_birth.queries, by_birth.first, by_birth.top10) == (1, 0, 1)
    assert scores.failures == [("as_written", "Asanov Nurlan", True)]


def test_a_case_beyond_names_is_scored_with_the_birth_date_only() -> None:
    person = a_person("Asanov", "Nurlan")
    case = SearchCase(
        "document_number", "AC1", person["id"], BirthDate(year=1990), names_only=False
    )
    others = [(uuid.uuid4(), BirthDate(year=1990)) for _ in range(10)]
    scores = score_cases(_search([*others, (person["id"], case.birth)]), [case], {})
    assert "document_number" not in scores.name_only
    tally = scores.with_birth["document_number"]
    assert (tally.queries, tally.first, tally.top10) == (1, 0, 0)  # eleventh: not in the ten


def test_recall_rates_and_totals() -> None:
    assert Tally().recall_at_1 == 1.0  # no query: nothing missed
    tally = Tally(queries=3, first=1, top10=2)
    assert (tally.recall_at_1, tally.recall_at_10) == (0.3333, 0.6667)
    person = a_person("Asanov", "Nurlan")
    cases = [SearchCase(k, "q", person["id"], BirthDate(year=1990)) for k in ("typo", "as_written")]
    scores = score_cases(_search([(person["id"], BirthDate(year=1990))]), cases, {})
    total = scores.overall(with_birth=False)
    assert (total.queries, total.first, total.top10) == (2, 2, 2)
    assert scores.overall(with_birth=True).recall_at_1 == 1.0
