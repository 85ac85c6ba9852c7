"""Finding a person however the officer spells the name.

Two steps, both bounded whatever the register's size, and the same on SQLite and PostgreSQL:
1. *Candidates* by indexed keys, widened only while nobody convincing is found: the coarse
   skeletons of the typed words under every reading (``kervan.identity.readings``: ICAO,
   national Latin, Hungarian, Turkish and Azerbaijani readings of Cyrillic), paired as
   (surname, given name) in either order; then also the skeletons of the register's words
   within a typo of them (``name_words``: FTS5 trigrams on SQLite, ``pg_trgm`` on
   PostgreSQL); then each word alone. A travel or stay document number, by its indexes.
2. *Ranking* in Python over at most a thousand or so candidates, part by part
   (``kervan.identity.name_match``): how each word matched (exact, transliteration, phonetic,
   typo) and which part it matched (surname before given name before patronymic). With a date
   of birth, the persons born that day come first, then the closest dates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.name_match import (
    MatchKind,
    NameScore,
    Token,
    person_name,
    query_tokens,
    score_name,
)
from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.name_words import similar_words
from kervan.registry.naming import token_skeleton
from kervan.registry.numbers import normalise_number
from kervan.registry.schemas import BirthDate

CANDIDATE_LIMIT = 1000
_ARTICLES = frozenset({"AL", "EL", "UL"})
MIN_SCORE = 50.0
# A hit this good ends the search before the typo blocks (a name in some spelling: 90 or more)
CONFIDENT_SCORE = 88.0
# ... and this good before looking for each word alone (a typo in one word scores 85).
FOUND_SCORE = 80.0
FALLBACK_LIMIT = 200


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: float
    matched_on: list[str] = field(default_factory=list)
    # How each name part matched: {"surname": "exact", "given": "fuzzy", ...}
    name_parts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchQuery:
    name: str = ""
    birth_date: BirthDate | None = None
    document_number: str | None = None


# An MRZ pasted into a one-line field loses its line breaks: TD1 is 3 × 30 characters,
# TD2 2 × 36, TD3 (passports) 2 × 44.
MRZ_LINE_WIDTHS = {90: 30, 72: 36, 88: 44}


def mrz_lines(text: str) -> list[str] | None:
    """The lines of an MRZ, whether pasted with its line breaks or run together; else None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) in (2, 3) and all("<" in line for line in lines):
        return lines
    compact = "".join(text.split())
    width = MRZ_LINE_WIDTHS.get(len(compact))
    if width and "<<" in compact:
        return [compact[i : i + width] for i in range(0, len(compact), width)]
    return None


def interpret_query(text: str) -> SearchQuery:
    """A search box takes a name, a document number or a whole MRZ; tell which it is."""
    stripped = text.strip()
    lines = mrz_lines(stripped)
    if lines:
        try:
            mrz = parse_mrz(lines)
        except MRZError:
            pass
        else:
            birth = mrz.birth_date
            return SearchQuery(
                name=f"{mrz.primary_identifier} {mrz.secondary_identifier}".strip(),
                birth_date=BirthDate(year=birth.year, month=birth.month, day=birth.day)
                if birth.year
                else None,
                document_number=mrz.document_number,
            )
    compact = normalise_number(stripped)
    if compact and any(c.isdigit() for c in compact) and compact.isalnum():
        return SearchQuery(document_number=compact)
    return SearchQuery(name=stripped)


# Only what ranking needs: loading whole ORM objects for thousands of namesakes is the cost.
_RANK_COLUMNS = (
    Person.id,
    Person.primary_name,
    Person.secondary_name,
    Person.patronymic,
    Person.primary_identifier,
    Person.secondary_identifier,
    Person.birth_year,
    Person.birth_month,
    Person.birth_day,
)


@dataclass(frozen=True)
class _Candidate:
    id: uuid.UUID
    primary_name: str
    secondary_name: str
    patronymic: str
    primary_identifier: str
    secondary_identifier: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None


def _rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[_Candidate]:
    return [_Candidate(*row) for row in session.execute(query)]


Blocks = list[list[str]]  # per typed token, the skeletons its person may be filed under


def _own_blocks(tokens: tuple[Token, ...]) -> Blocks:
    """The skeletons of every reading of each typed token."""
    blocks = []
    for token in tokens:
        skeletons = set(token.forms.skeletons)
        # ALOMAR typed for Al-Omar, whose block is that of its first word, AL.
        skeletons.update(
            token_skeleton(f[:2]) for f in token.forms.folded if f[:2] in _ARTICLES and len(f) > 3
        )
        blocks.append(sorted(s for s in skeletons if s))
    return blocks


