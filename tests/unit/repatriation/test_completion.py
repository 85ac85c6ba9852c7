"""Completing an allocation in priority order (``kervan.repatriation.completion``): from
nothing (the greedy baseline) or from any allocation that keeps the fixed units where they are,
the result breaks no rule — no request waits while it fits, no fixed unit moves, no excluded
one sits, nothing is overfull."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.repatriation.completion import complete, greedy
from kervan.repatriation.fairness import overfull, split_groups, violations
from kervan.repatriation.instance import Allocation, Instance, Leg, Unit
from tests.unit.repatriation.support import plain_legs, plain_units


def _broken_rules(instance: Instance, allocation: Allocation) -> list[object]:
    return [
        *violations(instance, allocation),
        *split_groups(instance, allocation),
        *overfull(instance, allocation),
    ]


@settings(max_examples=150, deadline=None)
@given(units=plain_units, legs=plain_legs)
def test_the_greedy_baseline_is_fair(units: tuple[Unit, ...], legs: tuple[Leg, ...]) -> None:
    instance = Instance(units, legs)
    allocation = greedy(instance)
    assert set(allocation.seat_of) == {u.id for u in units}
    assert _broken_rules(instance, allocation) == []


@settings(max_examples=150, deadline=None)
@given(units=plain_units, legs=plain_legs, data=st.data())
def test_completing_any_start_repairs_it_and_keeps_fixed_units(
    units: tuple[Unit, ...], legs: tuple[Leg, ...], data: st.DataObject
) -> None:
    if legs:  # some units fixed on a leg of their corridor, whatever the room
        units = tuple(
            dataclasses.replace(u, fixed_leg=legs[0].id, excluded=False)
            if not u.excluded and u.origin == legs[0].origin and data.draw(st.booleans())
            else u
            for u in units
        )
    # A start that ignores the rule: every free unit on a random leg or waiting.
    leg_ids = [None, *(leg.id for leg in legs)]
    start = Allocation(
        {u.id: u.fixed_leg if u.fixed_leg else data.draw(st.sampled_from(leg_ids)) for u in units}
    )
    start = Allocation(
        {
            unit_id: (
                seat
                if seat is None or _fits(next(u for u in units if u.id == unit_id), legs, seat)
                else None
            )
            for unit_id, seat in start.seat_of.items()
        }
    )
    instance = Instance(units, legs)
    done = complete(instance, start)
    assert all(done.seat_of[u.id] == u.fixed_leg for u in units if u.fixed_leg)
    assert violations(instance, done) == []
    assert split_groups(instance, done) == []


def _fits(unit: Unit, legs: tuple[Leg, ...], seat: str) -> bool:
    """A start places a unit only on a leg of its corridor, and never an excluded one."""
    leg = next(leg for leg in legs if leg.id == seat)
    return not unit.excluded and (
        unit.fixed_leg is not None or (unit.origin == leg.origin and leg.departs >= unit.earliest)
    )
