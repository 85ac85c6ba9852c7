"""The measures pages of the officer UI: the list, a new draft (from form fields or a whole
YAML file), the measure page, and its lifecycle steps — preview, bring into force, lift.

Thin like ``api.py``: parse the form, call the measures service, render. Each step takes two
posts and a reason, as a document's extension does: the first shows what will happen, the
second does it, so a slip of the finger never changes the register unseen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.benefits.service import kind_names
from kervan.errors import KervanError
from kervan.exchange.foreign_measures import list_foreign
from kervan.measures import jobs, service
from kervan.measures.loader import load_measure
from kervan.measures.models import Measure, MeasureStatus
from kervan.measures.schemas import MeasureIn
from kervan.measures.scope import ScopeError
from kervan.measures.scope_count import documents_in_scope
from kervan.measures.views import forms, lifecycle
from kervan.measures.views.action_form import ActionChoices
from kervan.measures.views.lifecycle import NEXT_STEPS, Step
from kervan.measures.views.new_form import MeasureFileForm, NewMeasureForm
from kervan.measures.views.preview_chart import nationality_totals, preview_chart
from kervan.measures.views.scope_form import NATIONALITY_CHOICES, ScopeChoices, ScopeForm
from kervan.messages import authored
from kervan.registry.enums import StayKind, StayPurpose, StayStatus, ViolationKind
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import FormModel, FormValues, Reason, form_of, read_form, read_text_form
from kervan.web.i18n import LANGUAGES, N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {
    MeasureStatus.DRAFT: N_("Draft"),
    MeasureStatus.PREVIEWED: N_("Previewed"),
    MeasureStatus.IN_FORCE: N_("In force"),
    MeasureStatus.LIFTED: N_("Lifted"),
}
# What the measure page says after a step (``?done=``): a fixed set, never reflected text.
DONE_MESSAGES = {
    "created": N_("The draft was saved."),
    "previewed": N_("The preview is ready. Check it before bringing the measure into force."),
    "in_force": N_("The measure is in force; the worker is applying it to the register."),
    "lifted": N_("The measure was lifted."),
    "texts": N_("The texts were saved."),
}
DONE_BY_STEP = {"preview": "previewed", "activate": "in_force", "lift": "lifted"}


def _measure_context() -> dict[str, Any]:
    """What every measures template needs to label stored values in the officer's language."""
    return {
        "status_labels": STATUS_LABELS,
        "stay_kind": StayKind,
        "stay_purpose": StayPurpose,
        "stay_status": StayStatus,
        "violation_kind": ViolationKind,
        "nav": "measures",
    }


def _preview_context(
    page: Page, session: Session, measure: Measure, principal: Principal
) -> dict[str, Any]:
    """The stored preview as the caller may see it, its chart, and the names of the benefit
    kinds the measure grants (shown instead of their codes)."""

    preview = lifecycle.preview_view(measure.preview, principal)
    return {
        "preview": preview,
        "preview_chart": preview_chart(page, preview),
        "preview_totals": nationality_totals(preview) if preview else [],
        "benefit_names": kind_names(session, measure.issuing_state),
    }


# ---------------------------------------------------------------------------------------------
# The list


@router.get("/measures")
def measures_list(
    page: PageDep,
    session: SessionDep,
    status: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.MEASURES_READ),
) -> Response:
    chosen = MeasureStatus(status) if status in MeasureStatus.__members__.values() else None
    measures = service.list_measures(session, principal, chosen)
    # What other states announced (measure.announced): public law, shown beside our own.
    known = {s.value: s for s in MeasureStatus}
    foreign = [(m, known.get(m.status)) for m in list_foreign(session, principal)]
    return page.render(
        "measures/list.html",
        measures=measures,
        foreign=foreign,
        chosen=chosen,
        statuses=list(MeasureStatus),
        **_measure_context(),
    )


# ---------------------------------------------------------------------------------------------
# A new draft


def _blank_values() -> dict[str, str]:
    # Scope and actions are chosen in the form (scope_form, action_form); their YAML fields
    # are for what the choices cannot say.
    return dict.fromkeys(forms.FIELDS, "")


