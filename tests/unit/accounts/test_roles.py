"""The grants table: the rules the issue states, checked against the one table that holds them."""

from __future__ import annotations

from kervan.accounts.roles import GRANTS, Permission, Principal, Role

PERSONAL = {
    Permission.REGISTER_READ,
    Permission.REGISTER_WRITE,
    Permission.REGISTER_IMPORT,
    Permission.REGISTER_EXPORT,
    Permission.DOCUMENT_CHECK,
}


def test_every_permission_is_granted_somewhere() -> None:
    assert set(GRANTS) == set(Permission)


def test_the_secretariat_analyst_never_sees_a_person() -> None:
    assert not any(Role.SECRETARIAT_ANALYST in GRANTS[p] for p in PERSONAL)
    assert Role.SECRETARIAT_ANALYST in GRANTS[Permission.REPORTS_READ]


def test_only_admins_manage_accounts_and_read_the_audit_log() -> None:
    assert GRANTS[Permission.ACCOUNTS_MANAGE] == {Role.ADMIN}
    assert GRANTS[Permission.AUDIT_READ] == {Role.ADMIN}


def test_admins_do_not_read_the_register() -> None:
    assert not any(Role.ADMIN in GRANTS[p] for p in PERSONAL)


def test_only_a_consular_officer_is_limited_by_nationality() -> None:
    for role in Role:
        principal = Principal(user_id=None, username="u", role=role, state="UZB")
        expected = "UZB" if role is Role.CONSULAR_OFFICER else None
        assert principal.sees_only_nationality == expected
