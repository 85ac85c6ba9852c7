"""Measures in the officer UI: the "applies to this person" panel of the person page (and the
measures page, in ``pages.py``). Thin: call the services, render."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.measures_ui.explain import measures_for_person
from kervan.registry import service as registry
from kervan.web.deps import SessionDep, policy
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)


@router.get("/persons/{person_id}/applies")
def applies_panel(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    person = registry.get_person(session, principal, person_id, purpose="measures explained")
    found = measures_for_person(session, person, today=dt.date.today())
    template = (
        "measures_ui/_applies.html"
        if page.request.headers.get("hx-request")
        else "measures_ui/applies.html"
    )
    return page.render(template, person=person, found=found)
