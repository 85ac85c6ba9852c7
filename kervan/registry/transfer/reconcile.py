"""Reconciling a wave of staged rows (``staging``, ``chunks``) with the register in set-based
SQL: a handful of statements per wave, whatever its size, and no row of the register read into
Python.

1. The staged rows learn what the register holds for their passport and document
   (``UPDATE … FROM`` with the register, an index probe per row).
2. Rows that disagree with the register are selected (a person the row describes otherwise, a
   document of another person's), and so are rows that disagree with an earlier row of their
   passport in the wave (the one that creates the person); Python words their problems, row by
   row, and they leave the staging table. Only these rows, rare in a good file, are read back.
3. New persons (from the first row kept of each new passport), their passports and their
   "created" entries, then new documents and their "issued" entries are ``INSERT … SELECT``ed
   from the staged rows; corrected documents get a
   "corrected" entry with the values they change and are ``UPDATE … FROM``\\ d. Every history
   value is made by the database (``json_build_object`` / ``json_object``), in the shapes the
   service writes.

The rules are those of ``service`` for one record at a time: an import never changes a person;
a document in the register for another passport's person is refused; a known document is
corrected when the row changes its purpose, dates, status or region (a row without a status or
a region keeps the document's), and is left unchanged otherwise."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Insert,
    Select,
    String,
    Update,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)

from kervan.db.base import UTCDateTime
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
)
from kervan.registry.transfer.report import RowError, echo
from kervan.registry.transfer.staging import STAGED, StagedWave
from kervan.registry.transfer.validation import ParsedRow, birth_text

S = STAGED.c
P = Person.__table__.c
T = TravelDocument.__table__.c
D = StayDocument.__table__.c


@dataclass(frozen=True)
class ImportContext:
    host_state: str
    actor: str
    reason: str  # of every history entry the import writes: "import of <file name>"
    # A first load: creations are recorded once per batch (``batches``), not per record.
    batch_history: bool = False


@dataclass
class WaveResult:
    persons_created: int = 0
    documents_created: int = 0
    corrected: int = 0
    unchanged: int = 0
    rejected: list[int] = field(default_factory=list)  # row numbers
    errors: list[RowError] = field(default_factory=list)
    changed_ids: list[uuid.UUID] = field(default_factory=list)  # documents created or corrected


# ----------------------------------------------------------------------------------------------
# Problems: worded in Python, for the rows the database finds in disagreement


def person_problems(row: ParsedRow, known: Any) -> list[RowError]:
    """A row must agree with the person its passport belongs to: an import never overwrites a
    person silently (a person is corrected on purpose, with a reason, through the service).
    ``known`` is a row of ``_DISAGREEMENTS``."""
    known_birth = (known.birth_year, known.birth_month, known.birth_day)
    compared: list[tuple[str, Any, Any]] = [
        ("primary_name", row.primary_name, known.primary_name),
        ("secondary_name", row.secondary_name, known.secondary_name),
        ("patronymic", row.patronymic, known.patronymic),
        ("nationality", row.nationality, known.nationality),
        ("birth_date", birth_text(row.birth), birth_text(known_birth)),
        ("sex", row.sex, str(known.sex)),
    ]
    if row.primary_identifier is not None:
        compared.append(("primary_identifier", row.primary_identifier, known.primary_identifier))
    if row.secondary_identifier is not None:
        compared.append(
            ("secondary_identifier", row.secondary_identifier, known.secondary_identifier)
        )
    if row.passport_expiry is not None and known.passport_expiry is not None:
        compared.append(
            ("passport_expiry", row.passport_expiry.isoformat(), known.passport_expiry.isoformat())
        )
    holder = f"{row.passport_issuing_state} {row.passport_number}"
    return [
        RowError(
            row.row,
            column,
            f"{echo(new)} differs from {echo(old)} recorded for the holder of passport {holder}; "
            "an import never changes a person: correct the person first, or the row",
        )
        for column, new, old in compared
        if new != old
    ]


def _document_problem(row: ParsedRow) -> RowError:
    return RowError(
        row.row,
        "document_number",
        f"{row.document_kind} {row.document_number} is in the register for another "
        "person (a different passport)",
    )


# ----------------------------------------------------------------------------------------------
# Statements, built once per database


def _passport_of_row() -> ColumnElement[bool]:
    return and_(T.issuing_state == S.passport_issuing_state, T.number == S.passport_number)


def _person_differs(person: Any, passport_expiry: Any, row: Any = S) -> ColumnElement[bool]:
    """True where ``person_problems`` may find a problem: the same comparisons, in SQL, of the
    staged ``row`` with ``person`` (the columns of a person: the register's, or those of the
    staged row that creates it) and the expiry of its passport."""
    return or_(
        person.primary_name != row.primary_name,
        person.secondary_name != row.secondary_name,
        person.patronymic != row.patronymic,
        person.nationality != row.nationality,
        person.birth_year != row.birth_year,
        person.birth_month.is_distinct_from(row.birth_month),
        person.birth_day.is_distinct_from(row.birth_day),
        person.sex != row.sex,
        and_(
            row.given_primary_identifier.is_not(None),
            row.given_primary_identifier != person.primary_identifier,
        ),
        and_(
            row.given_secondary_identifier.is_not(None),
            row.given_secondary_identifier != person.secondary_identifier,
        ),
        and_(
            row.passport_expiry.is_not(None),
            passport_expiry.is_not(None),
            row.passport_expiry != passport_expiry,
        ),
    )


def _document_of_another(staged: Any = S) -> ColumnElement[bool]:
    return and_(
        staged.known_document_id.is_not(None),
        or_(
            staged.known_person_id.is_(None),
            staged.known_document_person_id != staged.known_person_id,
        ),
    )


#: The staged columns that give a row back as ``ParsedRow`` (``_as_parsed``), labelled apart
#: from the register's columns of the same names.
_AS_PARSED = tuple(
    column.label(f"staged_{column.name}")
    for column in (
        S.row,
        S.primary_name,
        S.secondary_name,
        S.patronymic,
        S.given_primary_identifier,
        S.given_secondary_identifier,
        S.nationality,
        S.birth_year,
        S.birth_month,
        S.birth_day,
        S.sex,
        S.passport_number,
        S.passport_issuing_state,
        S.passport_expiry,
        S.document_kind,
        S.document_number,
        S.purpose,
        S.valid_from,
        S.valid_until,
        S.status,
        S.region,
    )
)


def _as_parsed(known: Any) -> ParsedRow:
    """The staged row of a disagreement as the ``ParsedRow`` it was made from: only rows in
    disagreement come back from the database, so the chunk's parsed rows need not be kept."""
    values = tuple(known)[: len(_AS_PARSED)]
    row, *names, nationality, year, month, day = values[:10]
    return ParsedRow._make((row, *names, nationality, (year, month, day), *values[10:]))


