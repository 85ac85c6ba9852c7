"""Officer pages: the accreditation register, and airport access requests with the decision
deadline counting down; a mission asks, the airport authority grants, refuses or revokes."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError

from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.diplomacy import accreditations, passes, service
from kervan.diplomacy.airports import AIRPORTS, ZONES
from kervan.diplomacy.rendering import qr_png
from kervan.diplomacy.schemas import AccessRequestCreate, AccreditationCreate, Decision, Refusal
from kervan.errors import KervanError
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import (
    FormDate,
    FormLists,
    FormModel,
    FormValues,
    fields_of,
    parse_form,
    read_form,
)
from kervan.web.i18n import N_
from kervan.web.i18n_errors import FormErrors
from kervan.web.security import csrf_protect
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)
STATUS_LABELS = {
    "requested": N_("Awaiting decision"),
    "granted": N_("Granted"),
    "refused": N_("Refused"),
    "revoked": N_("Revoked"),
}
Text = Annotated[str, Field(max_length=500)]
Upper = Annotated[str, AfterValidator(str.upper), Field(max_length=500)]


def _utc(value: Any) -> dt.datetime:
    """A ``datetime-local`` field's value; without a zone, UTC."""
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


UtcDateTime = Annotated[dt.datetime, BeforeValidator(_utc)]


class AccessRequestForm(FormModel):
    """A mission's request as typed; ``AccessRequestCreate`` holds the rules of its values."""

    accreditation_id: uuid.UUID
    airport: Upper
    terminal: Upper = ""
    zone: list[Annotated[str, Field(max_length=500)]] = []
    window_start: UtcDateTime
    window_end: UtcDateTime
    purpose: Text = ""

    def create(self) -> AccessRequestCreate:
        fields = self.model_dump(exclude={"zone"})
        return AccessRequestCreate(**fields, zones=self.zone)


class DecisionForm(FormModel):
    """Grant, refuse or revoke; a reason is needed for the last two (the page checks it)."""

    action: Text = ""
    conditions: Text = ""
    reason: Text = ""


class AccreditationForm(FormModel):
    home_state: Upper
    card_number: Upper
    primary_identifier: Text
    secondary_identifier: Text = ""
    name_as_written: Text = ""
    mission: Text
    function: Text
    valid_from: FormDate
    valid_until: FormDate

    def create(self) -> AccreditationCreate:
        return AccreditationCreate(**self.model_dump())


class WithdrawForm(FormModel):
    withdraw: uuid.UUID
    reason: Text = ""


def _requests_page(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    found = service.list_requests(session, principal, node_state=settings.state)
    issued = {r.id: passes.passes_of(session, r.id) for r in found}
    images = {
        p.id: "data:image/png;base64," + base64.b64encode(qr_png(p.text, scale=3)).decode()
        for ps in issued.values()
        for p in ps
    }
    mine = (
        accreditations.list_accreditations(session, principal)
        if principal.can(Permission.AIRPORT_ACCESS_REQUEST)
        else []
    )
    return page.render(
        "diplomacy/requests.html",
        requests=found,
        passes=issued,
        images=images,
        now=utcnow(),
        accreditations=mine,
        status_labels=STATUS_LABELS,
        airports=AIRPORTS,
        zones=ZONES,
        errors=errors or FormErrors(),
        values=values or {},
        status_code=status,
    )


@router.get("/airport-access")
def requests_page(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_READ),
) -> Response:
    return _requests_page(page, session, settings, principal)


@router.post("/airport-access", dependencies=[Depends(csrf_protect)])
def request_submit(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    lists: FormLists,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_REQUEST),
) -> Response:
    values = fields_of(AccessRequestForm, sent)
    errors = FormErrors()
    form = read_form(
        page.translator, AccessRequestForm, {**values, "zone": lists.get("zone", [])}, errors
    )
    try:
        if form is None:
            raise ValueError("the form's fields")
        data = form.create()
        with session.begin_nested():
            service.create_request(
                session,
                principal,
                data,
                node_state=settings.state,
                now=utcnow(),
                decision_hours=settings.diplomacy_decision_hours,
            )
    except (ValidationError, ValueError):
        errors["_"] = page.gettext("Check the fields: every one is required.")
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        return _requests_page(page, session, settings, principal, errors, values, 422)
    return RedirectResponse("/airport-access", status_code=303)


