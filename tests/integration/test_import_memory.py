"""Imports stream: the peak memory of an import does not grow with the file's length."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.registry.transfer.importer import import_file
from kervan.registry.transfer.samples import repeated_rows, write_rows
from kervan.uow import unit_of_work


def peak_of_import(factory: sessionmaker[Session], principal: Principal, path: Path) -> int:
    tracemalloc.start()
    try:
        with unit_of_work(factory) as session:
            report = import_file(session, principal, path, host_state="KAZ", chunk_rows=2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.error_count == 0
    return peak


# The importer's memory does not depend on the database: SQLite alone is enough here.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_peak_memory_does_not_grow_with_the_row_count(
    database_url: str, session_factory: sessionmaker[Session], officer: Principal, tmp_path: Path
) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_rows(small, repeated_rows(10_000, seed=21), "csv")
    write_rows(large, repeated_rows(50_000, seed=21, first=10_000), "csv")
    small_peak = peak_of_import(session_factory, officer, small)
    large_peak = peak_of_import(session_factory, officer, large)
    # Five times the rows; anything that kept rows would need about five times the memory.
    print(f"peak: {small_peak / 2**20:.1f} MiB (10k rows), {large_peak / 2**20:.1f} MiB (50k)")
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
