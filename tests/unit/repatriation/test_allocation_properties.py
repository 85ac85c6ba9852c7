"""The fairness rule and group integrity, checked on every result of random instances."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kervan.repatriation.completion import greedy
from kervan.repatriation.fairness import overfull, split_groups, violations
from kervan.repatriation.instance import Instance, Leg, Unit
from kervan.repatriation.solver import allocate

DAY0 = dt.date(2026, 5, 1)
ORIGINS = ("ALA", "IST")
DESTINATIONS = ("TAS", "SKD")


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_legs = draw(st.integers(1, 6))
    legs = []
    for i in range(n_legs):
        day = DAY0 + dt.timedelta(days=draw(st.integers(0, 6)))
        legs.append(
            Leg(
                id=f"L{i}",
                origin=draw(st.sampled_from(ORIGINS)),
                destination=draw(st.sampled_from(DESTINATIONS)),
                departs=day,
                arrives=day,
                seats=draw(st.integers(0, 12)),
            )
        )
    units = []
    for i in range(draw(st.integers(0, 30))):
        fixed = None
        if legs and draw(st.integers(0, 9)) == 0:
            fixed = draw(st.sampled_from(legs)).id
        units.append(
            Unit(
                id=f"U{i}",
                size=draw(st.integers(1, 5)),
                level=draw(st.integers(0, 7)),
                origin=draw(st.sampled_from(ORIGINS)),
                destination=draw(st.sampled_from(DESTINATIONS)),
                earliest=DAY0 + dt.timedelta(days=draw(st.integers(0, 7))),
                order=i,
                fixed_leg=fixed,
                excluded=fixed is None and draw(st.integers(0, 14)) == 0,
            )
        )
    days = {(leg.destination, leg.arrives) for leg in legs}
    reception = {day: draw(st.integers(0, 20)) for day in sorted(days) if draw(st.booleans())}
    return Instance(tuple(units), tuple(legs), reception)


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_the_solver_never_seats_lower_priority_while_a_fitting_request_waits(
    instance: Instance,
) -> None:
    result = allocate(instance, time_budget=2.0)
    assert violations(instance, result) == []


@SETTINGS
@given(instances())
def test_groups_stay_whole_fixed_seats_stay_and_nothing_is_overfull(instance: Instance) -> None:
    result = allocate(instance, time_budget=2.0)
    assert split_groups(instance, result) == []
    assert overfull(instance, result) == []
    assert set(result.seat_of) == {u.id for u in instance.units}


@SETTINGS
@given(instances())
def test_the_greedy_baseline_keeps_the_rule_too(instance: Instance) -> None:
    result = greedy(instance)
    assert violations(instance, result) == []
    assert split_groups(instance, result) == []
    assert overfull(instance, result) == []


def test_the_rule_check_finds_a_lower_priority_request_in_a_higher_ones_seat() -> None:
    leg = Leg("L0", "ALA", "TAS", DAY0, DAY0, seats=1)
    high = Unit("high", 1, 7, "ALA", "TAS", DAY0, order=2)
    low = Unit("low", 1, 0, "ALA", "TAS", DAY0, order=1)
    instance = Instance((high, low), (leg,))
    from kervan.repatriation.instance import Allocation

    unfair = Allocation({"high": None, "low": "L0"})
    found = violations(instance, unfair)
    assert [(v.unit, v.leg, v.displaced) for v in found] == [("high", "L0", ("low",))]
    assert violations(instance, allocate(instance)) == []
    assert allocate(instance).seat_of == {"high": "L0", "low": None}
