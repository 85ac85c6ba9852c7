"""Seats taken on legs, counted in SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.repatriation.models import RequestStatus, ReturnRequest

# A seat is taken by an allocated, confirmed or boarded request.
HOLDING = (RequestStatus.ALLOCATED, RequestStatus.CONFIRMED, RequestStatus.BOARDED)


def taken_by_leg(session: Session, leg_ids: list[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
    query = (
        select(ReturnRequest.leg_id, func.sum(ReturnRequest.size))
        .where(ReturnRequest.status.in_(HOLDING), ReturnRequest.leg_id.is_not(None))
        .group_by(ReturnRequest.leg_id)
    )
    if leg_ids is not None:
        query = query.where(ReturnRequest.leg_id.in_(leg_ids))
    return {
        leg_id: int(total or 0) for leg_id, total in session.execute(query) if leg_id is not None
    }


def taken(session: Session, leg_id: uuid.UUID) -> int:
    return taken_by_leg(session, [leg_id]).get(leg_id, 0)
