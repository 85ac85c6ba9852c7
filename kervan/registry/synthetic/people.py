"""Synthetic persons: a name as their documents write it, the passport's Latin spelling of it,
a date of birth and a sex that fit the purpose of their stay."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from kervan.identity.translit import to_mrz
from kervan.registry.enums import Sex, StayPurpose
from kervan.registry.synthetic.draws import one_of
from kervan.registry.synthetic.names import FamilyName, NameEntry, NameGroup

# Passports issued before Russia and its neighbours adopted the ICAO 9303 table (2010s), and many
# visas, spelled Cyrillic names with Y and YE: these turn a table transliteration into such an
# older spelling.
_OLDER_SPELLING = (
    (re.compile(r"IU"), "YU"),
    (re.compile(r"IA"), "YA"),
    (re.compile(r"(?<=[AEIOU])I\b"), "Y"),
    (re.compile(r"(?<=[AEIOU])E(?=V)"), "YE"),
)

_AGES: dict[StayPurpose, tuple[int, int, int]] = {  # (low, high, mode) in years
    StayPurpose.WORK: (18, 62, 30),
    StayPurpose.STUDY: (16, 32, 20),
    StayPurpose.FAMILY: (0, 80, 30),
    StayPurpose.HUMANITARIAN: (0, 75, 25),
}
_DEFAULT_AGE = (18, 75, 35)
_MALE_SHARE = {StayPurpose.WORK: 0.78, StayPurpose.BUSINESS: 0.7}
UNSPECIFIED_SEX_SHARE = 0.002
UNKNOWN_BIRTH_DATE_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class PersonName:
    primary_name: str
    secondary_name: str
    patronymic: str
    # Set when the passport spells the name otherwise than the transliteration table would.
    primary_identifier: str | None = None
    secondary_identifier: str | None = None


@dataclass(frozen=True, slots=True)
class BirthDate:
    year: int
    month: int | None
    day: int | None


def older_spelling(icao: str) -> str:
    """``IULIIA`` → ``YULIYA``: the spelling of older passports and visas."""
    for pattern, replacement in _OLDER_SPELLING:
        icao = pattern.sub(replacement, icao)
    return icao


def draw_sex(rng: random.Random, purpose: StayPurpose) -> Sex:
    if rng.random() < UNSPECIFIED_SEX_SHARE:
        return Sex.UNSPECIFIED
    return Sex.MALE if rng.random() < _MALE_SHARE.get(purpose, 0.5) else Sex.FEMALE


def draw_birth(rng: random.Random, purpose: StayPurpose, today: dt.date) -> BirthDate:
    low, high, mode = _AGES.get(purpose, _DEFAULT_AGE)
    age_days = int(rng.triangular(low, high + 1, mode) * 365.25)
    born = today - dt.timedelta(days=age_days)
    if rng.random() >= UNKNOWN_BIRTH_DATE_SHARE:
        return BirthDate(born.year, born.month, born.day)
    # ICAO 9303 allows an unknown day, or an unknown day and month; never an unknown year.
    if rng.random() < 0.7:
        return BirthDate(born.year, born.month, None)
    return BirthDate(born.year, None, None)


def _given(rng: random.Random, group: NameGroup, female: bool) -> list[NameEntry]:
    pool = group.female if female else group.male
    first = one_of(rng, pool)
    if rng.random() < group.double_given_share:
        second = one_of(rng, pool)
        if second is not first:
            return [first, second]
    return [first]


def _written(entry: NameEntry, cyrillic: bool) -> str:
    return entry.cyrillic if cyrillic and entry.cyrillic else entry.name


def _patronymic(
    rng: random.Random, group: NameGroup, female: bool, cyrillic: bool, family: str
) -> str:
    if rng.random() >= group.patronymic_share:
        return ""
    father = one_of(rng, group.male)
    if group.patronymic_from_data:
        return father.patronymics[1 if female else 0]
    templates = group.patronymic_cyrillic_templates if cyrillic else group.patronymic_templates
    if not templates:
        return ""
    suffixes = [t.replace("{}", "") for t in templates.values()]
    if family.endswith(tuple(suffixes)):  # the family name already is a patronymic (Асан уулу)
        return ""
    return templates["F" if female else "M"].format(_written(father, cyrillic))


def _passport_spelling(rng: random.Random, entries: list[NameEntry], script: str) -> str:
    parts = []
    for entry in entries:
        spellings = entry.passport_spellings
        if spellings:
            parts.append(one_of(rng, spellings))
        elif script == "Cyrl":
            parts.append(older_spelling(to_mrz(entry.name)))
        else:
            parts.append(to_mrz(entry.name))
    return " ".join(parts)


def _identifiers(
    rng: random.Random,
    group: NameGroup,
    family: list[NameEntry],
    given: list[NameEntry],
    cyrillic: bool,
) -> tuple[str | None, str | None]:
    """The passport's Latin spelling of the name; None where it is the table transliteration."""
    if cyrillic:
        # Uzbek passports print the Uzbek Latin spelling even for Cyrillic home records.
        return (
            " ".join(to_mrz(e.name) for e in family),
            " ".join(to_mrz(e.name) for e in given),
        )
    if rng.random() >= group.passport_variant_share:
        return None, None
    return (
        _passport_spelling(rng, family, group.script),
        _passport_spelling(rng, given, group.script),
    )


def draw_name(rng: random.Random, group: NameGroup, sex: Sex, birth_year: int) -> PersonName:
    female = sex is Sex.FEMALE or (sex is Sex.UNSPECIFIED and rng.random() < 0.5)
    cyrillic = rng.random() < group.cyrillic_share(birth_year)
    given = _given(rng, group, female)
    family_name: FamilyName = one_of(rng, group.family)
    family = [family_name.for_sex(female)]
    if rng.random() < group.single_name_share:
        # One name only (common in Afghanistan): ICAO puts it in the primary identifier.
        family, given = given, []
    primary = " ".join(_written(e, cyrillic) for e in family)
    secondary = " ".join(_written(e, cyrillic) for e in given)
    patronymic = _patronymic(rng, group, female, cyrillic, primary) if given else ""
    primary_id, secondary_id = _identifiers(rng, group, family, given, cyrillic)
    return PersonName(primary, secondary, patronymic, primary_id, secondary_id)
