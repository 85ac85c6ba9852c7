"""kervan/exchange/lanes.py: a subject always lands in one lane, and the SQL that picks a
lane's rows agrees with ``lane_of`` on both databases (else a worker would skip or double a
subject's messages)."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.exchange import lanes, outbox
from kervan.exchange.models import OutboxMessage


@given(st.uuids(), st.integers(min_value=1, max_value=16))
def test_a_subject_has_one_lane_among_the_lanes(subject: uuid.UUID, count: int) -> None:
    assert 0 <= lanes.lane_of(subject, count) < count


@given(st.uuids())
def test_with_one_lane_everything_goes_one_after_another(subject: uuid.UUID) -> None:
    assert lanes.lane_of(subject, 1) == 0


def test_the_sql_lane_is_the_python_lane(session: Session) -> None:
    # One subject for each last hex digit, so every lane of every split is exercised.
    subjects = [uuid.UUID(f"{n:032x}") for n in range(16)]
    outbox.add_rows(
        session.connection(), [outbox.row("x", "UZB", ("person", s), {}) for s in subjects]
    )
    dialect = session.get_bind().dialect.name
    for count in (1, 2, 3, 4, 5, 16):
        seen: list[uuid.UUID] = []
        for lane in range(count):
            in_lane = session.scalars(
                select(OutboxMessage.subject_id).where(lanes.in_lane(dialect, lane, count))
            ).all()
            assert {lanes.lane_of(s, count) for s in in_lane} <= {lane}
            seen += in_lane
        assert sorted(seen) == sorted(subjects), f"{count} lanes lose or double a subject"
