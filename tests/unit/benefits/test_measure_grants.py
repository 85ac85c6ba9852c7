"""Benefits a measure grants (``kervan.benefits.measure_grants``): to every person in the
action's scope who is eligible for the kind, holds no blocking application of it and is in the
pass's slice — once, citing the measure. Checked against a plain Python statement of the rule
over small random registers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.benefits.enums import BLOCKING_STATUSES, ApplicationStatus
from kervan.benefits.measure_grants import grant_by_measure
from kervan.benefits.messages import GRANTED_BY_MEASURE
from kervan.benefits.models import BenefitApplication
from kervan.measures.actions import actions_to_data, parse_actions
from kervan.measures.models import Measure
from kervan.measures.reach import Slice
from kervan.measures.scope import ScopeError
from kervan.measures.service import plan_for
from tests.unit.benefits.support import add_application, add_kind
from tests.unit.measures.support import (
    ON_DATABASE,
    PERIOD,
    TODAY,
    add_document,
    add_measure,
    add_person,
    add_violation,
)

STATUSES = list(ApplicationStatus)


def _granting(session: Session, kind: str = "shelter", **spec: Any) -> Measure:
    return add_measure(session, actions=[{"grant_benefit": {"kind": kind, **spec}}])


def _run(session: Session, measure: Measure, where: Slice | None = None) -> None:
    grant_by_measure(session, measure, plan_for(measure, TODAY), where or Slice())


def _granted(session: Session, measure: Measure) -> list[BenefitApplication]:
    return list(
        session.scalars(
            select(BenefitApplication).where(BenefitApplication.measure_id == measure.id)
        )
    )


persons = st.tuples(
    st.sampled_from(["UZB", "KGZ", "TJK"]),  # nationality
    st.sampled_from([None, *STATUSES]),  # an application of the kind the person already has
    st.booleans(),  # in the pass's slice (holds one of its documents)
)


@ON_DATABASE
@given(
    register=st.lists(persons, min_size=1, max_size=6),
    in_scope=st.sets(st.sampled_from(["UZB", "KGZ", "TJK"]), min_size=1),
    eligible=st.sets(st.sampled_from(["UZB", "KGZ", "TJK"]), min_size=1),
    whole_register=st.booleans(),
)
def test_grants_exactly_the_persons_the_rule_names(
    session: Session,
    register: list[tuple[str, ApplicationStatus | None, bool]],
    in_scope: set[str],
    eligible: set[str],
    whole_register: bool,
) -> None:
    try:
        kind = add_kind(session, eligibility={"nationality": sorted(eligible)})
        measure = add_measure(
            session,
            scope={"nationality": sorted(in_scope)},
            actions=[{"grant_benefit": {"kind": "shelter"}}],
        )
        expected, sliced = set(), []
        for nationality, existing, in_slice in register:
            person = add_person(session, nationality=nationality)
            document = add_document(session, person, dt.date(2020, 4, 1))
            if in_slice:
                sliced.append(document.id)
            if existing is not None:
                add_application(session, person, kind, existing)
            if (
                nationality in in_scope
                and nationality in eligible
                and existing not in BLOCKING_STATUSES
                and (whole_register or in_slice)
            ):
                expected.add(person.id)
        where = Slice() if whole_register else Slice(document_ids=tuple(sliced))

        _run(session, measure, where)
        _run(session, measure, where)  # a second pass grants nobody twice

        granted = _granted(session, measure)
        assert sorted(a.person_id for a in granted) == sorted(expected)
        assert all(a.status is ApplicationStatus.APPROVED for a in granted)
    finally:
        session.rollback()


def test_a_grant_cites_the_measure_and_runs_from_its_period(session: Session) -> None:
    add_kind(session, days=30)
    person = add_person(session)
    measure = _granting(session)
    _run(session, measure)
    (grant,) = _granted(session, measure)
    assert grant.person_id == person.id and grant.nationality == person.nationality
    assert (grant.entitlement_from, grant.entitlement_until) == (
        PERIOD[0],
        PERIOD[0] + dt.timedelta(days=29),
    )
    assert grant.decided_by == grant.created_by == f"measure:{measure.id}"
    assert measure.reference in grant.decision_reason
    (reason,) = grant.eligibility_reasons
    assert reason["code"] == GRANTED_BY_MEASURE
    assert reason["saw"] == {"measure_id": str(measure.id), "on": TODAY.isoformat()}


def test_a_grant_with_its_own_end_date(session: Session) -> None:
    add_kind(session)
    add_person(session)
    measure = _granting(session, until="2020-12-31")
    _run(session, measure)
    (grant,) = _granted(session, measure)
    assert grant.entitlement_until == dt.date(2020, 12, 31)


def test_an_end_date_given_as_a_yaml_date_is_stored_and_honoured(session: Session) -> None:
    """Regression: a YAML date in ``until`` failed to store (not JSON), and the stored text
    was then ignored (only a date object was read)."""
    canonical = actions_to_data(
        parse_actions([{"grant_benefit": {"kind": "shelter", "until": dt.date(2020, 12, 31)}}])
    )
    assert canonical == [{"grant_benefit": {"kind": "shelter", "until": "2020-12-31"}}]
    add_kind(session)
    add_person(session)
    measure = add_measure(session, actions=canonical)
    _run(session, measure)
    assert [g.entitlement_until for g in _granted(session, measure)] == [dt.date(2020, 12, 31)]
    with pytest.raises(ScopeError) as caught:
        parse_actions([{"grant_benefit": {"kind": "shelter", "until": "31.12.2020"}}])
    assert [e.field for e in caught.value.errors] == ["actions[0].grant_benefit.until"]


def test_a_kind_not_configured_here_or_inactive_grants_nothing(session: Session) -> None:
    add_kind(session, code="elsewhere", state="UZB")
    add_kind(session, code="retired", active=False)
    add_person(session)
    for code in ("elsewhere", "retired", "unknown"):
        measure = _granting(session, kind=code)
        _run(session, measure)
        assert _granted(session, measure) == []


def test_the_action_scope_narrows_the_measure_scope(session: Session) -> None:
    add_kind(session)
    young = add_person(session, birth_year=2010)
    add_person(session, birth_year=1970)
    measure = _granting(session, scope={"age": {"max": 17}})
    _run(session, measure)
    assert [g.person_id for g in _granted(session, measure)] == [young.id]


def test_a_slice_of_new_violations_reaches_only_their_persons(session: Session) -> None:
    """The listener on a recorded violation passes a violation slice: only the offender is
    considered, not the whole register."""
    add_kind(session)
    offender, other = add_person(session), add_person(session)
    violation = add_violation(session, offender, start=dt.date(2020, 4, 2))
    measure = _granting(session)
    _run(session, measure, Slice(violation_ids=(violation.id,)))
    assert [g.person_id for g in _granted(session, measure)] == [offender.id]
    _run(session, measure, Slice(violation_ids=(uuid.uuid4(),)))
    assert other.id not in {g.person_id for g in _granted(session, measure)}
