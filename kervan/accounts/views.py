"""Accounts in the officer UI: sign-in and out, one's own API tokens, the users admin page and
the audit log. Thin: the services in ``sessions``, ``tokens``, ``service`` and ``audit`` do the
work, check what they must and write the audit entries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import format_time
from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import AfterValidator, Field
from sqlalchemy.orm import Session

from kervan.accounts import audit, audit_labels, checkpoints, service, sessions
from kervan.accounts.audit_params import MAX_SEQ, day_start
from kervan.accounts.messages import ROLE_REQUIRED, TOKEN_NAME_REQUIRED, USERNAME_REQUIRED
from kervan.accounts.roles import Permission, Principal, Role
from kervan.errors import KervanError
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.forms import (
    FormModel,
    FormValues,
    Password,
    choice,
    fields_of,
    parse_form,
    read_form,
    required,
)
from kervan.web.i18n_errors import FormErrors
from kervan.web.pages import safe_next, set_language_cookie
from kervan.web.pagination import DEFAULT_PAGE_SIZE
from kervan.web.security import csrf_protect
from kervan.web.templating import Page, PageDep

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Field(max_length=200)]


class SignInForm(FormModel):
    username: Text = ""
    password: Annotated[Password, Field(max_length=1000)] = ""
    next: Annotated[str, Field(max_length=2000)] = "/"


class TokenForm(FormModel):
    name: Annotated[Text, AfterValidator(required(TOKEN_NAME_REQUIRED))]


class UserForm(FormModel):
    username: Annotated[Text, AfterValidator(required(USERNAME_REQUIRED))]
    full_name: Text = ""
    role: Annotated[Role, choice(Role, ROLE_REQUIRED)]
    state: Annotated[str, Field(max_length=3)] = ""
    password: Annotated[Password, Field(max_length=1000)] = ""


class ActiveForm(FormModel):
    active: Annotated[str, Field(max_length=5)] = ""


def _secure(page: Page) -> bool:
    return page.request.url.scheme == "https"


# ---------------------------------------------------------------------------------------------
# Signing in and out


@router.get("/sign-in")
def sign_in_form(
    page: PageDep,
    next: Annotated[str, Query(max_length=2000)] = "/",
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page.render("accounts/sign_in.html", next=safe_next(next), username="", error="")


@router.post("/sign-in", dependencies=[Depends(csrf_protect)])
def sign_in(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    form = parse_form(SignInForm, sent)
    username, password, next = form.username, form.password, form.next
    try:
        user, cookie = sessions.sign_in(session, page.request, username, password)
    except sessions.SignInFailed as exc:
        # Rendered, not raised: the unit of work then commits the failed-attempt count and
        # its audit entry, which lockout depends on.
        return page.render(
            "accounts/sign_in.html",
            next=safe_next(next),
            username=username,
            error=_sign_in_error(page, exc),
            status_code=exc.status,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    sessions.attach_session_cookie(response, cookie, settings, secure=_secure(page))
    set_language_cookie(response, user.locale, secure=_secure(page))
    return response


def _sign_in_error(page: Page, exc: KervanError) -> str:
    locked_until = exc.extra.get("locked_until")
    if locked_until:
        until = dt.datetime.fromisoformat(str(locked_until))
        return page.gettext(
            "Too many failed attempts. Try again after %(time)s.",
            time=format_time(until, "short", tzinfo=dt.UTC, locale=page.translator.locale) + " UTC",
        )
    return page.gettext("The username or password is wrong, or the account is disabled.")


@router.post("/sign-out", dependencies=[Depends(csrf_protect)])
def sign_out(
    page: PageDep,
    session: SessionDep,
    principal: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    response = RedirectResponse("/sign-in", status_code=303)
    sessions.sign_out(session, page.request, response)
    return response


# ---------------------------------------------------------------------------------------------
# One's own API tokens


def _tokens_page(page: Page, session: Session, principal: Principal, **context: Any) -> Response:
    own = sorted(
        service.list_api_tokens(session, principal), key=lambda t: t.created_at, reverse=True
    )
    context.setdefault("secret", "")
    context.setdefault("error", "")
    return page.render("accounts/tokens.html", tokens=own, **context)


@router.get("/account/tokens")
def tokens_page(
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> Response:
    return _tokens_page(page, session, principal)


@router.post("/account/tokens", dependencies=[Depends(csrf_protect)])
def create_token(
    page: PageDep,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> Response:
    errors = FormErrors()
    form = read_form(page.translator, TokenForm, fields_of(TokenForm, sent), errors)
    if form is None:
        return _tokens_page(page, session, principal, error=errors.get("name", ""))
    _, secret = service.create_api_token(session, principal, form.name)
    # The secret is shown this once; only its digest is stored.
    return _tokens_page(page, session, principal, secret=secret)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(csrf_protect)])
def revoke_token(
    token_id: uuid.UUID,
    session: SessionDep,
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> Response:
    service.revoke_api_token(session, principal, token_id)
    return RedirectResponse("/account/tokens", status_code=303)


# ---------------------------------------------------------------------------------------------
# Users (node administrator)


def _users_page(page: Page, session: Session, **context: Any) -> Response:
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("done", "")
    return page.render(
        "accounts/users.html",
        users=service.list_users(session, page.principal),
        roles=list(Role),
        **context,
    )


@router.get("/admin/users")
def users_page(
    page: PageDep,
    session: SessionDep,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> Response:
    return _users_page(page, session)


@router.post("/admin/users", dependencies=[Depends(csrf_protect)])
def create_user(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    sent: FormValues,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> Response:
    typed = fields_of(UserForm, sent)
    values = {k: v for k, v in typed.items() if k != "password"}  # never shown again
    errors = FormErrors()
    form = read_form(page.translator, UserForm, typed, errors)
    if form is not None:
        try:
            with session.begin_nested():
                service.create_user(
                    session,
                    principal,
                    username=form.username,
                    password=form.password,
                    role=form.role,
                    state=(form.state or settings.state).upper(),
                    full_name=form.full_name,
                )
        except KervanError as exc:
            errors.from_error(page.translator, exc)
    if errors:
        return _users_page(page, session, values=values, errors=errors)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/active", dependencies=[Depends(csrf_protect)])
def set_user_active(
    page: PageDep,
    username: str,
    session: SessionDep,
    sent: FormValues,
    principal: Principal = policy(Permission.ACCOUNTS_MANAGE),
) -> Response:
    active = parse_form(ActiveForm, sent).active
    change = service.set_active(session, principal, username, active == "1")
    if active == "1":
        return RedirectResponse("/admin/users", status_code=303)
    done = page.gettext(
        "%(username)s is disabled: %(sessions)s sessions ended, %(tokens)s API tokens revoked.",
        username=username,
        sessions=change.sessions_ended,
        tokens=change.tokens_revoked,
    )
    return _users_page(page, session, done=done)


# ---------------------------------------------------------------------------------------------
# The audit log (node administrator)

AUDIT_FILTERS = ("username", "action", "record_type", "record_id", "outcome", "since", "until")


def _audit_filter(values: dict[str, str]) -> audit.AuditFilter:
    text = {k: (values.get(k) or "").strip() or None for k in AUDIT_FILTERS[:5]}
    return audit.AuditFilter(
        **text,
        since=day_start(values.get("since", "")),
        until=day_start(values.get("until", ""), end=True),
    )


def _filter_values(request_query: Any) -> dict[str, str]:
    return {k: str(request_query.get(k, ""))[:200] for k in AUDIT_FILTERS}


@router.get("/admin/audit")
def audit_page(
    page: PageDep,
    session: SessionDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_SEQ)] = None,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> Response:
    values = _filter_values(page.request.query_params)
    entries, next_before = service.search_audit(
        session, principal, _audit_filter(values), before_seq=before, limit=DEFAULT_PAGE_SIZE
    )
    query = urlencode({k: v for k, v in values.items() if v})
    return page.render(
        "accounts/audit.html",
        action_labels=audit_labels.ACTIONS,
        outcome_labels=audit_labels.OUTCOMES,
        entries=entries,
        values=values,
        query=query,
        next_before=next_before,
        chain=None,
    )


@router.get("/admin/audit/export.csv")
def audit_export(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> StreamingResponse:
    filters = _audit_filter(_filter_values(page.request.query_params))
    lines = service.export_audit(
        session, principal, page.request.app.state.session_factory, filters
    )
    name = f"kervan-audit-{settings.state}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%MZ}.csv"
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/admin/audit/verify", dependencies=[Depends(csrf_protect)])
def audit_verify(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Principal = policy(Permission.AUDIT_READ),
) -> Response:
    # A POST: walking the whole chain is heavy and is itself recorded in the log.
    keys, outside = checkpoints.node_sources(settings)
    chain = service.verify_audit(session, principal, keys, outside)
    values = _filter_values({})
    entries, next_before = service.search_audit(session, principal, _audit_filter(values), limit=50)
    return page.render(
        "accounts/audit.html",
        action_labels=audit_labels.ACTIONS,
        outcome_labels=audit_labels.OUTCOMES,
        entries=entries,
        values=values,
        query="",
        next_before=next_before,
        chain=chain,
    )
