"""The measure lifecycle's rules (``kervan.measures.service``): draft → previewed → in force →
lifted, each step from the statuses it accepts only; every problem of a measure reported at
once; a change sends it back to draft; its decisions kept as its own events; the chunked pass
resumes where it stopped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.measures import messages, service
from kervan.measures.loader import example_path, parse_measure_data
from kervan.measures.models import Measure, MeasureEventKind, MeasureStatus
from kervan.measures.schemas import MeasureIn
from kervan.uow import unit_of_work
from tests.unit.measures.support import TODAY, add_document, add_measure, add_person


def _data(**changes: Any) -> MeasureIn:
    data: dict[str, Any] = yaml.safe_load(example_path().read_text(encoding="utf-8"))
    data.update(changes)
    return parse_measure_data(data)


def test_every_problem_of_a_measure_is_reported_at_once(
    session: Session, officer: Principal
) -> None:
    data = _data(
        issuing_state="ZZZ",
        period={"from": "2020-05-01", "to": "2020-04-01"},
        scope={"nationalty": ["UZB"]},
        actions=[{"extend": {"by_days": 0}}],
    )
    with pytest.raises(InvalidInput) as caught:
        service.create_measure(session, officer, data)
    assert caught.value.code == messages.INVALID_FIELDS
    fields = {e.field for e in caught.value.errors}
    assert {"issuing_state", "period.to", "scope.nationalty"} <= fields
    assert any(f.startswith("actions[0]") for f in fields)


def test_a_reference_is_taken_once(session: Session, officer: Principal) -> None:
    service.create_measure(session, officer, _data())
    with pytest.raises(Conflict) as caught, session.begin_nested():
        service.create_measure(session, officer, _data())
    assert caught.value.code == messages.REFERENCE_TAKEN


def test_the_lifecycle_accepts_each_step_only_in_its_turn(
    session: Session, officer: Principal
) -> None:
    measure = service.create_measure(session, officer, _data())
    assert measure.status is MeasureStatus.DRAFT
    for step in (
        lambda: service.activate_measure(session, officer, measure.id),
        lambda: service.lift_measure(session, officer, measure.id, "over"),
        lambda: service.apply_measure(session, officer, measure.id, today=TODAY),
    ):
        with pytest.raises(Conflict) as caught:
            step()
        assert caught.value.code == messages.WRONG_STATUS
    service.mark_previewed(session, officer, measure, {"documents": 0}, "checked")
    active = service.activate_measure(session, officer, measure.id, "decree")
    assert active.status is MeasureStatus.IN_FORCE
    assert active.apply_requested_at == active.in_force_at is not None
    with pytest.raises(Conflict):
        service.update_measure(session, officer, measure.id, _data())
    lifted = service.lift_measure(session, officer, measure.id, "over")
    assert (lifted.status, lifted.apply_requested_at) == (MeasureStatus.LIFTED, None)
    kinds = [e.kind for e in service.events_of(session, measure.id)]
    assert kinds == [
        MeasureEventKind.CREATED,
        MeasureEventKind.PREVIEWED,
        MeasureEventKind.ACTIVATED,
        MeasureEventKind.LIFTED,
    ]
    reasons = [e.reason for e in service.events_of(session, measure.id)]
    assert reasons == ["", "checked", "decree", "over"]


def test_a_change_sends_a_previewed_measure_back_to_draft(
    session: Session, officer: Principal
) -> None:
    measure = service.create_measure(session, officer, _data())
    service.mark_previewed(session, officer, measure, {"documents": 3})
    changed = service.update_measure(session, officer, measure.id, _data(scope={}))
    assert (changed.status, changed.preview, changed.scope) == (MeasureStatus.DRAFT, None, {})


def test_a_measure_is_found_by_id_or_reference(session: Session, officer: Principal) -> None:
    measure = service.create_measure(session, officer, _data())
    assert service.find_measure(session, officer, str(measure.id)) is measure
    assert service.find_measure(session, officer, measure.reference) is measure
    with pytest.raises(NotFound):
        service.find_measure(session, officer, "NO-SUCH-MEASURE")


def test_the_plan_joins_the_measure_scope_to_each_action_scope(session: Session) -> None:
    measure = add_measure(
        session,
        scope={"nationality": ["UZB"]},
        actions=[
            {"extend": {"by_days": 10, "scope": {"document_kind": ["visa"]}}},
            {"waive": {"kinds": ["overstay"]}},
        ],
    )
    plan = service.plan_for(measure, TODAY)
    assert plan.extend is not None and plan.extend.by_days == 10
    assert plan.extend_scope.has_document_clauses
    ((waive, scope),) = plan.waivers
    assert waive.kinds == ("overstay",) and not scope.has_document_clauses
    assert plan.label == f"{measure.reference} (test measure)"


def test_the_chunked_pass_resumes_after_the_last_chunk_done(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    with unit_of_work(session_factory) as session:
        persons = sorted((add_person(session) for _ in range(5)), key=lambda p: p.id)
        for person in persons:
            add_document(session, person, dt.date(2020, 4, 1))
        measure = add_measure(session)
        measure.applied_through = persons[3].id  # a killed run got this far
    counts, chunks = service.apply_chunked(
        session_factory, officer, measure.id, today=TODAY, chunk_persons=10
    )
    assert (counts.documents, chunks) == (2, 1)
    with unit_of_work(session_factory) as session:
        done = session.get(Measure, measure.id)
        assert done is not None and done.applied_through is None and done.applied_at
