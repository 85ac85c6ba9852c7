"""Property: a benefit's eligibility explanation (``explain_scope`` over the person and their
documents) agrees with the SQL verdict (``compile_person_scope``) that ``grant_all`` uses, for
generated registers and generated rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, selectinload

from kervan.benefits.eligibility import eligible_in_sql, explain
from kervan.measures.scope import parse_scope
from kervan.registry.enums import Sex, StayKind, StayPurpose, StayStatus
from kervan.registry.models import Person, StayDocument

TODAY = dt.date(2020, 5, 1)
NATIONALITIES = ["UZB", "KGZ", "TJK", "RUS", "XXA"]
KINDS = [k.value for k in StayKind]
PURPOSES = ["work", "study", "family"]
STATUSES = [s.value for s in StayStatus]
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 12, 31))

documents = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(KINDS),
        "purpose": st.sampled_from(PURPOSES),
        "status": st.sampled_from(STATUSES),
        "valid_from": st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2020, 3, 1)),
        "days": st.integers(min_value=0, max_value=400),
    }
)
persons = st.fixed_dictionaries(
    {
        "nationality": st.sampled_from(NATIONALITIES),
        "birth_year": st.integers(min_value=1940, max_value=2015),
        "birth_month": st.none() | st.integers(min_value=1, max_value=12),
        "birth_day": st.none() | st.integers(min_value=1, max_value=28),
        "documents": st.lists(documents, max_size=3),
    }
)


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.lists(st.sampled_from(NATIONALITIES), min_size=1, max_size=3).map(
            lambda v: {"nationality": v}
        ),
        st.lists(st.sampled_from(KINDS), min_size=1, max_size=2).map(
            lambda v: {"document_kind": v}
        ),
        st.lists(st.sampled_from(PURPOSES), min_size=1, max_size=2).map(lambda v: {"purpose": v}),
        st.lists(st.sampled_from(STATUSES), min_size=1, max_size=2).map(
            lambda v: {"document_status": v}
        ),
        st.tuples(DAYS, st.integers(0, 120)).map(
            lambda t: {
                "expires_between": {
                    "from": t[0].isoformat(),
                    "to": (t[0] + dt.timedelta(days=t[1])).isoformat(),
                }
            }
        ),
        DAYS.map(lambda d: {"present_on": d.isoformat()}),
        st.tuples(st.integers(0, 40), st.integers(0, 60)).map(
            lambda t: {"age": {"min": t[0], "max": t[0] + t[1]}}
        ),
        st.booleans().map(lambda b: {"vulnerable": b}),
    )


rules = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda v: {"all": v}),
        st.lists(inner, min_size=1, max_size=3).map(lambda v: {"any": v}),
        inner.map(lambda v: {"not": v}),
    ),
    max_leaves=5,
)


def _add_register(session: Session, people: list[dict[str, Any]]) -> list[Person]:
    added = []
    for i, data in enumerate(people):
        birth_day = data["birth_day"] if data["birth_month"] else None
        person = Person(
            primary_name=f"P{i}",
            primary_identifier=f"P{i}",
            name_key=f"p{i}",
            primary_skeleton=f"p{i}",
            nationality=data["nationality"],
            birth_year=data["birth_year"],
            birth_month=data["birth_month"],
            birth_day=birth_day,
            sex=Sex.FEMALE,
        )
        session.add(person)
        session.flush()
        for j, doc in enumerate(data["documents"]):
            session.add(
                StayDocument(
                    person_id=person.id,
                    kind=StayKind(doc["kind"]),
                    number=f"N{i}X{j}",
                    host_state="KAZ",
                    purpose=StayPurpose(doc["purpose"]),
                    valid_from=doc["valid_from"],
                    valid_until=doc["valid_from"] + dt.timedelta(days=doc["days"]),
                    status=StayStatus(doc["status"]),
                    nationality=data["nationality"],
                )
            )
        added.append(person)
    session.flush()
    return added


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(persons, min_size=1, max_size=4), rule=rules)
def test_eligibility_explanation_agrees_with_sql(
    session: Session, people: list[dict[str, Any]], rule: dict[str, Any]
) -> None:
    scope = parse_scope(rule)
    try:
        added = _add_register(session, people)
        session.expire_all()
        for person in added:
            loaded = session.get(Person, person.id, options=[selectinload(Person.stay_documents)])
            assert loaded is not None
            explained, reasons, _ = explain(scope, loaded, TODAY)
            assert reasons[0].matched is explained
            assert explained == eligible_in_sql(session, person.id, scope, TODAY), (
                rule,
                [(r.path, r.matched, r.saw) for r in reasons],
            )
    finally:
        session.rollback()
