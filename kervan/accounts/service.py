"""Account operations: users (create, list, disable, reset passwords), a user's own API tokens,
and the admin's view of the audit log. Every change, and every admin read, is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit, audit_verify, checkpoints, messages, tokens
from kervan.accounts.audit_rows import StoredEntry
from kervan.accounts.messages import STATE_OF_NODE, USERNAME_TAKEN
from kervan.accounts.models import ApiToken, AuditCheckpoint, User, UserSession
from kervan.accounts.password_policy import check_new_password
from kervan.accounts.passwords import hash_password
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, Role, state_problem
from kervan.db.base import utcnow
from kervan.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from kervan.messages import RECORD_NOT_FOUND
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
    demo: bool = False,
) -> User:
    check_new_password(password, username=username, full_name=full_name, allow_demo=demo)
    try:
        validate_state_code(state)
    except ValueError as exc:
        raise InvalidInput(
            str(exc),
            errors=[FieldError("state", str(exc), messages.STATE_CODE, {"state": state})],
            code=messages.STATE_CODE,
            params={"state": state},
        ) from exc
    if (wrong_state := state_problem(role, state, principal.state)) is not None:
        params = {"node": principal.state, "state": state}
        raise InvalidInput(
            wrong_state,
            code=STATE_OF_NODE,
            params=params,
            errors=[FieldError("state", wrong_state, code=STATE_OF_NODE, params=params)],
        )
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
        raise NotFound(
            f"no user named {username!r}", code=RECORD_NOT_FOUND, params={"username": username}
        )
    return user


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}", code=RECORD_NOT_FOUND, params={"id": str(user_id)})
    return user


def list_users(session: Session, principal: Principal | None = None) -> list[User]:
    """All accounts (a node has dozens, not thousands). Audited when an admin asks over the
    API; the operator's ``kervan users list`` passes no principal."""
    if principal is not None:
        require(principal, Permission.ACCOUNTS_MANAGE)
        audit.record(session, principal, "user.list", record_type="user")
    return list(session.scalars(select(User).order_by(User.username)))


@dataclass(frozen=True)
class AccountChange:
    """An account after an admin's change, and the access that change took away: the admin
    is told how many sessions ended and how many API tokens were revoked."""

    user: User
    sessions_ended: int = 0
    tokens_revoked: int = 0


def end_sessions(session: Session, user_id: uuid.UUID) -> int:
    """Sign a user out everywhere: a disabled account or a reset password takes effect at the
    next request of every browser, not when its session happens to expire."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def _withdraw_access(session: Session, user: User) -> AccountChange:
    # Tokens are revoked, not merely refused while the account is disabled: whoever made the
    # admin disable the account or reset its password may hold a token too, and enabling the
    # account again must not bring that token back.
    return AccountChange(
        user,
        sessions_ended=end_sessions(session, user.id),
        tokens_revoked=tokens.revoke_all_tokens(session, user.id),
    )


def set_active(
    session: Session, principal: Principal, username: str, active: bool
) -> AccountChange:
    user = get_user_by_name(session, username)
    if not active and user.id == principal.user_id:
        raise Conflict("you cannot disable your own account", code=messages.CANNOT_DISABLE_SELF)
    user.is_active = active
    change = AccountChange(user) if active else _withdraw_access(session, user)
    audit.record(
        session,
        principal,
        "user.enable" if active else "user.disable",
        record_type="user",
        record_id=user.id,
        details=_withdrawn(change),
    )
    return change


def _withdrawn(change: AccountChange) -> dict[str, int]:
    return {"sessions_ended": change.sessions_ended, "tokens_revoked": change.tokens_revoked}


def reset_password(
    session: Session, principal: Principal, username: str, password: str, *, demo: bool = False
) -> AccountChange:
    """``demo``: only ``kervan demo`` may set the demo accounts' published passwords."""
    user = get_user_by_name(session, username)
    check_new_password(password, username=username, full_name=user.full_name, allow_demo=demo)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    change = _withdraw_access(session, user)
    audit.record(
        session,
        principal,
        "user.reset_password",
        record_type="user",
        record_id=user.id,
        details=_withdrawn(change),
    )
    return change


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
        raise Forbidden("only a user account can hold API tokens", code=messages.TOKENS_USERS_ONLY)
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
        raise NotFound(f"no token {token_id}", code=RECORD_NOT_FOUND, params={"id": str(token_id)})
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
) -> tuple[list[StoredEntry], int | None]:
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


def verify_audit(
    session: Session,
    principal: Principal,
    keys: checkpoints.PublicKeys,
    outside: Sequence[str] = (),
) -> audit_verify.ChainReport:
    """Verify the chain against its head and every checkpoint known — stored, and ``outside``
    (the checkpoint file, one given by the operator) — whose signature ``keys`` verify."""
    require(principal, Permission.AUDIT_READ)
    good, refused = checkpoints.known(session, keys, outside)
    # Verify first: the entry recording this check is not part of what it checked.
    report = audit_verify.verify_chain(session, good, refused)
    audit.record(
        session,
        principal,
        "audit.verify",
        outcome="ok" if report.intact else "broken",
        details={
            "entries": report.entries_checked,
            "first_bad_seq": report.first_bad_seq,
            "problems": report.problem_count,
            "checkpoint_seq": report.checkpoint.seq if report.checkpoint else None,
        },
    )
    return report


def list_checkpoints(
    session: Session, principal: Principal, limit: int = 100
) -> list[AuditCheckpoint]:
    """The latest signed checkpoints, newest first, to keep outside the node."""
    require(principal, Permission.AUDIT_READ)
    audit.record(session, principal, "audit.checkpoints", details={"limit": limit})
    return checkpoints.stored_tokens(session, limit)
