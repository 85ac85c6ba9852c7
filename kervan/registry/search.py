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

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.names import match_score, name_tokens, skeleton
from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.numbers import normalise_number
from kervan.registry.schemas import BirthDate
from kervan.registry.scoping import nationality_scope, require

CANDIDATE_LIMIT = 2000
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


def _name_candidates(query: Select[tuple[Person]], tokens: list[str]) -> Select[tuple[Person]]:
    skeletons = sorted({skeleton(t) for t in tokens if t})
    if len(skeletons) >= 2:
        # Two name parts typed: both must meet the person's family and given name blocks, in
        # either order (Hungarian and many registers write the family name first).
        condition = and_(
            Person.primary_skeleton.in_(skeletons), Person.secondary_skeleton.in_(skeletons)
        )
    else:
        condition = or_(
            Person.primary_skeleton.in_(skeletons), Person.secondary_skeleton.in_(skeletons)
        )
    return query.where(condition)


def _trigram_candidates(
    session: Session, principal: Principal, key: str, limit: int
) -> list[Person]:
    if session.get_bind().dialect.name != "postgresql" or len(key) < 3:
        return []
    query = (
        select(Person)
        .where(Person.name_key.op("%")(key), nationality_scope(principal, Person.nationality))
        .order_by(func.similarity(Person.name_key, key).desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _document_candidates(session: Session, principal: Principal, number: str) -> list[Person]:
    via_travel = select(TravelDocument.person_id).where(TravelDocument.number == number)
    via_stay = select(StayDocument.person_id).where(StayDocument.number == number)
    query = select(Person).where(
        or_(Person.id.in_(via_travel), Person.id.in_(via_stay)),
        nationality_scope(principal, Person.nationality),
    )
    return list(session.scalars(query.limit(100)))


def _birth_matches(person: Person, birth: BirthDate) -> bool | None:
    """True/False when comparable; None when either side leaves the compared part unknown."""
    if person.birth_year != birth.year:
        return False
    for mine, theirs in ((person.birth_month, birth.month), (person.birth_day, birth.day)):
        if mine is None or theirs is None:
            return None
        if mine != theirs:
            return False
    return True


def _rank(
    person: Person, query: SearchQuery, tokens: list[str], doc_people: set[object]
) -> SearchHit | None:
    matched: list[str] = []
    score = 0.0
    if tokens:
        score = match_score(" ".join(tokens), person.name_key)
        if score >= MIN_SCORE:
            matched.append("name")
    if query.document_number:
        if person.id in doc_people:
            score = max(score, 70.0) + 30.0
            matched.append("document_number")
        elif not tokens:
            return None
    if query.birth_date is not None:
        same = _birth_matches(person, query.birth_date)
        if same is False:
            return None  # a different date of birth is a different person
        if same:
            score += 10.0
            matched.append("birth_date")
    if not matched or score < MIN_SCORE:
        return None
    return SearchHit(person=person, score=round(min(score, 100.0), 1), matched_on=matched)


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
    query = interpret_query(text) if text else SearchQuery()
    query = SearchQuery(
        name=query.name,
        birth_date=birth_date or query.birth_date,
        document_number=normalise_number(document_number)
        if document_number
        else query.document_number,
    )
    tokens = name_tokens(query.name, "") if query.name else []
    candidates: dict[object, Person] = {}
    if tokens:
        base = select(Person).where(nationality_scope(principal, Person.nationality))
        if query.birth_date is not None:
            base = base.where(Person.birth_year == query.birth_date.year)
        for person in session.scalars(_name_candidates(base, tokens).limit(CANDIDATE_LIMIT)):
            candidates[person.id] = person
    doc_people: set[object] = set()
    if query.document_number:
        for person in _document_candidates(session, principal, query.document_number):
            candidates.setdefault(person.id, person)
            doc_people.add(person.id)
    hits = [h for p in candidates.values() if (h := _rank(p, query, tokens, doc_people))]
    if tokens and not any(h.score >= CONFIDENT_SCORE for h in hits):
        # The skeleton blocks found nobody convincing: perhaps a typo changed a consonant.
        # Only then pay for the trigram search over the whole register.
        seen = {h.person.id for h in hits}
        for person in _trigram_candidates(session, principal, " ".join(tokens), 200):
            if person.id not in seen and (hit := _rank(person, query, tokens, doc_people)):
                hits.append(hit)
    hits.sort(key=lambda h: (-h.score, h.person.primary_identifier, str(h.person.id)))
    audit.record(
        session,
        principal,
        "person.search",
        record_type="person",
        details={
            "query": text,
            "document_number": query.document_number or "",
            "birth_date": query.birth_date.text() if query.birth_date else "",
            "results": [str(h.person.id) for h in hits[:limit]],
        },
    )
    return hits[:limit]
