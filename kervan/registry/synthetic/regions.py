"""Where in the host state a foreigner stays: ISO 3166-2 regions, weighted roughly as migrants
settle (the capital and the big cities far more than the countryside).

The weights are illustrative, like those of ``hosts``: shaped after published migration
figures, not statistics. A host state without its own list draws evenly from its subdivisions.
"""

from __future__ import annotations

import random
from functools import cache

import pycountry

from kervan.registry.synthetic.draws import Weighted

# fmt: off
REGION_MIX: dict[str, dict[str, float]] = {
    "KAZ": {
        "KZ-75": 30, "KZ-71": 20, "KZ-79": 10, "KZ-19": 6, "KZ-61": 6, "KZ-23": 5, "KZ-47": 5,
        "KZ-35": 3, "KZ-15": 3, "KZ-63": 2, "KZ-55": 2, "KZ-31": 2, "KZ-11": 1.5, "KZ-39": 1,
        "KZ-43": 1, "KZ-27": 1, "KZ-59": 0.5,
    },
    "UZB": {
        "UZ-TK": 40, "UZ-TO": 10, "UZ-SA": 9, "UZ-BU": 6, "UZ-FA": 6, "UZ-AN": 5, "UZ-NG": 4,
        "UZ-QA": 4, "UZ-SU": 4, "UZ-XO": 3, "UZ-QR": 3, "UZ-NW": 3, "UZ-JI": 2, "UZ-SI": 1,
    },
    "KGZ": {
        "KG-GB": 50, "KG-GO": 14, "KG-C": 12, "KG-O": 6, "KG-J": 6, "KG-Y": 5, "KG-B": 3,
        "KG-T": 2, "KG-N": 2,
    },
    "TUR": {
        "TR-34": 40, "TR-06": 9, "TR-35": 7, "TR-07": 7, "TR-16": 5, "TR-27": 5, "TR-31": 4,
        "TR-01": 4, "TR-33": 4, "TR-63": 4, "TR-42": 3, "TR-41": 3, "TR-55": 2, "TR-61": 2,
        "TR-21": 1,
    },
    "AZE": {
        "AZ-BA": 65, "AZ-SM": 8, "AZ-GA": 7, "AZ-MI": 4, "AZ-LA": 3, "AZ-NX": 3, "AZ-SA": 3,
        "AZ-SR": 2, "AZ-QBA": 2, "AZ-SAK": 2, "AZ-XA": 1,
    },
    "HUN": {
        "HU-BU": 60, "HU-PE": 10, "HU-GS": 5, "HU-HB": 4, "HU-CS": 4, "HU-BA": 3, "HU-SZ": 3,
        "HU-FE": 3, "HU-BK": 3, "HU-BZ": 2, "HU-KE": 2, "HU-VA": 1,
    },
}
# fmt: on


@cache
def region_choice(host_state: str) -> Weighted[str] | None:
    """The weighted regions of ``host_state`` (ISO 3166-1 alpha-3), or None for a state with no
    subdivisions in ISO 3166-2."""
    mix = REGION_MIX.get(host_state)
    if mix is None:
        country = pycountry.countries.get(alpha_3=host_state)
        found = pycountry.subdivisions.get(country_code=country.alpha_2) if country else None
        mix = {s.code: 1.0 for s in found or () if s.parent_code is None}
    return Weighted(mix) if mix else None


def draw_region(rng: random.Random, host_state: str) -> str | None:
    choice = region_choice(host_state)
    return choice.pick(rng) if choice else None
