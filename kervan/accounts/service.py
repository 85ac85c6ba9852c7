"""Account operations: create, list, disable users; reset passwords."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.models import User
from kervan.accounts.passwords import hash_password, password_problems
from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict, FieldError, InvalidInput, NotFound
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
            "the password is too weak", errors=[FieldError("password", p) for p in problems]
        )
    try:
        validate_state_code(state)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[FieldError("state", str(exc))]) from exc
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"a user named {username!r} exists already")
    user = User(
        username=username, full_name=full_name, password_hash=hash_password(password),
        role=role, state=state, locale=locale,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, principal, "user.create", record_type="user", record_id=user.id,
        details={"username": username, "role": role.value, "state": state},
    )
    return user


def get_user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(session: Session, principal: Principal, username: str, active: bool) -> User:
    user = get_user_by_name(session, username)
    user.is_active = active
    audit.record(
        session, principal, "user.enable" if active else "user.disable", record_type="user",
        record_id=user.id,
    )
    return user


def reset_password(session: Session, principal: Principal, username: str, password: str) -> User:
    user = get_user_by_name(session, username)
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput(
            "the password is too weak", errors=[FieldError("password", p) for p in problems]
        )
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, principal, "user.reset_password", record_type="user", record_id=user.id)
    return user


def principal_for(user: User, address: str = "") -> Principal:
    return Principal(
        user_id=user.id, username=user.username, role=user.role, state=user.state,
        address=address,
    )
