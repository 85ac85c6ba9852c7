"""``import_file``: a file of rows into the register, chunk by chunk, all or nothing by default.

The rows are staged and reconciled with the register in set-based SQL (``chunks``, ``staging``,
``reconcile``) inside a savepoint, so that later rows see the persons and documents of earlier
ones in the database rather than in an ever-growing dict: memory stays bounded by the chunk size
whatever the file's length. At the end the savepoint is kept, or
rolled back for a dry run and for an all-or-nothing import with bad rows; either way the report
lists every bad row and counts exactly what the import does (or would do). A first load
(``first_load``) is the same import with the indexes built after and history per batch."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import Conflict
from kervan.registry import hooks, messages
from kervan.registry.transfer import first_load
from kervan.registry.transfer.batches import RecordIds
from kervan.registry.transfer.bulk_load import without_upkeep
from kervan.registry.transfer.chunks import Chunk, ChunkMaker
from kervan.registry.transfer.connection_settings import import_settings
from kervan.registry.transfer.formats import Row, detect_format, read_rows
from kervan.registry.transfer.limits import ImportLimits, check_file_size, check_row_count
from kervan.registry.transfer.pipeline import Prefetched, ProcessPrefetched
from kervan.registry.transfer.planner import StatisticsKeeper
from kervan.registry.transfer.reconcile import ImportContext, reconcile_wave
from kervan.registry.transfer.report import ImportFileError, ImportReport
from kervan.registry.transfer.staging import Staging
from kervan.registry.transfer.storage import uuid7_hex

Progress = Callable[[int], None]

#: Rows reconciled and written together: large enough that the per-chunk statements amortise,
#: small enough that a chunk's rows are a few megabytes (two chunks are in memory at once).
CHUNK_ROWS = 5000
#: Files from this size are read and parsed in a reader process on PostgreSQL: below it,
#: starting the process costs more than the overlap saves.
PROCESS_MIN_BYTES = 4 * 1024 * 1024
#: The longest file-level error kept in the audit log: the log is append-only and kept for
#: ever, so what a file says about itself is bounded there too.
AUDIT_DETAIL_CHARS = 500


def import_file(
    session: Session,
    principal: Principal,
    path: Path,
    *,
    host_state: str,
    dry_run: bool = False,
    all_or_nothing: bool = True,
    file_format: str | None = None,
    progress: Progress | None = None,
    file_name: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    initial: bool | None = None,
    limits: ImportLimits | None = None,
    parse_in_process: bool | None = None,
) -> ImportReport:
    """Import ``path`` into the register of ``host_state`` on the caller's transaction.

    ``file_name`` is the name to report and audit (an upload's own name rather than the temporary
    file's). ``initial`` asks for a first load (``first_load``): True insists on it (the
    register must be empty), None lets a large file into an empty register be one, False never.
    Raises ``ImportFileError`` if the file as a whole cannot be read; bad rows never raise,
    they are in the report (``outcome`` says whether anything was written).
    ``parse_in_process``: read and parse the file in a second process (``pipeline``), on the
    second core while this one and the database write; None: for a file of
    ``PROCESS_MIN_BYTES`` or more on PostgreSQL. A chunk reaches this process as COPY text (one
    bytes object per wave, nothing to convert), so the hand-off costs little; on SQLite the
    rows are tuples to pickle and the reader thread is kept (measured: docs/import-export.md)."""
    require(principal, Permission.REGISTER_IMPORT)
    limits = limits or ImportLimits()
    name = file_name or path.name
    report = ImportReport(name[:200], "", dry_run, all_or_nothing)
    try:
        fmt = detect_format(name, file_format)
        report.file_format = fmt
        size = path.stat().st_size
        check_file_size(size, limits)
        report.initial = first_load.decide(session, path, fmt, initial)
        if parse_in_process is None:
            dialect = session.get_bind().dialect.name
            parse_in_process = dialect == "postgresql" and size >= PROCESS_MIN_BYTES
        with closing(read_rows(path, fmt, limits)) as rows:
            counted = _counted(rows, limits)
            _import_in_savepoint(
                session,
                principal,
                counted,
                host_state,
                report,
                progress,
                chunk_rows,
                parse_in_process,
            )
    except ImportFileError as exc:
        _refused(session, principal, report, exc)
        raise
    audit.record(
        session,
        principal,
        "register.import",
        outcome=report.outcome,
        details=_audit_details(report),
    )
    return report


def refuse_upload(
    session: Session, principal: Principal, file_name: str, exc: ImportFileError
) -> None:
    """Audit an upload refused before it reached ``import_file`` (too large to be saved)."""
    _refused(session, principal, ImportReport(file_name[:200], "", False, True), exc)


def _refused(
    session: Session, principal: Principal, report: ImportReport, exc: ImportFileError
) -> None:
    report.outcome = "rejected"
    audit.record_on_failure(
        session,
        principal,
        "register.import",
        outcome="rejected",
        details={**_audit_details(report), "file_error": exc.detail[:AUDIT_DETAIL_CHARS]},
    )


def _counted(rows: Iterator[Row], limits: ImportLimits) -> Iterator[Row]:
    """The rows, stopping the import at the first one past the row limit."""
    for count, row in enumerate(rows, start=1):
        check_row_count(count, limits)
        yield row


def _import_in_savepoint(
    session: Session,
    principal: Principal,
    rows: Iterator[Row],
    host_state: str,
    report: ImportReport,
    progress: Progress | None,
    chunk_rows: int,
    parse_in_process: bool,
) -> None:
    ctx = ImportContext(
        host_state,
        principal.actor,
        f"import of {report.file_name}",
        batch_history=report.initial,
    )
    ids = RecordIds(uuid7_hex())
    maker = ChunkMaker(session.get_bind().dialect.name, ids, batch_history=report.initial)
    statistics = StatisticsKeeper.for_session(session, first_at=chunk_rows)
    savepoint = session.begin_nested()
    try:
        with ExitStack() as stack:
            stack.enter_context(import_settings(session.connection()))
            load = (
                stack.enter_context(without_upkeep(session.connection()))
                if report.initial
                else None
            )
            staging = Staging.create(session.connection())
            # Reading, parsing, names and storage form of the next chunk run in the reader
            # thread (or process) while the database reconciles this one.
            chunks: Prefetched[Chunk] | ProcessPrefetched[Chunk] = (
                ProcessPrefetched(lambda: maker.chunks(rows, chunk_rows))
                if parse_in_process
                else Prefetched(maker.chunks(rows, chunk_rows))
            )
            stack.enter_context(closing(chunks))
            for chunk in chunks:
                report.rows += chunk.read
                before = (report.persons_created, report.documents_created)
                _import_chunk(session, ctx, staging, chunk, report)
                if report.initial:
                    first_load.record_batch(session, ctx, chunk, before, report)
                statistics.after_chunk(session, report.persons_created + report.documents_created)
                if progress is not None:
                    progress(chunk.read)
            staging.drop()
            _decide_outcome(report)
            if load is not None and report.outcome == "imported":
                load.rebuild()
    except IntegrityError as exc:
        savepoint.rollback()
        raise Conflict(
            "the register changed while the file was imported; import it again",
            code=messages.IMPORT_REGISTER_CHANGED,
        ) from exc
    except BaseException:
        savepoint.rollback()
        raise
    if report.outcome == "imported":
        savepoint.commit()
    else:
        savepoint.rollback()


def _decide_outcome(report: ImportReport) -> None:
    if report.dry_run:
        report.outcome = "dry_run"
    elif report.all_or_nothing and report.error_count:
        report.outcome = "rejected"


def _import_chunk(
    session: Session,
    ctx: ImportContext,
    staging: Staging,
    chunk: Chunk,
    report: ImportReport,
) -> None:
    """Each wave of the chunk staged and reconciled in turn; the listeners told once."""
    errors = chunk.errors
    rejected = {e.row for e in errors}
    changed: list[uuid.UUID] = []
    now = utcnow()
    notify = not report.dry_run
    for wave in chunk.waves:
        staging.load(wave)
        result = reconcile_wave(session.connection(), ctx, wave, now=now, notify=notify)
        report.persons_created += result.persons_created
        report.documents_created += result.documents_created
        report.documents_corrected += result.corrected
        report.unchanged += result.unchanged
        rejected.update(result.rejected)
        errors += result.errors
        changed += result.changed_ids
    if changed:
        hooks.documents_bulk_changed(session, changed)
    errors.sort(key=lambda e: e.row)  # stable: a row's problems stay in column order
    report.rows_rejected += len(rejected)
    report.add_errors(errors)


def _audit_details(report: ImportReport) -> dict[str, Any]:
    return {
        "file_name": report.file_name,
        "format": report.file_format,
        "dry_run": report.dry_run,
        "all_or_nothing": report.all_or_nothing,
        "outcome": report.outcome,
        "initial": report.initial,
        **report.counts(),
    }
