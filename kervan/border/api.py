"""JSON API of the border: ``POST /api/v1/exit-check``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from kervan.accounts.roles import Permission, Principal
from kervan.border import service
from kervan.border.schemas import ExitCheckRequest, ExitCheckResult
from kervan.web.deps import SessionDep, policy

router = APIRouter(prefix="/api/v1", tags=["border"])


@router.post("/exit-check", operation_id="check_exit")
def check_exit(
    body: ExitCheckRequest,
    session: SessionDep,
    principal: Principal = policy(Permission.DOCUMENT_CHECK),
) -> ExitCheckResult:
    """Whether the holder of a passport (by MRZ, or number and issuing state) may leave today
    without a penalty: their stay is lawful, or a measure in force waives the overstay — with
    the measure cited. An unknown passport is a 404; a bad MRZ a 422 naming the check digit."""
    return service.check_exit(session, principal, body, today=dt.date.today())
