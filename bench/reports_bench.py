"""Situation report benchmark: the report of a register of N stay documents on PostgreSQL, and
its suppression and audit, each against a baseline measured in the same run.

    .venv/bin/python -m bench.reports_bench [--documents 10000000] [--server URL] [--record]

The register is filled set-based on the server (``generate_series``: persons, stay documents,
their events in the week, violations), in a scratch database dropped afterwards. Figures:

- the report's SQL (``kervan.reports.report.compute_tables``: principal document per person,
  standing, age band, region, flows, violations, benefits, measures) against a plain
  ``GROUP BY`` of the same cells without the principal-document rule and the standing;
- suppression and audit of the full report (HiGHS linear programs), alone and with the
  previous week's published report in view (the cross-period audit);
- this process's peak memory (the person-level rows stay in PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.common import (
    DEFAULT_POSTGRES,
    add_record_argument,
    fresh_postgres,
    machine,
    peak_rss_mib,
    update_doc_section,
)
from kervan.db.engine import make_engine
from kervan.reports import sections
from kervan.reports.period import Period
from kervan.reports.report import compute_tables, protect_tables, published_tables
from kervan.reports.suppression import Rules
from kervan.wiring import node_session_factory

SECTION = "reports-bench"
REFERENCE = dt.date(2026, 11, 29)
# Twenty nationalities, the first ones far more frequent (a hundred slots, weighted).
NATIONALITIES = (
    ["UZB"] * 30 + ["KGZ"] * 15 + ["TJK"] * 12 + ["RUS"] * 10 + ["TUR"] * 6 + ["AZE"] * 5
    + ["CHN"] * 4 + ["AFG"] * 3 + ["IND"] * 2 + ["PAK"] * 2 + ["UKR"] * 2 + ["BLR"] * 2
    + ["ARM"] * 1 + ["GEO"] * 1 + ["MNG"] * 1 + ["IRN"] * 1 + ["KOR"] * 1 + ["DEU"] * 1
    + ["HUN"] * 1 + ["TKM"] * 0 + ["SYR"] * 0
)  # fmt: skip


# Kazakhstan's regions, Almaty and Astana far more frequent; one document in 50 has none.
REGIONS = ["KZ-75"] * 6 + ["KZ-71"] * 4 + ["KZ-79"] * 2 + [
    "KZ-19", "KZ-61", "KZ-23", "KZ-47", "KZ-35", "KZ-15", "KZ-63", "KZ-55", "KZ-31", "KZ-11",
]  # fmt: skip
REGION_OF = (
    "CASE WHEN i % 50 = 0 THEN NULL ELSE (ARRAY["
    + ",".join(f"'{r}'" for r in REGIONS)
    + f"])[1 + (i * 13) % {len(REGIONS)}] END"
)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(engine: Engine, documents: int) -> None:
    persons = max(int(documents * 0.85), 1)
    codes = "ARRAY[" + ",".join(f"'{c}'" for c in NATIONALITIES) + "]"
    nationality = f"({codes})[1 + ((%s)::bigint * 7919) %% {len(NATIONALITIES)}]"
    day = f"DATE '{REFERENCE.isoformat()}'"
    with engine.begin() as connection:
        # Triggers (the name vocabulary) and foreign-key checks off for the fill only. Ids are
        # ordered, as UUIDv7 keys are: rows arrive in the order they were made.
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text("SELECT setseed(0.42)"))
        connection.execute(
            text(
                "INSERT INTO persons (id, primary_name, secondary_name, patronymic, name_script,"
                " primary_identifier, secondary_identifier, name_key, primary_skeleton,"
                " secondary_skeleton, nationality, birth_year, sex, created_at, updated_at)"
                " SELECT lpad(to_hex(i), 32, '0')::uuid, 'BENCH', '', '', 'Latn', 'BENCH', '',"
                f" 'bench', 'BNX', '', {nationality % 'i'}, 1950 + floor(random() * 56)::int,"
                " CASE WHEN random() < 0.001 THEN 'X' WHEN random() < 0.4 THEN 'F' ELSE 'M' END,"
                " now(), now() FROM generate_series(1, :persons) AS i"
            ),
            {"persons": persons},
        )
        _say(f"filled {persons:,} persons")
        owner = f"(1 + (i - 1) % {persons})"
        connection.execute(
            text(
                "INSERT INTO stay_documents (id, person_id, kind, number, host_state, purpose,"
                " valid_from, valid_until, status, nationality, region, created_at, updated_at)"
                " SELECT ('1' || lpad(to_hex(i), 31, '0'))::uuid,"
                f" lpad(to_hex({owner}), 32, '0')::uuid,"
                " (ARRAY['visa','registration','temporary_residence','permanent_residence',"
                "'work_permit'])[1 + i % 5], 'B' || i, 'KAZ', 'work',"
                f" {day} - (i % 700), {day} - (i % 700) + (i::bigint * 31 % 900)::int,"
                " CASE WHEN i % 53 = 0 THEN 'cancelled' WHEN i % 97 = 0 THEN 'revoked'"
                f" ELSE 'active' END, {nationality % owner}, {REGION_OF}, now(), now()"
                " FROM generate_series(1, :documents) AS i"
            ),
            {"documents": documents},
        )
        _say(f"filled {documents:,} stay documents")
        connection.execute(
            text(
                "INSERT INTO stay_document_events (id, document_id, kind, at, actor, reason,"
                " old_values, new_values)"
                " SELECT md5('e' || i)::uuid, ('1' || lpad(to_hex(i), 31, '0'))::uuid,"
                " CASE WHEN i % 53 = 0 THEN 'cancelled' WHEN i % 3 = 0 THEN 'extended'"
                " ELSE 'issued' END,"
                f" ({day} - (i % 10))::timestamptz, 'bench', 'bench', '{{}}', '{{}}'"
                " FROM generate_series(1, :documents) AS i WHERE i % 41 = 0 OR i % 53 = 0"
            ),
            {"documents": documents},
        )
        connection.execute(
            text(
                "INSERT INTO violations (id, person_id, kind, period_start, status, notes,"
                " recorded_at, recorded_by, nationality)"
                f" SELECT md5('v' || i)::uuid, lpad(to_hex({owner}), 32, '0')::uuid,"
                " (ARRAY['overstay','missing_registration','work_without_permit'])[1 + i % 3],"
                f" {day} - 30, CASE WHEN i % 4 = 0 THEN 'waived' ELSE 'recorded' END, '',"
                f" ({day} - (i % 9))::timestamptz, 'bench', {nationality % owner}"
                " FROM generate_series(1, :documents) AS i WHERE i % 61 = 0"
            ),
            {"documents": documents},
        )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


BASELINE = (
    "SELECT nationality, status, kind, count(*) FROM stay_documents"
    " WHERE valid_from <= :day GROUP BY nationality, status, kind",
    "SELECT nationality, sex, birth_year / 20, count(*) FROM persons"
    " GROUP BY nationality, sex, birth_year / 20",
    "SELECT nationality, region, count(*) FROM stay_documents WHERE valid_from <= :day"
    " GROUP BY nationality, region",
    "SELECT d.nationality, d.kind, e.kind, count(*) FROM stay_document_events e"
    " JOIN stay_documents d ON d.id = e.document_id WHERE e.at >= :start AND e.at < :end"
    " GROUP BY d.nationality, d.kind, e.kind",
    "SELECT nationality, kind, status, count(*) FROM violations"
    " WHERE recorded_at >= :start AND recorded_at < :end GROUP BY nationality, kind, status",
)


def baseline(engine: Engine, period: Period) -> float:
    started = time.perf_counter()
    params = {"day": period.reference_date, "start": period.start_at, "end": period.end_at}
    with engine.connect() as connection:
        for query in BASELINE:
            connection.execute(text(query), params).all()
    return time.perf_counter() - started


def run(engine: Engine, documents: int) -> dict[str, Any]:
    sections.register_builtin()
    period = Period(REFERENCE)
    load_before = os.getloadavg()[0]
    base = baseline(engine, period)
    _say(f"plain GROUP BY of the same cells: {base:.2f} s")
    factory = node_session_factory(engine)
    started = time.perf_counter()
    with factory() as session:
        tables = compute_tables(session, period, "KAZ")
    report_seconds = time.perf_counter() - started
    _say(f"the report's SQL: {report_seconds:.2f} s")
    cells = sum(len(t.all_cells()) for _, t in tables)
    trends, shared = sections.declared()
    rules = Rules()
    started = time.perf_counter()
    first = protect_tables("KAZ", period, tables, [], rules, trends, shared)
    protect_seconds = time.perf_counter() - started
    history = [(period.previous().label, published_tables(first.body, first.hidden))]
    started = time.perf_counter()
    second = protect_tables("KAZ", period, tables, history, rules, trends, shared)
    linked_seconds = time.perf_counter() - started
    _say(f"suppression + audit: {protect_seconds:.2f} s; with last week: {linked_seconds:.2f} s")
    assert first.audit.passed and second.audit.passed
    return {
        "documents": documents,
        "cells": cells,
        "suppressed": len(first.audit.intervals),
        "baseline_seconds": round(base, 2),
        "report_seconds": round(report_seconds, 2),
        "ratio": round(report_seconds / base, 2),
        "protect_seconds": round(protect_seconds, 2),
        "protect_linked_seconds": round(linked_seconds, 2),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "load": f"{load_before:.2f} → {os.getloadavg()[0]:.2f}",
        "machine": machine(),
    }


def render(results: dict[str, Any]) -> str:
    lines = [
        "## Situation reports (`python -m bench.reports_bench`)",
        "",
        "Report of a register on PostgreSQL filled set-based; baseline: a plain `GROUP BY` of",
        "the same cells in the same run. Suppression and audit: HiGHS linear programs over the",
        "whole report, alone and with last week's published report in view. The issue's targets:",
        "at 10 M documents the report in ≤ 60 s and < 1 GiB; suppression and audit of the full",
        "table in ≤ 10 s. Met on a quiet machine (2026-12-03, load about 1): 10 M documents in",
        "20.4 s (2.53× the plain `GROUP BY`), 154 MiB peak RSS of the process that computes and",
        "holds the report (the server's sorts and hashes stay within `work_mem`); the audit of",
        "the 1 M report, whose 88 suppressed cells make the largest linear system of these",
        "quiet runs, in 0.59 s with last week in view. At 10 M every cell is above the",
        "threshold, so nothing is suppressed; the 100 k register (many small cells: 268",
        "suppressed) is the audit's hardest case here, 3.07 s with last week in view, measured",
        "with the machine busy (load 5). Rows marked *before* were",
        "measured under a load of about 20, before the report's SQL took the principal document",
        "by `DISTINCT ON` and departures by a join, and before the linked `regions` table.",
        "",
        "| documents | report s | baseline s | ratio | cells | suppressed | suppression + audit s "
        "| with last week s | peak RSS MiB | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in sorted(
        results.items(), key=lambda kv: (kv[1]["documents"], not kv[1].get("before"))
    ):
        lines.append(
            f"| {r['documents']:,}{' *before*' if r.get('before') else ''} | "
            f"{r['report_seconds']} | {r['baseline_seconds']} | "
            f"{r['ratio']}× | {r['cells']:,} | {r['suppressed']:,} | {r['protect_seconds']} | "
            f"{r['protect_linked_seconds']} | {r['peak_rss_mib']} | {r['load']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000_000)
    parser.add_argument(
        "--server", default=os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    )
    add_record_argument(parser)
    args = parser.parse_args(argv)
    url = fresh_postgres(args.server, "kervan_reports_bench")
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        fill(engine, args.documents)
        _say(f"filled in {time.perf_counter() - started:.0f} s")
        result = run(engine, args.documents)
    finally:
        engine.dispose()
    _say(str(result))
    if args.record:
        update_doc_section(SECTION, render, str(args.documents), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
