"""Who a measure reaches (``kervan.measures.reach``): which measures are in force and in what
order, the end date a document is judged by (before any measure) in its three shapes, and which
rows a ``Slice`` covers — each checked against a plain Python statement of the rule over small
random registers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.measures.models import MeasureEffect, MeasureStatus
from kervan.measures.reach import (
    Slice,
    base_until,
    base_until_sql,
    bases_of,
    bases_subquery,
    in_force,
)
from kervan.registry.models import Person, StayDocument, Violation
from tests.unit.measures.support import (
    ON_DATABASE,
    add_document,
    add_effect,
    add_measure,
    add_person,
    add_violation,
)

DAY0 = dt.date(2020, 1, 1)
T0 = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)


def test_in_force_lists_only_measures_in_force_oldest_first(session: Session) -> None:
    later = add_measure(session, in_force_at=T0 + dt.timedelta(days=2))
    earlier = add_measure(session, in_force_at=T0)
    add_measure(session, status=MeasureStatus.DRAFT)
    add_measure(session, status=MeasureStatus.PREVIEWED)
    add_measure(session, status=MeasureStatus.LIFTED, in_force_at=T0 - dt.timedelta(days=9))
    assert [m.id for m in in_force(session)] == [earlier.id, later.id]


def test_equally_old_measures_in_force_are_ordered_by_id(session: Session) -> None:
    made = [add_measure(session, in_force_at=T0) for _ in range(4)]
    assert [m.id for m in in_force(session)] == sorted(m.id for m in made)


def test_nothing_in_force_is_an_empty_list(session: Session) -> None:
    add_measure(session, status=MeasureStatus.DRAFT)
    assert in_force(session) == []


# A document: its own end date (day offset) and the end dates before each measure that
# extended it (offsets; each measure its own).
documents = st.tuples(
    st.integers(0, 200), st.lists(st.integers(0, 200), max_size=3, unique=True)
).map(lambda d: (d[0], d[1]))
registers = st.lists(st.lists(documents, min_size=0, max_size=3), min_size=1, max_size=4)


def _build(session: Session, register: list[list[tuple[int, list[int]]]]) -> dict[str, Any]:
    """Persons holding documents extended by measures; the plain expectation of the base."""
    measures = [add_measure(session) for _ in range(3)]
    expected: dict[uuid.UUID, dt.date] = {}
    holders: dict[uuid.UUID, uuid.UUID] = {}
    for held in register:
        person = add_person(session)
        for own, olds in held:
            document = add_document(session, person, DAY0 + dt.timedelta(days=own))
            for measure, old in zip(measures, olds, strict=False):
                old_until = DAY0 + dt.timedelta(days=old)
                add_effect(session, measure, document, old_until, old_until + dt.timedelta(30))
            # The rule: the smallest end date before a measure, else the document's own.
            expected[document.id] = (
                min(DAY0 + dt.timedelta(days=o) for o in olds)
                if olds
                else DAY0 + dt.timedelta(days=own)
            )
            holders[document.id] = person.id
    return {"expected": expected, "holders": holders}


@ON_DATABASE
@given(register=registers)
def test_the_three_shapes_of_the_base_agree_with_the_rule(
    session: Session, register: list[list[tuple[int, list[int]]]]
) -> None:
    built = _build(session, register)
    expected = built["expected"]
    try:
        per_row = dict(session.execute(select(StayDocument.id, base_until_sql(StayDocument))).all())
        assert per_row == expected
        for document_id, base in expected.items():
            document = session.get(StayDocument, document_id)
            assert document is not None
            assert base_until(session, document) == base
        bases = bases_subquery()
        joined = session.execute(select(bases.c.document_id, bases.c.base)).all()
        extended = {d for d, _ in joined}
        assert dict(joined) == {d: expected[d] for d in extended}
        for person_id in set(built["holders"].values()):
            mine = {d for d, p in built["holders"].items() if p == person_id}
            assert bases_of(session, person_id) == {d: expected[d] for d in mine & extended}
    finally:
        session.rollback()


def test_bases_subquery_restricted_to_one_measure(session: Session) -> None:
    first, second = add_measure(session), add_measure(session)
    document = add_document(session, add_person(session), dt.date(2020, 4, 1))
    add_effect(session, first, document, dt.date(2020, 4, 1), dt.date(2020, 5, 1))
    add_effect(session, second, document, dt.date(2020, 3, 1), dt.date(2020, 6, 1))
    only_first = bases_subquery(MeasureEffect.measure_id == first.id)
    assert session.execute(select(only_first.c.document_id, only_first.c.base)).all() == [
        (document.id, dt.date(2020, 4, 1))
    ]
    everything = bases_subquery()
    assert session.execute(select(everything.c.base)).scalars().all() == [dt.date(2020, 3, 1)]


def test_a_person_without_extended_documents_has_no_bases(session: Session) -> None:
    person = add_person(session)
    add_document(session, person, dt.date(2020, 4, 1))
    assert bases_of(session, person.id) == {}
    assert bases_of(session, uuid.uuid4()) == {}


# Slices over a small register: two documents and one violation per person (the violation of
# every other person tied to a document).
slices = st.fixed_dictionaries(
    {
        "range": st.tuples(st.none() | st.integers(0, 4), st.none() | st.integers(0, 4)),
        "documents": st.none() | st.lists(st.integers(0, 9), max_size=4),
        "violations": st.none() | st.lists(st.integers(0, 4), max_size=3),
    }
)


@pytest.fixture
def small_register(session: Session) -> dict[str, list[Any]]:
    persons, documents, violations = [], [], []
    for i in range(5):
        person = add_person(session)
        held = [add_document(session, person, DAY0 + dt.timedelta(days=d)) for d in (10, 90)]
        tied = held[0] if i % 2 else None
        violations.append(add_violation(session, person, start=DAY0, document=tied))
        persons.append(person)
        documents += held
    persons.sort(key=lambda p: p.id)
    return {"persons": persons, "documents": documents, "violations": violations}


def _slice_of(spec: dict[str, Any], register: dict[str, list[Any]]) -> Slice:
    ids = [p.id for p in register["persons"]]
    low, high = spec["range"]
    return Slice(
        person_from=ids[low] if low is not None else None,
        person_to=ids[high] if high is not None else None,
        document_ids=(
            tuple(register["documents"][i].id for i in spec["documents"])
            if spec["documents"] is not None
            else None
        ),
        violation_ids=(
            tuple(register["violations"][i].id for i in spec["violations"])
            if spec["violations"] is not None
            else None
        ),
    )


def _in_range(where: Slice, person_id: uuid.UUID) -> bool:
    return (where.person_from is None or person_id >= where.person_from) and (
        where.person_to is None or person_id < where.person_to
    )


def _on(where: Slice, person_id: uuid.UUID, document_id: Any, violation_id: Any) -> bool:
    """``Slice.on`` in plain Python: a table without violations is outside a violation slice,
    and a row without a document outside a document slice."""
    if where.violation_ids is not None and violation_id not in where.violation_ids:
        return False
    if where.document_ids is not None and document_id not in where.document_ids:
        return False
    return _in_range(where, person_id)


@ON_DATABASE
@given(spec=slices)
def test_slice_on_selects_the_rows_the_rule_names(
    session: Session, small_register: dict[str, list[Any]], spec: dict[str, Any]
) -> None:
    where = _slice_of(spec, small_register)
    docs = set(
        session.scalars(
            select(StayDocument.id).where(where.on(StayDocument.person_id, StayDocument.id))
        )
    )
    assert docs == {
        d.id for d in small_register["documents"] if _on(where, d.person_id, d.id, None)
    }
    found = set(
        session.scalars(
            select(Violation.id).where(
                where.on(Violation.person_id, Violation.document_id, Violation.id)
            )
        )
    )
    assert found == {
        v.id for v in small_register["violations"] if _on(where, v.person_id, v.document_id, v.id)
    }


@ON_DATABASE
@given(spec=slices)
def test_slice_persons_are_those_in_range_holding_or_having_its_rows(
    session: Session, small_register: dict[str, list[Any]], spec: dict[str, Any]
) -> None:
    where = _slice_of(spec, small_register)
    about: set[uuid.UUID] | None = None
    if where.document_ids is not None or where.violation_ids is not None:
        about = {
            d.person_id for d in small_register["documents"] if d.id in (where.document_ids or ())
        } | {
            v.person_id for v in small_register["violations"] if v.id in (where.violation_ids or ())
        }
    expected = {
        p.id
        for p in small_register["persons"]
        if _in_range(where, p.id) and (about is None or p.id in about)
    }
    assert set(session.scalars(select(Person.id).where(where.persons(Person.id)))) == expected


def test_the_whole_register_slice_is_everything(
    session: Session, small_register: dict[str, list[Any]]
) -> None:
    everything = Slice()
    count = session.scalars(
        select(StayDocument.id).where(everything.on(StayDocument.person_id, StayDocument.id))
    ).all()
    assert len(count) == len(small_register["documents"])
    assert len(session.scalars(select(Person.id).where(everything.persons(Person.id))).all()) == 5
