"""The name-field examples of Doc 9303 Parts 4-7 (4.2.3 and 7.2.3): parsed, and rebuilt by
``to_mrz_field`` where ICAO's truncation option is the one Kervan writes."""

from __future__ import annotations

from datetime import date

import pytest

from kervan.identity import parse_mrz, to_mrz_field

TODAY = date(2025, 6, 15)
TD3_LOWER = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD2_LOWER = "D231458907UTO7408122F1204159<<<<<<<6"
TD1_UPPER = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6")
MRVA_LOWER = "L8988901C4XXX7408122F96121096ZE184226B<<<<<<"
MRVB_LOWER = "L8988901C4XXX7408122F9612109<<<<<<<<"

# (name field as printed, primary, secondary)
TD3_NAMES = [
    ("ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "ERIKSSON", "ANNA MARIA"),
    ("HENG<<DEBORAH<MING<LO<<<<<<<<<<<<<<<<<<", "HENG", "DEBORAH MING LO"),
    ("SMITH<JONES<<SUSIE<MARGARET<<<<<<<<<<<<", "SMITH JONES", "SUSIE MARGARET"),
    ("OCONNOR<<ENYA<SIOBHAN<<<<<<<<<<<<<<<<<<", "OCONNOR", "ENYA SIOBHAN"),
    ("VAN<DER<MUELLEN<<MARTIN<<<<<<<<<<<<<<<<", "VAN DER MUELLEN", "MARTIN"),
    ("AL<BASRI<<HUDA<MUHAMMAD<JAWAD<<<<<<<<<<", "AL BASRI", "HUDA MUHAMMAD JAWAD"),
    ("VILARCHAO<FERNANDEZ<<JOSE<RAMON<<<<<<<<", "VILARCHAO FERNANDEZ", "JOSE RAMON"),
    ("ARKFREITH<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "ARKFREITH", ""),
    ("SATRIYA<SUDARPA<<<<<<<<<<<<<<<<<<<<<<<<", "SATRIYA SUDARPA", ""),
    ("NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K", "NILAVADHANANANDA", "CHAYAPA DEJTHAMRONG K"),
    ("NILAVADHANANANDA<<ARNPOL<PETCH<CHARONGU", "NILAVADHANANANDA", "ARNPOL PETCH CHARONGU"),
    ("BENNELONG<WOOLOOMOOLOO<WARRANDYTE<W<<DI", "BENNELONG WOOLOOMOOLOO WARRANDYTE W", "DI"),
    ("BENNELONG<WOOLOOM<WARRAND<WARNAM<<DINGO", "BENNELONG WOOLOOM WARRAND WARNAM", "DINGO"),
    ("BENNEL<WOOLOO<WARRAN<WARNAM<<DINGO<POTO", "BENNEL WOOLOO WARRAN WARNAM", "DINGO POTO"),
    ("PAPANDROPOULOUS<<JONATHON<WARREN<TREVOR", "PAPANDROPOULOUS", "JONATHON WARREN TREVOR"),
]
TD1_NAMES = [
    ("NILAVADHANANANDA<<CHAYAPA<DE<K", "NILAVADHANANANDA", "CHAYAPA DE K"),
    ("NILAVADHANANANDA<<ARNPOL<PE<CH", "NILAVADHANANANDA", "ARNPOL PE CH"),
    ("BENNELONG<WOOLOOMOOLOO<W<W<<DI", "BENNELONG WOOLOOMOOLOO W W", "DI"),
    ("BENNELONG<WOOLOOM<WA<WARN<<D<P", "BENNELONG WOOLOOM WA WARN", "D P"),
    ("BENNE<WOOLO<WARRA<WARNA<<DIN<P", "BENNE WOOLO WARRA WARNA", "DIN P"),
    ("PAPANDROPOULOUS<<JONATHON<ALEC", "PAPANDROPOULOUS", "JONATHON ALEC"),
    ("VAN<DER<MUELLEN<<MARTIN<<<<<<<", "VAN DER MUELLEN", "MARTIN"),
    ("AL<BASRI<<HUDA<MUHAMMAD<JAWAD<", "AL BASRI", "HUDA MUHAMMAD JAWAD"),
    ("VILARCHAO<FERNANDEZ<<JOSE<RAMO", "VILARCHAO FERNANDEZ", "JOSE RAMO"),
    ("ARKFREITH<<<<<<<<<<<<<<<<<<<<<", "ARKFREITH", ""),
    ("SATRIYA<SUDARPA<<<<<<<<<<<<<<<", "SATRIYA SUDARPA", ""),
]
TD2_NAMES = [
    ("NILAVADHANANANDA<<CHAYAPA<DEJ<K", "NILAVADHANANANDA", "CHAYAPA DEJ K"),
    ("NILAVADHANANANDA<<ARN<PET<CHARO", "NILAVADHANANANDA", "ARN PET CHARO"),
    ("BENNELONG<WOOLOOMOOLOO<W<W<<D<P", "BENNELONG WOOLOOMOOLOO W W", "D P"),
    ("BENNELONG<WOOLOOM<WAR<WARN<<D<P", "BENNELONG WOOLOOM WAR WARN", "D P"),
    ("BENNEL<WOOLO<WARRA<WARNA<<DIN<P", "BENNEL WOOLO WARRA WARNA", "DIN P"),
    ("PAPANDROPOULOUS<<JONATHOON<ALEC", "PAPANDROPOULOUS", "JONATHOON ALEC"),
    ("VAN<DER<MUELLEN<<MARTIN<<<<<<<<", "VAN DER MUELLEN", "MARTIN"),
    ("AL<BASRI<<HUDA<MUHAMMAD<JAWAD<<", "AL BASRI", "HUDA MUHAMMAD JAWAD"),
    ("VILARCHAO<FERNANDEZ<<JOSE<RAMON", "VILARCHAO FERNANDEZ", "JOSE RAMON"),
    ("ARKFREITH<<<<<<<<<<<<<<<<<<<<<<", "ARKFREITH", ""),
    ("SATRIYA<SUDARPA<<<<<<<<<<<<<<<<", "SATRIYA SUDARPA", ""),
]
MRVA_NAMES = [
    (field, primary, secondary)
    for field, primary, secondary in TD3_NAMES
    if field.split("<<")[0] not in ("AL<BASRI", "VILARCHAO<FERNANDEZ", "SATRIYA<SUDARPA")
]
MRVB_NAMES = [
    ("ERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "ERIKSSON", "ANNA MARIA"),
    ("HENG<<DEBORAH<MING<LO<<<<<<<<<<", "HENG", "DEBORAH MING LO"),
    ("SMITH<JONES<<SUSIE<MARGARET<<<<", "SMITH JONES", "SUSIE MARGARET"),
    ("OCONNOR<<ENYA<SIOBHAN<<<<<<<<<<", "OCONNOR", "ENYA SIOBHAN"),
    ("VAN<DER<MUELLEN<<MARTIN<<<<<<<<", "VAN DER MUELLEN", "MARTIN"),
    ("ARKFREITH<<<<<<<<<<<<<<<<<<<<<<", "ARKFREITH", ""),
    ("NILAVADHANANANDA<<CHAYAPA<DEJ<K", "NILAVADHANANANDA", "CHAYAPA DEJ K"),
    ("NILAVADHANANANDA<<ARNP<PE<CHARO", "NILAVADHANANANDA", "ARNP PE CHARO"),
    ("BENNELONG<WOOLOOMOOLOO<WAR<W<<D", "BENNELONG WOOLOOMOOLOO WAR W", "D"),
    ("BENNELONG<WOOLOOM<WAR<WA<<DINGO", "BENNELONG WOOLOOM WAR WA", "DINGO"),
    ("BENN<WOOL<WARR<WARN<<DINGO<POTO", "BENN WOOL WARR WARN", "DINGO POTO"),
    ("PAPANDROPOULOUS<<STEPHEN<TREVOR", "PAPANDROPOULOUS", "STEPHEN TREVOR"),
]


def _cases() -> list[tuple[str, tuple[str, ...], str, str, bool]]:
    """(field, the whole MRZ around it, primary, secondary, truncated) for every example."""
    frames: list[tuple[list[tuple[str, str, str]], tuple[str, ...], tuple[str, ...]]] = [
        (TD3_NAMES, ("P<UTO",), (TD3_LOWER,)),
        (TD2_NAMES, ("I<UTO",), (TD2_LOWER,)),
        (TD1_NAMES, TD1_UPPER, ()),
        (MRVA_NAMES, ("V<UTO",), (MRVA_LOWER,)),
        (MRVB_NAMES, ("V<UTO",), (MRVB_LOWER,)),
    ]
    cases = []
    for names, before, after in frames:
        for field, primary, secondary in names:
            # Two-line formats start the upper line with the code; TD1 has the name line last.
            lines = (before[0] + field, *after) if after else (*before, field)
            cases.append((field, lines, primary, secondary, not field.endswith("<")))
    return cases


@pytest.mark.parametrize(("field", "lines", "primary", "secondary", "truncated"), _cases())
def test_icao_name_examples_parse(
    field: str, lines: tuple[str, ...], primary: str, secondary: str, truncated: bool
) -> None:
    mrz = parse_mrz(lines, today=TODAY)
    assert (mrz.primary_identifier, mrz.secondary_identifier) == (primary, secondary)
    # A name filling the field must be assumed truncated, even PAPANDROPOULOUS (4.2.3.4).
    assert mrz.name_truncated is truncated


@pytest.mark.parametrize(
    ("primary", "secondary", "width", "field"),
    [
        # Names that fit are written as ICAO shows them.
        ("Eriksson", "Anna Maria", 39, TD3_NAMES[0][0]),
        ("Heng", "Deborah Ming Lo", 39, TD3_NAMES[1][0]),
        ("Smith-Jones", "Susie Margaret", 39, TD3_NAMES[2][0]),
        ("O’Connor", "Enya Siobhan", 39, TD3_NAMES[3][0]),
        ("Van Der Muellen", "Martin", 39, TD3_NAMES[4][0]),
        ("Al-Basri", "Huda Muhammad Jawad", 39, TD3_NAMES[5][0]),
        ("Vilarchao Fernandez", "Jose Ramon", 39, TD3_NAMES[6][0]),
        ("Arkfreith", "", 39, TD3_NAMES[7][0]),
        ("Satriya Sudarpa", "", 39, TD3_NAMES[8][0]),
        ("Papandropoulous", "Jonathon Warren Trevor", 39, TD3_NAMES[14][0]),
        ("Papandropoulous", "Jonathon Alec", 30, TD1_NAMES[5][0]),
        ("Al-Basri", "Huda Muhammad Jawad", 30, TD1_NAMES[7][0]),
        # Kervan keeps the primary identifier and cuts the secondary: ICAO 4.2.3.2 a and b,
        # and the TD1 example 4.2.3.4.
        ("Nilavadhanananda", "Chayapa Dejthamrong Krasuang", 39, TD3_NAMES[9][0]),
        ("Nilavadhanananda", "Arnpol Petch Charonguang", 39, TD3_NAMES[10][0]),
        ("Vilarchao Fernandez", "Jose Ramon", 30, TD1_NAMES[8][0]),
        ("Vilarchao Fernandez", "Jose Ramon", 31, TD2_NAMES[8][0]),
    ],
)
def test_to_mrz_field_writes_the_icao_examples(
    primary: str, secondary: str, width: int, field: str
) -> None:
    assert to_mrz_field(primary, secondary, width) == field


def test_long_primary_identifier_is_cut_to_fit_the_first_initial() -> None:
    field = to_mrz_field("Bennelong Wooloomooloo Warrandyte Warnambool", "Dingo Potoroo", 39)
    # ICAO's 4.2.3.3 options cut differently; every option keeps << and the initial D and
    # ends on a letter.
    assert field == "BENNELONG<WOOLOOMOOLOO<WARRANDYTE<WA<<D"
    assert len(field) == 39


def test_cut_never_ends_on_a_filler() -> None:
    # A plain cut of ANNA<MARIA at 5 would end on <: shorten ANNA to fit M.
    assert to_mrz_field("X", "Anna Maria", 8) == "X<<ANN<M"
    assert to_mrz_field("Anna Maria", "", 5) == "ANN<M"
    # Only initials before the cut: nothing to shorten, the field ends with fillers.
    assert to_mrz_field("A B Cdef", "", 4) == "A<B<"
    assert to_mrz_field("A B Cdef", "X", 7) == "A<B<<X<"


def test_to_mrz_field_refuses_a_tiny_width() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        to_mrz_field("A", "B", 3)


def test_empty_name_is_all_fillers() -> None:
    assert to_mrz_field("", "", 5) == "<<<<<"
    assert to_mrz_field("A", "B", 4) == "A<<B"
    assert to_mrz_field("Ab", "B", 4) == "A<<B"
    assert to_mrz_field("", "Anna", 8) == "<<ANNA<<"
