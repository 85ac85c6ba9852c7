"""The ICAO 9303 check digit (Part 3, section 4.9)."""

from __future__ import annotations

WEIGHTS = (7, 3, 1)
MRZ_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


def character_value(char: str) -> int:
    """The value ICAO gives an MRZ character: digits their value, A=10 ... Z=35, ``<`` = 0."""
    if char == "<":
        return 0
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"{char!r} is not an MRZ character (A-Z, 0-9 or <)")


def check_digit(data: str) -> int:
    """The check digit of ``data``: values weighted 7, 3, 1, 7, 3, 1 ... summed, modulo 10.

    Note the blind spot of this scheme: characters whose values differ by a multiple of 10
    (``0``, ``A``, ``K``, ``U`` and ``<``; ``1``, ``B``, ``L``, ``V``; ...) give the same digit,
    so swapping one for another is not detected.
    """
    return sum(character_value(c) * WEIGHTS[i % 3] for i, c in enumerate(data)) % 10
