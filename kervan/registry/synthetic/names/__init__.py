"""Name data for synthetic persons: given and family names per nationality, written in the script
that nationality's passports and home registers use.

The data are the CSV files beside this module, one per nationality (``kind,name,feminine,
cyrillic,patronymic,alt``), and ``groups.json`` says how each group writes its names. All names
are common first and family names written for this project; no personal data set was used.

Columns: ``kind`` is M (male given name), F (female given name) or S (family name); ``feminine``
is a family name's form for women where the group's ending rule does not give it; ``cyrillic`` is
the Cyrillic spelling for groups that write both scripts (Uzbek, Ukrainian); ``patronymic`` is
``masculine;feminine`` for groups whose patronymics are not a simple template (Russian, Tajik);
``alt`` lists other spellings met in practice: upper-case ones are Latin spellings seen on
passports (older or foreign-issued), the others are what officers type (informal Latin, Russian
Cyrillic).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

_PASSPORT_SPELLING = re.compile(r"[A-Z][A-Z <-]*")
# Feminine family names add -a to these endings; kept script-agnostic so that the rule also
# applies to the Latin and Cyrillic alternatives of a name.
_FEMININE_ENDINGS = ("ov", "ev", "ёв", "in", "ow", "ew", "ов", "ев", "ин")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name as written, with its other spellings."""

    name: str
    cyrillic: str = ""
    alternatives: tuple[str, ...] = ()
    patronymics: tuple[str, str] = ("", "")  # masculine, feminine (from this given name)

    @property
    def passport_spellings(self) -> tuple[str, ...]:
        """Latin spellings found on passports instead of the table transliteration."""
        return tuple(a for a in self.alternatives if _PASSPORT_SPELLING.fullmatch(a))

    @property
    def typed_spellings(self) -> tuple[str, ...]:
        """Other spellings an officer may type (informal Latin, another script)."""
        return tuple(a for a in self.alternatives if not _PASSPORT_SPELLING.fullmatch(a))


@dataclass(frozen=True, slots=True)
class FamilyName:
    """A family name in its masculine and feminine forms."""

    masculine: NameEntry
    feminine: NameEntry

    def for_sex(self, female: bool) -> NameEntry:
        return self.feminine if female else self.masculine


@dataclass(frozen=True, slots=True)
class NameGroup:
    """How one nationality writes names, and the names to draw from."""

    nationality: str
    language: str
    script: str
    family_first: bool
    male: tuple[NameEntry, ...]
    female: tuple[NameEntry, ...]
    family: tuple[FamilyName, ...]
    patronymic_templates: dict[str, str]  # {"M": ..., "F": ...}; empty: none or from data
    patronymic_cyrillic_templates: dict[str, str]
    patronymic_from_data: bool
    patronymic_share: float
    passport_variant_share: float
    single_name_share: float
    double_given_share: float
    # (born before year, share written in Cyrillic then, share after): Uzbek records of older
    # people are often still in Cyrillic.
    cyrillic_records: tuple[int, float, float] = (0, 0.0, 0.0)

    def cyrillic_share(self, birth_year: int) -> float:
        born_before, older, younger = self.cyrillic_records
        return older if birth_year < born_before else younger


def feminine_form(name: str) -> str:
    """The feminine of a family name ending in -ov/-ev/-in (and Cyrillic), else ``name``."""
    if not name.lower().endswith(_FEMININE_ENDINGS):
        return name
    last = name[-1]
    cyrillic = "\u0400" <= last <= "\u04ff"
    suffix = "а" if cyrillic else "a"
    return name + (suffix.upper() if name.isupper() else suffix)


def _feminine_entry(
    row: dict[str, str], masculine: NameEntry, endings: tuple[str, ...]
) -> NameEntry:
    if row["feminine"]:
        # An explicit form (Вишневская, Бакыт кызы): the masculine's alternatives do not apply.
        return NameEntry(row["feminine"])
    if not endings or not masculine.name.lower().endswith(endings):
        return masculine
    return NameEntry(
        feminine_form(masculine.name),
        feminine_form(masculine.cyrillic) if masculine.cyrillic else "",
        tuple(feminine_form(a) for a in masculine.alternatives),
    )


def _entry(row: dict[str, str]) -> NameEntry:
    alternatives = tuple(a.strip() for a in row["alt"].split(";") if a.strip())
    patronymics = ("", "")
    if row["patronymic"]:
        masculine, feminine = row["patronymic"].split(";")
        patronymics = (masculine, feminine)
    return NameEntry(row["name"], row["cyrillic"], alternatives, patronymics)


def _read_rows(nationality: str) -> list[dict[str, str]]:
    text = (files(__name__) / f"{nationality.lower()}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _settings() -> dict[str, Any]:
    text = (files(__name__) / "groups.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    data.pop("_comment", None)
    return data


def nationalities() -> tuple[str, ...]:
    """The nationalities that have name data, in the order of ``groups.json``."""
    return tuple(_settings())


@cache
def name_group(nationality: str) -> NameGroup:
    """The names of ``nationality``; ``KeyError`` if there are none."""
    settings = _settings()[nationality]
    endings = tuple(settings["feminine_endings"])
    male: list[NameEntry] = []
    female: list[NameEntry] = []
    family: list[FamilyName] = []
    for row in _read_rows(nationality):
        entry = _entry(row)
        if row["kind"] == "M":
            male.append(entry)
        elif row["kind"] == "F":
            female.append(entry)
        else:
            family.append(FamilyName(entry, _feminine_entry(row, entry, endings)))
    patronymic = settings.get("patronymic")
    cyrillic = settings.get("cyrillic_records", {"born_before": 0, "older": 0, "younger": 0})
    return NameGroup(
        nationality=nationality,
        language=settings["language"],
        script=settings["script"],
        family_first=settings["family_first"],
        male=tuple(male),
        female=tuple(female),
        family=tuple(family),
        patronymic_templates=patronymic if isinstance(patronymic, dict) else {},
        patronymic_cyrillic_templates=settings.get("patronymic_cyrillic", {}),
        patronymic_from_data=patronymic == "data",
        patronymic_share=settings.get("patronymic_share", 0.0),
        passport_variant_share=settings.get("passport_variant_share", 0.0),
        single_name_share=settings.get("single_name_share", 0.0),
        double_given_share=settings.get("double_given_share", 0.0),
        cyrillic_records=(cyrillic["born_before"], cyrillic["older"], cyrillic["younger"]),
    )


@cache
def _index(nationality: str) -> dict[str, NameEntry]:
    group = name_group(nationality)
    index: dict[str, NameEntry] = {}
    entries = [*group.male, *group.female]
    for family in group.family:
        entries += [family.masculine, family.feminine]
    for entry in entries:
        index.setdefault(entry.name, entry)
        if entry.cyrillic:
            index.setdefault(entry.cyrillic, entry)
    return index


def find_entry(nationality: str, written: str) -> NameEntry | None:
    """The data entry for one name as written (either script), if the data has it."""
    try:
        return _index(nationality).get(written)
    except KeyError:
        return None
