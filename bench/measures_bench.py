"""Applying the worked example measure (spring 2020) to a large register, against a bare SQL
``UPDATE`` of the same rows' end dates on the same database in the same run.

    .venv/bin/python -m bench.measures_bench --documents 1000000 --database sqlite|postgresql
        [--database-url URL] [--record]

1. A register of N documents is generated "as of" 2020-05-01 (about a tenth of the documents
   are active and expire within the measure's period), in a child process so that the peak
   memory reported is that of applying alone, in a scratch database of its own (a unique
   name, dropped at the end); ``--database-url`` uses a database of yours instead (kept).
2. Baseline: ``UPDATE stay_documents SET valid_until = '2020-06-14' WHERE status = 'active'
   AND valid_until BETWEEN '2020-03-16' AND '2020-05-15'``, committed and timed, then undone
   from a saved copy outside the timing (PostgreSQL is vacuumed after it so the measure does
   not pay for its dead rows).
3. The measure is loaded, previewed, brought into force and applied as the CLI does it: one
   pass on SQLite, chunks of persons committed one by one on PostgreSQL — effects, document
   updates, history rows, waivers, outbox messages and audit entries included.

Target: at most 3x the baseline; at 10M on PostgreSQL under 5 minutes and 1 GiB.
Results go to the ``measures-bench`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select, text

from bench.common import (
    DEFAULT_POSTGRES,
    add_record_argument,
    fresh_postgres,
    fresh_sqlite,
    machine,
    peak_rss_mib,
    update_doc_section,
)
from kervan.accounts.roles import system_principal
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.db.migrate import upgrade
from kervan.exchange import trust_store
from kervan.measures import service
from kervan.measures.loader import example_path, load_measure, read_measure_file
from kervan.measures.preview import preview_measure
from kervan.registry.codes import MEMBER_STATES, SECRETARIAT
from kervan.registry.models import StayDocument
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory

SECTION = "measures-bench"
AS_OF = dt.date(2020, 5, 1)
BASELINE = (
    "UPDATE stay_documents SET valid_until = '2020-06-14' "
    "WHERE status = 'active' AND valid_until BETWEEN '2020-03-16' AND '2020-05-15'"
)

WARM_UP = (
    "SELECT count(*), max(number) FROM stay_documents "
    "WHERE status = 'active' AND valid_until BETWEEN '2020-03-16' AND '2020-05-15'"
)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _scratch(args: argparse.Namespace) -> str:
    """A new migrated database of the benchmark's own, dropped when it ends."""
    name = f"kervan_bench_measures_{args.documents}"
    if args.database == "sqlite":
        return fresh_sqlite(args.directory, name)
    return fresh_postgres(args.postgres_url, name)


def fill(url: str, documents: int) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    load(engine, generate(documents, seed=1, host_state="KAZ", today=AS_OF))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    _say(f"generated {documents:,} documents in {time.perf_counter() - started:.0f} s")


UNDO_MEASURES = (
    # Every document back to its end date before any measure (the smallest old_until).
    "UPDATE stay_documents SET valid_until = e.old_until FROM (SELECT document_id, "
    "min(old_until) AS old_until FROM measure_effects GROUP BY document_id) AS e "
    "WHERE stay_documents.id = e.document_id",
    # Measures waive recorded violations only: those they waived were recorded before.
    "UPDATE violations SET status = 'recorded', waived_by_measure_id = NULL "
    "WHERE waived_by_measure_id IS NOT NULL",
    "DELETE FROM stay_document_events WHERE measure_id IS NOT NULL",
    "DELETE FROM measure_effects",
    "DELETE FROM benefit_applications WHERE measure_id IS NOT NULL",
    "DELETE FROM outbox_messages",
    "DELETE FROM measures",
    "DELETE FROM audit_entries",
    "DELETE FROM audit_head",
)


def _as_generated(engine: Engine) -> None:
    """``--reuse`` of a register an earlier run applied the measure to: what measures did is
    undone in SQL (a benchmark database only; the audit log goes with it), so that a rerun
    does not wait for the register to be generated again."""
    with engine.begin() as connection:
        if not connection.scalar(text("SELECT count(*) FROM measures")):
            return
        for statement in UNDO_MEASURES:
            connection.execute(text(statement))
    _say("undid the measures of an earlier run")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _ready(url: str, documents: int) -> bool:
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            if not inspect(connection).has_table("stay_documents"):
                return False
            count = connection.scalar(select(func.count()).select_from(StayDocument))
        engine.dispose()
    except Exception:
        return False
    return count == documents


