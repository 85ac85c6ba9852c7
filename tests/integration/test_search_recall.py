"""Recall of the person search, scored by query class on SQLite and PostgreSQL.

The register: about 1,800 generated persons (``kervan.registry.synthetic``, loaded through the
bulk path) and persons of an independent list (``data/names_in_russian_cyrillic.csv``:
Hungarian, Turkish and Azerbaijani names with their Russian Cyrillic spellings, registered
through the service). The queries: every class of ``search_cases.CLASSES`` for a sample of the
generated persons and every Kyrgyz «уулу/кызы» surname, and the Russian Cyrillic spelling for
the listed ones. Targets (issue 13): recall@1 >= 0.95 by name alone, >= 0.995 with the date of
birth, on both databases.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.identity.name_match import particle_of
from kervan.identity.names import fold
from kervan.registry.models import NameWord, Person, TravelDocument
from kervan.registry.schemas import BirthDate, PersonCreate
from kervan.registry.search import search_persons
from kervan.registry.service import create_person
from kervan.registry.synthetic import generate, load
from kervan.registry.synthetic.search_cases import (
    CLASSES,
    Scores,
    SearchCase,
    birth_of,
    cases_for,
    namesake_index,
    score_cases,
)

DOCUMENTS = 3_000
SAMPLE = 130
KYRGYZ_SAMPLE = 40
LISTED = Path(__file__).parent / "data" / "names_in_russian_cyrillic.csv"


def _register_listed(session: Session, system: Principal) -> list[tuple[Person, str]]:
    """The independent list, through the service (the write path an officer's form takes)."""
    made = []
    with LISTED.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            person = create_person(
                session,
                system,
                PersonCreate(
                    primary_name=row["surname"],
                    secondary_name=row["given"],
                    nationality=row["nationality"],
                    birth_date=BirthDate(year=1970 + number % 30, month=1 + number % 12, day=5),
                    sex="X",
                ),
            )
            made.append((person, f"{row['surname_ru']} {row['given_ru']}"))
    session.commit()
    return made


def _row(person: Person) -> dict[str, Any]:
    return {c.key: getattr(person, c.key) for c in Person.__table__.columns}


def _cases(session: Session, listed: list[tuple[Person, str]]) -> Iterator[SearchCase]:
    persons = [_row(p) for p in session.scalars(select(Person).order_by(Person.id))]
    vocabulary = set(session.scalars(select(NameWord.word)))
    numbers = dict(session.execute(select(TravelDocument.person_id, TravelDocument.number)).all())
    rng = random.Random(13)
    kyrgyz = [p for p in persons if particle_of(p["primary_name"].split()[-1])]
    sample = rng.sample(persons, SAMPLE) + rng.sample(kyrgyz, min(KYRGYZ_SAMPLE, len(kyrgyz)))
    for person in sample:
        yield from cases_for(rng, person, vocabulary, numbers.get(person["id"]))
    for person, russian in listed:
        yield SearchCase("russian_cyrillic_foreign", russian, person.id, birth_of(_row(person)))


@pytest.fixture
def scores(engine: Engine, session_factory: sessionmaker[Session], system: Principal) -> Scores:
    load(engine, generate(DOCUMENTS, seed=13, host_state="KAZ", today=dt.date(2026, 12, 3)))
    with session_factory() as session:
        listed = _register_listed(session, system)
        persons = [_row(p) for p in session.scalars(select(Person))]
        cases = list(_cases(session, listed))

        def search(text: str, birth: BirthDate | None) -> list[tuple[uuid.UUID, BirthDate]]:
            hits = search_persons(session, system, text, birth_date=birth, limit=10)
            return [(h.person.id, birth_of(_row(h.person))) for h in hits]

        result = score_cases(search, cases, namesake_index(persons))
        session.rollback()
    return result


def _report(scores: Scores) -> str:
    lines = []
    for kind in (*CLASSES, "russian_cyrillic_foreign"):
        alone, dated = scores.name_only.get(kind), scores.with_birth.get(kind)
        lines.append(
            f"{kind}: name only "
            + (
                f"@1 {alone.recall_at_1} @10 {alone.recall_at_10} (n={alone.queries})"
                if alone
                else "-"
            )
            + (f"; with birth @1 {dated.recall_at_1} (n={dated.queries})" if dated else "")
        )
    lines.extend(
        f"miss: {kind} {query!r} birth={birth}" for kind, query, birth in scores.failures[:40]
    )
    return "\n".join(lines)


@pytest.mark.timeout(600)  # about a minute per database on a quiet machine
def test_recall_meets_the_targets_on_every_class(scores: Scores) -> None:
    name_only, with_birth = scores.overall(False), scores.overall(True)
    report = _report(scores)
    print(report)
    # Every class of the issue is in the set, not just the easy ones.
    assert set(scores.with_birth) >= {*CLASSES, "russian_cyrillic_foreign"}, report
    assert name_only.queries >= 700, report
    assert name_only.recall_at_1 >= 0.95, report
    assert with_birth.recall_at_1 >= 0.995, report
    for kind, tally in scores.with_birth.items():
        assert tally.recall_at_10 >= 0.98, f"{kind}\n{report}"


def test_vocabulary_holds_every_word_of_every_name(
    engine: Engine, session: Session, system: Principal
) -> None:
    """The triggers keep ``name_words`` whole on the bulk path and on the service's."""
    load(engine, generate(200, seed=3, host_state="KAZ", today=dt.date(2026, 12, 3)))
    _register_listed(session, system)
    keys = session.scalars(select(Person.name_key)).all()
    words = set(session.scalars(select(NameWord.word)))
    assert {w for key in keys for w in key.split()} <= words
    assert fold("Szőke") in words  # the listed persons came through the service
