"""The append-only, hash-chained audit log: writing entries and verifying the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.models import AuditEntry, AuditHead
from kervan.accounts.roles import Principal
from kervan.db.base import utcnow

GENESIS_HASH = "0" * 64


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
    principal: Principal,
    action: str,
    *,
    record_type: str = "",
    record_id: object = "",
    purpose: str = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction: if the action rolls back, so does its trace,
    and if the trace cannot be written, the action does not happen."""
    head = _lock_head(session)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=utcnow(),
        user_id=principal.user_id,
        username=principal.username,
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

    @property
    def intact(self) -> bool:
        return self.first_bad_seq is None


def _entries(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    )


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order; name the first entry that was altered, inserted or removed."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            kind = "removed" if entry.seq > expected_seq else "inserted"
            return ChainReport(checked, expected_seq, f"entry {expected_seq} was {kind}")
        if entry.prev_hash != prev_hash:
            return ChainReport(
                checked, entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}: "
                "an entry before it was removed or inserted",
            )
        if _entry_digest(entry.prev_hash, _hashed_fields(entry)) != entry.entry_hash:
            return ChainReport(checked, entry.seq, f"entry {entry.seq} was altered")
        expected_seq, prev_hash, checked = entry.seq + 1, entry.entry_hash, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_seq, head.last_hash) != (checked, prev_hash):
        return ChainReport(
            checked, checked + 1 if head.last_seq > checked else checked,
            f"the chain ends at entry {checked} but its head records entry {head.last_seq}: "
            "entries at the end were removed or the head was altered",
        )
    return ChainReport(checked)


_PENDING_KEY = "kervan.audit_on_failure"


def record_on_failure(session: Session, principal: Principal, action: str, **fields: Any) -> None:
    """Note an entry that must survive the rollback of the failing unit of work it describes
    (a denial, a look-up of a record out of scope). ``kervan.uow.unit_of_work`` writes it in a
    transaction of its own after the rollback."""
    session.info.setdefault(_PENDING_KEY, []).append((principal, action, fields))


def take_pending(session: Session) -> list[tuple[Principal, str, dict[str, Any]]]:
    pending: list[tuple[Principal, str, dict[str, Any]]] = session.info.pop(_PENDING_KEY, [])
    return pending
