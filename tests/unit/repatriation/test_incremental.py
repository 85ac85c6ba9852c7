"""Re-running after cancellations and added legs: confirmed seats never move, the waiting list
fills the freed seats by the same rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kervan.repatriation.fairness import overfull, violations
from kervan.repatriation.instance import Instance, Leg, Unit
from kervan.repatriation.solver import allocate

DAY = dt.date(2026, 5, 12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8))
def test_cancellations_and_an_added_leg_move_no_confirmed_passenger(seed: int, cancel: int) -> None:
    r = random.Random(seed)
    legs = tuple(
        Leg(f"L{i}", "ALA", "TAS", DAY + dt.timedelta(days=i), DAY + dt.timedelta(days=i), 8)
        for i in range(3)
    )
    units = tuple(
        Unit(f"U{i}", r.randint(1, 3), r.randrange(8), "ALA", "TAS", DAY, order=i)
        for i in range(25)
    )
    first = allocate(Instance(units, legs))
    seated = [u for u in units if first.seat_of[u.id]]
    gone = {u.id for u in r.sample(seated, min(cancel, len(seated)))}
    confirmed = tuple(
        dataclasses.replace(u, fixed_leg=first.seat_of[u.id]) for u in units if u.id not in gone
    )
    added = (*legs, Leg("L9", "ALA", "TAS", DAY, DAY, r.randint(0, 4)))
    after = Instance(confirmed, added)
    again = allocate(after)
    assert all(again.seat_of[u.id] == u.fixed_leg for u in confirmed if u.fixed_leg)
    assert violations(after, again) == [] and overfull(after, again) == []
