"""Table-driven transliteration of names: the ICAO 9303 MRZ form and national Latin forms.

``to_mrz`` applies ICAO Doc 9303 Part 3 section 6 (tables A, B and C) plus Kervan's documented
extension for letters ICAO lacks; ``to_national_latin`` writes Cyrillic names in the Latin
alphabet of a country. The tables live in ``tables/*.json`` (see ``translit_tables``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from kervan.identity.translit_tables import NationalTable, mrz_entries, national_table

# Every apostrophe look-alike found in real records; ICAO drops apostrophes from the MRZ.
APOSTROPHES = "'`´‘’ʹʻʼʽˈ′＇"
HYPHENS = "-‐‑‒–—−"
# Characters that separate name components (ICAO: a comma becomes a filler, like a space).
SEPARATORS = ",</_;"
_CYRILLIC_VOWELS = "АЕЁИОУЎЭЮЯЫІӘӨҮҰаеёиоуўэюяыіәөүұ"
_SIGNS = "ЪЬъь"
_MARK_CATEGORIES = ("Mn", "Mc", "Me")
_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "GREEK": "Grek",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "GUJARATI": "Gujr",
    "TAMIL": "Taml",
    "THAI": "Thai",
    "HANGUL": "Hang",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "CJK": "Hani",
    "MONGOLIAN": "Mong",
    "TIBETAN": "Tibt",
    "SYRIAC": "Syrc",
    "ETHIOPIC": "Ethi",
}


def to_mrz(name: str) -> str:
    """The ICAO 9303 MRZ spelling of a name: upper-case A-Z, with spaces between name parts and
    hyphens kept for the caller (``to_mrz_field`` turns both into ``<``).

    Apostrophes are dropped (D'Artagnan -> DARTAGNAN), digits and other punctuation removed.
    Letters in no table are decomposed (NFKD) and their accents stripped; what is still not
    A-Z is dropped. Never raises; may return "" for a name in an unsupported script.
    """
    text = unicodedata.normalize("NFC", name)
    if _context_letters().search(text) is None:
        return _tidy(text.translate(_CHARACTERS))
    pieces: list[str] = []
    for index in range(len(text)):
        pieces.append(_mrz_char(text, index, pieces))
    return _tidy("".join(pieces))


class _CharacterTable(dict[int, str]):
    """Character code -> MRZ text, for ``str.translate``; filled on first sight of a character
    (the register sees few distinct characters and very many names)."""

    def __missing__(self, code: int) -> str:
        value = _mrz_char(chr(code), 0, [])
        self[code] = value
        return value


_CHARACTERS = _CharacterTable()


@functools.cache
def _context_letters() -> re.Pattern[str]:
    # Letters whose MRZ form depends on their neighbours (Arabic shadda and teh marbuta).
    entries = mrz_entries().values()
    letters = sorted({e.char for e in entries if e.double or e.final is not None})
    return re.compile("[" + re.escape("".join(letters)) + "]")


def _mrz_char(text: str, index: int, done: list[str]) -> str:
    char = text[index]
    if char in APOSTROPHES:
        return ""
    if char in HYPHENS:
        return "-"
    if char.isspace() or char in SEPARATORS:
        return " "
    if "a" <= char <= "z" or "A" <= char <= "Z":
        return char.upper()
    entry = mrz_entries().get(char)
    if entry is None:
        return _decomposed(char)
    if entry.double:
        # Shadda doubles the letter it sits on: repeat the last letter written.
        return next((piece for piece in reversed(done) if piece.strip(" -")), "")
    if entry.final is not None and _ends_component(text, index):
        return entry.final
    return entry.mrz


def _ends_component(text: str, index: int) -> bool:
    # Teh marbuta is XAH at the end of a component; vowel marks after it do not count.
    for char in text[index + 1 :]:
        entry = mrz_entries().get(char)
        if entry is not None and entry.table == "icao_arabic" and not entry.mrz:
            continue
        return entry is None or entry.table != "icao_arabic"
    return True


def _decomposed(char: str) -> str:
    # The fallback for letters no table lists: Ǵ -> G, Ӧ -> O, ﬁ -> FI, ﭗ -> P.
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.category(part) in _MARK_CATEGORIES:
            continue
        if part.isascii() and part.isalpha():
            out.append(part.upper())
        elif (entry := mrz_entries().get(part)) is not None and not entry.double:
            out.append(entry.mrz)
        elif part.isspace():
            out.append(" ")
    return "".join(out)


def _tidy(text: str) -> str:
    if "-" not in text:
        return " ".join(text.split())
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?-[ -]*", "-", text)
    tokens = (token.strip("-") for token in text.split(" "))
    return " ".join(token for token in tokens if token)


def mrz_components(name: str) -> list[str]:
    """The name components of ``name`` in MRZ spelling (split at spaces and hyphens)."""
    return [part for part in re.split(r"[ -]+", to_mrz(name)) if part]


def to_mrz_field(primary: str, secondary: str, width: int) -> str:
    """The MRZ name field of ``width`` characters: ``PRIMARY<<SECONDARY<<<``.

    Components are separated by ``<``, identifiers by ``<<``, and the rest is filled with ``<``.
    A name too long for the field is truncated as Doc 9303 Parts 4-7 require, so that the last
    position holds a letter (the sign that the name may have been truncated):

    * if the primary identifier fits with ``<<`` and at least one letter after it, it is kept
      whole and the secondary identifier is cut to fit (ICAO's TD3 examples 4.2.3.2 a and b);
    * otherwise the primary identifier is cut so that ``<<`` and the first letter of the
      secondary identifier fit;
    * a cut never ends on a filler: the last kept component is shortened by one letter so that
      the initial of the next one fits.
    """
    if width < 4:
        raise ValueError(f"an MRZ name field needs at least 4 positions, not {width}")
    primary_parts = mrz_components(primary)
    secondary_parts = mrz_components(secondary)
    if not secondary_parts:
        field = _fit(primary_parts, width)
    else:
        joined = "<".join(primary_parts)
        if len(joined) + 3 <= width:
            field = joined + "<<" + _fit(secondary_parts, width - len(joined) - 2)
        else:
            field = _fit(primary_parts, width - 3) + "<<" + secondary_parts[0][0]
    return field.ljust(width, "<")


def _fit(parts: list[str], size: int) -> str:
    """``parts`` joined by ``<``, cut to ``size`` characters so that the cut ends on a letter."""
    full = "<".join(parts)
    if len(full) <= size:
        return full
    cut = full[:size]
    if cut[-1] != "<":
        return cut
    kept = cut[:-1].split("<")
    initial = full[size]  # the first letter of the component that did not fit
    for position in range(len(kept) - 1, -1, -1):
        if len(kept[position]) >= 2:
            kept[position] = kept[position][:-1]
            return "<".join(kept) + "<" + initial
    # Only initials left: the field cannot end on a letter; keep what fits.
    return cut[:-1]


def to_national_latin(name: str, lang: str) -> str:
    """A Cyrillic name in the national Latin alphabet of ``lang`` (uz, kk, az, tr, ru, ky, tg),
    keeping the case pattern (Title, UPPER, lower).

    Latin letters pass through unchanged; apostrophe look-alikes are normalised (Uzbek: ʻ after
    O and G, ʼ elsewhere). Cyrillic letters the language's table lacks fall back to the MRZ
    table. See ``docs/names-and-mrz.md`` for the tables and their sources.
    """
    table = national_table(lang)
    text = unicodedata.normalize("NFC", name)
    capitals = _all_caps_positions(text)
    out: list[str] = []
    for index, char in enumerate(text):
        if char in APOSTROPHES:
            out.append(_apostrophe(table, text, index))
            continue
        value = _national_letter(table, text, index)
        if value is None:
            out.append(char)
        elif char.isupper() and index in capitals:
            out.append(value.upper())
        else:
            out.append(value)
    return "".join(out)


def _national_letter(table: NationalTable, text: str, index: int) -> str | None:
    char = text[index]
    value = table.letters.get(char)
    if value is None:
        entry = mrz_entries().get(char)
        if entry is None or entry.table not in ("icao_cyrillic", "kervan_extension"):
            return None
        # A Cyrillic letter of another language (Ң in an Uzbek name): its MRZ form, cased.
        return entry.mrz.capitalize() if char.isupper() else entry.mrz.lower()
    if table.ye_rule and char in "Ее" and _starts_ye(text, index):
        return "Ye" if char.isupper() else "ye"
    return value


def _starts_ye(text: str, index: int) -> bool:
    # Е says "ye" at the start of a word and after a vowel or a hard or soft sign.
    if index == 0 or not text[index - 1].isalpha():
        return True
    return text[index - 1] in _CYRILLIC_VOWELS or text[index - 1] in _SIGNS


def _apostrophe(table: NationalTable, text: str, index: int) -> str:
    if index > 0 and text[index - 1] in table.turned_after:
        return table.turned_apostrophe
    return table.apostrophe


def _all_caps_positions(text: str) -> set[int]:
    """Positions inside words written entirely in capitals (ЎТКИР -> OʻTKIR, not OʻTkir)."""
    positions: set[int] = set()
    for word in re.finditer(rf"[\w{APOSTROPHES}]+", text):
        cased = [c for c in word.group() if c.isupper() or c.islower()]
        if len(cased) >= 2 and all(c.isupper() for c in cased):
            positions.update(range(word.start(), word.end()))
    return positions


def detect_script(name: str) -> str:
    """The ISO 15924 code of the script most letters of ``name`` are written in: ``Latn``,
    ``Cyrl``, ``Arab``, ``Grek``, ... ``Zzzz`` for letters of a script not listed here, and
    ``Zyyy`` (common) when the name has no letters at all."""
    counts: Counter[str] = Counter()
    for char in unicodedata.normalize("NFC", name):
        if not unicodedata.category(char).startswith("L"):
            continue
        words = unicodedata.name(char, "").split()
        if not words or words[0] == "MODIFIER":
            continue  # ʻ and ʼ are letters to Unicode but belong to no script
        if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
            words = words[1:]
        counts[_SCRIPTS.get(words[0], "Zzzz")] += 1
    if not counts:
        return "Zyyy"
    return counts.most_common(1)[0][0]
