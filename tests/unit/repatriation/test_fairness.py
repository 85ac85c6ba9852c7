"""The fairness rule checked on a result (``kervan.repatriation.fairness``), on hand-made
allocations that break it in each way: a waiting request that fits, a fixed unit moved, an
excluded one seated, a leg or a reception day given too many."""

from __future__ import annotations

import datetime as dt

from kervan.repatriation.fairness import Occupancy, Room, overfull, split_groups, violations
from kervan.repatriation.instance import Allocation, Instance, Leg, Unit

DAY = dt.date(2026, 5, 12)
LEG = Leg("L", "ALA", "TAS", DAY, DAY, 2)


def _unit(name: str, level: int, size: int = 1, **more: object) -> Unit:
    return Unit(name, size, level, "ALA", "TAS", DAY, order=0, **more)  # type: ignore[arg-type]


def test_room_is_the_seats_or_reception_whichever_is_less() -> None:
    assert Room(seats=3, reception=None).places == 3
    assert Room(seats=3, reception=1).places == 1


def test_a_higher_priority_request_waiting_while_a_lower_one_sits_is_a_violation() -> None:
    low, high = _unit("low", 1), _unit("high", 5)
    instance = Instance((low, high), (Leg("L", "ALA", "TAS", DAY, DAY, 1),))
    unfair = Allocation({"low": "L", "high": None})
    (found,) = violations(instance, unfair)
    assert (found.unit, found.leg, found.displaced) == ("high", "L", ("low",))
    assert violations(instance, Allocation({"low": None, "high": "L"})) == []


def test_a_group_that_does_not_fit_whole_may_wait() -> None:
    group, single = _unit("group", 5, size=3), _unit("single", 1)
    instance = Instance((group, single), (LEG,))
    assert violations(instance, Allocation({"group": None, "single": "L"})) == []


def test_a_fixed_unit_is_not_displaceable() -> None:
    fixed, high = _unit("fixed", 0, fixed_leg="L"), _unit("high", 7)
    instance = Instance((fixed, high), (Leg("L", "ALA", "TAS", DAY, DAY, 1),))
    occupancy = Occupancy(instance, Allocation({"fixed": "L", "high": None}))
    assert occupancy.room(instance.legs[0], 7) == Room(seats=0, reception=None)
    assert violations(instance, Allocation({"fixed": "L", "high": None})) == []


def test_reception_places_limit_the_room() -> None:
    instance = Instance((_unit("a", 1),), (LEG,), {("TAS", DAY): 0})
    assert Occupancy(instance, Allocation({"a": None})).room(LEG, 1) == Room(2, 0)
    assert violations(instance, Allocation({"a": None})) == []


def test_moved_fixed_units_and_seated_excluded_ones_are_named() -> None:
    other = Leg("M", "ALA", "TAS", DAY, DAY, 2)
    far = Leg("F", "NQZ", "TAS", DAY, DAY, 2)
    units = (
        _unit("moved", 0, fixed_leg="L"),
        _unit("excluded", 0, excluded=True),
        _unit("wrong-corridor", 0),
        _unit("fine", 0),
    )
    instance = Instance(units, (LEG, other, far))
    allocation = Allocation({"moved": "M", "excluded": "L", "wrong-corridor": "F", "fine": "L"})
    assert split_groups(instance, allocation) == ["moved", "excluded", "wrong-corridor"]


def test_overfull_legs_and_days_are_named_but_a_fixed_unit_alone_may_overfill() -> None:
    units = (_unit("a", 0, size=2), _unit("b", 0, size=1))
    instance = Instance(units, (LEG,), {("TAS", DAY): 2})
    assert overfull(instance, Allocation({"a": "L", "b": "L"})) == ["L", f"TAS {DAY}"]
    fixed = Instance((_unit("big", 0, size=5, fixed_leg="L"),), (LEG,))
    assert overfull(fixed, Allocation({"big": "L"})) == []
