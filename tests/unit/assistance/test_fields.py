"""The shared fields' checks (the same for an officer's edit and a partner's change): text
trimmed and bounded, no control characters, choices sorted and known, dates of birth in range,
and the column value of each field's text and back."""

from __future__ import annotations

import datetime as dt

import pytest

from kervan.assistance.fields import SHARED_FIELDS, column_value, text_of
from kervan.assistance.models import Urgency


def test_text_is_trimmed_and_bounded() -> None:
    assert SHARED_FIELDS["city"]("  Almaty ") == "Almaty"
    assert SHARED_FIELDS["contact"]("") == ""
    for field, value in (("full_name", "  "), ("city", "x" * 101), ("contact", "a\x00b")):
        with pytest.raises(ValueError):
            SHARED_FIELDS[field](value)


def test_choices_are_sorted_deduplicated_and_known() -> None:
    assert SHARED_FIELDS["needs"]("shelter, food,shelter") == "food,shelter"
    assert SHARED_FIELDS["vulnerabilities"]("") == ""
    with pytest.raises(ValueError):
        SHARED_FIELDS["needs"]("")  # a case needs something
    with pytest.raises(ValueError):
        SHARED_FIELDS["needs"]("food,<script>")


def test_dates_of_birth_and_urgency() -> None:
    assert SHARED_FIELDS["birth_date"](" 1991-04-12 ") == "1991-04-12"
    assert SHARED_FIELDS["birth_date"]("") == ""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for value in (tomorrow, "1899-12-31", "12.04.1991"):
        with pytest.raises(ValueError):
            SHARED_FIELDS["birth_date"](value)
    assert SHARED_FIELDS["urgency"]("critical ") == "critical"
    with pytest.raises(ValueError):
        SHARED_FIELDS["urgency"]("urgent")


@pytest.mark.parametrize(
    ("field", "text", "column"),
    [
        ("birth_date", "1991-04-12", dt.date(1991, 4, 12)),
        ("birth_date", "", None),
        ("urgency", "high", Urgency.HIGH),
        ("city", "Almaty", "Almaty"),
    ],
)
def test_a_field_text_and_its_column_round_trip(field: str, text: str, column: object) -> None:
    assert column_value(field, text) == column
    assert text_of(field, column) == text
