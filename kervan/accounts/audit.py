"""The append-only, hash-chained audit log: writing entries and verifying the chain."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.audit_rows import (
    COLUMNS,
    GENESIS_HASH,
    StoredEntry,
    entry_digest,
    hashed_fields,
    raw_select,
    stored_entry,
)
from kervan.accounts.models import AuditEntry, AuditHead
from kervan.db.base import utcnow
from kervan.db.filters import where_given
from kervan.ops.request_ids import with_request_id
from kervan.spreadsheet import safe_cell


class Actor(Protocol):
    """Who an entry names: a ``Principal``, or an ``Anonymous`` caller (a failed sign-in)."""

    @property
    def user_id(self) -> uuid.UUID | None: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def address(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Anonymous:
    """A caller not signed in, named by what they typed (a sign-in attempt for an unknown user)."""

    username: str
    address: str = ""
    user_id: uuid.UUID | None = None
    role: str = "anonymous"
    state: str = ""


# A change that belongs with an entry and must be written in the same transaction as it.
Change = Callable[[Session], None]


def _lock_head(session: Session) -> AuditHead:
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        # No head: a new log, or one whose head was deleted. Go on from the last entry there is,
        # so the node keeps working and recording; the verification reports what happened.
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        head = AuditHead(
            id=1,
            last_seq=last.seq if last else 0,
            last_hash=last.entry_hash if last else GENESIS_HASH,
        )
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    principal: Actor,
    action: str,
    *,
    record_type: str = "",
    record_id: object = "",
    purpose: str = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
    alongside: Change | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction: if the action rolls back, so does its trace,
    and if the trace cannot be written, the action does not happen. ``alongside`` is applied in
    the same transaction first (a failed sign-in's lockout counters travel with its entry)."""
    if alongside is not None:
        alongside(session)
    head = _lock_head(session)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=utcnow(),
        user_id=principal.user_id,
        username=principal.username[:100],
        role=str(principal.role),
        state=principal.state,
        action=action,
        outcome=outcome,
        record_type=record_type,
        record_id=str(record_id) if record_id else "",
        purpose=purpose,
        address=principal.address,
        details=with_request_id(details),  # found again in the request's log lines
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_digest(entry.prev_hash, hashed_fields(entry))
    head.last_seq, head.last_hash = entry.seq, entry.entry_hash
    session.add(entry)
    session.flush()
    return entry


_PENDING_KEY = "kervan.audit_on_failure"


def record_on_failure(session: Session, principal: Actor, action: str, **fields: Any) -> None:
    """Note an entry that must survive the rollback of the failing unit of work it describes
    (a denial, a look-up of a record out of scope). ``kervan.uow.unit_of_work`` writes it in a
    transaction of its own after the rollback."""
    session.info.setdefault(_PENDING_KEY, []).append((principal, action, fields))


def take_pending(session: Session) -> list[tuple[Actor, str, dict[str, Any]]]:
    pending: list[tuple[Actor, str, dict[str, Any]]] = session.info.pop(_PENDING_KEY, [])
    return pending


# ----------------------------------------------------------------------------------------------
# Searching and exporting the log (admins)


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    outcome: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def as_details(self) -> dict[str, str]:
        """The filters an admin used, for the entry that records their search."""
        return {
            k: (v.isoformat() if isinstance(v, dt.datetime) else str(v))
            for k, v in vars(self).items()
            if v is not None
        }


def _filtered(f: AuditFilter) -> Select[*tuple[Any, ...]]:
    exact = {
        AuditEntry.username: f.username,
        AuditEntry.action: f.action,
        AuditEntry.record_type: f.record_type,
        AuditEntry.record_id: f.record_id,
        AuditEntry.outcome: f.outcome,
    }
    period = (
        (f.since, lambda since: AuditEntry.at >= since),
        (f.until, lambda until: AuditEntry.at < until),
    )
    return where_given(raw_select(), exact, period)


def search_entries(
    session: Session, f: AuditFilter, *, before_seq: int | None = None, limit: int = 50
) -> tuple[list[StoredEntry], int | None]:
    """Newest first, keyset-paginated on ``seq``: the next page starts below the last seq seen,
    so paging stays cheap however long the log grows and new entries do not shift pages.
    Entries are read raw (``audit_rows``): a tampered one is shown, never an error."""
    query = _filtered(f)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    result = session.execute(query.order_by(AuditEntry.seq.desc()).limit(limit + 1))
    rows = [stored_entry(row) for row in result]
    next_before = rows[limit - 1].seq if len(rows) > limit else None
    return rows[:limit], next_before


def export_entries(
    factory: sessionmaker[Session], f: AuditFilter, *, batch: int = 1000
) -> Iterator[StoredEntry]:
    """Oldest first, in short transactions of ``batch`` entries: a long export neither holds a
    transaction open (SQLite would keep its write lock) nor loads the log into memory. It stops
    at the head as it was when the export began."""
    with factory() as session, session.begin():
        head = session.get(AuditHead, 1)
        last = head.last_seq if head is not None else 0
    after = 0
    while after < last:
        with factory() as session, session.begin():
            rows = [
                stored_entry(row)
                for row in session.execute(
                    _filtered(f)
                    .where(AuditEntry.seq > after, AuditEntry.seq <= last)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
            ]
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


# The user id is left out: the user name, role and state say who, in a reader's terms.
CSV_COLUMNS = tuple(c for c in COLUMNS if c != "user_id")


def csv_lines(entries: Iterable[StoredEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in values])
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for e in entries:
        # ``shown``: a malformed value goes out as the text that was stored.
        yield line([str(e.seq), *(e.shown(column) for column in CSV_COLUMNS[1:])])
