"""Request dependencies: the unit of work, the caller, and the policy every route declares."""

# No ``from __future__ import annotations`` here: FastAPI resolves a dependency's string
# annotations through the function's module globals, and a callable *instance* (``Policy``) has
# none, so its parameters would be taken for query parameters.

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit
from kervan.accounts.messages import ROLE_MAY_NOT
from kervan.accounts.roles import Permission, Principal
from kervan.accounts.service import principal_for
from kervan.accounts.tokens import user_for_token
from kervan.config import Settings
from kervan.errors import Forbidden, Unauthenticated
from kervan.messages import SIGN_IN_REQUIRED, TOKEN_UNKNOWN
from kervan.uow import unit_of_work
from kervan.web.security import require_csrf_header_on_api


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_session(request: Request) -> Iterator[Session]:
    with unit_of_work(get_session_factory(request)) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the request's transaction commits when the route function returns, before
# the response is sent (FastAPI 0.118+ otherwise ends a yield dependency after the response,
# where a failed commit would be lost silently and the client would read before it lands).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_principal(request: Request, session: SessionDep) -> Principal | None:
    """The caller, from a bearer token or the UI's session cookie; None if anonymous."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    user = None
    token = _bearer_token(request)
    if token is not None:
        user = user_for_token(session, token)
        if user is None:
            raise Unauthenticated(
                "the bearer token is unknown, expired or revoked", code=TOKEN_UNKNOWN
            )
    else:
        resolver = getattr(request.app.state, "session_user_resolver", None)
        if resolver is not None:
            user = resolver(request, session)
            if user is not None:
                require_csrf_header_on_api(request)
    if user is None:
        return None
    principal = principal_for(user, client_address(request))
    request.state.principal = principal
    return principal


class Policy:
    """A route's access rule. Every route declares one (a test walks the app to make sure);
    a denial is audited, in a transaction of its own since the request's is rolled back."""

    def __init__(self, permission: Permission):
        self.permission = permission

    def __repr__(self) -> str:
        return f"Policy({self.permission.value})"

    def __call__(
        self,
        request: Request,
        session: SessionDep,
        principal: Annotated[Principal | None, Depends(current_principal)],
    ) -> Principal | None:
        if self.permission is Permission.PUBLIC:
            return principal
        if principal is None:
            raise Unauthenticated("sign in or send a bearer token", code=SIGN_IN_REQUIRED)
        if not principal.can(self.permission):
            audit.record_on_failure(
                session,
                principal,
                "access.denied",
                outcome="denied",
                details={
                    "permission": self.permission.value,
                    "path": request.url.path[:500],  # the log keeps it for ever
                    "method": request.method,
                },
            )
            raise Forbidden(
                f"the role {principal.role.value} may not {self.permission.value}",
                code=ROLE_MAY_NOT,
            )
        return principal


def policy(permission: Permission) -> Principal:
    """Use as a parameter default: ``principal: Principal = policy(Permission.REGISTER_READ)``."""
    dependency: Principal = Depends(Policy(permission))
    return dependency
