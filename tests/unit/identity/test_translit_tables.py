"""Every letter of every table, one by one, parametrised from the JSON data itself."""

from __future__ import annotations

import re
import unicodedata

import pytest

from kervan.identity import to_mrz, to_national_latin
from kervan.identity.translit_tables import (
    MRZ_TABLES,
    NATIONAL_LANGUAGES,
    TableEntry,
    mrz_entries,
    mrz_table,
    national_table,
)

ROWS = [entry for name in MRZ_TABLES for entry in mrz_table(name)]


def _expected(entry: TableEntry) -> str:
    """What Kervan writes for a letter standing alone (a later table may override ICAO)."""
    effective = mrz_entries()[entry.char]
    if effective.double:
        return ""  # shadda alone has no letter to double
    if effective.final is not None:
        return effective.final  # a lone teh marbuta ends its component
    return effective.mrz


@pytest.mark.parametrize("entry", ROWS, ids=lambda e: f"{e.table}-{e.code}")
def test_letter(entry: TableEntry) -> None:
    assert to_mrz(entry.char) == _expected(entry)
    small = entry.char.lower()
    if len(small) == 1 and small != entry.char:
        assert to_mrz(small) == _expected(entry)


@pytest.mark.parametrize("entry", ROWS, ids=lambda e: f"{e.table}-{e.code}")
def test_entry_is_well_formed(entry: TableEntry) -> None:
    assert re.fullmatch(r"[A-Z]*", entry.mrz)
    assert all(re.fullmatch(r"[A-Z]+", alt) for alt in entry.alternatives)
    assert unicodedata.name(entry.char).title() == entry.name
    if entry.table == "kervan_extension":
        assert entry.reason, "every Kervan addition says why"


def test_table_b_shha_is_corrected() -> None:
    icao = {e.code: e.mrz for e in mrz_table("icao_cyrillic")}
    assert icao["04BA"] == "C"  # as printed in Doc 9303 Part 3, table B
    assert to_mrz("Һ") == to_mrz("һ") == "H"


def test_table_a_choices() -> None:
    assert to_mrz("Ä Ö Ü Å Ñ") == "AE OE UE AA N"


def test_turkish_letters_in_either_case() -> None:
    assert to_mrz("İı Iİ ıi") == "II II II"


@pytest.mark.parametrize("lang", NATIONAL_LANGUAGES)
def test_national_table_letters(lang: str) -> None:
    table = national_table(lang)
    for source, latin in table.letters.items():
        expected = latin
        if table.ye_rule and source in "Ее":
            expected = "Ye" if source == "Е" else "ye"  # a lone Е starts its word
        assert to_national_latin(source, lang) == expected, source


@pytest.mark.parametrize("lang", NATIONAL_LANGUAGES)
def test_national_tables_cover_both_cases_and_the_mrz_alphabet(lang: str) -> None:
    letters = national_table(lang).letters
    for source, latin in letters.items():
        assert unicodedata.name(source).startswith("CYRILLIC"), source
        other = source.lower() if source.isupper() else source.upper()
        assert other in letters, f"{lang}: {source} without {other}"
        # Every national spelling still has an MRZ form.
        assert re.fullmatch(r"[A-Z]*", to_mrz(latin)), latin


def test_unknown_tables_and_languages() -> None:
    with pytest.raises(ValueError, match="unknown MRZ table"):
        mrz_table("icao_greek")
    with pytest.raises(ValueError, match="no national Latin table"):
        national_table("de")
