"""A list's filters: a given value narrows the query, an absent one leaves it whole."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kervan.db.filters import where_given
from kervan.registry.models import StayDocument


def _where(query: object) -> str:
    return str(query).split("WHERE", 1)[1] if "WHERE" in str(query) else ""


def test_only_given_values_filter() -> None:
    base = select(StayDocument.id)
    assert _where(where_given(base, {StayDocument.nationality: None})) == ""
    narrowed = where_given(
        base,
        {StayDocument.nationality: "UZB", StayDocument.purpose: None},
        ((dt.date(2026, 1, 1), lambda day: StayDocument.valid_until >= day),
         (None, lambda day: StayDocument.valid_until <= day)),
    )  # fmt: skip
    where = _where(narrowed)
    assert "nationality" in where and "valid_until >=" in where
    assert "purpose" not in where and "valid_until <=" not in where
