"""Disclosure control: primary suppression of small cells, then secondary (complementary)
suppression chosen by linear programs, checked by the audit until it passes.

Secondary suppression follows the LP-based heuristic of Kelly, Golden and Assad (1992), the
relaxation at the heart of Fischetti and Salazar's optimal method (τ-ARGUS "Optimal"): for a
suppressed cell *s* that the audit says can be narrowed, find the cheapest perturbation *y* of
the whole system — every equation still holding, every count still ≥ 0, every cell published
earlier unchanged — that moves *s* by the protection range. Suppressing every cell *y* moves
makes ``x + y`` a table consistent with everything published, so no reader can pin *s* closer
than the protection range. Cells already suppressed cost nothing to use; a published cell
costs 1 + its value, so small cells are given up before totals. The audit runs again after
each round, and the loop ends only when every suppressed cell passes it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kervan.reports.audit import AuditResult, Interval, audit, audit_part
from kervan.reports.lp import Model
from kervan.reports.system import CHANGE, CellSystem, Flag, components

MOVED = 1e-7


@dataclass(frozen=True)
class Rules:
    threshold: int = 10  # cells with fewer units than this are confidential
    protection: float = 5.0  # the narrowest interval a suppressed cell may be known to lie in
    secondary: bool = True  # off only to show what primary suppression alone leaks
    suppress_zeros: bool = False  # an empty cell is published as 0 unless asked
    max_rounds: int = 25


class ProtectionError(RuntimeError):
    """No pattern could protect a cell (cannot happen while every current cell may be
    suppressed; raised rather than publishing a table that fails its audit)."""


def primary(system: CellSystem, period: str, rules: Rules) -> list[int]:
    flagged = []
    for i in system.current(period):
        cell = system.cells[i]
        if system.ids[i][3] == CHANGE:
            continue
        small = 0 < cell.value < rules.threshold or (rules.suppress_zeros and cell.value == 0)
        if small:
            cell.flag = Flag.PRIMARY
            flagged.append(i)
    return flagged


def protect(system: CellSystem, period: str, rules: Rules) -> AuditResult:
    """Flag ``period``'s cells (primary, then secondary) until the audit passes; the result is
    that final audit. Each part of the system no equation links to the others is protected
    on its own (a table and its margins, or tables sharing totals)."""
    primary(system, period, rules)
    if not rules.secondary:
        return audit(system, period, rules.protection)
    intervals: list[Interval] = []
    for part in components(system):
        intervals += _protect_part(part, period, rules).intervals
    return AuditResult(rules.protection, tuple(intervals))


def _protect_part(system: CellSystem, period: str, rules: Rules) -> AuditResult:
    pending = [i for i in system.current(period) if system.cells[i].flag is Flag.PRIMARY]
    if not pending:
        return audit_part(system, period, rules.protection)
    perturbation = _Perturbation(system)
    for _ in range(rules.max_rounds):
        for target in pending:
            perturbation.protect(target, rules.protection)
        result = audit_part(system, period, rules.protection)
        if result.passed:
            return result
        pending = [system.index[failure.cell] for failure in result.failures]
    raise ProtectionError(f"suppression did not converge in {rules.max_rounds} rounds")


class _Perturbation:
    """min Σ cost·(y⁺ + y⁻) subject to the system's equations on y = y⁺ − y⁻ and the bounds
    that keep x + y a table a reader could not rule out."""

    def __init__(self, system: CellSystem) -> None:
        self.system = system
        n = len(system.cells)
        rows = [
            [(i, c) for i, c in row] + [(n + i, -c) for i, c in row] for row in system.relations
        ]
        self.lower = [0.0] * (2 * n)
        self.upper = [self._up(i) for i in range(n)] + [self._down(i) for i in range(n)]
        self.model = Model(2 * n, rows, self.lower, self.upper)
        self.n = n

    def _up(self, i: int) -> float:
        cell = self.system.cells[i]
        return 0.0 if cell.frozen and not cell.suppressed else math.inf

    def _down(self, i: int) -> float:
        cell = self.system.cells[i]
        if cell.frozen and not cell.suppressed:
            return 0.0
        if not cell.known:
            return 0.0 if cell.lower != -math.inf else math.inf
        return cell.value - cell.lower  # inf for a change

    def _costs(self) -> list[float]:
        cells = self.system.cells
        one_way = [0.0 if c.suppressed else 1.0 + abs(c.value) for c in cells]
        return one_way + one_way

    def protect(self, target: int, protection: float) -> None:
        self.model.set_costs(self._costs())
        moved = self._solve(target, self.n + target, protection) or self._solve(
            self.n + target, target, protection
        )
        if moved is None:
            raise ProtectionError(f"no protecting pattern for {self.system.ids[target]}")
        for i in range(self.n):
            cell = self.system.cells[i]
            if not cell.suppressed and not cell.frozen and moved[i] + moved[self.n + i] > MOVED:
                cell.flag = Flag.SECONDARY

    def _solve(self, column: int, opposite: int, protection: float) -> list[float] | None:
        if self.upper[column] < protection:
            return None  # e.g. a count of 3 cannot be moved down by 5
        self.model.set_bounds(column, protection, protection)
        self.model.set_bounds(opposite, 0.0, 0.0)
        status, _, solution = self.model.solve()
        self.model.set_bounds(column, self.lower[column], self.upper[column])
        self.model.set_bounds(opposite, self.lower[opposite], self.upper[opposite])
        return solution if status == "optimal" else None
