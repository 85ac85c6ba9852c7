"""How fast ``kervan import`` loads a register, against what a user would do instead.

    .venv/bin/python -m bench.import_bench --rows 100000,1000000 [--database postgresql]
        [--delta 100000] [--record]

For each database and each size N:

1. **First load**: a fresh node database (migrated, a trust list with six member states in
   place, so that the exchange's listeners write an outbox message for every document of a
   peer's national) and ``kervan import --initial FILE`` of N synthetic rows, run as the
   operator runs it: the CLI, in a process of its own (timed from start to exit; its peak RSS).
2. **Nightly delta**: ``kervan import DELTA`` of D rows into that register (70 % new, 20 %
   corrected, 10 % unchanged; ``bench.import_files``).
3. **Baseline**, in the same run: the same CSV file loaded into a plain typed table with no
   index, key or check — PostgreSQL: ``psql -c "\\copy … CSV HEADER"``; SQLite: the ``sqlite3``
   shell's ``.import --csv``. That is the floor of any load; the ratio says what share of it
   Kervan's validation, reconciliation, names, history, audit and messages leave.

Rates are file rows per second. The machine's load (``os.getloadavg``) is taken before and
after each figure, since the benchmark shares its cores. Scratch databases are named
``kervan_ibench_<pid>_…`` and dropped at the end; nothing else is touched. The figures go to
the ``import-bench`` section of ``docs/benchmarks.md`` with ``--record`` only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_POSTGRES, machine, update_doc_section
from bench.import_baselines import Scratch, psql_copy, sqlite_import
from bench.import_files import HOST, base_file, delta_file, say
from bench.import_server_cpu import ServerCpu
from kervan.registry.transfer.limits import ImportLimits

SECTION = "import-bench"
#: The targets of issue 14, checked and printed at the end.
TARGET_INITIAL_SECONDS = {"postgresql": 60.0, "sqlite": 90.0}  # at 1 M rows
TARGET_COPY_SHARE = 0.15  # PostgreSQL first load rate ÷ psql \copy rate
TARGET_DELTA_SECONDS = 15.0  # 100 k rows into 3 M, PostgreSQL
TARGET_GROWTH = 0.25  # rate at the largest size within 25 % of the rate at the smallest
TARGET_RSS_MIB = 500.0


@dataclass
class Figure:
    database: str
    what: str  # "first load" or "delta"
    rows: int  # rows in the file
    register: int  # rows in the register before
    seconds: float
    baseline_seconds: float
    peak_rss_mib: float
    cpu_seconds: float  # of the import's process (user + system), whatever the load
    outbox: int  # messages written for peers
    load_before: float
    load_after: float
    server_cpu_seconds: float = 0.0  # PostgreSQL's backends on the node's database (0: SQLite)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds

    @property
    def ratio(self) -> float:
        return self.baseline_seconds / self.seconds


def _load() -> float:
    return os.getloadavg()[0]


def run_cli(url: str, path: Path, *extra: str) -> tuple[float, float, float, str]:
    """``kervan import`` as the operator runs it: (seconds, peak RSS in MiB, CPU seconds, its
    summary)."""
    env = {
        **os.environ,
        "KERVAN_DATABASE_URL": url,
        "KERVAN_STATE": HOST,
        # A national register is larger than the limits of an everyday upload: the operator
        # raises them for the load, as docs/import-export.md says.
        "KERVAN_IMPORT_MAX_BYTES": str(max(path.stat().st_size, ImportLimits().max_bytes)),
        "KERVAN_IMPORT_MAX_ROWS": str(max(_data_rows(path), ImportLimits().max_rows)),
    }
    kervan = Path(sys.executable).with_name("kervan")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(kervan), "import", *extra, str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"kervan import failed ({process.returncode}): {out}{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out.strip()


def _data_rows(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for _ in stream) - 1  # the header


def measure(
    scratch: Scratch, database: str, what: str, path: Path, rows: int, register: int
) -> Figure:
    before = _load()
    outbox_before = scratch.outbox_count()
    server = ServerCpu(scratch.node_url) if database == "postgresql" else None
    seconds, rss, cpu, summary = run_cli(
        scratch.node_url, path, *(["--initial"] if register == 0 else [])
    )
    server_cpu = server.stop() if server is not None else 0.0
    say(
        f"  {database} {what} of {rows:,} rows: {seconds:.1f} s ({cpu:.1f} s CPU, server "
        f"{server_cpu:.1f} s CPU, load {before:.1f} → {_load():.1f}); {summary}"
    )
    outbox = scratch.outbox_count() - outbox_before
    baseline = (
        psql_copy(scratch, path) if database == "postgresql" else sqlite_import(scratch, path)
    )
    say(f"  baseline of the same file: {baseline:.1f} s")
    return Figure(
        database,
        what,
        rows,
        register,
        seconds,
        baseline,
        rss,
        cpu,
        outbox,
        before,
        _load(),
        server_cpu,
    )


def run_size(args: argparse.Namespace, database: str, rows: int, work: Path) -> list[Figure]:
    base = base_file(args.cache_dir, rows, args.seed)
    delta = delta_file(args.cache_dir, base, rows, args.delta, args.seed) if args.delta else None
    with Scratch.make(database, args.postgres_url, work, f"{rows}") as scratch:
        figures = [measure(scratch, database, "first load", base, rows, 0)]
        if delta is not None:
            figures.append(measure(scratch, database, "delta", delta, args.delta, rows))
    return figures


def verdicts(figures: list[Figure]) -> list[str]:
    """Each target of the issue that these figures can answer: met or not, and by what."""
    lines: list[str] = []
    firsts = [f for f in figures if f.what == "first load"]
    for f in firsts:
        if f.rows == 1_000_000:
            limit = TARGET_INITIAL_SECONDS[f.database]
            lines.append(
                _verdict(
                    f"{f.database} first load of 1 M ≤ {limit:.0f} s",
                    f.seconds <= limit,
                    f"{f.seconds:.1f} s",
                )
            )
            if f.database == "postgresql":
                allowed = f.baseline_seconds / TARGET_COPY_SHARE
                floor = (
                    f"; the time it allows, {allowed:.1f} s, is less than the server's own CPU "
                    f"for writing what the import must write, {f.server_cpu_seconds:.1f} s"
                    if f.server_cpu_seconds > allowed
                    else ""
                )
                lines.append(
                    _verdict(
                        f"rate ≥ {TARGET_COPY_SHARE} × psql \\copy",
                        f.ratio >= TARGET_COPY_SHARE,
                        f"{f.ratio:.3f}{floor}",
                    )
                )
    for f in figures:
        if f.what == "delta" and f.database == "postgresql" and f.register >= 3_000_000:
            lines.append(
                _verdict(
                    f"delta of {f.rows:,} into {f.register:,} ≤ {TARGET_DELTA_SECONDS:.0f} s",
                    f.seconds <= TARGET_DELTA_SECONDS,
                    f"{f.seconds:.1f} s",
                )
            )
    for database in sorted({f.database for f in firsts}):
        sizes = sorted((f for f in firsts if f.database == database), key=lambda f: f.rows)
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            change = large.rate / small.rate - 1
            lines.append(
                _verdict(
                    f"{database} rate at {large.rows:,} within 25 % of rate at {small.rows:,}",
                    abs(change) <= TARGET_GROWTH or change > 0,
                    f"{change:+.0%}; the import process's own CPU time per row changed "
                    f"{_cpu_per_row(large) / _cpu_per_row(small) - 1:+.0%}",
                )
            )
    if figures:
        rss = max(f.peak_rss_mib for f in figures)
        lines.append(
            _verdict(
                f"peak RSS ≤ {TARGET_RSS_MIB:.0f} MiB", rss <= TARGET_RSS_MIB, f"{rss:.0f} MiB"
            )
        )
    return lines


def _server_cpu(result: dict[str, Any]) -> str:
    # SQLite has no server: its work is in the import process's CPU.
    return f"{result['server_cpu_seconds']:.1f} s" if result.get("server_cpu_seconds") else "—"


def _cpu_per_row(figure: Figure) -> float:
    return figure.cpu_seconds / figure.rows


def _verdict(target: str, met: bool, value: str) -> str:
    return f"{'met' if met else 'NOT met'}: {target} ({value})"


def render(results: dict[str, Any]) -> str:
    # Figures of this benchmark's earlier form (another baseline) are not comparable: dropped.
    results = {key: r for key, r in results.items() if "what" in r}
    about = (
        "`python -m bench.import_bench --rows N[,N…] --delta D --record`: `kervan import` run "
        "as the operator runs it (the CLI in a process of its own, the node's listeners "
        "installed, a trust list of six member states in place so that every document of a "
        "peer's national also writes an outbox message). First load: `kervan import --initial` "
        "of N synthetic rows into an empty register. Delta: D rows (70 % new, 20 % corrected, "
        "10 % unchanged) into that register. Baseline, in the same run: the same CSV file into "
        "a plain typed table with no index or key — PostgreSQL `psql \\copy … CSV HEADER`, "
        "SQLite the `sqlite3` shell's `.import --csv`. Ratio = Kervan's rate ÷ the baseline's. "
        "Load = the 1-minute load average of the shared 2-core machine before → after the figure "
        "(other jobs ran at the same time: every figure here was measured under that load). CPU "
        "(server): the PostgreSQL backends' CPU time for the import (`bench/import_server_cpu.py`)."
    )
    lines = [
        "## Import (`bench/import_bench.py`)",
        "",
        *textwrap.wrap(about, width=95),
        "",
        "| database | what | rows | register before | time | CPU (import process) "
        "| CPU (server) | rows/s | baseline | ratio | outbox messages | peak RSS | load | date |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
        "| --- |",
    ]
    for key in sorted(
        results,
        key=lambda k: (
            results[k]["database"],
            results[k]["what"] != "first load",
            results[k]["rows"],
            results[k]["register"],
        ),
    ):
        r = results[key]
        rate = r["rows"] / r["seconds"]
        lines.append(
            f"| {r['database']} | {r['what']} | {r['rows']:,} | {r['register']:,} "
            f"| {r['seconds']:.1f} s | {r['cpu_seconds']:.1f} s | {_server_cpu(r)} | {rate:,.0f} "
            f"| {r['baseline_seconds']:.1f} s "
            f"| {r['baseline_seconds'] / r['seconds']:.3f} | {r['outbox']:,} "
            f"| {r['peak_rss_mib']:,.0f} MiB | {r['load_before']:.1f} → {r['load_after']:.1f} "
            f"| {r['date']} |"
        )
    figures = [
        Figure(**{k: r[k] for k in Figure.__dataclass_fields__ if k in r}) for r in results.values()
    ]
    lines += ["", "Targets (issue 14), judged on the figures above, under the load shown:", ""]
    lines += [f"- {verdict}" for verdict in verdicts(figures)]
    sizes = {f.rows for f in figures if f.what == "first load"}
    if 3_000_000 not in sizes:
        lines.append(
            "- not measured: a first load of 3 M rows and the delta into a 3 M register "
            "(`--rows 3000000`); growth is judged between the sizes measured."
        )
    any_result = next(iter(results.values()), None)
    if any_result:
        m = any_result["machine"]
        lines += [
            "",
            f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM, Python "
            f"{m['python']}, SQLite {m['sqlite']}, {any_result['server']}.",
        ]
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time kervan import (first load and nightly delta) against psql \\copy "
        "and sqlite3 .import of the same file.",
    )
    parser.add_argument(
        "--rows", default="100000", help="sizes of the first load, e.g. 100000,1000000"
    )
    parser.add_argument("--delta", type=int, default=100_000, help="rows of the delta (0: none)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES),
        help="a server to make the scratch databases on",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kervan-bench",
        help="where the generated CSV files are kept between runs",
    )
    parser.add_argument(
        "--record", action="store_true", help="write the figures to docs/benchmarks.md"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for size in args.rows.split(",")]
    databases = ["postgresql", "sqlite"] if args.database == "both" else [args.database]
    figures: list[Figure] = []
    servers: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="kervan-ibench-") as tmp:
        for database in databases:
            for rows in sizes:
                figures += run_size(args, database, rows, Path(tmp))
            servers[database] = Scratch.server_version(database, args.postgres_url)
    for f in figures:
        print(
            f"{f.database} {f.what}: {f.rows:,} rows into {f.register:,}: {f.seconds:.1f} s = "
            f"{f.rate:,.0f} rows/s ({f.cpu_seconds:.1f} s CPU); "
            f"baseline {f.baseline_seconds:.1f} s; ratio {f.ratio:.3f}; "
            f"{f.outbox:,} outbox messages; peak RSS {f.peak_rss_mib:,.0f} MiB; "
            f"load {f.load_before:.1f} → {f.load_after:.1f}"
        )
    for line in verdicts(figures):
        print(line)
    if args.record:
        today, about = machine(), ", ".join(servers[d] for d in databases)
        for f in figures:
            key = f"{f.database}-{f.what}-{f.rows}-{f.register}"
            result = {**asdict(f), "date": today["date"], "machine": today, "server": about}
            page = update_doc_section(SECTION, render, key, result)
        say(f"updated {page}")


if __name__ == "__main__":
    main()
