"""What the consulate sees: the stay documents of our nationals abroad, as their host states
reported them (read-only; the host state's register is the authority), each linked to the
signed envelope that said so. Searched by consular officers of this node's state, audited."""

from __future__ import annotations

import datetime as dt
import functools
import string
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_, select, true, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import NotFound
from kervan.exchange.models import ExchangeMessage, NationalAbroadDocument, NationalAbroadWaiver
from kervan.identity.names import fold, skeleton
from kervan.messages import RECORD_NOT_FOUND
from kervan.registry.naming import mrz_form
from kervan.web.pagination import decode_cursor, encode_cursor, unknown_cursor


@dataclass(frozen=True, slots=True)
class NationalAbroad:
    host_state: str
    document_id: uuid.UUID
    person_id: uuid.UUID
    primary_identifier: str
    secondary_identifier: str
    birth_year: int
    travel_document_number: str
    kind: str
    number: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    last_event: str
    envelope_id: uuid.UUID
    updated_at: dt.datetime


def _in_scope(principal: Principal, node_state: str) -> bool:
    """The view holds this node's nationals only; a consul of another state sees none of them
    (an empty list, a 404 — as for any record out of scope)."""
    require(principal, Permission.NATIONALS_ABROAD_READ)
    return principal.state == node_state


def search_keys(primary_identifier: str) -> tuple[str, str]:
    """The stored search keys of a primary identifier (``name_folded``, ``name_skeleton``): its
    fold, and the skeleton of the fold's first word. Computed when a document is received."""
    folded = fold(primary_identifier)[:200]
    words = folded.split()
    return folded, (skeleton(words[0])[:100] if words else "")


# What may follow a typed prefix: a letter or two can complete a spelling that fold merges, so
# that a name starting with the prefix folds to a key that does not (ALI of ALIEV, folded ALEV;
# RAK of RAKHIMOV, folded RAHIMOV; DZ of DZHURAEV, IURAEV). Fold's rules look no further.
_CONTINUATIONS = (
    "",
    *string.ascii_uppercase,
    *(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase),
)
# Some 700 one-off spellings per new query: past the cache of whole names that fold keeps.
_fold_once = fold.__wrapped__


@dataclass(frozen=True, slots=True)
class _NameQuery:
    """A surname query: a prefix of the folded name (``folded``), or, when the typed prefix
    ends inside a spelling that fold merges, also of the ICAO form as written (``icao``, as
    the search matched before it folded names, so that ALI still finds ALIEV); and, for a
    whole word of three letters or more, the skeleton of the name's first word."""

    folded: str
    icao: str
    skeleton: str


@functools.lru_cache(maxsize=1024)
def _name_query(text: str) -> _NameQuery | None:
    folded, icao = fold(text), mrz_form(text)
    if not folded:
        return None  # nothing in it folds to a letter
    if all(_fold_once(icao + c).startswith(folded) for c in _CONTINUATIONS):
        icao = ""  # every name whose ICAO form starts so is a folded match already
    whole_word = len(text.split()) == 1 and len(folded.split()) == 1
    letters = sum(ch.isalpha() for ch in text)
    return _NameQuery(folded, icao, skeleton(text) if whole_word and letters >= 3 else "")


