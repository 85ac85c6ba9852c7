"""First loads (``import_file(initial=True)``, ``kervan import --initial``) on SQLite and
PostgreSQL: the same register, report and audit as an ordinary import, indexes and foreign keys
back afterwards, and histories that begin with their batch's entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal
from kervan.errors import Conflict
from kervan.registry import service
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
)
from kervan.registry.transfer import first_load
from kervan.registry.transfer.bulk_load import TABLES
from kervan.registry.transfer.models import ImportBatch
from kervan.registry.transfer.samples import SampleRow, repeated_rows, sample_rows, write_rows
from kervan.uow import unit_of_work
from tests.integration.import_support import HOST, run_import, write_csv


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(sample_rows(40, seed=11, host_state=HOST))


def indexes(engine: Engine) -> dict[str, set[str]]:
    inspector = inspect(engine)
    return {t: {i["name"] or "" for i in inspector.get_indexes(t)} for t in TABLES}


def foreign_keys(engine: Engine) -> dict[str, int]:
    inspector = inspect(engine)
    return {t: len(inspector.get_foreign_keys(t)) for t in TABLES}


def count(factory: sessionmaker[Session], model: Any) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_first_load_writes_what_an_import_writes_but_one_history_entry_per_batch(
    session_factory: sessionmaker[Session],
    engine: Engine,
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    before = indexes(engine), foreign_keys(engine)
    path = write_csv(tmp_path / "first.csv", rows)
    report = run_import(session_factory, officer, path, initial=True, chunk_rows=15)
    passports = {(r["passport_issuing_state"], r["passport_number"]) for r in rows}
    assert (report.outcome, report.initial, report.rows, report.documents_created) == (
        "imported",
        True,
        40,
        40,
    )
    assert report.persons_created == len(passports)
    assert (indexes(engine), foreign_keys(engine)) == before
    assert (
        count(session_factory, Person) == count(session_factory, TravelDocument) == len(passports)
    )
    assert count(session_factory, StayDocument) == 40
    assert count(session_factory, PersonEvent) == count(session_factory, StayDocumentEvent) == 0
    with session_factory() as session:
        batches = session.scalars(select(ImportBatch).order_by(ImportBatch.first_row)).all()
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "register.import")
        ).one()
    assert [(b.first_row, b.last_row) for b in batches] == [(2, 16), (17, 31), (32, 41)]
    assert sum(b.documents_created for b in batches) == 40
    assert {b.reason for b in batches} == {"import of first.csv"}
    assert audit.details["initial"] is True and audit.details["documents_created"] == 40


def test_histories_begin_with_the_batch_entry_and_keep_later_changes(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "first.csv", rows), initial=True)
    changed = {**rows[3], "valid_until": "2031-12-31"}
    report = run_import(session_factory, officer, write_csv(tmp_path / "fix.csv", [changed]))
    assert (report.initial, report.documents_corrected) == (False, 1)
    with unit_of_work(session_factory) as session:
        document = session.scalars(
            select(StayDocument).where(StayDocument.number == rows[3]["document_number"])
        ).one()
        issued, corrected = service.document_history(session, officer, document.id)
        [created] = service.person_history(session, officer, document.person_id)
    assert (issued.kind, issued.reason, issued.actor) == (
        "issued",
        "import of first.csv",
        officer.actor,
    )
    assert issued.new_values == {
        "number": rows[3]["document_number"],
        "purpose": rows[3]["purpose"],
        "valid_from": rows[3]["valid_from"],
        "valid_until": rows[3]["valid_until"],  # as issued, before the correction
        "status": rows[3]["status"],
        "region": rows[3]["region"],
    }
    assert (corrected.kind, corrected.new_values) == ("corrected", {"valid_until": "2031-12-31"})
    assert (created.kind, created.reason) == ("created", "import of first.csv")
    assert created.new_values["primary_name"] == rows[3]["primary_name"]
    assert created.new_values["birth_date"] == rows[3]["birth_date"]


def test_records_made_after_a_first_load_have_their_own_history_only(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "a.csv", rows[:20]), initial=True)
    run_import(session_factory, officer, write_csv(tmp_path / "b.csv", rows[20:]))
    with unit_of_work(session_factory) as session:
        later = session.scalars(
            select(StayDocument).where(StayDocument.number == rows[30]["document_number"])
        ).one()
        [issued] = service.document_history(session, officer, later.id)
    assert (issued.kind, issued.reason) == ("issued", "import of b.csv")


def test_a_first_load_needs_an_empty_register(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "a.csv", rows[:5]))
    with pytest.raises(Conflict, match="needs an empty register"):
        run_import(session_factory, officer, write_csv(tmp_path / "b.csv", rows[5:]), initial=True)
    assert count(session_factory, StayDocument) == 5


@pytest.mark.parametrize("options", [{"dry_run": True}, {}])
def test_a_dry_or_rejected_first_load_leaves_the_schema_and_register_untouched(
    session_factory: sessionmaker[Session],
    engine: Engine,
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
    options: dict[str, Any],
) -> None:
    before = indexes(engine), foreign_keys(engine)
    bad = [*rows[:10], {**rows[10], "valid_from": "not a date"}, *rows[11:]]
    report = run_import(
        session_factory, officer, write_csv(tmp_path / "bad.csv", bad), initial=True, **options
    )
    assert report.outcome == ("dry_run" if options else "rejected")
    assert [(e.row, e.column) for e in report.errors] == [(12, "valid_from")]
    assert report.documents_created == 39
    assert (indexes(engine), foreign_keys(engine)) == before
    assert count(session_factory, StayDocument) == count(session_factory, ImportBatch) == 0


def test_a_large_file_into_an_empty_register_is_a_first_load(
    session_factory: sessionmaker[Session], officer: Principal, tmp_path: Path
) -> None:
    path = tmp_path / "large.csv"
    write_rows(path, repeated_rows(first_load.MIN_ROWS), "csv")
    small = write_csv(tmp_path / "small.csv", list(repeated_rows(10, first=10**7)))
    with session_factory() as session:
        assert first_load.decide(session, path, "csv", None)
        assert not first_load.decide(session, small, "csv", None)
        assert not first_load.decide(session, path, "csv", False)
    run_import(session_factory, officer, small)
    with session_factory() as session:
        assert not first_load.decide(session, path, "csv", None)
