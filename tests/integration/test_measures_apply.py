"""The worked example (spring 2020) end to end on a generated register, on both databases:
load, preview, bring into force, apply, apply again, explain, lift; and a new document
brought under the measure at once."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.db.base import utcnow
from kervan.exchange.models import OutboxMessage, TrustListVersion
from kervan.exchange.trust_store import install as install_trust_list
from kervan.measures import service
from kervan.measures.explain import explain_document
from kervan.measures.loader import example_path, load_measure, read_measure_file
from kervan.measures.models import MeasureEffect, MeasureStatus
from kervan.measures.preview import preview_measure
from kervan.registry import service as registry
from kervan.registry.enums import (
    StayKind,
    StayPurpose,
    StayStatus,
    ViolationKind,
    ViolationStatus,
)
from kervan.registry.models import StayDocument, StayDocumentEvent, Violation
from kervan.registry.schemas import StayDocumentCreate, ViolationCreate
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from tests.unit.exchange.support import federation

TODAY = dt.date(2020, 5, 1)
WINDOW = (dt.date(2020, 3, 16), dt.date(2020, 5, 15))
TARGET = dt.date(2020, 6, 14)
PEERS = {"UZB", "TUR"}  # the member nodes on the trust list besides this one (KAZ)


@pytest.fixture(autouse=True)
def trust_list(session_factory: sessionmaker[Session], tmp_path: Path) -> None:
    """A federation of OTS, KAZ, UZB and TUR: KAZ reports to UZB and TUR, and to no member
    state without a node (a message for one would wait in the outbox for ever)."""
    document, _, _ = federation(tmp_path / "keys")
    with unit_of_work(session_factory) as session:
        install_trust_list(session, document, utcnow(), bootstrap=True)


def _register(engine: Engine) -> None:
    load(engine, generate(600, seed=7, host_state="KAZ", today=TODAY))


def _in_window(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                StayDocument.valid_until.between(*WINDOW),
                StayDocument.status == StayStatus.ACTIVE,
            )
        )
        or 0
    )


def _activate(factory: sessionmaker[Session], officer: Principal) -> uuid.UUID:
    with unit_of_work(factory) as session:
        measure = load_measure(session, officer, read_measure_file(example_path()))
        preview = preview_measure(session, officer, measure.id, today=TODAY)
        expected = _in_window(session)
        assert preview["documents"] == expected > 0
        assert sum(g["documents"] for g in preview["by_nationality_kind"]) == expected
        assert len(preview["sample"]) == min(10, expected)
        service.activate_measure(session, officer, measure.id)
        return measure.id


def test_spring_2020_end_to_end(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    _register(engine)
    measure_id = _activate(session_factory, officer)
    with unit_of_work(session_factory) as session:
        expected = _in_window(session)
        recorded = session.scalar(
            select(func.count()).where(
                Violation.status == ViolationStatus.RECORDED,
                Violation.kind.in_(["overstay", "missing_registration"]),
                Violation.period_start <= WINDOW[1],
                (Violation.period_end.is_(None)) | (Violation.period_end >= WINDOW[0]),
            )
        )
        counts = service.apply_measure(session, officer, measure_id, today=TODAY)
    assert counts.documents == expected
    assert counts.violations == recorded
    with unit_of_work(session_factory) as session:
        assert _in_window(session) == 0
        extended = session.scalar(
            select(func.count()).where(StayDocumentEvent.measure_id == measure_id)
        )
        assert extended == expected
        assert counts.messages == _one_message_per_person(session, measure_id) > 0
        event = session.scalars(
            select(StayDocumentEvent).where(StayDocumentEvent.measure_id == measure_id)
        ).first()
        assert event is not None and event.new_values == {"valid_until": TARGET.isoformat()}
        assert event.actor == f"measure:{measure_id}"
        effect = session.scalars(select(MeasureEffect)).first()
        assert effect is not None
        explanation = explain_document(session, officer, effect.document_id, today=TODAY)
        verdict = next(v for v in explanation.verdicts if v.action == "extend")
        assert verdict.applies and verdict.extended is not None
        assert verdict.outcome.startswith("extended from")
        assert any(
            c.path.endswith("expires_between") or "expires" in c.clause for c in verdict.clauses
        )
    with unit_of_work(session_factory) as session:
        again = service.apply_measure(session, officer, measure_id, today=TODAY)
    assert (again.documents, again.messages, again.violations) == (0, 0, 0)


def _one_message_per_person(session: Session, measure_id: uuid.UUID) -> int:
    """The outbox holds one stay.extended per person with an extended document and one
    violation.waived per person with waived violations (listing exactly those), each to the
    person's home state when it is a peer; returns how many messages."""
    queued = session.scalars(select(OutboxMessage)).all()
    announced = [m for m in queued if m.type == "measure.announced"]
    assert sorted(m.to_state for m in announced) == ["OTS", "TUR", "UZB"]  # every other node
    messages = [m for m in queued if m.type != "measure.announced"]
    assert {m.type for m in messages} == {"stay.extended", "violation.waived"}
    assert all(m.to_state in PEERS for m in messages)
    extended_people = {
        tuple(row)
        for row in session.execute(
            select(MeasureEffect.person_id, MeasureEffect.nationality)
            .where(MeasureEffect.nationality.in_(PEERS))
            .distinct()
        )
    }
    stays = [m for m in messages if m.type == "stay.extended"]
    assert {(m.subject_id, m.to_state) for m in stays} == extended_people
    assert len(stays) == len(extended_people) > 0
    waived = session.execute(
        select(Violation.person_id, Violation.nationality, Violation.id).where(
            Violation.waived_by_measure_id == measure_id
        )
    ).all()
    by_person: dict[tuple[uuid.UUID, str], set[uuid.UUID]] = {}
    for person_id, nationality, violation_id in waived:
        if nationality in PEERS:
            by_person.setdefault((person_id, nationality), set()).add(violation_id)
    assert any(n not in PEERS for _, n, _ in waived)  # waived, but no home state to tell
    waivers = [m for m in messages if m.type == "violation.waived"]
    assert len(waivers) == len(by_person) > 0
    assert {
        (m.subject_id, m.to_state): {uuid.UUID(v["violation_id"]) for v in m.body["violations"]}
        for m in waivers
    } == by_person
    assert all(m.body["measure_id"] == str(measure_id) for m in waivers)
    return len(messages)


