"""Authorization in one place, checked over the whole app.

1. Every route the app serves declares a ``Policy`` (FastAPI's own docs, the OpenAPI document
   and static files excepted); every UI route taking an unsafe method is CSRF-protected.
2. The role × route matrix: every route, requested by every role with a bearer token, is
   denied (403) exactly when ``GRANTS`` does not give the role the route's permission — and an
   anonymous caller is asked to sign in (401, or a redirect to the sign-in page for a page).

Both walk ``app.routes`` as ``create_app`` builds it, so routes added later are covered too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import GRANTS, Permission, Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.uow import unit_of_work
from kervan.web.deps import Policy
from kervan.web.security import CSRF_HEADER, PRESESSION_COOKIE, csrf_protect, csrf_token_for
from tests.functional.conftest import NODE_STATE, ClientFactory
from tests.functional.register_data import document_body, person_body
from tests.functional.routes_support import ROLE_STATES, authorization_per_role, served_routes

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _walk(sub)


def policies_of(route: APIRoute) -> list[Policy]:
    return [d.call for d in _walk(route.dependant) if isinstance(d.call, Policy)]


def allowed_roles(route: APIRoute) -> frozenset[Role]:
    """A route with several policies needs all of them."""
    allowed: frozenset[Role] = frozenset(Role)
    for found in policies_of(route):
        allowed &= GRANTS[found.permission]
    return allowed


def is_public(route: APIRoute) -> bool:
    return all(p.permission is Permission.PUBLIC for p in policies_of(route))


def _serves_static_files(app: object) -> bool:
    while app is not None:  # a Mount may wrap StaticFiles in middleware (compression)
        if isinstance(app, StaticFiles):
            return True
        app = getattr(app, "app", None)
    return False


def api_routes(app: FastAPI) -> list[APIRoute]:
    return [r for r in served_routes(app) if isinstance(r, APIRoute)]


def test_every_route_declares_a_policy(app: FastAPI) -> None:
    fastapi_own = {
        app.docs_url,
        app.redoc_url,
        app.openapi_url,
        app.swagger_ui_oauth2_redirect_url,
    } - {None}
    problems = []
    for route in served_routes(app):
        if isinstance(route, APIRoute):
            if not policies_of(route):
                problems.append(f"{sorted(route.methods)} {route.path} declares no policy")
        elif isinstance(route, Mount) and _serves_static_files(route.app):
            continue
        elif getattr(route, "path", None) not in fastapi_own:
            problems.append(f"{route!r} is served outside the policy system")
    assert not problems, "\n".join(problems)
    assert len(api_routes(app)) > 10  # the walk really saw the app


def test_every_ui_route_with_an_unsafe_method_checks_csrf(app: FastAPI) -> None:
    unprotected = [
        f"{sorted(route.methods)} {route.path}"
        for route in api_routes(app)
        if not route.path.startswith("/api/")
        and route.methods & UNSAFE
        and not any(d.call is csrf_protect for d in _walk(route.dependant))
    ]
    assert not unprotected, "UI routes without csrf_protect:\n" + "\n".join(unprotected)


def test_every_api_route_has_a_stable_operation_id(app: FastAPI) -> None:
    missing = [r.path for r in api_routes(app) if r.path.startswith("/api/") and not r.operation_id]
    assert not missing
    ids = [r.operation_id for r in api_routes(app) if r.operation_id]
    assert len(ids) == len(set(ids))


# ----------------------------------------------------------------------------------------------
# The role × route matrix


@dataclass
class Targets:
    """Real records to put in path parameters, so that allowed requests reach the service."""

    values: dict[str, str]

    def path(self, route: APIRoute) -> str:
        filled = {}
        for param in route.dependant.path_params:
            default = str(uuid.uuid4()) if param.field_info.annotation is uuid.UUID else "x"
            filled[param.name] = self.values.get(param.name, default)
        return route.path_format.format(**filled)


@pytest.fixture
def targets(client_as: ClientFactory, app_sessions: sessionmaker[Session]) -> Targets:
    officer = client_as(Role.MIGRATION_OFFICER)
    person = officer.post("/api/v1/persons", json=person_body()).json()
    document = officer.post(
        f"/api/v1/persons/{person['id']}/stay-documents", json=document_body()
    ).json()
    with unit_of_work(app_sessions) as session:
        victim = create_user(
            session,
            system_principal(NODE_STATE, "test"),
            username="matrix.victim",
            password="correct horse battery staple",
            role=Role.BORDER_OFFICER,
            state=NODE_STATE,
        )
    return Targets(
        {
            "person_id": person["id"],
            "document_id": document["id"],
            "user_id": str(victim.id),
            "username": victim.username,
            "token_id": str(uuid.uuid4()),
            "action": "extend",
        }
    )


def request_route(
    client: TestClient, route: APIRoute, path: str, method: str, authorization: str
) -> int:
    kwargs: dict[str, object] = {}
    body = route.dependant.body_params
    if body:
        is_form = any(isinstance(p.field_info, params.Form) for p in body)
        kwargs["data" if is_form else "json"] = {}
    headers = {"Authorization": authorization}
    response = client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
    return response.status_code


def _denials(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "access.denied")
            )
            or 0
        )


def test_role_route_matrix(
    app: FastAPI,
    client_as: ClientFactory,
    targets: Targets,
    app_sessions: sessionmaker[Session],
) -> None:
    authorizations = authorization_per_role(client_as)
    # One request per (role, route, method), all on one client (one event loop for the whole
    # walk): each role's bearer token goes in the request's own header, and the cookie jar is
    # emptied before each request, so no request carries what another's answer set.
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    wrong, denied = [], 0
    with client:
        for route in api_routes(app):
            allowed, public = allowed_roles(route), is_public(route)
            for method in sorted(route.methods - {"HEAD"}):
                path = targets.path(route)
                for role, authorization in authorizations.items():
                    client.cookies.clear()
                    status = request_route(client, route, path, method, authorization)
                    if role not in allowed:
                        denied += 1
                        if status != 403:
                            wrong.append(f"{role} {method} {path}: {status}, expected 403")
                        continue
                    # /readyz answers 503 by design on a node without keys or a trust list.
                    failed = status >= 500 and not (path == "/readyz" and status == 503)
                    if status == 403 or failed or (status == 401 and not public):
                        wrong.append(f"{role} {method} {path}: {status}, expected access")
    assert not wrong, "\n".join(wrong)
    assert denied > 0
    assert _denials(app_sessions) == denied  # every denial left an audit entry


def test_anonymous_caller_is_asked_to_sign_in(
    app: FastAPI, targets: Targets, settings: Settings
) -> None:
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    # A valid pre-session CSRF token, so that UI forms reach their policy rather than stopping
    # at the CSRF check.
    client.cookies.set(PRESESSION_COOKIE, "anonymous-browser")
    client.headers[CSRF_HEADER] = csrf_token_for(settings.secret_key, "pre:anonymous-browser")
    wrong = []
    with client:  # one event loop for every request
        for route in api_routes(app):
            if is_public(route):
                continue
            for method in sorted(route.methods - {"HEAD"}):
                path = targets.path(route)
                kwargs: dict[str, object] = {}
                if route.dependant.body_params:
                    kwargs["json"] = {}
                response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
                to_sign_in = (
                    not path.startswith("/api/")
                    and response.is_redirect
                    and response.headers["location"].startswith("/sign-in")
                )
                if response.status_code != 401 and not to_sign_in:
                    wrong.append(f"anonymous {method} {path}: {response.status_code}")
                elif path.startswith("/api/"):
                    assert response.headers["content-type"] == "application/problem+json"
    assert not wrong, "\n".join(wrong)


# ----------------------------------------------------------------------------------------------
# Tables of personal data on pages every role may open


def _previewed_measure(officer: TestClient) -> tuple[str, dict[str, str]]:
    """A measure previewed over two persons of two states; their documents' numbers by state."""
    numbers = {"UZB": "WK10000001", "TJK": "WK20000002"}
    for state, number in numbers.items():
        travel = [{"number": f"P{state}0001", "issuing_state": state, "expiry_date": "2030-01-01"}]
        person = officer.post(
            "/api/v1/persons", json=person_body(nationality=state, travel_documents=travel)
        ).json()
        body = document_body(number=number, valid_from="2020-01-10", valid_until="2020-04-01")
        created = officer.post(f"/api/v1/persons/{person['id']}/stay-documents", json=body)
        assert created.status_code == 201, created.text
    measure = {
        "reference": "MATRIX-1",
        "issuing_state": NODE_STATE,
        "legal_basis": {"act": "Decree", "date": "2020-03-15"},
        "title": {"en": "Matrix"},
        "period": {"from": "2020-03-16", "to": "2020-05-15"},
        "actions": [{"extend": {"period_end_plus_days": 30}}],
    }
    measure_id = officer.post("/api/v1/measures", json=measure).json()["id"]
    sample = officer.post(f"/api/v1/measures/{measure_id}/preview").json()["sample"]
    assert {row["number"] for row in sample} == set(numbers.values())
    return measure_id, numbers


def test_the_measure_page_shows_stay_documents_only_to_whom_the_register_shows_them(
    client_as: ClientFactory,
) -> None:
    """Every role may read a measure; its preview's sample names stay documents: the migration
    officer sees them all, a consul their own nationals', the analyst and the admin none."""
    measure_id, numbers = _previewed_measure(client_as(Role.MIGRATION_OFFICER))
    expected = {
        Role.MIGRATION_OFFICER: {"UZB", "TJK"},
        Role.CONSULAR_OFFICER: {"UZB"},  # ROLE_STATES: the consul is Uzbek
        Role.SECRETARIAT_ANALYST: set(),
        Role.ADMIN: set(),
    }
    for role, states in expected.items():
        page = client_as(role, ROLE_STATES[role]).get(f"/measures/{measure_id}")
        assert page.status_code == 200, (role, page.status_code)
        shown = {state for state, number in numbers.items() if number in page.text}
        assert shown == states, role
        if role is Role.CONSULAR_OFFICER:  # nor the other state's row in the counts
            assert "TJK" not in page.text
