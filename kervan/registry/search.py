"""Finding a person however the officer spells the name.

Two steps, both bounded whatever the register's size:
1. *Candidates* by indexed keys: the coarse skeletons of the name's tokens (so ``Otkir``,
   ``Utkir`` and ``Ўткир`` meet in one block), a travel or stay document number, and on
   PostgreSQL also trigram similarity of the folded name key (``pg_trgm``), which catches typos
   the skeletons miss.
2. *Ranking* in Python over at most a few thousand candidates with rapidfuzz on the folded
   forms, plus bonuses for a matching date of birth or document number.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.names import match_score
from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.naming import part_tokens, token_skeleton
from kervan.registry.numbers import normalise_number
from kervan.registry.schemas import BirthDate

CANDIDATE_LIMIT = 1000
MIN_SCORE = 60.0
CONFIDENT_SCORE = 85.0


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: float
    matched_on: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SearchQuery:
    name: str = ""
    birth_date: BirthDate | None = None
    document_number: str | None = None


def interpret_query(text: str) -> SearchQuery:
    """A search box takes a name, a document number or a whole MRZ; tell which it is."""
    stripped = text.strip()
    lines = [line.strip() for line in stripped.splitlines() if line.strip()]
    if len(lines) in (2, 3) and all("<" in line for line in lines):
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
    Person.name_key,
    Person.primary_identifier,
    Person.birth_year,
    Person.birth_month,
    Person.birth_day,
)


@dataclass(frozen=True)
class _Candidate:
    id: uuid.UUID
    name_key: str
    primary_identifier: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None


def _rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[_Candidate]:
    return [_Candidate(*row) for row in session.execute(query)]


def _name_conditions(tokens: list[str]) -> list[ColumnElement[bool]]:
    """One or two indexed conditions whose union holds the name's candidates."""
    skeletons = sorted({token_skeleton(t) for t in tokens if t})
    if len(skeletons) >= 2:
        # Two name parts typed: both must meet the person's family and given name blocks, in
        # either order (Hungarian and many registers write the family name first).
        return [
            and_(Person.primary_skeleton.in_(skeletons), Person.secondary_skeleton.in_(skeletons))
        ]
    # One word: it may be the family or the given name. Two queries, each walking one index,
    # beat an OR that the planner answers with a bitmap over both.
    return [Person.primary_skeleton.in_(skeletons), Person.secondary_skeleton.in_(skeletons)]


def _trigram_candidates(
    session: Session, scope: ColumnElement[bool], key: str, limit: int
) -> list[_Candidate]:
    if session.get_bind().dialect.name != "postgresql" or len(key) < 3:
        return []
    query = (
        select(*_RANK_COLUMNS)
        .where(Person.name_key.op("%")(key), scope)
        .order_by(func.similarity(Person.name_key, key).desc())
        .limit(limit)
    )
    return _rows(session, query)


def _document_candidates(
    session: Session, scope: ColumnElement[bool], number: str
) -> list[_Candidate]:
    via_travel = select(TravelDocument.person_id).where(TravelDocument.number == number)
    via_stay = select(StayDocument.person_id).where(StayDocument.number == number)
    query = select(*_RANK_COLUMNS).where(
        or_(Person.id.in_(via_travel), Person.id.in_(via_stay)), scope
    )
    return _rows(session, query.limit(100))


def _birth_matches(person: _Candidate, birth: BirthDate) -> bool | None:
    """True/False when comparable; None when either side leaves the compared part unknown."""
    if person.birth_year != birth.year:
        return False
    for mine, theirs in ((person.birth_month, birth.month), (person.birth_day, birth.day)):
        if mine is None or theirs is None:
            return None
        if mine != theirs:
            return False
    return True


@dataclass
class _Ranker:
    query: SearchQuery
    tokens: list[str]
    document_people: set[uuid.UUID]
    # Namesakes share a name key: score each distinct key once.
    name_scores: dict[str, float] = field(default_factory=dict)

    def name_score(self, name_key: str) -> float:
        if name_key not in self.name_scores:
            self.name_scores[name_key] = match_score(" ".join(self.tokens), name_key)
        return self.name_scores[name_key]

    def rank(self, person: _Candidate) -> tuple[_Candidate, float, list[str]] | None:
        matched: list[str] = []
        score = 0.0
        if self.tokens:
            score = self.name_score(person.name_key)
            if score >= MIN_SCORE:
                matched.append("name")
        if self.query.document_number:
            if person.id in self.document_people:
                score = max(score, 70.0) + 30.0
                matched.append("document_number")
            elif not self.tokens:
                return None
        if self.query.birth_date is not None:
            same = _birth_matches(person, self.query.birth_date)
            if same is False:
                return None  # a different date of birth is a different person
            if same:
                score += 10.0
                matched.append("birth_date")
        if not matched or score < MIN_SCORE:
            return None
        return person, round(min(score, 100.0), 1), matched


def _complete(query: SearchQuery, birth_date: BirthDate | None, number: str | None) -> SearchQuery:
    return SearchQuery(
        name=query.name,
        birth_date=birth_date or query.birth_date,
        document_number=normalise_number(number) if number else query.document_number,
    )


def search_persons(
    session: Session,
    principal: Principal,
    text: str = "",
    *,
    birth_date: BirthDate | None = None,
    document_number: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    require(principal, Permission.REGISTER_READ)
    query = _complete(interpret_query(text) if text else SearchQuery(), birth_date, document_number)
    tokens = list(part_tokens(query.name)) if query.name else []
    scope = nationality_scope(principal, Person.nationality)
    candidates: dict[uuid.UUID, _Candidate] = {}
    conditions = _name_conditions(tokens) if tokens else []
    for condition in conditions:
        by_name = select(*_RANK_COLUMNS).where(scope, condition)
        if query.birth_date is not None:
            by_name = by_name.where(Person.birth_year == query.birth_date.year)
        by_name = by_name.limit(CANDIDATE_LIMIT // len(conditions))
        candidates.update((c.id, c) for c in _rows(session, by_name))
    ranker = _Ranker(query, tokens, set())
    if query.document_number:
        for candidate in _document_candidates(session, scope, query.document_number):
            candidates.setdefault(candidate.id, candidate)
            ranker.document_people.add(candidate.id)
    ranked = [r for c in candidates.values() if (r := ranker.rank(c))]
    if tokens and not any(score >= CONFIDENT_SCORE for _, score, _ in ranked):
        # The skeleton blocks found nobody convincing: perhaps a typo changed a consonant.
        # Only then pay for the trigram search over the whole register.
        for candidate in _trigram_candidates(session, scope, " ".join(tokens), 200):
            if candidate.id not in candidates and (r := ranker.rank(candidate)):
                ranked.append(r)
    ranked.sort(key=lambda r: (-r[1], r[0].primary_identifier, str(r[0].id)))
    ranked = ranked[:limit]
    persons = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_([r[0].id for r in ranked])))
    }
    hits = [SearchHit(persons[c.id], score, matched) for c, score, matched in ranked]
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
        },
    )
    return hits
