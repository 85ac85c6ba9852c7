"""The shared fields of a case: what both states may change, each change checked the same way
whether an officer typed it here or it arrived from the partner node."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from kervan.assistance.models import NEEDS, VULNERABILITIES, Urgency
from kervan.plain_text import NO_CONTROL_CHARACTERS

_PLAIN = re.compile(NO_CONTROL_CHARACTERS)


def _text(limit: int, *, required: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        cleaned = value.strip()
        if not _PLAIN.match(cleaned) or len(cleaned) > limit or (required and not cleaned):
            raise ValueError(f"1 to {limit} characters")
        return cleaned

    return check


def _choices(allowed: tuple[str, ...], *, required: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        chosen = sorted({v.strip() for v in value.split(",") if v.strip()})
        if any(v not in allowed for v in chosen) or (required and not chosen):
            raise ValueError(f"a comma-separated choice of {', '.join(allowed)}")
        return ",".join(chosen)

    return check


def _date(value: str) -> str:
    if not value.strip():
        return ""
    parsed = dt.date.fromisoformat(value.strip())
    if not dt.date(1900, 1, 1) <= parsed <= dt.date.today():
        raise ValueError("a date of birth between 1900 and today")
    return parsed.isoformat()


def _urgency(value: str) -> str:
    return Urgency(value.strip()).value


SHARED_FIELDS: dict[str, Callable[[str], str]] = {
    "full_name": _text(200, required=True),
    "birth_date": _date,
    "document_number": _text(40),
    "needs": _choices(NEEDS, required=True),
    "vulnerabilities": _choices(VULNERABILITIES, required=False),
    "urgency": _urgency,
    "region": _text(100),
    "city": _text(100),
    "language": _text(40),
    "contact": _text(200),
    "description": _text(4000),
    "outcome": _text(1000),
}


def column_value(field: str, value: str) -> object:
    """The case column's value for a field's (checked) text."""
    if field == "birth_date":
        return dt.date.fromisoformat(value) if value else None
    if field == "urgency":
        return Urgency(value)
    return value


def text_of(field: str, column: object) -> str:
    if column is None:
        return ""
    if isinstance(column, dt.date):
        return column.isoformat()
    return str(getattr(column, "value", column))
