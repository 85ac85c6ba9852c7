"""Sign-in rules come from settings; the lockout message names the time it ends."""

from __future__ import annotations

import datetime as dt

from kervan.accounts.sessions import SignInRules, locked_message
from kervan.config import Settings


def test_rules_follow_the_settings() -> None:
    settings = Settings(
        signin_lockout_threshold=3,
        signin_lockout_minutes=10,
        session_idle_minutes=20,
        session_absolute_hours=8,
    )
    rules = SignInRules.from_settings(settings)
    assert rules.lockout_threshold == 3
    assert rules.lockout == dt.timedelta(minutes=10)
    assert rules.idle == dt.timedelta(minutes=20)
    assert rules.absolute == dt.timedelta(hours=8)


def test_locked_message_gives_the_utc_time() -> None:
    until = dt.datetime(2020, 5, 1, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert locked_message(until) == "too many failed sign-ins; try again after 12:05 UTC"
