"""Parse and check ICAO 9303 machine readable zones: TD1, TD2, TD3 and the MRV-A and MRV-B
visas (Doc 9303 Parts 4 to 7; check digits Part 3, 4.9).

``parse_mrz`` returns an ``MRZ`` or raises the first ``MRZError``; ``validate_mrz`` returns every
problem found. Input may be lower case and padded with whitespace; lengths must be exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from kervan.identity.checkdigit import MRZ_CHARACTERS, check_digit
from kervan.identity.mrz_dates import DateKind, PartialDate, read_mrz_date
from kervan.identity.mrz_layout import LAYOUTS, MRZFormat, Zone, detect_format, split_zone

Sex = Literal["F", "M", "X"]
ErrorKind = Literal["structure", "character", "check_digit", "value"]
_SEXES: dict[str, Sex] = {"F": "F", "M": "M", "<": "X", "X": "X"}
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class MRZError(ValueError):
    """One problem in an MRZ: which field, what was expected and what was found."""

    def __init__(self, field: str, expected: str, found: str, kind: ErrorKind = "value") -> None:
        self.field = field
        self.expected = expected
        self.found = found
        self.kind = kind
        label = f"{field} check digit" if kind == "check_digit" else field
        super().__init__(f"{label}: expected {expected}, found {found}")

    @property
    def code(self) -> str:
        """The stable code of this problem (``kervan.identity.messages``)."""
        from kervan.identity import messages

        if self.kind == "check_digit":
            return messages.CHECK_DIGIT
        if self.kind == "character":
            return messages.CHARACTERS
        if self.kind == "structure":
            return messages.SHAPE if self.field == "lines" else messages.LINE_WIDTH
        return messages.VALUE

    @property
    def params(self) -> dict[str, Any]:
        from kervan.identity import messages

        if self.kind == "character":
            quoted = re.findall(r"'[^']*'|\"[^\"]*\"", self.found)
            return {"line": self.field.removeprefix("line"), "characters": ", ".join(quoted)}
        if self.kind == "structure":
            if self.field == "lines":
                return {"lines": self.found.split(" ", 1)[0]}
            line = self.field.removeprefix("line")
            return {"line": line, "found": self.found, "expected": self.expected.split(" ")[0]}
        return {
            "field": messages.field_label(self.field),
            "expected": self.expected,
            "found": self.found,
        }

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "kind": self.kind,
            "expected": self.expected,
            "found": self.found,
            "message": str(self),
        }

    def __repr__(self) -> str:
        return f"MRZError({self.field!r}, {self.expected!r}, {self.found!r}, {self.kind!r})"


@dataclass(frozen=True, slots=True)
class MRZ:
    """The fields of a valid MRZ. Trailing fillers are removed; ``<`` inside a document number
    or optional data (where the VIZ has a space or punctuation) is kept."""

    format: MRZFormat
    document_code: str
    issuing_state: str
    primary_identifier: str  # name components separated by single spaces
    secondary_identifier: str
    name_truncated: bool  # the name field is full: Doc 9303 says assume it was truncated
    document_number: str  # a TD1/TD2 long number includes its continuation
    nationality: str
    birth_date: PartialDate
    sex: Sex  # "X" where the MRZ has "<" (unspecified)
    expiry_date: date
    optional_data: str  # TD3 personal number; TD1 upper line; TD2 and visas lower line
    optional_data_2: str  # TD1 middle line only, else ""
    lines: tuple[str, ...]

    @property
    def is_visa(self) -> bool:
        return self.format in ("MRVA", "MRVB")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ``YYYY-MM-DD`` (``XX`` for an unknown part of the birth date)."""
        return {
            "format": self.format,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "primary_identifier": self.primary_identifier,
            "secondary_identifier": self.secondary_identifier,
            "name_truncated": self.name_truncated,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat(),
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "lines": list(self.lines),
        }


def parse_mrz(lines: Sequence[str] | str, *, today: date | None = None) -> MRZ:
    """Parse an MRZ given as its lines (or one string with line breaks); raise ``MRZError``
    for the first problem. ``today`` fixes the century of two-digit years (see mrz_dates)."""
    mrz, errors = _inspect(lines, today or date.today())
    if mrz is None:
        raise errors[0]
    return mrz


def validate_mrz(lines: Sequence[str] | str, *, today: date | None = None) -> list[MRZError]:
    """Every problem in an MRZ, in line order; an empty list means it is valid. Structural
    problems (line count, lengths, characters) are reported alone: fields cannot be located."""
    return _inspect(lines, today or date.today())[1]


def normalise_lines(lines: Sequence[str] | str) -> list[str]:
    """Split into lines, trim whitespace, drop blank lines, upper-case ASCII letters. A single
    line of 90, 72 or 88 characters is one whole MRZ (TD1, TD2/MRV-B, TD3/MRV-A) and is split."""
    items = [lines] if isinstance(lines, str) else list(lines)
    clean = [line.strip().translate(_ASCII_UPPER) for item in items for line in item.splitlines()]
    clean = [line for line in clean if line]
    if len(clean) == 1:
        for layout in LAYOUTS.values():
            whole = layout.width * layout.lines
            if len(clean[0]) == whole:
                text = clean[0]
                return [text[i : i + layout.width] for i in range(0, whole, layout.width)]
    return clean


