"""The priority level is the rank of the most pressing reason, not a sum; stored reasons keep
that order."""

from __future__ import annotations

from kervan.repatriation.priority import (
    NO_REASON_LEVEL,
    PriorityReason,
    format_reasons,
    level_of,
    parse_reasons,
    reason_of_level,
)


def test_the_most_pressing_reason_sets_the_level() -> None:
    assert level_of([PriorityReason.NO_INCOME, PriorityReason.EXPIRED_STAY]) == 2
    assert level_of([PriorityReason.NO_INCOME, PriorityReason.MEDICAL]) == 7
    assert level_of([]) == NO_REASON_LEVEL
    assert reason_of_level(7) is PriorityReason.MEDICAL and reason_of_level(0) is None


def test_reasons_are_stored_most_pressing_first_and_read_back() -> None:
    stored = format_reasons([PriorityReason.NO_INCOME, PriorityReason.MEDICAL])
    assert stored == "medical,no_income"
    assert parse_reasons(stored) == (PriorityReason.MEDICAL, PriorityReason.NO_INCOME)
    assert parse_reasons("") == ()
