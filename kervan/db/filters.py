"""The filters of a list (the register's documents, the audit log): each given value narrows
the query, an absent one (None) does not. One rule, so every list's filters behave alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select


def where_given(
    query: Select[Any],
    equal: Mapping[Any, Any],
    bounds: tuple[tuple[Any, Callable[[Any], ColumnElement[bool]]], ...] = (),
) -> Select[Any]:
    """``equal``: column → the value it must equal; ``bounds``: (value, the condition it
    makes), e.g. ``(since, lambda v: AuditEntry.at >= v)``. A None value is no filter (and
    its condition is never built: some column types refuse to compare with None)."""
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    for value, condition in bounds:
        if value is not None:
            query = query.where(condition(value))
    return query
