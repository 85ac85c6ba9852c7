"""kervan/registry/synthetic/draws.py: the fast draws stay within their bounds, reach every
value, and follow the weights (a seeded generator makes the same register every time)."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.synthetic.draws import Weighted, between, one_of


@given(st.integers(-1000, 1000), st.integers(0, 1000), st.integers())
def test_between_stays_within_both_bounds(low: int, span: int, seed: int) -> None:
    rng = random.Random(seed)
    assert all(low <= between(rng, low, low + span) <= low + span for _ in range(20))


def test_between_and_one_of_reach_every_value_evenly() -> None:
    rng = random.Random(7)
    counts = Counter(between(rng, 1, 4) for _ in range(4000))
    assert set(counts) == {1, 2, 3, 4} and min(counts.values()) > 900
    picks = Counter(one_of(rng, "abc") for _ in range(3000))
    assert set(picks) == {"a", "b", "c"} and min(picks.values()) > 900


def test_weighted_picks_follow_the_weights_and_never_a_weightless_value() -> None:
    weights = Weighted({"common": 8.0, "rare": 2.0, "never": 0.0})
    rng = random.Random(11)
    counts = Counter(weights.pick(rng) for _ in range(5000))
    assert "never" not in counts
    assert 0.75 < counts["common"] / 5000 < 0.85


@given(st.integers())
def test_the_same_seed_draws_the_same(seed: int) -> None:
    weights = Weighted({1: 1.0, 2: 3.0})

    def draws() -> list[object]:
        rng = random.Random(seed)
        return [weights.pick(rng), between(rng, 0, 9), one_of(rng, [5, 6])]

    assert draws() == draws()
