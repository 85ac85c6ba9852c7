"""Typo-tolerant look-up of name words in the register's vocabulary (``name_words``).

Given the folded words of a query, find every word any person carries that is within a typo
of one of them (``kervan.identity.name_match.allowed_edits``). Both databases answer the same
question — the vocabulary words sharing at least one trigram of ``^WORD$`` with a query word,
with a length within the typo budget — SQLite through its FTS5 trigram index, PostgreSQL
through ``pg_trgm``; the edit distance is then checked here, in one place. So the candidates,
and the recall, are the same on both.

The vocabulary is small next to the register (a few thousand words for a million persons of
the synthetic data; a national register repeats its names as much), so this costs a few
milliseconds whatever the number of persons.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import text
from sqlalchemy.orm import Session

from kervan.identity.name_match import allowed_edits

# Bounds the answer for a word made of very common trigrams in a very varied register.
MAX_VOCABULARY_ROWS = 20_000


def padded_trigrams(word: str) -> list[str]:
    """The trigrams of ``^WORD$``: the first and last letters make trigrams of their own, so
    one wrong letter anywhere leaves at least one trigram intact."""
    padded = f"^{word}$"
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})


def _like_pattern(gram: str) -> str:
    if gram.startswith("^"):
        return gram[1:] + "%"
    if gram.endswith("$"):
        return "%" + gram[:-1]
    return f"%{gram}%"


def _vocabulary(session: Session, grams: list[str], shortest: int, longest: int) -> list[str]:
    bounds = {"lo": shortest, "hi": longest, "cap": MAX_VOCABULARY_ROWS}
    if session.get_bind().dialect.name == "postgresql":
        query = text(
            "SELECT word FROM name_words WHERE word LIKE ANY(:patterns) "
            "AND length(word) BETWEEN :lo AND :hi ORDER BY word LIMIT :cap"
        )
        params = {"patterns": [_like_pattern(g) for g in grams], **bounds}
    else:
        query = text(
            "SELECT n.word FROM sqlx_name_words_fts AS f JOIN name_words AS n "
            "ON n.rowid = f.rowid WHERE sqlx_name_words_fts MATCH :match "
            "AND length(n.word) BETWEEN :lo AND :hi ORDER BY n.word LIMIT :cap"
        )
        params = {"match": " OR ".join(f'"{g}"' for g in grams), **bounds}
    return list(session.scalars(query, params))


def similar_words(session: Session, words: Iterable[str]) -> dict[str, set[str]]:
    """For each of ``words`` (folded, A-Z), the vocabulary words within ``allowed_edits`` of
    it, itself excluded; one database query for all of them."""
    wanted = {w for w in words if allowed_edits(w) > 0 and w.isascii() and w.isalpha()}
    if not wanted:
        return {}
    grams = sorted({g for w in wanted for g in padded_trigrams(w)})
    shortest = min(len(w) - allowed_edits(w) for w in wanted)
    longest = max(len(w) + allowed_edits(w) for w in wanted)
    vocabulary = _vocabulary(session, grams, shortest, longest)
    found: dict[str, set[str]] = {}
    for word in wanted:
        limit = allowed_edits(word)
        matches = process.extract(
            word, vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        found[word] = {match for match, distance, _index in matches if distance > 0}
    return found
