"""State scoping of register queries: what a principal may see, applied in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true

from kervan.accounts.messages import ROLE_MAY_NOT
from kervan.accounts.roles import Permission, Principal
from kervan.errors import Forbidden


def require(principal: Principal, permission: Permission) -> None:
    """Services check the permission again: a route that forgot its policy still cannot leak."""
    if not principal.can(permission):
        raise Forbidden(
            f"the role {principal.role.value} may not {permission.value}",
            code=ROLE_MAY_NOT,
            params={"role": principal.role.value, "permission": permission.value},
        )


def nationality_scope(principal: Principal, nationality_column: Any) -> ColumnElement[bool]:
    """A consular officer sees their own state's nationals only."""
    own = principal.sees_only_nationality
    return true() if own is None else nationality_column == own


def in_scope(principal: Principal, nationality: str) -> bool:
    own = principal.sees_only_nationality
    return own is None or own == nationality
