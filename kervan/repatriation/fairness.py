"""The fairness rule, checked on a result independently of how it was found.

A request *fits* a leg when it is compatible with it (corridor and dates) and its whole group
finds room there once everyone of lower priority who is not fixed (confirmed or pinned) is
taken off: seats on the leg, and reception places at the destination on its arrival day. The
rule: **no request waits while it fits a compatible leg.** In particular no lower-priority
request keeps a seat a waiting higher-priority request could have taken; a group that does
not fit whole may wait while single travellers of lower priority go, and its explanation then
names the group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kervan.repatriation.instance import Allocation, Instance, Leg, Unit, compatible


@dataclass(frozen=True)
class Room:
    """What a leg offers a request of a given level: seats and reception places left after
    everyone who is not displaceable by it."""

    seats: int
    reception: int | None  # None: the destination has no limit that day

    @property
    def places(self) -> int:
        return self.seats if self.reception is None else min(self.seats, self.reception)


class Occupancy:
    """Who is seated, by leg and by reception day, to answer ``room`` quickly."""

    def __init__(self, instance: Instance, allocation: Allocation) -> None:
        self.instance = instance
        self.legs = instance.legs_by_id()
        self.units = {u.id: u for u in instance.units}
        self.on_leg: dict[str, list[Unit]] = defaultdict(list)
        self.on_day: dict[tuple[str, object], list[Unit]] = defaultdict(list)
        for unit_id, leg_id in allocation.seat_of.items():
            if leg_id is None:
                continue
            leg = self.legs[leg_id]
            self.on_leg[leg_id].append(self.units[unit_id])
            self.on_day[(leg.destination, leg.arrives)].append(self.units[unit_id])

    @staticmethod
    def _kept(units: list[Unit], level: int) -> int:
        """People a request of ``level`` cannot displace: same or higher level, or fixed."""
        return sum(u.size for u in units if u.level >= level or u.fixed_leg is not None)

    def room(self, leg: Leg, level: int) -> Room:
        seats = leg.seats - self._kept(self.on_leg[leg.id], level)
        day = (leg.destination, leg.arrives)
        limit = self.instance.reception.get(day)
        reception = None if limit is None else limit - self._kept(self.on_day[day], level)
        return Room(seats=max(seats, 0), reception=None if reception is None else max(reception, 0))


@dataclass(frozen=True)
class Violation:
    unit: str  # the request that waits
    leg: str  # a leg it fits
    displaced: tuple[str, ...]  # lower-priority requests seated on that leg


def violations(instance: Instance, allocation: Allocation) -> list[Violation]:
    occupancy = Occupancy(instance, allocation)
    corridors = instance.corridor_legs()
    rooms: dict[tuple[str, int], int] = {}  # nothing moves while checking: cache the rooms
    found: list[Violation] = []
    for unit in instance.units:
        if unit.excluded or allocation.seat_of.get(unit.id) is not None:
            continue
        for leg in corridors.get((unit.origin, unit.destination), ()):
            key = (leg.id, unit.level)
            if key not in rooms and compatible(unit, leg):
                rooms[key] = occupancy.room(leg, unit.level).places
            if compatible(unit, leg) and rooms[key] >= unit.size:
                lower = tuple(
                    u.id
                    for u in occupancy.on_leg[leg.id]
                    if u.level < unit.level and u.fixed_leg is None
                )
                found.append(Violation(unit.id, leg.id, lower))
    return found


def split_groups(instance: Instance, allocation: Allocation) -> list[str]:
    """Units seated on a leg that is not theirs to take (a fixed unit moved, an excluded one
    seated, an incompatible leg): must be empty. Groups are whole by construction of the
    model (one seat assignment per unit), so this is what integrity can still get wrong."""
    legs = instance.legs_by_id()
    wrong: list[str] = []
    for unit in instance.units:
        seat = allocation.seat_of.get(unit.id)
        if unit.fixed_leg is not None and unit.fixed_leg in legs:
            moved = seat != unit.fixed_leg
        else:
            moved = seat is not None and (unit.excluded or not compatible(unit, legs[seat]))
        if moved:
            wrong.append(unit.id)
    return wrong


def overfull(instance: Instance, allocation: Allocation) -> list[str]:
    """Legs or reception days given more people than they hold (a fixed unit alone may)."""
    occupancy = Occupancy(instance, allocation)
    problems = [
        leg.id
        for leg in instance.legs
        if sum(u.size for u in occupancy.on_leg[leg.id] if u.fixed_leg is None)
        > max(leg.seats - sum(u.size for u in occupancy.on_leg[leg.id] if u.fixed_leg), 0)
    ]
    for day, limit in instance.reception.items():
        free = [u.size for u in occupancy.on_day[day] if u.fixed_leg is None]
        fixed = sum(u.size for u in occupancy.on_day[day] if u.fixed_leg is not None)
        if sum(free) > max(limit - fixed, 0):
            problems.append(f"{day[0]} {day[1]}")
    return problems
