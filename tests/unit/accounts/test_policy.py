"""kervan/accounts/policy.py: services check the permission again, and a consular officer's
queries are scoped to their own state's nationals."""

from __future__ import annotations

import pytest
from sqlalchemy import column

from kervan.accounts.messages import ROLE_MAY_NOT
from kervan.accounts.policy import in_scope, nationality_scope, require
from kervan.accounts.roles import GRANTS, Permission, Principal, Role
from kervan.errors import Forbidden


def _principal(role: Role, state: str = "KAZ") -> Principal:
    return Principal(user_id=None, username="someone", role=role, state=state)


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_require_follows_the_grants_table(role: Role, permission: Permission) -> None:
    principal = _principal(role)
    if role in GRANTS[permission]:
        require(principal, permission)
        return
    with pytest.raises(Forbidden) as caught:
        require(principal, permission)
    assert caught.value.code == ROLE_MAY_NOT
    assert caught.value.params == {"role": role.value, "permission": permission.value}


def test_a_consul_sees_only_their_own_nationals() -> None:
    consul = _principal(Role.CONSULAR_OFFICER, "UZB")
    assert in_scope(consul, "UZB") and not in_scope(consul, "KAZ")
    clause = nationality_scope(consul, column("nationality"))
    assert str(clause.compile(compile_kwargs={"literal_binds": True})) == "nationality = 'UZB'"


def test_other_roles_are_not_limited_by_nationality() -> None:
    officer = _principal(Role.MIGRATION_OFFICER)
    assert in_scope(officer, "TUR")
    clause = nationality_scope(officer, column("nationality"))
    assert str(clause.compile(compile_kwargs={"literal_binds": True})) == "true"
