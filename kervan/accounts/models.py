"""Users, their UI sessions and API tokens, sign-in throttling, and the hash-chained audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kervan.accounts.roles import Role
from kervan.db.base import Base, IdMixin, utcnow


class User(IdMixin, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    state: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(IdMixin, Base):
    """A bearer token for machine clients. Only a SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Shown in lists so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column()
    expires_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()

    user: Mapped[User] = relationship(back_populates="tokens")

    __table_args__ = (Index("ix_api_tokens_user_id", "user_id"),)


class UserSession(IdMixin, Base):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored, so a
    copy of the database cannot be replayed as a session."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()  # the absolute end, whatever the activity
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_user_sessions_user_id", "user_id"),)


class SignInThrottle(Base):
    """Failed sign-ins per client address, to any account: slows down guessing across many
    user names, which the per-account lockout on ``users`` does not see."""

    __tablename__ = "sign_in_throttles"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[dt.datetime] = mapped_column()
    blocked_until: Mapped[dt.datetime | None] = mapped_column()


class SignInNameLock(Base):
    """Failed sign-ins for a user name that has no account, counted and locked exactly as an
    account's are (``users.failed_logins``, ``users.locked_until``): otherwise only real
    accounts would ever answer "too many attempts", which tells who exists. Keyed by a digest,
    since what people type as a user name is sometimes their password."""

    __tablename__ = "sign_in_name_locks"

    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    last_failed_at: Mapped[dt.datetime] = mapped_column()

    __table_args__ = (Index("ix_sign_in_name_locks_last_failed_at", "last_failed_at"),)


class AuditEntry(Base):
    """One audited action. ``entry_hash`` covers this entry's fields and the previous entry's
    hash, so altering, inserting or removing an entry breaks the chain from that point on."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[dt.datetime] = mapped_column()
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    username: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(3))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    record_type: Mapped[str] = mapped_column(String(64), default="")
    record_id: Mapped[str] = mapped_column(String(64), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entries_record", "record_type", "record_id"),
        Index("ix_audit_entries_username_at", "username", "at"),
        Index("ix_audit_entries_action_at", "action", "at"),
    )


class AuditHead(Base):
    """The chain's tip, one row. Appending locks it, which orders concurrent appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed statement of the chain's length and last hash at a moment: a compact JWS by the
    node's Ed25519 key, which never lives in the database. Copies kept elsewhere (exported,
    logged) let a verification tell that entries were cut off the end, or the log wiped, even
    together with ``audit_head`` and this table."""

    __tablename__ = "audit_checkpoints"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    entry_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column()
    kid: Mapped[str] = mapped_column(String(100))
    token: Mapped[str] = mapped_column(Text)