#: The person columns ``person_problems`` compares (a person's, then its passport's expiry), as
#: the register and a staged row that creates a person both name them.
_PERSON_COLUMNS = (
    "primary_name",
    "secondary_name",
    "patronymic",
    "primary_identifier",
    "secondary_identifier",
    "nationality",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "passport_expiry",
)


def _group_disagreements() -> Select[Any]:
    """The rows of each new passport that disagree with the row that creates its person: the
    first of its rows in the wave whose document is not another person's, found by a window
    over the staging table (one sort; a join of the table with itself on the passport would be
    a loop over pairs of rows where its statistics are missing) and joined back by row number.
    The selected columns are ``_AS_PARSED``'s, then the creating row's ``_PERSON_COLUMNS``."""
    refused = case((_document_of_another(), 1), else_=0)

    def first(column: Any) -> Any:  # the creating row's value, on each row of its passport
        value = func.first_value(column, type_=column.type)
        # A frame of rows (not the default range of peers): SQLite evaluates it in one pass.
        return value.over(partition_by=S.person_id, order_by=(refused, S.row), rows=(None, 0))

    ranked = (
        select(*_AS_PARSED, first(S.row).label("creator_row"), first(refused).label("refused"))
        .where(S.known_person_id.is_(None))
        .subquery("ranked")
    )
    creator = STAGED.alias("creator")
    columns = ranked.c
    row = SimpleNamespace(**{c.name.removeprefix("staged_"): columns[c.name] for c in _AS_PARSED})
    return (
        select(*(columns[c.name] for c in _AS_PARSED), *(creator.c[n] for n in _PERSON_COLUMNS))
        .select_from(ranked.join(creator, creator.c.row == columns.creator_row))
        .where(
            # "+ 0": not a column SQLite can build an index on, or it would look the creator's
            # rows up by this flag, a pass over the wave per row.
            columns.refused + 0 == 0,
            columns.staged_row > columns.creator_row,
            _person_differs(creator.c, creator.c.passport_expiry, row),
        )
        .order_by(columns.staged_row)
    )


