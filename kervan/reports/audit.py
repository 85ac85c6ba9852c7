"""The audit: for every suppressed cell of this period, its smallest and largest value given
everything published — this period's published cells and margins, the earlier periods' tables
and the published changes linking them — by two linear programs. A suppressed cell passes when
that interval is at least the protection range wide; it fails when a reader could narrow it more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kervan.reports.lp import Model, system_rows
from kervan.reports.system import CellId, CellSystem, components

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Interval:
    cell: CellId
    value: float
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class AuditResult:
    protection: float
    intervals: tuple[Interval, ...]

    @property
    def failures(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.width + TOLERANCE < self.protection)

    @property
    def passed(self) -> bool:
        return not self.failures


def feasible_bounds(system: CellSystem) -> tuple[list[float], list[float]]:
    """What a reader knows of each cell: a published one is its value; a suppressed one lies
    between its lower bound (zero for a count) and infinity."""
    lower = [c.lower if c.suppressed else c.value for c in system.cells]
    upper = [math.inf if c.suppressed else c.value for c in system.cells]
    return lower, upper


def audit(system: CellSystem, period: str, protection: float) -> AuditResult:
    """Every suppressed cell of ``period``, each part of the system on its own."""
    intervals: list[Interval] = []
    for part in components(system):
        intervals += audit_part(part, period, protection).intervals
    return AuditResult(protection, tuple(intervals))


def audit_part(system: CellSystem, period: str, protection: float) -> AuditResult:
    targets = [i for i in system.current(period) if system.cells[i].suppressed]
    if not targets:
        return AuditResult(protection, ())
    lower, upper = feasible_bounds(system)
    model = Model(len(system.cells), system_rows(system), lower, upper)
    intervals = []
    costs = [0.0] * len(system.cells)
    for target in targets:
        costs[target] = 1.0
        model.set_costs(costs)
        low_status, low, _ = model.solve(maximize=False)
        high_status, high, _ = model.solve(maximize=True)
        costs[target] = 0.0
        if low_status == "unbounded":
            low = -math.inf
        if high_status == "unbounded":
            high = math.inf
        intervals.append(Interval(system.ids[target], system.cells[target].value, low, high))
    return AuditResult(protection, tuple(intervals))
