"""Priority reasons and the level a request gets from them.

A request's level is the rank of its most pressing reason, not a sum: two minor reasons do not
outweigh a medical emergency, and a consul can say in one sentence why a request ranks where it
does. Requests of the same level are served in the order they were registered."""

from __future__ import annotations

import enum


class PriorityReason(enum.StrEnum):
    MEDICAL = "medical"
    PREGNANCY = "pregnancy"
    MINORS = "minors"  # a minor travelling, or a parent travelling with children
    ELDERLY = "elderly"
    STRANDED_IN_TRANSIT = "stranded_in_transit"
    EXPIRED_STAY = "expired_stay"
    NO_INCOME = "no_income"


RANK: dict[PriorityReason, int] = {
    PriorityReason.MEDICAL: 7,
    PriorityReason.PREGNANCY: 6,
    PriorityReason.MINORS: 5,
    PriorityReason.ELDERLY: 4,
    PriorityReason.STRANDED_IN_TRANSIT: 3,
    PriorityReason.EXPIRED_STAY: 2,
    PriorityReason.NO_INCOME: 1,
}
NO_REASON_LEVEL = 0


def level_of(
    reasons: list[PriorityReason] | tuple[PriorityReason, ...] | set[PriorityReason],
) -> int:
    return max((RANK[r] for r in reasons), default=NO_REASON_LEVEL)


def reason_of_level(level: int) -> PriorityReason | None:
    """The reason that gives ``level`` (None for requests without a priority reason)."""
    return next((r for r, rank in RANK.items() if rank == level), None)


def parse_reasons(text: str) -> tuple[PriorityReason, ...]:
    """Stored form: comma-separated values, as the import and the database keep them."""
    return tuple(PriorityReason(p) for p in text.split(",") if p)


def format_reasons(reasons: tuple[PriorityReason, ...] | list[PriorityReason]) -> str:
    return ",".join(sorted({r.value for r in reasons}, key=lambda v: -RANK[PriorityReason(v)]))
