"""The append-only, hash-chained audit log: writing entries and verifying the chain."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry, AuditHead
from kervan.db.base import utcnow
from kervan.spreadsheet import safe_cell

GENESIS_HASH = "0" * 64


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


def _entry_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "user_id": str(entry.user_id) if entry.user_id else None,
        "username": entry.username,
        "role": entry.role,
        "state": entry.state,
        "action": entry.action,
        "outcome": entry.outcome,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "purpose": entry.purpose,
        "address": entry.address,
        "details": entry.details,
    }


def _lock_head(session: Session) -> AuditHead:
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, last_seq=0, last_hash=GENESIS_HASH)
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
        details=details or {},
        prev_hash=head.last_hash,
    )
    entry.entry_hash = _entry_digest(entry.prev_hash, _hashed_fields(entry))
    head.last_seq, head.last_hash = entry.seq, entry.entry_hash
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    # The hash of the last entry checked: an operator who notes it elsewhere (a ticket, a
    # printout) can later tell that even a fully recomputed chain is not the one they saw.
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return self.first_bad_seq is None


def _entries(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order; name the first entry that was altered, inserted or removed."""
    expected_seq, prev_hash, before_prev, checked = 1, GENESIS_HASH, GENESIS_HASH, 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            kind = "removed" if entry.seq > expected_seq else "inserted"
            return ChainReport(checked, expected_seq, f"entry {expected_seq} was {kind}", prev_hash)
        if entry.prev_hash != prev_hash:
            if checked and entry.prev_hash == before_prev:
                # It follows the entry before the previous one: the previous one was slipped in
                # (and the later entries renumbered to make room).
                return ChainReport(
                    checked, entry.seq - 1, f"entry {entry.seq - 1} was inserted", prev_hash
                )
            return ChainReport(
                checked,
                entry.seq,
                f"entry {entry.seq} does not follow entry {entry.seq - 1}: "
                "an entry before it was removed or inserted",
                prev_hash,
            )
        if _entry_digest(entry.prev_hash, _hashed_fields(entry)) != entry.entry_hash:
            return ChainReport(checked, entry.seq, f"entry {entry.seq} was altered", prev_hash)
        before_prev, prev_hash = prev_hash, entry.entry_hash
        expected_seq, checked = entry.seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_seq, head.last_hash) != (checked, prev_hash):
        if head.last_seq < checked:
            return ChainReport(
                checked,
                head.last_seq + 1,
                f"entry {head.last_seq + 1} was inserted after the chain's recorded head "
                f"(entry {head.last_seq})",
                prev_hash,
            )
        if head.last_seq > checked:
            return ChainReport(
                checked,
                checked + 1,
                f"the chain ends at entry {checked} but its head records entry "
                f"{head.last_seq}: entry {checked + 1} and any after it were removed",
                prev_hash,
            )
        return ChainReport(
            checked, checked, f"entry {checked} was altered or the chain's head was", prev_hash
        )
    return ChainReport(checked, last_hash=prev_hash)


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


def _filtered(f: AuditFilter) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    exact = {
        AuditEntry.username: f.username,
        AuditEntry.action: f.action,
        AuditEntry.record_type: f.record_type,
        AuditEntry.record_id: f.record_id,
        AuditEntry.outcome: f.outcome,
    }
    for column, value in exact.items():
        if value is not None:
            query = query.where(column == value)
    if f.since is not None:
        query = query.where(AuditEntry.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEntry.at < f.until)
    return query


def search_entries(
    session: Session, f: AuditFilter, *, before_seq: int | None = None, limit: int = 50
) -> tuple[list[AuditEntry], int | None]:
    """Newest first, keyset-paginated on ``seq``: the next page starts below the last seq seen,
    so paging stays cheap however long the log grows and new entries do not shift pages."""
    query = _filtered(f)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    rows = list(session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit + 1)))
    next_before = rows[limit - 1].seq if len(rows) > limit else None
    return rows[:limit], next_before


def export_entries(
    factory: sessionmaker[Session], f: AuditFilter, *, batch: int = 1000
) -> Iterator[AuditEntry]:
    """Oldest first, in short transactions of ``batch`` entries: a long export neither holds a
    transaction open (SQLite would keep its write lock) nor loads the log into memory. It stops
    at the head as it was when the export began."""
    with factory() as session, session.begin():
        head = session.get(AuditHead, 1)
        last = head.last_seq if head is not None else 0
    after = 0
    while after < last:
        with factory() as session, session.begin():
            rows = list(
                session.scalars(
                    _filtered(f)
                    .where(AuditEntry.seq > after, AuditEntry.seq <= last)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
            )
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


CSV_COLUMNS = (
    "seq",
    "at",
    "username",
    "role",
    "state",
    "action",
    "outcome",
    "record_type",
    "record_id",
    "purpose",
    "address",
    "details",
    "prev_hash",
    "entry_hash",
)


def csv_lines(entries: Iterable[AuditEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in values])
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for e in entries:
        yield line(
            (
                str(e.seq),
                e.at.isoformat(),
                e.username,
                e.role,
                e.state,
                e.action,
                e.outcome,
                e.record_type,
                e.record_id,
                e.purpose,
                e.address,
                json.dumps(e.details, sort_keys=True, ensure_ascii=False),
                e.prev_hash,
                e.entry_hash,
            )
        )
