"""Officer pages: the queue (by time to breach, with filters and SLA counts), opening a case,
and the case page (shared fields with their conflicts side by side, workflow, assignment,
notes, aid, consent, referral)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kervan.accounts.roles import Permission, Principal
from kervan.assistance import service
from kervan.assistance.fields import SHARED_FIELDS, text_of
from kervan.assistance.labels import LABELS
from kervan.assistance.models import AID_KINDS, NEEDS, CaseStatus, Requester, Urgency
from kervan.assistance.schemas import AidIn, CaseCreate, ConsentIn, FieldEdit
from kervan.assistance.sla import sla_of
from kervan.db.base import utcnow
from kervan.errors import KervanError
from kervan.registry.codes import MEMBER_STATES
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.i18n_errors import FormErrors
from kervan.web.pagination import MAX_CURSOR_CHARS
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=4000)]
Filter = Annotated[str, Query(max_length=60)]
CSRF = [Depends(csrf_protect)]
VIEWS = ("mine", "triage", "all", "conflicts", "breached")  # a team: the team filter


def _render(page: Page, name: str, status: int = 200, **context: Any) -> Response:
    return page.render(
        name, status_code=status, labels=LABELS, now=utcnow(), states=MEMBER_STATES, **context
    )


@router.get("/cases")
def queue_page(
    page: PageDep,
    session: SessionDep,
    view: Filter = "all",
    team: Filter = "",
    urgency: Filter = "",
    need: Filter = "",
    cursor: Annotated[str, Query(max_length=MAX_CURSOR_CHARS)] = "",
    principal: Principal = policy(Permission.CASES_READ),
) -> Response:
    view = view if view in VIEWS else "all"
    wanted = service.QueueFilter(
        statuses=(CaseStatus.NEW,) if view == "triage" else service.OPEN_STATUSES,
        assigned_to=principal.username if view == "mine" else None,
        team=team or None,
        urgency=Urgency(urgency) if urgency in Urgency.__members__.values() else None,
        need=need if need in NEEDS else None,
        breached_only=view == "breached",
        conflicts_only=view == "conflicts",
    )
    now = utcnow()
    found, next_cursor = service.queue(session, principal, wanted, now=now, cursor=cursor or None)
    counts = service.sla_counts(session, principal, now)
    filters = {"view": view, "team": team, "urgency": urgency, "need": need}
    return _render(
        page,
        "assistance/queue.html",
        cases=found,
        next_cursor=next_cursor,
        counts=counts,
        filters=filters,
        views=VIEWS,
    )


@router.get("/cases/find")
def find(
    page: PageDep,
    session: SessionDep,
    reference: Annotated[str, Query(max_length=40)] = "",
    principal: Principal = policy(Permission.CASES_READ),
) -> Response:
    case = service.by_reference(session, principal, reference)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/new")
def new_form(
    page: PageDep,
    session: SessionDep,
    person_id: uuid.UUID | None = None,
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    """A blank case, or one filled in from the register's person (the read is audited)."""
    values: dict[str, str] = {}
    if person_id is not None and principal.can(Permission.REGISTER_READ):
        from kervan.registry import service as registry

        person = registry.get_person(session, principal, person_id, purpose="assistance case")
        document = person.travel_documents[0].number if person.travel_documents else ""
        day = registry.birth_date_text(person)
        values = {
            "person_id": str(person.id),
            "full_name": " ".join(filter(None, (person.primary_name, person.secondary_name))),
            "nationality": person.nationality,
            "birth_date": day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else "",
            "document_number": document,
        }
    return _render(page, "assistance/new.html", values=values, errors=FormErrors())


@router.get("/persons/{person_id}/cases")
def person_cases(
    person_id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_READ),
) -> Response:
    """The person page's panel: their cases (loaded by htmx, or opened as a page)."""
    found = service.cases_of_person(session, principal, person_id)
    fragment = page.request.headers.get("hx-request") == "true"
    return _render(
        page,
        "assistance/person_cases.html",
        cases=found,
        person_id=person_id,
        fragment=fragment,
    )


@router.post("/cases/new", dependencies=CSRF)
async def new_submit(
    request: Request,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and len(v) <= 4000}
    errors = FormErrors()
    try:
        consent = None
        if values.get("consent_by"):
            consent = ConsentIn(
                given_by=values["consent_by"], how=values.get("consent_how", "in_person")
            )
        data = CaseCreate(
            full_name=values.get("full_name", ""),
            nationality=values.get("nationality", ""),
            birth_date=values.get("birth_date") or None,
            person_id=values.get("person_id") or None,
            document_number=values.get("document_number", ""),
            requester=Requester(values.get("requester", "person")),
            requester_name=values.get("requester_name", ""),
            needs=form.getlist("needs"),
            vulnerabilities=form.getlist("vulnerabilities"),
            urgency=Urgency(values.get("urgency", "normal")),
            host_state=values.get("host_state") or None,
            region=values.get("region", ""),
            city=values.get("city", ""),
            language=values.get("language", ""),
            contact=values.get("contact", ""),
            description=values.get("description", ""),
            consent=consent,
        )
        case, _ = service.create_case(
            session, principal, data, node_state=settings.state, sla=sla_of(settings), now=utcnow()
        )
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "_"
            errors[name] = page.gettext("This value is not valid.")
    except ValueError:
        errors["_"] = page.gettext("Check the fields: every one is required.")
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    if errors:
        return _render(
            page,
            "assistance/new.html",
            status=422,
            values=values,
            errors=errors,
            form_needs=form.getlist("needs"),
        )
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


