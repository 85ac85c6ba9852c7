"""Scoring a typed name against a person's name, part by part, by how each word matched.

A query is a bag of words (officers type the family name first or last); a person's name is
three parts — surname, given names, patronymic. Each query word is paired with at most one word
of the person, the best pairs first, and every pair is valued by

* its **match kind**: ``EXACT`` (the same letters in the query's own script, or the passport's
  Latin spelling typed as printed) > ``TRANSLITERATION`` (the same folding key under some
  reading: ICAO, a national Latin alphabet, a Hungarian, Turkish or Azerbaijani reading of
  Russian Cyrillic) > ``PHONETIC`` (the same consonant skeleton) > ``FUZZY`` (one or two
  letters wrong, missing, doubled or swapped);
* the **part** it matched: a surname match weighs more than a given-name match, which weighs
  more than a patronymic match.

Kyrgyz family names (``Асан уулу``, ``ASAN UULU``) are surnames made of a name and a particle:
they match as a whole, in either order, with the particle typed or not, and the particle itself
counts little. A query's patronymic (``Ilhom oʻgʻli``, ``Ivanovich``) counts when the person
has one recorded and is neutral when they have none.
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from kervan.identity.names import PATRONYMIC_MARKERS, fold, skeleton
from kervan.identity.readings import folded_readings
from kervan.identity.translit import APOSTROPHES, to_mrz


class MatchKind(enum.IntEnum):
    NONE = 0
    FUZZY = 1
    PHONETIC = 2
    TRANSLITERATION = 3
    EXACT = 4


KIND_VALUES = {
    MatchKind.EXACT: 1.0,
    MatchKind.TRANSLITERATION: 0.92,
    MatchKind.PHONETIC: 0.8,
    MatchKind.FUZZY: 0.7,  # minus 0.1 for a second edit
}
SURNAME, GIVEN, PATRONYMIC = "surname", "given", "patronymic"
PART_WEIGHTS = {SURNAME: 1.0, GIVEN: 0.85, PATRONYMIC: 0.5}
PARTICLE_WEIGHT = 0.2
# Each surname or given-name word of the person that no query word covered: the person whose
# name is exactly what was typed comes before one with a longer name.
UNCOVERED_PENALTY = 2.0
_RUSSIAN_PATRONYMIC_ENDINGS = ("OVIC", "EVIC", "OVNA", "EVNA", "ICNA")
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))


@functools.cache
def _particles() -> frozenset[str]:
    return frozenset(fold(marker) for marker in PATRONYMIC_MARKERS)


def allowed_edits(folded: str) -> int:
    """How many letters a typo may change in a word of this length and still match."""
    if len(folded) <= 2:
        return 0
    return 1 if len(folded) <= 6 else 2


@dataclass(frozen=True, slots=True)
class WordForms:
    """One word as written and as every reading folds it."""

    written: frozenset[str]
    folded: frozenset[str]
    skeletons: frozenset[str]
    # Folded and plain MRZ spellings, for typos: folding merges the doubled letters a typo may
    # make (Naari for Nazari folds to NARI, two letters from NAZARI; NAARI is one).
    spellings: frozenset[str] = frozenset()


def _written(word: str) -> str:
    return unicodedata.normalize("NFC", word).translate(_APOSTROPHE_TABLE).casefold()


@functools.lru_cache(maxsize=1 << 16)
def word_forms(word: str, alternative: str = "", *, readings: bool = True) -> WordForms:
    """The forms of ``word``, merged with those of ``alternative`` (the same word as the
    passport spells it), if given. ``readings``: fold every source language's reading of a
    Cyrillic word (what an officer typed), not only ICAO's (a stored name, which its own
    passport spelling, the ``alternative``, already accompanies) — readings cost eight folds."""
    words = [w for w in (word, alternative) if w]
    read = folded_readings if readings else _icao_fold
    # A hyphenated word (Al-Omar) is one token: its passport may print ALOMAR.
    folded = frozenset(f.replace(" ", "") for w in words for f in read(w))
    plain = frozenset(p for w in words if (p := to_mrz(w).replace(" ", "").replace("-", "")))
    return WordForms(
        written=frozenset(_written(w) for w in words),
        folded=folded,
        skeletons=frozenset(skeleton(f) for f in folded),
        spellings=folded | plain,
    )


def _icao_fold(word: str) -> frozenset[str]:
    return frozenset({key}) if (key := fold(word)) else frozenset()


@functools.lru_cache(maxsize=1 << 16)
def particle_of(word: str) -> str:
    """The folded particle (UULU, KYZY, OGLI, QIZI, ...) ``word`` is, or ""."""
    folded = fold(word).replace(" ", "")
    return folded if folded in _particles() else ""


@functools.lru_cache(maxsize=1 << 18)
def compare_words(query: WordForms, candidate: WordForms) -> tuple[MatchKind, float]:
    """How a query word matched a person's word, and the value of that match (0-1)."""
    if query.written & candidate.written:
        return MatchKind.EXACT, KIND_VALUES[MatchKind.EXACT]
    if query.folded & candidate.folded:
        return MatchKind.TRANSLITERATION, KIND_VALUES[MatchKind.TRANSLITERATION]
    if query.skeletons & candidate.skeletons and _close(query.folded, candidate.folded):
        return MatchKind.PHONETIC, KIND_VALUES[MatchKind.PHONETIC]
    best = None
    for left in query.spellings:
        limit = allowed_edits(left)
        for right in candidate.spellings:
            distance = OSA.distance(left, right, score_cutoff=limit)
            if distance <= limit and (best is None or distance < best):
                best = distance
    if best is not None and best > 0:
        return MatchKind.FUZZY, KIND_VALUES[MatchKind.FUZZY] - 0.1 * (best - 1)
    # A typo on top of another reading (Якуобв for YOQUBOV): the skeletons are one letter apart.
    for left in query.skeletons:
        for right in candidate.skeletons:
            if min(len(left), len(right)) >= 3 and OSA.distance(left, right, score_cutoff=1) <= 1:
                return MatchKind.FUZZY, KIND_VALUES[MatchKind.FUZZY] - 0.15
    return MatchKind.NONE, 0.0


