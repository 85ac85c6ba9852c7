"""The specimen MRZs of ICAO Doc 9303 Parts 3-7, copied from the text, parsed and mutated."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kervan.identity import MRZError, PartialDate, parse_mrz, validate_mrz

TODAY = date(2025, 6, 15)

TD3_ERIKSSON = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
# Part 4, Figure A-2, with one filler removed from each line: as printed both lines have 45
# characters (an erratum of the text), which the parser must refuse (see below).
TD3_IVANOVA = (
    "P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F2504155184226<<<<<<<<18",
)
TD3_IVANOVA_AS_PRINTED = (
    "P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F2504155184226<<<<<<<<<18",
)
TD1_ERIKSSON = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2_ERIKSSON = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
MRVA_ERIKSSON = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX7408122F96121096ZE184226B<<<<<<",
)
MRVB_ERIKSSON = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "L8988901C4XXX7408122F9612109<<<<<<<<",
)
# Part 3, Appendix A, examples 3-5 (composite check digits): the lower lines as printed, with an
# upper line from the specimens above.
TD3_APPENDIX = (TD3_ERIKSSON[0], "HA672242<6YTO5802254M9601086<<<<<<<<<<<<<<08")
TD1_APPENDIX = (
    "I<YTOD231458907<<<<<<<<<<<<<<<",
    "3407127M9507122YTO<<<<<<<<<<<2",
    TD1_ERIKSSON[2],
)
TD2_APPENDIX = (TD2_ERIKSSON[0], "HA672242<6YTO5802254M9601086<<<<<<<8")

SPECIMENS = {
    "TD3 Part 4 A-1": (TD3_ERIKSSON, "TD3"),
    "TD3 Part 4 A-2": (TD3_IVANOVA, "TD3"),
    "TD1 Part 5 A-2": (TD1_ERIKSSON, "TD1"),
    "TD2 Part 6 A": (TD2_ERIKSSON, "TD2"),
    "MRV-A Part 7 A-1": (MRVA_ERIKSSON, "MRVA"),
    "MRV-B Part 7 A-3": (MRVB_ERIKSSON, "MRVB"),
    "TD3 Part 3 App A ex 3": (TD3_APPENDIX, "TD3"),
    "TD1 Part 3 App A ex 4": (TD1_APPENDIX, "TD1"),
    "TD2 Part 3 App A ex 5": (TD2_APPENDIX, "TD2"),
}

# (line index, position) of every check digit, by format; the composite last.
CHECK_DIGITS = {
    "TD3": {
        "document_number": (1, 9),
        "birth_date": (1, 19),
        "expiry_date": (1, 27),
        "optional_data": (1, 42),
        "composite": (1, 43),
    },
    "TD2": {
        "document_number": (1, 9),
        "birth_date": (1, 19),
        "expiry_date": (1, 27),
        "composite": (1, 35),
    },
    "TD1": {
        "document_number": (0, 14),
        "birth_date": (1, 6),
        "expiry_date": (1, 14),
        "composite": (1, 29),
    },
    "MRVA": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)},
    "MRVB": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)},
}


@pytest.mark.parametrize("name", SPECIMENS)
def test_specimen_is_valid(name: str) -> None:
    lines, fmt = SPECIMENS[name]
    assert validate_mrz(lines, today=TODAY) == []
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz.format == fmt
    assert mrz.lines == lines


def test_td3_specimen_fields() -> None:
    mrz = parse_mrz(TD3_ERIKSSON, today=TODAY)
    assert mrz.to_dict() == {
        "format": "TD3",
        "document_code": "P",
        "issuing_state": "UTO",
        "primary_identifier": "ERIKSSON",
        "secondary_identifier": "ANNA MARIA",
        "name_truncated": False,
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
        "optional_data_2": "",
        "lines": list(TD3_ERIKSSON),
    }
    assert json.loads(json.dumps(mrz.to_dict())) == mrz.to_dict()
    assert not mrz.is_visa


def test_td1_specimen_fields() -> None:
    mrz = parse_mrz(TD1_ERIKSSON, today=TODAY)
    assert (mrz.document_code, mrz.document_number, mrz.nationality) == ("I", "D23145890", "UTO")
    assert (mrz.primary_identifier, mrz.secondary_identifier) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.birth_date == PartialDate(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)


def test_visa_specimens_are_told_apart_by_the_v() -> None:
    mrva = parse_mrz(MRVA_ERIKSSON, today=TODAY)
    mrvb = parse_mrz(MRVB_ERIKSSON, today=TODAY)
    assert (mrva.format, mrvb.format) == ("MRVA", "MRVB")
    assert mrva.is_visa and mrvb.is_visa
    assert mrva.nationality == "XXX"
    assert mrva.document_number == "L8988901C"
    assert mrva.expiry_date == date(1996, 12, 10)
    assert mrva.optional_data == "6ZE184226B"
    assert mrvb.optional_data == ""


def test_appendix_dates_take_the_right_century() -> None:
    mrz = parse_mrz(TD1_APPENDIX, today=TODAY)
    assert mrz.birth_date == PartialDate(1934, 7, 12)
    assert mrz.expiry_date == date(1995, 7, 12)
    assert mrz.sex == "M"


@pytest.mark.parametrize(
    "lines",
    [
        TD3_IVANOVA_AS_PRINTED,
        # Part 7, 4.2.3 a) and d): MRV-A name lines printed with 45 and 36 characters.
        ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<", MRVA_ERIKSSON[1]),
        ("V<UTOOCONNOR<<ENYA<SIOBHAN<<<<<<<<<<", MRVA_ERIKSSON[1]),
    ],
)
def test_specimens_printed_with_a_wrong_length_are_refused(lines: tuple[str, str]) -> None:
    with pytest.raises(MRZError) as caught:
        parse_mrz(lines, today=TODAY)
    assert caught.value.kind == "structure"


def _replace(lines: tuple[str, ...], index: int, position: int, char: str) -> tuple[str, ...]:
    line = lines[index]
    changed = line[:position] + char + line[position + 1 :]
    return (*lines[:index], changed, *lines[index + 1 :])


MUTATIONS = [
    (name, field) for name, (_lines, fmt) in SPECIMENS.items() for field in CHECK_DIGITS[fmt]
]


@pytest.mark.parametrize(("name", "field"), MUTATIONS)
def test_every_wrong_check_digit_is_reported(name: str, field: str) -> None:
    lines, fmt = SPECIMENS[name]
    index, position = CHECK_DIGITS[fmt][field]
    right = lines[index][position]
    wrong = "0" if right == "<" else str((int(right) + 1) % 10)
    mutated = _replace(lines, index, position, wrong)

    with pytest.raises(MRZError) as caught:
        parse_mrz(mutated, today=TODAY)
    error = caught.value
    empty_optional = fmt == "TD3" and not lines[1][28:42].strip("<")
    expected_digit = "0 or <" if (field == "optional_data" and empty_optional) else right
    assert (error.field, error.kind, error.expected, error.found) == (
        field,
        "check_digit",
        expected_digit,
        wrong,
    )
    assert str(error) == f"{field} check digit: expected {expected_digit}, found {wrong}"

    # The composite covers the other check digits: it fails too, and is reported last.
    errors = validate_mrz(mutated, today=TODAY)
    fields = [e.field for e in errors]
    has_composite = "composite" in CHECK_DIGITS[fmt]
    if field == "composite" or not has_composite:
        assert fields == [field]
    else:
        assert fields == [field, "composite"]


def test_message_names_field_expected_and_found() -> None:
    mutated = _replace(TD3_ERIKSSON, 1, 9, "4")
    with pytest.raises(MRZError, match=r"^document_number check digit: expected 6, found 4$"):
        parse_mrz(mutated, today=TODAY)
    assert isinstance(MRZError("x", "1", "2"), ValueError)
