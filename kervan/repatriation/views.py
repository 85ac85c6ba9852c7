"""Repatriation in the officer UI: the legs with their seats taken, held and free and the
demand-versus-seats chart; the requests list and a request's page with its explanation; forms
to register a request, schedule a leg, agree or refuse it (host state), run the allocation,
pin, exclude, cancel or mark a no-show, confirm a leg's seats and send its manifest. Every
write shows a summary first and is confirmed (``step``: review, then confirm)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from kervan.accounts.roles import Permission, Principal
from kervan.errors import Conflict, KervanError
from kervan.registry.codes import MEMBER_STATES
from kervan.repatriation import allocation_run, counts, legs, manifests, requests
from kervan.repatriation import forms as f
from kervan.repatriation.api import Reference
from kervan.repatriation.charts import demand_chart
from kervan.repatriation.models import DocumentStatus, LegMode, LegStatus, RequestStatus
from kervan.repatriation.occupancy import taken
from kervan.repatriation.priority import PriorityReason, parse_reasons
from kervan.repatriation.schemas import LegDecision, ReceptionIn
from kervan.web.deps import SessionDep, policy
from kervan.web.forms import FormValues, fields_of, read_form
from kervan.web.i18n_errors import FormErrors, coded_text
from kervan.web.pagination import decode_cursor, encode_cursor, unknown_cursor
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]
Action = Literal["pin", "exclude", "cancel", "no-show"]
LegAction = Literal["confirm-seats", "send-manifest"]
PAGE_SIZE = 50


def render_with_choices(page: Page, name: str, status: int = 200, **context: Any) -> Response:
    """A repatriation page with the choices its forms offer (states, reasons, documents,
    transport), for the officers' pages and the public ones alike."""
    return page.render(
        name,
        status_code=status,
        states=MEMBER_STATES,
        reasons=list(PriorityReason),
        document_statuses=list(DocumentStatus),
        modes=list(LegMode),
        members_max=f.MEMBERS_MAX,
        **context,
    )


def _put(page: Page, errors: FormErrors, problems: dict[str, str]) -> None:
    for name, code in problems.items():
        errors.setdefault(name, coded_text(page.translator, code, {}, code))


def explanation_text(page: Page, request: Any) -> str:
    if not request.explanation_code:
        return ""
    params = request.explanation_params or {}
    return coded_text(page.translator, request.explanation_code, params, request.explanation_code)


@router.get("/repatriation")
def overview(
    page: PageDep, session: SessionDep, principal: Principal = policy(Permission.REPATRIATION_READ)
) -> Response:
    rows = legs.list_legs(session, principal)
    weeks = counts.weeks(session, principal.state)
    scale = max([w.seats for w in weeks] + [w.demand for w in weeks] + [1])
    chart = demand_chart(weeks, page.gettext) if weeks else None
    return render_with_choices(
        page, "repatriation/overview.html", legs=rows, weeks=weeks, scale=scale, chart=chart,
        may_manage=principal.can(Permission.REPATRIATION_MANAGE),
    )  # fmt: skip


