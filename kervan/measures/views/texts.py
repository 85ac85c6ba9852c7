"""A measure's texts in the officers' languages, edited in the UI: every language of the menu
side by side with the original marked and, where a language is empty, what its readers see
instead. Two posts, as every write: the first shows what changes, the second saves it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response

from kervan.accounts.roles import Permission, Principal
from kervan.errors import KervanError
from kervan.measures import service
from kervan.measures.models import Measure
from kervan.measures.texts import (
    ANNOUNCED_STATUSES,
    FIELDS,
    check_texts,
    measure_texts,
    revise,
    set_texts,
    text_changes,
)
from kervan.measures.views.pages import STATUS_LABELS
from kervan.messages import original_language
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import FormValues, fallbacks_of, texts_by_language
from kervan.web.i18n import N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

LABELS = {
    "title": N_("Title"),
    "summary": N_("Summary"),
    "legal_act": N_("Legal act"),
}


def _render(
    page: Page,
    measure: Measure,
    texts: dict[str, dict[str, str]],
    errors: FormErrors,
    step: str = "form",
    status_code: int = 200,
    **context: Any,
) -> Response:
    saved = measure_texts(measure)
    first = original_language(saved["title"])
    return page.render(
        "measures/texts.html",
        measure=measure,
        texts=texts,
        fields=[(name, page.gettext(LABELS[name])) for name in FIELDS],
        labels={name: page.gettext(LABELS[name]) for name in FIELDS},
        originals={name: original_language(saved[name]) or first for name in FIELDS},
        fallbacks={name: fallbacks_of(texts[name]) for name in FIELDS},
        multiline={"summary"},
        status_labels=STATUS_LABELS,
        announced=measure.status in ANNOUNCED_STATUSES,
        errors=errors,
        step=step,
        status_code=status_code,
        **context,
    )


@router.get("/measures/{measure_id}/texts")
def texts_form(
    measure_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    return _render(page, measure, measure_texts(measure), FormErrors())


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
    sent = {name: texts_by_language(values, name) for name in FIELDS}
    errors = FormErrors()
    texts = revise(measure, sent)
    try:
        check_texts(texts)
        if values.get("confirm") == "confirm":
            with session.begin_nested():
                set_texts(session, principal, measure_id, sent, own_state=settings.state)
            return RedirectResponse(f"/measures/{measure_id}?done=texts", status_code=303)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        return _render(page, measure, sent, errors, status_code=exc.status)
    changes = text_changes(measure_texts(measure), texts)
    if values.get("confirm") == "edit" or not changes:
        if not changes:
            errors["_"] = page.gettext("Nothing has changed; edit a text first.")
        return _render(page, measure, sent, errors, status_code=422 if not changes else 200)
    return _render(page, measure, sent, errors, step="confirm", changes=changes)
