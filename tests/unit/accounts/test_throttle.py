"""kervan/accounts/throttle.py: failed sign-ins lock an account, and an unknown name by the
same rule (so a lock does not tell which names exist); a lock that ran out starts the count
afresh; an address is blocked for its window after too many failures; unknown names
untouched for a month are forgotten."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import throttle
from kervan.accounts.models import SignInNameLock, User
from kervan.accounts.roles import Role
from kervan.accounts.sessions import SignInRules

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
RULES = SignInRules(
    lockout_threshold=3,
    lockout=dt.timedelta(minutes=15),
    address_max_failures=4,
    address_window=dt.timedelta(minutes=10),
    idle=dt.timedelta(hours=1),
    absolute=dt.timedelta(hours=12),
)


def _user(session: Session) -> User:
    user = User(username="a.officer", password_hash="-", role=Role.MIGRATION_OFFICER, state="KAZ")
    session.add(user)
    session.flush()
    return user


def test_an_account_locks_at_the_threshold_and_starts_afresh_after(session: Session) -> None:
    user = _user(session)
    for minute in range(3):
        throttle.count_user_failure(user.id, NOW + dt.timedelta(minutes=minute), RULES)(session)
    locked_at = NOW + dt.timedelta(minutes=2)
    assert (user.failed_logins, user.locked_until) == (3, locked_at + RULES.lockout)
    later = locked_at + RULES.lockout
    throttle.count_user_failure(user.id, later, RULES)(session)
    assert (user.failed_logins, user.locked_until) == (1, None)


def test_an_unknown_name_locks_by_the_same_rule(session: Session) -> None:
    for minute in range(3):
        at = NOW + dt.timedelta(minutes=minute)
        assert throttle.name_locked_until(session, "nobody", at) is None
        throttle.count_name_failure("nobody", at, RULES)(session)
    until = NOW + dt.timedelta(minutes=2) + RULES.lockout
    assert throttle.name_locked_until(session, "nobody", until - dt.timedelta(seconds=1)) == until
    assert throttle.name_locked_until(session, "nobody", until) is None  # ran out
    assert throttle.name_locked_until(session, "somebody", NOW) is None
    stored = session.scalars(select(SignInNameLock.name_digest)).all()
    assert stored == [throttle.name_digest("nobody")]  # the name itself is not kept


def test_unknown_names_untouched_for_a_month_are_forgotten(session: Session) -> None:
    throttle.count_name_failure("old", NOW, RULES)(session)
    later = NOW + throttle.NAME_MEMORY + dt.timedelta(seconds=1)
    throttle.count_name_failure("new", later, RULES)(session)
    assert session.scalars(select(SignInNameLock.name_digest)).all() == [
        throttle.name_digest("new")
    ]


def test_an_address_is_blocked_for_its_window_then_counted_afresh(session: Session) -> None:
    count = throttle.count_address_failure
    for second in range(4):
        at = NOW + dt.timedelta(seconds=second)
        assert throttle.address_blocked_until(session, "10.0.0.1", at) is None
        count("10.0.0.1", at, RULES)(session)
    blocked = NOW + dt.timedelta(seconds=3) + RULES.address_window
    assert throttle.address_blocked_until(session, "10.0.0.1", NOW) == blocked
    assert throttle.address_blocked_until(session, "10.0.0.2", NOW) is None
    count("10.0.0.1", NOW + RULES.address_window, RULES)(session)  # a new window
    assert throttle.address_blocked_until(session, "10.0.0.1", NOW + RULES.address_window) is None


def test_both_applies_every_change(session: Session) -> None:
    user = _user(session)
    change = throttle.both(
        throttle.count_user_failure(user.id, NOW, RULES),
        throttle.count_address_failure("10.0.0.1", NOW, RULES),
    )
    change(session)
    change(session)
    assert user.failed_logins == 2


def test_a_failure_of_a_removed_account_changes_nothing(session: Session) -> None:
    user = _user(session)
    session.delete(user)
    session.flush()
    throttle.count_user_failure(user.id, NOW, RULES)(session)
    assert session.scalars(select(User)).all() == []
