"""How many stay documents or persons a scope reaches today: the figures the new-measure form
and a benefit kind's eligibility form show as the officer chooses who the rule is for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.measures.scope import parse_scope
from kervan.measures.scope_sql import compile_person_scope, compile_scope
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument


def documents_in_scope(
    session: Session, principal: Principal, scope: dict[str, Any], *, today: dt.date
) -> int:
    """Active stay documents the scope reaches today: one COUNT, no person read (nothing to
    audit); raises ``ScopeError`` for a scope the language refuses."""
    require(principal, Permission.MEASURES_MANAGE)
    parsed = parse_scope(scope)
    query = (
        select(func.count())
        .select_from(StayDocument)
        .where(
            StayDocument.status == StayStatus.ACTIVE,
            compile_scope(parsed, today=today),
            nationality_scope(principal, StayDocument.nationality),
        )
    )
    if parsed.needs_person_columns:
        query = query.join(Person, Person.id == StayDocument.person_id)
    return int(session.scalar(query) or 0)


def persons_in_scope(
    session: Session,
    principal: Principal,
    scope: dict[str, Any],
    *,
    today: dt.date,
    permission: Permission,
) -> int:
    """Persons the scope reaches today (a benefit's eligibility rule): one COUNT over the
    predicate ``grant_all`` uses, no person read; raises ``ScopeError`` as above."""
    require(principal, permission)
    query = (
        select(func.count())
        .select_from(Person)
        .where(
            compile_person_scope(parse_scope(scope), today=today),
            nationality_scope(principal, Person.nationality),
        )
    )
    return int(session.scalar(query) or 0)