def _case_page(
    page: Page,
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    case = service.get_case(session, principal, case_id)
    heads = service.heads_by_field(service.changes_of(session, case.id))
    return _render(
        page,
        "assistance/case.html",
        status=status,
        case=case,
        shared={name: text_of(name, getattr(case, name)) for name in SHARED_FIELDS},
        heads=heads,
        conflicts={name: found for name, found in heads.items() if len(found) > 1},
        notes=service.notes_of(session, case.id),
        aid=service.aid_of(session, case.id),
        next_statuses=sorted(service.NEXT[case.status] - {CaseStatus.REFERRED}),
        aid_kinds=AID_KINDS,
        errors=errors or FormErrors(),
    )


@router.get("/cases/{id}")
def case_page(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.CASES_READ),
) -> Response:
    return _case_page(page, session, principal, id)


def _act(
    page: Page,
    session: Session,
    principal: Principal,
    case_id: uuid.UUID,
    action: Callable[[], object],
) -> Response:
    """Do one step in a savepoint; on a refusal show the case again with the reason."""
    errors = FormErrors()
    try:
        with session.begin_nested():
            action()
    except KervanError as exc:
        errors.from_error(page.translator, exc)
    except ValueError:  # also pydantic's ValidationError: a value the form should not send
        errors["_"] = page.gettext("This value is not valid.")
    if errors:
        return _case_page(page, session, principal, case_id, errors, 422)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{id}/edit", dependencies=CSRF)
async def edit_fields(
    id: uuid.UUID,
    request: Request,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    """The shared fields as the officer saw them (``base_<field>``: the heads then)."""
    form = await request.form()
    edits = []
    for name in SHARED_FIELDS:
        if name not in form:
            continue
        value = (
            ",".join(str(v) for v in form.getlist(name))
            if name in ("needs", "vulnerabilities")
            else str(form[name])
        )
        based = [b for b in str(form.get(f"base_{name}", "")).split(",") if b]
        try:
            edits.append(FieldEdit(field=name, value=value, based_on=[uuid.UUID(b) for b in based]))
        except (ValidationError, ValueError):
            continue
    return _act(
        page,
        session,
        principal,
        id,
        lambda: (
            edits
            and service.edit(session, principal, id, edits, sla=sla_of(settings), now=utcnow())
        ),
    )


@router.post("/cases/{id}/resolve", dependencies=CSRF)
def resolve(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    field: Annotated[str, Form(max_length=32)] = "",
    value: Text = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    def step() -> object:
        edit = FieldEdit(field=field, value=value)
        return service.edit(
            session, principal, id, [edit], sla=sla_of(settings), now=utcnow(), resolving=True
        )

    return _act(page, session, principal, id, step)


@router.post("/cases/{id}/status", dependencies=CSRF)
def status(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    target: Annotated[str, Form(max_length=20)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    return _act(
        page,
        session,
        principal,
        id,
        lambda: service.change_status(
            session, principal, id, CaseStatus(target), sla=sla_of(settings), now=utcnow()
        ),
    )


@router.post("/cases/{id}/assign", dependencies=CSRF)
def assign(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    assigned_to: Annotated[str, Form(max_length=100)] = "",
    team: Annotated[str, Form(max_length=60)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    return _act(
        page,
        session,
        principal,
        id,
        lambda: service.assign(
            session,
            principal,
            id,
            assigned_to=assigned_to.strip() or None,
            team=team.strip() or None,
            now=utcnow(),
        ),
    )


@router.post("/cases/{id}/note", dependencies=CSRF)
def note(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    text: Text = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    def step() -> object:
        from kervan.assistance.schemas import NoteIn

        return service.add_note(session, principal, id, NoteIn(text=text).text, utcnow())

    return _act(page, session, principal, id, step)


@router.post("/cases/{id}/aid", dependencies=CSRF)
def aid(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    kind: Annotated[str, Form(max_length=20)] = "",
    quantity: Annotated[str, Form(max_length=10)] = "1",
    amount: Annotated[str, Form(max_length=20)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    description: Annotated[str, Form(max_length=300)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    def step() -> object:
        try:
            money = Decimal(amount.replace(",", ".")) if amount.strip() else None
        except InvalidOperation as exc:
            raise ValueError("amount") from exc
        data = AidIn(
            kind=kind,
            quantity=int(quantity or "1") if quantity.strip().isdigit() else 0,
            amount=money,
            currency=currency.strip().upper() or None,
            description=description,
        )
        return service.add_aid(session, principal, id, data, utcnow())

    return _act(page, session, principal, id, step)


@router.post("/cases/{id}/consent", dependencies=CSRF)
def consent(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    given_by: Annotated[str, Form(max_length=200)] = "",
    how: Annotated[str, Form(max_length=20)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    return _act(
        page,
        session,
        principal,
        id,
        lambda: service.record_consent(
            session,
            principal,
            id,
            ConsentIn(given_by=given_by, how=how),
            utcnow(),
        ),
    )


@router.post("/cases/{id}/refer", dependencies=CSRF)
def refer(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    reason: Annotated[str, Form(max_length=500)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    return _act(
        page,
        session,
        principal,
        id,
        lambda: service.refer(session, principal, id, reason.strip(), utcnow()),
    )


@router.post("/cases/{id}/decision", dependencies=CSRF)
def decision(
    id: uuid.UUID,
    page: PageDep,
    session: SessionDep,
    action: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    principal: Principal = policy(Permission.CASES_WORK),
) -> Response:
    return _act(
        page,
        session,
        principal,
        id,
        lambda: service.decide_referral(
            session, principal, id, accept=action == "accept", reason=reason.strip(), now=utcnow()
        ),
    )