def _new_form(
    page: Page,
    values: dict[str, str],
    problems: forms.Problems,
    *,
    document: str = "",
    status_code: int = 200,
    choices: ScopeChoices | None = None,
    in_scope: int | None = None,
    actions: ActionChoices | None = None,
    benefits: dict[str, dict[str, str]] | None = None,
) -> Response:
    return page.render(
        "measures/new.html",
        values=values,
        choices=choices or ScopeChoices(),
        action_choices=actions or ActionChoices(),
        benefit_kinds={
            code: authored(names, page.translator.code) or code
            for code, names in (benefits or {}).items()
        },
        violation_kinds=ViolationKind,
        in_scope=in_scope,
        nationality_choices=NATIONALITY_CHOICES,
        errors=problems.errors,
        paths=problems.paths,
        document=document,
        language=LANGUAGES.get(page.translator.code, page.translator.code),
        status_code=status_code,
        **_measure_context(),
    )


def _save(
    page: Page, session: Session, principal: Principal, data: MeasureIn, *, replace: bool
) -> tuple[Measure | None, forms.Problems]:
    """Create the draft (or, from a file, update the draft with its reference, as the CLI's
    ``kervan measures load`` does); the service's refusal comes back as form problems."""
    try:
        with session.begin_nested():  # a refused draft is undone, nothing else is
            if replace:
                return load_measure(session, principal, data), forms.Problems()
            return service.create_measure(session, principal, data), forms.Problems()
    except KervanError as exc:
        return None, forms.problems_from_error(page.translator, exc)


