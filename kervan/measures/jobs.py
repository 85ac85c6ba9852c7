"""The whole-register apply as a job the worker runs, off any request.

Bringing a measure into force (UI, API or CLI alike) marks it ``apply_requested_at``; a worker
leases one such measure at a time (a conditional ``UPDATE``, so two workers never run the same
one) and applies it in chunks of persons, one transaction each. ``applied_through`` records the
progress, so the page shows how far it got and a killed worker's successor resumes there."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import system_principal
from kervan.db.base import utcnow
from kervan.measures import service
from kervan.measures.models import Measure, MeasureStatus
from kervan.registry.models import Person
from kervan.uow import unit_of_work

LEASE = dt.timedelta(minutes=15)
CHUNK_PERSONS = 100_000


def apply_requested(
    factory: sessionmaker[Session],
    *,
    today: dt.date | None = None,
    chunk_persons: int = CHUNK_PERSONS,
) -> bool:
    """Apply one measure waiting for its whole-register pass; False when none waits."""
    claimed = _claim(factory)
    if claimed is None:
        return False
    measure_id, state, officer = claimed
    actor = system_principal(state, f"worker for {officer}")
    try:
        service.apply_chunked(
            factory,
            actor,
            measure_id,
            today=today or dt.date.today(),
            chunk_persons=chunk_persons,
            progress=lambda _chunks, _counts: _renew(factory, measure_id),
        )
    finally:
        with unit_of_work(factory) as session:
            session.execute(
                update(Measure).where(Measure.id == measure_id).values(apply_lease_until=None)
            )
    return True


def _claim(factory: sessionmaker[Session]) -> tuple[uuid.UUID, str, str] | None:
    now = utcnow()
    with unit_of_work(factory) as session:
        waiting = session.execute(
            select(Measure.id, Measure.issuing_state, Measure.in_force_by)
            .where(
                Measure.status == MeasureStatus.IN_FORCE,
                Measure.apply_requested_at.is_not(None),
                or_(Measure.apply_lease_until.is_(None), Measure.apply_lease_until < now),
            )
            .order_by(Measure.apply_requested_at, Measure.id)
        ).all()
        for measure_id, state, officer in waiting:
            taken = session.execute(
                update(Measure)
                .where(
                    Measure.id == measure_id,
                    or_(Measure.apply_lease_until.is_(None), Measure.apply_lease_until < now),
                )
                .values(apply_lease_until=now + LEASE),
                execution_options={"preserve_rowcount": True},
            )
            if cast("CursorResult[Any]", taken).rowcount == 1:
                return measure_id, state, officer or "system"
    return None


def _renew(factory: sessionmaker[Session], measure_id: uuid.UUID) -> None:
    with unit_of_work(factory) as session:
        session.execute(
            update(Measure)
            .where(Measure.id == measure_id)
            .values(apply_lease_until=utcnow() + LEASE)
        )


@dataclass(frozen=True)
class ApplyProgress:
    persons_done: int
    persons_total: int

    @property
    def percent(self) -> int:
        return 100 if not self.persons_total else 100 * self.persons_done // self.persons_total


def progress(session: Session, measure: Measure) -> ApplyProgress | None:
    """How far the whole-register apply has got, while one is waiting or running."""
    if measure.apply_requested_at is None:
        return None
    total = session.scalar(select(func.count()).select_from(Person)) or 0
    done = 0
    if measure.applied_through is not None:
        done = (
            session.scalar(
                select(func.count()).select_from(Person).where(Person.id < measure.applied_through)
            )
            or 0
        )
    return ApplyProgress(done, total)
