"""Properties of applying measures, on a generated register, on SQLite and PostgreSQL:
applying twice equals applying once; the order measures came into force in does not change
the result; a document outside the scope is never touched; the explanation agrees with SQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.measures import service
from kervan.measures.apply_sql import Slice, extension_candidates
from kervan.measures.explain import base_until, bases_of
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.measures.scope import compile_scope, explain_scope
from kervan.registry.models import Person, StayDocument, Violation
from kervan.registry.synthetic import generate, load

TODAY = dt.date(2020, 5, 1)
PROPERTY_SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dates = st.dates(dt.date(2020, 1, 1), dt.date(2020, 9, 30))
windows = st.tuples(dates, dates).map(sorted)
leaf = st.one_of(
    windows.map(lambda w: {"expires_between": {"from": str(w[0]), "to": str(w[1])}}),
    st.lists(st.sampled_from(["UZB", "KGZ", "TJK", "RUS", "member_states"]), min_size=1).map(
        lambda v: {"nationality": v}
    ),
    st.lists(st.sampled_from(["visa", "registration", "work_permit"]), min_size=1).map(
        lambda v: {"document_kind": v}
    ),
    st.integers(10, 60).map(lambda n: {"age": {"min": n}}),
    st.booleans().map(lambda b: {"vulnerable": b}),
    dates.map(lambda d: {"present_on": str(d)}),
)
scopes = st.one_of(
    leaf,
    st.lists(leaf, min_size=2, max_size=3).map(lambda c: {"all": c}),
    st.lists(leaf, min_size=2, max_size=3).map(lambda c: {"any": c}),
    leaf.map(
        lambda c: {
            "all": [{"expires_between": {"from": "2020-03-01", "to": "2020-06-30"}}, {"not": c}]
        }
    ),
)
extends = st.one_of(
    dates.map(lambda d: {"to": str(d)}),
    st.integers(1, 120).map(lambda n: {"by_days": n}),
    st.integers(0, 60).map(lambda n: {"period_end_plus_days": n}),
)
measures = st.tuples(scopes, extends, st.booleans())


@pytest.fixture
def register(engine: Engine) -> Engine:
    load(engine, generate(300, seed=3, host_state="KAZ", today=TODAY))
    return engine


def _add(session: Session, spec: tuple[dict[str, Any], dict[str, Any], bool]) -> Measure:
    scope, extend, waive = spec
    actions: list[dict[str, Any]] = [{"extend": extend}]
    if waive:
        actions.append({"waive": {"kinds": ["overstay", "missing_registration"]}})
    measure = Measure(
        reference=f"M-{uuid.uuid4().hex[:8]}",
        issuing_state="KAZ",
        legal_act="test",
        legal_date=dt.date(2020, 3, 15),
        title={"en": "test"},
        period_start=dt.date(2020, 3, 16),
        period_end=dt.date(2020, 5, 15),
        scope=scope,
        actions=actions,
        status=MeasureStatus.IN_FORCE,
        created_by="test",
    )
    session.add(measure)
    session.flush()
    return measure


def _snapshot(session: Session) -> dict[str, Any]:
    documents = {
        i: u for i, u in session.execute(select(StayDocument.id, StayDocument.valid_until))
    }
    violations = {i: s for i, s in session.execute(select(Violation.id, Violation.status))}
    return {"documents": documents, "violations": violations}


def _apply(session: Session, officer: Principal, measure: Measure) -> int:
    return service.apply_measure(session, officer, measure.id, today=TODAY).documents


@PROPERTY_SETTINGS
@given(spec=measures)
def test_applying_twice_equals_applying_once(
    register: Engine, session_factory: sessionmaker[Session], officer: Principal, spec: Any
) -> None:
    with session_factory() as session:
        measure = _add(session, spec)
        _apply(session, officer, measure)
        once = _snapshot(session)
        assert _apply(session, officer, measure) == 0
        assert _snapshot(session) == once
        session.rollback()


@PROPERTY_SETTINGS
@given(first=measures, second=measures)
def test_order_of_coming_into_force_does_not_matter(
    register: Engine,
    session_factory: sessionmaker[Session],
    officer: Principal,
    first: Any,
    second: Any,
) -> None:
    results = []
    for order in ((0, 1), (1, 0)):
        with session_factory() as session:
            added = [_add(session, first), _add(session, second)]
            for i in order:
                _apply(session, officer, added[i])
            results.append(_snapshot(session))
            session.rollback()
    assert results[0] == results[1]


@PROPERTY_SETTINGS
@given(spec=measures)
def test_out_of_scope_is_never_touched_and_explain_agrees(
    register: Engine, session_factory: sessionmaker[Session], officer: Principal, spec: Any
) -> None:
    with session_factory() as session:
        measure = _add(session, spec)
        plan = service.plan_for(measure, TODAY)
        in_scope = set(
            session.scalars(
                select(StayDocument.id)
                .join(Person, Person.id == StayDocument.person_id)
                .where(compile_scope(plan.extend_scope, today=TODAY))
            )
        )
        would = {
            row.document_id
            for row in session.execute(
                extension_candidates(plan, session.get_bind().dialect, Slice())
            )
        }
        before = _snapshot(session)
        _apply(session, officer, measure)
        after = _snapshot(session)
        changed = {
            d for d in before["documents"] if before["documents"][d] != after["documents"][d]
        }
        assert changed <= in_scope
        assert changed == would
        effects = set(session.scalars(select(MeasureEffect.document_id)))
        assert effects == changed
        for document in session.scalars(select(StayDocument)).all():
            verdict = explain_scope(
                plan.extend_scope,
                document.person,
                document,
                today=TODAY,
                valid_until=base_until(session, document),
                bases=bases_of(session, document.person_id),
            )[0]
            assert verdict.matched == (document.id in in_scope), verdict
        assert session.scalar(select(func.count()).select_from(MeasureEffect)) == len(changed)
        session.rollback()
