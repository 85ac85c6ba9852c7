"""Measures in the officer UI: the "applies to this person" panel of the person page (and the
measures page, in ``pages.py``). Thin: call the services, render."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.measures.explain import explain_person
from kervan.measures.views.explain import group_verdicts
from kervan.measures.views.pages import STATUS_LABELS
from kervan.registry.models import Person
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
    # The same explanation as the API and the CLI; its register read is the one audited
    # (purpose "measures.explain") and leaves the person in the session for the page.
    explanation = explain_person(session, principal, person_id, today=dt.date.today())
    person = session.get(Person, explanation.person_id)
    assert person is not None
    groups = group_verdicts(session, explanation, person)
    template = (
        "measures/_applies.html"
        if page.request.headers.get("hx-request")
        else "measures/applies.html"
    )
    return page.render(template, person=person, groups=groups, status_labels=STATUS_LABELS)