def _inspect(lines: Sequence[str] | str, today: date) -> tuple[MRZ | None, list[MRZError]]:
    clean = normalise_lines(lines)
    fmt, problems = detect_format(clean)
    errors = [MRZError(field, expected, found, "structure") for field, expected, found in problems]
    if fmt is None or errors:
        return None, errors
    errors = _character_errors(clean)
    if errors:
        return None, errors
    reader = _Reader(split_zone(fmt, tuple(clean)), today)
    mrz = reader.read()
    return (mrz if not reader.errors else None), reader.errors


def _character_errors(lines: list[str]) -> list[MRZError]:
    errors = []
    for number, line in enumerate(lines, start=1):
        bad = [f"{c!r} at position {i}" for i, c in enumerate(line, 1) if c not in MRZ_CHARACTERS]
        if bad:
            found = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
            errors.append(MRZError(f"line{number}", "only A-Z, 0-9 and <", found, "character"))
    return errors


class _Reader:
    """Reads the fields of a zone whose lines have the right shape, collecting problems."""

    def __init__(self, zone: Zone, today: date) -> None:
        self.zone = zone
        self.today = today
        self.errors: list[MRZError] = []

    def fail(self, field: str, expected: str, found: str, kind: ErrorKind = "value") -> None:
        self.errors.append(MRZError(field, expected, found, kind))

    def check(self, field: str, data: str, found: str) -> None:
        expected = str(check_digit(data))
        if found != expected:
            self.fail(field, expected, found, "check_digit")

    def read(self) -> MRZ | None:
        z = self.zone
        self.pattern("document_code", z.code, r"[A-Z][A-Z<]", "a letter, then a letter or <")
        self.pattern("issuing_state", z.issuing, r"[A-Z]+<*", "a three-letter code")
        primary, secondary = self.name()
        number, optional = self.document_number()
        self.pattern("nationality", z.nationality, r"[A-Z]+<*", "a three-letter code")
        birth = self.date("birth_date", z.birth, z.birth_check, "birth")
        sex = _SEXES.get(z.sex)
        if sex is None:
            self.fail("sex", "F, M or <", z.sex)
        expiry = self.date("expiry_date", z.expiry, z.expiry_check, "expiry")
        self.optional_check()
        if z.composite is not None:
            self.check("composite", z.composite_data, z.composite)
        if self.errors or birth is None or sex is None or expiry is None:
            return None
        expiry_date = expiry.as_date()
        if expiry_date is None:
            return None
        return MRZ(
            format=z.format,
            document_code=z.code.rstrip("<"),
            issuing_state=z.issuing.rstrip("<"),
            primary_identifier=primary,
            secondary_identifier=secondary,
            name_truncated=not z.name.endswith("<"),
            document_number=number,
            nationality=z.nationality.rstrip("<"),
            birth_date=birth,
            sex=sex,
            expiry_date=expiry_date,
            optional_data=optional.rstrip("<"),
            optional_data_2=z.optional_2.rstrip("<"),
            lines=z.lines,
        )

    def pattern(self, field: str, text: str, regex: str, expected: str) -> None:
        if re.fullmatch(regex, text) is None:
            self.fail(field, expected, text)

    def name(self) -> tuple[str, str]:
        name = self.zone.name
        bad = next((i for i, c in enumerate(name, 1) if not ("A" <= c <= "Z" or c == "<")), None)
        if bad is not None:
            self.fail("name", "only A-Z and <", f"{name[bad - 1]!r} at name position {bad}")
        primary, _, secondary = name.rstrip("<").partition("<<")
        return _spaced(primary), _spaced(secondary)

    def document_number(self) -> tuple[str, str]:
        """The number and what remains of the optional data field it may continue into."""
        z = self.zone
        if z.number_check == "<" and z.format in ("TD1", "TD2"):
            return self.long_document_number()
        self.check("document_number", z.number, z.number_check)
        return z.number.rstrip("<"), z.optional

    def long_document_number(self) -> tuple[str, str]:
        # Parts 5 and 6, note j: a number over 9 characters shows 9 of them, then < instead of
        # the check digit; the rest opens the optional data, followed by the check digit and <.
        z = self.zone
        end = z.optional.find("<")
        if end < 2:
            expected = "a long document number's continuation, check digit and < in optional data"
            self.fail("document_number", expected, z.optional or "nothing")
            return z.number.rstrip("<"), z.optional
        number = z.number + z.optional[: end - 1]
        self.check("document_number", number, z.optional[end - 1])
        return number, z.optional[end + 1 :]

    def date(self, field: str, text: str, check: str, kind: DateKind) -> PartialDate | None:
        self.check(field, text, check)
        try:
            value = read_mrz_date(text, kind, self.today)
        except ValueError as exc:
            self.fail(field, f"a date YYMMDD ({exc})", text)
            return None
        # Only a date of birth may be partly unknown (Doc 9303 Part 3, 4.8).
        if kind == "expiry" and not value.is_complete:
            self.fail(field, "a complete date YYMMDD", text)
            return None
        return value

    def optional_check(self) -> None:
        z = self.zone
        if z.optional_check is None:
            return
        # Part 4: an unused TD3 personal number field may have 0 or < as its check digit.
        if not z.optional.strip("<"):
            if z.optional_check not in ("0", "<"):
                self.fail("optional_data", "0 or <", z.optional_check, "check_digit")
            return
        self.check("optional_data", z.optional, z.optional_check)


def _spaced(identifier: str) -> str:
    return " ".join(part for part in identifier.split("<") if part)
