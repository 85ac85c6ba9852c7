"""Document numbers for synthetic data: unique by construction and random-looking.

Each number space (a stay document kind at the host, a travel document type of an issuing
state) hands out the counter values 0, 1, 2, … through a keyed permutation of the space
(xorshift-multiply rounds on the next power of two, cycle-walked back into the space), so no two
documents ever share a number, however many are generated, without keeping a set of the numbers
already used, and consecutive documents get unrelated numbers.

Stay documents (``L`` is the host's letter, e.g. K for KAZ; they match
``kervan.registry.numbers``):

- visa ``VL`` + 8 digits (``VK04718263``)
- registration ``RL`` + two-digit year of issue + 8 digits (``RK2500123456``)
- temporary residence permit ``TL`` + 7 digits, permanent ``PL`` + 7 digits (card numbers that
  fit the 9-character MRZ document number field)
- work permit ``WL`` + 8 digits

Travel documents: a series prefix and digits in the layout the issuing state uses (see
``PASSPORT_FORMATS``), 9 characters for passports.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

from kervan.registry.enums import StayKind, TravelDocumentType

# Odd multipliers (from SplitMix64): multiplying by an odd number is a bijection modulo 2**k.
_MULTIPLIERS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """Numbers made of one of ``series`` followed by ``digits`` digits."""

    series: tuple[str, ...]
    digits: int

    @property
    def size(self) -> int:
        return len(self.series) * 10**self.digits

    def render(self, value: int) -> str:
        block, rest = divmod(value, 10**self.digits)
        return f"{self.series[block]}{rest:0{self.digits}d}"


PASSPORT_FORMATS: dict[str, NumberFormat] = {
    "UZB": NumberFormat(("AA", "AB", "AC", "AD", "FA"), 7),
    "KAZ": NumberFormat(("N",), 8),
    "KGZ": NumberFormat(("AC", "PE"), 7),
    "TJK": NumberFormat(("4",), 8),
    "AZE": NumberFormat(("C",), 8),
    "TUR": NumberFormat(("U",), 8),
    "HUN": NumberFormat(("BA", "BE", "BK"), 7),
    "RUS": NumberFormat(("75", "76", "77"), 7),
    "UKR": NumberFormat(("FA", "FB", "FC", "FE", "FF", "FH"), 6),
    "TKM": NumberFormat(("A",), 7),
    "AFG": NumberFormat(("P",), 8),
    "PAK": NumberFormat(("AB", "AC", "AD", "BN", "CV"), 7),
    "IND": NumberFormat(("K", "L", "M", "N", "P", "R", "S", "T", "U", "V", "W", "Z"), 7),
    "CHN": NumberFormat(("EA", "EB", "EC", "ED", "EE", "EG", "EH"), 7),
    "IRN": NumberFormat(("K", "L", "Y"), 8),
    "SYR": NumberFormat(("N",), 8),
    "VNM": NumberFormat(("B", "C", "N"), 7),
}
IDENTITY_CARD_FORMATS: dict[str, NumberFormat] = {
    "KAZ": NumberFormat(("0",), 8),
    "KGZ": NumberFormat(("ID",), 7),
    # The Russian internal passport: four digits of region and year, six of number.
    "RUS": NumberFormat(("4510", "4511", "4515", "4605", "5010", "6012"), 6),
}
_FALLBACK_FORMAT = NumberFormat(("X",), 8)


class NumberSpaceExhausted(RuntimeError):
    """More documents asked for than a number format can tell apart."""


@dataclass(slots=True)
class _Space:
    size: int
    key: int
    used: int = 0

    def _permute(self, value: int) -> int:
        bits = max(self.size - 1, 1).bit_length()
        mask = (1 << bits) - 1
        shift = max(bits // 2, 1)
        value = (value + self.key) & mask
        for multiplier in _MULTIPLIERS:  # each step is a bijection on ``bits``-bit integers
            value ^= value >> shift
            value = (value * multiplier) & mask
        return value ^ (value >> shift)

    def take(self) -> int:
        if self.used >= self.size:
            raise NumberSpaceExhausted(f"all {self.size} numbers of a format are used")
        value = self._permute(self.used)
        while value >= self.size:  # cycle-walk: stays a bijection of [0, size)
            value = self._permute(value)
        self.used += 1
        return value


@dataclass(slots=True)
class DocumentNumbers:
    """Hands out unique numbers; ``salt`` (from the seed) varies them between data sets."""

    host_letter: str
    salt: int
    _spaces: dict[tuple[str, str], _Space] = field(default_factory=dict)

    def _take(self, key: tuple[str, str], size: int) -> int:
        space = self._spaces.get(key)
        if space is None:
            # crc32, not hash(): str hashes change from one process to the next.
            space_key = zlib.crc32("/".join(key).encode(), self.salt)
            space = self._spaces[key] = _Space(size, space_key)
        return space.take()

    def stay(self, kind: StayKind, issued: dt.date) -> str:
        letter = self.host_letter
        if kind is StayKind.VISA:
            return f"V{letter}{self._take(('stay', kind), 10**8):08d}"
        if kind is StayKind.REGISTRATION:
            serial = self._take(("stay", kind), 10**8)
            return f"R{letter}{issued.year % 100:02d}{serial:08d}"
        if kind is StayKind.WORK_PERMIT:
            return f"W{letter}{self._take(('stay', kind), 10**8):08d}"
        prefix = "T" if kind is StayKind.TEMPORARY_RESIDENCE else "P"
        return f"{prefix}{letter}{self._take(('stay', kind), 10**7):07d}"

    def travel(self, document_type: TravelDocumentType, issuing_state: str) -> str:
        formats = (
            IDENTITY_CARD_FORMATS
            if document_type is TravelDocumentType.IDENTITY_CARD
            else PASSPORT_FORMATS
        )
        number_format = formats.get(issuing_state, _FALLBACK_FORMAT)
        value = self._take((document_type, issuing_state), number_format.size)
        return number_format.render(value)