def _close(left: frozenset[str], right: frozenset[str]) -> bool:
    """Some spellings within a third of their letters of each other: one skeleton is shared
    by MEMMEDOV and MAMMADOV, but also by ALI and ELLA."""
    return any(OSA.distance(a, b) <= max(1, min(len(a), len(b)) // 3) for a in left for b in right)


@dataclass(frozen=True, slots=True)
class Token:
    """A name word with the particle that follows it, if any: «Асан уулу» is one token, the
    father's name ASAN carrying the particle UULU."""

    forms: WordForms
    particle: str = ""
    # Query side: a word with a particle or a -ovich word, not typed first — a patronymic,
    # neutral for a person who has none recorded (typed first, it is a Kyrgyz surname).
    maybe_patronymic: bool = False


def _tokens(
    words: Sequence[str], alternatives: Sequence[str], *, readings: bool
) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for word, alternative in zip(words, alternatives, strict=True):
        particle = particle_of(word)
        if particle and tokens and not tokens[-1].particle:
            tokens[-1] = Token(tokens[-1].forms, particle)
        elif not particle:
            tokens.append(Token(word_forms(word, alternative, readings=readings)))
    return tuple(tokens)


def _split(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if fold(w)]


@functools.lru_cache(maxsize=1 << 12)
def query_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of a typed name (commas read as spaces)."""
    words = _split(text)
    tokens = list(_tokens(words, [""] * len(words), readings=True))
    for index, token in enumerate(tokens):
        ending = any(f.endswith(_RUSSIAN_PATRONYMIC_ENDINGS) for f in token.forms.folded)
        if index > 0 and (token.particle or ending):
            tokens[index] = Token(token.forms, token.particle, maybe_patronymic=True)
    return tuple(tokens)


def _part_tokens(written: str, identifier: str) -> tuple[Token, ...]:
    words = _split(written)
    alternatives = _split(identifier)
    if len(alternatives) != len(words):
        alternatives = [""] * len(words)
    return _tokens(words, alternatives, readings=False)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name as the ranking sees it: tokens per part."""

    parts: tuple[tuple[str, tuple[Token, ...]], ...]

    @property
    def has_patronymic(self) -> bool:
        return any(part == PATRONYMIC and tokens for part, tokens in self.parts)

    @property
    def has_particle(self) -> bool:
        return any(t.particle for part, tokens in self.parts if part != PATRONYMIC for t in tokens)


@functools.lru_cache(maxsize=1 << 16)
def person_name(
    primary_name: str,
    secondary_name: str,
    patronymic: str = "",
    primary_identifier: str = "",
    secondary_identifier: str = "",
) -> PersonName:
    return PersonName(
        (
            (SURNAME, _part_tokens(primary_name, primary_identifier)),
            (GIVEN, _part_tokens(secondary_name, secondary_identifier)),
            (PATRONYMIC, _part_tokens(patronymic, "")),
        )
    )


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float  # 0-100
    surname: MatchKind  # the best kind a surname word matched by: ties go to the surname
    parts: tuple[tuple[str, MatchKind], ...]  # per part, the weakest kind among its matches
    in_order: bool = False  # the first word typed was the surname: breaks «Бакыт Асан» ties
    weighted: float = 0.0  # the matches' values weighted by part: surname > given > patronymic


def _particles_agree(query: Token, candidate: Token, person: PersonName) -> float | None:
    """The factor a pair's value takes for its particles; None when they cannot pair."""
    if query.particle and not candidate.particle:
        # «Асан уулу» typed: the father's name of a Kyrgyz surname, or a patronymic; it pairs
        # with a plain word only for a person who carries no particle at all.
        return None if person.has_particle else 0.95
    if query.particle and query.particle != candidate.particle:
        return 0.9  # UULU for KYZY: the name is right, the particle is not
    if candidate.particle and not query.particle:
        # «Асан Бакыт» for Асан уулу Бакыт is right, but a typed particle pairs first
        # (Таалай Таалай уулу: the second Таалай is the surname).
        return 0.97
    return 1.0


def _pairs(
    query: Sequence[Token], person: PersonName
) -> list[tuple[float, int, str, int, MatchKind]]:
    pairs: list[tuple[float, int, str, int, MatchKind]] = []
    for qi, token in enumerate(query):
        for part, tokens in person.parts:
            for ci, candidate in enumerate(tokens):
                factor = _particles_agree(token, candidate, person)
                if factor is None:
                    continue
                kind, value = compare_words(token.forms, candidate.forms)
                if kind is not MatchKind.NONE:
                    pairs.append((factor * value * PART_WEIGHTS[part], qi, part, ci, kind))
    pairs.sort(key=lambda p: (-p[0], p[1], p[3]))
    return pairs


def score_name(query: Sequence[Token], person: PersonName) -> NameScore:
    """How well the typed tokens match the person's name, 0-100: the mean value of the tokens'
    matches, whatever part they matched (a typo costs as much in a patronymic as in a surname);
    which part matched breaks ties (``NameScore.weighted``)."""
    assigned: dict[int, tuple[float, str, MatchKind]] = {}
    taken: set[tuple[str, int]] = set()
    for value, qi, part, ci, kind in _pairs(query, person):
        if qi not in assigned and (part, ci) not in taken:
            assigned[qi] = (value / PART_WEIGHTS[part], part, kind)
            taken.add((part, ci))
    neutral_patronymic = not person.has_patronymic and not person.has_particle
    counted = sum(
        1
        for qi, token in enumerate(query)
        if qi in assigned or not (token.maybe_patronymic and neutral_patronymic)
    )
    if not assigned or not counted:
        return NameScore(0.0, MatchKind.NONE, ())
    uncovered = sum(
        1
        for part, tokens in person.parts
        if part != PATRONYMIC
        for ci in range(len(tokens))
        if (part, ci) not in taken
    )
    total = sum(value for value, _part, _kind in assigned.values())
    score = max(0.0, 100.0 * total / counted - UNCOVERED_PENALTY * uncovered)
    kinds: dict[str, MatchKind] = {}
    for _value, part, kind in assigned.values():
        kinds[part] = min(kinds.get(part, kind), kind)
    surname = max((k for _v, p, k in assigned.values() if p == SURNAME), default=MatchKind.NONE)
    return NameScore(
        round(score, 1),
        surname,
        tuple(sorted(kinds.items())),
        in_order=0 in assigned and assigned[0][1] == SURNAME,
        weighted=round(sum(v * PART_WEIGHTS[p] for v, p, _k in assigned.values()), 3),
    )
