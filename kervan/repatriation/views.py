"""Repatriation in the officer UI: the legs with their seats taken, held and free, a page per
leg with its manifest downloads, and demand against seats per week and corridor."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.repatriation import counts, legs
from kervan.repatriation.occupancy import taken
from kervan.repatriation.requests import get_leg
from kervan.web.deps import SessionDep, policy
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)


@router.get("/repatriation")
def overview(
    page: PageDep, session: SessionDep, principal: Principal = policy(Permission.REPATRIATION_READ)
) -> Response:
    rows = legs.list_legs(session, principal)
    weeks = counts.weeks(session, principal.state)
    scale = max([w.seats for w in weeks] + [w.demand for w in weeks] + [1])
    return page.render("repatriation/overview.html", legs=rows, weeks=weeks, scale=scale)


@router.get("/repatriation/legs/{leg_id}")
def leg_page(
    leg_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> Response:
    leg = get_leg(session, leg_id, principal.state)
    return page.render("repatriation/leg.html", leg=legs.public(leg, taken(session, leg.id)))
