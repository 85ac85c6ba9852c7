"""New data under the measures in force (``kervan.measures.listeners``): a new or corrected
document is extended, a newly recorded violation waived, at once, by every measure in force
and only by those — and the register's histories name measures by their titles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.models import AuditEntry
from kervan.measures.listeners import (
    document_changed,
    documents_bulk_changed,
    measure_titles,
    violation_recorded,
)
from kervan.measures.models import MeasureStatus
from kervan.registry.enums import StayEventKind, ViolationStatus
from tests.unit.measures.support import add_document, add_measure, add_person, add_violation

FAR = "2099-12-31"


def test_a_new_document_is_extended_by_each_measure_in_force(session: Session) -> None:
    add_measure(session, actions=[{"extend": {"to": "2099-06-30"}}])
    longest = add_measure(session, actions=[{"extend": {"to": FAR}}])
    add_measure(session, actions=[{"extend": {"to": "2199-01-01"}}], status=MeasureStatus.LIFTED)
    document = add_document(session, add_person(session), dt.date.today())
    document_changed(session, document, StayEventKind.ISSUED)
    assert document.valid_until == dt.date.fromisoformat(FAR)  # expired: re-read from SQL
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "measure.apply")).all()
    assert {e.record_id for e in entries} >= {str(longest.id)}
    assert {e.details["trigger"] for e in entries} == {"document_changed"}


def test_a_document_outside_every_scope_is_left_alone(session: Session) -> None:
    add_measure(session, scope={"nationality": ["KGZ"]}, actions=[{"extend": {"to": FAR}}])
    document = add_document(session, add_person(session, nationality="UZB"), dt.date.today())
    document_changed(session, document, StayEventKind.ISSUED)
    assert document.valid_until == dt.date.today()
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.action == "measure.apply")).all() == []
    )


def test_without_measures_in_force_nothing_happens(session: Session) -> None:
    add_measure(session, actions=[{"extend": {"to": FAR}}], status=MeasureStatus.PREVIEWED)
    document = add_document(session, add_person(session), dt.date.today())
    document_changed(session, document, StayEventKind.ISSUED)
    documents_bulk_changed(session, [document.id])
    documents_bulk_changed(session, [])
    assert document.valid_until == dt.date.today()


def test_imported_documents_are_extended_together(session: Session) -> None:
    add_measure(session, actions=[{"extend": {"to": FAR}}])
    person = add_person(session)
    imported = [add_document(session, person, dt.date.today()) for _ in range(3)]
    untouched = add_document(session, person, dt.date.today())
    documents_bulk_changed(session, [d.id for d in imported])
    session.expire_all()
    assert {d.valid_until for d in imported} == {dt.date.fromisoformat(FAR)}
    assert untouched.valid_until == dt.date.today()


def test_a_violation_recorded_in_a_waivers_window_is_waived_at_once(session: Session) -> None:
    today = dt.date.today()
    window = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    add_measure(
        session,
        actions=[{"waive": {"kinds": ["overstay"], "committed_between": window}}],
    )
    person = add_person(session)
    inside = add_violation(session, person, start=today - dt.timedelta(days=3))
    violation_recorded(session, inside)
    outside = add_violation(
        session, person, start=today - dt.timedelta(days=90), end=today - dt.timedelta(days=60)
    )
    violation_recorded(session, outside)
    assert (inside.status, outside.status) == (ViolationStatus.WAIVED, ViolationStatus.RECORDED)


def test_histories_name_measures_by_their_title_else_their_reference(session: Session) -> None:
    titled = add_measure(session)
    untitled = add_measure(session, reference="KAZ-X")
    untitled.title = {}
    session.flush()
    titles: dict[object, object] = {}
    measure_titles(session, {titled.id, untitled.id}, titles)
    assert titles == {titled.id: {"en": "test measure"}, untitled.id: {"en": "KAZ-X"}}
