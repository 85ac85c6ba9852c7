"""kervan/accounts/tokens.py: a token's secret is shown once and only its digest is kept; it
opens its user's account until revoked or expired, and never a disabled account; a user
revokes only their own tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kervan.accounts import tokens
from kervan.accounts.models import User
from kervan.accounts.roles import Role
from kervan.db.base import utcnow


def _user(session: Session, name: str = "a.officer") -> User:
    user = User(username=name, password_hash="-", role=Role.MIGRATION_OFFICER, state="KAZ")
    session.add(user)
    session.flush()
    return user


def test_the_secret_is_shown_once_and_only_its_digest_kept(session: Session) -> None:
    user = _user(session)
    token, secret = tokens.create_token(session, user, "reporting system")
    assert secret.startswith(tokens.TOKEN_PREFIX) and len(secret) > 40
    assert token.token_hash == tokens.token_digest(secret) and secret not in token.token_hash
    assert token.prefix == secret[:10]
    assert tokens.create_token(session, user, "again")[1] != secret


def test_a_token_opens_its_users_account_and_records_its_use(session: Session) -> None:
    user = _user(session)
    token, secret = tokens.create_token(session, user, "t")
    assert tokens.user_for_token(session, secret) is user
    assert token.last_used_at is not None
    assert tokens.user_for_token(session, secret + "x") is None
    assert tokens.user_for_token(session, "") is None


def test_an_expired_or_revoked_token_or_a_disabled_account_opens_nothing(session: Session) -> None:
    user = _user(session)
    _, expired = tokens.create_token(session, user, "e", expires_at=utcnow())
    revoked, revoked_secret = tokens.create_token(session, user, "r")
    tokens.revoke_token(session, user, revoked.id)
    _, live = tokens.create_token(session, user, "l", expires_at=utcnow() + dt.timedelta(days=1))
    assert tokens.user_for_token(session, expired) is None
    assert tokens.user_for_token(session, revoked_secret) is None
    assert tokens.user_for_token(session, live) is user
    user.is_active = False
    assert tokens.user_for_token(session, live) is None


def test_a_user_revokes_only_their_own_tokens_and_once(session: Session) -> None:
    owner, other = _user(session), _user(session, "b.officer")
    token, _ = tokens.create_token(session, owner, "t")
    assert tokens.revoke_token(session, other, token.id) is None
    assert token.revoked_at is None
    first = tokens.revoke_token(session, owner, token.id)
    assert first is token and token.revoked_at is not None
    when = token.revoked_at
    tokens.revoke_token(session, owner, token.id)
    assert token.revoked_at == when  # revoking again keeps the first time


def test_revoking_all_counts_only_the_live_tokens(session: Session) -> None:
    user = _user(session)
    tokens.create_token(session, user, "live")
    tokens.create_token(session, user, "also live")
    tokens.create_token(session, user, "expired", expires_at=utcnow() - dt.timedelta(days=1))
    revoked, _ = tokens.create_token(session, user, "revoked")
    tokens.revoke_token(session, user, revoked.id)
    session.flush()
    assert tokens.revoke_all_tokens(session, user.id) == 2
    assert tokens.revoke_all_tokens(session, user.id) == 0
