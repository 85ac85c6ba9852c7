"""A measure's title, summary and legal act edited in every UI language
(``kervan.web.authored``); a measure already announced is announced again when they change."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.measures import service
from kervan.measures.models import Measure
from kervan.measures.texts import ANNOUNCED_STATUSES, check_texts, measure_texts, revise, set_texts
from kervan.measures.views.pages import STATUS_LABELS
from kervan.web.authored import TextsForm
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import FormValues
from kervan.web.i18n import N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

LABELS = {"title": N_("Title"), "summary": N_("Summary"), "legal_act": N_("Legal act")}


def _form(
    session: Session, principal: Principal, measure: Measure, own_state: str = ""
) -> TextsForm:
    return TextsForm(
        template="measures/texts.html",
        labels=LABELS,
        saved=measure_texts(measure),
        revise=lambda sent: revise(measure, sent),
        check=check_texts,
        save=lambda sent: set_texts(session, principal, measure.id, sent, own_state=own_state),
        multiline=frozenset({"summary"}),
    )


def _context(page: Page, measure: Measure) -> dict[str, Any]:
    return {
        "measure": measure,
        "heading": page.gettext("The measure's texts in other languages"),
        "action": f"/measures/{measure.id}/texts",
        "announced": measure.status in ANNOUNCED_STATUSES,
        "status_labels": STATUS_LABELS,
    }


@router.get("/measures/{measure_id}/texts")
def texts_form(
    measure_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    form = _form(session, principal, measure)
    return form.render(page, form.saved, FormErrors(), **_context(page, measure))


@router.post("/measures/{measure_id}/texts", dependencies=[Depends(csrf_protect)])
def texts_submit(
    measure_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    values: FormValues,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    form = _form(session, principal, measure, settings.state)
    done = f"/measures/{measure_id}?done=texts"
    return form.submit(page, session, values, done, **_context(page, measure))
