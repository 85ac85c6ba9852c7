"""Reconciling a chunk of valid rows with the register: which persons and documents exist, which
rows create, correct or leave them unchanged, and which disagree with what is recorded.

The register's side comes from ``lookups`` (one query each for passports and documents per
chunk); the decisions are made in memory and collected as plain rows, in storage form, for bulk
inserts — never as ORM objects. Rows earlier in the same chunk are seen through the same maps as
rows from the database, so the outcome does not depend on where chunk boundaries fall."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kervan.db.base import utcnow
from kervan.registry.transfer.lookups import DocumentKey, KnownDocument, KnownPerson, PassportKey
from kervan.registry.transfer.report import ImportReport, RowError, echo
from kervan.registry.transfer.storage import encode_flat
from kervan.registry.transfer.validation import ParsedRow, birth_text

NameDeriver = Callable[[str, str, str | None, str | None], dict[str, str]]


@dataclass(frozen=True)
class ImportContext:
    host_state: str
    actor: str
    reason: str  # of every history entry the import writes: "import of <file name>"
    names: NameDeriver
    ids: Iterator[str]  # new ids, hex (``storage.uuid7_hex``)
    timestamp: Callable[[dt.datetime], str]  # the database's storage form of a timestamp
    # A first load: creations are recorded once per batch (``batches``), not per record.
    batch_history: bool = False


@dataclass
class ChunkWrites:
    """Everything one chunk writes: rows keyed by column name, values in storage form."""

    now: dt.datetime = field(default_factory=utcnow)
    stamp: str = ""  # ``now`` in storage form
    persons: list[dict[str, Any]] = field(default_factory=list)
    person_events: list[dict[str, Any]] = field(default_factory=list)
    travel_documents: list[dict[str, Any]] = field(default_factory=list)
    stay_documents: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # by document id
    changed_ids: set[str] = field(default_factory=set)

    @classmethod
    def for_chunk(cls, ctx: ImportContext) -> ChunkWrites:
        now = utcnow()
        return cls(now=now, stamp=ctx.timestamp(now))


# ----------------------------------------------------------------------------------------------
# Decisions


def _person_problems(row: ParsedRow, known: KnownPerson) -> list[RowError]:
    """A row must agree with the person its passport belongs to: an import never overwrites a
    person silently (a person is corrected on purpose, with a reason, through the service)."""
    compared: list[tuple[str, Any, Any]] = []
    basics = (
        row.primary_name,
        row.secondary_name,
        row.patronymic,
        row.nationality,
        row.birth,
        row.sex,
    )
    if basics != known.basics():
        compared += [
            ("primary_name", row.primary_name, known.primary_name),
            ("secondary_name", row.secondary_name, known.secondary_name),
            ("patronymic", row.patronymic, known.patronymic),
            ("nationality", row.nationality, known.nationality),
            ("birth_date", birth_text(row.birth), birth_text(known.birth)),
            ("sex", row.sex, known.sex),
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


def reconcile_row(
    row: ParsedRow,
    ctx: ImportContext,
    persons: dict[PassportKey, KnownPerson],
    documents: dict[DocumentKey, KnownDocument],
    writes: ChunkWrites,
    report: ImportReport,
) -> list[RowError]:
    """Decide what ``row`` does; return its problems (then it does nothing)."""
    person = persons.get((row.passport_issuing_state, row.passport_number))
    problems = _person_problems(row, person) if person is not None else []
    document = documents.get((row.document_kind, row.document_number))
    if document is not None and (person is None or document.person_id != person.id):
        problems.append(
            RowError(
                row.row,
                "document_number",
                f"{row.document_kind} {row.document_number} is in the register for another "
                "person (a different passport)",
            )
        )
    if problems:
        return problems
    if person is None:
        person = _create_person(row, ctx, writes)
        persons[row.passport_issuing_state, row.passport_number] = person
        report.persons_created += 1
    if document is None:
        documents[row.document_kind, row.document_number] = _create_document(
            row, person, ctx, writes
        )
        report.documents_created += 1
    elif _correct_document(row, document, ctx, writes):
        report.documents_corrected += 1
    else:
        report.unchanged += 1
    return []


def _create_person(row: ParsedRow, ctx: ImportContext, writes: ChunkWrites) -> KnownPerson:
    names = ctx.names(
        row.primary_name, row.secondary_name, row.primary_identifier, row.secondary_identifier
    )
    person = KnownPerson(
        next(ctx.ids),
        row.primary_name,
        row.secondary_name,
        row.patronymic,
        names["primary_identifier"],
        names["secondary_identifier"],
        row.nationality,
        row.birth,
        row.sex,
        row.passport_expiry,
    )
    year, month, day = row.birth
    stamp = writes.stamp
    writes.persons.append(
        {
            "id": person.id,
            "primary_name": row.primary_name,
            "secondary_name": row.secondary_name,
            "patronymic": row.patronymic,
            **names,
            "nationality": row.nationality,
            "birth_year": year,
            "birth_month": month,
            "birth_day": day,
            "sex": row.sex,
            "created_at": stamp,
            "updated_at": stamp,
        }
    )
    if not ctx.batch_history:
        writes.person_events.append(
            {
                "id": next(ctx.ids),
                "person_id": person.id,
                "kind": "created",
                "at": stamp,
                "actor": ctx.actor,
                "reason": ctx.reason,
                "old_values": "{}",
                "new_values": encode_flat(_person_snapshot(person)),
            }
        )
    expiry = row.passport_expiry
    writes.travel_documents.append(
        {
            "id": next(ctx.ids),
            "person_id": person.id,
            "document_type": "passport",
            "number": row.passport_number,
            "issuing_state": row.passport_issuing_state,
            "expiry_date": expiry.isoformat() if expiry else None,
            "created_at": stamp,
        }
    )
    return person


def _person_snapshot(person: KnownPerson) -> dict[str, str]:
    # The shape ``service.create_person`` writes, so a person's history reads the same either way.
    return {
        "primary_name": person.primary_name,
        "secondary_name": person.secondary_name,
        "patronymic": person.patronymic,
        "primary_identifier": person.primary_identifier,
        "secondary_identifier": person.secondary_identifier,
        "nationality": person.nationality,
        "birth_date": birth_text(person.birth),
        "sex": person.sex,
    }


def _document_snapshot(number: str, document: KnownDocument) -> dict[str, str]:
    # The shape of ``service._document_snapshot``.
    return {
        "number": number,
        "purpose": document.purpose,
        "valid_from": document.valid_from.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "status": document.status,
    }


def _event(
    writes: ChunkWrites, ctx: ImportContext, document_id: str, kind: str, old: str, new: str
) -> None:
    """A history entry; ``old`` and ``new`` are the values as JSON text."""
    writes.events.append(
        {
            "id": next(ctx.ids),
            "document_id": document_id,
            "kind": kind,
            "at": writes.stamp,
            "actor": ctx.actor,
            "reason": ctx.reason,
            "measure_id": None,
            "old_values": old,
            "new_values": new,
        }
    )


def _create_document(
    row: ParsedRow, person: KnownPerson, ctx: ImportContext, writes: ChunkWrites
) -> KnownDocument:
    status = row.status or "active"
    document = KnownDocument(
        next(ctx.ids), person.id, row.purpose, row.valid_from, row.valid_until, status
    )
    valid_from, valid_until = row.valid_from.isoformat(), row.valid_until.isoformat()
    document.pending = {
        "id": document.id,
        "person_id": person.id,
        "kind": row.document_kind,
        "number": row.document_number,
        "host_state": ctx.host_state,
        "purpose": row.purpose,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "status": status,
        "nationality": person.nationality,
        "created_at": writes.stamp,
        "updated_at": writes.stamp,
    }
    writes.stay_documents.append(document.pending)
    writes.changed_ids.add(document.id)
    if ctx.batch_history:
        return document
    # ``_document_snapshot`` as JSON, written out: every value is a validated number, code or
    # ISO date, with nothing to escape, and this runs once per imported document.
    issued = (
        f'{{"number":"{row.document_number}","purpose":"{row.purpose}",'
        f'"valid_from":"{valid_from}","valid_until":"{valid_until}","status":"{status}"}}'
    )
    _event(writes, ctx, document.id, "issued", "{}", issued)
    return document


def _correct_document(
    row: ParsedRow, document: KnownDocument, ctx: ImportContext, writes: ChunkWrites
) -> bool:
    """Bring ``document`` to the row's values with a ``corrected`` history entry; False if the
    row changes nothing."""
    status = row.status or document.status
    new_values = (row.purpose, row.valid_from, row.valid_until, status)
    if new_values == (document.purpose, document.valid_from, document.valid_until, document.status):
        return False
    before = _document_snapshot(row.document_number, document)
    document.purpose, document.valid_from, document.valid_until, document.status = new_values
    after = _document_snapshot(row.document_number, document)
    changed = [k for k in after if after[k] != before[k]]
    _event(
        writes,
        ctx,
        document.id,
        "corrected",
        encode_flat({k: before[k] for k in changed}),
        encode_flat({k: after[k] for k in changed}),
    )
    if document.pending is not None:  # new in this chunk: insert it corrected
        document.pending.update(
            purpose=row.purpose,
            valid_from=after["valid_from"],
            valid_until=after["valid_until"],
            status=status,
        )
    else:  # a row of the staged corrections (``staging.correct_documents``)
        writes.updates[document.id] = {
            "id": document.id,
            "purpose": row.purpose,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "status": status,
            "updated_at": writes.stamp,
        }
    writes.changed_ids.add(document.id)
    return True
