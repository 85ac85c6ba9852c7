"""Helpers for the accounts tests: users, a settable clock, and test-only routes that call the
session functions the UI's views call, so these tests do not depend on the UI's markup."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import sessions
from kervan.accounts.models import AuditEntry, User
from kervan.accounts.roles import Permission, Principal, Role, system_principal
from kervan.accounts.service import create_user
from kervan.uow import unit_of_work
from kervan.web.deps import SessionDep, SettingsDep, policy
from kervan.web.security import CSRF_HEADER, csrf_protect, csrf_token

PASSWORD = "correct horse battery staple"


class Clock:
    """Stands in for the wall clock of sign-in and session checks (``app.state.clock``)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Credentials(BaseModel):
    username: str
    password: str


test_router = APIRouter(prefix="/_test")


@test_router.get("/csrf")
def get_csrf(request: Request, _: Principal | None = policy(Permission.PUBLIC)) -> dict[str, str]:
    return {"token": csrf_token(request)}


def _signed_in(request: Request, settings: SettingsDep, user: User, cookie: str) -> Response:
    response = JSONResponse({"username": user.username, "csrf": csrf_token(request)})
    sessions.attach_session_cookie(response, cookie, settings, secure=request.url.scheme == "https")
    return response


@test_router.post("/sign-in", dependencies=[Depends(csrf_protect)])
def sign_in_raising(
    body: Credentials,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    """A failure propagates: the request's transaction rolls back."""
    user, cookie = sessions.sign_in(session, request, body.username, body.password)
    return _signed_in(request, settings, user, cookie)


@test_router.post("/sign-in-rendered", dependencies=[Depends(csrf_protect)])
def sign_in_rendered(
    body: Credentials,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: Principal | None = policy(Permission.PUBLIC),
) -> Response:
    """A failure is answered, as a form view does: the request's transaction commits."""
    try:
        user, cookie = sessions.sign_in(session, request, body.username, body.password)
    except sessions.SignInFailed as exc:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)
    return _signed_in(request, settings, user, cookie)


@test_router.post("/sign-out", dependencies=[Depends(csrf_protect)])
def sign_out(
    request: Request, session: SessionDep, _: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    response = JSONResponse({})
    sessions.sign_out(session, request, response)
    return response


@test_router.post("/ui-action", dependencies=[Depends(csrf_protect)])
def ui_action(
    note: Annotated[str, Form()] = "",
    principal: Principal = policy(Permission.AUTHENTICATED),
) -> dict[str, str]:
    return {"user": principal.username, "note": note}


@test_router.get("/page", response_class=HTMLResponse)
def page(_: Principal | None = policy(Permission.PUBLIC)) -> str:
    return "<!doctype html><title>page</title><p>a page</p>"


def add_test_routes(app: FastAPI, clock: Clock) -> None:
    app.include_router(test_router)
    app.state.clock = clock


def make_user(
    factory: sessionmaker[Session],
    username: str,
    role: Role = Role.MIGRATION_OFFICER,
    state: str = "KAZ",
    password: str = PASSWORD,
) -> User:
    with unit_of_work(factory) as session:
        return create_user(
            session,
            system_principal(state, "test"),
            username=username,
            password=password,
            role=role,
            state=state,
        )


def sign_in(
    client: TestClient, username: str, password: str = PASSWORD, *, rendered: bool = False
) -> httpx.Response:
    token = client.get("/_test/csrf").json()["token"]
    route = "/_test/sign-in-rendered" if rendered else "/_test/sign-in"
    return client.post(
        route, json={"username": username, "password": password}, headers={CSRF_HEADER: token}
    )


def entries(factory: sessionmaker[Session], action: str | None = None) -> list[AuditEntry]:
    with factory() as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.scalars(query))


def get_user(factory: sessionmaker[Session], username: str) -> User:
    with factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user