def _typo_blocks(session: Session, tokens: tuple[Token, ...]) -> Blocks:
    """``_own_blocks`` widened by the skeletons of the register's words within a typo of each
    token's spellings (``name_words``)."""
    spellings = {s for token in tokens for s in token.forms.spellings}
    similar = similar_words(session, spellings)
    blocks = []
    for token, own in zip(tokens, _own_blocks(tokens), strict=True):
        near = {w for s in token.forms.spellings for w in similar.get(s, ())}
        blocks.append(sorted(set(own) | {token_skeleton(w) for w in near}))
    return blocks


def _name_conditions(blocks: Blocks) -> list[ColumnElement[bool]]:
    """Indexed conditions whose union holds the name's candidates."""
    if len(blocks) >= 2:
        # Two or more words typed: one is the family name and another the given name, in
        # either order (Hungarian and many registers write the family name first). Each
        # ordered pair walks the (primary, secondary) skeleton index.
        return [
            and_(Person.primary_skeleton.in_(first), Person.secondary_skeleton.in_(second))
            for i, first in enumerate(blocks)
            for j, second in enumerate(blocks)
            if i != j and first and second
        ]
    # One word: it may be the family or the given name. Two queries, each walking one index,
    # beat an OR that the planner answers with a bitmap over both.
    return [Person.primary_skeleton.in_(blocks[0]), Person.secondary_skeleton.in_(blocks[0])]


def _name_candidates(
    session: Session,
    scope: ColumnElement[bool],
    query: SearchQuery,
    blocks: Blocks,
    limit: int = CANDIDATE_LIMIT // 2,
    *,
    same_birth: bool = False,
) -> list[_Candidate]:
    """The persons in ``blocks``; with a typed date of birth, those born that year — or, with
    ``same_birth``, only those whose date agrees as far as it is known (the wider steps look
    in bigger blocks, where the limit would otherwise cut the person off)."""
    found: list[_Candidate] = []
    for condition in _name_conditions(blocks):
        by_name = select(*_RANK_COLUMNS).where(scope, condition)
        if query.birth_date is not None:
            by_name = by_name.where(*_birth_conditions(query.birth_date, same_birth))
        found.extend(_rows(session, by_name.limit(limit)))
    return found


def _birth_conditions(birth: BirthDate, same_birth: bool) -> list[ColumnElement[bool]]:
    conditions = [Person.birth_year == birth.year]
    if same_birth:
        if birth.month is not None:
            conditions.append(or_(Person.birth_month.is_(None), Person.birth_month == birth.month))
        if birth.day is not None:
            conditions.append(or_(Person.birth_day.is_(None), Person.birth_day == birth.day))
    return conditions


def _document_candidates(
    session: Session, scope: ColumnElement[bool], number: str
) -> list[_Candidate]:
    # Two index look-ups, then the persons by id: an OR of the two subqueries makes
    # PostgreSQL scan every person (a second at a million).
    holders = set(
        session.scalars(
            select(TravelDocument.person_id).where(TravelDocument.number == number).limit(100)
        )
    )
    holders.update(
        session.scalars(
            select(StayDocument.person_id).where(StayDocument.number == number).limit(100)
        )
    )
    if not holders:
        return []
    query = select(*_RANK_COLUMNS).where(Person.id.in_(sorted(holders)), scope)
    return _rows(session, query.limit(100))


def _birth_agreement(person: _Candidate, birth: BirthDate) -> tuple[int, int]:
    """(how well the dates agree: 3 the same date, unknown parts included — a document that
    leaves the day unknown matches the record that does; 2 the same as far as both are known;
    1 the same year; 0 differ — and how many days apart when both are whole dates)."""
    if person.birth_year != birth.year:
        return 0, 366 * abs(person.birth_year - birth.year)
    parts = ((person.birth_month, birth.month), (person.birth_day, birth.day))
    if any(mine is not None and theirs is not None and mine != theirs for mine, theirs in parts):
        if None in (person.birth_month, person.birth_day, birth.month, birth.day):
            return 1, 31 * abs((person.birth_month or 1) - (birth.month or 1))
        days = (
            dt.date(birth.year, person.birth_month or 1, min(person.birth_day or 1, 28))
            - dt.date(birth.year, birth.month or 1, min(birth.day or 1, 28))
        ).days
        return 1, abs(days)
    identical = all(mine == theirs for mine, theirs in parts)
    return (3 if identical else 2), 0


# Added to the name score (0-100) for sorting: a typed date of birth that agrees puts the
# person ahead of namesakes and near spellings born on other days.
BIRTH_BONUS = {3: 25.0, 2: 15.0, 1: 0.0, 0: 0.0}


@dataclass(frozen=True)
class _Ranked:
    candidate: _Candidate
    score: float
    matched: list[str]
    order: tuple[float, ...]
    name_parts: dict[str, str] = field(default_factory=dict)


