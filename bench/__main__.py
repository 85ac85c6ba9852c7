"""Run every benchmark at its target size and record the figures in docs/benchmarks.md.

    .venv/bin/python -m bench [--quick]

``--quick`` runs each at a tenth of the size (a smoke test of the benchmarks themselves; the
figures it writes say so by their sizes). PostgreSQL must be reachable at
``KERVAN_BENCH_DATABASE_URL`` (default: the local server as ``postgres``).
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.common import DEFAULT_POSTGRES


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    server = os.environ.get("KERVAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    rows = "100000" if quick else "1000000"
    persons = "100000" if quick else "1000000"
    runs = [
        ["bench.import_bench", "--rows", rows, "--database", "sqlite"],
        [
            "bench.import_bench",
            "--rows",
            rows,
            "--database",
            "postgresql",
            "--postgres-url",
            server,
        ],
        ["bench.search_bench", "--persons", persons, "--server", server],
        ["bench.diplomacy_bench", "--passes", "1000" if quick else "10000"],
    ]
    for module, *args in runs:
        print(f"== {module} {' '.join(args)}", flush=True)
        done = subprocess.run([sys.executable, "-m", module, *args], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
