"""Counting failed sign-ins: per account, per unknown user name, and per client address.

Each counter update is an ``audit.Change``: applied in the request's transaction and again,
should that roll back, in the transaction that writes the failure's audit entry.

An unknown user name is counted and locked by the same rule as an account, so that "too many
attempts" does not single out the names that exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.models import SignInNameLock, SignInThrottle, User

if TYPE_CHECKING:
    from kervan.accounts.sessions import SignInRules as Limits

# Unknown names untouched this long are forgotten (the table cannot grow without bound); an
# account's count of failures is kept as long, in practice, since officers sign in often.
NAME_MEMORY = dt.timedelta(days=30)


def _locked_row(session: Session, model: Any, key_column: str, key: str, **fresh: Any) -> Any:
    """The counter row of ``key``, locked; inserted first if absent, so that two first
    failures at once cannot both insert."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(model)
        .values({key_column: key, **fresh})
        .on_conflict_do_nothing(index_elements=[key_column])
    )
    row = session.get(model, key, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def name_digest(username: str) -> str:
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()


def count_user_failure(user_id: uuid.UUID, now: dt.datetime, limits: Limits) -> audit.Change:
    def apply(session: Session) -> None:
        user = session.get(User, user_id, with_for_update=True)
        if user is None:
            return
        if user.locked_until is not None and user.locked_until <= now:
            user.failed_logins, user.locked_until = 0, None  # a lock that ran out starts afresh
        user.failed_logins += 1
        if user.failed_logins >= limits.lockout_threshold:
            user.locked_until = now + limits.lockout

    return apply


def count_name_failure(username: str, now: dt.datetime, limits: Limits) -> audit.Change:
    digest = name_digest(username)

    def apply(session: Session) -> None:
        forgotten = SignInNameLock.last_failed_at < now - NAME_MEMORY
        session.execute(delete(SignInNameLock).where(forgotten))
        row = _locked_row(
            session, SignInNameLock, "name_digest", digest, failed_logins=0, last_failed_at=now
        )
        if row.locked_until is not None and row.locked_until <= now:
            row.failed_logins, row.locked_until = 0, None
        row.failed_logins += 1
        row.last_failed_at = now
        if row.failed_logins >= limits.lockout_threshold:
            row.locked_until = now + limits.lockout

    return apply


def count_address_failure(address: str, now: dt.datetime, limits: Limits) -> audit.Change:
    def apply(session: Session) -> None:
        row = _locked_row(
            session, SignInThrottle, "address", address, failures=0, window_started_at=now
        )
        if row.window_started_at + limits.address_window <= now:
            row.failures, row.window_started_at, row.blocked_until = 0, now, None
        row.failures += 1
        if row.failures >= limits.address_max_failures:
            row.blocked_until = now + limits.address_window

    return apply


def both(*changes: audit.Change) -> audit.Change:
    def apply(session: Session) -> None:
        for change in changes:
            change(session)

    return apply


def address_blocked_until(db: Session, address: str, now: dt.datetime) -> dt.datetime | None:
    row = db.get(SignInThrottle, address)
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        return row.blocked_until
    return None


def name_locked_until(db: Session, username: str, now: dt.datetime) -> dt.datetime | None:
    row = db.get(SignInNameLock, name_digest(username), populate_existing=True)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None