def _starts_with(column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``: an index range (LIKE 'x%' is one on neither
    database: SQLite's LIKE ignores case, PostgreSQL's wants the C locale) and the exact test
    within it. The range ends before the prefix with its last letter short of Z raised by one
    (ALI: ALJ; ALI Z: ALJ; ZZ: no end): a letter, so the bound holds in byte order and in
    the locales that sort A-Z letter by letter (``name_folded`` is in byte order anyway)."""
    bounds = [column >= prefix]
    kept = prefix
    while kept and not "A" <= kept[-1] < "Z":
        kept = kept[:-1]
    if kept:
        bounds.append(column < kept[:-1] + chr(ord(kept[-1]) + 1))
    return and_(*bounds, column.startswith(prefix, autoescape=True))


# The orders the search pages by. The whole list and a number's documents: by name as written.
# A surname's matches: by folded name first, which keeps its spellings together (RAHIMOV,
# RAKHIMOV, then RAHIMOVA) and is the order of the index that each rank reads as one range.
_WRITTEN = ("primary_identifier", "host_state", "document_id")
_FOLDED = ("name_folded", *_WRITTEN)


@dataclass(frozen=True, slots=True)
class _Rank:
    condition: ColumnElement[bool]
    order: tuple[str, ...]


def _ranks(text: str) -> list[_Rank]:
    """The search's ranks, best first; a rank leaves out what a better one has."""
    table = NationalAbroadDocument
    if not text:
        return [_Rank(true(), _WRITTEN)]
    if any(ch.isdigit() for ch in text):  # names have no digits: a passport or stay number
        number = text.upper()
        return [
            _Rank(or_(table.travel_document_number == number, table.number == number), _WRITTEN)
        ]
    name = _name_query(text)
    if name is None:
        return [_Rank(false(), _WRITTEN)]
    prefix = _starts_with(table.name_folded, name.folded)
    if name.icao:
        prefix = or_(prefix, _starts_with(table.primary_identifier, name.icao))
    ranks = [_Rank(prefix, _FOLDED)]
    if name.skeleton:
        ranks.append(_Rank(and_(table.name_skeleton == name.skeleton, not_(prefix)), _FOLDED))
    return ranks


def _cursor(rank: int, order: tuple[str, ...], row: NationalAbroadDocument) -> str:
    return encode_cursor([rank, *(getattr(row, column) for column in order)])


def _after(cursor: str, ranks: list[_Rank]) -> tuple[int, tuple[Any, ...]]:
    """The rank and the sort key of the last row of the page before; the key's last part is
    the document id, all others strings."""
    raw_rank, *values = decode_cursor(cursor) or [""]
    try:
        rank = int(raw_rank)
        if not 0 <= rank < len(ranks) or len(values) != len(ranks[rank].order):
            raise ValueError(raw_rank)
        return rank, (*values[:-1], uuid.UUID(values[-1]))
    except ValueError as exc:
        raise unknown_cursor() from exc


def search(
    session: Session,
    principal: Principal,
    node_state: str,
    *,
    query: str = "",
    host_state: str | None = None,
    status: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[NationalAbroad], str | None]:
    """By surname, or exact passport or stay document number (a query with a digit);
    optionally one host state and one status; keyset pages.

    A surname matches by prefix of its folded form (``fold``: «Рахимов» finds RAHIMOV and
    RAKHIMOV) or of its ICAO form as written (``Ali`` finds ALIEV, which folds to ALEV); a
    whole word of three letters or more also by the skeleton of the surname's first word
    («Мамедов» finds MAMMADOV). Prefix matches come first, then skeleton matches, each by
    folded name; the cursor carries the rank, so pages neither skip nor repeat across the two.
    Without a query, and for a number, the documents come by name as written."""
    scoped = _in_scope(principal, node_state)
    table = NationalAbroadDocument
    text = query.strip()
    filters = []
    if host_state:
        filters.append(table.host_state == host_state.upper())
    if status:
        filters.append(table.status == status)
    ranks = _ranks(text)
    start, after = _after(cursor, ranks) if cursor else (0, None)
    found: list[tuple[int, NationalAbroadDocument]] = []
    for rank, ranked in enumerate(ranks if scoped else []):
        wanted = limit + 1 - len(found)
        if rank < start or wanted <= 0:
            continue
        order = [getattr(table, column) for column in ranked.order]
        statement = select(table).where(ranked.condition, *filters).order_by(*order)
        if rank == start and after is not None:
            statement = statement.where(tuple_(*order) > after)
        found.extend((rank, row) for row in session.scalars(statement.limit(wanted)))
    more = len(found) > limit
    found = found[:limit]
    audit.record(
        session,
        principal,
        "nationals_abroad.search",
        record_type="nationals_abroad",
        details={
            "query": text,
            "host_state": host_state or "",
            "status": status or "",
            "results": len(found),
        },
    )
    last = _cursor(found[-1][0], ranks[found[-1][0]].order, found[-1][1]) if found else None
    return [_public(r) for _, r in found], (last if more else None)


def _public(row: NationalAbroadDocument) -> NationalAbroad:
    return NationalAbroad(**{f: getattr(row, f) for f in NationalAbroad.__dataclass_fields__})


def detail(
    session: Session, principal: Principal, node_state: str, host_state: str, document_id: uuid.UUID
) -> tuple[NationalAbroad, str, str | None]:
    """The document with the signed envelope that reported it and our receipt for it."""
    scoped = _in_scope(principal, node_state)
    row = session.get(NationalAbroadDocument, (host_state.upper(), document_id))
    if row is None or not scoped:
        raise NotFound("no such document of a national abroad", code=RECORD_NOT_FOUND)
    message = session.get(ExchangeMessage, row.envelope_id)
    audit.record(
        session,
        principal,
        "nationals_abroad.read",
        record_type="nationals_abroad",
        record_id=document_id,
        details={"host_state": row.host_state, "person_id": str(row.person_id)},
    )
    envelope = message.envelope if message else ""
    return _public(row), envelope, message.receipt if message else None


@dataclass(frozen=True, slots=True)
class WaiverAbroad:
    """A violation of a national abroad that the host state reported waived."""

    host_state: str
    violation_id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    period_start: dt.date
    period_end: dt.date | None
    status: str
    measure_id: uuid.UUID | None
    measure: str | None
    reason: str | None
    waived_at: dt.datetime
    envelope_id: uuid.UUID
    updated_at: dt.datetime


def waivers_of(
    session: Session, principal: Principal, node_state: str, host_state: str, person_id: uuid.UUID
) -> list[WaiverAbroad]:
    """The waivers a host state reported for one of our nationals (its person id there), oldest
    violation first. Shown with a document of that person (``detail``, which audits the read);
    empty for a consul of another state."""
    if not _in_scope(principal, node_state):
        return []
    table = NationalAbroadWaiver
    rows = session.scalars(
        select(table)
        .where(table.host_state == host_state.upper(), table.person_id == person_id)
        .order_by(table.period_start, table.violation_id)
    )
    return [
        WaiverAbroad(**{f: getattr(r, f) for f in WaiverAbroad.__dataclass_fields__}) for r in rows
    ]
