"""How long the ``kervan`` command takes to answer, against a bare Python start-up.

    .venv/bin/python -m bench.cli_bench [--runs 7] [--record]

Each figure is the median wall time of ``--runs`` processes: ``python -c pass`` (the
baseline), ``kervan --version`` and ``kervan --help`` (answered by kervan/entry.py without
importing the commands; target under 0.3 s) and ``kervan db --help`` (every command imported).
The result goes to the ``cli-bench`` section of ``docs/benchmarks.md`` with ``--record``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import add_record_argument, machine, update_doc_section

SECTION = "cli-bench"
KERVAN = str(Path(sys.executable).parent / "kervan")
CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "kervan --version": [KERVAN, "--version"],
    "kervan --help": [KERVAN, "--help"],
    "kervan db --help": [KERVAN, "db", "--help"],
}


def median_seconds(command: list[str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def render(results: dict[str, Any]) -> str:
    r = results["cli"]
    m = r["machine"]
    lines = [
        "## Command start-up",
        "",
        f"Run on {m['date']}: {m['cpus']} cores, Python {m['python']}; load average "
        f"{r['load']} (shared machine); median of {r['runs']} runs each.",
        "",
        "| command | seconds | ÷ baseline |",
        "| --- | --- | --- |",
    ]
    baseline = r["seconds"]["python -c pass (baseline)"]
    for name, seconds in r["seconds"].items():
        lines.append(f"| `{name}` | {seconds:.3f} | {seconds / baseline:.1f}× |")
    lines += ["", "Target: `--help` and `--version` under 0.3 s."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=7)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    seconds = {name: median_seconds(command, args.runs) for name, command in CASES.items()}
    result = {
        "runs": args.runs,
        "seconds": seconds,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "machine": machine(),
    }
    print(render({"cli": result}))
    if args.record:
        update_doc_section(SECTION, render, "cli", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
