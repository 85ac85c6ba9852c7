"""The linear programs: minimum and maximum of a cell under the equations, and not a word
from HiGHS on standard output (its banner comes with a process's first instance)."""

from __future__ import annotations

import subprocess
import sys

from kervan.reports.lp import Model


def test_a_cell_between_its_bounds_under_an_equation() -> None:
    # x0 = x1 + x2, x1 ∈ [2, 2], x2 ∈ [0, 5]: x0 lies in [2, 7].
    model = Model(3, [[(0, 1.0), (1, -1.0), (2, -1.0)]], [0, 2, 0], [100, 2, 5])
    model.set_costs([1, 0, 0])
    assert model.solve(maximize=False)[:2] == ("optimal", 2.0)
    assert model.solve(maximize=True)[:2] == ("optimal", 7.0)
    model.set_bounds(0, 0, float("inf"))
    model.set_bounds(2, 0, float("inf"))
    assert model.solve(maximize=True)[0] == "unbounded"


def test_highs_prints_nothing() -> None:
    program = (
        "from kervan.reports.lp import Model\n"
        "m = Model(1, [], [0], [1]); m.set_costs([1]); m.solve(maximize=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
