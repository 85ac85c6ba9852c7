"""Seat allocation with HiGHS (a mixed-integer model), decomposed, then made exactly fair.

The model. Requests that are interchangeable — same corridor, same priority level, same group
size, same set of compatible legs (their earliest date falls between the same two departures)
— form one *class*; the model has one integer per (class, compatible leg): how many of the
class sit there, so a group is seated whole by construction. Rows: each leg's seats, each
destination's reception places per day, each class's size. The objective counts each seated
person with weight 4^level, so that priority dominates. 200,000 requests make a few tens of
thousands of classes; legs that share neither a corridor nor a reception day are independent
parts, solved apart, each with a share of the time budget by its size.

Fairness. HiGHS stops at a proven gap of 0.1 % or at its time limit; either way its result is
then passed through ``completion.complete``, which seats, in priority order, any waiting
request that still fits once lower-priority people are taken off. That makes the rule of
``fairness.violations`` hold exactly, whatever the solver's gap. Within a class, seats go first
come, first served, earliest departure first."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from kervan.highs import quiet_highs
from kervan.repatriation.completion import complete
from kervan.repatriation.instance import Allocation, Instance, Leg, Unit

_INF = highspy.kHighsInf


# A person of level k counts as _WEIGHT people of level k-1: the objective prefers priority
# strongly; the fairness rule itself is made exact by ``repair`` afterwards, not by weights.
_WEIGHT = 4.0
MIP_GAP = 1e-3


@dataclass
class _Class:
    corridor: tuple[str, str]
    level: int
    size: int
    legs: tuple[Leg, ...]  # compatible legs, earliest first
    units: list[Unit] = field(default_factory=list)


class _Components:
    """Union-find over leg ids."""

    def __init__(self, ids: list[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _remaining(instance: Instance) -> tuple[dict[str, int], dict[tuple[str, object], int]]:
    """Seats and reception places left once the fixed units are counted."""
    seats = {leg.id: leg.seats for leg in instance.legs}
    reception = dict(instance.reception)
    legs = instance.legs_by_id()
    for unit in instance.units:
        if unit.fixed_leg is not None and unit.fixed_leg in legs:
            leg = legs[unit.fixed_leg]
            seats[leg.id] -= unit.size
            key = (leg.destination, leg.arrives)
            if key in reception:
                reception[key] -= unit.size
    return seats, reception  # type: ignore[return-value]


def _classes(instance: Instance, usable: set[str]) -> list[_Class]:
    """Classes of the units still to place, over the legs that still have room (``usable``):
    after a run whose seats were confirmed, only the freed seats are left to solve."""
    corridors = instance.corridor_legs()
    departures = {c: [leg.departs for leg in legs] for c, legs in corridors.items()}
    found: dict[tuple[object, ...], _Class] = {}
    for unit in sorted(instance.units, key=lambda u: (u.order, u.id)):
        if unit.fixed_leg is not None or unit.excluded:
            continue
        corridor = (unit.origin, unit.destination)
        if corridor not in corridors:
            continue
        start = bisect.bisect_left(departures[corridor], unit.earliest)
        if start == len(departures[corridor]):
            continue
        key = (corridor, start, unit.level, unit.size)
        if key not in found:
            legs = tuple(leg for leg in corridors[corridor][start:] if leg.id in usable)
            found[key] = _Class(corridor, unit.level, unit.size, legs)
        found[key].units.append(unit)
    return [cls for cls in found.values() if cls.legs]


def _components(instance: Instance, classes: list[_Class]) -> list[list[_Class]]:
    sets = _Components([leg.id for leg in instance.legs])
    for legs in instance.corridor_legs().values():
        for leg in legs[1:]:
            sets.join(legs[0].id, leg.id)
    by_day: dict[tuple[str, object], str] = {}
    for leg in instance.legs:
        key = (leg.destination, leg.arrives)
        if key in instance.reception:
            sets.join(by_day.setdefault(key, leg.id), leg.id)
    grouped: dict[str, list[_Class]] = defaultdict(list)
    for cls in classes:
        grouped[sets.find(cls.legs[0].id)].append(cls)
    return list(grouped.values())


def _solve_component(
    classes: list[_Class],
    seats: dict[str, int],
    reception: dict[tuple[str, object], int],
    time_limit: float,
) -> list[np.ndarray]:
    """How many of each class sit on each of its legs (arrays parallel to ``cls.legs``)."""
    pairs = [(ci, leg) for ci, cls in enumerate(classes) for leg in cls.legs]
    n = len(pairs)
    h = quiet_highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", MIP_GAP)
    upper = np.array([len(classes[ci].units) for ci, _ in pairs], dtype=np.float64)
    h.addVars(n, np.zeros(n), upper)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
    sizes = np.array([classes[ci].size for ci, _ in pairs], dtype=np.float64)

    rows: dict[object, list[int]] = defaultdict(list)  # capacity rows: leg, reception day
    bounds: dict[object, float] = {}
    for j, (_, leg) in enumerate(pairs):
        rows[("leg", leg.id)].append(j)
        bounds[("leg", leg.id)] = max(seats[leg.id], 0)
        day = (leg.destination, leg.arrives)
        if day in reception:
            rows[("day", day)].append(j)
            bounds[("day", day)] = max(reception[day], 0)
    for key, cols in rows.items():
        _add_row(h, -_INF, bounds[key], cols, sizes[cols])
    per_class: dict[int, list[int]] = defaultdict(list)
    for j, (ci, _) in enumerate(pairs):
        per_class[ci].append(j)
    for ci, cols in per_class.items():
        if len(cols) > 1:  # a single column is already bounded by its class size
            _add_row(h, -_INF, len(classes[ci].units), cols, np.ones(len(cols)))

    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    weights = np.array([_WEIGHT ** classes[ci].level for ci, _ in pairs], dtype=np.float64)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), sizes * weights)
    h.setOptionValue("time_limit", max(time_limit, 0.05))
    h.run()
    values = (
        np.array(h.getSolution().col_value) if h.getInfo().primal_solution_status else np.zeros(n)
    )
    counts = np.round(values).astype(int)
    out: list[np.ndarray] = [np.zeros(len(cls.legs), dtype=int) for cls in classes]
    position = {ci: 0 for ci in range(len(classes))}
    for j, (ci, _) in enumerate(pairs):
        out[ci][position[ci]] = counts[j]
        position[ci] += 1
    return out


def _add_row(h: highspy.Highs, low: float, high: float, cols: list[int], coef: np.ndarray) -> None:
    idx = np.asarray(cols, dtype=np.int32)
    h.addRow(float(low), float(high), len(idx), idx, np.asarray(coef, dtype=np.float64))


def allocate(instance: Instance, *, time_budget: float = 30.0) -> Allocation:
    """Seat as many people as the legs and reception places allow, priority first; the
    solver's time is shared among the independent parts by their size."""
    seat_of: dict[str, str | None] = {}
    legs = instance.legs_by_id()
    for unit in instance.units:
        fixed = unit.fixed_leg if unit.fixed_leg in legs else None
        seat_of[unit.id] = fixed
    seats, reception = _remaining(instance)
    usable = {
        leg.id
        for leg in instance.legs
        if seats[leg.id] > 0 and reception.get((leg.destination, leg.arrives), 1) > 0
    }
    classes = _classes(instance, usable)
    components = _components(instance, classes)
    total = sum(len(cls.legs) for cls in classes) or 1
    for component in components:
        share = time_budget * sum(len(cls.legs) for cls in component) / total
        counts = _solve_component(component, seats, reception, share)
        for cls, per_leg in zip(component, counts, strict=True):
            # First come, first served, earliest departure first.
            queue = iter(cls.units)
            for leg, count in zip(cls.legs, per_leg, strict=True):
                for _ in range(int(count)):
                    seat_of[next(queue).id] = leg.id
    return complete(instance, Allocation(seat_of))