@router.post("/airport-access/{id}/decision", dependencies=[Depends(csrf_protect)])
def decide(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal = policy(Permission.AIRPORT_ACCESS_DECIDE),
) -> Response:
    form = parse_form(DecisionForm, sent)
    action, conditions, reason = form.action, form.conditions, form.reason
    errors = FormErrors()
    try:
        with session.begin_nested():
            if action == "grant":
                decision = Decision(conditions=conditions.strip()[:500])
                service.decide(session, settings, principal, id, decision)
            elif len(reason.strip()) < 3:
                errors["_"] = page.gettext("Give the reason (at least %(min)s characters).", min=3)
            elif action == "refuse":
                refusal = Refusal(reason=reason.strip()[:500])
                service.decide(session, settings, principal, id, refusal)
            else:
                for issued in passes.passes_of(session, id):
                    if issued.revoked_at is None:
                        passes.revoke_pass(
                            session,
                            principal,
                            issued.id,
                            reason.strip(),
                            node_state=settings.state,
                            now=utcnow(),
                        )
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        return _requests_page(page, session, settings, principal, errors, {}, 422)
    return RedirectResponse("/airport-access", status_code=303)


@router.get("/accreditations")
def accreditations_page(
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCREDITATIONS_READ),
) -> Response:
    found = accreditations.list_accreditations(session, principal)
    return page.render(
        "diplomacy/accreditations.html", accreditations=found, errors=FormErrors(), values={}
    )


@router.post("/accreditations/import", dependencies=[Depends(csrf_protect)])
def accreditations_import(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    principal: Principal = policy(Permission.ACCREDITATIONS_MANAGE),
) -> Response:
    """A CSV file or a home state's signed list; every bad row is named by its number."""
    from kervan.diplomacy.api import import_text, read_upload

    errors = FormErrors()
    try:
        with session.begin_nested():
            import_text(session, principal, read_upload(file), settings.state)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        found = accreditations.list_accreditations(session, principal)
        return page.render(
            "diplomacy/accreditations.html",
            accreditations=found,
            errors=errors,
            values={},
            status_code=422,
        )
    return RedirectResponse("/accreditations", status_code=303)


@router.post("/accreditations", dependencies=[Depends(csrf_protect)])
def accreditation_submit(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal = policy(Permission.ACCREDITATIONS_MANAGE),
) -> Response:
    withdrawing = bool(sent.get("withdraw"))
    model: type[WithdrawForm | AccreditationForm] = (
        WithdrawForm if withdrawing else AccreditationForm
    )
    values = fields_of(AccreditationForm, sent)
    errors = FormErrors()
    form = read_form(page.translator, model, fields_of(model, sent), errors)
    try:
        if form is None:
            raise ValueError("the form's fields")
        with session.begin_nested():
            if isinstance(form, WithdrawForm):
                accreditations.withdraw(
                    session,
                    principal,
                    form.withdraw,
                    form.reason or "withdrawn",
                    node_state=settings.state,
                    now=utcnow(),
                )
            else:
                data = form.create()
                accreditations.add_accreditation(
                    session, principal, data, node_state=settings.state, now=utcnow()
                )
    except (ValidationError, ValueError):
        errors["_"] = page.gettext("Check the fields: every one is required.")
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        found = accreditations.list_accreditations(session, principal)
        return page.render(
            "diplomacy/accreditations.html",
            accreditations=found,
            errors=errors,
            values=values,
            status_code=422,
        )
    return RedirectResponse("/accreditations", status_code=303)
