"""The benchmarks are safe to run on a shared machine: each has --help, ``make bench`` passes
ARGS through, nothing is written to docs/benchmarks.md without --record, and on PostgreSQL a
benchmark creates uniquely named scratch databases and drops only those."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kervan.db.engine import make_engine, normalise_url

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["bench", "bench.import_bench", "bench.search_bench", "bench.measures_bench"]
MODULES += ["bench.exchange_bench", "bench.cli_bench"]


def python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("module", MODULES)
def test_every_benchmark_has_help_and_a_record_switch(module: str) -> None:
    done = python("-m", module, "--help")
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout and "--record" in done.stdout


def test_make_bench_passes_help_through() -> None:
    # -o: the installed venv counts as up to date (no reinstall from inside a test).
    done = subprocess.run(
        ["make", "-o", ".venv/.installed", "bench", "ARGS=--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "python -m bench" in done.stdout and "--only" in done.stdout


def _databases(admin_url: str) -> set[str]:
    engine = make_engine(admin_url)
    with engine.connect() as connection:
        names = set(connection.scalars(text("SELECT datname FROM pg_database")))
    engine.dispose()
    return names


@pytest.mark.postgres
def test_a_postgresql_benchmark_drops_only_what_it_created(tmp_path: Path) -> None:
    base = os.environ.get("KERVAN_TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs KERVAN_TEST_DATABASE_URL")
    admin_url = make_url(normalise_url(base)).set(database="postgres").render_as_string(False)
    decoy = f"kervan_bench_decoy_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{decoy}"'))
    page = (ROOT / "docs" / "benchmarks.md").read_bytes()
    try:
        done = python(
            "-m", "bench.import_bench", "--rows", "300", "--database", "postgresql",
            "--postgres-url", base, "--cache-dir", str(tmp_path),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        after = _databases(admin_url)
        assert decoy in after
        ours = re.compile(r"kervan_bench(_baseline)?_[0-9a-f]{8}")
        assert not [name for name in after if ours.fullmatch(name)]
        assert (ROOT / "docs" / "benchmarks.md").read_bytes() == page
        assert "ratio" in done.stdout
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{decoy}"'))
        admin.dispose()