def test_chunked_apply_reports_each_person_once(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    """Chunks are by person: however small, a person gets one message of each kind."""
    _register(engine)
    measure_id = _activate(session_factory, officer)
    counts, chunks = service.apply_chunked(
        session_factory, officer, measure_id, today=TODAY, chunk_persons=37
    )
    assert chunks > 5
    with session_factory() as session:
        assert counts.messages == _one_message_per_person(session, measure_id)
    again, _ = service.apply_chunked(
        session_factory, officer, measure_id, today=TODAY, chunk_persons=37
    )
    assert (again.documents, again.messages, again.violations) == (0, 0, 0)


def test_without_a_trust_list_nothing_is_queued_for_other_states(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    with unit_of_work(session_factory) as session:
        session.execute(delete(TrustListVersion))
    _register(engine)
    measure_id = _activate(session_factory, officer)
    with unit_of_work(session_factory) as session:
        counts = service.apply_measure(session, officer, measure_id, today=TODAY)
    assert counts.documents > 0 and counts.violations > 0
    assert counts.messages == 0
    with session_factory() as session:
        queued = session.scalars(select(OutboxMessage.type)).all()
    assert queued == []  # not even measure.announced: no node is known


def test_a_violation_recorded_later_in_the_window_is_waived_at_once(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    _register(engine)
    measure_id = _activate(session_factory, officer)
    with unit_of_work(session_factory) as session:
        service.apply_measure(session, officer, measure_id, today=TODAY)
    with unit_of_work(session_factory) as session:
        person_id = session.scalar(
            select(StayDocument.person_id).where(StayDocument.nationality == "UZB").limit(1)
        )
        assert person_id is not None
        during = registry.record_violation(
            session,
            officer,
            person_id,
            ViolationCreate(kind=ViolationKind.OVERSTAY, period_start=dt.date(2020, 4, 2)),
        )
        after = registry.record_violation(
            session,
            officer,
            person_id,
            ViolationCreate(
                kind=ViolationKind.OVERSTAY,
                period_start=dt.date(2020, 7, 1),
                period_end=dt.date(2020, 7, 9),
            ),
        )
        other_kind = registry.record_violation(
            session,
            officer,
            person_id,
            ViolationCreate(
                kind=ViolationKind.WORK_WITHOUT_PERMIT, period_start=dt.date(2020, 4, 2)
            ),
        )
        ids = (during.id, after.id, other_kind.id)
    with session_factory() as session:
        found = {v.id: v for v in session.scalars(select(Violation).where(Violation.id.in_(ids)))}
        assert found[during.id].status is ViolationStatus.WAIVED
        assert found[during.id].waived_by_measure_id == measure_id
        assert found[after.id].status is ViolationStatus.RECORDED  # outside the window
        assert found[other_kind.id].status is ViolationStatus.RECORDED  # not a waived kind
        told = [
            m
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.subject_id == person_id)
            )
            if m.type == "violation.waived"
            and during.id in {uuid.UUID(v["violation_id"]) for v in m.body["violations"]}
        ]
        assert len(told) == 1 and told[0].to_state == "UZB"


def test_new_document_comes_under_measure_in_force(
    engine: Engine, session_factory: sessionmaker[Session], officer: Principal
) -> None:
    _register(engine)
    measure_id = _activate(session_factory, officer)
    with unit_of_work(session_factory) as session:
        person_id = session.scalar(select(StayDocument.person_id).limit(1))
        assert person_id is not None
        document = registry.issue_document(
            session,
            officer,
            person_id,
            StayDocumentCreate(
                kind=StayKind.REGISTRATION,
                number="R-2020-000123",
                purpose=StayPurpose.WORK,
                valid_from=dt.date(2020, 3, 1),
                valid_until=dt.date(2020, 4, 10),
                reason="registered at the place of stay",
            ),
            host_state="KAZ",
        )
        assert document.valid_until == TARGET
    with unit_of_work(session_factory) as session:
        service.lift_measure(session, officer, measure_id, "the state of emergency ended")
        measure = service.get_measure(session, officer, measure_id)
        assert measure.status is MeasureStatus.LIFTED
        kept = session.get(StayDocument, document.id)
        assert kept is not None and kept.valid_until == TARGET  # lifting undoes nothing