@dataclass(frozen=True)
class _Statements:
    resolve_persons: Update
    resolve_documents: Update
    disagreements: Select[Any]
    group_disagreements: Select[Any]
    drop_rows: Delete
    new_persons: Insert
    new_passports: Insert
    person_created: Insert
    new_documents: Insert
    document_issued: Insert
    mark_corrected: Update
    document_corrected: Insert
    correct_documents: Update
    changed_ids: Select[Any]


def _insert(model: Any, where: ColumnElement[bool], **columns: Any) -> Insert:
    """``INSERT INTO model (columns) SELECT … FROM`` the staging table, in file order."""
    rows = select(*columns.values()).where(where).order_by(S.row)
    # Its row count is how many records the wave created (SQLAlchemy keeps an INSERT's count
    # only when asked).
    return insert(model).from_select(list(columns), rows).execution_options(preserve_rowcount=True)


@cache
def _statements(dialect: str, shared_passports: bool) -> _Statements:
    """The wave's statements; ``shared_passports``: for a wave with a passport twice."""
    postgres = dialect == "postgresql"
    json_object = func.json_build_object if postgres else func.json_object

    def json_without_nulls(*pairs: Any) -> Any:
        # The keys whose value is NULL left out: a correction's entry names what it changed.
        if postgres:
            return func.json_strip_nulls(json_object(*pairs))
        return func.json_patch("{}", json_object(*pairs))  # RFC 7396: a null member deletes

    now = bindparam("now", type_=UTCDateTime())
    actor = bindparam("actor", type_=String())
    reason = bindparam("reason", type_=String())
    host = bindparam("host", type_=String())
    new_status = func.coalesce(S.status, D.status)
    new_region = func.coalesce(S.region, D.region)
    document_differs = or_(
        D.purpose != S.purpose,
        D.valid_from != S.valid_from,
        D.valid_until != S.valid_until,
        D.status != new_status,
        D.region.is_distinct_from(new_region),
    )
    # Rows of a new passport share the ids of its person (``chunks``): the first of them kept
    # creates it, and, before that, the others are held to the first that could.
    new_person: ColumnElement[bool] = S.known_person_id.is_(None)
    if shared_passports:
        others = STAGED.alias("other_rows").c
        new_person = and_(
            new_person,
            S.row.in_(
                select(func.min(others.row))
                .where(others.known_person_id.is_(None))
                .group_by(others.person_id)
            ),
        )
    new_document = S.known_document_id.is_(None)
    known = D.id == S.known_document_id
    corrected = S.corrected == true()
    entry = {"at": now, "actor": actor, "reason": reason}

    def changed(column: Any, other: Any) -> Any:
        return case((column.is_distinct_from(other), column))

    return _Statements(
        resolve_persons=update(STAGED)
        .values(known_person_id=T.person_id)
        .where(S.probe_passport == true(), _passport_of_row()),
        resolve_documents=update(STAGED)
        .values(known_document_id=D.id, known_document_person_id=D.person_id)
        .where(
            S.probe_document == true(),
            D.host_state == host,
            D.kind == S.document_kind,
            D.number == S.document_number,
        ),
        disagreements=select(
            *_AS_PARSED,
            S.known_person_id,
            _document_of_another().label("document_of_another"),
            *(P[name] for name in _PERSON_COLUMNS if name != "passport_expiry"),
            T.expiry_date.label("passport_expiry"),
        )
        .select_from(
            STAGED.outerjoin(Person, P.id == S.known_person_id).outerjoin(
                TravelDocument, _passport_of_row()
            )
        )
        .where(
            # Only rows that met the register are joined with it (in a first load, a few in a
            # wave): the planner applies this to the staged rows before the joins.
            or_(S.known_person_id.is_not(None), S.known_document_id.is_not(None)),
            or_(
                and_(S.known_person_id.is_not(None), _person_differs(P, T.expiry_date)),
                _document_of_another(),
            ),
        )
        .order_by(S.row),
        group_disagreements=_group_disagreements(),
        drop_rows=delete(STAGED).where(S.row.in_(bindparam("rows", expanding=True))),
        new_persons=_insert(
            Person,
            new_person,
            id=S.person_id,
            **{
                name: S[name]
                for name in (
                    "primary_name",
                    "secondary_name",
                    "patronymic",
                    "primary_identifier",
                    "secondary_identifier",
                    "name_script",
                    "name_key",
                    "primary_skeleton",
                    "secondary_skeleton",
                    "nationality",
                    "birth_year",
                    "birth_month",
                    "birth_day",
                    "sex",
                )
            },
            created_at=now,
            updated_at=now,
        ),
        new_passports=_insert(
            TravelDocument,
            new_person,
            id=S.passport_id,
            person_id=S.person_id,
            document_type=literal("passport"),
            number=S.passport_number,
            issuing_state=S.passport_issuing_state,
            expiry_date=S.passport_expiry,
            created_at=now,
        ),
        # The shape ``service.create_person`` writes, so a person's history reads the same.
        person_created=_insert(
            PersonEvent,
            new_person,
            id=S.person_event_id,
            person_id=S.person_id,
            kind=literal("created"),
            **entry,
            old_values=json_object(),
            new_values=json_object(
                *("primary_name", S.primary_name, "secondary_name", S.secondary_name),
                *("patronymic", S.patronymic, "primary_identifier", S.primary_identifier),
                *("secondary_identifier", S.secondary_identifier),
                *("nationality", S.nationality, "birth_date", S.birth_date, "sex", S.sex),
            ),
        ),
        new_documents=_insert(
            StayDocument,
            new_document,
            id=S.document_id,
            person_id=func.coalesce(S.known_person_id, S.person_id),
            kind=S.document_kind,
            number=S.document_number,
            host_state=host,
            purpose=S.purpose,
            valid_from=S.valid_from,
            valid_until=S.valid_until,
            status=func.coalesce(S.status, "active"),
            nationality=S.nationality,
            region=S.region,
            created_at=now,
            updated_at=now,
        ),
        # The shape of ``service._document_snapshot``.
        document_issued=_insert(
            StayDocumentEvent,
            new_document,
            id=S.document_event_id,
            document_id=S.document_id,
            kind=literal("issued"),
            **entry,
            old_values=json_object(),
            new_values=json_without_nulls(
                *("number", S.document_number, "purpose", S.purpose),
                *("valid_from", S.valid_from, "valid_until", S.valid_until),
                *("status", func.coalesce(S.status, "active"), "region", S.region),
            ),
        ),
        mark_corrected=update(STAGED).values(corrected=true()).where(known, document_differs),
        document_corrected=_insert(
            StayDocumentEvent,
            and_(known, corrected),
            id=S.document_event_id,
            document_id=D.id,
            kind=literal("corrected"),
            **entry,
            old_values=json_without_nulls(
                *("purpose", changed(D.purpose, S.purpose)),
                *("valid_from", changed(D.valid_from, S.valid_from)),
                *("valid_until", changed(D.valid_until, S.valid_until)),
                *("status", changed(D.status, new_status)),
                *("region", changed(D.region, new_region)),
            ),
            new_values=json_without_nulls(
                *("purpose", changed(S.purpose, D.purpose)),
                *("valid_from", changed(S.valid_from, D.valid_from)),
                *("valid_until", changed(S.valid_until, D.valid_until)),
                *("status", changed(new_status, D.status)),
                *("region", changed(new_region, D.region)),
            ),
        ),
        correct_documents=update(StayDocument)
        .values(
            purpose=S.purpose,
            valid_from=S.valid_from,
            valid_until=S.valid_until,
            status=new_status,
            region=new_region,
            updated_at=now,
        )
        .where(known, corrected),
        changed_ids=select(case((new_document, S.document_id), else_=S.known_document_id)).where(
            or_(new_document, corrected)
        ),
    )


