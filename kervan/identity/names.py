"""Matching keys for names: ``fold`` (exact key), ``skeleton`` (coarse blocking key),
``name_tokens`` and ``split_patronymic``; ranking is ``kervan.identity.name_match``.

The register stores these keys in indexed columns and searches by them, so they are plain,
deterministic functions of the written name: no language hint, no database, no randomness.

``fold`` writes a name in the MRZ alphabet (``to_mrz``) and then merges the spellings that
transliteration schemes and passports produce for the same letters; two spellings of one name
fold to the same key when they differ only in: KH/H/X, ZH/J/DZH/DJ, SH/Ş, CH/Ç, TS/C, Q/K,
GH/G, W/V, Y/J/I (IU/YU/JU, IA/YA/JA), IE/YE/E, IO/YO/E (Ё), OE/O, UE/U, AE/A, doubled letters,
and apostrophes. Uzbek ``Oʻ`` (any apostrophe look-alike after O) is read as Ў and folds like
the ICAO ``U`` (so O'Connor folds to UCONOR, OCONNOR to OCONOR; their skeletons agree).

O and U stay distinct in ``fold`` (OMAR is not UMAR): ``skeleton`` drops the vowels, so OTKIR
and UTKIR, MAMMADOV and MEMMEDOV share a block. See docs/names-and-mrz.md.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from kervan.identity.translit import to_mrz

# Applied in order, repeatedly, until nothing changes: the result is a fixed point, which is
# what makes fold idempotent. Every rule shortens the word or removes one of X Q W J Y, so the
# loop ends. Literal rules use str.replace, which is several times faster than re.sub.
_FOLD_RULES: tuple[tuple[str | re.Pattern[str], str], ...] = (
    ("DZH", "J"),  # Джамшид: DZHAMSHID / DJAMSHID / JAMSHID
    ("DJ", "J"),
    ("ZH", "J"),  # Ж: ICAO ZH, Uzbek, Kazakh and Azerbaijani J
    ("SHCH", "S"),  # Щ: ICAO SHCH, Kazakh Şş
    ("KH", "H"),  # Х: ICAO KH, Uzbek X, Kazakh H
    ("GH", "G"),  # Tajik Ғ
    ("SH", "S"),  # Ш vs Turkish, Azerbaijani and Kazakh Ş (MRZ S)
    ("CH", "C"),  # Ч vs Turkish and Azerbaijani Ç (MRZ C)
    ("TS", "C"),  # Ц: TS vs C
    ("X", "H"),  # Uzbek and Azerbaijani X is Х
    ("Q", "K"),  # Uzbek and Kazakh Q is Қ (MRZ K)
    ("W", "V"),
    ("J", "I"),  # Й, Ы and the glide of Ю/Я/Ё: I, Y or J depending on the scheme
    ("Y", "I"),
    (re.compile(r"([A-Z])\1+"), r"\1"),  # MAMMADOV / MAMADOV, IULIIA / IULIA
    ("AE", "A"),  # Ä: AE or A; Ə in Kazakh Latin
    ("OE", "O"),  # Ö: OE or O
    ("UE", "U"),  # Ü: UE or U
    (re.compile(r"IE(?=[AEIOU])"), ""),  # Ъ before a vowel: ICAO IE, otherwise dropped (Asʼad)
    ("IE", "E"),  # Е after a vowel, Ъ: YE, IE or E
    ("IO", "E"),  # Ё: E (ICAO), YO, IO
    (re.compile(r"(?<=[B-DF-HJ-NP-TV-Z])IU"), "U"),  # Ю after a consonant: LIUDMILA / LUDMILA
)

# O followed by an apostrophe look-alike is Uzbek Oʻ (Ў). Irish O'Connor is read
# the same way: the alternative would make fold depend on letter case (O'CONNOR vs O'Connor).
# U+02BC (ʼ) is the Uzbek tutuq belgisi, a different letter, and is left alone.
_UZBEK_O = re.compile(r"[Oo][ʻ‘`'’]")

# Dropped from the skeleton: vowels, and C, which stands for Ч, Ц, Ç and Azerbaijani and Turkish
# C (/dʒ/) - the last alternates with J/DZH (Cavid, Джавид, JAVID), which fold reads as I.
_WEAK = frozenset("AEIOUC")
# Consonant classes for the skeleton: letters that alternate between spellings of one name
# (Mahmud/Mahmut, Rajab/Recep, Yusuf/Yusup, Hasan/Гасан, Ahmad/Akhmad, Magomed/Muhammad).
_CONSONANT_CLASS = str.maketrans("DPFVWGQHX", "TBBBBKKKK")

# Patronymic markers as written; compared after folding. Kazakh -ұлы/-қызы written as one word
# with the father's name is a surname and stays in the name.
PATRONYMIC_MARKERS = (
    "oʻgʻli",
    "ўғли",
    "угли",
    "ogly",
    "оглы",
    "oğlu",
    "ogli",
    "qizi",
    "қизи",
    "кизи",
    "qızı",
    "гызы",
    "kyzy",
    "кызы",
    "қызы",
    "uly",
    "ұлы",
    "uulu",
    "уулу",
)
# Russian-style patronymics (-ovich, -evna, -ichna) after folding; not the first word, where
# they would be a surname (Petrović).
_PATRONYMIC_ENDINGS = ("OVIC", "EVIC", "OVNA", "EVNA", "ICNA")


@functools.lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """The folding key: the name's words in the MRZ alphabet with spelling variants merged,
    upper-case ASCII, separated by single spaces, in the order written. Idempotent.
    Cached, like ``skeleton``: a register repeats the same names many times over."""
    text = _read_uzbek_o(unicodedata.normalize("NFC", name))
    words = to_mrz(text).replace("-", " ").split()
    return " ".join(word for word in map(_fold_word, words) if word)


def _read_uzbek_o(text: str) -> str:
    return _UZBEK_O.sub(lambda match: "U" if match.group(0)[0] == "O" else "u", text)


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    # Cached: a register has many people and few distinct name words.
    while True:
        before = word
        for rule, replacement in _FOLD_RULES:
            if isinstance(rule, str):
                word = word.replace(rule, replacement)
            else:
                word = rule.sub(replacement, word)
        if word == before:
            return word


@functools.lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """The coarse blocking key of one name word: ``A`` for a first letter that is a vowel or
    C, else the first letter's consonant class, then the classes of the other consonants;
    vowels and C dropped (UTKIR and OTKIR -> ATKR; MAMMADOV, MEMMEDOV, MAMEDOV -> MMTB;
    CAVID and JAVID -> ABT). Works on raw or folded words; several words are read as one."""
    folded = fold(token).replace(" ", "")
    if len(folded) > 2 and folded.endswith("H"):
        folded = folded[:-1]  # a final h is often not written: ABDULLAH / ABDULLA, ABDULLOH
    if not folded:
        return ""
    classes = folded.translate(_CONSONANT_CLASS)
    out = ["A" if classes[0] in _WEAK else classes[0]]
    for previous, char in itertools.pairwise(classes):
        # Neighbouring letters of one class are one sound (DT, KH -> K): keep one.
        if char not in _WEAK and char != previous:
            out.append(char)
    return "".join(out)


def split_patronymic(name: str) -> tuple[str, str]:
    """Split a patronymic off a name: ``(name, patronymic)`` in the original spelling.

    A marker word (oʻgʻli, qizi, oğlu, qızı, ұлы, қызы, uulu, kyzy, ogly and their
    transliterations) takes the word before it as the father's name (Ilhom oʻgʻli); a Russian
    -ovich/-ovna word that is not the first word is a patronymic by itself.
    """
    words = name.split()
    patronymic: set[int] = set()
    markers = _folded_markers()
    for index, word in enumerate(words):
        folded = fold(word).replace(" ", "")
        if folded in markers:
            patronymic.update({index - 1, index} if index > 0 else {index})
        elif index > 0 and len(folded) > 5 and folded.endswith(_PATRONYMIC_ENDINGS):
            patronymic.add(index)
    kept = " ".join(w for i, w in enumerate(words) if i not in patronymic)
    return kept, " ".join(w for i, w in enumerate(words) if i in patronymic)


@functools.cache
def _folded_markers() -> frozenset[str]:
    return frozenset(fold(marker) for marker in PATRONYMIC_MARKERS)


def name_tokens(primary: str, secondary: str) -> list[str]:
    """The folded words of a person's name, primary identifier first, patronymics left out."""
    tokens: list[str] = []
    for part in (primary, secondary):
        kept, _patronymic = split_patronymic(part)
        tokens.extend(fold(kept).split())
    return tokens


def name_key(primary: str, secondary: str) -> str:
    """An order-free exact key: the distinct folded words, sorted, space-separated (so the
    Hungarian family-first order and a swapped record meet)."""
    return " ".join(sorted(set(name_tokens(primary, secondary))))
