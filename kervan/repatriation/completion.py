"""Completing an allocation in priority order, so that the fairness rule holds exactly.

Requests are taken from the highest level down, first come first served within a level. A
waiting request that fits a compatible leg — counting only people it cannot displace (same or
higher level, or fixed) — is seated there: on a leg with free room if one fits, else on the
earliest one that fits, and the lower-priority people it displaces (lowest level, latest
registered first) go back to the queue, to be placed again in their turn. Room for a level
only shrinks while that level is processed, so when the queue is empty no waiting request
fits anywhere: that is the rule ``fairness.violations`` checks.

From an empty allocation this is the greedy-by-priority baseline the benchmark compares the
solver with; after the solver it only repairs what the solver's time limit left imperfect."""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Callable

from kervan.repatriation.instance import Allocation, Instance, Leg, Unit

LEVELS = 8  # priority levels 0..7 (kervan.repatriation.priority)

Day = tuple[str, object]


class Seating:
    """People seated per leg and per reception day, by level, with who they are."""

    def __init__(self, instance: Instance, allocation: Allocation) -> None:
        self.instance = instance
        self.legs = instance.legs_by_id()
        self.seat_of = dict(allocation.seat_of)
        self.used: dict[object, list[int]] = defaultdict(lambda: [0] * LEVELS)
        self.fixed: dict[object, int] = defaultdict(int)
        self.members: dict[str, list[Unit]] = defaultdict(list)
        self.day_legs: dict[Day, list[str]] = defaultdict(list)
        for leg in instance.legs:
            self.day_legs[(leg.destination, leg.arrives)].append(leg.id)
        for unit in instance.units:
            leg_id = self.seat_of.get(unit.id)
            if leg_id is not None:
                self._count(unit, self.legs[leg_id], +1)

    def _count(self, unit: Unit, leg: Leg, sign: int) -> None:
        day = (leg.destination, leg.arrives)
        if unit.fixed_leg is not None:
            self.fixed[leg.id] += sign * unit.size
            self.fixed[day] += sign * unit.size
            return
        self.used[leg.id][unit.level] += sign * unit.size
        self.used[day][unit.level] += sign * unit.size
        if sign > 0:
            self.members[leg.id].append(unit)
        else:
            self.members[leg.id].remove(unit)

    def seat_room(self, leg: Leg, level: int) -> int:
        return leg.seats - self.fixed[leg.id] - sum(self.used[leg.id][level:])

    def day_room(self, leg: Leg, level: int) -> int | None:
        day = (leg.destination, leg.arrives)
        limit = self.instance.reception.get(day)
        if limit is None:
            return None
        return limit - self.fixed[day] - sum(self.used[day][level:])

    def room(self, leg: Leg, level: int) -> int:
        """Places a request of ``level`` can have on the leg, displacing everyone below it."""
        day = self.day_room(leg, level)
        seats = self.seat_room(leg, level)
        return seats if day is None else min(seats, day)

    def seat(self, unit: Unit, leg: Leg) -> list[Unit]:
        """Seat ``unit`` on ``leg``; return the lower-priority people displaced to make room:
        from the leg until its seats suffice, then from the legs arriving the same day until
        the reception places do. Only people of a lower level are ever displaced."""
        self.seat_of[unit.id] = leg.id
        self._count(unit, leg, +1)
        displaced = self._make_room([leg.id], unit.level, lambda: self.seat_room(leg, 0) >= 0)
        day = (leg.destination, leg.arrives)
        if day in self.instance.reception:
            displaced += self._make_room(
                self.day_legs[day], unit.level, lambda: (self.day_room(leg, 0) or 0) >= 0
            )
        return displaced

    def _make_room(self, leg_ids: list[str], below: int, enough: Callable[[], bool]) -> list[Unit]:
        out: list[Unit] = []
        if enough():
            return out
        candidates = sorted(
            (u for lid in leg_ids for u in self.members[lid] if u.level < below),
            key=lambda u: (u.level, -u.order),
        )
        for victim in candidates:
            if enough():
                break
            self._count(victim, self.legs[self.seat_of[victim.id] or ""], -1)
            self.seat_of[victim.id] = None
            out.append(victim)
        return out


def complete(instance: Instance, allocation: Allocation) -> Allocation:
    seating = Seating(instance, allocation)
    corridors = instance.corridor_legs()
    departures = {c: [leg.departs for leg in legs] for c, legs in corridors.items()}
    queue = [
        (-u.level, u.order, u.id, u)
        for u in instance.units
        if seating.seat_of.get(u.id) is None and not u.excluded and u.fixed_leg is None
    ]
    heapq.heapify(queue)
    hopeless: set[tuple[object, ...]] = set()  # classes that found no room at their level
    while queue:
        _, _, _, unit = heapq.heappop(queue)
        corridor = (unit.origin, unit.destination)
        if corridor not in corridors:
            continue
        start = bisect.bisect_left(departures[corridor], unit.earliest)
        key = (corridor, start, unit.level, unit.size)
        if key in hopeless:
            continue
        legs = corridors[corridor][start:]
        fitting = [leg for leg in legs if seating.room(leg, unit.level) >= unit.size]
        if not fitting:
            hopeless.add(key)
            continue
        free = [leg for leg in fitting if seating.room(leg, 0) >= unit.size]
        for displaced in seating.seat(unit, (free or fitting)[0]):
            heapq.heappush(queue, (-displaced.level, displaced.order, displaced.id, displaced))
    return Allocation(seating.seat_of)


def greedy(instance: Instance) -> Allocation:
    """The baseline: requests in priority order, each on the earliest leg with room."""
    legs = instance.legs_by_id()
    start = {u.id: (u.fixed_leg if u.fixed_leg in legs else None) for u in instance.units}
    return complete(instance, Allocation(start))
