"""The audit log's query parameters as a client or a browser sends them, read without ever
failing the request: a cursor is a sequence number the database can hold, and a time far in
the past or future (``0001-01-01T00:00:00+14:00`` is before the first UTC instant Python has)
is clamped to the first or last instant rather than overflowing."""

from __future__ import annotations

import datetime as dt

from kervan.errors import FieldError, InvalidInput
from kervan.messages import CURSOR_UNKNOWN

#: The largest sequence number a BIGINT (and SQLite's INTEGER) holds.
MAX_SEQ = 2**63 - 1
FIRST_INSTANT = dt.datetime.min.replace(tzinfo=dt.UTC)
LAST_INSTANT = dt.datetime.max.replace(tzinfo=dt.UTC)


def before_seq(cursor: str | None) -> int | None:
    """The entry sequence number a ``next_cursor`` stands for; a 422 for anything else."""
    if cursor is None:
        return None
    # ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses.
    if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > MAX_SEQ:
        message = "the cursor is not one this server gave out"
        raise InvalidInput(
            message, errors=[FieldError("cursor", message, CURSOR_UNKNOWN)], code=CURSOR_UNKNOWN
        )
    return int(cursor)


def utc_instant(value: dt.datetime | None) -> dt.datetime | None:
    """A time given with or without an offset (without: UTC, the log's own zone), in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # past either end of what a datetime holds once moved to UTC
        return FIRST_INSTANT if value.year == dt.MINYEAR else LAST_INSTANT


def day_start(raw: str, *, end: bool = False) -> dt.datetime | None:
    """A day typed in the filter form, as the UTC instant it starts (or the next one starts);
    None when it is not a date."""
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None
    if end and day == dt.date.max:
        return LAST_INSTANT
    return dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), dt.UTC)
