"""A first load: the register of a state that joins, millions of rows into an empty register.

It differs from any other import only in how it writes (``bulk_load``: secondary indexes built
after, foreign keys checked once; ``batches``: one history entry per batch): every row is still
validated, reconciled, named, counted and reported, and the import audited, as always."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from kervan.db.ids import uuid7
from kervan.errors import Conflict
from kervan.registry import messages
from kervan.registry.models import Person, StayDocument
from kervan.registry.transfer.chunks import Chunk
from kervan.registry.transfer.formats import FileFormat, estimate_rows
from kervan.registry.transfer.models import ImportBatch
from kervan.registry.transfer.reconcile import ImportContext
from kervan.registry.transfer.report import ImportReport
from kervan.registry.transfer.storage import as_uuid

#: An empty register and a file of at least this many rows make a first load by themselves:
#: below it, dropping and rebuilding indexes costs more than keeping them up.
MIN_ROWS = 20_000


def register_is_empty(session: Session) -> bool:
    """No person and no stay document, of any state."""
    return not session.scalar(select(exists().select_from(Person))) and not session.scalar(
        select(exists().select_from(StayDocument))
    )


def decide(session: Session, path: Path, file_format: FileFormat, initial: bool | None) -> bool:
    """Whether this import is a first load; ``initial`` as ``import_file`` takes it."""
    if initial is False:
        return False
    empty = register_is_empty(session)
    if initial:
        if not empty:
            raise Conflict(
                "a first load (--initial) needs an empty register, and this one holds persons "
                "or documents: import the file without --initial",
                code=messages.IMPORT_FIRST_LOAD_NOT_EMPTY,
            )
        return True
    return empty and (estimate_rows(path, file_format) or 0) >= MIN_ROWS


def record_batch(
    session: Session,
    ctx: ImportContext,
    chunk: Chunk,
    before: tuple[int, int],
    report: ImportReport,
) -> None:
    """The one history entry of a batch that created persons or documents."""
    persons = report.persons_created - before[0]
    documents = report.documents_created - before[1]
    if chunk.first_id is None or chunk.last_id is None or not (persons or documents):
        return
    session.execute(
        insert(ImportBatch),
        {
            "id": uuid7(),
            "actor": ctx.actor,
            "reason": ctx.reason,
            "first_row": chunk.first_row,
            "last_row": chunk.last_row,
            "first_record_id": as_uuid(chunk.first_id),
            "last_record_id": as_uuid(chunk.last_id),
            "persons_created": persons,
            "documents_created": documents,
        },
    )
