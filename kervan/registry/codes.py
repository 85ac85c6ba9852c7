"""Code lists the register validates against: states (ISO 3166-1 alpha-3 plus ICAO's own codes)
and the regions of a stay (ISO 3166-2 subdivisions)."""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry

from kervan.errors import CodedValueError
from kervan.registry.messages import REGION_CODE

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


# ----------------------------------------------------------------------------------------------
# Regions: ISO 3166-2 subdivision codes (``KZ-75`` Almaty, ``UZ-TK`` Tashkent)

_REGION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


@cache
def region_codes() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


def is_region_code(code: str) -> bool:
    """``code`` has the form of an ISO 3166-2 subdivision code and names one."""
    return _REGION.fullmatch(code) is not None and code in region_codes()


def validate_region_code(code: str) -> str:
    """Return ``code`` if it names an ISO 3166-2 subdivision, else raise ``ValueError``."""
    if is_region_code(code):
        return code
    shown = code[:12]
    raise CodedValueError(
        f"{shown!r} is not an ISO 3166-2 region code (like KZ-75 or UZ-TK)",
        REGION_CODE,
        region=shown,
    )


@cache
def _region_catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def region_name(code: str, language: str = "en") -> str:
    """A region's name in ``language`` where pycountry's ``iso3166-2`` catalog has it, else
    the name pycountry gives; a code that names no region stays as written."""
    subdivision = pycountry.subdivisions.get(code=code) if is_region_code(code) else None
    if subdivision is None:
        return code
    return _region_catalog(language).gettext(subdivision.name)
