"""Reading audit entries as they are stored, whatever someone wrote into them.

The log is evidence, and tampering is what it must survive: an entry whose time, user id or
details no longer parse (written straight into the database) must not stop a verification, a
search or an export. So entries are read raw — the database's own values, not through the ORM's
converters that raise — and converted here one by one; a value that does not convert is kept as
text and named in ``malformed``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select, type_coerce
from sqlalchemy.types import NullType

from kervan.accounts.models import AuditEntry

GENESIS_HASH = "0" * 64
# How much of an unreadable value is shown: enough to recognise it, never a flood.
SHOWN_CHARACTERS = 200

# Every column of an entry, in the order exports show them.
COLUMNS = (
    "seq",
    "at",
    "user_id",
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
# Read as they are; the others convert (``_CONVERTERS``) and so can fail.
_TEXT_FIELDS = tuple(c for c in COLUMNS if c not in ("seq", "at", "user_id", "details"))


@dataclass(frozen=True)
class StoredEntry:
    """An entry as read back. ``at``, ``user_id`` and ``details`` are None (details: {}) when
    their stored value did not convert; ``malformed`` then names the column and ``raw`` keeps
    what was stored (shortened)."""

    seq: int
    at: dt.datetime | None
    user_id: uuid.UUID | None
    username: str
    role: str
    state: str
    action: str
    outcome: str
    record_type: str
    record_id: str
    purpose: str
    address: str
    details: dict[str, Any]
    prev_hash: str
    entry_hash: str
    malformed: tuple[str, ...] = ()
    raw: dict[str, str] = field(default_factory=dict)

    def shown(self, name: str) -> str:
        """A column as text for a person or a CSV cell, the stored text if it is malformed."""
        if name in self.raw:
            return self.raw[name]
        value = getattr(self, name)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return json.dumps(value, sort_keys=True, ensure_ascii=False)
        return "" if value is None else str(value)


def entry_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def hashed_fields(entry: AuditEntry | StoredEntry) -> dict[str, Any]:
    assert entry.at is not None
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


# The columns whose ORM type converts (and so can raise) are read with no type at all.
_RAW = {
    "at": type_coerce(AuditEntry.at, NullType()).label("at"),
    "user_id": type_coerce(AuditEntry.user_id, NullType()).label("user_id"),
    "details": type_coerce(AuditEntry.details, NullType()).label("details"),
}
_COLUMNS = [
    AuditEntry.seq,
    _RAW["at"],
    _RAW["user_id"],
    _RAW["details"],
    *(type_coerce(getattr(AuditEntry, n), NullType()).label(n) for n in _TEXT_FIELDS),
]


def raw_select() -> Select[*tuple[Any, ...]]:
    """``SELECT`` of every column, unconverted: filter and order it like ``select(AuditEntry)``."""
    return select(*_COLUMNS)


def _time(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)  # SQLite's text: "2026-12-03 10:21:00.123456"
    if not isinstance(value, dt.datetime):
        raise ValueError("not a time")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _user_id(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value)
    raise ValueError("not a UUID")


def _details(value: Any) -> dict[str, Any]:
    if isinstance(value, str | bytes):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


_CONVERTERS = {"at": _time, "user_id": _user_id, "details": _details}


def stored_entry(row: Any) -> StoredEntry:
    values: dict[str, Any] = {"seq": int(row.seq)}
    malformed: list[str] = []
    raw: dict[str, str] = {}
    converters = {**_CONVERTERS, **dict.fromkeys(_TEXT_FIELDS, _text)}
    for name, convert in converters.items():
        stored = getattr(row, name)
        try:
            values[name] = convert(stored)
        except (ValueError, TypeError, UnicodeError, OverflowError):
            malformed.append(name)
            raw[name] = repr(stored)[:SHOWN_CHARACTERS]
            values[name] = {} if name == "details" else None if name in _CONVERTERS else ""
    return StoredEntry(**values, malformed=tuple(malformed), raw=raw)
