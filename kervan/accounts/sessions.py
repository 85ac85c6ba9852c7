"""UI sessions: signing in and out, and finding the user behind a session cookie.

A session is a server-side row; the cookie carries a random secret of which only the SHA-256 is
stored. Sign-in is throttled per account (lockout after repeated failures) and per client
address (guessing across many user names), and every attempt is audited — a failure in a way
that survives the rollback of the request that reports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from fastapi import Request, Response
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kervan.accounts import audit, messages, throttle
from kervan.accounts.models import User, UserSession
from kervan.accounts.passwords import hash_password, needs_rehash, verify_password
from kervan.accounts.service import principal_for
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.errors import KervanError

COOKIE_NAME = "kervan_session"
# Set on request.state by sign_in, so a CSRF token rendered in the same response is bound to
# the new session rather than to the cookie the browser sent.
NEW_SESSION_STATE = "kervan_new_session_cookie"
# Written at most this often, so that a busy officer's every click is not also an UPDATE.
_LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)
_MAX_COOKIE_LENGTH = 128

GENERIC_FAILURE = "wrong user name or password"


class SignInFailed(KervanError):
    status = 401
    type_slug = "sign-in-failed"
    title = "Sign-in failed"


@dataclass(frozen=True)
class SignInRules:
    lockout_threshold: int
    lockout: dt.timedelta
    address_max_failures: int
    address_window: dt.timedelta
    idle: dt.timedelta
    absolute: dt.timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInRules:
        return cls(
            lockout_threshold=settings.signin_lockout_threshold,
            lockout=dt.timedelta(minutes=settings.signin_lockout_minutes),
            address_max_failures=settings.signin_address_max_failures,
            address_window=dt.timedelta(minutes=settings.signin_address_window_minutes),
            idle=dt.timedelta(minutes=settings.session_idle_minutes),
            absolute=dt.timedelta(hours=settings.session_absolute_hours),
        )


def _rules(request: Request) -> SignInRules:
    return SignInRules.from_settings(request.app.state.settings)


def _now(request: Request) -> dt.datetime:
    # Tests set app.state.clock to step over lockouts and idle timeouts without sleeping.
    clock: Callable[[], dt.datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def _address(request: Request) -> str:
    return (request.client.host if request.client else "")[:64]


def _digest(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


@functools.cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def locked_message(until: dt.datetime) -> str:
    return f"too many failed sign-ins; try again after {until.astimezone(dt.UTC):%H:%M} UTC"


def _fail(
    db: Session,
    actor: audit.Actor,
    reason: str,
    change: audit.Change | None,
    user: User | None = None,
    *,
    locked_until: dt.datetime | None = None,
    lock_after: Callable[[], dt.datetime | None] | None = None,
) -> NoReturn:
    """Record the failure (and apply ``change``), then answer: "locked until" when the account
    or name is locked — ``lock_after`` tells whether this very failure locked it — else the
    one generic message."""
    fields: dict[str, Any] = {
        "outcome": "failed",
        "record_type": "user" if user else "",
        "record_id": user.id if user else "",
        "details": {"reason": reason},
    }
    # Written both ways: kept if the caller commits (a UI view that renders the form again),
    # and written after the rollback if the error propagates. Exactly one of the two survives.
    audit.record(db, actor, "auth.sign_in", alongside=change, **fields)
    audit.record_on_failure(db, actor, "auth.sign_in", alongside=change, **fields)
    if locked_until is None and lock_after is not None:
        locked_until = lock_after()
    if locked_until is not None:
        raise SignInFailed(
            locked_message(locked_until),
            locked_until=locked_until.isoformat(),
            code=messages.SIGN_IN_LOCKED,
            params={"time": f"{locked_until.astimezone(dt.UTC):%H:%M}"},
        )
    raise SignInFailed(GENERIC_FAILURE, code=messages.SIGN_IN_FAILED)


# ----------------------------------------------------------------------------------------------
# Signing in and out


def sign_in(db: Session, request: Request, username: str, password: str) -> tuple[User, str]:
    """Check the credentials and open a session; return the user and the cookie value.

    Raises ``SignInFailed`` with one message for an unknown user, a wrong password and a
    disabled account alike, and a distinct one naming the time a lockout ends — for unknown
    user names too, after as many failures as an account. Every attempt costs exactly one
    password hash, whatever the outcome, so the time taken tells no more than the answer."""
    rules, now, address = _rules(request), _now(request), _address(request)
    username = username.strip()
    anonymous = audit.Anonymous(username=username[:100], address=address)
    user = db.scalar(select(User).where(User.username == username).with_for_update())
    right = verify_password(user.password_hash if user else _decoy_hash(), password)
    blocked = throttle.address_blocked_until(db, address, now)
    if blocked is not None:
        _fail(db, anonymous, "address_blocked", None, locked_until=blocked)
    count_address = throttle.count_address_failure(address, now, rules)
    if user is None:
        name_lock = throttle.name_locked_until(db, username, now)
        if name_lock is not None:
            _fail(db, anonymous, "locked", count_address, locked_until=name_lock)
        count_name = throttle.count_name_failure(username, now, rules)
        _fail(
            db,
            anonymous,
            "unknown_user",
            throttle.both(count_name, count_address),
            lock_after=lambda: throttle.name_locked_until(db, username, now),
        )
    actor = principal_for(user, address)
    if user.locked_until is not None and user.locked_until > now:
        _fail(db, actor, "locked", count_address, user, locked_until=user.locked_until)
    if not right:
        change = throttle.both(throttle.count_user_failure(user.id, now, rules), count_address)
        _fail(db, actor, "bad_password", change, user, lock_after=lambda: user.locked_until)
    if not user.is_active:
        _fail(db, actor, "disabled", None, user)
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    cookie_value = _open_session(db, request, user, now, rules)
    audit.record(db, actor, "auth.sign_in", record_type="user", record_id=user.id)
    return user, cookie_value


def _open_session(
    db: Session, request: Request, user: User, now: dt.datetime, rules: SignInRules
) -> str:
    # A fresh secret at every sign-in, and the browser's previous session (if any) ended: a
    # session id planted before sign-in (session fixation) is never promoted.
    previous = request.cookies.get(COOKIE_NAME)
    if previous:
        db.execute(delete(UserSession).where(UserSession.token_hash == _digest(previous)))
    db.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    cookie_value = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            user_id=user.id,
            token_hash=_digest(cookie_value),
            created_at=now,
            last_seen_at=now,
            expires_at=now + rules.absolute,
            address=_address(request),
            user_agent=request.headers.get("user-agent", "")[:200],
        )
    )
    db.flush()
    setattr(request.state, NEW_SESSION_STATE, cookie_value)
    return cookie_value


def attach_session_cookie(
    response: Response, cookie_value: str, settings: Settings, *, secure: bool
) -> None:
    """HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site POSTs), Secure
    when served over TLS. It lives no longer than the session's absolute lifetime."""
    response.set_cookie(
        COOKIE_NAME,
        cookie_value,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def sign_out(db: Session, request: Request, response: Response) -> None:
    """End the browser's session: delete its row and its cookie, and audit it."""
    cookie_value = request.cookies.get(COOKIE_NAME)
    if cookie_value:
        row = db.scalar(select(UserSession).where(UserSession.token_hash == _digest(cookie_value)))
        if row is not None:
            user = db.get(User, row.user_id)
            db.delete(row)
            if user is not None:
                audit.record(
                    db,
                    principal_for(user, _address(request)),
                    "auth.sign_out",
                    record_type="user",
                    record_id=user.id,
                )
    response.delete_cookie(
        COOKIE_NAME,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )


def resolve_session_user(request: Request, db: Session) -> User | None:
    """The user behind the request's session cookie, or None if there is none, or it ended
    (idle too long, past its absolute lifetime, or its user disabled)."""
    cookie_value = request.cookies.get(COOKIE_NAME)
    if not cookie_value or len(cookie_value) > _MAX_COOKIE_LENGTH:
        return None
    row = db.scalar(select(UserSession).where(UserSession.token_hash == _digest(cookie_value)))
    if row is None:
        return None
    now, rules = _now(request), _rules(request)
    if now >= row.expires_at or now - row.last_seen_at >= rules.idle:
        db.delete(row)
        request.state.kervan_session_expired = True  # the UI can say why it asks to sign in
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if now - row.last_seen_at >= _LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
    return user
