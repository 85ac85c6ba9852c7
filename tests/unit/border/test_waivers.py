"""Which measure in force waives a traveller's overstay at exit (``kervan.border.waivers``):
an ``overstay`` waiver whose window holds today and the start of the overstay, whose scope
matches the person and their document judged by its end date before any measure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from kervan.border.waivers import as_before_measures, waiving_measure
from kervan.measures.models import MeasureStatus
from kervan.registry.models import Person, StayDocument
from tests.unit.measures.support import (
    ON_DATABASE,
    PERIOD,
    add_document,
    add_effect,
    add_measure,
    add_person,
)

T0 = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)
START, END = PERIOD


def _waiver(**spec: Any) -> list[dict[str, Any]]:
    return [{"waive": {"kinds": ["overstay"], **spec}}]


def _traveller(session: Session, until: dt.date = dt.date(2020, 3, 20)) -> tuple[Person, Any]:
    person = add_person(session, nationality="UZB")
    return person, add_document(session, person, until)


@ON_DATABASE
@given(
    since=st.integers(-30, 90).map(lambda n: START + dt.timedelta(days=n)),
    today=st.integers(-30, 90).map(lambda n: START + dt.timedelta(days=n)),
)
def test_the_window_must_hold_today_and_the_overstay_must_begin_by_its_end(
    session: Session, since: dt.date, today: dt.date
) -> None:
    try:
        person, document = _traveller(session)
        measure = add_measure(session, actions=_waiver())
        found = waiving_measure(session, person, document, since=since, today=today)
        expected = START <= today <= END and since <= END
        assert (found is not None and found.id == measure.id) is expected
    finally:
        session.rollback()


def test_only_an_overstay_waiver_of_a_measure_in_force_counts(session: Session) -> None:
    person, document = _traveller(session)
    add_measure(session, actions=[{"waive": {"kinds": ["missing_registration"]}}])
    add_measure(session, actions=_waiver(), status=MeasureStatus.LIFTED)
    add_measure(session, actions=_waiver(), status=MeasureStatus.PREVIEWED)
    add_measure(session, actions=[{"extend": {"to": "2020-06-30"}}])
    assert waiving_measure(session, person, document, since=START, today=START) is None


def test_the_oldest_measure_in_force_is_named(session: Session) -> None:
    person, document = _traveller(session)
    newer = add_measure(session, actions=_waiver(), in_force_at=T0 + dt.timedelta(days=1))
    older = add_measure(session, actions=_waiver(), in_force_at=T0)
    found = waiving_measure(session, person, document, since=START, today=START)
    assert found is not None and found.id == older.id != newer.id


def test_the_waiver_window_replaces_the_measure_period(session: Session) -> None:
    person, document = _traveller(session)
    measure = add_measure(
        session, actions=_waiver(committed_between={"from": "2020-06-01", "to": "2020-06-30"})
    )
    june = dt.date(2020, 6, 10)
    assert waiving_measure(session, person, document, since=START, today=START) is None
    found = waiving_measure(session, person, document, since=june, today=june)
    assert found is not None and found.id == measure.id


def test_measure_and_action_scopes_both_must_match(session: Session) -> None:
    person, document = _traveller(session)
    add_measure(session, scope={"nationality": ["KGZ"]}, actions=_waiver())
    add_measure(session, actions=_waiver(scope={"document_kind": ["visa"]}))
    assert waiving_measure(session, person, document, since=START, today=START) is None
    both = add_measure(
        session, scope={"nationality": ["UZB"]}, actions=_waiver(scope={"age": {"min": 18}})
    )
    found = waiving_measure(session, person, document, since=START, today=START)
    assert found is not None and found.id == both.id


def test_the_document_is_judged_by_its_end_date_before_any_measure(session: Session) -> None:
    person, document = _traveller(session, until=dt.date(2020, 3, 20))
    extender = add_measure(session)
    add_effect(session, extender, document, dt.date(2020, 3, 20), dt.date(2020, 6, 30))
    march = {"expires_between": {"from": "2020-03-01", "to": "2020-03-31"}}
    measure = add_measure(session, actions=_waiver(scope=march))
    found = waiving_measure(session, person, document, since=START, today=START)
    assert found is not None and found.id == measure.id


def test_as_before_measures_is_a_detached_copy_only_when_extended(session: Session) -> None:
    _, document = _traveller(session, until=dt.date(2020, 3, 20))
    assert as_before_measures(session, None) is None
    assert as_before_measures(session, document) is document
    add_effect(session, add_measure(session), document, dt.date(2020, 3, 20), dt.date(2020, 6, 30))
    copy = as_before_measures(session, document)
    assert copy is not None and copy is not document and copy.id == document.id
    assert copy.valid_until == dt.date(2020, 3, 20)
    assert document.valid_until == dt.date(2020, 6, 30)
    assert copy not in session
    session.flush()  # the copy is never written over the stored document
    session.expire_all()
    stored = session.get(StayDocument, document.id)
    assert stored is not None and stored.valid_until == dt.date(2020, 6, 30)


def test_a_traveller_without_a_document_is_judged_on_the_person(session: Session) -> None:
    person = add_person(session, nationality="UZB")
    measure = add_measure(session, scope={"nationality": ["UZB"]}, actions=_waiver())
    found = waiving_measure(session, person, None, since=START, today=START)
    assert found is not None and found.id == measure.id


def test_a_stored_measure_that_no_longer_parses_is_skipped(session: Session) -> None:
    person, document = _traveller(session)
    add_measure(session, scope={"nationalty": ["UZB"]}, actions=_waiver(), in_force_at=T0)
    good = add_measure(session, actions=_waiver(), in_force_at=T0 + dt.timedelta(days=1))
    found = waiving_measure(session, person, document, since=START, today=START)
    assert found is not None and found.id == good.id
