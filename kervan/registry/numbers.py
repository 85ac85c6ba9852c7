"""The shape a stay document's number must have for its kind.

Numbers are upper-case Latin letters and digits. Each kind has its own prefix letters so that a
number read aloud over the phone can be told apart: a visa number typed into a work-permit field
is a mistake the register catches.
"""

from __future__ import annotations

import re

from kervan.errors import Coded
from kervan.registry.enums import StayKind
from kervan.registry.messages import NUMBER_FORM

NUMBER_PATTERNS: dict[StayKind, re.Pattern[str]] = {
    StayKind.VISA: re.compile(r"V[A-Z]?[0-9]{7,9}"),
    StayKind.REGISTRATION: re.compile(r"R[A-Z]{0,2}[0-9]{8,10}"),
    StayKind.TEMPORARY_RESIDENCE: re.compile(r"T[A-Z]{0,2}[0-9]{7,9}"),
    StayKind.PERMANENT_RESIDENCE: re.compile(r"P[A-Z]{0,2}[0-9]{7,9}"),
    StayKind.WORK_PERMIT: re.compile(r"W[A-Z]{0,2}[0-9]{7,9}"),
}

NUMBER_EXAMPLES: dict[StayKind, str] = {
    StayKind.VISA: "VK12345678",
    StayKind.REGISTRATION: "RK2026012345",
    StayKind.TEMPORARY_RESIDENCE: "TK1234567",
    StayKind.PERMANENT_RESIDENCE: "PK1234567",
    StayKind.WORK_PERMIT: "WK12345678",
}


def normalise_number(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def number_problem(kind: StayKind, number: str) -> Coded | None:
    """Why ``number`` cannot be a ``kind`` number, or None if it can."""
    if NUMBER_PATTERNS[kind].fullmatch(number):
        return None
    return Coded(
        f"{number!r} is not a {kind.value} number: expected the form {NUMBER_EXAMPLES[kind]} "
        f"(pattern {NUMBER_PATTERNS[kind].pattern})",
        NUMBER_FORM,
        {"number": number, "example": NUMBER_EXAMPLES[kind]},
    )
