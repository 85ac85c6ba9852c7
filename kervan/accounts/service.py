"""Account operations: users (create, list, disable, reset passwords), a user's own API tokens,
and the admin's view of the audit log. Every change, and every admin read, is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit, tokens
from kervan.accounts.messages import PASSWORD_WEAK, USERNAME_TAKEN
from kervan.accounts.models import ApiToken, AuditEntry, User, UserSession
from kervan.accounts.passwords import hash_password, password_problems
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, Role
from kervan.db.base import utcnow
from kervan.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from kervan.registry.codes import validate_state_code


def create_user(
    session: Session,
    principal: Principal,
    *,
    username: str,
    password: str,
    role: Role,
    state: str,
    full_name: str = "",
    locale: str = "en",
) -> User:
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput(
            "the password is too weak",
            code=PASSWORD_WEAK,
            errors=[FieldError("password", p) for p in problems],
        )
    try:
        validate_state_code(state)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[FieldError("state", str(exc))]) from exc
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(
            f"a user named {username!r} exists already",
            code=USERNAME_TAKEN,
            params={"username": username},
        )
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        state=state,
        locale=locale,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        principal,
        "user.create",
        record_type="user",
        record_id=user.id,
        details={"username": username, "role": role.value, "state": state},
    )
    return user


def get_user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def list_users(session: Session, principal: Principal | None = None) -> list[User]:
    """All accounts (a node has dozens, not thousands). Audited when an admin asks over the
    API; the operator's ``kervan users list`` passes no principal."""
    if principal is not None:
        require(principal, Permission.ACCOUNTS_MANAGE)
        audit.record(session, principal, "user.list", record_type="user")
    return list(session.scalars(select(User).order_by(User.username)))


def end_sessions(session: Session, user_id: uuid.UUID) -> None:
    """Sign a user out everywhere: a disabled account or a reset password takes effect at the
    next request of every browser, not when its session happens to expire."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def set_active(session: Session, principal: Principal, username: str, active: bool) -> User:
    user = get_user_by_name(session, username)
    if not active and user.id == principal.user_id:
        raise Conflict("you cannot disable your own account")
    user.is_active = active
    if not active:
        end_sessions(session, user.id)
    audit.record(
        session,
        principal,
        "user.enable" if active else "user.disable",
        record_type="user",
        record_id=user.id,
    )
    return user


def reset_password(session: Session, principal: Principal, username: str, password: str) -> User:
    user = get_user_by_name(session, username)
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput(
            "the password is too weak",
            code=PASSWORD_WEAK,
            errors=[FieldError("password", p) for p in problems],
        )
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(session, user.id)
    audit.record(session, principal, "user.reset_password", record_type="user", record_id=user.id)
    return user


def principal_for(user: User, address: str = "") -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        state=user.state,
        address=address,
    )


# ----------------------------------------------------------------------------------------------
# A user's own API tokens


def _acting_user(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.user_id) if principal.user_id else None
    if user is None:
        raise Forbidden("only a user account can hold API tokens")
    return user


def list_api_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    user = _acting_user(session, principal)
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def create_api_token(
    session: Session, principal: Principal, name: str, *, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for the caller; the secret is returned here once and never stored."""
    user = _acting_user(session, principal)
    expires_at = utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token, secret = tokens.create_token(session, user, name, expires_at=expires_at)
    audit.record(
        session,
        principal,
        "token.create",
        record_type="api_token",
        record_id=token.id,
        details={"name": name, "prefix": token.prefix},
    )
    return token, secret


def revoke_api_token(session: Session, principal: Principal, token_id: uuid.UUID) -> ApiToken:
    user = _acting_user(session, principal)
    token = tokens.revoke_token(session, user, token_id)
    if token is None:  # someone else's token looks exactly like an absent one
        raise NotFound(f"no token {token_id}")
    audit.record(
        session,
        principal,
        "token.revoke",
        record_type="api_token",
        record_id=token.id,
        details={"prefix": token.prefix},
    )
    return token


# ----------------------------------------------------------------------------------------------
# The audit log, for admins: reading it is itself audited


def search_audit(
    session: Session,
    principal: Principal,
    filters: audit.AuditFilter,
    *,
    before_seq: int | None = None,
    limit: int = 50,
) -> tuple[list[AuditEntry], int | None]:
    require(principal, Permission.AUDIT_READ)
    found = audit.search_entries(session, filters, before_seq=before_seq, limit=limit)
    audit.record(session, principal, "audit.search", details=filters.as_details())
    return found


def export_audit(
    session: Session,
    principal: Principal,
    factory: sessionmaker[Session],
    filters: audit.AuditFilter,
) -> Iterator[str]:
    """CSV lines of the matching entries. The export is recorded in the caller's transaction,
    before any line is produced; the lines are read in transactions of their own as they go."""
    require(principal, Permission.AUDIT_READ)
    audit.record(session, principal, "audit.export", details=filters.as_details())
    return audit.csv_lines(audit.export_entries(factory, filters))


def verify_audit(session: Session, principal: Principal) -> audit.ChainReport:
    require(principal, Permission.AUDIT_READ)
    # Verify first: the entry recording this check is not part of what it checked.
    report = audit.verify_chain(session)
    audit.record(
        session,
        principal,
        "audit.verify",
        outcome="ok" if report.intact else "broken",
        details={"entries": report.entries_checked, "first_bad_seq": report.first_bad_seq},
    )
    return report
