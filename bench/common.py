"""What the benchmarks share: fresh databases, the machine's description, timing, and the
sections of ``docs/benchmarks.md`` each benchmark owns."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kervan.demo.loadtest import drop_database, fresh_database

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCHMARKS_DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


@dataclass
class Timer:
    seconds: float = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start


#: The scratch databases this process created: the only ones it ever drops (at exit).
_created: list[str] = []


def _drop_created() -> None:
    while _created:
        drop_database(_created.pop())


atexit.register(_drop_created)


def fresh_sqlite(directory: Path, name: str) -> str:
    """A migrated SQLite file of its own (``name`` plus a unique suffix), removed at exit."""
    url = fresh_database(f"sqlite:///{directory}", name)
    _created.append(url)
    return url


def fresh_postgres(server_url: str, name: str) -> str:
    """A new migrated database on the server of ``server_url``, named ``name`` plus a unique
    suffix, dropped at exit. No database that existed before is touched."""
    url = fresh_database(server_url, name)
    _created.append(url)
    return url


def add_record_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record",
        action="store_true",
        help="write the figures to docs/benchmarks.md (default: print them only)",
    )


def machine() -> dict[str, Any]:
    memory_kb = 0
    cpu = platform.processor() or platform.machine()
    meminfo, cpuinfo = Path("/proc/meminfo"), Path("/proc/cpuinfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory_kb = int(found[1]) if found else 0
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found[1].strip() if found else cpu
    return {
        "cpus": os.cpu_count() or 0,
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "date": dt.date.today().isoformat(),
    }


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def update_doc_section(name: str, render: Any, key: str, result: dict[str, Any]) -> Path:
    """Replace the section between ``<!-- {name}:start -->`` and ``<!-- {name}:end -->`` of the
    benchmarks page, keeping the rest of the page and the section's results for other keys
    (e.g. the other database), which it stores as JSON in a comment."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    page = (
        BENCHMARKS_DOC.read_text(encoding="utf-8")
        if BENCHMARKS_DOC.exists()
        else ("# Benchmarks\n")
    )
    results: dict[str, Any] = {}
    pattern = re.compile(re.escape(start) + r"(.*?)" + re.escape(end), re.S)
    existing = pattern.search(page)
    if existing:
        data = re.search(rf"<!-- {re.escape(name)}:data (.*?) -->", existing[1], re.S)
        results = json.loads(data[1]) if data else {}
    results[key] = result
    body = (
        f"{start}\n{render(results)}\n"
        f"<!-- {name}:data {json.dumps(results, sort_keys=True)} -->\n{end}"
    )
    if existing:
        page = page[: existing.start()] + body + page[existing.end() :]
    else:
        page = page.rstrip("\n") + "\n\n" + body + "\n"
    BENCHMARKS_DOC.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS_DOC.write_text(page, encoding="utf-8")
    return BENCHMARKS_DOC
