"""Identity: names in many scripts and ICAO 9303 machine readable zones.

Pure functions, no database and no web: MRZ parsing and building (``mrz``, ``mrz_build``),
transliteration (``translit``) and the matching keys the register searches by (``names``).
See ``docs/names-and-mrz.md``.
"""

from kervan.identity.checkdigit import check_digit
from kervan.identity.mrz import MRZ, MRZError, parse_mrz, validate_mrz
from kervan.identity.mrz_build import MRZFields, build_mrz, compose_td1, compose_td3
from kervan.identity.mrz_dates import PartialDate
from kervan.identity.mrz_layout import MRZFormat
from kervan.identity.names import (
    fold,
    name_key,
    name_tokens,
    skeleton,
    split_patronymic,
)
from kervan.identity.translit import detect_script, to_mrz, to_mrz_field, to_national_latin

__all__ = [
    "MRZ",
    "MRZError",
    "MRZFields",
    "MRZFormat",
    "PartialDate",
    "build_mrz",
    "check_digit",
    "compose_td1",
    "compose_td3",
    "detect_script",
    "fold",
    "name_key",
    "name_tokens",
    "parse_mrz",
    "skeleton",
    "split_patronymic",
    "to_mrz",
    "to_mrz_field",
    "to_national_latin",
    "validate_mrz",
]
