"""Benefits in the officer UI: a person's benefits (loaded into the person page), entering and
deciding applications, the benefit kinds, their texts and granting one to every eligible
person.

Thin like ``api.py``. Decisions take two posts, as in the register: the first shows what will
happen, the second does it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.benefits import grants, kind_texts, service
from kervan.benefits.models import BenefitKind
from kervan.errors import KervanError
from kervan.registry import service as registry
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.web.authored import TextsForm
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import (
    FormModel,
    FormValues,
    OptionalFormDate,
    Reason,
    fields_of,
    read_form,
)
from kervan.web.i18n import N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

DONE_MESSAGES = {
    "applied": N_("The application was entered and evaluated."),
    "approved": N_("The benefit was approved."),
    "rejected": N_("The application was rejected."),
    "texts": N_("The texts were saved."),
    "eligibility": N_("Who is eligible was saved."),
}
KIND_DONE = ("texts", "eligibility")  # what the kinds page says after a change


class ReasonForm(FormModel):
    reason: Reason


class DecisionForm(ReasonForm):
    entitlement_until: OptionalFormDate = None


def _person_context(
    session: Session, principal: Principal, state: str, person_id: uuid.UUID
) -> dict[str, Any]:
    person = registry.get_person(session, principal, person_id)
    kinds = (
        service.list_kinds(session, principal, state=state, active_only=True)
        if principal.can(Permission.BENEFITS_DECIDE)
        else []
    )
    return {
        "person": person,
        "applications": service.person_benefits(session, principal, person_id),
        "kinds": kinds,
    }


@router.get("/persons/{person_id}/benefits")
def person_benefits_page(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    done: str = "",
    principal: Principal = policy(Permission.BENEFITS_READ),
) -> Response:
    context = _person_context(session, principal, settings.state, person_id)
    template = (
        "benefits/_person_benefits.html"
        if page.request.headers.get("hx-request")
        else "benefits/person_benefits.html"
    )
    message = page.gettext(DONE_MESSAGES[done]) if done in DONE_MESSAGES else ""
    return page.render(template, errors=FormErrors(), values={}, done=message, **context)


@router.post("/persons/{person_id}/benefits", dependencies=[Depends(csrf_protect)])
def apply_submit(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    values: FormValues,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> Response:
    kind_id, notes = values.get("kind_id", ""), values.get("notes", "").strip()
    errors = FormErrors()
    try:
        chosen = uuid.UUID(kind_id)
    except ValueError:
        errors["kind_id"] = page.gettext("Choose the kind of benefit.")
    if not errors:
        try:
            with session.begin_nested():
                kind = service.get_kind(session, principal, state=settings.state, kind_id=chosen)
                service.apply_for(
                    session, principal, person_id, kind, today=dt.date.today(), notes=notes
                )
        except KervanError as exc:
            errors.from_error(page.translator, exc)
    if errors:
        context = _person_context(session, principal, settings.state, person_id)
        return page.render(
            "benefits/person_benefits.html",
            errors=errors,
            values=values,
            done="",
            status_code=422,
            **context,
        )
    return RedirectResponse(f"/persons/{person_id}/benefits?done=applied", status_code=303)


@router.post("/benefits/{application_id}/{decision}", dependencies=[Depends(csrf_protect)])
def decide_submit(
    application_id: uuid.UUID,
    decision: Literal["approve", "reject"],
    page: PageDep,
    session: SessionDep,
    values: FormValues,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> Response:
    application = service.get_application(session, principal, application_id)
    errors = FormErrors()
    step = values.get("step", "review")
    if step == "form":  # the button on the benefits list: show the form, nothing to check yet
        return page.render(
            "benefits/decide.html",
            step="form",
            errors=errors,
            application=application,
            decision=decision,
            values={},
        )
    values = fields_of(DecisionForm, values)
    form = read_form(page.translator, DecisionForm, values, errors)
    text = form.reason if form else values["reason"]
    until = form.entitlement_until if form and decision == "approve" else None
    context = {"application": application, "decision": decision, "values": values}
    if errors or step != "confirm":
        shown = "confirm" if not errors else "form"
        status = 422 if errors else 200
        return page.render(
            "benefits/decide.html", step=shown, errors=errors, status_code=status, **context
        )
    try:
        with session.begin_nested():
            if decision == "approve":
                service.approve(
                    session,
                    principal,
                    application_id,
                    text,
                    today=dt.date.today(),
                    entitlement_until=until,
                )
            else:
                service.reject(session, principal, application_id, text)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        return page.render(
            "benefits/decide.html", step="form", errors=errors, status_code=exc.status, **context
        )
    done = "approved" if decision == "approve" else "rejected"
    return RedirectResponse(
        f"/persons/{application.person_id}/benefits?done={done}", status_code=303
    )


# ---------------------------------------------------------------------------------------------
# Kinds and grants to every eligible person


@router.get("/benefit-kinds")
def kinds_page(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    done: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.BENEFITS_READ),
) -> Response:
    kinds = service.list_kinds(session, principal, state=settings.state)
    return page.render(
        "benefits/kinds.html",
        kinds=kinds,
        done=page.gettext(DONE_MESSAGES[done]) if done in KIND_DONE else "",
        # The measures' words for a scope: eligibility is written in the same language.
        stay_kind=StayKind,
        stay_purpose=StayPurpose,
        stay_status=StayStatus,
    )


@router.get("/benefit-kinds/{kind_id}/grant-all")
def grant_preview_page(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> Response:
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    preview = grants.preview_grant_all(session, principal, kind, today=dt.date.today())
    return page.render(
        "benefits/grant_all.html", kind=kind, preview=preview, errors=FormErrors(), values={}
    )


@router.post("/benefit-kinds/{kind_id}/grant-all", dependencies=[Depends(csrf_protect)])
def grant_submit(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    values: FormValues,
    principal: Principal = policy(Permission.BENEFITS_DECIDE),
) -> Response:
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    errors = FormErrors()
    form = read_form(page.translator, ReasonForm, values, errors)
    reason = values.get("reason", "")
    text = form.reason if form else reason
    result = None
    if not errors:
        try:
            with session.begin_nested():
                result = grants.grant_all(session, principal, kind, text, today=dt.date.today())
        except KervanError as exc:
            errors.from_error(page.translator, exc)
    if result is None:
        preview = grants.preview_grant_all(session, principal, kind, today=dt.date.today())
        return page.render(
            "benefits/grant_all.html",
            kind=kind,
            preview=preview,
            errors=errors,
            values={"reason": reason},
            status_code=422,
        )
    return page.render("benefits/grant_all.html", kind=kind, result=result, preview=None)


# ---------------------------------------------------------------------------------------------
# A kind's name and description in every UI language

KIND_TEXT_LABELS = {"names": N_("Name"), "descriptions": N_("Description")}


def _texts_form(session: Session, principal: Principal, kind: BenefitKind) -> TextsForm:
    return TextsForm(
        template="benefits/kind_texts.html",
        labels=KIND_TEXT_LABELS,
        saved=kind_texts.kind_texts(kind),
        revise=lambda sent: kind_texts.revise(kind, sent),
        check=kind_texts.check_texts,
        save=lambda sent: kind_texts.set_kind_texts(session, principal, kind, sent),
        multiline=frozenset({"descriptions"}),
    )


def _texts_context(page: Page, kind: BenefitKind) -> dict[str, Any]:
    return {
        "kind": kind,
        "heading": page.gettext("The benefit kind's texts in other languages"),
        "action": f"/benefit-kinds/{kind.id}/texts",
    }


@router.get("/benefit-kinds/{kind_id}/texts")
def kind_texts_form(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> Response:
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    form = _texts_form(session, principal, kind)
    return form.render(page, form.saved, FormErrors(), **_texts_context(page, kind))


@router.post("/benefit-kinds/{kind_id}/texts", dependencies=[Depends(csrf_protect)])
def kind_texts_submit(
    kind_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    values: FormValues,
    principal: Principal = policy(Permission.BENEFITS_CONFIGURE),
) -> Response:
    kind = service.get_kind(session, principal, state=settings.state, kind_id=kind_id)
    form = _texts_form(session, principal, kind)
    done = f"/benefit-kinds?done=texts#kind-{kind.code}"
    return form.submit(page, session, values, done, **_texts_context(page, kind))
