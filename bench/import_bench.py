"""How fast ``kervan import`` is, against the fastest way to put the same rows in the database.

    .venv/bin/python -m bench.import_bench --rows 1000000 [--database sqlite|postgresql]

1. N stay documents of the synthetic register are written to a CSV file in the import format.
2. ``import_file`` imports it into a fresh, migrated database (timed: parse, validate, derive
   name columns, reconcile, write, commit).
3. Baseline: the very rows that import wrote (persons, person events, travel documents, stay
   documents, their events) are bulk-loaded into another fresh, migrated database by the
   database's fastest path — SQLite: one ``executemany`` per table in one transaction;
   PostgreSQL: ``COPY ... FROM STDIN (FORMAT binary)``. Only the load and commit are timed.

Both rates are N document rows per second; the ratio import ÷ baseline has a target of >= 0.5.
The result goes to the ``import-bench`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sqlite3
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.common import (
    DEFAULT_POSTGRES,
    Timer,
    add_record_argument,
    fresh_postgres,
    fresh_sqlite,
    machine,
    peak_rss_mib,
    update_doc_section,
)
from kervan.accounts.roles import system_principal
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.registry.transfer.importer import import_file
from kervan.registry.transfer.report import ImportReport
from kervan.registry.transfer.samples import sample_rows, write_rows
from kervan.uow import unit_of_work

HOST = "KAZ"
#: What an import writes, in foreign-key order.
TABLES = ("persons", "person_events", "travel_documents", "stay_documents", "stay_document_events")
SECTION = "import-bench"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate_file(directory: Path, rows: int, seed: int) -> Path:
    """The benchmark's CSV file, kept in ``directory`` between runs: the generator is
    deterministic, and generating a million rows takes longer than importing them."""
    path = directory / f"register-{HOST}-{rows}-seed{seed}.csv"
    if path.exists():
        _say(f"using {path}")
        return path
    started = time.perf_counter()
    partial = path.with_suffix(".part")
    write_rows(partial, sample_rows(rows, seed=seed, host_state=HOST), "csv")
    partial.rename(path)
    size = path.stat().st_size / 1024 / 1024
    _say(f"generated {rows} rows ({size:.0f} MiB) in {time.perf_counter() - started:.1f} s")
    return path


def run_import(url: str, path: Path, profile: bool) -> tuple[float, ImportReport]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    principal = system_principal(HOST, "bench")
    done = 0

    def progress(count: int) -> None:
        nonlocal done
        done += count
        if done % 100_000 < count:
            _say(f"  imported {done} rows")

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    with unit_of_work(factory) as session:
        report = import_file(session, principal, path, host_state=HOST, progress=progress)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    engine.dispose()
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    if report.error_count:
        raise SystemExit(f"the benchmark file has bad rows: {report.errors[:3]}")
    return seconds, report


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    assert database
    return database


def baseline_sqlite(source_url: str, target_url: str) -> float:
    source = sqlite3.connect(_sqlite_path(source_url))
    target = sqlite3.connect(_sqlite_path(target_url), isolation_level=None)
    # The pragmas the node's engine sets (kervan.db.engine), so both sides pay the same.
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        target.execute(f"PRAGMA {pragma}")
    timer = Timer()
    target.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
        names = ", ".join(f'"{c}"' for c in columns)
        rows = source.execute(f'SELECT {names} FROM "{table}"').fetchall()
        insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
        with timer.measure():
            target.executemany(insert, rows)
        del rows
    with timer.measure():
        target.execute("COMMIT")
    source.close()
    target.close()
    return timer.seconds


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def baseline_postgres(source_url: str, target_url: str, directory: Path) -> float:
    import psycopg

    timer = Timer()
    with (
        psycopg.connect(_libpq(source_url)) as source,
        psycopg.connect(_libpq(target_url)) as target,
    ):
        for table in TABLES:
            dump = directory / f"{table}.copy"
            with (
                source.cursor() as cursor,
                dump.open("wb") as out,
                cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy,
            ):
                for block in copy:
                    out.write(block)
            with (
                timer.measure(),
                target.cursor() as cursor,
                dump.open("rb") as data,
                cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy,
            ):
                while block := data.read(1 << 20):
                    copy.write(block)
            dump.unlink()
        with timer.measure():
            target.commit()
    return timer.seconds


def render(results: dict[str, Any]) -> str:
    about = (
        "`python -m bench.import_bench --rows N --database D`: N synthetic stay-document rows in "
        "a CSV file, imported by `import_file` (parse, validate, derive name columns, reconcile, "
        "bulk write, commit) into a fresh migrated database. Baseline: the very rows that import "
        "wrote (persons, person events, travel documents, stay documents, events) bulk-loaded into "
        "another fresh migrated database by the fastest path (SQLite: one `executemany` "
        "transaction; PostgreSQL: binary `COPY`). Ratio = import rate ÷ baseline rate "
        "(target ≥ 0.5). Both rates count the N file rows. The machine was shared with other "
        "jobs while these ran, so absolute rates vary by ±20% between runs; the ratio less."
    )
    lines = [
        "## Import (`bench/import_bench.py`)",
        "",
        *textwrap.wrap(about, width=95),
        "",
        "| database | rows | import | import rows/s | baseline | baseline rows/s | ratio "
        "| peak RSS | machine | date |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for database, r in sorted(results.items()):
        m = r["machine"]
        lines.append(
            f"| {database} | {r['rows']:,} | {r['import_seconds']:.1f} s "
            f"| {r['import_rate']:,.0f} | {r['baseline_seconds']:.1f} s "
            f"| {r['baseline_rate']:,.0f} | {r['ratio']:.2f} | {r['peak_rss_mib']:,.0f} MiB "
            f"| {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM, Python {m['python']}, "
            f"{r['server']} | {m['date']} |"
        )
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES),
        help="a server to create the scratch databases on (unique names, dropped after)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kervan-bench",
        help="where the generated CSV files are kept between runs",
    )
    parser.add_argument("--profile", action="store_true", help="print where the import spends")
    add_record_argument(parser)
    return parser.parse_args(argv)


def _databases(args: argparse.Namespace, directory: Path) -> tuple[str, str, str]:
    if args.database == "sqlite":
        source, target = fresh_sqlite(directory, "import"), fresh_sqlite(directory, "baseline")
        return source, target, f"SQLite {sqlite3.sqlite_version}"
    source = fresh_postgres(args.postgres_url, "kervan_bench")
    target = fresh_postgres(args.postgres_url, "kervan_bench_baseline")
    engine = make_engine(source)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return source, target, f"PostgreSQL {version}"


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    path = generate_file(args.cache_dir, args.rows, args.seed)
    with tempfile.TemporaryDirectory(prefix="kervan-bench-") as tmp:
        directory = Path(tmp)
        source, target, server = _databases(args, directory)
        import_seconds, report = run_import(source, path, args.profile)
        rss = peak_rss_mib()
        _say(f"import: {import_seconds:.1f} s ({report.summary()})")
        if args.database == "sqlite":
            baseline_seconds = baseline_sqlite(source, target)
        else:
            baseline_seconds = baseline_postgres(source, target, directory)
    import_rate, baseline_rate = args.rows / import_seconds, args.rows / baseline_seconds
    result = {
        "rows": args.rows,
        "import_seconds": import_seconds,
        "import_rate": import_rate,
        "baseline_seconds": baseline_seconds,
        "baseline_rate": baseline_rate,
        "ratio": import_rate / baseline_rate,
        "peak_rss_mib": rss,
        "server": server,
        "machine": machine(),
    }
    print(
        f"{args.database}: {args.rows:,} rows; import {import_seconds:.1f} s = "
        f"{import_rate:,.0f} rows/s; baseline {baseline_seconds:.1f} s = "
        f"{baseline_rate:,.0f} rows/s; ratio {result['ratio']:.2f}; peak RSS {rss:,.0f} MiB"
    )
    if args.record:
        page = update_doc_section(SECTION, render, args.database, result)
        _say(f"updated {page}")


if __name__ == "__main__":
    main()
