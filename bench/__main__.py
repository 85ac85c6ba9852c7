"""Run every benchmark, one after the other, each in its own process.

    .venv/bin/python -m bench [--quick] [--record] [--only NAME ...]     (make bench ARGS=…)

Each benchmark makes its own uniquely named scratch databases and drops only those. Figures
are printed; ``--record`` also writes them to docs/benchmarks.md. PostgreSQL must be reachable
at ``KERVAN_BENCH_DATABASE_URL`` (default: the local server as ``postgres``); each benchmark
has its own ``--help`` (``python -m bench.import_bench --help``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from bench.common import DEFAULT_POSTGRES


def runs(quick: bool, server: str) -> list[tuple[str, list[str]]]:
    rows = "100000" if quick else "1000000"
    documents = "100000" if quick else "1000000"
    search_sqlite = ["--sqlite-persons", "10000" if quick else "100000"]
    at_server = ["--server", server]
    envelopes = "2000" if quick else "20000"
    postgres = ["--database", "postgresql"]
    return [
        ("import", ["bench.import_bench", "--rows", rows, "--database", "sqlite"]),
        ("import", ["bench.import_bench", "--rows", rows, *postgres, "--postgres-url", server]),
        ("search", ["bench.search_bench", "--postgres-persons", rows, *search_sqlite, *at_server]),
        ("measures", ["bench.measures_bench", "--documents", documents, "--database", "sqlite"]),
        (
            "measures",
            ["bench.measures_bench", "--documents", documents, *postgres, "--postgres-url", server],
        ),
        ("exchange", ["bench.exchange_bench", "--envelopes", envelopes, "--postgres", server]),
        ("cli", ["bench.cli_bench"]),
        ("signin", ["bench.signin_bench", "--attempts", "5" if quick else "15"]),
        ("diplomacy", ["bench.diplomacy_bench", "--passes", "1000" if quick else "10000"]),
        (
            "assistance",
            [
                "bench.assistance_bench",
                "--cases",
                "100000" if quick else "1000000",
                "--postgres",
                server,
            ],
        ),
        (
            "repatriation",
            ["bench.repatriation_bench", "--requests", "20000" if quick else "200000"],
        ),
        ("reports", ["bench.reports_bench", "--documents", documents, "--server", server]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0] if __doc__ else ""
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of each size (a smoke run)")
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument(
        "--only",
        action="append",
        choices=(
            "import",
            "search",
            "measures",
            "exchange",
            "cli",
            "signin",
            "diplomacy",
            "assistance",
            "repatriation",
        ),
        help="run only these (repeatable)",
    )
    args = parser.parse_args(argv)
    server = os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    for name, (module, *rest) in runs(args.quick, server):
        if args.only and name not in args.only:
            continue
        command = [module, *rest, *(["--record"] if args.record else [])]
        print(f"== {' '.join(command)}", flush=True)
        done = subprocess.run([sys.executable, "-m", *command], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
