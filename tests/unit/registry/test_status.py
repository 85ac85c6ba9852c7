"""kervan/registry/status.py: where each person of a page stands — the document valid today
that runs longest, else the active one that ended last (what an officer must act on) — for a
whole page in two queries; a consul sees only their own nationals' status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.registry.status import person_statuses, persons_by_id
from tests.unit.registry.register_support import new_document, new_person

TODAY = dt.date(2026, 6, 1)


def test_the_current_document_is_the_valid_one_that_runs_longest(
    session: Session, officer: Principal
) -> None:
    person = new_person(session, officer)
    new_document(session, officer, person, "2026-01-01", "2026-05-31")  # ended yesterday
    longest = new_document(session, officer, person, "2026-01-01", "2026-12-31")
    new_document(session, officer, person, "2026-02-01", "2026-09-30")
    status = person_statuses(session, officer, [person], today=TODAY)[person]
    assert status.document is not None and status.document.id == longest
    assert not status.document.expired and status.open_violations == 0


def test_without_a_valid_one_the_last_that_ended_is_to_act_on(
    session: Session, officer: Principal
) -> None:
    person = new_person(session, officer)
    new_document(session, officer, person, "2025-01-01", "2025-12-31")
    last = new_document(session, officer, person, "2026-01-01", "2026-05-31")
    status = person_statuses(session, officer, [person], today=TODAY)[person]
    assert status.document is not None and (status.document.id, status.document.expired) == (
        last,
        True,
    )


def test_a_whole_page_takes_two_queries_and_every_person_has_a_status(
    session: Session, officer: Principal
) -> None:
    people = [new_person(session, officer) for _ in range(5)]
    for person in people[:3]:
        new_document(session, officer, person, "2026-01-01", "2026-12-31")
    statements: list[str] = []
    engine = session.get_bind()

    def listen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        statuses = person_statuses(session, officer, people + people[:1], today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) == 2
    assert sorted(statuses) == sorted(people)
    assert [statuses[p].document is None for p in people] == [False] * 3 + [True] * 2
    assert person_statuses(session, officer, [], today=TODAY) == {}


def test_a_consul_sees_the_status_of_their_own_nationals_only(
    session: Session, officer: Principal
) -> None:
    ours, theirs = new_person(session, officer, "UZB"), new_person(session, officer, "TUR")
    for person in (ours, theirs):
        new_document(session, officer, person, "2026-01-01", "2026-12-31")
    consul = Principal(user_id=None, username="c", role=Role.CONSULAR_OFFICER, state="UZB")
    statuses = person_statuses(session, consul, [ours, theirs], today=TODAY)
    assert statuses[ours].document is not None and statuses[theirs].document is None
    assert set(persons_by_id(session, consul, [ours, theirs])) == {ours}
    assert set(persons_by_id(session, officer, [ours, theirs])) == {ours, theirs}
