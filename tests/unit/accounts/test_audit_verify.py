"""kervan/accounts/audit_verify.py: a walk along the chain names each tampering at the entry it
touched (any one entry altered, any run of entries removed), reports every problem rather than
the first only (listing the first ``LISTED_PROBLEMS``), and holds the chain against the
checkpoints it is given: one that vouches for more entries, or another hash, is a problem too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.audit_rows import GENESIS_HASH
from kervan.accounts.audit_verify import LISTED_PROBLEMS, ChainReport, verify_chain
from kervan.accounts.checkpoints import Checkpoint
from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal
from tests.unit.accounts.audit_support import forged_entry

# Each example writes its chain in the test's session and rolls it back (the session is shared).
ON_DATABASE = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def rolled_back(session: Session) -> Iterator[Session]:
    yield session
    session.rollback()


def write_chain(session: Session, officer: Principal, entries: int) -> list[str]:
    """The entries' hashes, in order."""
    hashes = [
        audit.record(session, officer, "person.read", record_type="person", record_id=n).entry_hash
        for n in range(1, entries + 1)
    ]
    session.flush()
    return hashes


def execute(session: Session, sql: str, **params: object) -> None:
    session.execute(text(sql), params)
    session.expire_all()


def checkpoint(seq: int, entry_hash: str) -> Checkpoint:
    return Checkpoint("KAZ", seq, entry_hash, AT, "kaz-1", "token")


def test_an_empty_log_is_intact(rolled_back: Session) -> None:
    assert verify_chain(rolled_back) == ChainReport(0)
    assert verify_chain(rolled_back).last_hash == GENESIS_HASH


@ON_DATABASE
@given(data=st.data())
def test_a_chain_with_any_one_entry_altered_is_reported_at_that_entry(
    session: Session, officer: Principal, data: st.DataObject
) -> None:
    try:
        entries = data.draw(st.integers(1, 6))
        hashes = write_chain(session, officer, entries)
        intact = verify_chain(session)
        assert intact.intact and intact.entries_checked == entries
        assert intact.last_hash == hashes[-1]
        seq = data.draw(st.integers(1, entries))
        column = data.draw(st.sampled_from(["username", "action", "record_id", "purpose"]))
        execute(session, f"UPDATE audit_entries SET {column} = 'forged' WHERE seq = :s", s=seq)
        report = verify_chain(session)
        assert not report.intact
        assert (report.first_bad_seq, report.problem) == (seq, f"entry {seq} was altered")
        assert report.problem_count == 1 and report.entries_checked == entries
    finally:
        session.rollback()


@ON_DATABASE
@given(data=st.data())
def test_a_run_of_entries_removed_inside_the_chain_is_named_once(
    session: Session, officer: Principal, data: st.DataObject
) -> None:
    try:
        entries = data.draw(st.integers(3, 7))
        write_chain(session, officer, entries)
        first = data.draw(st.integers(2, entries - 1))
        last = data.draw(st.integers(first, entries - 1))
        execute(session, "DELETE FROM audit_entries WHERE seq BETWEEN :a AND :b", a=first, b=last)
        report = verify_chain(session)
        named = (
            f"entry {first} was removed"
            if first == last
            else f"entries {first}–{last} were removed"
        )
        assert (report.first_bad_seq, report.problem, report.problem_count) == (first, named, 1)
        assert report.entries_checked == entries - (last - first + 1)
    finally:
        session.rollback()


def test_the_head_names_entries_cut_off_the_end(rolled_back: Session, officer: Principal) -> None:
    write_chain(rolled_back, officer, 5)
    execute(rolled_back, "DELETE FROM audit_entries WHERE seq >= 4")
    report = verify_chain(rolled_back)
    assert report.first_bad_seq == 4 and report.entries_checked == 3
    assert report.problem == (
        "the chain ends at entry 3 but its head records entry 5: "
        "entry 4 and any after it were removed"
    )


def test_every_problem_is_counted_and_the_first_ones_listed(
    rolled_back: Session, officer: Principal
) -> None:
    entries = LISTED_PROBLEMS + 5
    write_chain(rolled_back, officer, entries)
    execute(rolled_back, "UPDATE audit_entries SET purpose = 'rewritten'")
    report = verify_chain(rolled_back)
    assert report.problem_count == entries
    assert [p.seq for p in report.problems] == list(range(1, LISTED_PROBLEMS + 1))
    assert report.first_bad_seq == 1 and report.entries_checked == entries


def test_a_checkpoint_kept_by_the_chain_leaves_it_intact(
    rolled_back: Session, officer: Principal
) -> None:
    hashes = write_chain(rolled_back, officer, 4)
    kept = [checkpoint(2, hashes[1]), checkpoint(4, hashes[3])]
    report = verify_chain(rolled_back, kept)
    assert report.intact and report.checkpoint == kept[1]


def test_a_chain_rewritten_whole_still_breaks_its_checkpoint(
    rolled_back: Session, officer: Principal
) -> None:
    write_chain(rolled_back, officer, 4)
    # A hash the chain never had at entry 3: the chain (and its head) were recomputed since.
    report = verify_chain(rolled_back, [checkpoint(3, "0" * 64)])
    assert (report.first_bad_seq, report.problem_count) == (3, 1)
    assert report.problem == (
        "entry 3 is not the one the checkpoint of 2026-12-01T09:00:00+00:00 vouches for: "
        "the chain up to it was rewritten"
    )


def test_a_checkpoint_beyond_the_end_names_the_missing_entries(
    rolled_back: Session, officer: Principal
) -> None:
    hashes = write_chain(rolled_back, officer, 3)
    report = verify_chain(rolled_back, [checkpoint(6, hashes[-1])])
    assert report.first_bad_seq == 4
    assert report.problem.endswith(
        "vouches for 6 entries but it ends at entry 3: entries 4–6 were removed"
    )


def test_a_wiped_log_breaks_its_checkpoint(rolled_back: Session, officer: Principal) -> None:
    hashes = write_chain(rolled_back, officer, 2)
    execute(rolled_back, "DELETE FROM audit_entries")
    execute(rolled_back, "DELETE FROM audit_head")
    report = verify_chain(rolled_back, [checkpoint(2, hashes[-1])])
    assert report.first_bad_seq == 1 and report.entries_checked == 0
    assert "but the log is empty: entries 1–2 were removed" in report.problem


def test_a_refused_checkpoint_makes_the_chain_not_intact(
    rolled_back: Session, officer: Principal
) -> None:
    write_chain(rolled_back, officer, 2)
    report = verify_chain(rolled_back, refused=["forged-token"])
    assert report.first_bad_seq is None and report.refused_checkpoints == ("forged-token",)
    assert not report.intact


def test_an_entry_slipped_in_with_the_rest_renumbered_is_named_as_inserted(
    rolled_back: Session, officer: Principal
) -> None:
    write_chain(rolled_back, officer, 4)
    for seq in (4, 3):  # from the end: the primary key forbids a collision
        execute(rolled_back, "UPDATE audit_entries SET seq = :n WHERE seq = :o", n=seq + 1, o=seq)
    second = rolled_back.get_one(AuditEntry, 2)
    # Forged as one who knows the hashing scheme would: consistent with the entry before it.
    forged = forged_entry(3, second)
    rolled_back.add(forged)
    rolled_back.flush()
    report = verify_chain(rolled_back)
    assert report.first_bad_seq == 3
    assert report.problem == "entry 3 was inserted"
