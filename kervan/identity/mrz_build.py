"""Build valid MRZ lines from fields (for test data, demos and printing)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kervan.identity.checkdigit import check_digit
from kervan.identity.mrz import MRZ
from kervan.identity.mrz_dates import PartialDate, write_mrz_date
from kervan.identity.mrz_layout import LAYOUTS, TD1_OPTIONAL_2_WIDTH, MRZFormat, split_zone
from kervan.identity.translit import to_mrz_field

_DEFAULT_CODES: dict[MRZFormat, str] = {
    "TD1": "I",
    "TD2": "I",
    "TD3": "P",
    "MRVA": "V",
    "MRVB": "V",
}
_SEX_CODES = {"F": "F", "M": "M", "X": "<", "<": "<"}


@dataclass(frozen=True, slots=True)
class MRZFields:
    """What goes into an MRZ. Names may be in any script: they are transliterated."""

    document_number: str
    nationality: str
    birth_date: date | PartialDate
    expiry_date: date
    primary_identifier: str
    secondary_identifier: str = ""
    issuing_state: str | None = None  # None: the nationality
    sex: str = "X"  # F, M, or X / < for unspecified
    document_code: str | None = None  # None: P for TD3, I for TD1/TD2, V for visas
    optional_data: str = ""
    optional_data_2: str = ""  # TD1 middle line only

    @classmethod
    def from_mrz(cls, mrz: MRZ) -> MRZFields:
        return cls(
            document_number=mrz.document_number,
            nationality=mrz.nationality,
            birth_date=mrz.birth_date,
            expiry_date=mrz.expiry_date,
            primary_identifier=mrz.primary_identifier,
            secondary_identifier=mrz.secondary_identifier,
            issuing_state=mrz.issuing_state,
            sex=mrz.sex,
            document_code=mrz.document_code,
            optional_data=mrz.optional_data,
            optional_data_2=mrz.optional_data_2,
        )


def build_mrz(
    fmt: MRZFormat, fields: MRZFields, *, empty_optional_check: Literal["<", "0"] = "<"
) -> tuple[str, ...]:
    """The MRZ lines for ``fields`` in format ``fmt``, every check digit computed.

    Raises ValueError when a field does not fit. A document number over 9 characters continues
    in the optional data on TD1 and TD2 (Parts 5 and 6, note j), is cut to 9 on visas (Part 7,
    note j) and is refused on TD3. ``empty_optional_check`` is the TD3 personal number check
    digit written when that field is empty (Part 4 allows 0 or <).
    """
    layout = LAYOUTS[fmt]
    code = _document_code(fmt, fields.document_code)
    issuing = _code3("issuing_state", fields.issuing_state or fields.nationality)
    name = to_mrz_field(fields.primary_identifier, fields.secondary_identifier, layout.name_width)
    number, number_check, optional = _number(fmt, fields)
    dates_and_sex = _dated(fields.birth_date) + _sex(fields.sex) + _dated(fields.expiry_date)
    nationality = _code3("nationality", fields.nationality)
    if fmt == "TD1":
        upper = code + issuing + number + number_check + optional
        middle = dates_and_sex + nationality
        middle += _field("optional_data_2", fields.optional_data_2, TD1_OPTIONAL_2_WIDTH) + "<"
        lines: tuple[str, ...] = (upper, middle, name)
    else:
        lower = number + number_check + nationality + dates_and_sex + optional
        if fmt == "TD3":
            filled = optional.strip("<")
            lower += str(check_digit(optional)) if filled else empty_optional_check
        if fmt in ("TD3", "TD2"):
            lower += "<"  # the composite check digit, computed below
        lines = (code + issuing + name, lower)
    return _with_composite(fmt, lines)


def compose_td3(fields: MRZFields) -> tuple[str, str]:
    """A passport MRZ (2 x 44)."""
    upper, lower = build_mrz("TD3", fields)
    return upper, lower


def compose_td1(fields: MRZFields) -> tuple[str, str, str]:
    """An identity card MRZ (3 x 30)."""
    upper, middle, lower = build_mrz("TD1", fields)
    return upper, middle, lower


def _with_composite(fmt: MRZFormat, lines: tuple[str, ...]) -> tuple[str, ...]:
    zone = split_zone(fmt, lines)
    if zone.composite is None:
        return lines
    # The composite digit ends the second line: the lower one of TD2/TD3, the middle of TD1.
    second = lines[1][:-1] + str(check_digit(zone.composite_data))
    return (lines[0], second, *lines[2:])


def _document_code(fmt: MRZFormat, code: str | None) -> str:
    code = (code or _DEFAULT_CODES[fmt]).upper()
    if re.fullmatch(r"[A-Z][A-Z<]?", code) is None:
        raise ValueError(f"document_code {code!r}: one or two letters")
    # The parser tells a visa from a TD2/TD3 by the V: the code must agree with the format.
    if (fmt in ("MRVA", "MRVB")) != code.startswith("V"):
        raise ValueError(f"document_code {code!r} does not suit {fmt} (V is for visas only)")
    return code.ljust(2, "<")


def _code3(label: str, value: str) -> str:
    if re.fullmatch(r"[A-Z]{1,3}", value.upper()) is None:
        raise ValueError(f"{label} {value!r}: a code of one to three letters")
    return value.upper().ljust(3, "<")


def _field(label: str, value: str, width: int) -> str:
    text = re.sub(r"[^A-Z0-9<]", "<", value.upper())
    if len(text) > width:
        raise ValueError(f"{label} {value!r} is longer than {width} characters")
    return text.ljust(width, "<")


def _number(fmt: MRZFormat, fields: MRZFields) -> tuple[str, str, str]:
    """The 9-character number field, its check digit and the optional data field after it."""
    layout = LAYOUTS[fmt]
    number = re.sub(r"[^A-Z0-9<]", "<", fields.document_number.upper()).rstrip("<")
    optional = fields.optional_data
    if len(number) <= 9 or fmt in ("MRVA", "MRVB"):
        field = number[:9].ljust(9, "<")
        check = str(check_digit(field))
    elif fmt in ("TD1", "TD2"):
        if "<" in number[9:]:
            raise ValueError(f"document_number {number!r}: no filler after the 9th character")
        field, check = number[:9], "<"
        optional = number[9:] + str(check_digit(number)) + "<" + optional
    else:
        raise ValueError(f"document_number {number!r}: a TD3 number has at most 9 characters")
    return field, check, _field("optional_data", optional, layout.optional_width)


def _dated(value: date | PartialDate) -> str:
    text = write_mrz_date(value)
    return text + str(check_digit(text))


def _sex(sex: str) -> str:
    code = _SEX_CODES.get(sex.upper())
    if code is None:
        raise ValueError(f"sex {sex!r}: F, M or X")
    return code
