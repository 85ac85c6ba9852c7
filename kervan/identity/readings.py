"""The Latin spellings a Cyrillic name may stand for, one per plausible source language.

A Cyrillic name in a register or typed by an officer is not always a Russian name: it may be a
Kazakh, Kyrgyz or Uzbek name in its own Cyrillic, or a Russian spelling of a Hungarian, Turkish
or Azerbaijani name (Сёке for Szőke, Гёк for Gök, Мамедов for Məmmədov). ICAO's table reads
every Cyrillic letter the Russian way (Ё as E), which loses the original; search therefore tries
each source language's reading and treats any of them as the same name.

The readings are data (``tables/cyrillic_readings.json`` and the national tables) and documented
in ``docs/names-and-mrz.md``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from kervan.identity.names import fold
from kervan.identity.translit import to_mrz, to_national_latin

# Source languages whose reading of Cyrillic is tried, in this order. Russian is ICAO's own
# table (to_mrz); Kazakh, Kyrgyz and Uzbek use their national Latin alphabets; Hungarian,
# Turkish and Azerbaijani read Russian-written foreign names back (cyrillic_readings.json).
SOURCE_LANGUAGES = ("ru", "kk", "ky", "uz", "hu", "tr", "az")
_NATIONAL = ("kk", "ky", "uz")
_READINGS = {"hu": ("hu",), "tr": ("tr",), "az": ("az", "az_e")}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True, slots=True)
class Reading:
    """How one language reads Russian Cyrillic: sequences (longest first) to Latin letters."""

    name: str
    letters: Mapping[str, str]
    initial: Mapping[str, str]
    longest: int


@functools.cache
def reading(key: str) -> Reading:
    path = resources.files("kervan.identity") / "tables" / "cyrillic_readings.json"
    data = json.loads(path.read_text(encoding="utf-8"))["readings"][key]
    letters = dict(data["letters"])
    return Reading(
        name=data["name"],
        letters=letters,
        initial=dict(data.get("initial", {})),
        longest=max(len(k) for k in letters),
    )


def read_as(name: str, key: str) -> str:
    """``name`` with its Cyrillic read by reading ``key`` (``hu``, ``tr``, ``az``, ``az_e``);
    letters the reading does not list are left for ``to_mrz``."""
    table = reading(key)
    out: list[str] = []
    index = 0
    lower = name.lower()
    while index < len(name):
        at_start = index == 0 or not name[index - 1].isalpha()
        for size in range(table.longest, 0, -1):
            piece = lower[index : index + size]
            value = (table.initial.get(piece) if at_start else None) or table.letters.get(piece)
            if value is not None:
                out.append(value.upper() if name[index].isupper() else value)
                index += size
                break
        else:
            out.append(name[index])
            index += 1
    return "".join(out)


@functools.lru_cache(maxsize=1 << 15)
def latin_readings(name: str) -> Mapping[str, str]:
    """Source language -> the name's Latin spelling in it (before folding). A name without
    Cyrillic letters is its own only reading."""
    if not _CYRILLIC.search(name):
        return {"": name}
    readings = {"ru": to_mrz(name)}
    for lang in _NATIONAL:
        readings[lang] = to_national_latin(name, lang)
    for lang, keys in _READINGS.items():
        for key in keys:
            readings[key if key != lang else lang] = read_as(name, key)
    return readings


@functools.lru_cache(maxsize=1 << 15)
def folded_readings(name: str) -> frozenset[str]:
    """The folding keys of every reading of ``name``: two spellings are the same name when
    these sets meet (Сёке and Szőke both give SZOKE)."""
    return frozenset(key for text in latin_readings(name).values() if (key := fold(text)))
