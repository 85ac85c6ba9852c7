"""Batch history of first loads: writing one ``import_batches`` entry per batch, and giving a
record created by one the first entry of its history back ("created" for a person, "issued"
for a document), as if it had been written per record."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.registry.enums import StayEventKind
from kervan.registry.models import Person, PersonEvent, StayDocument, StayDocumentEvent
from kervan.registry.transfer.models import ImportBatch


class RecordIds:
    """The import's new ids (strictly increasing hex, ``storage.uuid7_hex``), remembering the
    first and last given since ``start_batch``: the batch's range of record ids."""

    def __init__(self, ids: Iterator[str]) -> None:
        self._ids = ids
        self.first: str | None = None
        self.last: str | None = None

    def __iter__(self) -> RecordIds:
        return self

    def __next__(self) -> str:
        value = next(self._ids)
        if self.first is None:
            self.first = value
        self.last = value
        return value

    def take(self, count: int) -> list[str]:
        """The next ``count`` ids at once (a chunk's), cheaper than ``count`` calls of next."""
        values = list(itertools.islice(self._ids, count))
        if values:
            if self.first is None:
                self.first = values[0]
            self.last = values[-1]
        return values

    def start_batch(self) -> None:
        self.first = self.last = None


def batch_of(session: Session, record_id: uuid.UUID) -> ImportBatch | None:
    """The first-load batch that created ``record_id``, if one did."""
    batch = session.scalars(
        select(ImportBatch)
        .where(ImportBatch.first_record_id <= record_id)
        .order_by(ImportBatch.first_record_id.desc())
        .limit(1)
    ).first()
    return batch if batch is not None and batch.last_record_id >= record_id else None


def _values_at_creation(current: dict[str, Any], events: Sequence[Any]) -> dict[str, Any]:
    # Every later change recorded the values it replaced: put them back, newest change first.
    values = dict(current)
    for event in reversed(events):
        values.update((k, v) for k, v in event.old_values.items() if k in values)
    return values


def _with_first_entry(
    session: Session,
    record: Any,
    events: list[Any],
    snapshot: Callable[[Any], dict[str, Any]],
    entry: Callable[[ImportBatch, dict[str, Any]], Any],
) -> list[Any]:
    batch = batch_of(session, record.id)
    if batch is None:
        return events
    return [entry(batch, _values_at_creation(snapshot(record), events)), *events]


def document_history(
    session: Session,
    document: StayDocument,
    events: list[StayDocumentEvent],
    snapshot: Callable[[StayDocument], dict[str, Any]],
) -> list[StayDocumentEvent]:
    """``events`` preceded by the "issued" entry of the batch that loaded ``document``."""

    def issued(batch: ImportBatch, values: dict[str, Any]) -> StayDocumentEvent:
        return StayDocumentEvent(
            id=batch.id,
            document_id=document.id,
            kind=StayEventKind.ISSUED,
            at=batch.at,
            actor=batch.actor,
            reason=batch.reason,
            measure_id=None,
            old_values={},
            new_values=values,
        )

    return _with_first_entry(session, document, events, snapshot, issued)


def person_history(
    session: Session,
    person: Person,
    events: list[PersonEvent],
    snapshot: Callable[[Person], dict[str, Any]],
) -> list[PersonEvent]:
    """``events`` preceded by the "created" entry of the batch that loaded ``person``."""

    def created(batch: ImportBatch, values: dict[str, Any]) -> PersonEvent:
        return PersonEvent(
            id=batch.id,
            person_id=person.id,
            kind="created",
            at=batch.at,
            actor=batch.actor,
            reason=batch.reason,
            old_values={},
            new_values=values,
        )

    return _with_first_entry(session, person, events, snapshot, created)
