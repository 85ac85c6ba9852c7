"""Linear programs over a ``CellSystem`` with HiGHS (``highspy``): one model built once, then
re-solved with another objective or other bounds (HiGHS starts again from the last basis)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import highspy
import numpy as np

from kervan.highs import quiet_highs
from kervan.reports.system import CellSystem

INFINITY = highspy.kHighsInf


def _bound(value: float) -> float:
    return INFINITY if value == math.inf else -INFINITY if value == -math.inf else value


class Model:
    """min or max ``cost · columns`` subject to ``relations`` (each row = 0) and bounds."""

    def __init__(
        self,
        columns: int,
        rows: Sequence[Sequence[tuple[int, float]]],
        lower: Sequence[float],
        upper: Sequence[float],
    ) -> None:
        self.highs = quiet_highs()
        # Each model is solved again and again with another objective or bounds: without
        # presolve HiGHS starts from the last basis, which is usually a few pivots away.
        self.highs.setOptionValue("presolve", "off")
        lp = highspy.HighsLp()
        lp.num_col_ = columns
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.zeros(columns)
        lp.col_lower_ = np.array([_bound(v) for v in lower], dtype=float)
        lp.col_upper_ = np.array([_bound(v) for v in upper], dtype=float)
        lp.row_lower_ = np.zeros(len(rows))
        lp.row_upper_ = np.zeros(len(rows))
        starts, indices, values = [0], [], []
        for row in rows:
            for column, coefficient in row:
                indices.append(column)
                values.append(coefficient)
            starts.append(len(indices))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        self.highs.passModel(lp)
        self.columns = columns

    def set_costs(self, costs: Sequence[float]) -> None:
        self.highs.changeColsCost(
            self.columns, np.arange(self.columns, dtype=np.int32), np.array(costs, dtype=float)
        )

    def set_bounds(self, column: int, lower: float, upper: float) -> None:
        self.highs.changeColBounds(column, _bound(lower), _bound(upper))

    def solve(self, *, maximize: bool = False) -> tuple[str, float, list[float]]:
        """("optimal" | "infeasible" | "unbounded", objective, column values)."""
        sense = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        self.highs.changeObjectiveSense(sense)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            solution = list(self.highs.getSolution().col_value)
            return "optimal", float(self.highs.getInfo().objective_function_value), solution
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            # Every model here has a feasible point (the true table), so this is unbounded.
            return "unbounded", math.inf, []
        return "infeasible", math.nan, []


def system_rows(system: CellSystem) -> list[list[tuple[int, float]]]:
    return [list(row) for row in system.relations]
