"""Building MRZs: the ICAO specimens rebuilt, round trips and check-digit detection."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kervan.identity import (
    MRZFields,
    MRZFormat,
    PartialDate,
    build_mrz,
    check_digit,
    compose_td1,
    compose_td3,
    parse_mrz,
    validate_mrz,
)
from kervan.identity.checkdigit import character_value
from kervan.identity.mrz_layout import LAYOUTS

TODAY = date(2025, 6, 15)
ERIKSSON = MRZFields(
    document_number="L898902C3",
    nationality="UTO",
    birth_date=date(1974, 8, 12),
    expiry_date=date(2012, 4, 15),
    primary_identifier="Eriksson",
    secondary_identifier="Anna Maria",
    sex="F",
    optional_data="ZE184226B",
)


class TestCheckDigit:
    def test_part3_appendix_examples(self) -> None:
        assert check_digit("520727") == 3
        assert check_digit("AB2134<<<") == 5
        assert check_digit("HA672242<6" + "5802254" + "9601086<<<<<<<<<<<<<<0") == 8

    def test_refuses_other_characters(self) -> None:
        with pytest.raises(ValueError, match="not an MRZ character"):
            check_digit("ab")

    def test_blind_spot_of_the_scheme(self) -> None:
        # C (12) and M (22) differ by 10: the 7-3-1 check digits cannot see the swap.
        lines = compose_td3(ERIKSSON)
        swapped = (lines[0], lines[1].replace("L898902C3", "L898902M3"))
        assert validate_mrz(swapped, today=TODAY) == []


class TestSpecimensRebuilt:
    def test_td3(self) -> None:
        assert compose_td3(ERIKSSON) == (
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        )

    def test_td1(self) -> None:
        fields = replace(ERIKSSON, document_number="D23145890", optional_data="")
        assert compose_td1(fields) == (
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        )

    def test_td2(self) -> None:
        fields = replace(ERIKSSON, document_number="D23145890", optional_data="")
        assert build_mrz("TD2", fields) == (
            "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "D231458907UTO7408122F1204159<<<<<<<6",
        )

    def test_visas(self) -> None:
        visa = replace(
            ERIKSSON,
            document_code="V",
            document_number="L8988901C",
            nationality="XXX",
            issuing_state="UTO",
            expiry_date=date(1996, 12, 10),
            optional_data="6ZE184226B",
        )
        assert build_mrz("MRVA", visa) == (
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L8988901C4XXX7408122F96121096ZE184226B<<<<<<",
        )
        assert build_mrz("MRVB", replace(visa, optional_data="")) == (
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "L8988901C4XXX7408122F9612109<<<<<<<<",
        )


class TestRefusals:
    @pytest.mark.parametrize(
        ("fmt", "change", "message"),
        [
            ("TD3", {"document_number": "A123456789"}, "at most 9"),
            ("TD3", {"document_code": "V"}, "V is for visas"),
            ("MRVA", {"document_code": "P"}, "V is for visas"),
            ("TD3", {"document_code": "P1"}, "one or two letters"),
            ("TD3", {"nationality": "U1", "issuing_state": "UTO"}, "nationality"),
            ("TD3", {"sex": "Q"}, "sex"),
            ("TD3", {"optional_data": "A" * 15}, "longer than 14"),
            ("TD1", {"document_number": "ABCDEFGHIJK<L"}, "no filler"),
        ],
    )
    def test_fields_that_do_not_fit(self, fmt: MRZFormat, change: dict, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            build_mrz(fmt, replace(ERIKSSON, **change))

    def test_visa_numbers_keep_their_first_nine_characters(self) -> None:
        visa = replace(ERIKSSON, document_code="VX", document_number="M123889546")
        assert parse_mrz(build_mrz("MRVB", replace(visa, optional_data="")), today=TODAY)
        assert build_mrz("MRVA", visa)[1].startswith("M12388954")


# --- properties ---------------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _LETTERS + "0123456789"
_words = st.text(_LETTERS, min_size=2, max_size=12)
_names = st.lists(_words, min_size=1, max_size=3).map(" ".join)
_codes = st.sampled_from(["UTO", "UZB", "KAZ", "D", "GB", "XXA"])


@st.composite
def _birth_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY))
    known = draw(st.sampled_from(["ymd", "ym", "y", "md", ""]))
    return PartialDate(
        day.year if "y" in known else None,
        day.month if "m" in known else None,
        day.day if "d" in known else None,
    )


@st.composite
def formats_and_fields(draw: st.DrawFn) -> tuple[MRZFormat, MRZFields]:
    fmt: MRZFormat = draw(st.sampled_from(list(LAYOUTS)))
    optional_width = LAYOUTS[fmt].optional_width
    fields = MRZFields(
        document_number=draw(st.text(_ALNUM, min_size=1, max_size=9)),
        nationality=draw(_codes),
        issuing_state=draw(_codes),
        birth_date=draw(_birth_dates()),
        expiry_date=draw(st.dates(min_value=date(1976, 1, 1), max_value=date(2074, 12, 31))),
        primary_identifier=draw(_names),
        secondary_identifier=draw(st.one_of(st.just(""), _names)),
        sex=draw(st.sampled_from("FMX")),
        document_code=draw(st.sampled_from(["V", "VB"] if fmt.startswith("MRV") else ["P", "I"])),
        optional_data=draw(st.text(_ALNUM, max_size=optional_width)),
        optional_data_2=draw(st.text(_ALNUM, max_size=11)) if fmt == "TD1" else "",
    )
    return fmt, fields


@given(formats_and_fields())
def test_build_then_parse_gives_the_fields_back(case: tuple[MRZFormat, MRZFields]) -> None:
    fmt, fields = case
    lines = build_mrz(fmt, fields)
    assert [len(line) for line in lines] == [LAYOUTS[fmt].width] * LAYOUTS[fmt].lines
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz.format == fmt
    parsed = MRZFields.from_mrz(mrz)
    name_width = LAYOUTS[fmt].name_width
    written = fields.primary_identifier.replace(" ", "<")
    if fields.secondary_identifier:
        written += "<<" + fields.secondary_identifier.replace(" ", "<")
    if len(written) < name_width:
        assert not mrz.name_truncated
        assert (parsed.primary_identifier, parsed.secondary_identifier) == (
            fields.primary_identifier,
            fields.secondary_identifier,
        )
    else:
        assert mrz.name_truncated
    expected = replace(
        fields,
        sex=fields.sex,
        primary_identifier=parsed.primary_identifier,
        secondary_identifier=parsed.secondary_identifier,
    )
    assert parsed == expected


@given(
    st.text(_ALNUM, min_size=10, max_size=18),
    st.sampled_from(["TD1", "TD2"]),
)
def test_long_document_numbers_round_trip(number: str, fmt: MRZFormat) -> None:
    room = LAYOUTS[fmt].optional_width - 2
    number = number[: 9 + room]
    fields = replace(ERIKSSON, document_code="I", document_number=number, optional_data="")
    mrz = parse_mrz(build_mrz(fmt, fields), today=TODAY)
    assert mrz.document_number == number
    assert mrz.optional_data == ""


def _covered_positions(fmt: MRZFormat) -> list[tuple[int, int]]:
    """Every (line, position) inside a field covered by a check digit, or a check digit."""
    if fmt == "TD1":
        return [(0, p) for p in range(5, 30)] + [
            (1, p) for p in [*range(0, 7), *range(8, 15), *range(18, 30)]
        ]
    spans = [*range(0, 10), *range(13, 20), *range(21, 28)]
    if fmt in ("TD3", "TD2"):
        spans += list(range(28, LAYOUTS[fmt].width))
    return [(1, p) for p in spans]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(formats_and_fields(), st.data())
def test_single_character_changes_are_detected(
    case: tuple[MRZFormat, MRZFields], data: st.DataObject
) -> None:
    fmt, fields = case
    lines = build_mrz(fmt, fields)
    index, position = data.draw(st.sampled_from(_covered_positions(fmt)))
    old = lines[index][position]
    # The 7-3-1 scheme cannot see a change by a multiple of 10 (0/A/K/U/<): leave those out.
    new = data.draw(
        st.sampled_from(_ALNUM + "<").filter(
            lambda c: character_value(c) % 10 != character_value(old) % 10
        )
    )
    line = lines[index]
    changed = (*lines[:index], line[:position] + new + line[position + 1 :], *lines[index + 1 :])
    assert validate_mrz(changed, today=TODAY) != []
