"""Why each request is seated or waits (``kervan.repatriation.explain``), over random small
allocations: every unit gets one explanation whose code agrees with where the solver put it,
whose English renders from the catalog, and which names the leg by its label."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.repatriation import messages as m
from kervan.repatriation.explain import explain_all
from kervan.repatriation.instance import Allocation, Instance, Leg, Unit, compatible
from kervan.repatriation.solver import allocate
from tests.unit.repatriation.support import plain_legs, plain_units

DAY = dt.date(2026, 5, 12)


@settings(max_examples=150, deadline=None)
@given(units=plain_units, legs=plain_legs, reception=st.none() | st.integers(0, 3))
def test_every_unit_is_explained_as_the_solver_placed_it(
    units: tuple[Unit, ...], legs: tuple[Leg, ...], reception: int | None
) -> None:
    instance = Instance(units, legs, {} if reception is None else {("TAS", DAY): reception})
    allocation = allocate(instance)
    labels = {leg.id: f"HY {leg.id}" for leg in legs}
    explained = explain_all(instance, allocation, labels=labels, reasons={"U0": "why"})
    assert set(explained) == {u.id for u in units}
    for unit in units:
        explanation = explained[unit.id]
        assert explanation.english  # every parameter the catalog text names is given
        seat = allocation.seat_of.get(unit.id)
        if unit.excluded:
            assert explanation.code == m.EXCLUDED
        elif seat is not None:
            assert explanation.code == m.SEATED
            assert explanation.params["leg"] == f"HY {seat}"
            assert explanation.params["level"] == unit.level
        elif not any(compatible(unit, leg) for leg in legs):
            assert explanation.code == m.WAITING_NO_LEG
        else:
            assert explanation.code in (m.WAITING_GROUP, m.WAITING_RECEPTION, m.WAITING_PRIORITY)


def test_a_fixed_unit_is_confirmed_or_pinned_with_the_officers_reason() -> None:
    leg = Leg("L", "ALA", "TAS", DAY, DAY, 3)
    units = (
        Unit("confirmed", 1, 0, "ALA", "TAS", DAY, 0, fixed_leg="L"),
        Unit("pinned", 1, 0, "ALA", "TAS", DAY, 1, fixed_leg="L"),
    )
    instance = Instance(units, (leg,))
    explained = explain_all(instance, allocate(instance), reasons={"pinned": "dialysis"})
    assert explained["confirmed"].code == m.SEATED_CONFIRMED
    assert explained["pinned"].code == m.SEATED_PINNED
    assert explained["pinned"].params["reason"] == "dialysis"
    assert explained["confirmed"].params["leg"] == "L"  # no label: the leg's id


def test_waiting_units_of_one_corridor_and_level_count_the_same_people_ahead() -> None:
    leg = Leg("L", "ALA", "TAS", DAY, DAY, 2)
    units = tuple(Unit(f"U{i}", 1, 1, "ALA", "TAS", DAY, i) for i in range(5))
    instance = Instance(units, (leg,))
    explained = explain_all(instance, allocate(instance))
    waiting = [e for e in explained.values() if e.code == m.WAITING_PRIORITY]
    assert len(waiting) == 3
    assert {(e.params["ahead"], e.params["seats"]) for e in waiting} == {(2, 2)}


def test_an_empty_allocation_explains_nothing() -> None:
    assert explain_all(Instance((), ()), Allocation({})) == {}
