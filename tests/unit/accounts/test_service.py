"""kervan/accounts/service.py: the rules of managing accounts — what a new account may be,
that an admin cannot disable themselves, that disabling or resetting a password withdraws
every session and token, and that tokens belong to user accounts only."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import messages, service, tokens
from kervan.accounts.models import AuditEntry, User
from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict, Forbidden, InvalidInput, NotFound

STRONG = "Vq7!mZ2#pL9@xR4t-kervan"
OPERATOR = Principal(user_id=None, username="operator", role=Role.ADMIN, state="KAZ")


def _create(session: Session, name: str = "a.officer", **fields: object) -> User:
    values: dict[str, object] = {
        "username": name,
        "password": STRONG,
        "role": Role.MIGRATION_OFFICER,
        "state": "KAZ",
    }
    values.update(fields)
    return service.create_user(session, OPERATOR, **values)  # type: ignore[arg-type]


def _code(session: Session, **fields: object) -> str:
    with pytest.raises((InvalidInput, Conflict)) as caught:
        _create(session, **fields)
    return str(caught.value.code)  # type: ignore[attr-defined]


def test_a_new_account_is_audited_without_its_password(session: Session) -> None:
    user = _create(session)
    assert user.password_hash != STRONG and user.is_active
    entry = session.scalars(select(AuditEntry)).one()
    assert entry.action == "user.create" and STRONG not in str(entry.details)


def test_what_a_new_account_may_not_be(session: Session) -> None:
    _create(session)
    assert _code(session, name="a.officer") == messages.USERNAME_TAKEN
    assert _code(session, name="b", password="password") == messages.PASSWORD_WEAK
    assert _code(session, name="c", state="XX1") == messages.STATE_CODE
    # An officer of another state cannot be made on this node.
    assert _code(session, name="d", state="UZB") == messages.STATE_OF_NODE


def test_an_admin_cannot_disable_their_own_account(session: Session) -> None:
    admin = _create(session, "the.admin", role=Role.ADMIN)
    with pytest.raises(Conflict) as caught:
        service.set_active(session, service.principal_for(admin), "the.admin", False)
    assert caught.value.code == messages.CANNOT_DISABLE_SELF


def test_disabling_withdraws_every_token_and_enabling_brings_none_back(session: Session) -> None:
    admin, officer = _create(session, "the.admin", role=Role.ADMIN), _create(session)
    _, secret = tokens.create_token(session, officer, "script")
    change = service.set_active(session, service.principal_for(admin), "a.officer", False)
    assert (change.user.is_active, change.tokens_revoked) == (False, 1)
    service.set_active(session, service.principal_for(admin), "a.officer", True)
    assert officer.is_active and tokens.user_for_token(session, secret) is None


def test_a_password_reset_unlocks_the_account_and_revokes_its_tokens(session: Session) -> None:
    officer = _create(session)
    officer.failed_logins, officer.locked_until = 9, officer.password_changed_at
    tokens.create_token(session, officer, "script")
    change = service.reset_password(session, OPERATOR, "a.officer", STRONG + "!")
    assert (officer.failed_logins, officer.locked_until, change.tokens_revoked) == (0, None, 1)
    with pytest.raises(InvalidInput):
        service.reset_password(session, OPERATOR, "a.officer", "a.officer")


def test_tokens_belong_to_user_accounts_and_to_their_owner_only(session: Session) -> None:
    with pytest.raises(Forbidden) as caught:
        service.create_api_token(session, OPERATOR, "script")  # the operator is no account
    assert caught.value.code == messages.TOKENS_USERS_ONLY
    owner, other = _create(session), _create(session, "b.officer")
    as_owner = service.principal_for(owner)
    token, _ = service.create_api_token(session, as_owner, "t", expires_in_days=1)
    assert token.expires_at is not None
    with pytest.raises(NotFound):  # someone else's token looks like no token at all
        service.revoke_api_token(session, service.principal_for(other), token.id)
    assert service.list_api_tokens(session, service.principal_for(other)) == []
    service.revoke_api_token(session, service.principal_for(owner), token.id)
    assert token.revoked_at is not None


def test_an_unknown_user_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        service.get_user_by_name(session, "nobody")
    with pytest.raises(NotFound):
        service.set_active(session, OPERATOR, "nobody", True)
