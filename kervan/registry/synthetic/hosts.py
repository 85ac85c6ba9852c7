"""What a host state's register looks like: where its foreigners come from, who needs a visa,
who may travel on an identity card, and what an overstay costs.

The figures are illustrative, chosen so that demo data and benchmarks look like a Central Asian
or Turkish register; they are not statistics and not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kervan.registry.codes import validate_state_code
from kervan.registry.synthetic.names import nationalities

# Relative weights of nationalities among the foreigners of a host state.
# fmt: off
NATIONALITY_MIX: dict[str, dict[str, float]] = {
    "KAZ": {
        "UZB": 34, "RUS": 14, "KGZ": 10, "CHN": 10, "TJK": 8, "TUR": 5, "AZE": 3, "UKR": 3,
        "IND": 3, "TKM": 2, "AFG": 2, "PAK": 1.5, "IRN": 1, "VNM": 1, "HUN": 0.5, "SYR": 0.3,
    },
    "TUR": {
        "SYR": 18, "AFG": 14, "IRN": 12, "AZE": 11, "UZB": 9, "TKM": 9, "RUS": 7, "UKR": 5,
        "KAZ": 3, "KGZ": 3, "PAK": 3, "CHN": 2, "IND": 1.5, "TJK": 1.5, "HUN": 0.5, "VNM": 0.5,
    },
    "UZB": {
        "RUS": 20, "KAZ": 13, "TJK": 12, "KGZ": 10, "CHN": 10, "TUR": 8, "TKM": 8, "AFG": 6,
        "IND": 5, "PAK": 3, "AZE": 2, "UKR": 2, "IRN": 1, "VNM": 0.5, "HUN": 0.3, "SYR": 0.2,
    },
    "KGZ": {
        "UZB": 24, "RUS": 15, "CHN": 14, "KAZ": 12, "TUR": 8, "TJK": 7, "IND": 7, "PAK": 5,
        "AFG": 2, "AZE": 1.5, "UKR": 1.5, "TKM": 1, "IRN": 1, "VNM": 0.5, "SYR": 0.3, "HUN": 0.2,
    },
    "AZE": {
        "RUS": 24, "TUR": 24, "IRN": 14, "UZB": 6, "UKR": 5, "TKM": 4, "CHN": 4, "IND": 4,
        "KAZ": 3, "PAK": 3, "KGZ": 2, "AFG": 2, "SYR": 1.5, "TJK": 1.5, "HUN": 0.5, "VNM": 0.5,
    },
    "HUN": {
        "UKR": 35, "CHN": 10, "VNM": 8, "TUR": 7, "RUS": 6, "IND": 6, "IRN": 4, "KAZ": 4,
        "AZE": 3, "UZB": 3, "SYR": 3, "AFG": 2, "PAK": 2, "KGZ": 2, "TKM": 1, "TJK": 1,
    },
}
DEFAULT_MIX: dict[str, float] = {
    "UZB": 12, "RUS": 12, "UKR": 10, "CHN": 10, "TUR": 8, "IND": 8, "KAZ": 6, "AFG": 6,
    "SYR": 6, "AZE": 4, "KGZ": 4, "TJK": 4, "TKM": 3, "IRN": 3, "PAK": 3, "VNM": 3, "HUN": 2,
}
# fmt: on

# Nationals who enter without a visa (and so hold a registration instead), approximately.
VISA_FREE: dict[str, frozenset[str]] = {
    "KAZ": frozenset({"UZB", "KGZ", "TJK", "RUS", "AZE", "TUR", "UKR", "HUN", "CHN"}),
    "TUR": frozenset({"AZE", "UZB", "KAZ", "KGZ", "RUS", "UKR", "HUN", "IRN"}),
    "UZB": frozenset({"RUS", "KAZ", "KGZ", "TJK", "AZE", "UKR", "TUR", "HUN"}),
    "KGZ": frozenset({"RUS", "KAZ", "UZB", "TJK", "AZE", "UKR", "TUR", "HUN"}),
    "AZE": frozenset({"RUS", "UKR", "UZB", "KAZ", "KGZ", "TUR"}),
    "HUN": frozenset({"UKR"}),
}

# Eurasian Economic Union members accept each other's identity cards at the border.
_EAEU = frozenset({"KAZ", "KGZ", "RUS"})


@dataclass(frozen=True, slots=True)
class FineScale:
    """An overstay fine is ``unit`` times a whole number in ``units`` (as in legal tariffs
    expressed in monthly calculation indices or base amounts)."""

    currency: str
    unit: Decimal
    units: tuple[int, int]


FINES: dict[str, FineScale] = {
    "KAZ": FineScale("KZT", Decimal(3692), (10, 40)),  # monthly calculation index (MRP)
    "KGZ": FineScale("KGS", Decimal(100), (20, 100)),
    "UZB": FineScale("UZS", Decimal(375000), (5, 20)),  # base calculation amount (BRV)
    "TUR": FineScale("TRY", Decimal(1000), (2, 20)),
    "AZE": FineScale("AZN", Decimal(50), (6, 8)),
    "HUN": FineScale("HUF", Decimal(10000), (5, 50)),
    "RUS": FineScale("RUB", Decimal(1000), (2, 7)),
}
DEFAULT_FINE = FineScale("EUR", Decimal(50), (2, 10))

# The second letter of stay document numbers (``VK12345678``): the issuing host.
NUMBER_LETTERS = {"KAZ": "K", "KGZ": "G", "UZB": "U", "TUR": "T", "AZE": "A", "HUN": "H"}


@dataclass(frozen=True, slots=True)
class HostProfile:
    state: str
    nationalities: tuple[str, ...]
    weights: tuple[float, ...]
    visa_free: frozenset[str]
    fine: FineScale
    number_letter: str

    def needs_visa(self, nationality: str) -> bool:
        return nationality not in self.visa_free

    def may_use_identity_card(self, nationality: str) -> bool:
        return self.state in _EAEU and nationality in _EAEU


def host_profile(state: str) -> HostProfile:
    """The profile of ``state``; a sensible default mix for states without their own."""
    state = validate_state_code(state.upper())
    known = nationalities()
    # Nationals of the host are never foreigners in its register; only groups with name data.
    mix = {
        code: weight
        for code, weight in NATIONALITY_MIX.get(state, DEFAULT_MIX).items()
        if code != state and code in known
    }
    return HostProfile(
        state=state,
        nationalities=tuple(mix),
        weights=tuple(mix.values()),
        visa_free=VISA_FREE.get(state, frozenset()),
        fine=FINES.get(state, DEFAULT_FINE),
        number_letter=NUMBER_LETTERS.get(state, state[0]),
    )