@dataclass
class _Ranker:
    query: SearchQuery
    tokens: tuple[Token, ...]
    document_people: set[uuid.UUID]
    # Namesakes share a name: score each distinct name once.
    name_scores: dict[tuple[str, ...], NameScore] = field(default_factory=dict)

    def name_score(self, person: _Candidate) -> NameScore:
        key = (
            person.primary_name,
            person.secondary_name,
            person.patronymic,
            person.primary_identifier,
            person.secondary_identifier,
        )
        if key not in self.name_scores:
            self.name_scores[key] = score_name(self.tokens, person_name(*key))
        return self.name_scores[key]

    def rank(self, person: _Candidate) -> _Ranked | None:
        matched: list[str] = []
        score = 0.0
        name = NameScore(0.0, MatchKind.NONE, ())
        if self.tokens:
            name = self.name_score(person)
            score = name.score
            if score >= MIN_SCORE:
                matched.append("name")
        if self.query.document_number:
            if person.id in self.document_people:
                score = max(score, 70.0) + 30.0
                matched.append("document_number")
            elif not self.tokens:
                return None
        if not matched:
            return None
        agreement, days_apart = 0, 0
        if self.query.birth_date is not None:
            agreement, days_apart = _birth_agreement(person, self.query.birth_date)
            if agreement >= 2:
                matched.append("birth_date")
        order = (
            -(score + BIRTH_BONUS[agreement]),
            days_apart,
            -name.weighted,
            -name.surname,
            -name.in_order,
        )
        parts = {part: kind.name.lower() for part, kind in name.parts}
        return _Ranked(person, round(min(score, 100.0), 1), matched, order, parts)


def _convincing(ranked: list[_Ranked], query: SearchQuery, at_least: float) -> bool:
    """Someone whose name scores ``at_least`` — and who was born on the day typed, if one was."""
    return any(
        r.score >= at_least and (query.birth_date is None or "birth_date" in r.matched)
        for r in ranked
    )


def _complete(query: SearchQuery, birth_date: BirthDate | None, number: str | None) -> SearchQuery:
    return SearchQuery(
        name=query.name,
        birth_date=birth_date or query.birth_date,
        document_number=normalise_number(number) if number else query.document_number,
    )


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its hits, and how many persons matched in all (the officer pages
    through them, or narrows by date of birth when there are many)."""

    hits: list[SearchHit]
    total: int
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total


def search_persons(
    session: Session,
    principal: Principal,
    text: str = "",
    *,
    birth_date: BirthDate | None = None,
    document_number: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    return find_persons(
        session,
        principal,
        text,
        birth_date=birth_date,
        document_number=document_number,
        limit=limit,
    ).hits


def find_persons(
    session: Session,
    principal: Principal,
    text: str = "",
    *,
    birth_date: BirthDate | None = None,
    document_number: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> SearchPage:
    """The ranked matches from ``offset`` on, at most ``limit``, and their true count."""
    require(principal, Permission.REGISTER_READ)
    query = _complete(interpret_query(text) if text else SearchQuery(), birth_date, document_number)
    tokens = query_tokens(query.name) if query.name else ()
    scope = nationality_scope(principal, Person.nationality)
    ranker = _Ranker(query, tokens, set())
    candidates: dict[uuid.UUID, _Candidate] = {}
    ranked: list[_Ranked] = []

    def add(found: list[_Candidate]) -> None:
        for candidate in found:
            if candidate.id not in candidates:
                candidates[candidate.id] = candidate
                if (r := ranker.rank(candidate)) is not None:
                    ranked.append(r)

    if query.document_number:
        documents = _document_candidates(session, scope, query.document_number)
        ranker.document_people.update(c.id for c in documents)
        add(documents)
    if tokens:
        # Widen only while nobody convincing is found: the spellings' own blocks, then the
        # blocks of words a typo away, then each word alone (one name only, or one word wrong
        # beyond a typo).
        add(_name_candidates(session, scope, query, _own_blocks(tokens)))
        if not _convincing(ranked, query, CONFIDENT_SCORE):
            blocks = _typo_blocks(session, tokens)
            add(_name_candidates(session, scope, query, blocks, same_birth=True))
            if len(tokens) >= 2 and not _convincing(ranked, query, FOUND_SCORE):
                merged = sorted({s for block in blocks for s in block})
                add(
                    _name_candidates(
                        session, scope, query, [merged], FALLBACK_LIMIT, same_birth=True
                    )
                )
    ranked.sort(key=lambda r: (*r.order, r.candidate.primary_identifier, str(r.candidate.id)))
    total = len(ranked)
    ranked = ranked[offset : offset + limit]
    persons = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_([r.candidate.id for r in ranked]))
        )
    }
    hits = [SearchHit(persons[r.candidate.id], r.score, r.matched, r.name_parts) for r in ranked]
    audit.record(
        session,
        principal,
        "person.search",
        record_type="person",
        details={
            "query": text,
            "document_number": query.document_number or "",
            "birth_date": query.birth_date.text() if query.birth_date else "",
            "results": [str(h.person.id) for h in hits],
            "offset": offset,
            "total": total,
        },
    )
    return SearchPage(hits, total, offset, limit)