@router.get("/measures/new")
def new_measure_form(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    benefits = kind_names(session, settings.state)
    return _new_form(page, _blank_values(), forms.Problems(), benefits=benefits)


@router.post("/measures/new", dependencies=[Depends(csrf_protect)])
def new_measure_submit(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: Annotated[dict[str, str], form_of(NewMeasureForm)],
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    form = read_text_form(NewMeasureForm, sent)
    choices = form.choices()
    benefits = kind_names(session, settings.state)
    action_choices = ActionChoices.from_form(sent, form.waive, benefits)
    values = {name: getattr(form, name) for name in forms.FIELDS}
    scope, actions = form.scope, form.actions
    written = dict(values, scope=scope if scope.strip() else _as_yaml(choices.scope()))
    action_errors: dict[str, str] = {}
    if not actions.strip():
        chosen_actions = action_choices.actions(page.translator, action_errors)
        written["actions"] = _as_yaml(chosen_actions) if chosen_actions else ""
    data, problems = forms.measure_from_fields(page.translator, written, state=settings.state)
    problems.errors.update(action_errors)
    measure = None
    if data is not None and not action_errors:
        measure, problems = _save(page, session, principal, data, replace=False)
    if measure is None:
        return _new_form(
            page,
            values,
            problems,
            status_code=422,
            choices=choices,
            actions=action_choices,
            benefits=benefits,
        )
    return RedirectResponse(f"/measures/{measure.id}?done=created", status_code=303)


def _as_yaml(data: dict[str, Any] | list[Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if data else ""


@router.post("/measures/new/count", dependencies=[Depends(csrf_protect)])
def count_in_scope(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: Annotated[dict[str, str], form_of(ScopeForm)],
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    """The documents in scope today, for the form's figure (htmx), or the form again with it."""
    form = read_text_form(ScopeForm, sent)
    choices, scope = form.choices(), form.scope
    problems = forms.Problems()
    count = None
    try:
        written = forms.load_scope_text(page.translator, problems, scope) if scope.strip() else None
        if not problems:
            chosen = written if written is not None else choices.scope()
            count = documents_in_scope(session, principal, chosen, today=dt.date.today())
    except ScopeError as exc:
        problems = forms.problems_from_error(page.translator, exc)
    if page.request.headers.get("hx-request"):
        return page.render("measures/_scope_count.html", in_scope=count, errors=problems.errors)
    values = dict(_blank_values(), scope=scope)
    benefits = kind_names(session, settings.state)
    return _new_form(page, values, problems, choices=choices, in_scope=count, benefits=benefits)


@router.post("/measures/new/file", dependencies=[Depends(csrf_protect)])
def new_measure_from_file(
    page: PageDep,
    session: SessionDep,
    sent: Annotated[dict[str, str], form_of(MeasureFileForm)],
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    # A plain ``def``: FastAPI runs it in a worker thread, so parsing the file (and saving the
    # draft) never holds up the event loop, and with it every other request.
    form = read_text_form(MeasureFileForm, sent)
    document = form.file if form.file is not None else form.document
    data, problems = forms.measure_from_yaml(page.translator, document)
    measure = None
    if data is not None:
        measure, found = _save(page, session, principal, data, replace=True)
        problems = forms.on_document(page.translator, found)
    if measure is None:
        if not problems:  # an empty form: nothing was pasted or chosen
            problems.errors["document"] = page.gettext("Paste a measure file or choose one.")
        return _new_form(page, _blank_values(), problems, document=document, status_code=422)
    return RedirectResponse(f"/measures/{measure.id}?done=created", status_code=303)


# ---------------------------------------------------------------------------------------------
# The measure page and its steps


@router.get("/measures/{measure_id}")
def measure_page(
    measure_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.MEASURES_READ),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    return page.render(
        "measures/measure.html",
        measure=measure,
        steps=lifecycle.lifecycle(session, principal, measure),
        extend_to=lifecycle.extend_target(measure),
        source=yaml.safe_dump(
            {"scope": measure.scope, "actions": measure.actions},
            allow_unicode=True,
            sort_keys=False,
        ),
        next_steps=NEXT_STEPS[measure.status] if principal.can(Permission.MEASURES_MANAGE) else (),
        done=page.gettext(DONE_MESSAGES[done]) if done in DONE_MESSAGES else "",
        progress=jobs.progress(session, measure),
        **_measure_context(),
        **_preview_context(page, session, measure, principal),
    )


def _step_page(
    page: Page,
    session: Session,
    measure: Measure,
    step: Step,
    shown: str,
    errors: FormErrors,
    reason: str,
    status_code: int = 200,
) -> Response:
    return page.render(
        "measures/step.html",
        measure=measure,
        action=step,
        step=shown,
        errors=errors,
        values={"reason": reason},
        status_code=status_code,
        **_measure_context(),
        # Step pages need MEASURES_MANAGE, so there is always a principal.
        **(_preview_context(page, session, measure, page.principal) if page.principal else {}),
    )


@router.get("/measures/{measure_id}/{step}")
def step_form(
    measure_id: uuid.UUID,
    step: Step,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    return _step_page(page, session, measure, step, "form", FormErrors(), "")


class StepForm(FormModel):
    """A lifecycle step: its reason, and which of the two posts this is."""

    reason: Reason
    confirm: str = "review"


@router.post("/measures/{measure_id}/{step}", dependencies=[Depends(csrf_protect)])
def step_submit(
    measure_id: uuid.UUID,
    step: Step,
    page: PageDep,
    session: SessionDep,
    values: FormValues,
    principal: Principal = policy(Permission.MEASURES_MANAGE),
) -> Response:
    measure = service.get_measure(session, principal, measure_id)
    errors = FormErrors()
    form = read_form(page.translator, StepForm, values, errors)
    reason, confirm = values.get("reason", ""), values.get("confirm", "review")
    if form is None or confirm != "confirm":
        shown = "confirm" if not errors and confirm == "review" else "form"
        status = 422 if errors else 200
        return _step_page(page, session, measure, step, shown, errors, reason, status)
    try:
        with session.begin_nested():  # a refused step is undone; the audited read is kept
            lifecycle.decide(
                session, principal, measure_id, step, form.reason, today=dt.date.today()
            )
    except KervanError as exc:
        errors.update(forms.problems_from_error(page.translator, exc).errors)
        session.refresh(measure)
        return _step_page(page, session, measure, step, "form", errors, reason, exc.status)
    target = f"/measures/{measure_id}?done={DONE_BY_STEP[step]}"
    return RedirectResponse(target, status_code=303)
