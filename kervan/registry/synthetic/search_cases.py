"""The queries an officer types to find a person, by class, and how a search scores on them.

Used by the recall tests (``tests/integration/test_search_recall.py``) and the search benchmark
(``bench/search_bench.py``): both draw persons from the register, make queries of every class
below, run them with and without the date of birth, and count how often the person comes first
and among the first ten.

Without a date of birth, namesakes — persons whose names fold to the same words
(``kervan.identity.fold``) — cannot be told apart by anyone, so a namesake first counts as a
success. With the date of birth, only the person (or a namesake born the same day) counts.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kervan.identity.mrz_build import MRZFields, build_mrz
from kervan.identity.mrz_dates import PartialDate
from kervan.identity.name_match import particle_of
from kervan.identity.names import fold
from kervan.registry.schemas import BirthDate
from kervan.registry.synthetic.variants import spelling_variants

# Query classes (the list): as written; another spelling (the other script, the MRZ or
# table form, national Latin, Russian-style or informal Latin, older passports); one letter
# wrong, missing, doubled or swapped; given name first; with the patronymic; Kyrgyz surnames
# with and without their particle and in both orders; the whole MRZ of a renewed passport; a
# travel document number.
CLASSES = (
    "as_written",
    "other_spelling",
    "typo",
    "given_first",
    "with_patronymic",
    "particle_dropped",
    "particle_given_first",
    "whole_mrz",
    "document_number",
)
_LETTERS = "ABCDEFGHIKLMNOPRSTUVYZ"


@dataclass(frozen=True, slots=True)
class SearchCase:
    kind: str
    query: str
    person_id: uuid.UUID
    birth: BirthDate
    # The MRZ and a document number carry their own date of birth or identify the person.
    names_only: bool = True


def namesake_key(person: Mapping[str, Any]) -> tuple[str, str]:
    return fold(person["primary_name"]), fold(person["secondary_name"])


def birth_of(person: Mapping[str, Any]) -> BirthDate:
    return BirthDate(
        year=person["birth_year"], month=person["birth_month"], day=person["birth_day"]
    )


def typo(rng: random.Random, text: str, vocabulary: set[str]) -> str | None:
    """``text`` with one letter of one long word wrong, missing, doubled or swapped with the
    next — unless that makes another name of the register (then it is no typo)."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return None
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("substitute", "delete", "double", "swap"))
    if edit == "substitute":
        letter = rng.choice(_LETTERS)
        letter = letter if word[at].isupper() else letter.lower()
        changed = word[:at] + letter + word[at + 1 :]
    elif edit == "delete":
        changed = word[:at] + word[at + 1 :]
    elif edit == "double":
        changed = word[:at] + word[at] + word[at:]
    else:
        changed = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if fold(changed) in vocabulary or fold(changed) == fold(word):
        return None
    words[index] = changed
    return " ".join(words)


def _renewed_passport_mrz(rng: random.Random, person: Mapping[str, Any]) -> str | None:
    birth = birth_of(person)
    fields = MRZFields(
        document_number=f"N{rng.randrange(10**7, 10**8)}",
        nationality=person["nationality"],
        birth_date=PartialDate(birth.year, birth.month, birth.day),
        expiry_date=dt.date(2035, 1, 1),
        primary_identifier=person["primary_identifier"],
        secondary_identifier=person["secondary_identifier"],
    )
    try:
        return "\n".join(build_mrz("TD3", fields))
    except ValueError:
        return None


