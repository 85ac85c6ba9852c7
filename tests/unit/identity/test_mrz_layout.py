"""kervan/identity/mrz_layout.py: the format from the lines' count and width, with what was
expected when it fits none; and each field cut where Doc 9303 puts it — checked on the ICAO
specimens by their own check digits, which only hold if every position is right."""

from __future__ import annotations

import pytest

from kervan.identity.checkdigit import check_digit
from kervan.identity.mrz_layout import LAYOUTS, detect_format, split_zone

# The specimens of ICAO Doc 9303 (Parts 4, 5, 6 and 7).
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
MRVA = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
)
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<")


@pytest.mark.parametrize(
    ("lines", "fmt"), [(TD3, "TD3"), (TD2, "TD2"), (TD1, "TD1"), (MRVA, "MRVA"), (MRVB, "MRVB")]
)
def test_the_format_follows_the_lines_and_a_leading_v(lines: tuple[str, ...], fmt: str) -> None:
    assert detect_format(list(lines)) == (fmt, [])
    assert all(len(line) == LAYOUTS[fmt].width for line in lines)  # type: ignore[index]


@pytest.mark.parametrize("lines", [TD3, TD2, TD1, MRVA, MRVB])
def test_every_check_digit_holds_on_the_specimens(lines: tuple[str, ...]) -> None:
    fmt, _ = detect_format(list(lines))
    assert fmt is not None
    zone = split_zone(fmt, lines)
    for data, digit in [
        (zone.number, zone.number_check),
        (zone.birth, zone.birth_check),
        (zone.expiry, zone.expiry_check),
    ]:
        assert str(check_digit(data)) == digit
    if zone.composite is not None:
        assert str(check_digit(zone.composite_data)) == zone.composite
    assert zone.sex == "F"
    assert zone.name.startswith("ERIKSSON<<ANNA<MARIA")


def test_the_fields_of_a_passport() -> None:
    zone = split_zone("TD3", TD3)
    assert (zone.code, zone.issuing, zone.number, zone.nationality) == (
        "P<",
        "UTO",
        "L898902C3",
        "UTO",
    )
    assert (zone.optional, zone.optional_check, zone.optional_2) == ("ZE184226B<<<<<", "1", "")


def test_the_fields_of_an_identity_card() -> None:
    zone = split_zone("TD1", TD1)
    assert (zone.number, zone.nationality, zone.optional_check) == ("D23145890", "UTO", None)
    assert (zone.number_check, zone.optional, zone.optional_2) == ("7", "<" * 15, "<" * 11)


@pytest.mark.parametrize(
    ("lines", "field", "found"),
    [
        ([], "lines", "0 lines"),
        (["P<UTO"], "lines", "1 lines of 5 characters"),
        (["A" * 30, "A" * 30, "A" * 29], "line3", "29"),
        (["A" * 40, "A" * 40], "lines", "lines of 40 and 40 characters"),
        (["A" * 44, "A" * 36], "line2", "36"),
    ],
)
def test_lines_that_fit_no_format_say_what_was_expected(
    lines: list[str], field: str, found: str
) -> None:
    fmt, problems = detect_format(lines)
    assert fmt is None and (field, found) == (problems[0][0], problems[0][2])
