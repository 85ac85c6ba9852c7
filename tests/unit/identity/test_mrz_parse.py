"""Parser behaviour beyond the specimens: input forms, structure, dates, fillers, long numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kervan.identity import MRZError, MRZFields, PartialDate, build_mrz, parse_mrz, validate_mrz
from kervan.identity.checkdigit import check_digit

TODAY = date(2025, 6, 15)
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def _lower_td3(birth: str = "740812", sex: str = "F", expiry: str = "120415") -> tuple[str, str]:
    """The specimen with other dates or sex, check digits recomputed."""
    lower = f"L898902C36UTO{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}"
    lower += "ZE184226B<<<<<1"
    lower += str(check_digit(lower[0:10] + lower[13:20] + lower[21:43]))
    return TD3[0], lower


def _errors(lines: object) -> list[tuple[str, str, str, str]]:
    found = validate_mrz(lines, today=TODAY)  # type: ignore[arg-type]
    return [(e.field, e.kind, e.expected, e.found) for e in found]


class TestInputForms:
    def test_lower_case_and_surrounding_whitespace(self) -> None:
        lines = ["  " + TD3[0].lower() + "\t", "\n" + TD3[1].lower() + "  "]
        assert parse_mrz(lines, today=TODAY).lines == TD3

    def test_one_string_with_line_breaks(self) -> None:
        assert parse_mrz("\r\n".join(TD3) + "\n\n", today=TODAY).lines == TD3

    def test_one_concatenated_line_of_a_known_total_length(self) -> None:
        assert parse_mrz("".join(TD3), today=TODAY).lines == TD3

    def test_an_argument_holding_two_lines(self) -> None:
        assert parse_mrz(["\n".join(TD3)], today=TODAY).lines == TD3


class TestStructure:
    def test_a_short_line(self) -> None:
        assert _errors([TD3[0], TD3[1][:-1]]) == [("line2", "structure", "44 characters", "43")]
        with pytest.raises(MRZError, match=r"^line2: expected 44 characters, found 43$"):
            parse_mrz([TD3[0], TD3[1][:-1]], today=TODAY)

    def test_unknown_widths(self) -> None:
        [(field, kind, _expected, found)] = _errors(["A" * 40, "B" * 41])
        assert (field, kind, found) == ("lines", "structure", "lines of 40 and 41 characters")

    def test_wrong_line_count(self) -> None:
        assert _errors([TD3[0]])[0][:2] == ("lines", "structure")
        # Three lines are a TD1: each must have 30 characters.
        assert _errors([*TD3, TD3[1]])[0] == ("line1", "structure", "30 characters (TD1)", "44")
        assert _errors([*TD3, *TD3])[0][3] == "4 lines"
        assert _errors("")[0][3] == "0 lines"

    def test_td1_lines_must_all_be_30(self) -> None:
        lines = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIK<<A"]
        assert _errors(lines) == [("line3", "structure", "30 characters (TD1)", "7")]

    def test_characters_outside_the_mrz_alphabet(self) -> None:
        lines = [TD3[0].replace("ERIKSSON", "ERIKSSÖN"), TD3[1].replace("ZE", "Z-")]
        assert _errors(lines) == [
            ("line1", "character", "only A-Z, 0-9 and <", "'Ö' at position 12"),
            ("line2", "character", "only A-Z, 0-9 and <", "'-' at position 30"),
        ]

    def test_inner_spaces_are_not_trimmed(self) -> None:
        spaced = "L898902C36UTO 7408122F1204159ZE184226B<<<<10"
        assert _errors([TD3[0], spaced])[0][:2] == ("line2", "character")


class TestFields:
    def test_digit_in_name(self) -> None:
        lines = (TD3[0].replace("ANNA", "ANN4"), TD3[1])
        assert _errors(lines) == [("name", "value", "only A-Z and <", "'4' at name position 14")]

    def test_sex_unspecified_and_invalid(self) -> None:
        assert parse_mrz(_lower_td3(sex="<"), today=TODAY).sex == "X"
        assert parse_mrz(_lower_td3(sex="X"), today=TODAY).sex == "X"
        assert ("sex", "value", "F, M or <", "Q") in _errors(_lower_td3(sex="Q"))

    def test_codes(self) -> None:
        lines = ("P1UTO" + TD3[0][5:], TD3[1])
        assert _errors(lines) == [("document_code", "value", "a letter, then a letter or <", "P1")]
        germany = ("P<D<<" + TD3[0][5:], TD3[1][:10] + "D<<" + TD3[1][13:])
        mrz = parse_mrz(germany, today=TODAY)
        assert (mrz.issuing_state, mrz.nationality) == ("D", "D")

    def test_all_problems_are_collected(self) -> None:
        lower = TD3[1][:19] + "3" + "Q" + TD3[1][21:]
        fields = [error[0] for error in _errors((TD3[0], lower))]
        assert fields == ["birth_date", "sex", "composite"]

    def test_empty_td3_personal_number_takes_0_or_filler(self) -> None:
        fields = MRZFields(
            document_number="HA672242",
            nationality="YTO",
            birth_date=date(1958, 2, 25),
            expiry_date=date(1996, 1, 8),
            primary_identifier="Eriksson",
            sex="M",
        )
        for digit in ("<", "0"):
            lines = build_mrz("TD3", fields, empty_optional_check=digit)
            assert lines[1][42] == digit
            assert parse_mrz(lines, today=TODAY).optional_data == ""
        wrong = lines[1][:42] + "5" + lines[1][43:]
        assert _errors((lines[0], wrong))[0] == ("optional_data", "check_digit", "0 or <", "5")
        with pytest.raises(MRZError, match="optional_data check digit: expected 0 or <, found 5"):
            parse_mrz((lines[0], wrong), today=TODAY)


class TestDates:
    def test_unknown_day_and_month(self) -> None:
        mrz = parse_mrz(_lower_td3(birth="74<<<<"), today=TODAY)
        assert mrz.birth_date == PartialDate(1974, None, None)
        assert mrz.to_dict()["birth_date"] == "1974-XX-XX"
        mrz = parse_mrz(_lower_td3(birth="7408<<"), today=TODAY)
        assert mrz.birth_date.isoformat() == "1974-08-XX"

    def test_wholly_unknown_birth_date(self) -> None:
        mrz = parse_mrz(_lower_td3(birth="<<<<<<"), today=TODAY)
        assert mrz.birth_date == PartialDate(None, None, None)
        assert mrz.birth_date.as_date() is None

    def test_half_filled_part_is_an_error(self) -> None:
        [error] = [e for e in _errors(_lower_td3(birth="7408<2")) if e[0] == "birth_date"]
        assert error[1:] == (
            "value",
            "a date YYMMDD (YYMMDD digits, << for an unknown part)",
            "7408<2",
        )

    def test_impossible_dates(self) -> None:
        assert _errors(_lower_td3(birth="741332"))[0][:3] == (
            "birth_date",
            "value",
            "a date YYMMDD (month 13 is not 1-12)",
        )
        assert _errors(_lower_td3(birth="750229"))[0][0] == "birth_date"
        assert _errors(_lower_td3(expiry="120431"))[0][0] == "expiry_date"

    def test_expiry_must_be_complete(self) -> None:
        assert _errors(_lower_td3(expiry="12<<<<")) == [
            ("expiry_date", "value", "a complete date YYMMDD", "12<<<<")
        ]

    @pytest.mark.parametrize(
        ("birth", "year"),
        [("740812", 1974), ("250101", 2025), ("250615", 2025), ("250616", 1925), ("00<<<<", 2000)],
    )
    def test_birth_dates_are_in_the_past(self, birth: str, year: int) -> None:
        assert parse_mrz(_lower_td3(birth=birth), today=TODAY).birth_date.year == year

    @pytest.mark.parametrize(
        ("expiry", "year"),
        [("120415", 2012), ("741231", 2074), ("750101", 1975), ("351231", 2035)],
    )
    def test_expiry_dates_lie_within_50_years(self, expiry: str, year: int) -> None:
        assert parse_mrz(_lower_td3(expiry=expiry), today=TODAY).expiry_date.year == year

    def test_today_defaults_to_the_real_date(self) -> None:
        assert parse_mrz(TD3).birth_date == PartialDate(1974, 8, 12)


class TestLongDocumentNumber:
    """Parts 5 and 6, note j: more than 9 characters continue in the optional data."""

    FIELDS = MRZFields(
        document_number="D23145890123",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        expiry_date=date(2030, 4, 15),
        primary_identifier="Eriksson",
        secondary_identifier="Anna Maria",
        sex="F",
        optional_data="XY7",
    )

    def test_td1(self) -> None:
        lines = build_mrz("TD1", self.FIELDS)
        number_check = check_digit("D23145890123")
        assert lines[0] == f"I<UTOD23145890<123{number_check}<XY7<<<<<<<"
        mrz = parse_mrz(lines, today=TODAY)
        assert (mrz.document_number, mrz.optional_data) == ("D23145890123", "XY7")

    def test_td2(self) -> None:
        lines = build_mrz("TD2", replace(self.FIELDS, optional_data="XY"))
        assert lines[1].startswith("D23145890<UTO")
        mrz = parse_mrz(lines, today=TODAY)
        assert (mrz.document_number, mrz.optional_data) == ("D23145890123", "XY")
        with pytest.raises(ValueError, match="longer than 7"):
            build_mrz("TD2", self.FIELDS)

    def test_wrong_check_digit_after_the_continuation(self) -> None:
        upper, middle, lower = build_mrz("TD1", self.FIELDS)
        right = upper[18]
        wrong = str((int(right) + 1) % 10)
        errors = _errors((upper[:18] + wrong + upper[19:], middle, lower))
        assert errors[0] == ("document_number", "check_digit", right, wrong)

    def test_filler_check_digit_without_a_continuation(self) -> None:
        lines = (
            "I<UTOD23145890<<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<0",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        )
        [field, kind, _expected, found] = _errors(lines)[0]
        assert (field, kind, found) == ("document_number", "value", "<<<<<<<<<<<<<<<")

    def test_td3_has_no_long_numbers(self) -> None:
        lower = TD3[1][:9] + "<" + TD3[1][10:]
        assert _errors((TD3[0], lower))[0] == ("document_number", "check_digit", "6", "<")
