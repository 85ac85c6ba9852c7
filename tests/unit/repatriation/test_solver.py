"""The solver as a process sees it: HiGHS's banner never reaches stdout (a CLI's output and
the node's JSON logs stay clean), and the seats it gives respect the leg's capacity."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import datetime as dt
from kervan.repatriation.instance import Instance, Leg, Unit
from kervan.repatriation.solver import allocate
day = dt.date(2026, 5, 12)
units = tuple(Unit(str(i), 1 + i % 2, i % 4, "ALA", "TAS", day, i) for i in range(8))
found = allocate(Instance(units, (Leg("HY", "ALA", "TAS", day, day, 5),), {}), time_budget=5)
print(sum(1 + int(u) % 2 for u in found.seat_of if found.seat_of[u]))
"""


def test_the_solver_prints_no_banner_and_fills_within_capacity() -> None:
    ran = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() in {"4", "5"} and "HiGHS" not in ran.stdout
