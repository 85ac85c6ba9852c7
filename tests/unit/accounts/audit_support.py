"""Audit entries written by hand, for the tests of the chain's verification and of the export:
what a forger who knows the hashing scheme would insert, and the columns of an entry as read."""

from __future__ import annotations

from typing import Any

from kervan.accounts.audit_rows import entry_digest, hashed_fields
from kervan.accounts.models import AuditEntry


def entry_columns(**overrides: Any) -> dict[str, Any]:
    """An entry's columns but its seq, time and hashes: an admin's ``user.create`` with nothing
    else said, and ``overrides``."""
    columns: dict[str, Any] = {
        "user_id": None,
        "username": "forger",
        "role": "admin",
        "state": "KAZ",
        "action": "user.create",
        "outcome": "ok",
        "record_type": "",
        "record_id": "",
        "purpose": "",
        "address": "",
        "details": {},
    }
    return columns | overrides


def forged_entry(seq: int, after: AuditEntry, **overrides: Any) -> AuditEntry:
    """Entry ``seq`` as a forger would write it after ``after``: at its time, in its state,
    chained to its hash, and with a hash of its own consistent with all that."""
    forged = AuditEntry(
        seq=seq,
        at=after.at,
        prev_hash=after.entry_hash,
        **entry_columns(state=after.state, **overrides),
    )
    forged.entry_hash = entry_digest(after.entry_hash, hashed_fields(forged))
    return forged
