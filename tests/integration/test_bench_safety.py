"""The benchmarks are safe to run on a shared machine: each has --help, ``make bench`` passes
ARGS through, nothing is written to docs/benchmarks.md without --record, and on PostgreSQL a
benchmark creates uniquely named scratch databases and drops only those."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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
        # A first load of 300 rows and no delta: the delta goes into the same scratch database
        # (nothing more to create or drop), and its default 100,000 rows took most of this
        # file's time.
        bench = subprocess.Popen(
            [
                sys.executable, "-m", "bench.import_bench", "--rows", "300", "--delta", "0",
                "--database", "postgresql", "--postgres-url", base, "--cache-dir", str(tmp_path),
            ],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # Its scratch databases are named after its process (kervan_ibench_<pid>_…): watched
        # while it runs, so that "none left" below is about databases it really made.
        scratch = f"kervan_ibench_{bench.pid}_"
        made: set[str] = set()
        while bench.poll() is None:
            made |= {name for name in _databases(admin_url) if name.startswith(scratch)}
            time.sleep(0.5)
        stdout, stderr = bench.communicate(timeout=300)
        assert bench.returncode == 0, stderr
        assert made, "no scratch database seen while the benchmark ran"
        after = _databases(admin_url)
        assert decoy in after
        assert not [name for name in after if name.startswith(scratch)]
        assert (ROOT / "docs" / "benchmarks.md").read_bytes() == page
        assert "ratio" in stdout
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{decoy}"'))
        admin.dispose()
