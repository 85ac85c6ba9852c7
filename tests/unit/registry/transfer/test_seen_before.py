"""kervan/registry/transfer/seen_before.py: the first load's filter never says "not seen" of
a key it was given (a row that can meet the register is always looked up), does not count a
key as seen because of itself, and rarely says "seen" of a key it was not given."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.transfer.seen_before import SeenBefore

keys = st.tuples(st.sampled_from(["KAZ", "UZB", "TUR"]), st.text(min_size=1, max_size=9))


@given(calls=st.lists(st.lists(keys, max_size=30), min_size=1, max_size=8))
def test_a_key_given_before_is_always_seen_and_never_because_of_its_own_call(
    calls: list[list[tuple[str, str]]],
) -> None:
    filter_ = SeenBefore(bits=1 << 10)  # small, so that unseen keys often collide
    given_before: set[tuple[str, str]] = set()
    for call in calls:
        seen = filter_.check_then_add(call)
        assert len(seen) == len(call)
        for key, answer in zip(call, seen, strict=True):
            if key in given_before:
                assert answer
        given_before.update(call)


def test_keys_never_given_are_rarely_seen() -> None:
    filter_ = SeenBefore(bits=1 << 20)
    filter_.check_then_add([("KAZ", f"N{n:07d}") for n in range(30_000)])
    false = sum(filter_.check_then_add([("UZB", f"N{n:07d}") for n in range(10_000)]))
    # One position, 30,000 keys in 2**20 bits: about 2.8 % expected (280 of 10,000).
    assert false < 500


def test_a_repeated_key_within_one_call_is_not_seen_before() -> None:
    assert SeenBefore(bits=1 << 10).check_then_add([("KAZ", "A1"), ("KAZ", "A1")]) == [
        False,
        False,
    ]


@pytest.mark.parametrize("bits", [0, 4, 1000])
def test_the_size_is_a_power_of_two_of_at_least_a_byte(bits: int) -> None:
    with pytest.raises(ValueError):
        SeenBefore(bits=bits)