def _baseline(engine: Engine) -> tuple[float, int]:
    """The bare UPDATE, committed (as the measure's work is), then undone from a saved copy of
    the rows outside the timing, so the measure finds the register as generated."""
    where = WARM_UP.split(" WHERE ", 1)[1]
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS bench_saved"))
        connection.execute(text("CREATE TABLE bench_saved (id UUID PRIMARY KEY, until DATE)"))
        saved = f"INSERT INTO bench_saved SELECT id, valid_until FROM stay_documents WHERE {where}"
        connection.execute(text(saved))
    with engine.connect() as connection:
        connection.execute(text(WARM_UP))  # the same pages in cache as the measure will find
        connection.rollback()
        started = time.perf_counter()
        with connection.begin():
            rows = connection.execute(text(BASELINE)).rowcount
        seconds = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE stay_documents SET valid_until = bench_saved.until FROM bench_saved "
                "WHERE bench_saved.id = stay_documents.id"
            )
        )
        connection.execute(text("DROP TABLE bench_saved"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE stay_documents"))
    return seconds, rows


def _trust_every_member(factory: Any) -> None:
    """A trust list naming a node for every member state and the secretariat, so that the
    measure reports to every home state (messages go only to states with a node)."""
    from kervan.demo.trust_setup import make_federation
    from kervan.exchange.trust_store import install

    endpoints = {state: "https://127.0.0.1:9" for state in (*MEMBER_STATES, SECRETARIAT)}
    with tempfile.TemporaryDirectory() as folder:
        document, _ = make_federation(Path(folder), endpoints)
    with unit_of_work(factory) as session:
        if trust_store.current(session) is None:
            install(session, document, utcnow(), bootstrap=True)


def _apply(engine: Engine, chunk_persons: int) -> dict[str, Any]:
    factory = node_session_factory(engine)
    officer = system_principal("KAZ", "bench")
    _trust_every_member(factory)
    with unit_of_work(factory) as session:
        measure = load_measure(session, officer, read_measure_file(example_path()))
        started = time.perf_counter()
        preview = preview_measure(session, officer, measure.id, today=AS_OF)
        preview_seconds = time.perf_counter() - started
        service.activate_measure(session, officer, measure.id)
        measure_id = measure.id
    started = time.perf_counter()
    if engine.dialect.name == "sqlite":
        with unit_of_work(factory) as session:
            counts = service.apply_measure(session, officer, measure_id, today=AS_OF)
        chunks = 1
    else:
        counts, chunks = service.apply_chunked(
            factory, officer, measure_id, today=AS_OF, chunk_persons=chunk_persons
        )
    return {
        "apply_seconds": round(time.perf_counter() - started, 2),
        "preview_seconds": round(preview_seconds, 2),
        "previewed_documents": preview["documents"],
        "documents_extended": counts.documents,
        "messages": counts.messages,
        "violations_waived": counts.violations,
        "chunks": chunks,
    }


def _load(result: dict[str, Any]) -> str:
    """The 1-minute load average when the run started and ended ("—" for older rows)."""
    load = result.get("load")
    return f"{load[0]:.1f} → {load[1]:.1f}" if load else "—"


def render(results: dict[str, Any]) -> str:
    lines = [
        "## Applying a measure (`bench/measures_bench.py`)",
        "",
        "The spring-2020 example applied to a generated register, against a bare `UPDATE` of",
        "the same rows' end dates on the same database in the same run (committed, then undone",
        "outside the timing). The",
        "measure's time includes effects, history rows, waivers, outbox messages and audit.",
        "*Load* is the machine's 1-minute load average at the start and the end of the run:",
        "the 2 cores are shared with other work, which slows the measure more than the bare",
        "UPDATE, so compare rows of similar load.",
        "Target: at most 3x the baseline; 10M on PostgreSQL under 5 minutes and 1 GiB.",
        "",
        "| database | documents | in scope | baseline UPDATE | apply | ratio | chunks "
        "| messages | waived | peak RSS | load | machine |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key in sorted(results):
        r = results[key]
        m = r["machine"]
        lines.append(
            f"| {r['database']} | {r['documents']:,} | {r['documents_extended']:,} "
            f"| {r['baseline_seconds']:.2f} s | {r['apply_seconds']:.2f} s "
            f"| {r['ratio']:.2f}x | {r['chunks']} | {r['messages']:,} "
            f"| {r['violations_waived']:,} | {r['peak_rss_mib']:.0f} MiB | {_load(r)} "
            f"| {m['cpus']} cores, {m['memory_gib']} GiB, {m['date']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--directory", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES),
        help="a server to create the scratch database on (a unique name, dropped after)",
    )
    parser.add_argument(
        "--database-url",
        help="a database to use instead of a scratch one (filled if empty; never dropped)",
    )
    parser.add_argument("--chunk-persons", type=int, default=200_000)
    parser.add_argument("--fill-only", help=argparse.SUPPRESS)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    if args.fill_only:
        fill(args.fill_only, args.documents)
        return 0
    load_at_start = os.getloadavg()[0]
    url = args.database_url or _scratch(args)
    if not _ready(url, args.documents):
        fill_args = ["--fill-only", url, "--documents", str(args.documents)]
        subprocess.run([sys.executable, "-m", "bench.measures_bench", *fill_args], check=True)
    upgrade(url)
    engine = make_engine(url)
    _as_generated(engine)
    baseline_seconds, baseline_rows = _baseline(engine)
    _say(f"baseline UPDATE of {baseline_rows:,} rows: {baseline_seconds:.2f} s")
    result = _apply(engine, args.chunk_persons)
    engine.dispose()
    result.update(
        database=args.database,
        documents=args.documents,
        baseline_seconds=round(baseline_seconds, 2),
        baseline_rows=baseline_rows,
        ratio=round(result["apply_seconds"] / baseline_seconds, 2),
        peak_rss_mib=round(peak_rss_mib(), 1),
        machine=machine(),
        load=[round(load_at_start, 2), round(os.getloadavg()[0], 2)],
    )
    _say(str(result))
    if args.record:
        update_doc_section(SECTION, render, f"{args.database}-{args.documents}", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