@router.get("/repatriation/requests")
def request_list(
    page: PageDep,
    session: SessionDep,
    status: Annotated[str, Query(max_length=20)] = "",
    cursor: Annotated[str, Query(max_length=200)] = "",
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> Response:
    wanted = RequestStatus(status) if status in set(RequestStatus) else None
    after = None
    if cursor:
        registered, last_id = decode_cursor(cursor, 2)
        try:
            after = (dt.datetime.fromisoformat(registered), uuid.UUID(last_id))
        except ValueError:
            raise unknown_cursor() from None
    found = requests.list_requests(
        session, principal, status=wanted, after=after, limit=PAGE_SIZE + 1
    )
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    next_cursor = encode_cursor([found[-1].registered_at, found[-1].id]) if more else None
    return render_with_choices(
        page,
        "repatriation/requests.html",
        found=found,
        chosen_status=wanted.value if wanted else "",
        statuses=list(RequestStatus),
        next_cursor=next_cursor,
    )


@router.get("/repatriation/requests/new")
def new_request_form(
    page: PageDep, principal: Principal = policy(Permission.REPATRIATION_MANAGE)
) -> Response:
    values = {"earliest_date": dt.date.today().isoformat(), "sex": "X", "members": "1"}
    return render_with_choices(
        page, "repatriation/request_new.html", values=values, errors=FormErrors(), step="form"
    )


def read_request(page: Page, sent: dict[str, str]) -> tuple[dict[str, str], FormErrors, Any]:
    """The request form as sent: its values (with the member rows), errors on their fields,
    the checked form (None when anything is refused)."""
    values, errors = f.request_values(sent), FormErrors()
    group = f.read_group(page.translator, values, errors)
    own = {name: values[name] for name in f.RequestForm.model_fields if name != "group"}
    form = read_form(page.translator, f.RequestForm, own, errors)
    _put(page, errors, f.request_problems(values, form))
    if errors or form is None:
        return values, errors, None
    return values, errors, form.model_copy(update={"group": group})


@router.post("/repatriation/requests/new", dependencies=CSRF)
def new_request_submit(
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    values, errors, form = read_request(page, sent)
    if sent.get("add_member"):  # one more empty row, nothing checked yet
        return render_with_choices(
            page, "repatriation/request_new.html", values=values, errors=FormErrors(), step="form"
        )
    step = sent.get("step", "review")
    context = dict(values=values, errors=errors, form=form)
    if errors or step != "confirm":
        shown = "confirm" if not errors and step == "review" else "form"
        return render_with_choices(
            page, "repatriation/request_new.html", status=422 if errors else 200,
            step=shown, **context,
        )  # fmt: skip
    try:
        with session.begin_nested():
            made, _ = requests.create_request(
                session, principal, f.request_data(form, principal.state)
            )
    except ValidationError:
        errors["_"] = page.gettext("Some of the input is not valid")
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        return render_with_choices(
            page, "repatriation/request_new.html", status=422, step="form", **context
        )
    return RedirectResponse(f"/repatriation/requests/{made.reference}?done=created", 303)


@router.get("/repatriation/requests/{reference}")
def request_page(
    reference: Reference,
    page: PageDep,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> Response:
    found = requests.get_request(session, principal, reference)
    leg = requests.get_leg(session, found.leg_id, principal.state) if found.leg_id else None
    return render_with_choices(
        page,
        "repatriation/request.html",
        return_request=found,
        leg=leg,
        chosen_reasons=parse_reasons(found.priority_reasons),
        explanation=explanation_text(page, found),
        done=done,
        may_manage=principal.can(Permission.REPATRIATION_MANAGE),
    )


def _edit_page(
    page: Page, session: Any, found: Any, *, status: int = 200, **context: Any
) -> Response:
    leg = requests.get_leg(session, found.leg_id, found.home_state) if found.leg_id else None
    return render_with_choices(
        page, "repatriation/request_edit.html", status=status, return_request=found, leg=leg,
        too_large=found.size > f.MEMBERS_MAX + 1, **context,
    )  # fmt: skip


@router.get("/repatriation/requests/{reference}/edit")
def edit_request_form(
    reference: Reference,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """The registered request in its form, to change; a request already travelled, cancelled
    or absent is not changed (409)."""
    found = requests.get_request(session, principal, reference)
    if found.status not in requests.EDITABLE:
        raise _not_editable(found)
    return _edit_page(
        page, session, found, values=f.values_of(found), errors=FormErrors(), step="form"
    )


def _not_editable(found: Any) -> KervanError:
    return Conflict(
        f"the request is {found.status.value}",
        code=f.m.WRONG_STATUS,
        params={"status": found.status.value},
    )


@router.post("/repatriation/requests/{reference}/edit", dependencies=CSRF)
def edit_request_submit(
    reference: Reference,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """Checked, then a summary that says what happens to the seat (kept, or released when the
    changed request no longer fits its leg), then saved (audited)."""
    found = requests.get_request(session, principal, reference)
    if found.status not in requests.EDITABLE:
        raise _not_editable(found)
    values, errors, form = read_request(page, sent)
    if sent.get("add_member"):
        return _edit_page(page, session, found, values=values, errors=FormErrors(), step="form")
    step = sent.get("step", "review")
    data = None
    if form is not None and not errors:
        try:
            data = f.edited_data(form, found)
        except ValidationError:
            errors["_"] = page.gettext("Some of the input is not valid")
    context = dict(values=values, errors=errors, form=form)
    if errors or data is None or step != "confirm":
        released = requests.seat_released_by(session, found, data) if data else None
        shown = "confirm" if not errors and step == "review" else "form"
        return _edit_page(
            page, session, found, status=422 if errors else 200, step=shown,
            released=released, **context,
        )  # fmt: skip
    try:
        with session.begin_nested():
            _, released = requests.update_request(session, principal, found.reference, data)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        return _edit_page(page, session, found, status=409, step="form", **context)
    done = "released" if released else "edited"
    return RedirectResponse(f"/repatriation/requests/{found.reference}?done={done}", 303)


def _agreed_legs(session: Any, principal: Principal) -> list[Any]:
    return [leg for leg in legs.list_legs(session, principal) if leg.status is LegStatus.AGREED]


@router.get("/repatriation/requests/{reference}/{action}")
def decision_form(
    reference: Reference,
    action: Action,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    found = requests.get_request(session, principal, reference)
    return render_with_choices(
        page, "repatriation/decision.html", return_request=found, action=action, values={},
        errors=FormErrors(), step="form", legs=_agreed_legs(session, principal),
    )  # fmt: skip


@router.post("/repatriation/requests/{reference}/{action}", dependencies=CSRF)
def decision_submit(
    reference: Reference,
    action: Action,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    found = requests.get_request(session, principal, reference)
    model = f.PinForm if action == "pin" else f.ReasonForm
    values, errors = fields_of(model, sent), FormErrors()
    form = read_form(page.translator, model, values, errors)
    step = sent.get("step", "review")
    choices = _agreed_legs(session, principal)
    context = dict(
        return_request=found, action=action, values=values, errors=errors, legs=choices,
        chosen=next((c for c in choices if str(c.id) == values.get("leg_id")), None),
    )  # fmt: skip
    if errors or step != "confirm" or form is None:
        shown = "confirm" if not errors and step == "review" else "form"
        return render_with_choices(
            page, "repatriation/decision.html", status=422 if errors else 200,
            step=shown, **context,
        )  # fmt: skip
    try:
        with session.begin_nested():
            if isinstance(form, f.PinForm):
                requests.pin(session, principal, found.reference, form.leg_id, form.reason)
            elif action == "exclude":
                requests.exclude(session, principal, found.reference, form.reason)
            else:
                no_show = action == "no-show"
                requests.cancel(session, principal, found.reference, form.reason, no_show=no_show)
    except KervanError as exc:
        errors.from_error(page.translator, exc)
        return render_with_choices(
            page, "repatriation/decision.html", status=409, step="form", **context
        )
    return RedirectResponse(f"/repatriation/requests/{found.reference}?done={action}", 303)


@router.get("/repatriation/allocation")
def allocation_form(
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """What a run will work on, before it runs."""
    found = counts.counts(session, principal.state)
    agreed = len(_agreed_legs(session, principal))
    return render_with_choices(page, "repatriation/allocation.html", counts=found, agreed=agreed)


@router.post("/repatriation/allocation", dependencies=CSRF)
def allocation_submit(
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    summary = allocation_run.run_allocation(session, principal)
    return render_with_choices(page, "repatriation/allocation.html", summary=summary)


def _reception_page(
    page: Page, session: Any, principal: Principal, *, status: int = 200, **context: Any
) -> Response:
    rows = legs.list_reception(session, principal, dt.date.today())
    return render_with_choices(
        page, "repatriation/reception.html", status=status, rows=rows, **context
    )


@router.get("/repatriation/reception")
def reception_page(
    page: PageDep,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """The home regions' daily reception places from today on, with the people already
    arriving, and the form to set a day's places."""
    values = {"day": dt.date.today().isoformat()}
    return _reception_page(
        page, session, principal, values=values, errors=FormErrors(), step="form", done=done
    )


@router.post("/repatriation/reception", dependencies=CSRF)
def reception_submit(
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """A destination's places on a day: checked, a summary (with the people already arriving
    that day), then set; the next allocation counts them."""
    values, errors = fields_of(f.ReceptionForm, sent), FormErrors()
    form = read_form(page.translator, f.ReceptionForm, values, errors)
    step = sent.get("step", "review")
    if errors or step != "confirm" or form is None:
        shown = "confirm" if not errors and step == "review" else "form"
        rows = legs.list_reception(session, principal, dt.date.today())
        current, arriving = None, 0
        if form is not None:
            key = (form.destination, form.day)
            current = next((r.places for r in rows if (r.destination, r.day) == key), None)
            arriving = legs.arrivals(session, principal.state, form.day).get(key, 0)
        return render_with_choices(
            page, "repatriation/reception.html", status=422 if errors else 200, rows=rows,
            values=values, errors=errors, form=form, step=shown, current=current,
            arriving=arriving,
        )  # fmt: skip
    legs.set_reception(
        session,
        principal,
        ReceptionIn(destination=form.destination, day=form.day, places=form.places),
    )
    return RedirectResponse("/repatriation/reception?done=set", 303)


@router.get("/repatriation/legs/new")
def new_leg_form(
    page: PageDep, principal: Principal = policy(Permission.REPATRIATION_MANAGE)
) -> Response:
    values = {"mode": "flight", "held_seats": "0"}
    return render_with_choices(
        page, "repatriation/leg_new.html", values=values, errors=FormErrors(), step="form"
    )


@router.post("/repatriation/legs/new", dependencies=CSRF)
def new_leg_submit(
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    values, errors = fields_of(f.LegForm, sent), FormErrors()
    form = read_form(page.translator, f.LegForm, values, errors)
    if form is not None:
        _put(page, errors, f.leg_problems(form))
    step = sent.get("step", "review")
    context = dict(values=values, errors=errors, form=form)
    if errors or step != "confirm" or form is None:
        shown = "confirm" if not errors and step == "review" else "form"
        return render_with_choices(
            page, "repatriation/leg_new.html", status=422 if errors else 200,
            step=shown, **context,
        )  # fmt: skip
    leg = legs.schedule_leg(session, principal, f.leg_data(form))
    return RedirectResponse(f"/repatriation/legs/{leg.id}?done=scheduled", 303)


@router.get("/repatriation/legs/{leg_id}")
def leg_page(
    leg_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
    principal: Principal = policy(Permission.REPATRIATION_READ),
) -> Response:
    leg = requests.get_leg(session, leg_id, principal.state)
    return render_with_choices(
        page,
        "repatriation/leg.html",
        leg=legs.public(leg, taken(session, leg.id)),
        done=done,
        may_decide=principal.can(Permission.RETURN_LEGS_DECIDE)
        and leg.host_state == principal.state
        and leg.status is LegStatus.ANNOUNCED,
        may_manage=principal.can(Permission.REPATRIATION_MANAGE)
        and leg.home_state == principal.state,
    )


@router.post("/repatriation/legs/{leg_id}/decision", dependencies=CSRF)
def leg_decision(
    leg_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.RETURN_LEGS_DECIDE),
) -> Response:
    """The host state's officer agrees to a leg or refuses it (with a reason), after a summary."""
    leg = requests.get_leg(session, leg_id, principal.state)
    values, errors = fields_of(f.HostDecisionForm, sent), FormErrors()
    form = read_form(page.translator, f.HostDecisionForm, values, errors)
    if form is not None and not form.agree and len(form.reason) < 3:
        _put(page, errors, {"reason": f.m.FORM_REFUSAL_REASON})
    step = sent.get("step", "review")
    if errors or step != "confirm" or form is None:
        return render_with_choices(
            page, "repatriation/leg_decision.html", status=422 if errors else 200,
            leg=legs.public(leg, 0), values=values, errors=errors,
            step="confirm" if not errors and step == "review" else "form",
        )  # fmt: skip
    decided = legs.decide_leg(
        session, principal, leg_id, LegDecision(agree=form.agree, reason=form.reason)
    )
    return RedirectResponse(f"/repatriation/legs/{leg_id}?done={decided.status.value}", 303)


@router.post("/repatriation/legs/{leg_id}/{action}", dependencies=CSRF)
def leg_action(
    leg_id: uuid.UUID,
    action: LegAction,
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.REPATRIATION_MANAGE),
) -> Response:
    """Confirm a leg's proposed seats, or send its manifest to the host state — after a
    summary of what it does."""
    leg = requests.get_leg(session, leg_id, principal.state)
    if sent.get("step") != "confirm":
        return render_with_choices(
            page, "repatriation/leg_action.html", leg=legs.public(leg, taken(session, leg.id)),
            action=action,
        )  # fmt: skip
    if action == "confirm-seats":
        requests.confirm_leg(session, principal, leg_id)
    else:
        manifests.send(session, principal, leg_id)
    return RedirectResponse(f"/repatriation/legs/{leg_id}?done={action}", 303)
