"""Where each field sits in the five MRZ formats of ICAO Doc 9303.

=======  ========  ======================================================================
format   lines     notes
=======  ========  ======================================================================
TD3      2 x 44    passports (Part 4); composite check digit; personal number check digit
MRVA     2 x 44    visa format A (Part 7); document code starts with V; no composite
TD2      2 x 36    official travel documents (Part 6); composite check digit
MRVB     2 x 36    visa format B (Part 7); document code starts with V; no composite
TD1      3 x 30    identity cards (Part 5); number and optional data on the upper line
=======  ========  ======================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MRZFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]


@dataclass(frozen=True, slots=True)
class Layout:
    format: MRZFormat
    lines: int
    width: int
    name_width: int
    optional_width: int  # the optional data field the document number may continue into


LAYOUTS: dict[MRZFormat, Layout] = {
    "TD1": Layout("TD1", 3, 30, 30, 15),
    "TD2": Layout("TD2", 2, 36, 31, 7),
    "TD3": Layout("TD3", 2, 44, 39, 14),
    "MRVA": Layout("MRVA", 2, 44, 39, 16),
    "MRVB": Layout("MRVB", 2, 36, 31, 8),
}
# TD1 optional data on the middle line, 11 characters.
TD1_OPTIONAL_2_WIDTH = 11


@dataclass(frozen=True, slots=True)
class Zone:
    """The raw text of each field of one MRZ, whatever its format."""

    format: MRZFormat
    lines: tuple[str, ...]
    code: str
    issuing: str
    name: str
    number: str
    number_check: str
    nationality: str
    birth: str
    birth_check: str
    sex: str
    expiry: str
    expiry_check: str
    optional: str
    optional_check: str | None  # TD3 only
    optional_2: str  # TD1 only
    composite: str | None  # not on visas
    composite_data: str


def detect_format(lines: list[str]) -> tuple[MRZFormat | None, list[tuple[str, str, str]]]:
    """The format from the line count and width (V as first letter: a visa), or the problems
    as (field, expected, found)."""
    count = len(lines)
    if count == 3:
        problems = [
            (f"line{n}", "30 characters (TD1)", f"{len(line)}")
            for n, line in enumerate(lines, 1)
            if len(line) != 30
        ]
        return ("TD1" if not problems else None), problems
    if count != 2:
        found = f"{count} lines" + (f" of {len(lines[0])} characters" if count == 1 else "")
        expected = "2 lines of 44 or 36 characters, or 3 lines of 30"
        return None, [("lines", expected, found)]
    width = next((len(line) for line in lines if len(line) in (44, 36)), None)
    if width is None:
        found = f"lines of {len(lines[0])} and {len(lines[1])} characters"
        return None, [("lines", "2 lines of 44 or 36 characters", found)]
    problems = [
        (f"line{n}", f"{width} characters", f"{len(line)}")
        for n, line in enumerate(lines, 1)
        if len(line) != width
    ]
    if problems:
        return None, problems
    visa = lines[0].startswith("V")
    if width == 44:
        return ("MRVA" if visa else "TD3"), []
    return ("MRVB" if visa else "TD2"), []


def split_zone(fmt: MRZFormat, lines: tuple[str, ...]) -> Zone:
    """Cut lines already known to fit ``fmt`` into fields (positions from Parts 4-7)."""
    if fmt == "TD1":
        upper, middle, lower = lines
        return Zone(
            format=fmt,
            lines=lines,
            code=upper[0:2],
            issuing=upper[2:5],
            name=lower,
            number=upper[5:14],
            number_check=upper[14],
            nationality=middle[15:18],
            birth=middle[0:6],
            birth_check=middle[6],
            sex=middle[7],
            expiry=middle[8:14],
            expiry_check=middle[14],
            optional=upper[15:30],
            optional_check=None,
            optional_2=middle[18:29],
            composite=middle[29],
            composite_data=upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29],
        )
    upper, lower = lines
    end = LAYOUTS[fmt].width
    optional_end = 28 + LAYOUTS[fmt].optional_width
    composite = None if fmt in ("MRVA", "MRVB") else lower[end - 1]
    return Zone(
        format=fmt,
        lines=lines,
        code=upper[0:2],
        issuing=upper[2:5],
        name=upper[5:],
        number=lower[0:9],
        number_check=lower[9],
        nationality=lower[10:13],
        birth=lower[13:19],
        birth_check=lower[19],
        sex=lower[20],
        expiry=lower[21:27],
        expiry_check=lower[27],
        optional=lower[28:optional_end],
        optional_check=lower[42] if fmt == "TD3" else None,
        optional_2="",
        composite=composite,
        # TD3 and TD2: the lower line but nationality, sex and the composite digit itself.
        composite_data=lower[0:10] + lower[13:20] + lower[21 : end - 1],
    )
