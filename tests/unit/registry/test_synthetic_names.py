"""The name data behind synthetic persons: complete, in the right scripts, with feminine forms."""

from __future__ import annotations

import re
import unicodedata

import pytest

from kervan.registry.synthetic.names import (
    feminine_form,
    find_entry,
    name_group,
    nationalities,
)

MEMBERS_AND_ORIGINS = (
    "UZB",
    "KAZ",
    "KGZ",
    "TJK",
    "AZE",
    "TUR",
    "HUN",
    "RUS",
    "AFG",
    "PAK",
    "IND",
    "CHN",
    "UKR",
    "TKM",
    "IRN",
    "SYR",
    "VNM",
)
# Letters each national alphabet has and its names must show.
SPECIAL_LETTERS = {
    "KAZ": "ӘҚҢӨҰҮІ",
    "KGZ": "ҢӨҮ",
    "TJK": "ҲҶӢӮҚҒ",
    "AZE": "ƏŞÇĞIİÖÜ",
    "TUR": "ŞÇĞİÖÜ",
    "HUN": "ÁÉÖŐÚŰ",
    "TKM": "ÄÇŇÖŞÜÝ",
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (Uzbek ʻ and ʼ are modifier letters, not Latin)."""
    names = (unicodedata.name(c) for c in text if c.isalpha())
    return {n.split()[0] for n in names if not n.startswith("MODIFIER LETTER")}


def _all_written(nationality: str) -> list[str]:
    group = name_group(nationality)
    written = [e.name for e in (*group.male, *group.female)]
    for family in group.family:
        written += [family.masculine.name, family.feminine.name]
    return written


def test_every_origin_has_names() -> None:
    assert set(MEMBERS_AND_ORIGINS) <= set(nationalities())
    for nationality in MEMBERS_AND_ORIGINS:
        group = name_group(nationality)
        assert len(group.male) >= 25, nationality
        assert len(group.female) >= 25, nationality
        assert len(group.family) >= 25, nationality


@pytest.mark.parametrize("nationality", MEMBERS_AND_ORIGINS)
def test_names_are_written_in_the_group_script(nationality: str) -> None:
    expected = {"CYRILLIC"} if name_group(nationality).script == "Cyrl" else {"LATIN"}
    for name in _all_written(nationality):
        assert _scripts(name) == expected, (nationality, name)
        assert name == unicodedata.normalize("NFC", name)
        assert name == name.strip() and "  " not in name


@pytest.mark.parametrize("nationality", sorted(SPECIAL_LETTERS))
def test_national_letters_appear(nationality: str) -> None:
    text = " ".join(_all_written(nationality)).upper()
    if nationality == "TUR":
        text = " ".join(_all_written(nationality))  # Turkish upper-casing is not str.upper()
    for letter in SPECIAL_LETTERS[nationality]:
        assert letter in text or letter.lower() in text, (nationality, letter)


def test_uzbek_names_have_both_scripts_with_the_right_apostrophe() -> None:
    group = name_group("UZB")
    entries = [*group.male, *group.female, *(f.masculine for f in group.family)]
    assert all(e.cyrillic and _CYRILLIC.search(e.cyrillic) for e in entries)
    latin = " ".join(e.name for e in entries)
    assert "oʻ" in latin.lower() and "gʻ" in latin.lower()  # U+02BB, as the 1995 alphabet says
    assert "'" not in latin and "’" not in latin
    cyrillic = " ".join(e.cyrillic for e in entries)
    for letter in "ЎҒҚҲ":
        assert letter in cyrillic


@pytest.mark.parametrize(
    ("nationality", "masculine", "feminine"),
    [
        ("RUS", "Иванов", "Иванова"),
        ("RUS", "Вишневский", "Вишневская"),
        ("RUS", "Ильин", "Ильина"),
        ("RUS", "Черных", "Черных"),
        ("KAZ", "Жұмабаев", "Жұмабаева"),
        ("KAZ", "Маратұлы", "Маратқызы"),
        ("KGZ", "Асан уулу", "Асан кызы"),
        ("UZB", "Karimov", "Karimova"),
        ("AZE", "Məmmədov", "Məmmədova"),
        ("AZE", "Əlizadə", "Əlizadə"),
        ("TJK", "Шарифзода", "Шарифзода"),
        ("TKM", "Orazow", "Orazowa"),
        ("TUR", "Çetin", "Çetin"),
    ],
)
def test_feminine_family_names(nationality: str, masculine: str, feminine: str) -> None:
    family = {f.masculine.name: f for f in name_group(nationality).family}[masculine]
    assert family.feminine.name == feminine


def test_feminine_alternatives_follow_the_name() -> None:
    family = {f.masculine.name: f for f in name_group("UZB").family}["Rahimov"]
    assert family.feminine.cyrillic == "Раҳимова"
    assert "RAKHIMOVA" in family.feminine.passport_spellings
    assert feminine_form("MAMEDOV") == "MAMEDOVA"
    assert feminine_form("Рахимов") == "Рахимова"


def test_russian_given_names_give_patronymics() -> None:
    group = name_group("RUS")
    assert group.patronymic_from_data
    assert all(e.patronymics[0] and e.patronymics[1] for e in group.male)
    ilya = find_entry("RUS", "Илья")
    assert ilya is not None and ilya.patronymics == ("Ильич", "Ильинична")


@pytest.mark.parametrize("nationality", MEMBERS_AND_ORIGINS)
def test_alternatives_are_other_spellings(nationality: str) -> None:
    group = name_group(nationality)
    entries = [*group.male, *group.female, *(f.masculine for f in group.family)]
    for entry in entries:
        for spelling in entry.passport_spellings:
            assert re.fullmatch(r"[A-Z][A-Z <-]*", spelling)
        for spelling in entry.alternatives:
            assert spelling.casefold() != entry.name.casefold(), (nationality, entry.name)
            # One script per spelling: no Cyrillic and Latin letters mixed in a word.
            assert len(_scripts(spelling)) == 1, spelling


def test_lookup_finds_both_scripts_and_feminine_forms() -> None:
    assert find_entry("UZB", "Раҳимова") == find_entry("UZB", "Rahimova")
    assert find_entry("KAZ", "Әсел") is not None
    assert find_entry("KAZ", "Nobody") is None
    assert find_entry("XXX", "Anyone") is None
