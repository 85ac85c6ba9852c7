"""Code lists the register validates against: states (ISO 3166-1 alpha-3 plus ICAO's own codes)."""

from __future__ import annotations

from functools import cache

import pycountry

# Doc 9303 Part 3 §5 adds codes that are not ISO 3166 countries but appear on travel documents.
ICAO_EXTRA_CODES = {
    "D": "Germany (MRZ)",
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Kosovo",
    "UNA": "United Nations specialized agency",
    "UNK": "Kosovo (UNMIK)",
    "UNO": "United Nations Organization",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XPO": "International Criminal Police Organization",
    "XOM": "Sovereign Military Order of Malta",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Person of unspecified nationality",
}

# The council's members and its secretariat's pseudo-state, used for routing and demo data.
MEMBER_STATES = ("AZE", "KAZ", "KGZ", "TUR", "UZB", "HUN")
SECRETARIAT = "OTS"


@cache
def state_codes() -> frozenset[str]:
    return frozenset({c.alpha_3 for c in pycountry.countries} | ICAO_EXTRA_CODES.keys())


def is_state_code(code: str) -> bool:
    return code in state_codes()


def validate_state_code(code: str) -> str:
    """Return ``code`` if it names a state or ICAO entity, else raise ``ValueError``."""
    if code == SECRETARIAT or is_state_code(code):
        return code
    raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 or ICAO 9303 state code")


def state_name(code: str) -> str:
    if code in ICAO_EXTRA_CODES:
        return ICAO_EXTRA_CODES[code]
    if code == SECRETARIAT:
        return "Organization of Turkic States (secretariat)"
    country = pycountry.countries.get(alpha_3=code)
    return country.name if country else code
