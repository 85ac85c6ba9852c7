"""Explaining a person's or a document's measures (``kervan.measures.explain``): one verdict
per document per extending measure and one per waiver, each outcome its own stable code, the
document judged by its end date before any measure; drafts are never explained."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.measures.explain import explain_document, explain_person
from kervan.measures.models import MeasureStatus
from kervan.registry.enums import StayStatus, ViolationStatus
from tests.unit.measures.support import (
    TODAY,
    add_document,
    add_effect,
    add_measure,
    add_person,
    add_violation,
)

APRIL = dt.date(2020, 4, 1)


def _outcomes(session: Session, officer: Principal, person_id: Any) -> list[str]:
    explained = explain_person(session, officer, person_id, today=TODAY)
    return [v.outcome_code for v in explained.verdicts]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (MeasureStatus.IN_FORCE, "will-extend-when-applied"),
        (MeasureStatus.PREVIEWED, "would-extend-once-in-force"),
        (MeasureStatus.LIFTED, "lifted-before-reaching"),
    ],
)
def test_a_document_in_scope_not_yet_extended(
    session: Session, officer: Principal, status: MeasureStatus, code: str
) -> None:
    person = add_person(session)
    add_document(session, person, APRIL)
    measure = add_measure(session, status=status)
    (verdict,) = explain_person(session, officer, person.id, today=TODAY).verdicts
    assert (verdict.outcome_code, verdict.applies, verdict.action) == (code, True, "extend")
    assert verdict.measure_id == measure.id
    assert (verdict.judged_until, verdict.would_extend_to) == (APRIL, dt.date(2020, 6, 30))


def test_a_draft_is_not_explained(session: Session, officer: Principal) -> None:
    person = add_person(session)
    add_document(session, person, APRIL)
    add_measure(session, status=MeasureStatus.DRAFT)
    assert _outcomes(session, officer, person.id) == []


def test_each_reason_a_document_in_scope_is_not_extended(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    add_document(session, person, APRIL, status=StayStatus.REVOKED)
    add_document(session, person, dt.date(2020, 9, 1))  # already valid past the target
    add_measure(session)
    assert sorted(_outcomes(session, officer, person.id)) == [
        "already-valid",
        "document-not-active",
    ]


def test_a_document_out_of_scope_names_the_clause_that_failed(
    session: Session, officer: Principal
) -> None:
    person = add_person(session, nationality="UZB")
    add_document(session, person, APRIL)
    add_measure(session, scope={"nationality": ["KGZ"]})
    (verdict,) = explain_person(session, officer, person.id, today=TODAY).verdicts
    assert (verdict.outcome_code, verdict.applies) == ("not-in-scope", False)
    assert [c.matched for c in verdict.clauses] == [False]


def test_an_extended_document_is_judged_by_its_end_date_before_any_measure(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    document = add_document(session, person, APRIL)
    march_april = {"expires_between": {"from": "2020-03-01", "to": "2020-04-30"}}
    first = add_measure(session, scope=march_april)
    add_effect(session, first, document, APRIL, dt.date(2020, 6, 30))
    second = add_measure(session, scope=march_april, actions=[{"extend": {"by_days": 120}}])
    verdicts = {
        v.measure_id: v
        for v in explain_document(session, officer, document.id, today=TODAY).verdicts
    }
    assert verdicts[first.id].outcome_code == "extended"
    assert verdicts[first.id].extended is not None
    assert verdicts[first.id].extended["to"] == "2020-06-30"
    later = verdicts[second.id]
    assert (later.outcome_code, later.judged_until) == ("will-extend-when-applied", APRIL)
    assert later.would_extend_to == APRIL + dt.timedelta(days=120)


def test_a_waiver_says_how_many_of_the_persons_violations_it_waived(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    measure = add_measure(session, actions=[{"waive": {"kinds": ["overstay"]}}])
    (verdict,) = explain_person(session, officer, person.id, today=TODAY).verdicts
    assert (verdict.action, verdict.outcome_code, verdict.document_id) == (
        "waive",
        "nothing-waived",
        None,
    )
    for _ in range(2):
        violation = add_violation(session, person, start=APRIL)
        violation.status = ViolationStatus.WAIVED
        violation.waived_by_measure_id = measure.id
    session.flush()
    (verdict,) = explain_person(session, officer, person.id, today=TODAY).verdicts
    assert (verdict.outcome_code, verdict.waived_count) == ("waived", 2)
