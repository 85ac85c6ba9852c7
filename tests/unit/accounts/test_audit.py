"""kervan/accounts/audit.py: each entry extends the chain from the head, in the caller's
transaction; a log whose head is gone goes on from its last entry; pages run newest first
without skipping or repeating as entries are added; an export stops at the head it began
with. (The CSV form: tests/unit/accounts/test_audit_export.py.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit
from kervan.accounts.audit_rows import GENESIS_HASH
from kervan.accounts.models import AuditEntry, AuditHead
from kervan.accounts.roles import Principal
from kervan.uow import unit_of_work


def test_entries_chain_from_the_genesis_hash(session: Session, officer: Principal) -> None:
    first = audit.record(session, officer, "person.read", record_id=7, details={"n": 1})
    second = audit.record(session, audit.Anonymous("nobody", "10.0.0.1"), "sign_in.failed")
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.entry_hash)
    assert first.record_id == "7" and second.role == "anonymous" and second.address == "10.0.0.1"
    head = session.get_one(AuditHead, 1)
    assert (head.last_seq, head.last_hash) == (2, second.entry_hash)


def test_an_entry_rolls_back_with_the_action_it_records(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    with session_factory() as session:
        audit.record(session, officer, "person.read")
        session.rollback()
    with session_factory() as session:
        assert session.scalars(select(AuditEntry)).all() == []


def test_the_change_alongside_is_applied_in_the_same_transaction(
    session: Session, officer: Principal
) -> None:
    applied: list[bool] = []
    audit.record(
        session, officer, "sign_in.failed", alongside=lambda s: applied.append(s is session)
    )
    assert applied == [True]


def test_a_log_whose_head_is_gone_goes_on_from_its_last_entry(
    session: Session, officer: Principal
) -> None:
    last = audit.record(session, officer, "a")
    session.execute(delete(AuditHead))
    session.expunge_all()
    after = audit.record(session, officer, "b")
    assert (after.seq, after.prev_hash) == (2, last.entry_hash)


def test_a_failure_to_record_after_the_rollback_is_kept_aside(
    session: Session, officer: Principal
) -> None:
    audit.record_on_failure(session, officer, "person.denied", record_id="7")
    assert audit.take_pending(session) == [(officer, "person.denied", {"record_id": "7"})]
    assert audit.take_pending(session) == []


def test_pages_run_newest_first_and_new_entries_shift_nothing(
    session: Session, officer: Principal
) -> None:
    for n in range(5):
        audit.record(session, officer, "person.read" if n % 2 else "person.search")
    page, before = audit.search_entries(session, audit.AuditFilter(), limit=2)
    assert [e.seq for e in page] == [5, 4] and before == 4
    audit.record(session, officer, "person.read")  # a new entry while paging
    page, before = audit.search_entries(session, audit.AuditFilter(), before_seq=before, limit=2)
    assert [e.seq for e in page] == [3, 2] and before == 2
    page, before = audit.search_entries(session, audit.AuditFilter(), before_seq=before, limit=2)
    assert [e.seq for e in page] == [1] and before is None
    reads, _ = audit.search_entries(session, audit.AuditFilter(action="person.read"))
    assert [e.seq for e in reads] == [6, 4, 2]


def test_the_period_includes_its_start_and_excludes_its_end(
    session: Session, officer: Principal
) -> None:
    entry = audit.record(session, officer, "x")
    at = entry.at
    found = audit.search_entries(session, audit.AuditFilter(since=at, until=at))[0]
    assert found == []
    window = audit.AuditFilter(since=at, until=at + dt.timedelta(microseconds=1))
    assert [e.seq for e in audit.search_entries(session, window)[0]] == [1]


def test_an_export_runs_in_batches_and_stops_at_the_head_it_began_with(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    with unit_of_work(session_factory) as session:
        for _ in range(5):
            audit.record(session, officer, "x")
    exported = audit.export_entries(session_factory, audit.AuditFilter(), batch=2)
    first = next(exported)
    with unit_of_work(session_factory) as session:
        audit.record(session, officer, "after the export began")
    assert [first.seq, *(e.seq for e in exported)] == [1, 2, 3, 4, 5]
