"""Dialect-aware SQL pieces the set-based apply needs: JSON objects built in SQL and date
arithmetic (its ids made by the database: ``kervan.db.ids.uuid7_sql``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal
from sqlalchemy.engine import Dialect


def json_object_sql(dialect: Dialect, *pairs: Any) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return func.json_build_object(*pairs)
    return func.json_object(*pairs)


def json_array_agg_sql(dialect: Dialect, value: Any) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return func.json_agg(value)
    return func.json_group_array(func.json(value))


def add_days_sql(dialect: Dialect, day: Any, days: int) -> ColumnElement[Any]:
    if dialect.name == "postgresql":
        return day + literal(days)  # date + integer is a date in PostgreSQL
    return func.date(day, f"+{days} days")
