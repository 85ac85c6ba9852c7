"""The whole-register apply as the worker's job (``kervan.measures.jobs``): one measure leased
at a time (a lease another worker holds is respected until it runs out), applied in chunks to
the end, the request and the lease cleared after; the progress the page shows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from kervan.db.base import utcnow
from kervan.measures.jobs import ApplyProgress, apply_requested, progress
from kervan.measures.models import Measure, MeasureEvent, MeasureEventKind, MeasureStatus
from kervan.registry.models import Person, StayDocument
from kervan.uow import unit_of_work
from tests.unit.measures.support import TODAY, add_document, add_measure, add_person


def _requested(factory: sessionmaker[Session], **values: object) -> Measure:
    """A measure brought into force, waiting for its pass, over five persons' documents."""
    with unit_of_work(factory) as session:
        for _ in range(5):
            add_document(session, add_person(session), dt.date(2020, 4, 1))
        measure = add_measure(session)
        measure.in_force_by = "officer.kaz"
        measure.apply_requested_at = utcnow()
        for name, value in values.items():
            setattr(measure, name, value)
    return measure


def test_no_waiting_measure_means_no_work(session_factory: sessionmaker[Session]) -> None:
    assert apply_requested(session_factory, today=TODAY) is False


def test_a_requested_measure_is_applied_in_chunks_to_the_end(
    session_factory: sessionmaker[Session],
) -> None:
    measure = _requested(session_factory)
    assert apply_requested(session_factory, today=TODAY, chunk_persons=2) is True
    with unit_of_work(session_factory) as session:
        done = session.get(Measure, measure.id)
        assert done is not None
        assert (done.apply_requested_at, done.apply_lease_until, done.applied_through) == (
            None,
            None,
            None,
        )
        ends = session.query(StayDocument.valid_until).distinct().all()
        assert ends == [(dt.date(2020, 6, 30),)]
        applied = [
            e
            for e in session.query(MeasureEvent).filter(MeasureEvent.measure_id == measure.id)
            if e.kind is MeasureEventKind.APPLIED
        ]
        assert [(e.details["chunks"], e.details["documents_extended"]) for e in applied] == [(3, 5)]
    assert apply_requested(session_factory, today=TODAY) is False  # nothing waits any more


def test_a_lease_held_by_another_worker_is_respected_until_it_runs_out(
    session_factory: sessionmaker[Session],
) -> None:
    measure = _requested(session_factory, apply_lease_until=utcnow() + dt.timedelta(minutes=5))
    assert apply_requested(session_factory, today=TODAY) is False
    with unit_of_work(session_factory) as session:
        held = session.get(Measure, measure.id)
        assert held is not None
        held.apply_lease_until = utcnow() - dt.timedelta(seconds=1)  # that worker died
    assert apply_requested(session_factory, today=TODAY) is True


def test_a_lifted_measure_is_not_applied(session_factory: sessionmaker[Session]) -> None:
    measure = _requested(session_factory, status=MeasureStatus.LIFTED)
    assert apply_requested(session_factory, today=TODAY) is False
    with unit_of_work(session_factory) as session:
        assert session.get(Measure, measure.id).apply_requested_at is not None  # type: ignore[union-attr]


def test_progress_counts_the_persons_before_the_last_chunk_end(session: Session) -> None:
    persons = sorted((add_person(session) for _ in range(4)), key=lambda p: p.id)
    measure = add_measure(session)
    assert progress(session, measure) is None  # nothing requested
    measure.apply_requested_at = utcnow()
    assert progress(session, measure) == ApplyProgress(0, 4)
    measure.applied_through = persons[3].id
    assert progress(session, measure) == ApplyProgress(3, 4)
    assert ApplyProgress(3, 4).percent == 75
    assert ApplyProgress(0, 0).percent == 100
    assert session.query(Person).count() == 4
