"""The allocation problem as plain values: no database, no solver. The service builds an
``Instance`` from the tables; tests and the benchmark build one directly.

A ``Unit`` is one return request with everyone travelling with it: it is seated whole on one
leg or not at all (a family is never split). A unit is *fixed* on a leg when its seat is
confirmed or an officer pinned it there; the allocation never moves it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    size: int  # the applicant and everyone travelling with them
    level: int  # priority level (kervan.repatriation.priority)
    origin: str  # where the leg must leave from: host city or airport code
    destination: str  # home region the leg must reach
    earliest: dt.date  # the first day the person can travel
    order: int  # registration order: first come, first served within a level
    fixed_leg: str | None = None  # confirmed or pinned: kept where it is
    excluded: bool = False  # excluded by an officer: never seated


@dataclass(frozen=True, slots=True)
class Leg:
    id: str
    origin: str
    destination: str
    departs: dt.date
    arrives: dt.date  # the day counted against the destination's reception capacity
    seats: int  # seats for passengers: the leg's seats less those held back


@dataclass(frozen=True)
class Instance:
    units: tuple[Unit, ...]
    legs: tuple[Leg, ...]
    # Reception places per (destination, day); a day not listed has no limit.
    reception: dict[tuple[str, dt.date], int] = field(default_factory=dict)

    def legs_by_id(self) -> dict[str, Leg]:
        return {leg.id: leg for leg in self.legs}

    def corridor_legs(self) -> dict[tuple[str, str], list[Leg]]:
        """Legs of each corridor (origin, destination), earliest first."""
        found: dict[tuple[str, str], list[Leg]] = defaultdict(list)
        for leg in sorted(self.legs, key=lambda leg: (leg.departs, leg.id)):
            found[(leg.origin, leg.destination)].append(leg)
        return found


def compatible(unit: Unit, leg: Leg) -> bool:
    return (
        unit.origin == leg.origin
        and unit.destination == leg.destination
        and leg.departs >= unit.earliest
    )


@dataclass
class Allocation:
    """Where each unit sits (leg id), or None when it waits."""

    seat_of: dict[str, str | None]

    def seated_on(self, leg_id: str) -> list[str]:
        return [u for u, leg in self.seat_of.items() if leg == leg_id]