def _kyrgyz_forms(person: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    words = person["primary_name"].split()
    if len(words) < 2 or not particle_of(words[-1]) or not person["secondary_name"]:
        return
    father = " ".join(words[:-1])
    yield "particle_dropped", f"{father} {person['secondary_name']}"
    yield "particle_given_first", f"{person['secondary_name']} {person['primary_name']}"


def cases_for(
    rng: random.Random,
    person: Mapping[str, Any],
    vocabulary: set[str],
    travel_number: str | None = None,
) -> list[SearchCase]:
    """One query of each class that applies to ``person`` (a ``persons`` row)."""
    variants = spelling_variants(person)
    written = variants[0]
    other = rng.choice(variants[1:]) if len(variants) > 1 else written
    found: list[tuple[str, str | None]] = [
        ("as_written", written),
        ("other_spelling", other),
        ("typo", typo(rng, rng.choice(variants), vocabulary)),
    ]
    if person["secondary_name"]:
        found.append(("given_first", f"{person['secondary_name']} {person['primary_name']}"))
    if person["patronymic"]:
        found.append(("with_patronymic", f"{written} {person['patronymic']}"))
    found.extend(_kyrgyz_forms(person))
    birth = birth_of(person)
    cases = [SearchCase(k, q, person["id"], birth) for k, q in found if q]
    if (mrz := _renewed_passport_mrz(rng, person)) is not None:
        cases.append(SearchCase("whole_mrz", mrz, person["id"], birth, names_only=False))
    if travel_number:
        cases.append(
            SearchCase("document_number", travel_number, person["id"], birth, names_only=False)
        )
    return cases


Search = Callable[[str, BirthDate | None], Sequence[tuple[uuid.UUID, BirthDate]]]


@dataclass
class Tally:
    queries: int = 0
    first: int = 0
    top10: int = 0

    def rate(self, hits: int) -> float:
        return round(hits / self.queries, 4) if self.queries else 1.0

    @property
    def recall_at_1(self) -> float:
        return self.rate(self.first)

    @property
    def recall_at_10(self) -> float:
        return self.rate(self.top10)


@dataclass
class Scores:
    """Recall per class and overall, by name alone and with the date of birth."""

    name_only: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    with_birth: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    failures: list[tuple[str, str, bool]] = field(default_factory=list)

    def overall(self, with_birth: bool) -> Tally:
        total = Tally()
        for tally in (self.with_birth if with_birth else self.name_only).values():
            total.queries += tally.queries
            total.first += tally.first
            total.top10 += tally.top10
        return total


def score_cases(
    search: Search, cases: Iterable[SearchCase], namesakes: Mapping[uuid.UUID, set[uuid.UUID]]
) -> Scores:
    """Run every case through ``search`` (query text, date of birth or None -> ranked ids with
    their dates of birth) by name alone and with the date of birth."""
    scores = Scores()
    for case in cases:
        accepted = namesakes.get(case.person_id, set()) | {case.person_id}
        if case.names_only:
            ranked = search(case.query, None)
            _count(scores, scores.name_only[case.kind], case, [r[0] for r in ranked], accepted)
        ranked = search(case.query, case.birth)
        same_day = {pid for pid, birth in ranked if pid in accepted and birth == case.birth}
        _count(
            scores,
            scores.with_birth[case.kind],
            case,
            [r[0] for r in ranked],
            same_day | {case.person_id},
            with_birth=True,
        )
    return scores


def _count(
    scores: Scores,
    tally: Tally,
    case: SearchCase,
    ranked: list[uuid.UUID],
    accepted: set[uuid.UUID],
    *,
    with_birth: bool = False,
) -> None:
    tally.queries += 1
    first = bool(ranked) and ranked[0] in accepted
    tally.first += first
    tally.top10 += any(pid in accepted for pid in ranked[:10])
    if not first:
        scores.failures.append((case.kind, case.query, with_birth))


def namesake_index(persons: Iterable[Mapping[str, Any]]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Person id -> the ids of every person whose name folds the same (themself included)."""
    by_key: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    ids: dict[uuid.UUID, tuple[str, str]] = {}
    for person in persons:
        key = namesake_key(person)
        by_key[key].add(person["id"])
        ids[person["id"]] = key
    return {pid: by_key[key] for pid, key in ids.items()}
