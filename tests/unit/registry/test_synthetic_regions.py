"""Regions of the synthetic register: real ISO 3166-2 codes, the capitals drawn most."""

from __future__ import annotations

import random
from collections import Counter

from kervan.registry.codes import is_region_code
from kervan.registry.synthetic.regions import REGION_MIX, draw_region


def test_every_listed_region_is_an_iso_3166_2_code_of_its_host_state() -> None:
    for host, mix in REGION_MIX.items():
        assert all(is_region_code(code) for code in mix), host
        assert len({code[:2] for code in mix}) == 1, host


def test_capitals_are_drawn_most_and_other_hosts_from_their_subdivisions() -> None:
    rng = random.Random(1)
    drawn = Counter(draw_region(rng, "KAZ") for _ in range(2000))
    assert drawn.most_common(1)[0][0] == "KZ-75"
    assert str(draw_region(rng, "RUS")).startswith("RU-")
    assert draw_region(rng, "OTS") is None  # the secretariat has no territory
