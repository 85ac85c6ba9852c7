"""The audit log's hash chain on both databases: an intact chain verifies, and each kind of
tampering — altering, removing, inserting, truncating — is named at the first entry it touched,
by ``verify_chain`` and by ``kervan audit verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kervan.accounts import audit, audit_verify
from kervan.accounts.audit_rows import GENESIS_HASH
from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal
from kervan.cli import app as cli_app
from kervan.uow import unit_of_work
from tests.unit.accounts.audit_support import forged_entry

ENTRIES = 6


@pytest.fixture
def chain(session_factory: sessionmaker[Session], officer: Principal) -> sessionmaker[Session]:
    with unit_of_work(session_factory) as session:
        for n in range(1, ENTRIES + 1):
            audit.record(
                session,
                officer,
                "person.read",
                record_type="person",
                record_id=f"p-{n}",
                purpose="routine check" if n % 2 else "",
            )
    return session_factory


def verify(factory: sessionmaker[Session]) -> audit_verify.ChainReport:
    with factory() as session:
        return audit_verify.verify_chain(session)


def execute(factory: sessionmaker[Session], sql: str, **params: object) -> None:
    with unit_of_work(factory) as session:
        session.execute(text(sql), params)


def test_intact_chain_verifies(chain: sessionmaker[Session]) -> None:
    report = verify(chain)
    assert report.intact
    assert report.entries_checked == ENTRIES
    assert report.last_hash != GENESIS_HASH


def test_empty_log_is_intact(session_factory: sessionmaker[Session]) -> None:
    assert verify(session_factory) == audit_verify.ChainReport(0)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("purpose", "a purpose written in later"),
        ("username", "someone.else"),
        ("record_id", "p-999"),
        ("outcome", "denied"),
    ],
)
def test_altered_field_names_the_entry(
    chain: sessionmaker[Session], column: str, value: str
) -> None:
    execute(chain, f"UPDATE audit_entries SET {column} = :value WHERE seq = 3", value=value)
    report = verify(chain)
    assert (report.first_bad_seq, report.problem) == (3, "entry 3 was altered")


def test_altered_time_names_the_entry(chain: sessionmaker[Session]) -> None:
    with unit_of_work(chain) as session:
        entry = session.get(AuditEntry, 4)
        assert entry is not None
        entry.at = entry.at - dt.timedelta(days=1)
    assert verify(chain).first_bad_seq == 4


def test_removed_entry_in_the_middle_is_named(chain: sessionmaker[Session]) -> None:
    execute(chain, "DELETE FROM audit_entries WHERE seq = 3")
    report = verify(chain)
    assert (report.first_bad_seq, report.problem) == (3, "entry 3 was removed")


def test_entry_inserted_in_the_middle_is_named(chain: sessionmaker[Session]) -> None:
    with unit_of_work(chain) as session:
        # Make room at 3 by renumbering from the end (the primary key forbids a collision).
        for seq in range(ENTRIES, 2, -1):
            session.execute(
                text("UPDATE audit_entries SET seq = :new WHERE seq = :old"),
                {"new": seq + 1, "old": seq},
            )
        second = session.get(AuditEntry, 2)
        assert second is not None
        session.add(forged_entry(3, second, record_type="user", record_id="f"))
    report = verify(chain)
    assert (report.first_bad_seq, report.problem) == (3, "entry 3 was inserted")


def test_forged_entry_appended_after_the_head_is_named(chain: sessionmaker[Session]) -> None:
    with unit_of_work(chain) as session:
        last = session.get(AuditEntry, ENTRIES)
        assert last is not None
        session.add(forged_entry(ENTRIES + 1, last, record_type="user", record_id="f"))
    report = verify(chain)
    assert report.first_bad_seq == ENTRIES + 1
    assert "inserted" in report.problem


def test_forged_entry_with_a_naive_hash_is_named(chain: sessionmaker[Session]) -> None:
    execute(
        chain,
        "UPDATE audit_entries SET prev_hash = :h WHERE seq = 5",
        h=hashlib.sha256(b"guess").hexdigest(),
    )
    assert verify(chain).first_bad_seq == 5


def test_removed_last_entries_are_detected_by_the_head(chain: sessionmaker[Session]) -> None:
    execute(chain, "DELETE FROM audit_entries WHERE seq >= 5")
    report = verify(chain)
    assert report.first_bad_seq == 5
    assert "removed" in report.problem


def test_appending_after_verification_keeps_the_chain(
    chain: sessionmaker[Session], officer: Principal
) -> None:
    with unit_of_work(chain) as session:
        audit.record(session, officer, "person.read", record_type="person", record_id="p-7")
    assert verify(chain).entries_checked == ENTRIES + 1


# ----------------------------------------------------------------------------------------------
# The command line


def run_verify(database_url: str, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(
        cli_app, ["audit", "verify", *args], env={"KERVAN_DATABASE_URL": database_url}
    )
    return result.exit_code, result.stdout, result.stderr


def test_cli_verify_reports_an_intact_chain(
    chain: sessionmaker[Session], database_url: str
) -> None:
    code, out, _ = run_verify(database_url)
    assert code == 0
    assert out.startswith(f"audit chain intact: {ENTRIES} entries; no signed checkpoint")


def test_cli_verify_exits_1_with_one_line_naming_the_entry(
    chain: sessionmaker[Session], database_url: str
) -> None:
    execute(chain, "UPDATE audit_entries SET purpose = 'edited' WHERE seq = 2")
    code, out, err = run_verify(database_url)
    assert code == 1
    assert out == ""
    assert err.splitlines() == ["kervan: error: audit chain broken at entry 2: entry 2 was altered"]


def test_cli_verify_json(chain: sessionmaker[Session], database_url: str) -> None:
    execute(chain, "DELETE FROM audit_entries WHERE seq = 4")
    code, out, _ = run_verify(database_url, "--json")
    assert code == 1
    with chain() as session:
        last = session.get(AuditEntry, ENTRIES)
        assert last is not None
    assert json.loads(out.splitlines()[0]) == {
        "intact": False,
        "entries": ENTRIES - 1,  # the walk goes on past the gap
        "first_bad_seq": 4,
        "problem": "entry 4 was removed",
        "last_hash": last.entry_hash,
        "problems": [{"seq": 4, "problem": "entry 4 was removed"}],
        "problem_count": 1,
        "checkpoint": None,
        "refused_checkpoints": [],
    }