# ----------------------------------------------------------------------------------------------
# A wave


def reconcile_wave(
    connection: Connection,
    ctx: ImportContext,
    wave: StagedWave,
    *,
    now: dt.datetime,
    notify: bool,
) -> WaveResult:
    """Reconcile the ``wave``'s rows, staged (``Staging.load``), with the register and write
    what they create and correct."""
    sql = _statements(connection.dialect.name, wave.shared_passports)
    params = {"now": now, "actor": ctx.actor, "reason": ctx.reason, "host": ctx.host_state}
    result = WaveResult()
    # The row counts say whether any row met the register: a first load's rows rarely do, and
    # then nothing can disagree with it and nothing be corrected.
    known_persons = connection.execute(sql.resolve_persons).rowcount
    known_documents = connection.execute(sql.resolve_documents, params).rowcount
    problems: dict[int, list[RowError]] = {}
    if known_persons or known_documents:
        for known in connection.execute(sql.disagreements):
            row = _as_parsed(known)
            found = person_problems(row, known) if known.known_person_id is not None else []
            if known.document_of_another:
                found.append(_document_problem(row))
            if found:
                problems[row.row] = found
    if wave.persons_differ:
        # A row of a new passport is held to the row that creates its person, as it would be
        # to that person in the register; its own document's problem, if any, comes after.
        for held in connection.execute(sql.group_disagreements):
            row = _as_parsed(held)
            problems[row.row] = person_problems(row, held) + problems.get(row.row, [])
    if problems:
        result.rejected = sorted(problems)
        result.errors = [error for row in result.rejected for error in problems[row]]
        connection.execute(sql.drop_rows, {"rows": result.rejected})
    result.persons_created = connection.execute(sql.new_persons, params).rowcount
    if result.persons_created:
        connection.execute(sql.new_passports, params)
        if not ctx.batch_history:
            connection.execute(sql.person_created, params)
    result.documents_created = connection.execute(sql.new_documents, params).rowcount
    if result.documents_created and not ctx.batch_history:
        connection.execute(sql.document_issued, params)
    if known_documents:
        result.corrected = connection.execute(sql.mark_corrected).rowcount
    if result.corrected:
        # The entry first: it reads the values the update replaces.
        connection.execute(sql.document_corrected, params)
        connection.execute(sql.correct_documents, params)
    result.unchanged = (
        wave.rows - len(result.rejected) - result.documents_created - result.corrected
    )
    if notify and (result.documents_created or result.corrected):
        result.changed_ids = list(connection.scalars(sql.changed_ids))
    return result
