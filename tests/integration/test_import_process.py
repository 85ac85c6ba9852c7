"""A large file is parsed in a reader process: the same report, register and errors as the
reader thread gives."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.registry.transfer.samples import sample_rows
from tests.integration.import_support import run_import, write_csv
from tests.integration.test_import_roundtrip import empty_register, register_snapshot


def test_a_reader_process_imports_as_the_reader_thread(
    session_factory: sessionmaker[Session], officer: Principal, tmp_path: Path
) -> None:
    rows = list(sample_rows(40, seed=8))
    rows[5] = {**rows[5], "birth_date": "1990-13-01"}
    rows[9] = {**rows[9], "region": "KZ-99"}
    path = write_csv(tmp_path / "r.csv", rows)
    reports = []
    registers = []
    for in_process in (False, True):
        report = run_import(
            session_factory,
            officer,
            path,
            all_or_nothing=False,
            chunk_rows=7,
            parse_in_process=in_process,
        )
        reports.append((report.counts(), [(e.row, e.column, e.code) for e in report.errors]))
        registers.append(register_snapshot(session_factory))
        empty_register(session_factory)
    assert reports[0] == reports[1]
    assert reports[0][1] == [(7, "birth_date", ""), (11, "region", "register.region-code")]
    assert registers[0] == registers[1]
