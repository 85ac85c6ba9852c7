"""A person's stay documents on one time line (``kervan.measures.timeline``): the part valid
as issued ends where the first measure took over, each measure's extension follows, and an
overstay is the recorded one or, for an active document past its end, the days since."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.measures.timeline import Part, Span, person_timeline
from kervan.registry.enums import StayStatus, ViolationKind
from tests.unit.measures.support import (
    TODAY,
    add_document,
    add_effect,
    add_measure,
    add_person,
    add_violation,
)

DAY = dt.timedelta(days=1)


def _spans(session: Session, officer: Principal, person_id: object) -> list[list[Span]]:
    _, lines = person_timeline(session, officer, person_id, today=TODAY)  # type: ignore[arg-type]
    return [line.spans for line in lines]


def test_a_document_valid_today_is_one_issued_span(session: Session, officer: Principal) -> None:
    person = add_person(session)
    add_document(session, person, dt.date(2020, 12, 31), valid_from=dt.date(2020, 1, 1))
    assert _spans(session, officer, person.id) == [
        [Span(Part.ISSUED, dt.date(2020, 1, 1), dt.date(2020, 12, 31))]
    ]


def test_extensions_follow_the_issued_part_in_order(session: Session, officer: Principal) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 4, 1), valid_from=dt.date(2020, 1, 1))
    first, second = add_measure(session), add_measure(session)
    # Added out of order: the line is ordered by the end date each measure found.
    add_effect(session, second, document, dt.date(2020, 6, 30), dt.date(2020, 8, 31))
    add_effect(session, first, document, dt.date(2020, 4, 1), dt.date(2020, 6, 30))
    (spans,) = _spans(session, officer, person.id)
    assert [(s.part, s.start, s.end, s.measure_id) for s in spans] == [
        (Part.ISSUED, dt.date(2020, 1, 1), dt.date(2020, 4, 1), None),
        (Part.EXTENSION, dt.date(2020, 4, 2), dt.date(2020, 6, 30), first.id),
        (Part.EXTENSION, dt.date(2020, 7, 1), dt.date(2020, 8, 31), second.id),
    ]
    assert spans[1].measure is not None and spans[1].measure.reference == first.reference


def test_an_active_document_past_its_end_overstays_until_today(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    add_document(session, person, dt.date(2020, 3, 31), valid_from=dt.date(2020, 1, 1))
    add_document(
        session,
        person,
        dt.date(2020, 3, 1),
        valid_from=dt.date(2019, 1, 1),
        status=StayStatus.REVOKED,
    )
    revoked, active = _spans(session, officer, person.id)  # by valid_from
    assert [s.part for s in revoked] == [Part.ISSUED]  # ended by an officer: no overstay
    assert active[-1] == Span(Part.OVERSTAY, dt.date(2020, 4, 1), TODAY)


def test_a_recorded_overstay_replaces_the_computed_one(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    document = add_document(session, person, dt.date(2020, 3, 31), valid_from=dt.date(2020, 1, 1))
    add_violation(
        session, person, start=dt.date(2020, 4, 1), end=dt.date(2020, 4, 10), document=document
    )
    add_violation(session, person, start=dt.date(2020, 4, 20), document=document)  # still going
    add_violation(
        session,
        person,
        start=dt.date(2020, 4, 1),
        kind=ViolationKind.MISSING_REGISTRATION,
        document=document,
    )
    add_violation(session, person, start=dt.date(2020, 2, 1))  # about no document
    (spans,) = _spans(session, officer, person.id)
    overstays = sorted((s.start, s.end) for s in spans if s.part is Part.OVERSTAY)
    assert overstays == [
        (dt.date(2020, 4, 1), dt.date(2020, 4, 10)),
        (dt.date(2020, 4, 20), TODAY),
    ]


def test_documents_are_ordered_by_start_and_a_person_without_any_has_none(
    session: Session, officer: Principal
) -> None:
    person = add_person(session)
    later = add_document(session, person, dt.date(2020, 12, 31), valid_from=dt.date(2020, 6, 1))
    earlier = add_document(session, person, dt.date(2020, 12, 31), valid_from=dt.date(2020, 2, 1))
    found, lines = person_timeline(session, officer, person.id, today=TODAY)
    assert found.id == person.id
    assert [line.document_id for line in lines] == [earlier.id, later.id]
    assert lines[0].number == earlier.number and lines[0].status is StayStatus.ACTIVE
    nobody = add_person(session)
    assert person_timeline(session, officer, nobody.id, today=TODAY)[1] == []
