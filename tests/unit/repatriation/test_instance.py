"""The allocation problem as plain values (``kervan.repatriation.instance``): which legs a
request may take, legs by corridor in departure order, who sits on a leg."""

from __future__ import annotations

import datetime as dt

from kervan.repatriation.instance import Allocation, Instance, Leg, Unit, compatible

DAY = dt.date(2026, 5, 12)


def test_a_leg_fits_the_corridor_on_or_after_the_earliest_day() -> None:
    unit = Unit("u", 1, 0, "ALA", "TAS", DAY, order=0)
    assert compatible(unit, Leg("L", "ALA", "TAS", DAY, DAY, 1))
    assert not compatible(unit, Leg("L", "ALA", "TAS", DAY - dt.timedelta(days=1), DAY, 1))
    assert not compatible(unit, Leg("L", "NQZ", "TAS", DAY, DAY, 1))
    assert not compatible(unit, Leg("L", "ALA", "SKD", DAY, DAY, 1))


def test_corridor_legs_are_ordered_by_departure_then_id() -> None:
    later = Leg("a", "ALA", "TAS", DAY + dt.timedelta(days=1), DAY, 1)
    first, second = Leg("c", "ALA", "TAS", DAY, DAY, 1), Leg("d", "ALA", "TAS", DAY, DAY, 1)
    other = Leg("b", "NQZ", "TAS", DAY, DAY, 1)
    instance = Instance((), (later, second, other, first))
    corridors = instance.corridor_legs()
    assert [leg.id for leg in corridors[("ALA", "TAS")]] == ["c", "d", "a"]
    assert [leg.id for leg in corridors[("NQZ", "TAS")]] == ["b"]
    assert set(instance.legs_by_id()) == {"a", "b", "c", "d"}


def test_seated_on_lists_the_units_of_a_leg() -> None:
    allocation = Allocation({"u1": "L", "u2": None, "u3": "L", "u4": "M"})
    assert allocation.seated_on("L") == ["u1", "u3"]
    assert allocation.seated_on("X") == []
